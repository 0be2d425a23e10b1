"""Unit parsing and conversion against closed forms."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mofglass.errors import UnitError
from mofglass.units import (
    convert,
    convert_difference,
    j_per_g_to_kj_per_mol,
    kj_per_mol_to_j_per_g,
    parse_quantity,
)


def test_temperature_offsets_and_differences():
    assert convert(175.0, "°C", "K") == pytest.approx(448.15)
    assert convert(448.15, "K", "C") == pytest.approx(175.0)
    # an uncertainty of 2 °C is 2 K (no offset)
    assert convert_difference(2.0, "°C", "K") == 2.0


def test_parse_quantity_and_dimension_checks():
    assert parse_quantity("8.1 mg", dimension="mass").to("g") == pytest.approx(0.0081)
    assert parse_quantity("10 K/min", dimension="temperature_rate").to("K/s") == pytest.approx(
        1 / 6
    )
    assert parse_quantity("1611 Å3").to("nm^3") == pytest.approx(1.611)
    with pytest.raises(UnitError, match="expected a mass"):
        parse_quantity("8.1 K", dimension="mass")
    with pytest.raises(UnitError, match="unknown unit"):
        parse_quantity("8.1 furlongs")
    with pytest.raises(UnitError, match="bare number"):
        parse_quantity(8.1, dimension="mass")
    assert parse_quantity(8.1, dimension="mass", default_unit="mg").value == 8.1


def test_paper_enthalpy_conversion():
    # 67.33 J/g x 246.556 g/mol / 1000 = 16.6 kJ/mol (paper ΔHm of Cd(im)2)
    assert j_per_g_to_kj_per_mol(16600 / 246.556, 246.556) == pytest.approx(16.6, rel=1e-12)


@given(
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False),
    st.floats(min_value=1.0, max_value=5000.0),
)
def test_j_per_g_kj_per_mol_round_trip(value_J_g, molar_mass_g_mol):
    back = kj_per_mol_to_j_per_g(
        j_per_g_to_kj_per_mol(value_J_g, molar_mass_g_mol), molar_mass_g_mol
    )
    assert back == pytest.approx(value_J_g, rel=1e-12, abs=1e-9)


@given(st.floats(min_value=-200, max_value=2000, allow_nan=False))
def test_celsius_kelvin_round_trip(t_C):
    assert convert(convert(t_C, "°C", "K"), "K", "°C") == pytest.approx(t_C, abs=1e-9)
