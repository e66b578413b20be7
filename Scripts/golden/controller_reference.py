#!/usr/bin/env python3
"""Independent reference implementation of the PIControl threshold controller.

Written from the equations in Sources/PIControl/PIControl.docc/PIControl.md and the doc
comments of Sources/PIControl (not from the Swift code's output), in plain Python floats (IEEE-754 doubles, like Swift's Double). It prints
the expected values that Tests/PIControlTests/Golden*.swift compare against.

Usage:
    python3 Scripts/golden/controller_reference.py            # every section
    python3 Scripts/golden/controller_reference.py velocityPI  # one section

The seed presets have their own oracle, transcribed from the upstream code:
Scripts/golden/upstream_reference.py. This file covers the textbook laws and schemes.

Sections: positionalPI, positionalConditional,
velocityPI, velocityClamped, backCalculation, xoshiro.

Semantics reproduced (one batch k):
  * observed rate r_k: per batch n/B, or cumulative Σn/ΣB (rates fed directly are clamped
    to [0, 1] and averaged under the cumulative rule);
  * EMA m_k = α r_k + (1 − α) m_{k−1}, m_0 = target; e_k = m_k − target, zeroed when
    |e_k| < deadband;
  * laws: sundewIncremental u = θ_k + Kp e + Ki I; positional u = θ_ref + Kp e + Ki I;
    velocity u = θ_k + Kp (e_k − e_{k−1}) + Ki e_k (I tracked but unused);
  * anti-windup with I⁺ = I + e: none, clamp(±b), conditional (if u(I⁺) is
    beyond a bound and e pushes further out, keep I_old and recompute u), backCalculation
    (I ← I⁺ + Kb (clamp(u) − u) with u = u(I⁺));
  * θ_{k+1} = clamp(u, lo, hi);
  * gate, per finite score in batch order: hard s > θ; sigmoid draws U first (one uniform for
    every finite score) and passes if U < σ((s − θ)/T) (and s > θ for the seed scope);
    energy bucket: if it passes and energy > cost, spend cost, else reject; then
    energy = min(capacity, energy + lower + width·U) with a second uniform;
  * uniform U = (w >> 11) · 2⁻⁵³ for a 64-bit word w;
  * random fallback: partial Fisher–Yates over the finite, non-passed indices in batch
    order, position p swapped with p + next(upperBound: remaining), where next(upperBound:)
    is Swift's stdlib Lemire multiply-shift with rejection;
  * fallback size min(B, max(minimumCount, ⌊fraction·B⌋)) over finite scores; `noneSelected`
    fires only when nothing passed, `belowMinimum` tops up to the minimum.
"""

import math
import sys

MASK64 = (1 << 64) - 1


# ----------------------------------------------------------------------------- randomness

class StubWords:
    """Returns a fixed list of 64-bit words, cycling."""

    def __init__(self, words):
        self.words = list(words)
        self.index = 0
        self.consumed = 0

    def next(self):
        w = self.words[self.index % len(self.words)]
        self.index += 1
        self.consumed += 1
        return w


def unit(rng):
    return (rng.next() >> 11) * 2.0 ** -53


LEMIRE_REJECTIONS = [0]


def next_upper_bound(rng, n):
    """Swift stdlib RandomNumberGenerator.next(upperBound:) for UInt64 (Lemire)."""
    assert n > 0
    w = rng.next()
    m = w * n
    low, high = m & MASK64, m >> 64
    if low < n:
        t = ((1 << 64) - n) % n
        while low < t:
            LEMIRE_REJECTIONS[0] += 1
            w = rng.next()
            m = w * n
            low, high = m & MASK64, m >> 64
    return high


class Xoshiro256StarStar:
    """xoshiro256** seeded by four SplitMix64 outputs (Vigna's reference algorithms)."""

    def __init__(self, seed):
        x = seed & MASK64
        s = []
        for _ in range(4):
            x = (x + 0x9E3779B97F4A7C15) & MASK64
            z = x
            z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
            s.append(z ^ (z >> 31))
        self.s = s

    @staticmethod
    def rotl(x, k):
        return ((x << k) | (x >> (64 - k))) & MASK64

    def next(self):
        s = self.s
        result = (self.rotl((s[1] * 5) & MASK64, 7) * 9) & MASK64
        t = (s[1] << 17) & MASK64
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = self.rotl(s[3], 45)
        return result


# ----------------------------------------------------------------------------- controller

