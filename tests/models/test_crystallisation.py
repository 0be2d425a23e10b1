"""Nucleation-and-growth model against JMAK closed forms."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.integrate import quad

from mofglass.models.crystallisation import (
    CrystallisationParameters,
    critical_cooling_rate_K_min,
    simulate_crystallisation,
)
from mofglass.models.program import Segment, TemperatureProgram

# Cd(im)2 values (paper): Tm 455 °C, Tg 175 °C, ΔHm 16.6 kJ/mol, m 43
BASE = {"tm_C": 455.0, "tg_C": 175.0, "melting_enthalpy_kJ_mol": 16.6, "fragility_m": 43.0}


def test_isothermal_jmak_closed_form():
    # constant I and U at one temperature: X = 1 - exp(-(π/3) I U^3 t^4) (Avrami n = 4)
    p = CrystallisationParameters(**BASE, nucleation_prefactor=1e40, nucleation_barrier=1.0)
    T = 300.0
    rate_I = float(p.nucleation_rate_m3_s(T))
    U = float(p.growth_rate_m_s(T))
    t_half_s = (math.log(2) * 3 / (math.pi * rate_I * U**3)) ** 0.25
    prog = TemperatureProgram(T, (Segment(T, hold_min=2 * t_half_s / 60),))
    trace = simulate_crystallisation(p, prog)
    t_s = trace.time_min * 60
    expected = 1 - np.exp(-(math.pi / 3) * rate_I * U**3 * t_s**4)
    # tol 2e-3 absolute: midpoint rule over >= 50 hold steps
    np.testing.assert_allclose(trace.fraction, expected, atol=2e-3)


def test_site_saturation_on_cooling_and_critical_rate_closed_form():
    # no nucleation, N0 seeds growing with U(T): X_final = 1 - exp(-(4π/3) N0 (G/q)^3),
    # G = ∫ U dT over the cooling range (quad), so q_c = G (4π N0 / (3 (-ln(1 - Xc))))^(1/3)
    n0 = 1e15
    p = CrystallisationParameters(**BASE, nucleation_prefactor=0.0, seeds_per_m3=n0)
    start, end = p.tm_C + 1.0, p.tg_C - 50.0
    G = quad(lambda T: float(p.growth_rate_m_s(T)), end, p.tm_C, limit=400, points=[300, 400, 440])[
        0
    ]
    for q in (5.0, 50.0):
        x = simulate_crystallisation(p, TemperatureProgram.linear(start, end, q), step_C=0.1)
        q_s = q / 60.0
        expected = 1 - math.exp(-(4 * math.pi / 3) * n0 * (G / q_s) ** 3)
        assert x.final_fraction == pytest.approx(expected, rel=2e-2, abs=1e-4)
    xc = 0.01
    qc_expected = 60.0 * G * (4 * math.pi * n0 / (3 * -math.log(1 - xc))) ** (1 / 3)
    # tol 3 %: discretisation 0.5 °C in the search plus bisection tolerance
    assert critical_cooling_rate_K_min(p, threshold_fraction=xc) == pytest.approx(
        qc_expected, rel=0.03
    )


def test_crystals_melt_above_tm_and_faster_cooling_crystallises_less():
    p = CrystallisationParameters(**BASE, nucleation_prefactor=1e30, nucleation_barrier=1.0)
    slow = simulate_crystallisation(p, TemperatureProgram.linear(460, 100, 1.0)).final_fraction
    fast = simulate_crystallisation(p, TemperatureProgram.linear(460, 100, 100.0)).final_fraction
    assert slow > fast
    prog = TemperatureProgram(460.0, (Segment(300.0, 1.0), Segment(460.0, 10.0)))
    tr = simulate_crystallisation(p, prog)
    assert tr.fraction[tr.segment == 0].max() > 0.5
    assert tr.fraction[-1] == 0.0  # melted again above Tm


def test_predicted_dsc_exotherm_area_equals_crystallisation_heat():
    # energy balance: ∫ (q + cp_glass dT/dt) dt over an isothermal-free cooling run equals
    # X_final * Δhm (J/g), Δhm = 16.6 kJ/mol / 246.556 g/mol = 67.33 J/g; tol 1 %
    from mofglass.models.dsc import GlassFormer, predict_dsc
    from mofglass.models.relaxation import TNMParameters

    cryst = CrystallisationParameters(**BASE, nucleation_prefactor=1e30, nucleation_barrier=1.0)
    relax = TNMParameters(activation_K=44372.0, ln_A_s=-93.17)
    mat = GlassFormer("Cd(im)2", relax, cryst, cp_glass_J_gK=0.9, delta_cp_J_gK=0.0)
    run = predict_dsc(mat, TemperatureProgram.linear(454.0, 100.0, 5.0), step_C=0.25)
    t_s = run.time_min * 60
    sensible = -0.9 * np.gradient(run.temperature_C, t_s)
    released = np.trapezoid(run.heat_flow_W_g - sensible, t_s)
    assert run.crystallised_fraction[-1] > 0.5
    assert released == pytest.approx(run.crystallised_fraction[-1] * 16600 / 246.556, rel=0.01)
