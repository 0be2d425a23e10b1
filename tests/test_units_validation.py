"""Measured accepts only units of mofglass.units; the new units convert by their definitions."""

from __future__ import annotations

import pytest

from mofglass.errors import UnitError
from mofglass.results import Measured
from mofglass.units import convert, is_known_unit


@pytest.mark.parametrize("unit", ["furlong", "nm/furlong", "kJ mol", "a.u.·parsec", "(parsec)^2"])
def test_measured_rejects_unknown_units(unit: str) -> None:
    with pytest.raises(UnitError, match="unknown unit"):
        Measured(1.0, 0.1, unit)


@pytest.mark.parametrize(
    ("value", "source", "target", "expected"),
    [
        (1.0, "T/1000 Å^3", "nm^-3", 1.0),  # 1000 Å^3 = 1 nm^3 (definition of the Å)
        (0.08, "Å⁻³", "nm^-3", 80.0),  # 1 Å^-3 = 1000 nm^-3
        (1.5, "g/cm³", "kg/m^3", 1500.0),
        (2.0, "m/N", "nm/mN", 2e6),  # 1 m/N = 1e9 nm / 1e3 mN
        (3.0, "N/m", "mN/nm", 3e-6),
        (1.0, "nm^-1", "Å^-1", 0.1),
        (60.0, "1/min", "1/s", 1.0),
        (1.0, "µm^2", "nm^2", 1e6),
    ],
)
def test_new_units_convert_by_definition(value, source, target, expected) -> None:
    assert convert(value, source, target) == pytest.approx(expected, rel=1e-12)


def test_products_and_aliases_are_known() -> None:
    assert is_known_unit("a.u.·cm^-1") and is_known_unit("Å⁻¹") and is_known_unit("arb.")
    assert not is_known_unit("cm^-1·furlong")
    # as Measured arithmetic writes them: quotient, reciprocal, power
    assert is_known_unit("nm/s") and is_known_unit("1/kJ/mol") and is_known_unit("(nm)^2")
