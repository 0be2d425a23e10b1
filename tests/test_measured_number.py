"""``Measured`` as a number: checked against the ``uncertainties`` package (the truth)."""

from __future__ import annotations

import math

import pytest
from uncertainties import ufloat

from mofglass.results import Measured

A = Measured(16.6, 0.4, "kJ/mol")
B = Measured(9.7, 0.3, "kJ/mol")


def test_float_aliases_and_format_specs():
    assert float(A) == 16.6
    assert (A.n, A.s) == (16.6, 0.4)
    assert math.isnan(Measured(1.0).s)
    assert f"{A:.2f}" == "16.60"
    assert f"{A}" == "16.6(4) kJ/mol"
    # uncertainties' own format language, with the unit
    assert f"{A:.2uP}" == f"{ufloat(16.6, 0.4):.2uP} kJ/mol"


def test_arithmetic_matches_uncertainties():
    ua, ub = ufloat(16.6, 0.4), ufloat(9.7, 0.3)
    for ours, truth in [
        (A + B, ua + ub),
        (A - B, ua - ub),
        (B / A, ub / ua),
        (A * 2.5, ua * 2.5),
        (3.0 - A, 3.0 - ua),
        (1.0 / A, 1.0 / ua),
        (A**2, ua**2),
        (-A, -ua),
    ]:
        assert ours.value == pytest.approx(truth.nominal_value, rel=1e-12)
        assert ours.stderr == pytest.approx(truth.std_dev, rel=1e-12)
    assert (B / A).unit == ""  # same unit: a ratio
    assert (A + 273.15).unit == "kJ/mol"


def test_correlations_are_kept():
    # x - x is exactly 0; (x + y) - y is x with x's uncertainty (uncertainties' behaviour)
    d = A - A
    assert d.value == 0.0 and d.stderr == 0.0
    s = (A + B) - B
    assert s.value == pytest.approx(16.6) and s.stderr == pytest.approx(0.4)
    ratio = B / (A + B)  # ΔHrc / (ΔHm + ΔHrc): correlated numerator and denominator
    ua, ub = ufloat(16.6, 0.4), ufloat(9.7, 0.3)
    assert ratio.stderr == pytest.approx((ub / (ua + ub)).std_dev, rel=1e-12)


def test_units_convert_in_sums_and_comparisons():
    t = Measured(175.0, 1.0, "°C")
    assert Measured(448.15, 1.0, "K") > Measured(174.0, 0.5, "°C")
    assert t < 200 and t >= 175.0
    assert sorted([Measured(3.0, 0.1, "nm"), Measured(2.0, 0.1, "nm")])[0].value == 2.0


def test_unknown_uncertainty_propagates_as_unknown():
    m = Measured(2.0, None, "nm") + Measured(1.0, 0.1, "nm")
    assert m.value == 3.0 and m.stderr is None
    assert (Measured(2.0, None) * 3).stderr is None


def test_serialisation_ignores_the_correlation_handle():
    d = (A - B).to_dict()
    assert set(d) == {"value", "stderr", "unit"}
    assert Measured.from_dict(d) == A - B
