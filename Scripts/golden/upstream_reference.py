#!/usr/bin/env python3
"""The two seed controllers, transcribed from the upstream code (not from the Swift code).

Upstream: the public repository oluwafemidiakhoa/adaptive-sparse-training.
  * seedPackage = `adaptive_sparse_training/sundew.py`, `SundewAlgorithm.select_samples`
    (lines cited below as sundew.py:N; constants Kp 0.005, Ki 0.0001, alpha 0.1, theta0 3.0
    are the package's ASTConfig defaults, as recorded in Sources/PIControl/PIControl.docc/SeedFidelity.md).
  * seedCIFAR = `KAGGLE_VIT_BATCHED_STANDALONE.py`, `SundewAlgorithm.process_batch` and
    `update_threshold`, the `SundewConfig` built in `BatchedAdaptiveSparseTrainer.__init__`,
    and the fallback in `train_epoch` (cited as kaggle.py:N).

Every rule is plain Python floats (IEEE-754 doubles, as numpy float64 and Swift's Double) in
the upstream evaluation order. Two things cannot be reproduced and are made explicit:
  * randomness: upstream draws from numpy's global Mersenne Twister (gate and energy) and
    torch.randperm (fallback). Here the draws come from a caller-supplied stream, so a test
    can feed the same 64-bit words to both implementations: u = (w >> 11) * 2**-53, numpy's
    `uniform(1, 3)` = 1 + 2*u. The fallback's random picks do not enter the controller (they
    are not counted); their words are consumed as the Swift fallback consumes them
    (partial Fisher-Yates with Swift's Lemire `next(upperBound:)`) only so that the stream
    stays aligned for the next batch.
  * non-finite scores (the one deliberate deviation, DEVIATION below): upstream lets +inf
    pass every gate and torch.topk can pick NaN; here a non-finite score is never selected.
    It still counts in the batch size (the denominator) and regenerates energy, as a NaN
    does upstream.
  * batch size 1 under seedPackage: upstream asks torch.topk for max(2, .) = 2 of 1 rows and
    raises; here the minimum is capped at the batch size (DEVIATION, documented).

Usage:
    python3 Scripts/golden/upstream_reference.py swift > Tests/PIControlTests/UpstreamGoldenData.swift
    python3 Scripts/golden/upstream_reference.py check-replay AST_BINARY   # end-to-end check
"""

import math
import os
import random
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from controller_reference import Xoshiro256StarStar, next_upper_bound, unit  # noqa: E402


def is_finite(x):
    return not (math.isnan(x) or math.isinf(x))


# --------------------------------------------------------------------------- seedPackage

class UpstreamSundewPackage:
    """sundew.py, SundewAlgorithm. State names as upstream."""

    def __init__(self, target, theta=3.0, ema=None, integral=0.0):
        self.target_activation_rate = target                  # sundew.py:34
        self.activation_threshold = theta                     # sundew.py:35 (initial_threshold 3.0)
        self.kp = 0.005                                       # sundew.py:36 (adapt_kp)
        self.ki = 0.0001                                      # sundew.py:37 (adapt_ki)
        self.integral_error = integral                        # sundew.py:38
        self.ema_alpha = 0.1                                  # sundew.py:39
        self.activation_rate_ema = target if ema is None else ema  # sundew.py:40

    def select_samples(self, significance):
        """Returns (selected indices, passed count, row) for one batch of scores."""
        batch_size = len(significance)                                       # sundew.py:83
        theta = self.activation_threshold
        # sundew.py:89-90: active_mask = significance > threshold. DEVIATION: +inf never passes.
        active = [i for i, s in enumerate(significance) if is_finite(s) and s > theta]
        num_active = len(active)
        passed = num_active
        # sundew.py:93: min_active = max(2, int(batch_size * 0.10)).
        # DEVIATION: capped at batch_size (upstream's topk raises for batch size 1).
        min_active = min(batch_size, max(2, int(batch_size * 0.10)))
        if num_active < min_active:                                          # sundew.py:94-98
            # torch.topk(significance, min_active): every passed row ranks above every
            # other, so this tops the passed rows up with the highest remaining scores.
            # DEVIATION: NaN / inf are not candidates (upstream ranks NaN highest).
            rest = [i for i, s in enumerate(significance) if is_finite(s) and i not in set(active)]
            rest.sort(key=lambda i: (-significance[i], i))
            active = active + rest[:min_active - num_active]
            num_active = len(active)      # upstream: num_active = min_active
        current_activation_rate = num_active / batch_size                    # sundew.py:101
        self.activation_rate_ema = (                                         # sundew.py:102-105
            self.ema_alpha * current_activation_rate
            + (1 - self.ema_alpha) * self.activation_rate_ema
        )
        error = self.activation_rate_ema - self.target_activation_rate       # sundew.py:108
        proportional = self.kp * error                                       # sundew.py:109
        if 0.5 < self.activation_threshold < 10.0:                           # sundew.py:112: the CURRENT θ
            self.integral_error += error                                     # sundew.py:113
            self.integral_error = max(-100, min(100, self.integral_error))   # sundew.py:114
        else:
            self.integral_error *= 0.90                                      # sundew.py:116
        new_threshold = (self.activation_threshold + proportional            # sundew.py:119: the NEW integral
                         + self.ki * self.integral_error)
        self.activation_threshold = max(0.5, min(10.0, new_threshold))       # sundew.py:120
        row = (theta, current_activation_rate, self.activation_rate_ema, error,
               self.integral_error, self.activation_threshold, passed, num_active)
        return active, passed, row


