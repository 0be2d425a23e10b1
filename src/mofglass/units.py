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
    # energy, base J
    "J": ("energy", 1.0, 0.0),
    "kJ": ("energy", 1e3, 0.0),
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
    # number density, base Å^-3 (T/1000 Å^3: tetrahedral atoms per 1000 Å^3)
    "Å^-3": ("number_density", 1.0, 0.0),
    "nm^-3": ("number_density", 1e-3, 0.0),
    "T/1000 Å^3": ("number_density", 1e-3, 0.0),
    # mass density, base g/cm^3
    "g/cm^3": ("density", 1.0, 0.0),
    "kg/m^3": ("density", 1e-3, 0.0),
    # molar mass, base g/mol
    "g/mol": ("molar_mass", 1.0, 0.0),
    "kg/mol": ("molar_mass", 1e3, 0.0),
    # area, base m^2
    "m^2": ("area", 1.0, 0.0),
    "µm^2": ("area", 1e-12, 0.0),
    "nm^2": ("area", 1e-18, 0.0),
    "Å^2": ("area", 1e-20, 0.0),
    # scattering vector / inverse length, base Å^-1
    "Å^-1": ("inverse_length", 1.0, 0.0),
    "nm^-1": ("inverse_length", 0.1, 0.0),
    # contact compliance and stiffness (nanoindentation), bases nm/mN and mN/nm
    "nm/mN": ("compliance", 1.0, 0.0),
    "m/N": ("compliance", 1e6, 0.0),
    "mN/nm": ("stiffness", 1.0, 0.0),
    "N/m": ("stiffness", 1e-6, 0.0),
    "nm mN^-0.5": ("length_per_sqrt_force", 1.0, 0.0),
    # thermal expansion, base 1/K (1/MK = 10^-6 K^-1)
    "1/K": ("thermal_expansion", 1.0, 0.0),
    "1/MK": ("thermal_expansion", 1e-6, 0.0),
    # rates, base 1/s
    "1/s": ("rate", 1.0, 0.0),
    "1/min": ("rate", 1 / 60.0, 0.0),
    "%/min": ("mass_loss_rate", 1.0, 0.0),
    "%/°C": ("mass_loss_per_temperature", 1.0, 0.0),
    # sorption: specific pore volume, specific surface area, amounts
    "cm^3/g": ("specific_volume", 1.0, 0.0),
    "m^2/g": ("specific_area", 1.0, 0.0),
    "mmol/g": ("specific_amount", 1.0, 0.0),
    "mol/g": ("specific_amount", 1e3, 0.0),
    "mol": ("amount", 1.0, 0.0),
    "mmol": ("amount", 1e-3, 0.0),
    # signals without a physical scale (not convertible into each other)
    "a.u.": ("arbitrary", 1.0, 0.0),
    "counts": ("counts", 1.0, 0.0),
    "cps": ("count_rate", 1.0, 0.0),
    "µV": ("voltage", 1e-6, 0.0),
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


def _canonical(unit: str) -> str:
    u = unit.strip()
    u = _ALIASES.get(u, u)
    if u not in _UNITS:
        raise UnitError(
            f"unknown unit {unit!r}; known units: {', '.join(sorted(k for k in _UNITS if k))}"
        )
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
        raise UnitError(
            f"unknown unit {unit!r}; known units: {', '.join(sorted(k for k in _UNITS if k))} "
            "(add it to mofglass.units)"
        )
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
