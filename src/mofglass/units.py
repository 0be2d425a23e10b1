"""Units: parsing quantities such as ``"5.2 mg"`` and converting between units of one dimension.

A deliberately small table covering what MOF-glass work uses: temperature (°C, K), temperature
rate, mass, length, energy per mass and per mole, heat capacity, heat flow, pressure/modulus,
time and angle. Conversions between specific (per gram) and molar (per mole) quantities need the
molar mass and are separate functions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mofglass.errors import UnitError

__all__ = [
    "Quantity",
    "celsius_to_kelvin",
    "convert",
    "convert_difference",
    "dimension_of",
    "j_per_g_to_kj_per_mol",
    "kelvin_to_celsius",
    "kj_per_mol_to_j_per_g",
    "parse_quantity",
]

ZERO_CELSIUS_K = 273.15

# unit -> (dimension, factor to the dimension's base unit, offset added after scaling)
_UNITS: dict[str, tuple[str, float, float]] = {
    # temperature, base K
    "K": ("temperature", 1.0, 0.0),
    "°C": ("temperature", 1.0, ZERO_CELSIUS_K),
    # temperature rate, base K/min
    "K/min": ("temperature_rate", 1.0, 0.0),
    "°C/min": ("temperature_rate", 1.0, 0.0),
    "K/s": ("temperature_rate", 60.0, 0.0),
    "°C/s": ("temperature_rate", 60.0, 0.0),
    # mass, base g
    "g": ("mass", 1.0, 0.0),
    "mg": ("mass", 1e-3, 0.0),
    "µg": ("mass", 1e-6, 0.0),
    "kg": ("mass", 1e3, 0.0),
    # length, base m
    "m": ("length", 1.0, 0.0),
    "mm": ("length", 1e-3, 0.0),
    "µm": ("length", 1e-6, 0.0),
    "nm": ("length", 1e-9, 0.0),
    "Å": ("length", 1e-10, 0.0),
    "pm": ("length", 1e-12, 0.0),
    # volume, base m^3
    "Å^3": ("volume", 1e-30, 0.0),
    "nm^3": ("volume", 1e-27, 0.0),
    "cm^3": ("volume", 1e-6, 0.0),
    # time, base s
    "s": ("time", 1.0, 0.0),
    "min": ("time", 60.0, 0.0),
    "h": ("time", 3600.0, 0.0),
    # specific energy, base J/g
    "J/g": ("specific_energy", 1.0, 0.0),
    "kJ/kg": ("specific_energy", 1.0, 0.0),
    # molar energy, base J/mol
    "J/mol": ("molar_energy", 1.0, 0.0),
    "kJ/mol": ("molar_energy", 1e3, 0.0),
    # specific heat capacity, base J/(g K)
    "J/(g K)": ("specific_heat_capacity", 1.0, 0.0),
    "J/(kg K)": ("specific_heat_capacity", 1e-3, 0.0),
    # heat flow, base W; specific heat flow, base W/g
    "W": ("heat_flow", 1.0, 0.0),
    "mW": ("heat_flow", 1e-3, 0.0),
    "µW": ("heat_flow", 1e-6, 0.0),
    "W/g": ("specific_heat_flow", 1.0, 0.0),
    "mW/mg": ("specific_heat_flow", 1.0, 0.0),
    "mW/g": ("specific_heat_flow", 1e-3, 0.0),
    # pressure / modulus / hardness, base Pa
    "Pa": ("pressure", 1.0, 0.0),
    "kPa": ("pressure", 1e3, 0.0),
    "MPa": ("pressure", 1e6, 0.0),
    "GPa": ("pressure", 1e9, 0.0),
    # force, base N
    "N": ("force", 1.0, 0.0),
    "mN": ("force", 1e-3, 0.0),
    "µN": ("force", 1e-6, 0.0),
    # angle, base degree
    "deg": ("angle", 1.0, 0.0),
    "rad": ("angle", 57.29577951308232, 0.0),
    # wavenumber / chemical shift
    "cm^-1": ("wavenumber", 1.0, 0.0),
    "ppm": ("chemical_shift", 1.0, 0.0),
    # dimensionless
    "%": ("dimensionless", 0.01, 0.0),
    "": ("dimensionless", 1.0, 0.0),
}

_ALIASES = {
    "C": "°C",
    "degC": "°C",
    "deg C": "°C",
    "celsius": "°C",
    "kelvin": "K",
    "C/min": "°C/min",
    "degC/min": "°C/min",
    "K min^-1": "K/min",
    "°C min^-1": "°C/min",
    "ug": "µg",
    "um": "µm",
    "uW": "µW",
    "uN": "µN",
    "A": "Å",
    "angstrom": "Å",
    "Angstrom": "Å",
    "A^3": "Å^3",
    "Å3": "Å^3",
    "A3": "Å^3",
    "nm3": "nm^3",
    "cm3": "cm^3",
    "sec": "s",
    "J g^-1": "J/g",
    "kJ mol^-1": "kJ/mol",
    "J/gK": "J/(g K)",
    "J/(g*K)": "J/(g K)",
    "J g^-1 K^-1": "J/(g K)",
    "J/g/K": "J/(g K)",
    "°": "deg",
    "degree": "deg",
    "degrees": "deg",
    "1/cm": "cm^-1",
    "cm-1": "cm^-1",
    "percent": "%",
}


def _canonical(unit: str) -> str:
    u = unit.strip()
    u = _ALIASES.get(u, u)
    if u not in _UNITS:
        raise UnitError(
            f"unknown unit {unit!r}; known units: {', '.join(sorted(k for k in _UNITS if k))}"
        )
    return u


def dimension_of(unit: str) -> str:
    """Name of the dimension of ``unit`` (``"temperature"``, ``"mass"``, ...)."""
    return _UNITS[_canonical(unit)][0]


def convert(value: float, from_unit: str, to_unit: str) -> float:
    """Convert a value between units of one dimension (absolute temperatures included).

    Examples
    --------
    >>> convert(175.0, "°C", "K")
    448.15
    """
    a, b = _canonical(from_unit), _canonical(to_unit)
    da, fa, oa = _UNITS[a]
    db, fb, ob = _UNITS[b]
    if da != db:
        raise UnitError(f"cannot convert {from_unit!r} ({da}) to {to_unit!r} ({db})")
    return ((value * fa + oa) - ob) / fb


def convert_difference(value: float, from_unit: str, to_unit: str) -> float:
    """Convert a difference or uncertainty: temperature offsets do not apply."""
    a, b = _canonical(from_unit), _canonical(to_unit)
    da, fa, _ = _UNITS[a]
    db, fb, _ = _UNITS[b]
    if da != db:
        raise UnitError(f"cannot convert {from_unit!r} ({da}) to {to_unit!r} ({db})")
    return value * fa / fb


@dataclass(frozen=True, slots=True)
class Quantity:
    """A parsed number with its (canonical) unit."""

    value: float
    unit: str

    def to(self, unit: str) -> float:
        return convert(self.value, self.unit, unit)


_QUANTITY_RE = re.compile(r"^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(.*?)\s*$")


def parse_quantity(
    text: str | float | int, *, dimension: str | None = None, default_unit: str | None = None
) -> Quantity:
    """Parse ``"5.2 mg"``, ``"10 K/min"`` or a bare number (with ``default_unit``).

    Parameters
    ----------
    text : str or float
        The quantity.
    dimension : str, optional
        Required dimension (e.g. ``"mass"``); a unit of another dimension raises UnitError.
    default_unit : str, optional
        Unit for a bare number. Without it a bare number is an error when ``dimension`` is set.
    """
    if isinstance(text, bool):
        raise UnitError(f"expected a quantity with a unit, got {text!r}")
    if isinstance(text, int | float):
        if default_unit is None:
            raise UnitError(
                f"expected a quantity with a unit (e.g. '5.2 mg'), got bare number {text!r}"
            )
        number, unit = float(text), default_unit
    else:
        m = _QUANTITY_RE.match(text)
        if not m:
            raise UnitError(f"expected a number followed by a unit, got {text!r}")
        number = float(m.group(1))
        unit = m.group(2) or (default_unit if default_unit is not None else "")
    canon = _canonical(unit)
    if dimension is not None and _UNITS[canon][0] != dimension:
        raise UnitError(
            f"expected a {dimension.replace('_', ' ')}, got {text!r} "
            f"(a {_UNITS[canon][0].replace('_', ' ')})"
        )
    return Quantity(number, canon)


def celsius_to_kelvin(t_C: float) -> float:
    """T/K = T/°C + 273.15."""
    return t_C + ZERO_CELSIUS_K


def kelvin_to_celsius(t_K: float) -> float:
    """T/°C = T/K - 273.15."""
    return t_K - ZERO_CELSIUS_K


def j_per_g_to_kj_per_mol(value_J_g: float, molar_mass_g_mol: float) -> float:
    """Specific to molar energy: kJ/mol = J/g x M(g/mol) / 1000."""
    return value_J_g * molar_mass_g_mol / 1000.0


def kj_per_mol_to_j_per_g(value_kJ_mol: float, molar_mass_g_mol: float) -> float:
    """Molar to specific energy: J/g = kJ/mol x 1000 / M(g/mol)."""
    return value_kJ_mol * 1000.0 / molar_mass_g_mol
