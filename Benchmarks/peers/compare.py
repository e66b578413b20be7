#!/usr/bin/env python3
"""Times `ast train --policy full` and the PyTorch FashionNet back to back (Benchmarks/peers/README.md).

Each round runs ast, then PyTorch, on the same epochs, batch size and thread count. Both
rates use one work measure: ast's own FLOP count of the epoch (summary.json `flops`, from
Network.operationCount plus the optimiser), so the GFLOP/s ratio is the inverse time ratio.
The load average is printed before and after, since the machine is shared.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def run_ast(binary: Path, args, out: Path) -> dict:
    command = [str(binary), "train", "--policy", "full", "--epochs", str(args.epochs), "--seed", "1",
               "--threads", str(args.threads), "--data-dir", args.data_dir, "--out", str(out)]
    if args.train_limit:
        command += ["--train-limit", str(args.train_limit)]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    summary = json.loads((out / "summary.json").read_text())
    with open(out / "epochs.csv") as file:
        header, *rows = [line.strip().split(",") for line in file if line.strip()]
    seconds = sum(float(row[header.index("seconds_total")]) for row in rows)
    return {"seconds": seconds, "flops": float(summary["flops"]), "test_accuracy": summary["finalTestAccuracy"]}


def run_torch(args) -> dict:
    command = [sys.executable, str(HERE / "fashionnet_torch.py"), "--threads", str(args.threads),
               "--epochs", str(args.epochs), "--data-dir", args.data_dir]
    if args.train_limit:
        command += ["--train-limit", str(args.train_limit)]
    result = subprocess.run(command, check=True, capture_output=True, text=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ast", type=Path, default=HERE.parent.parent / ".build/release/ast")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--train-limit", type=int)
    parser.add_argument("--data-dir", default="/usr/share/datasets/fashion-mnist")
    args = parser.parse_args()

    import torch  # noqa: F401 (fail early when the venv lacks it)
    print(f"load before: {load()}  (1, 5, 15 min; {os.cpu_count()} cores)")
    ratios = []
    with tempfile.TemporaryDirectory() as scratch:
        for round_index in range(args.rounds):
            ours = run_ast(args.ast, args, Path(scratch) / f"ast-{round_index}")
            peer = run_torch(args)
            flops = ours["flops"]
            ratio = ours["seconds"] / peer["seconds"]
            ratios.append(ratio)
            print(f"round {round_index + 1}: {peer['samples']} samples x {args.epochs} epoch(s), {args.threads} threads")
            print(f"  ast train      {ours['seconds']:8.2f} s  {flops / ours['seconds'] / 1e9:7.1f} GFLOP/s"
                  f"  test accuracy {100 * ours['test_accuracy']:.2f} %")
            print(f"  {peer['trainer']:<14} {peer['seconds']:8.2f} s  {flops / peer['seconds'] / 1e9:7.1f} GFLOP/s"
                  f"  test accuracy {100 * peer['test_accuracy']:.2f} %")
            print(f"  ast time / pytorch time = {ratio:.3f} (below 1: ast is faster)   load now: {load()}")
    print(f"ratio over {len(ratios)} round(s): median {statistics.median(ratios):.3f}, "
          f"min {min(ratios):.3f}, max {max(ratios):.3f}")
    print(f"load after: {load()}")


if __name__ == "__main__":
    main()
