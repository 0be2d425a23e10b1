"""Measured traces -> model inputs (closed forms), and calibration on conversion curves.

The conversion curves of the calibration test are made by an independent implementation written
here: the nucleation and growth rates from their formulas (MYEGA viscosity, Turnbull driving
force; Uhlmann, J. Non-Cryst. Solids 7 (1972) 337) and the extended volume by direct O(n²)
quadrature X_ext(t) = (4π/3) Σ_k I(t_k) Δt_k [R(t) − R(t_k)]³, not by mofglass's running-moment
kernel.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest
from scipy.special import erf

from mofglass.models.calibration import ConversionCurveObservation, calibrate
from mofglass.models.crystallisation import CrystallisationParameters
from mofglass.models.observed import conversion_from_exotherm, normalised_cp
from mofglass.models.program import Segment, TemperatureProgram
from tests.models.test_predictions import PARAMS

K0 = 273.15


@pytest.mark.parametrize("sign", [1.0, -1.0])
def test_normalised_cp_recovers_a_logistic_step(sign):
    # truth: glass line + step * logistic; Cpn must be the logistic (closed form), either sign
    T = np.linspace(50.0, 200.0, 601)
    logistic = 1.0 / (1.0 + np.exp(-(T - 120.0) / 3.0))
    q = sign * (0.5 + 0.002 * T + (0.1 + 0.0005 * T) * logistic)
    cpn = normalised_cp(T, q, glass_window_C=(50.0, 90.0), liquid_window_C=(160.0, 200.0))
    assert np.max(np.abs(cpn - logistic)) < 1e-4
    with pytest.raises(ValueError, match="window"):
        normalised_cp(T, q, glass_window_C=(300.0, 320.0), liquid_window_C=(160.0, 200.0))


def test_conversion_from_a_gaussian_exotherm():
    # truth: a Gaussian peak of area 40 J/g on a sloped baseline at 10 K/min; X(T) is
    # 0.5 [1 + erf((t − t0)/(σ√2))] times area/ΔHm (closed form). Tol 1e-3 (trapezoid).
    t = np.linspace(0.0, 1200.0, 2401)
    T = 150.0 + t / 6.0
    t0, s, area = 600.0, 60.0, 40.0
    peak = area / (s * math.sqrt(2 * math.pi)) * np.exp(-0.5 * ((t - t0) / s) ** 2)
    q = 0.02 + 1e-5 * t + peak
    Tx, X = conversion_from_exotherm(t, T, q, window_C=(160.0, 340.0), enthalpy_J_g=67.3)
    tx = (Tx - 150.0) * 6.0
    truth = (
        (
            0.5 * (1 + erf((tx - t0) / (s * math.sqrt(2))))
            - 0.5 * (1 + erf((tx[0] - t0) / (s * math.sqrt(2))))
        )
        * area
        / 67.3
    )
    assert np.max(np.abs(X - truth)) < 1e-3
    with pytest.raises(ValueError, match="positive"):
        conversion_from_exotherm(t, T, q, window_C=(160.0, 340.0), enthalpy_J_g=-1.0)


def _independent_conversion(p: CrystallisationParameters, program: TemperatureProgram):
    """X on the last segment by direct quadrature of the Avrami extended volume."""
    t_min, T_C, seg = program.sample(step_C=0.5)
    t = t_min * 60.0
    T = T_C + K0
    tg, tm = p.tg_C + K0, p.tm_C + K0
    e = p.log10_eta_inf_Pa_s

    def eta(TK):
        r = tg / TK
        return 10.0 ** (e + (12 - e) * r * np.exp((p.fragility_m / (12 - e) - 1) * (r - 1)))

    eta_m = eta(np.array([tm]))[0]
    eta_eff = eta_m * (eta(T) / eta_m) ** p.decoupling_exponent
    dg = p.melting_enthalpy_kJ_mol * 1e3 * (tm - T) / tm
    U = p.growth_site_fraction * 1.380649e-23 * T / (3 * math.pi * p.jump_distance_m**2 * eta_eff)
    U = U * (1 - np.exp(-dg / (8.314462618 * T)))
    tr, dtr = T / tm, np.clip(1 - T / tm, 1e-9, None)
    rate_i = np.exp(
        np.log(p.nucleation_prefactor) - np.log(eta(T)) - p.nucleation_barrier / (tr * dtr**2)
    )
    dt = np.diff(t, prepend=t[0])
    R = np.concatenate([[0.0], np.cumsum(0.5 * (U[1:] + U[:-1]) * np.diff(t))])
    born = rate_i * dt
    x_ext = np.array(
        [
            (4 * math.pi / 3) * np.sum(born[: n + 1] * (R[n] - R[: n + 1]) ** 3)
            for n in range(t.size)
        ]
    )
    X = p.max_fraction * (1 - np.exp(-x_ext))
    last = seg == seg[-1]
    return T_C[last], X[last]


@pytest.mark.slow
def test_calibration_on_conversion_curves_of_a_heating_rate_series():
    truth = replace(PARAMS, max_fraction=0.6)  # the TTT tests' material, saturating at 0.6
    obs = []
    for beta in (5.0, 10.0, 20.0):
        prog = TemperatureProgram(465.0, (Segment(25.0, 200.0), Segment(330.0, beta)))
        T, X = _independent_conversion(truth, prog)
        sel = (T > 180.0) & (T < 325.0)
        obs.append(
            ConversionCurveObservation(
                prog, T[sel][::6], X[sel][::6], sigma=0.01, label=f"{beta} K/min"
            )
        )
    start = CrystallisationParameters(
        455.0, 175.0, 16.6, 43.0, growth_site_fraction=1e-4, decoupling_exponent=0.3
    )
    cal = calibrate(start, obs, free=("nucleation_prefactor", "nucleation_barrier", "max_fraction"))
    assert cal.converged, cal.report()
    assert cal.parameters.max_fraction == pytest.approx(0.6, abs=0.01)
    assert math.log10(cal.parameters.nucleation_prefactor) == pytest.approx(37.0, abs=0.3)
    assert cal.parameters.nucleation_barrier == pytest.approx(1.3, abs=0.05)
    assert all(np.isfinite(cal.standard_errors))