# --------------------------------------------------------------------------- seedCIFAR

class UpstreamKaggleSundew:
    """kaggle.py, SundewAlgorithm with the SundewConfig of BatchedAdaptiveSparseTrainer."""

    def __init__(self, target, rng, temperature=0.15, max_energy=100.0, theta=0.50, ema=None,
                 integral=0.0, total_processed=0, total_activated=0, energy=None):
        self.rng = rng
        self.target_activation_rate = target            # kaggle.py: target_rate (config, default 0.10)
        self.threshold = theta                          # activation_threshold=0.50
        self.gate_temperature = temperature             # gate_temperature=0.15
        self.max_energy = max_energy                    # max_energy=100.0
        self.adapt_kp = 0.0015                          # adapt_kp=0.0015
        self.adapt_ki = 0.00005                         # adapt_ki=0.00005
        self.energy = max_energy if energy is None else energy   # __init__: self.energy = max_energy
        self.integral_error = integral
        self.total_processed = total_processed
        self.total_activated = total_activated
        self.threshold_ema_alpha = 0.3                  # __init__: threshold_ema_alpha = 0.3
        self.activation_rate_ema = target if ema is None else ema  # __init__: initialised to target

    def random(self):          # np.random.random()
        return unit(self.rng)

    def uniform(self, low, high):   # np.random.uniform(low, high) = low + (high - low) * random()
        return low + (high - low) * unit(self.rng)

    def process_batch(self, significance_scores):
        batch_size = len(significance_scores)
        gate_decisions = [False] * batch_size
        for i in range(batch_size):
            significance = significance_scores[i]
            activated = False
            # kaggle.py process_batch: `if significance > self.threshold:` — the draw is made
            # only then. DEVIATION: a non-finite score never passes (+inf would).
            if is_finite(significance) and significance > self.threshold:
                gate_prob = 1.0 / (1.0 + math.exp(-(significance - self.threshold) / self.gate_temperature))
                if self.random() < gate_prob and self.energy > 10.0:
                    self.energy -= 10.0
                    activated = True
            regen = self.uniform(1.0, 3.0)                   # dormancy_regen=(1.0, 3.0), every sample
            self.energy = min(self.max_energy, self.energy + regen)
            gate_decisions[i] = activated
        num_activated = sum(gate_decisions)
        self.total_processed += batch_size                   # every row, NaN included
        self.total_activated += num_activated
        return gate_decisions

    def update_threshold(self):
        if self.total_processed == 0:
            return None
        activation_rate = self.total_activated / self.total_processed
        self.activation_rate_ema = (
            self.threshold_ema_alpha * activation_rate
            + (1 - self.threshold_ema_alpha) * self.activation_rate_ema
        )
        error = self.activation_rate_ema - self.target_activation_rate
        proportional = self.adapt_kp * error
        # The integral BEFORE this step's update enters the output.
        new_threshold = self.threshold + proportional + self.adapt_ki * self.integral_error
        if 0.01 < new_threshold < 0.99:                      # the test is on the unclamped output
            self.integral_error += error
            self.integral_error = max(-50, min(50, self.integral_error))
        else:
            self.integral_error *= 0.90
        self.threshold = max(0.0, min(1.0, new_threshold))
        return activation_rate, error

    def train_batch(self, scores):
        """One batch of train_epoch: gate, update the threshold, then the fallback."""
        theta = self.threshold
        decisions = self.process_batch(scores)
        rate, error = self.update_threshold()
        passed_rows = [i for i, d in enumerate(decisions) if d]
        selected = list(passed_rows)
        if len(passed_rows) == 0:
            # train_epoch: `if num_active == 0`: min(2, batch_size) random rows, NOT added to
            # total_activated (the cumulative rate). DEVIATION: non-finite rows are not picked.
            # The stream is consumed as the Swift fallback consumes it (see the module doc).
            pool = [i for i, s in enumerate(scores) if is_finite(s)]
            for p in range(min(min(2, len(scores)), len(pool))):
                j = p + next_upper_bound(self.rng, len(pool) - p)
                pool[p], pool[j] = pool[j], pool[p]
                selected.append(pool[p])
        row = (theta, rate, self.activation_rate_ema, error, self.integral_error, self.threshold,
               len(passed_rows), len(selected))
        return selected, row


