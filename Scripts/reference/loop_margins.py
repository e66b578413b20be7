#!/usr/bin/env python3
"""Reference values for Tests/ASTSimTests/LoopMarginsTests.swift and StepInfoTests.swift.

Computes, with python-control (pip install control; tested with 0.10.2), the margins, poles and
damping of the discrete loop transfer functions that ASTSim's LoopTransferFunction builds, and
step_info on a fixed trace. python-control is NOT a test dependency: run this by hand and paste
the printed values into the tests.

    python3 Scripts/reference/loop_margins.py

The loop, per batch (dt = 1), with plant gain g = -dR/dtheta, EMA weight a, b = 1 - a:
  EMA            E(z) = a z / (z - b)
  velocity PI    C(z) = ((Kp + Ki) z - Kp) / (z (z - 1))        (positional PI: the same)
  sundewIncr.    C(z) = ((Kp + Ki) z - Kp) / (z - 1)^2
  cumulative w   M(z) = w z / (z - (1 - w))                       (frozen-time, weight w = 1/k)
  L(z) = g M(z) E(z) C(z), negative feedback: closed loop 1 + L(z) = 0.
"""
import numpy as np
import control

np.set_printoptions(precision=17)


def loop(law, kp, ki, alpha, g, w=None):
    beta = 1 - alpha
    z = control.tf([1, 0], [1], dt=1)
    ema = alpha * z / (z - beta)
    if law == "sundewIncremental":
        ctrl = ((kp + ki) * z - kp) / ((z - 1) * (z - 1))
    else:  # velocity and positional share one transfer function
        ctrl = ((kp + ki) * z - kp) / (z * (z - 1))
    L = g * ema * ctrl
    if w is not None:
        L = L * (w * z / (z - (1 - w)))
    return control.minreal(L, tol=1e-12, verbose=False)


CASES = [
    # name, law, Kp, Ki, alpha, g, w
    ("hand: velocity a=1 Kp=0", "velocity", 0.0, 0.5, 1.0, 0.8, None),
    ("velocityPI g=0.05", "velocity", 1.0, 0.5, 0.5, 0.05, None),
    ("velocityPI g=0.5", "velocity", 1.0, 0.5, 0.5, 0.5, None),
    ("incrementalClamped g=0.05", "sundewIncremental", 0.05, 0.002, 0.3, 0.05, None),
    ("seedPackage g=0.05", "sundewIncremental", 0.005, 0.0001, 0.1, 0.05, None),
    ("positional Kp=2 Ki=0.2 a=0.5 g=0.8", "positional", 2.0, 0.2, 0.5, 0.8, None),
    ("seedCIFAR-gains cumulative w=0.01 g=1.2", "sundewIncremental", 0.0015, 0.00005, 0.3, 1.2, 0.01),
]

for name, law, kp, ki, alpha, g, w in CASES:
    L = loop(law, kp, ki, alpha, g, w)
    gm, pm, sm, wpc, wgc, wms = control.stability_margins(L, returnall=True)
    cl = control.feedback(L, 1)
    wn, zeta, poles = control.damp(cl, doprint=False)
    print(f"== {name}")
    print("   L num", np.array(L.num[0][0]).tolist(), "den", np.array(L.den[0][0]).tolist())
    print("   gm (all)", np.asarray(gm).tolist(), "at w", np.asarray(wpc).tolist())
    print("   pm (all)", np.asarray(pm).tolist(), "at w", np.asarray(wgc).tolist())
    print("   sm", np.asarray(sm).tolist())
    # Independent of python-control's margin search: min |1 + L| on a dense grid (numpy), and the
    # largest closed-loop pole modulus at the gain margin at z = -1, GM = -1/L(-1) when L(-1) < 0.
    w = np.concatenate([np.logspace(-7, -2, 200000), np.linspace(1e-2, np.pi, 2000000)])
    num, den = np.array(L.num[0][0]), np.array(L.den[0][0])
    Lw = np.polyval(num, np.exp(1j * w)) / np.polyval(den, np.exp(1j * w))
    print("   sm (numpy dense grid)", float(np.min(np.abs(1 + Lw))))
    L_nyquist = np.polyval(num, -1.0) / np.polyval(den, -1.0)
    if L_nyquist < 0:
        gm_nyquist = -1 / L_nyquist
        edge = control.feedback(gm_nyquist * L, 1)
        print("   GM at z=-1", float(gm_nyquist), "max |pole| of feedback(GM*L)", float(np.max(np.abs(control.poles(edge)))))
    order = np.argsort(-np.abs(poles))
    for i in order:
        p = poles[i]
        print(f"   pole {p.real:.17g} {p.imag:+.17g}j |p| {abs(p):.17g} wn {wn[i]:.17g} zeta {zeta[i]:.17g}")

# step_info on a second-order discrete response from rest (y0 = 0) towards 1: the conventions of
# python-control and ASTSim.StepInfo agree here (start at 0, positive final value, time = index).
sys = control.tf([0.2, 0.1], [1, -1.1, 0.4], dt=1)   # dc gain (0.3)/(0.3) = 1
T = np.arange(0, 60)
resp = control.step_response(sys, T)
y = np.asarray(resp.outputs)
print("== step trace y[k] = step response of (0.2 z + 0.1)/(z^2 - 1.1 z + 0.4), k = 0..59")
print("   y[0:8]", y[:8].tolist())
info = control.step_info(y, T, yfinal=1.0)
for key in ["RiseTime", "SettlingTime", "SettlingMin", "SettlingMax", "Overshoot", "Undershoot", "Peak", "PeakTime", "SteadyStateValue"]:
    print(f"   {key} {info[key]!r}")
# A response with an initial undershoot (non-minimum-phase zero).
sys2 = control.tf([-0.3, 0.5], [1, -1.2, 0.4], dt=1)  # dc gain 0.2/0.2 = 1
resp2 = control.step_response(sys2, T)
y2 = np.asarray(resp2.outputs)
print("== step trace 2: (-0.3 z + 0.5)/(z^2 - 1.2 z + 0.4), k = 0..59")
info2 = control.step_info(y2, T, yfinal=1.0)
for key in ["RiseTime", "SettlingTime", "SettlingMin", "SettlingMax", "Overshoot", "Undershoot", "Peak", "PeakTime", "SteadyStateValue"]:
    print(f"   {key} {info2[key]!r}")
