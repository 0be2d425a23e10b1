"""TNM parameters recovered from traces made by an independent implementation.

The truth here does not come from mofglass's TNM kernel (a discrete Boltzmann superposition of
the KWW function in reduced time, summed backwards). It comes from a different numerical route
written in this file: the KWW response approximated by a Prony series of 40 exponentials
(weights by non-negative least squares), each mode a first-order ODE
dTf_i/dt = (T − Tf_i)/(λ_i τ(T, Tf)), Tf = Σ w_i Tf_i, integrated forward in time by the exact
solution for a linear ramp over 0.02 K steps (predictor-corrector for τ). This is the "multi-mode" form of the TNM model (Hodge, J.
Non-Cryst. Solids 169 (1994) 211, section 3). The two share only the equations.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.optimize import nnls

from mofglass.models.program import Segment, TemperatureProgram
from mofglass.models.relaxation import TNMParameters
from mofglass.models.relaxation_fit import HeatCapacityCurve, fit_relaxation

K0 = 273.15


def _prony_kww(beta: float, n: int = 40) -> tuple[np.ndarray, np.ndarray]:
    lam = np.logspace(-6, 3, n)
    s = np.logspace(-7, 3.5, 600)
    target = np.exp(-(s**beta))
    design = np.exp(-s[:, None] / lam[None, :])
    w, _ = nnls(design, target)
    assert np.max(np.abs(design @ w - target)) < 2e-3  # the Prony series is a good KWW
    return lam, w


def _advance(y: np.ndarray, theta: np.ndarray, Ta: float, rate: float, dt: float) -> np.ndarray:
    """Exact step of dy/dt = (T − y)/θ for T = Ta + rate·t and constant θ."""
    return Ta + rate * dt - rate * theta + (y - Ta + rate * theta) * np.exp(-dt / theta)


def _independent_cpn(
    h_K: float, ln_a: float, x: float, beta: float, program: TemperatureProgram
) -> tuple[np.ndarray, np.ndarray]:
    """Cpn = dTf/dT on the last segment, by the Prony-series (multi-mode) route.

    Each mode obeys dTf_i/dt = (T − Tf_i)/θ_i with θ_i = λ_i τ(T, Tf). Over a step in which T
    is a linear ramp T0 + r t and θ_i is held at its midpoint value (predictor-corrector), the
    exact solution is Tf_i = T − r θ_i + (Tf_i0 − T0 + r θ_i) exp(−Δt/θ_i).
    """
    lam, w = _prony_kww(beta)
    keep = w > 1e-8
    lam, w = lam[keep], w[keep] / w[keep].sum()
    step_K = 0.02
    y = np.full(lam.size, program.start_C + K0)
    T0 = program.start_C + K0
    out_T, out_tf = [], []
    for k, seg in enumerate(program.segments):
        T1 = seg.end_C + K0
        n = max(1, round(abs(T1 - T0) / step_K))
        rate = math.copysign(abs(seg.rate_K_min) / 60.0, T1 - T0)  # K/s
        dt = abs(T1 - T0) / n / abs(rate)
        last = k == len(program.segments) - 1
        for i in range(n):
            Ta = T0 + (T1 - T0) * i / n
            tau_a = math.exp(ln_a + x * h_K / Ta + (1 - x) * h_K / float(w @ y))

            y_pred = _advance(y, lam * tau_a, Ta, rate, dt)
            Tm = Ta + 0.5 * rate * dt
            tf_mid = 0.5 * (float(w @ y) + float(w @ y_pred))
            tau_m = math.exp(ln_a + x * h_K / Tm + (1 - x) * h_K / tf_mid)
            y = _advance(y, lam * tau_m, Ta, rate, dt)
            if last:
                out_T.append(Ta + rate * dt)
                out_tf.append(float(w @ y))
        T0 = T1
    T = np.asarray(out_T)
    return T - K0, np.gradient(np.asarray(out_tf), T)


@pytest.mark.slow
def test_tnm_parameters_recovered_from_independent_traces():
    tg_C, m_true = 100.0, 80.0
    truth = TNMParameters.from_fragility(tg_C, m_true, x=0.45, beta=0.55)
    curves = []
    for q in (1.0, 10.0, 40.0):  # different cooling rates, one heating rate
        prog = TemperatureProgram(
            tg_C + 60.0, (Segment(tg_C - 60.0, q), Segment(tg_C + 40.0, 10.0))
        )
        T, cpn = _independent_cpn(truth.activation_K, truth.ln_A_s, 0.45, 0.55, prog)
        sel = (T > tg_C - 40.0) & (T < tg_C + 35.0)
        curves.append(HeatCapacityCurve(prog, T[sel][::8], cpn[sel][::8], sigma=0.01))
    start = TNMParameters.from_fragility(tg_C + 5.0, 60.0, x=0.65, beta=0.75)
    fit = fit_relaxation(curves, start=start)
    assert fit.converged, fit.message
    assert fit.rms < 0.01  # the independent traces are reproduced
    assert fit.parameters.x == pytest.approx(0.45, abs=0.03)
    assert fit.parameters.beta == pytest.approx(0.55, abs=0.03)
    assert fit.parameters.activation_K == pytest.approx(truth.activation_K, rel=0.05)
    # fragility m = Δh/(R T100 ln10); the truth's τ(Tg) differs from 100 s, so compare the
    # Δh-based fragility at the fit's own T100 with the truth's at the same temperature
    m_truth_at_t100 = truth.activation_K / (fit.values["t100_K"] * math.log(10))
    assert fit.fragility_m == pytest.approx(m_truth_at_t100, rel=0.05)
    assert fit.fragility_m_se > 0
    assert abs(fit.fragility_m - m_truth_at_t100) < 3 * fit.fragility_m_se + 0.05 * m_true


def test_fit_refuses_unknown_parameters_and_empty_input():
    start = TNMParameters.from_fragility(100.0, 60.0)
    with pytest.raises(ValueError, match="at least one"):
        fit_relaxation([], start=start)
    prog = TemperatureProgram(160.0, (Segment(40.0, 10.0), Segment(140.0, 10.0)))
    curve = HeatCapacityCurve(prog, np.array([100.0]), np.array([0.5]))
    with pytest.raises(ValueError, match="cannot fit"):
        fit_relaxation([curve], start=start, free=("fragility",))