# --------------------------------------------------------------------------- golden cases

NAN = float("nan")
INF = float("inf")


def package_cases():
    rnd = random.Random(20261201)
    cases = []
    # From the initial state, batch 20: ties at θ = 3.0 exactly (3.0 does not pass), the
    # fallback topping up to max(2, 2) = 2, and a mix of counts.
    batches = [
        [3.0] * 20,
        [3.0] * 10 + [3.5] * 3 + [1.0] * 7,
        [float(x) for x in range(20)],
        [3.0000000000000004, 3.0, 2.9999999999999996] + [0.5] * 17,
    ] + [[rnd.lognormvariate(0.5, 1.0) for _ in range(20)] for _ in range(16)]
    cases.append(dict(name="packageFromStart", preset="seedPackage", target=0.1, batches=batches))
    # Upper bound: θ starts just below 10 with a wound-up integral; every score above 10 until θ
    # is pinned (decay branch, θ_new from the decayed integral), then B = 25 batches of low
    # scores whose fallback floor (2/25 = 8 %) lies below target, so θ leaves the bound.
    batches = [[11.0 + k for k in range(25)] for _ in range(4)] + [[0.1] * 25 for _ in range(80)]
    cases.append(dict(name="packageUpperBound", preset="seedPackage", target=0.1, batches=batches,
                      start=dict(theta=9.999, ema=0.5, integral=95.0)))
    # Lower bound: θ near 0.5 and a negative integral; nothing passes, the floor sits below target.
    batches = [[0.2] * 25 for _ in range(30)] + [[5.0] * 25 for _ in range(10)]
    cases.append(dict(name="packageLowerBound", preset="seedPackage", target=0.1, batches=batches,
                      start=dict(theta=0.52, ema=0.05, integral=-90.0)))
    # Batch sizes 1 and 2, NaN and inf rows, an all-NaN batch.
    batches = [[4.0], [1.0], [2.0, 3.5], [1.0, 1.0], [NAN] * 10, [NAN, 5.0, INF, 1.0, -INF, 2.0],
               [INF] * 4, [3.1, NAN, 3.2], [1.0]]
    cases.append(dict(name="packageSmallAndNonFinite", preset="seedPackage", target=0.2, batches=batches))
    return cases


def cifar_cases():
    rnd = random.Random(7)
    cases = []
    # The preset itself (T 0.15, the energy bucket binds) with the same xoshiro256** words on
    # both sides: batch 32 of uniform scores, including batches where nothing passes.
    batches = [[rnd.random() for _ in range(32)] for _ in range(24)]
    batches[5] = [0.1 * rnd.random() for _ in range(32)]
    batches[6] = [0.2] * 32
    cases.append(dict(name="cifarPreset", preset="seedCIFAR", target=0.1, seed=11, batches=batches))
    # Upper bound: θ near 0.99 with a high cumulative rate; scores near 1.
    batches = [[0.97 + 0.03 * rnd.random() for _ in range(16)] for _ in range(30)]
    cases.append(dict(name="cifarUpperBound", preset="seedCIFAR", target=0.1, seed=12, batches=batches,
                      start=dict(theta=0.985, ema=0.6, integral=40.0, processed=100, activated=60)))
    # Lower bound: θ near 0.01, nothing passes, the uncounted fallback fires every batch.
    batches = [[0.001 * rnd.random() for _ in range(16)] for _ in range(30)]
    cases.append(dict(name="cifarLowerBound", preset="seedCIFAR", target=0.1, seed=13, batches=batches,
                      start=dict(theta=0.015, ema=0.02, integral=-40.0, processed=1000, activated=20)))
    # Deterministic set-up (any random stream gives the same result): a temperature so small
    # that σ is exactly 1 above θ, and a bucket that never binds. Ties at θ = 0.5, batch sizes
    # 1 and 2, NaN and inf, an all-NaN batch.
    batches = [[0.5] * 8, [0.5, 0.50000000000000011, 0.49999999999999994, 0.9], [0.7], [0.1],
               [0.2, 0.8], [NAN] * 6, [NAN, 0.9, INF, 0.2, -INF], [0.6] * 3,
               ] + [[rnd.random() for _ in range(10)] for _ in range(12)]
    cases.append(dict(name="cifarDeterministic", preset="seedCIFAR", target=0.1, seed=14, batches=batches,
                      temperature=1e-300, capacity=1e12))
    return cases