class Config:
    def __init__(self, target, law, kp, ki, alpha, theta0, lo, hi, antiwindup,
                 measurement="perBatch", deadband=0.0, reference=None,
                 gate=("hard",), budget=None, fallback=None):
        self.target = target
        self.law = law                  # "incremental" | "positional" | "velocity"
        self.reference = reference
        self.kp, self.ki, self.alpha = kp, ki, alpha
        self.deadband = deadband
        self.theta0, self.lo, self.hi = theta0, lo, hi
        self.antiwindup = antiwindup    # ("none",) ("clamp", b) ("conditional",) ...
        #                                 ("conditional",) ("backCalculation", kb)
        self.measurement = measurement
        self.gate = gate                # ("hard",) | ("sigmoid", T, "aboveThreshold"|"everywhere")
        self.budget = budget            # (capacity, cost, lower, upper) or None
        self.fallback = fallback        # (minCount, fraction, trigger, choice, counts) or None


def clamp(x, lo, hi):
    return min(hi, max(lo, x))


class Controller:
    def __init__(self, cfg, theta=None, ema=None, integral=0.0, previous_error=0.0):
        self.c = cfg
        self.theta = cfg.theta0 if theta is None else theta
        self.ema = cfg.target if ema is None else ema
        self.integral = integral
        self.previous_error = previous_error
        self.sum_selected = 0.0
        self.sum_seen = 0.0
        self.energy = cfg.budget[0] if cfg.budget else 0.0

    # --- measurement entry points
    def update_rate(self, rate):
        r = clamp(rate, 0.0, 1.0)
        self.sum_selected += r
        self.sum_seen += 1.0
        return self._advance(r)

    def update_counts(self, n, batch):
        self.sum_selected += float(n)
        self.sum_seen += float(batch)
        return self._advance(float(n) / float(batch))

    # --- the law
    def _advance(self, batch_rate):
        c = self.c
        theta_k = self.theta
        r = batch_rate if c.measurement == "perBatch" else self.sum_selected / self.sum_seen
        m = c.alpha * r + (1.0 - c.alpha) * self.ema
        e = m - c.target
        if abs(e) < c.deadband:
            e = 0.0

        def u_of(integral):
            if c.law == "incremental":
                return theta_k + c.kp * e + c.ki * integral
            if c.law == "positional":
                return c.reference + c.kp * e + c.ki * integral
            if c.law == "velocity":
                return theta_k + c.kp * (e - self.previous_error) + c.ki * e
            raise ValueError(c.law)

        i_plus = self.integral + e
        kind = c.antiwindup[0]
        if kind == "none":
            new_i = i_plus
            u = u_of(new_i)
        elif kind == "clamp":
            b = c.antiwindup[1]
            new_i = clamp(i_plus, -b, b)
            u = u_of(new_i)
        elif kind == "conditional":
            new_i = i_plus
            u = u_of(new_i)
            if (u > c.hi and e > 0) or (u < c.lo and e < 0):
                new_i = self.integral
                u = u_of(new_i)
        elif kind == "backCalculation":
            kb = c.antiwindup[1]
            u = u_of(i_plus)
            new_i = i_plus + kb * (clamp(u, c.lo, c.hi) - u)
        else:
            raise ValueError(kind)

        nxt = clamp(u, c.lo, c.hi)
        self.ema = m
        self.integral = new_i
        self.previous_error = e
        self.theta = nxt
        return (theta_k, r, m, new_i, nxt)

    # --- gating a batch of scores
    def select(self, scores, rng, margins):
        c = self.c
        theta = self.theta
        selected = []
        finite = 0
        for i, s in enumerate(scores):
            if not math.isfinite(s):
                continue
            finite += 1
            if c.gate[0] == "hard":
                passes = s > theta
            else:
                _, temperature, scope = c.gate
                u = unit(rng)
                p = 1.0 / (1.0 + math.exp(-((s - theta) / temperature)))
                margins["sigmoid"] = min(margins.get("sigmoid", 1.0), abs(u - p))
                passes = u < p and (scope == "everywhere" or s > theta)
                margins.setdefault("drawPass", 0)
                margins.setdefault("drawFail", 0)
                if s > theta or scope == "everywhere":
                    margins["drawPass" if u < p else "drawFail"] += 1
            if c.budget:
                capacity, cost, lower, upper = c.budget
                if passes:
                    margins["energy"] = min(margins.get("energy", 1e9), abs(self.energy - cost))
                    if self.energy > cost:
                        self.energy -= cost
                    else:
                        passes = False
                        margins["energyRejects"] = margins.get("energyRejects", 0) + 1
                self.energy = min(capacity, self.energy + lower + (upper - lower) * unit(rng))
            if passes:
                selected.append(i)
        passed = len(selected)
        if c.fallback and finite > 0:
            min_count, fraction, trigger, choice, counts = c.fallback
            minimum = min(finite, max(min_count, int(math.floor(fraction * finite))))
            wanted = (minimum if passed == 0 else passed) if trigger == "noneSelected" \
                else max(passed, minimum)
            if wanted > passed:
                extra = wanted - passed
                taken = set(selected)
                if choice == "highestScores":
                    pool = [i for i, s in enumerate(scores) if math.isfinite(s) and i not in taken]
                    pool.sort(key=lambda i: (-scores[i], i))
                    selected.extend(pool[:extra])
                else:
                    pool = [i for i, s in enumerate(scores) if math.isfinite(s) and i not in taken]
                    for p in range(min(extra, len(pool))):
                        j = p + next_upper_bound(rng, len(pool) - p)
                        pool[p], pool[j] = pool[j], pool[p]
                        selected.append(pool[p])
        else:
            counts = True
        step = None
        if finite > 0:
            counted = len(selected) if counts else passed
            step = self.update_counts(counted, finite)
        return selected, passed, step


