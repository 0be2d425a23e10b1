"""Rates are named in K/min (issue 11); the old °C/min spellings still work and warn."""

from __future__ import annotations

import numpy as np
import pytest

from mofglass.models.crystallisation import (
    CrystallisationParameters,
    critical_cooling_rate_C_min,
    critical_cooling_rate_K_min,
)
from mofglass.models.predictions import cct_diagram
from mofglass.models.program import Segment, TemperatureProgram
from mofglass.models.relaxation import TNMParameters, limiting_fictive_temperature_C

PARAMS = CrystallisationParameters(
    455.0, 175.0, 16.6, 43.0, nucleation_prefactor=1e30, nucleation_barrier=1.0
)


def test_segment_and_program_old_names_warn_and_agree():
    seg = Segment(25.0, 42.0)
    with pytest.warns(DeprecationWarning, match="rate_K_min"):
        assert seg.rate_C_min == seg.rate_K_min == 42.0
    with pytest.warns(DeprecationWarning, match="rate_K_min"):
        old = TemperatureProgram.linear(465.0, 25.0, rate_C_min=42.0)
    assert old == TemperatureProgram.linear(465.0, 25.0, rate_K_min=42.0)
    # 440 K at 42 K/min
    assert old.duration_min == pytest.approx(440.0 / 42.0)


def test_critical_cooling_rate_and_cct_old_names_give_the_same_numbers():
    new = critical_cooling_rate_K_min(PARAMS, bounds_K_min=(1e-2, 1e6))
    with pytest.warns(DeprecationWarning, match="critical_cooling_rate_K_min"):
        old = critical_cooling_rate_C_min(PARAMS, bounds_C_min=(1e-2, 1e6))
    assert old == new
    with pytest.warns(DeprecationWarning, match="cooling_rates_K_min"):
        d = cct_diagram(PARAMS, cooling_rates_C_min=[new])
    with pytest.warns(DeprecationWarning, match="cooling_rate_K_min"):
        np.testing.assert_array_equal(d.cooling_rate_C_min, d.cooling_rate_K_min)
    with pytest.raises(TypeError, match="both"):
        critical_cooling_rate_K_min(PARAMS, bounds_C_min=(1, 2), bounds_K_min=(1, 2))


def test_relaxation_old_keywords_warn_and_agree():
    p = TNMParameters.from_fragility(175.0, 43.0)
    new = limiting_fictive_temperature_C(p, cooling_rate_K_min=10.0, tg_C=175.0)
    with pytest.warns(DeprecationWarning):
        old = limiting_fictive_temperature_C(p, cooling_rate_C_min=10.0, tg_C=175.0)
    assert old == new
    with pytest.warns(DeprecationWarning):
        assert TNMParameters.from_fragility(175.0, 43.0, reference_rate_C_min=10.0) == p