def run_case(case):
    s = case.get("start", {})
    rows = []
    if case["preset"] == "seedPackage":
        ctl = UpstreamSundewPackage(case["target"], theta=s.get("theta", 3.0), ema=s.get("ema"),
                                    integral=s.get("integral", 0.0))
        for batch in case["batches"]:
            rows.append(ctl.select_samples(batch)[2])
    else:
        ctl = UpstreamKaggleSundew(case["target"], Xoshiro256StarStar(case["seed"]),
                                   temperature=case.get("temperature", 0.15),
                                   max_energy=case.get("capacity", 100.0), theta=s.get("theta", 0.5),
                                   ema=s.get("ema"), integral=s.get("integral", 0.0),
                                   total_processed=s.get("processed", 0), total_activated=s.get("activated", 0))
        for batch in case["batches"]:
            rows.append(ctl.train_batch(batch)[1])
    return rows


def swift_double(x):
    if math.isnan(x):
        return ".nan"
    if math.isinf(x):
        return ".infinity" if x > 0 else "-.infinity"
    return repr(float(x))


def emit_swift():
    out = []
    out.append("// Generated by Scripts/golden/upstream_reference.py from the upstream seed code; do not edit.")
    out.append("//     python3 Scripts/golden/upstream_reference.py swift > Tests/PIControlTests/UpstreamGoldenData.swift")
    out.append("// Rows: (gating θ, observed rate, EMA, error, integral, next θ, passed, selected).")
    out.append("")
    out.append("enum UpstreamGolden {")
    out.append("    static let cases: [UpstreamCase] = [")
    for case in package_cases() + cifar_cases():
        rows = run_case(case)
        s = case.get("start", {})
        start = "nil"
        if s:
            start = ("UpstreamStart(threshold: {}, ema: {}, integral: {}, processed: {}, activated: {})"
                     .format(swift_double(s["theta"]), swift_double(s["ema"]), swift_double(s["integral"]),
                             s.get("processed", 0), s.get("activated", 0)))
        out.append("        UpstreamCase(")
        out.append(f"            name: \"{case['name']}\", preset: .{case['preset']}, target: {case['target']}, "
                   f"seed: {case.get('seed', 1)},")
        out.append(f"            temperature: {swift_double(case['temperature']) if 'temperature' in case else 'nil'}, "
                   f"energyCapacity: {swift_double(case['capacity']) if 'capacity' in case else 'nil'}, start: {start},")
        out.append("            batches: [")
        for batch in case["batches"]:
            out.append("                [" + ", ".join(swift_double(x) for x in batch) + "],")
        out.append("            ],")
        out.append("            expected: [")
        for r in rows:
            out.append("                (" + ", ".join(swift_double(x) for x in r[:6]) + f", {r[6]}, {r[7]}),")
        out.append("            ]),")
    out.append("    ]")
    out.append("}")
    print("\n".join(out))


# --------------------------------------------------------------------------- replay check

def close(a, b, tol=1e-12):
    return a == b or abs(a - b) <= tol * max(abs(a), abs(b))