# ----------------------------------------------------------------------------- presets

def positional_pi(target):
    return Config(target, "positional", 1.0, 0.2, 0.5, 1.0, 0.0, 10.0, ("conditional",),
                  reference=1.0)


def velocity_pi(target):
    return Config(target, "velocity", 1.0, 0.5, 0.5, 1.0, 0.0, 10.0, ("clamp", 100.0))


# ----------------------------------------------------------------------------- output

def fmt(x):
    return repr(float(x))


def print_steps(name, steps):
    print(f"// {name}: (gatingThreshold, observedRate, ema, integral, nextThreshold)")
    for st in steps:
        print("    (" + ", ".join(fmt(v) for v in st) + "),")


def section_rate_law(name, cfg, rates):
    ctl = Controller(cfg)
    print_steps(f"{name}, update(observedRate:) with rates {rates}",
                [ctl.update_rate(r) for r in rates])


POSITIONAL_RATES = [0.3, 0.05, 0.0, 0.25, 0.1, 0.1, 0.6, 0.02]
POSITIONAL_CONDITIONAL_RATES = [1.0, 1.0, 1.0, 0.6, 0.0, 0.0, 0.0, 0.0, 0.0, 0.3, 0.1, 1.0]
VELOCITY_RATES = [0.3, 0.05, 0.0, 0.25, 0.1, 0.1, 0.6, 0.02]
VELOCITY_CLAMPED_RATES = [1.0, 1.0, 0.9, 0.0, 0.0, 0.0, 0.0, 0.0, 0.2, 0.1]
BACKCALC_RATES = [0.9, 0.9, 0.9, 0.9, 0.12, 0.08, 0.0, 0.0, 0.0, 0.14, 0.5, 0.1]


def positional_conditional():
    # positional(reference: 1.0), Kp 0.8, Ki 0.3, α 0.6, bounds [0.9, 1.3], conditional
    return Config(0.1, "positional", 0.8, 0.3, 0.6, 1.0, 0.9, 1.3, ("conditional",), reference=1.0)


def velocity_clamped():
    # velocity, Kp 2.0, Ki 1.5, α 0.7, θ0 1.0, bounds [0.5, 1.6], antiWindup none
    return Config(0.2, "velocity", 2.0, 1.5, 0.7, 1.0, 0.5, 1.6, ("none",))


def back_calculation():
    # sundewIncremental, Kp 0.5, Ki 0.25, α 0.5, deadband 0.03, θ0 1.0, bounds [0.5, 1.5],
    # backCalculation(gain: 2.0)
    return Config(0.1, "incremental", 0.5, 0.25, 0.5, 1.0, 0.5, 1.5, ("backCalculation", 2.0),
                  deadband=0.03)


def section_xoshiro():
    for seed in (0, 42, 0xDEADBEEF):
        g = Xoshiro256StarStar(seed)
        words = [g.next() for _ in range(5)]
        print(f"// SeededGenerator(seed: {seed}) first 5 words")
        print("    " + ", ".join(f"0x{w:016X}" for w in words))


SECTIONS = {
    "positionalPI": lambda: section_rate_law("positionalPI(target: 0.1)", positional_pi(0.1), POSITIONAL_RATES),
    "positionalConditional": lambda: section_rate_law(
        "positional ref 1, Kp 0.8, Ki 0.3, α 0.6, [0.9, 1.3], conditional, target 0.1",
        positional_conditional(), POSITIONAL_CONDITIONAL_RATES),
    "velocityPI": lambda: section_rate_law("velocityPI(target: 0.1)", velocity_pi(0.1), VELOCITY_RATES),
    "velocityClamped": lambda: section_rate_law(
        "velocity Kp 2, Ki 1.5, α 0.7, θ0 1, [0.5, 1.6], none, target 0.2",
        velocity_clamped(), VELOCITY_CLAMPED_RATES),
    "backCalculation": lambda: section_rate_law(
        "sundewIncremental Kp 0.5, Ki 0.25, α 0.5, deadband 0.03, [0.5, 1.5], backCalculation(2), target 0.1",
        back_calculation(), BACKCALC_RATES),
    "xoshiro": section_xoshiro,
}


def main(argv):
    names = argv[1:] or list(SECTIONS)
    for name in names:
        print(f"// ===== {name}")
        SECTIONS[name]()
        print()


if __name__ == "__main__":
    main(sys.argv)
