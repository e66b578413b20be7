#!/usr/bin/env python3
"""The `ast sweep` gain sweep in numpy, vectorised over the grid, single-threaded (Benchmarks/peers/README.md).

Same closed loop as the `incrementalClamped` preset (Sources/PIControl/Presets.swift,
Controller.swift `advance`): hard gate s > θ, per-batch rate n/B, EMA m += α(r − m),
e = m − target, I = clamp(I + e, ±50), θ' = clamp(θ + Kp·e + Ki·I, 0, 10), θ0 = 1, α = 0.3.
The count n is `np.searchsorted(sorted_batch, θ, side="right")` over the whole grid at once.
The metrics the sweep keeps (Sources/ASTSim/Metrics/TraceMetrics.swift, Sweep.summarise) are
streamed per step over the grid: a trailing moving average of the rate over `window` batches,
the settling time (one past the last step out of the band), the overshoot, the mean rate minus
target over the last quarter, and the fraction of saturated steps.

  sweep_numpy.py                                   # 64 × 64 × 5 seeds × 5,000 steps, B = 128
  sweep_numpy.py --scores s.csv --grid ast/sweep.csv --seeds 1 --csv out.csv   # agreement check

Prints one JSON line: seconds (generation + simulation), simulation seconds, batches/s.
"""
import argparse
import json
import os
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # single-threaded, whatever numpy links
import numpy as np  # noqa: E402

TARGET, ALPHA, THETA0, LOWER, UPPER, BOUND = 0.1, 0.3, 1.0, 0.0, 10.0, 50.0


def simulate(batches, kp, ki, steps, band, window, fraction):
    """One seed's batches (steps × B, each row sorted) for every grid point at once."""
    count = kp.size
    batch_size = batches.shape[1]
    theta = np.full(count, THETA0)
    ema = np.full(count, TARGET)
    integral = np.zeros(count)
    ring = np.zeros((window, count))
    running = np.zeros(count)
    direction = np.ones(count)
    initial = np.zeros(count)
    overshoot = np.zeros(count)
    tail = np.zeros(count)
    last_out = np.full(count, -1)
    saturated = np.zeros(count, dtype=np.int64)
    tail_start = min(steps - 1, int(steps * (1 - fraction)))
    for step in range(steps):
        passed = batch_size - np.searchsorted(batches[step], theta, side="right")
        rate = passed / batch_size
        ema += ALPHA * (rate - ema)
        error = ema - TARGET
        integral = np.clip(integral + error, -BOUND, BOUND)
        unclamped = theta + kp * error + ki * integral
        saturated += (unclamped < LOWER) | (unclamped > UPPER)
        theta = np.clip(unclamped, LOWER, UPPER)
        # Metrics on the moving average of the rate.
        slot = step % window
        running += rate
        if step >= window:
            running -= ring[slot]
        ring[slot] = rate
        smoothed_error = running / min(step + 1, window) - TARGET
        last_out[~(np.abs(smoothed_error) <= band)] = step
        if step == 0:
            initial = smoothed_error.copy()
            direction = np.where(smoothed_error >= 0, 1.0, -1.0)
        np.maximum(overshoot, -direction * smoothed_error, out=overshoot)
        if step >= tail_start:
            tail += rate
    settling = np.where(last_out < 0, 0, last_out + 1).astype(float)
    settling[last_out + 1 >= steps] = np.nan
    return {
        "settling": settling,
        "error": tail / (steps - tail_start) - TARGET,
        "overshoot": np.where(np.abs(initial) <= band, 0.0, overshoot),
        "saturated": saturated / steps,
    }


def load_scores(path):
    """`batch,score` CSV (ast's score trace) as steps × B, each row sorted."""
    rows = np.loadtxt(path, delimiter=",", skiprows=1)
    ids, starts = np.unique(rows[:, 0], return_index=True)
    order = np.sort(starts)
    sizes = np.diff(np.append(order, len(rows)))
    size = np.bincount(sizes).argmax()
    batches = [rows[start:start + size, 1] for start, length in zip(order, sizes) if length == size]
    return np.sort(np.array(batches), axis=1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--side", type=int, default=64, help="grid points per axis (log axes as the benchmark)")
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--steps", type=int, default=5000)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--band", type=float, default=0.01)
    parser.add_argument("--window", type=int, default=50)
    parser.add_argument("--steady-fraction", type=float, default=0.25)
    parser.add_argument("--scores", help="recorded batch,score CSV instead of generated lognormal(0, 1) batches")
    parser.add_argument("--grid", help="take Kp and Ki from this sweep.csv (exact grid values)")
    parser.add_argument("--csv", help="write per-point means over the seeds here")
    args = parser.parse_args()

    if args.grid:
        table = np.genfromtxt(args.grid, delimiter=",", names=True)
        kp, ki = np.asarray(table["kp"], dtype=float), np.asarray(table["ki"], dtype=float)
    else:
        axis_p = np.exp(np.linspace(np.log(0.005), np.log(0.5), args.side))
        axis_i = np.exp(np.linspace(np.log(0.0001), np.log(0.01), args.side))
        ki, kp = (values.ravel() for values in np.meshgrid(axis_i, axis_p, indexing="ij"))

    start = time.perf_counter()
    if args.scores:
        recorded = load_scores(args.scores)
        seeds = [recorded[:args.steps]] * args.seeds
    else:
        seeds = [np.sort(np.random.default_rng(seed).lognormal(0, 1, (args.steps, args.batch_size)), axis=1)
                 for seed in range(1, args.seeds + 1)]
    generated = time.perf_counter()
    runs = [simulate(batches, kp, ki, len(batches), args.band, args.window, args.steady_fraction) for batches in seeds]
    finished = time.perf_counter()

    steps = len(seeds[0])
    if args.csv:
        with open(args.csv, "w") as file:
            file.write("index,kp,ki,settling_time_mean,steady_state_error_mean,overshoot_mean,fraction_saturated_mean\n")
            settling = np.array([run["settling"] for run in runs])
            with np.errstate(invalid="ignore"):
                settling_mean = np.nanmean(settling, axis=0) if len(runs) > 1 else settling[0]
            means = {key: np.mean([run[key] for run in runs], axis=0) for key in ("error", "overshoot", "saturated")}
            for index in range(kp.size):
                settled = "" if np.isnan(settling_mean[index]) else repr(float(settling_mean[index]))
                values = (kp[index], ki[index], means["error"][index], means["overshoot"][index], means["saturated"][index])
                kp_text, ki_text, error, overshoot, saturated = (repr(float(value)) for value in values)
                file.write(f"{index},{kp_text},{ki_text},{settled},{error},{overshoot},{saturated}\n")
    batches = kp.size * len(seeds) * steps
    print(json.dumps({"points": int(kp.size), "seeds": len(seeds), "steps": steps,
                      "seconds": finished - start, "simulation_seconds": finished - generated,
                      "batches_per_second": batches / (finished - start), "numpy": np.__version__}))


if __name__ == "__main__":
    main()