def replay(binary, trace, directory, name, arguments):
    """Writes `trace` as a batch,score CSV, runs `ast replay` on it and returns its trace.csv rows."""
    path = os.path.join(directory, name + ".csv")
    with open(path, "w") as f:
        f.write("batch,score\n")
        for b, batch in enumerate(trace):
            for x in batch:
                f.write(f"{b},{'nan' if math.isnan(x) else repr(x)}\n")
    out = os.path.join(directory, name + "-out")
    subprocess.run([binary, "replay", path] + arguments + ["--out", out], check=True, stdout=subprocess.DEVNULL)
    with open(os.path.join(out, "trace.csv")) as f:
        header = f.readline().strip().split(",")
        return [dict(zip(header, line.strip().split(","))) for line in f if line.strip()]


def follows_upstream(label, got, trace, upstream_row):
    """Every step of `ast replay`'s rows against the oracle's: the same selected count, and θ,
    EMA and integral within 1e-12. `upstream_row(batch)` advances the oracle one batch."""
    if len(got) != len(trace):
        print(f"{label}: {len(got)} rows, expected {len(trace)}")
        return False
    for k, batch in enumerate(trace):
        theta, _, ema, _, integral, _, _, selected = upstream_row(batch)
        g = got[k]
        if not (int(g["selected"]) == selected and close(float(g["threshold"]), theta)
                and close(float(g["ema"]), ema) and close(float(g["integral"]), integral)):
            print(f"{label} step {k}: ast {g}, upstream θ={theta!r} ema={ema!r} I={integral!r} n={selected}")
            return False
    print(f"{label}: {len(trace)} batches, every step as upstream")
    return True


def check_replay(binary):
    """Runs `ast replay --preset seedPackage` over random traces and compares every step."""
    failures = 0
    rnd = random.Random(42)
    traces = []
    # Lognormal scores around the preset's range, a slow drift, batch 64, and a trace that
    # pins θ at each bound.
    traces.append([[rnd.lognormvariate(0.8 + 0.002 * k, 0.9) for _ in range(64)] for k in range(600)])
    traces.append([[rnd.uniform(10, 20) for _ in range(32)] for _ in range(200)]
                  + [[rnd.uniform(0, 0.4) for _ in range(32)] for _ in range(400)])
    traces.append([[rnd.choice([NAN, 2.5, 3.0, 3.5, rnd.random() * 6]) for _ in range(rnd.randint(1, 40))]
                   for _ in range(300)])
    with tempfile.TemporaryDirectory() as tmp:
        for t, trace in enumerate(traces):
            got = replay(binary, trace, tmp, f"trace{t}", ["--preset", "seedPackage", "--target", "0.1"])
            ctl = UpstreamSundewPackage(0.1)
            if not follows_upstream(f"trace {t}", got, trace, lambda batch: ctl.select_samples(batch)[2]):
                failures += 1
        failures += check_cifar_replay(binary, tmp, rnd)
    if failures:
        print(f"seed replay fidelity: {failures} of {len(traces) + 1} traces differ from the upstream law")
    else:
        print(f"seed replay fidelity: all {len(traces) + 1} traces follow the upstream law")
    return failures


def check_cifar_replay(binary, tmp, rnd):
    """seedCIFAR through `ast replay --gains` in the deterministic set-up (temperature 1e-300,
    a bucket that never binds), where the random streams cannot change the outcome."""
    import json
    presets = json.loads(subprocess.run([binary, "presets", "--json"], check=True,
                                        capture_output=True, text=True).stdout)
    configuration = presets["seedCIFAR"]
    configuration["gate"]["rule"]["sigmoid"]["temperature"] = 1e-300
    configuration["gate"]["energyBudget"]["capacity"] = 1e12
    gains = os.path.join(tmp, "cifar-gains.json")
    with open(gains, "w") as f:
        json.dump({"format": "ast-gains/1", "law": "sundewIncremental", "configuration": configuration}, f)
    trace = [[rnd.betavariate(2, 5 + 0.01 * k) for _ in range(48)] for k in range(500)]
    got = replay(binary, trace, tmp, "cifar-trace", ["--gains", gains])
    ctl = UpstreamKaggleSundew(configuration["target"], Xoshiro256StarStar(1), temperature=1e-300, max_energy=1e12)
    ok = follows_upstream("seedCIFAR (deterministic set-up)", got, trace, lambda batch: ctl.train_batch(batch)[1])
    return 0 if ok else 1


def main(argv):
    if len(argv) >= 2 and argv[1] == "swift":
        emit_swift()
        return 0
    if len(argv) >= 3 and argv[1] == "check-replay":
        return 1 if check_replay(argv[2]) else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
