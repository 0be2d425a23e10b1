"""Predictions of a calibrated model: TTT / CCT diagrams, heat treatments, intervals."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mofglass.models.crystallisation import CrystallisationParameters, simulate_crystallisation
from mofglass.models.predictions import (
    cct_diagram,
    critical_cooling_rate_interval,
    heat_treatment,
    ttt_diagram,
)
from mofglass.models.program import Segment, TemperatureProgram
from mofglass.models.reference import calibrate_cd_im2

PARAMS = CrystallisationParameters(
    455.0,
    175.0,
    16.6,
    43.0,
    nucleation_prefactor=1e37,
    nucleation_barrier=1.3,
    growth_site_fraction=1e-4,
    decoupling_exponent=0.3,
    max_fraction=0.8,
)


@pytest.mark.parametrize("temperature_C", [230.0, 300.0, 380.0])
def test_ttt_closed_form_matches_the_jmak_kernel_on_a_hold(temperature_C):
    # Truth: the isothermal Avrami closed form X = X∞[1 − exp(−(π/3) I U³ t⁴)] (Avrami 1940);
    # the kernel integrates the running moments step by step. Tol 2 % in time (0.1-min hold
    # steps of the programme sampling).
    d = ttt_diagram(PARAMS, fractions=(0.01, 0.4), temperatures_C=[temperature_C])
    t_hold = float(d.time_min[1, 0]) * 1.5
    prog = TemperatureProgram(temperature_C, (Segment(temperature_C, 10.0, hold_min=t_hold),))
    tr = simulate_crystallisation(PARAMS, prog)
    for k, x in enumerate((0.01, 0.4)):
        t_kernel = float(np.interp(x, tr.fraction, tr.time_min))
        assert t_kernel == pytest.approx(float(d.time_min[k, 0]), rel=0.02)


def test_ttt_never_reaches_fractions_above_the_maximum():
    d = ttt_diagram(PARAMS, fractions=(0.9,), temperatures_C=[300.0])
    assert math.isinf(d.time_min[0, 0])
    nose_T, nose_t = ttt_diagram(PARAMS).nose()
    assert 175.0 < nose_T < 455.0 and nose_t > 0


def test_cct_temperature_falls_with_rate_and_is_missing_when_not_reached():
    d = cct_diagram(PARAMS, cooling_rates_K_min=[0.5, 2.0, 1e6], fractions=(0.01,))
    t = d.temperature_C[0]
    assert t[0] > t[1]  # slower cooling crystallises earlier (at higher T)
    assert math.isnan(t[2])  # quenched: never reaches 1 %
    with pytest.raises(ValueError, match="positive"):
        cct_diagram(PARAMS, cooling_rates_K_min=[-1.0])


@pytest.mark.slow
def test_cd_im2_predictions_with_intervals():
    cal = calibrate_cd_im2()
    qc = critical_cooling_rate_interval(cal, n_samples=48)
    assert qc.low <= qc.value <= qc.high
    assert 10.0 < qc.low and qc.high < 100.0  # the paper brackets it between 10 and 42 °C/min
    # the paper's glass-ceramic treatment (quench, reheat to 300 °C): 0.59 and 19 nm come back
    prog = TemperatureProgram(465.0, (Segment(25.0, 42.0), Segment(300.0, 10.0)))
    ht = heat_treatment(cal, prog, n_samples=48)
    assert ht.fraction.low <= 0.59 <= ht.fraction.high
    assert ht.diameter_nm.low <= 19.0 <= ht.diameter_nm.high
    assert ht.fraction.value == pytest.approx(0.59, abs=0.05)
