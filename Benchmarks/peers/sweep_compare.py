#!/usr/bin/env python3
"""Times `ast sweep` against the numpy sweep (sweep_numpy.py) back to back and checks they agree.

1. Agreement: one recorded score trace (numpy lognormal(0, 1), 2,000 batches of 128) is swept
   by both on a 16 × 16 grid (ast's grid values read back from its sweep.csv); every metric
   column must agree within 1e-9 (settling times exactly).
2. Timing, each round: `ast sweep` of the benchmark's 64 × 64 × 5 seeds × 5,000 steps
   (Scenarios/01-stationary-lognormal.yaml with 5,000 steps, incrementalClamped, log axes
   Kp 0.005…0.5, Ki 0.0001…0.01), optionally an older ast binary on the same sweep, then the
   numpy sweep of the same size on its own lognormal batches. ast's seconds are its own
   clock around `Sweep.run` (batch generation included), numpy's the same span.
The load average is printed before and after: the machine is shared, so compare the ratios
of one round.
"""
import argparse
import csv
import json
import math
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
GRID = ["--kp", "0.005:0.5:{side}", "--ki", "0.0001:0.01:{side}", "--log"]


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def run_ast(binary, scenario, side, seeds, out):
    grid = [part.format(side=side) for part in GRID]
    command = [str(binary), "sweep", str(scenario), "--preset", "incrementalClamped", *grid,
               "--seeds", str(seeds), "--out", str(out)]
    text = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    match = re.search(r"in ([0-9.]+) s: ([0-9.]+) M simulated batches/s", text)
    return {"seconds": float(match.group(1)), "batches_per_second": float(match.group(2)) * 1e6}


def run_numpy(*arguments):
    command = [sys.executable, str(HERE / "sweep_numpy.py"), *arguments]
    return json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1])


def check_agreement(ast, scratch: Path) -> float:
    import numpy as np
    scores = np.random.default_rng(42).lognormal(0, 1, (2000, 128))
    with open(scratch / "scores.csv", "w") as file:
        file.write("batch,score\n")
        for batch, row in enumerate(scores):
            file.writelines(f"{batch},{float(value)!r}\n" for value in row)
    (scratch / "check.yaml").write_text(
        "name: numpy-check\nscores: {trace: scores.csv}\nbatchSize: 128\nsteps: 2000\ntarget: 0.1\n"
        "band: 0.01\nwindow: 50\nseeds: [1]\ncontrollers:\n  - preset: incrementalClamped\n")
    run_ast(ast, scratch / "check.yaml", 16, 1, scratch / "ast")
    run_numpy("--scores", str(scratch / "scores.csv"), "--grid", str(scratch / "ast" / "sweep.csv"),
              "--seeds", "1", "--steps", "2000", "--csv", str(scratch / "numpy.csv"))
    with open(scratch / "ast" / "sweep.csv") as file:
        ours = list(csv.DictReader(file))
    with open(scratch / "numpy.csv") as file:
        theirs = list(csv.DictReader(file))
    assert len(ours) == len(theirs) == 256, "both sweeps cover the 16 × 16 grid"
    worst = 0.0
    for mine, peer in zip(ours, theirs):
        settled = (mine["settling_time_mean"], peer["settling_time_mean"])
        assert settled == ("", "") or ("" not in settled and float(settled[0]) == float(settled[1])), \
            f"settling time of point {mine['index']}: ast {settled[0]!r}, numpy {settled[1]!r}"
        for column in ("steady_state_error_mean", "overshoot_mean", "fraction_saturated_mean"):
            worst = max(worst, abs(float(mine[column]) - float(peer[column])))
    assert worst <= 1e-9, f"the sweeps disagree by {worst:g}"
    return worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ast", type=Path, default=ROOT / ".build/release/ast")
    parser.add_argument("--old-ast", type=Path, help="also time this (older) ast binary, between ast and numpy")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--side", type=int, default=64)
    parser.add_argument("--seeds", type=int, default=5)
    args = parser.parse_args()

    print(f"load before: {load()}  (1, 5, 15 min; {os.cpu_count()} cores)")
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        worst = check_agreement(args.ast, scratch)
        print(f"agreement on a recorded trace, 16 × 16 × 2,000 steps: settling times equal, other metrics within {worst:.1e}")
        scenario = scratch / "sweep-5000.yaml"
        text = (ROOT / "Scenarios/01-stationary-lognormal.yaml").read_text()
        scenario.write_text(re.sub(r"(?m)^steps: \d+", "steps: 5000", text))
        batches = args.side * args.side * args.seeds * 5000
        print(f"sweep: {args.side} × {args.side} × {args.seeds} seeds × 5,000 steps, B = 128 ({batches / 1e6:.1f} M batches)")
        for round_index in range(1, args.rounds + 1):
            ours = run_ast(args.ast, scenario, args.side, args.seeds, scratch / "timed")
            old = run_ast(args.old_ast, scenario, args.side, args.seeds, scratch / "timed-old") if args.old_ast else None
            peer = run_numpy("--side", str(args.side), "--seeds", str(args.seeds))
            line = (f"round {round_index}: ast {ours['seconds']:.2f} s ({ours['batches_per_second'] / 1e6:.1f} M batches/s)")
            if old:
                line += (f", old ast {old['seconds']:.2f} s ({old['batches_per_second'] / 1e6:.1f} M/s)")
            line += (f", numpy {peer['seconds']:.2f} s ({peer['batches_per_second'] / 1e6:.2f} M/s, numpy {peer['numpy']}); "
                     f"numpy/ast time {peer['seconds'] / ours['seconds']:.1f}x")
            if old:
                line += f", old/new time {old['seconds'] / ours['seconds']:.2f}x"
            print(line, flush=True)
    print(f"load after: {load()}")


if __name__ == "__main__":
    main()
