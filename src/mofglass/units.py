"""Units: parsing quantities such as ``"5.2 mg"`` and converting between units of one dimension.

A deliberately small table covering what MOF-glass work uses: temperature (°C, K), temperature
rate, mass, length, area, volume, number and mass density, molar mass, energy per mass and per
mole, heat capacity, heat flow, pressure/modulus, force, contact compliance/stiffness, time,
rates, angle, wavenumber, chemical shift, inverse length (Q) and arbitrary signal units.
:class:`mofglass.results.Measured` accepts only units of this table (:func:`check_unit`). Conversions between specific (per gram) and molar (per mole) quantities need the
molar mass and are separate functions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mofglass.errors import UnitError

__all__ = [
    "R_GAS",
    "ZERO_CELSIUS_K",
    "Quantity",
    "celsius_to_kelvin",
    "check_unit",
    "convert",
    "convert_difference",
    "dimension_of",
    "is_known_unit",
    "j_per_g_to_kj_per_mol",
    "kelvin_to_celsius",
    "kj_per_mol_to_j_per_g",
    "parse_quantity",
]

ZERO_CELSIUS_K = 273.15
#: molar gas constant in J/(mol K), exact in the 2019 SI (``scipy.constants.gas_constant``)
R_GAS = 8.31446261815324

# dimension -> {unit: factor to the dimension's base unit: the one with factor 1, else m^3
# for volume and V for voltage}
_FACTORS: dict[str, dict[str, float]] = {
    "temperature": {"K": 1.0, "°C": 1.0},  # °C with its offset, below
    "temperature_rate": {"K/min": 1.0, "°C/min": 1.0, "K/s": 60.0, "°C/s": 60.0},
    "mass": {"g": 1.0, "mg": 1e-3, "µg": 1e-6, "kg": 1e3},
    "length": {"m": 1.0, "mm": 1e-3, "µm": 1e-6, "nm": 1e-9, "Å": 1e-10, "pm": 1e-12},
    "volume": {"Å^3": 1e-30, "nm^3": 1e-27, "cm^3": 1e-6},
    "time": {"s": 1.0, "min": 60.0, "h": 3600.0},
    "specific_energy": {"J/g": 1.0, "kJ/kg": 1.0},
    "energy": {"J": 1.0, "kJ": 1e3},
    "molar_energy": {"J/mol": 1.0, "kJ/mol": 1e3},
    "specific_heat_capacity": {"J/(g K)": 1.0, "J/(kg K)": 1e-3},
    "heat_flow": {"W": 1.0, "mW": 1e-3, "µW": 1e-6},
    "specific_heat_flow": {"W/g": 1.0, "mW/mg": 1.0, "mW/g": 1e-3},
    # pressure / modulus / hardness
    "pressure": {"Pa": 1.0, "kPa": 1e3, "MPa": 1e6, "GPa": 1e9},
    "force": {"N": 1.0, "mN": 1e-3, "µN": 1e-6},
    "angle": {"deg": 1.0, "rad": 57.29577951308232},
    "wavenumber": {"cm^-1": 1.0},
    "chemical_shift": {"ppm": 1.0},
    # T/1000 Å^3: tetrahedral atoms per 1000 Å^3
    "number_density": {"Å^-3": 1.0, "nm^-3": 1e-3, "T/1000 Å^3": 1e-3},
    "density": {"g/cm^3": 1.0, "kg/m^3": 1e-3},
    "molar_mass": {"g/mol": 1.0, "kg/mol": 1e3},
    "area": {"m^2": 1.0, "µm^2": 1e-12, "nm^2": 1e-18, "Å^2": 1e-20},
    # scattering vector
    "inverse_length": {"Å^-1": 1.0, "nm^-1": 0.1},
    # contact compliance and stiffness (nanoindentation)
    "compliance": {"nm/mN": 1.0, "m/N": 1e6},
    "stiffness": {"mN/nm": 1.0, "N/m": 1e-6},
    "length_per_sqrt_force": {"nm mN^-0.5": 1.0},
    # 1/MK = 10^-6 K^-1
    "thermal_expansion": {"1/K": 1.0, "1/MK": 1e-6},
    "rate": {"1/s": 1.0, "1/min": 1 / 60.0},
    "mass_loss_rate": {"%/min": 1.0},
    "mass_loss_per_temperature": {"%/°C": 1.0},
    # sorption: specific pore volume, specific surface area, amounts
    "specific_volume": {"cm^3/g": 1.0},
    "specific_area": {"m^2/g": 1.0},
    "specific_amount": {"mmol/g": 1.0, "mol/g": 1e3},
    "amount": {"mol": 1.0, "mmol": 1e-3},
    # signals without a physical scale (not convertible into each other)
    "arbitrary": {"a.u.": 1.0},
    "counts": {"counts": 1.0},
    "count_rate": {"cps": 1.0},
    "voltage": {"µV": 1e-6},
    "dimensionless": {"%": 0.01, "": 1.0},
}
#: offsets added after scaling (absolute temperatures)
_OFFSETS = {"°C": ZERO_CELSIUS_K}
# unit -> (dimension, factor to the dimension's base unit, offset added after scaling)
_UNITS: dict[str, tuple[str, float, float]] = {
    unit: (dimension, factor, _OFFSETS.get(unit, 0.0))
    for dimension, factors in _FACTORS.items()
    for unit, factor in factors.items()
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
    "Å⁻³": "Å^-3",
    "A^-3": "Å^-3",
    "1/Å^3": "Å^-3",
    "nm⁻³": "nm^-3",
    "g/cm³": "g/cm^3",
    "g cm^-3": "g/cm^3",
    "Å⁻¹": "Å^-1",
    "1/Å": "Å^-1",
    "A^-1": "Å^-1",
    "1/A": "Å^-1",
    "nm⁻¹": "nm^-1",
    "1/nm": "nm^-1",
    "Å³": "Å^3",
    "Å²": "Å^2",
    "nm²": "nm^2",
    "s^-1": "1/s",
    "min^-1": "1/min",
    "arb.": "a.u.",
    "arb. units": "a.u.",
    "cnt": "counts",
    "K^-1": "1/K",
    "MK^-1": "1/MK",
    "cm3/g": "cm^3/g",
    "cm³/g": "cm^3/g",
    "m2/g": "m^2/g",
    "m²/g": "m^2/g",
}


def _unknown(unit: str, hint: str = "") -> UnitError:
    """Return the error for a unit not in the table, naming the known ones."""
    known = ", ".join(sorted(k for k in _UNITS if k))
    return UnitError(f"unknown unit {unit!r}; known units: {known}{hint}")


def _canonical(unit: str) -> str:
    u = unit.strip()
    u = _ALIASES.get(u, u)
    if u not in _UNITS:
        raise _unknown(unit)
    return u


def is_known_unit(unit: str) -> bool:
    """Whether ``unit`` is in the table (an alias counts), or built from such units.

    Built units are products ``a·b``, quotients ``a/b``, reciprocals ``1/a`` and powers
    ``(a)^n``, as :class:`~mofglass.results.Measured` arithmetic writes them.

    Examples
    --------
    >>> is_known_unit("Å⁻³"), is_known_unit("a.u.·cm^-1"), is_known_unit("1/kJ/mol")
    (True, True, True)
    >>> is_known_unit("(J/(g K))^2"), is_known_unit("furlong"), is_known_unit("nm/furlong")
    (True, False, False)
    """
    u = unit.strip()
    if _ALIASES.get(u, u) in _UNITS:
        return True
    power = re.fullmatch(r"\((.+)\)\^-?\d+(\.\d+)?", u) or re.fullmatch(
        r"([^()/·^]+)\^-?\d+(\.\d+)?", u
    )
    if power:  # (unit)^n as Measured arithmetic writes powers, or unit^n (deg^2)
        return is_known_unit(power.group(1))
    parts = _split_top_level(u)
    if len(parts) < 2:
        return False
    return all(p == "1" or is_known_unit(p) for p in parts)


def _split_top_level(unit: str) -> list[str]:
    """Factors of a product / quotient (``·`` and ``/``) outside parentheses."""
    parts, depth, cur = [], 0, ""
    for ch in unit:
        depth += (ch == "(") - (ch == ")")
        if depth == 0 and ch in "·/":
            parts.append(cur.strip())
            cur = ""
        else:
            cur += ch
    parts.append(cur.strip())
    return [p[1:-1] if p.startswith("(") and p.endswith(")") else p for p in parts]


def check_unit(unit: str) -> str:
    """Return ``unit`` unchanged if :func:`is_known_unit`, else raise UnitError naming the known units."""
    if not isinstance(unit, str) or not is_known_unit(unit):
        raise _unknown(unit, " (add it to mofglass.units)")
    return unit


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
    (fa, oa), (fb, ob) = _same_dimension(from_unit, to_unit)
    return ((value * fa + oa) - ob) / fb


def convert_difference(value: float, from_unit: str, to_unit: str) -> float:
    """Convert a difference or uncertainty: temperature offsets do not apply."""
    (fa, _), (fb, _) = _same_dimension(from_unit, to_unit)
    return value * fa / fb


def _same_dimension(
    from_unit: str, to_unit: str
) -> tuple[tuple[float, float], tuple[float, float]]:
    """Return (factor, offset) of both units, checked to be of one dimension."""
    da, fa, oa = _UNITS[_canonical(from_unit)]
    db, fb, ob = _UNITS[_canonical(to_unit)]
    if da != db:
        raise UnitError(f"cannot convert {from_unit!r} ({da}) to {to_unit!r} ({db})")
    return (fa, oa), (fb, ob)


@dataclass(frozen=True, slots=True)
class Quantity:
    """A parsed number with its (canonical) unit."""

    value: float
    unit: str

    def to(self, unit: str) -> float:
        """Convert the value to ``unit`` (same dimension)."""
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
