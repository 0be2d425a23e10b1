"""Calibration of the nucleation-and-growth model."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mofglass.models.calibration import FractionObservation, calibrate
from mofglass.models.crystallisation import (
    CrystallisationParameters,
    critical_cooling_rate_C_min,
    simulate_crystallisation,
)
from mofglass.models.program import Segment, TemperatureProgram
from mofglass.models.reference import CD_IM2, calibrate_cd_im2


def _logit(x: float) -> float:
    return math.log(x / (1 - x))


@pytest.mark.slow
def test_recovers_synthetic_observations():
    # truth: I0 = 1e30, b = 0.8 (free), f = 1e-3, xi = 0.6 (fixed); observations made by the
    # model itself; the fit must reproduce them (logit tol 0.05) and find I0, b (tol 0.3 in
    # log10 I0, 0.05 in b)
    truth = CrystallisationParameters(
        455.0,
        175.0,
        16.6,
        43.0,
        nucleation_prefactor=1e30,
        nucleation_barrier=0.8,
        growth_site_fraction=1e-3,
        decoupling_exponent=0.6,
    )
    progs = [
        TemperatureProgram.linear(465.0, 25.0, 2.0),
        TemperatureProgram.linear(465.0, 25.0, 5.0),
        TemperatureProgram(465.0, (Segment(25.0, 100.0), Segment(300.0, 10.0))),
    ]
    xs = [simulate_crystallisation(truth, p).final_fraction for p in progs]
    assert all(1e-4 < x < 0.999 for x in xs), xs  # informative observations
    obs = [FractionObservation(p, x) for p, x in zip(progs, xs, strict=True)]
    start = CrystallisationParameters(
        455.0, 175.0, 16.6, 43.0, growth_site_fraction=1e-3, decoupling_exponent=0.6
    )
    cal = calibrate(start, obs, free=("nucleation_prefactor", "nucleation_barrier"))
    assert cal.converged, cal.message
    for o, p in zip(cal.observed, cal.predicted, strict=True):
        assert _logit(p) == pytest.approx(_logit(o), abs=0.05)
    assert math.log10(cal.parameters.nucleation_prefactor) == pytest.approx(30.0, abs=0.3)
    assert cal.parameters.nucleation_barrier == pytest.approx(0.8, abs=0.05)


def test_prefactors_are_not_identifiable_without_a_size():
    # X depends on I0 f^3 only: the calibration must say so
    prog = TemperatureProgram.linear(465.0, 25.0, 10.0)
    obs = [
        FractionObservation(prog, 0.5),
        FractionObservation(TemperatureProgram.linear(465.0, 25.0, 40.0), 0.01),
    ]
    cal = calibrate(CD_IM2, obs, free=("nucleation_prefactor", "growth_site_fraction"))
    assert "not identifiable" in cal.message


def test_bad_requests():
    prog = TemperatureProgram.linear(465.0, 25.0, 10.0)
    with pytest.raises(ValueError, match="cannot fit"):
        calibrate(CD_IM2, [FractionObservation(prog, 0.5)], free=("viscosity",))
    with pytest.raises(ValueError, match="only 1 observations"):
        calibrate(
            CD_IM2,
            [FractionObservation(prog, 0.5)],
            free=("nucleation_prefactor", "nucleation_barrier"),
        )


@pytest.mark.slow
def test_cd_im2_paper_outcome_and_critical_rate():
    # the paper: -10 °C/min recrystallises partly, -42 °C/min gives a glass; reheating gives
    # 59 % cold crystallisation and 19 nm crystallites. The fit reproduces each (logit tol 0.3,
    # size tol 5 %); the critical cooling rate for X < 1 % must then lie between 10 and 42 °C/min.
    cal = calibrate_cd_im2()
    assert cal.converged, cal.message
    for o, p, label in zip(cal.observed, cal.predicted, cal.labels, strict=True):
        if o < 1:
            assert _logit(p) == pytest.approx(_logit(o), abs=0.3), label
        else:
            assert p == pytest.approx(o, rel=0.05), label
    qc = critical_cooling_rate_C_min(cal.parameters, threshold_fraction=0.01)
    assert 10.0 < qc < 42.0
    x = [
        simulate_crystallisation(
            cal.parameters, TemperatureProgram.linear(465.0, 25.0, q)
        ).final_fraction
        for q in (5, 10, 20, 42, 80)
    ]
    assert np.all(np.diff(x) < 0)  # faster cooling, less crystal
