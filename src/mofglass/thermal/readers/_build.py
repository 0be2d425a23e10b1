"""Turn parsed columns into a :class:`Thermogram`: units to s, °C, W/g, mg; sentinels; checks.

Every vendor reader takes the text, the source name and one :class:`ThermalReadOptions` (the
caller's overrides) and returns a :class:`ParsedExport` (the table, its recognised columns and
what the header states); :func:`build_thermogram` applies the overrides and the unit rules once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from mofglass.errors import InputFormatError
from mofglass.io.table import Table
from mofglass.thermal.readers._sanity import check_channels, check_sample_mass
from mofglass.thermal.readers._text import Column, first, recognise_columns
from mofglass.thermal.thermogram import Thermogram
from mofglass.units import ZERO_CELSIUS_K

__all__ = ["ParsedExport", "ThermalReadOptions", "build_thermogram"]

_TIME_FACTOR = {"s": 1.0, "sec": 1.0, "min": 60.0, "h": 3600.0, "ms": 1e-3}
_HF_SPECIFIC = {"w/g": 1.0, "mw/mg": 1.0, "mw/g": 1e-3, "w/kg": 1e-3}
_HF_ABSOLUTE_MW = {"mw": 1.0, "w": 1e3, "µw": 1e-3, "uw": 1e-3}
_MASS_FACTOR = {"mg": 1.0, "g": 1e3, "µg": 1e-3, "ug": 1e-3}


@dataclass(frozen=True)
class ThermalReadOptions:
    """What the caller states about an export, over what its header says.

    Parameters
    ----------
    encoding : str
        The text encoding the file was decoded with (recorded on the thermogram).
    warnings : tuple of str
        Warnings of the steps before parsing (decoding), kept first.
    sample_mass_mg : float, optional
        Sample mass in mg; overrides the header.
    exo_up : bool, optional
        Exo direction of the heat flow; overrides the header.
    require_mass : bool
        If False, an absolute heat flow (mW) without a sample mass is kept in mW instead of
        raising.
    """

    encoding: str = ""
    warnings: tuple[str, ...] = ()
    sample_mass_mg: float | None = None
    exo_up: bool | None = None
    require_mass: bool = True


@dataclass
class ParsedExport:
    """A vendor reader's output: the numeric table, its columns and what the header states.

    Parameters
    ----------
    data : numpy.ndarray
        The numeric table, one row per data point, in the file's units.
    columns : sequence of Column
        The recognised columns (role, name, unit and index into ``data``).
    lines : numpy.ndarray
        The 1-based file line of every row, for error messages.
    metadata : dict
        Header entries (``segments``, ``instrument``, ``crucible``, ``gas``, ...).
    warnings : list of str
        The reader's decisions (assumed units, directions, dropped curves).
    sample_mass_mg : float, optional
        Sample mass in mg stated by the header (the caller's value wins).
    exo_up : bool, optional
        Exo direction stated (or assumed, with a warning) by the reader (the caller's value wins).
    """

    data: np.ndarray
    columns: Sequence[Column]
    lines: np.ndarray
    metadata: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    sample_mass_mg: float | None = None
    exo_up: bool | None = None

    @classmethod
    def from_table(
        cls, table: Table, *, warnings: Sequence[str] = (), **header: Any
    ) -> ParsedExport:
        """Wrap a table of :func:`~mofglass.io.table.find_table` with its columns recognised.

        ``warnings`` (the reader's, before the table's own) and the ``header`` fields
        (``metadata``, ``sample_mass_mg``, ``exo_up``) are passed on.
        """
        return cls(
            table.data,
            recognise_columns(table.names, table.units),
            table.lines,
            warnings=[*warnings, *table.warnings],
            **header,
        )


def build_thermogram(
    parsed: ParsedExport, *, source: str, fmt: str, options: ThermalReadOptions
) -> Thermogram:
    """Assemble a Thermogram from a reader's table, the caller's options taking precedence.

    Parameters
    ----------
    parsed : ParsedExport
        What the vendor reader found.
    source : str
        The file name as given, for messages.
    fmt : str
        The format key recorded on the thermogram.
    options : ThermalReadOptions
        The caller's overrides (sample mass, exo direction) and the decoding record.

    Returns
    -------
    Thermogram
        Time in s, temperature in °C, heat flow in W/g (and mW when absolute), mass in mg.
    """
    warnings = [*options.warnings, *parsed.warnings]
    columns, data, lines = parsed.columns, parsed.data, parsed.lines
    sample_mass_mg = (
        options.sample_mass_mg if options.sample_mass_mg is not None else parsed.sample_mass_mg
    )
    exo_up = options.exo_up if options.exo_up is not None else parsed.exo_up
    tcol = first(columns, "time")
    Tcol = first(columns, "temperature")
    if Tcol is None:
        raise InputFormatError(source, expected="a sample-temperature column", got=_names(columns))
    if tcol is None:
        raise InputFormatError(source, expected="a time column", got=_names(columns))

    data, lines = _drop_invalid(data, lines, tcol, warnings)
    if len(data) < 2:
        raise InputFormatError(source, expected="at least 2 data rows", got=f"{len(data)}")
    time_s = _time_s(data, lines, tcol, Tcol, source, warnings)
    tu = _degree_celsius(Tcol.unit, Tcol.name, warnings)
    temperature = _temperature_C(data[:, Tcol.index], tu, Tcol.name, source, warnings)
    check_sample_mass(source, sample_mass_mg, warnings)
    meta = dict(parsed.metadata)
    hcol = first(columns, "heat_flow")
    heat, heat_mW, dta, dta_unit = _heat_flow(
        data, hcol, sample_mass_mg, options.require_mass, source, warnings
    )
    dcol = first(columns, "dta")
    if dcol is not None:
        dta, dta_unit = data[:, dcol.index], dcol.unit
    mass, sample_mass_mg = _mass(data, first(columns, "mass"), sample_mass_mg, source, warnings)

    scol = first(columns, "segment")
    seg = data[:, scol.index] if scol is not None else None

    check_channels(
        source,
        lines=lines,
        time_raw=data[:, tcol.index],
        temperature_raw=data[:, Tcol.index],
        temperature_unit=tu,
        time_s=time_s,
        temperature_C=temperature,
        heat_flow_W_g=heat,
        heat_labelled_specific=hcol is not None
        and hcol.unit.lower().replace(" ", "") in _HF_SPECIFIC,
        warnings=warnings,
    )
    if (heat is not None or heat_mW is not None) and exo_up is None:
        warnings.append(
            "the file does not state the exo direction; pass exo_up= to analyse heat flow"
        )
    meta.setdefault("columns", [f"{c.name} [{c.unit}]" for c in columns])
    return Thermogram(
        time_s=time_s,
        temperature_C=temperature,
        heat_flow_W_g=heat,
        heat_flow_mW=heat_mW,
        mass_mg=mass,
        dta=dta,
        dta_unit=dta_unit,
        sample_mass_mg=sample_mass_mg,
        exo_up=exo_up,
        metadata=meta,
        segment_index=seg,
        source=source,
        fmt=fmt,
        encoding=options.encoding,
        warnings=tuple(warnings),
    )


def _drop_invalid(
    data: np.ndarray, lines: np.ndarray, tcol: Column, warnings: list[str]
) -> tuple[np.ndarray, np.ndarray]:
    """Drop sentinel rows (TA writes time -1 and zero heat flow around the data) and NaN rows."""
    bad = ~np.all(np.isfinite(data), axis=1)
    bad |= data[:, tcol.index] < 0
    if bad.any():
        warnings.append(
            f"dropped {int(bad.sum())} sentinel/invalid row(s) (negative time or NaN) at line(s) "
            + ", ".join(str(int(x)) for x in lines[bad][:5])
            + (" ..." if bad.sum() > 5 else "")
        )
        data, lines = data[~bad], lines[~bad]
    return data, lines


def _time_s(
    data: np.ndarray,
    lines: np.ndarray,
    tcol: Column,
    Tcol: Column,
    source: str,
    warnings: list[str],
) -> np.ndarray:
    """Time in s, non-decreasing (an error names the line and suspects swapped columns)."""
    tf = _TIME_FACTOR.get(tcol.unit.lower())
    if tf is None:
        if tcol.unit:
            raise InputFormatError(source, expected="time in s, min or h", got=tcol.unit)
        tf = 1.0
        warnings.append(f"time column {tcol.name!r} has no unit; seconds assumed")
    time_s = data[:, tcol.index] * tf
    dt = np.diff(time_s)
    if np.any(dt < 0):
        k = int(np.argmax(dt < 0))
        T_col = data[:, Tcol.index]
        swapped = bool(np.all(np.diff(T_col) >= 0) and np.ptp(T_col) > 0)
        raise InputFormatError(
            source,
            line=int(lines[k + 1]),
            expected="non-decreasing time",
            got=f"t = {data[k + 1, tcol.index]:g} after {data[k, tcol.index]:g}"
            + (
                "; the temperature column only rises: time and temperature swapped?"
                if swapped
                else ""
            ),
        )
    return time_s


def _temperature_C(
    values: np.ndarray, unit: str, name: str, source: str, warnings: list[str]
) -> np.ndarray:
    """Temperature in °C from °C or K (no unit: °C assumed, with a warning)."""
    if unit == "K":
        return values - ZERO_CELSIUS_K
    if unit != "°C":
        if unit:
            raise InputFormatError(source, expected="temperature in °C or K", got=unit)
        warnings.append(f"temperature column {name!r} has no unit; °C assumed")
    return values


def _heat_flow(
    data: np.ndarray,
    hcol: Column | None,
    sample_mass_mg: float | None,
    require_mass: bool,
    source: str,
    warnings: list[str],
) -> tuple[np.ndarray | None, np.ndarray | None, np.ndarray | None, str]:
    """Heat flow in W/g (and mW when absolute), or a µV signal kept as DTA."""
    if hcol is None:
        return None, None, None, ""
    u = hcol.unit.lower().replace(" ", "")
    h = data[:, hcol.index]
    if u in _HF_SPECIFIC:
        return h * _HF_SPECIFIC[u], None, None, ""
    if u in _HF_ABSOLUTE_MW:
        heat_mW = h * _HF_ABSOLUTE_MW[u]
        if not sample_mass_mg and not require_mass:
            warnings.append(f"no sample mass: heat flow kept in mW only ({hcol.name!r})")
            return None, heat_mW, None, ""
        if not sample_mass_mg:
            raise InputFormatError(
                source,
                expected="a sample mass (in the header, or sample_mass_mg=) to normalise "
                f"heat flow in {hcol.unit} to W/g",
                got="no sample mass",
            )
        return heat_mW / sample_mass_mg, heat_mW, None, ""
    if u in ("µv", "uv"):
        warnings.append(f"column {hcol.name!r} is in µV (uncalibrated); kept as DTA signal")
        return None, None, h, "µV"
    raise InputFormatError(
        source, expected="heat flow in W/g, mW/mg or mW", got=hcol.unit or "no unit"
    )


def _mass(
    data: np.ndarray,
    mcol: Column | None,
    sample_mass_mg: float | None,
    source: str,
    warnings: list[str],
) -> tuple[np.ndarray | None, float | None]:
    """Mass in mg (from mg, g, µg or % of the sample mass), and the sample mass to use."""
    if mcol is None:
        return None, sample_mass_mg
    m = data[:, mcol.index]
    u = mcol.unit.lower()
    if u in _MASS_FACTOR:
        mass = m * _MASS_FACTOR[u]
        if np.ptp(mass) == 0:
            warnings.append(
                f"mass column {mcol.name!r} is constant (balance not recorded); dropped"
            )
            return None, sample_mass_mg
        _check_mass_mg(mcol.name, mass, sample_mass_mg, warnings)
        return mass, sample_mass_mg
    if u == "%":
        if abs(float(m[0]) - 100.0) > 20.0:
            warnings.append(
                f"mass column {mcol.name!r} is labelled % but starts at {m[0]:.4g}, not near "
                "100: is it in mg?"
            )
        if sample_mass_mg:
            return m * sample_mass_mg / 100.0, sample_mass_mg
        warnings.append("mass in % and no sample mass: masses are in % of the initial mass")
        return m.copy(), 100.0
    raise InputFormatError(source, expected="mass in mg, g or %", got=mcol.unit or "no unit")


def _check_mass_mg(
    name: str, mass_mg: np.ndarray, sample_mass_mg: float | None, warnings: list[str]
) -> None:
    """Warn when a mass column in mg starts far from the stated sample mass.

    A balance either records the sample mass (first point near the sample mass) or the change
    from a tare (first point near 0); a start at more than twice, or less than half, the sample
    mass away from 0 is a column in another unit (% of the initial mass taken as mg) or a mass
    including the crucible.
    """
    if not sample_mass_mg:
        return
    m0 = float(mass_mg[0])
    if abs(m0) < 0.05 * sample_mass_mg:  # a tared balance: the mass change from 0
        return
    if not 0.5 <= m0 / sample_mass_mg <= 2.0:
        warnings.append(
            f"mass column {name!r} starts at {m0:.4g} mg but the sample mass is "
            f"{sample_mass_mg:.4g} mg: is the column in % (or does it include the crucible)?"
        )


def _degree_celsius(unit: str, name: str, warnings: list[str]) -> str:
    """Read a degree sign lost to another code page ("›C", "�C") as °C, with a warning.

    A temperature column's unit made of one non-letter symbol and "C" can only be degrees
    Celsius written in an encoding the export did not declare (NETZSCH writes 0x9B, the
    cp850 byte of the cp437 degree sign read as Latin-1; a STARe file whose degree sign became
    U+FFFD). Any other unit is returned unchanged and checked by the caller.
    """
    if len(unit) == 2 and unit[1] == "C" and not unit[0].isalnum() and unit[0] != "°":
        warnings.append(
            f"temperature column {name!r} has unit {unit!r}: a degree sign in another "
            "encoding; read as °C"
        )
        return "°C"
    return unit


def _names(columns: Sequence[Column]) -> str:
    return ", ".join(f"{c.name} [{c.unit}]" for c in columns) or "no columns"
