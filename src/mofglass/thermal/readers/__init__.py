"""Readers of thermal-analysis exports: one module per vendor, one entry point.

>>> trace = read_thermogram("run.txt")                      # doctest: +SKIP
>>> trace = read_thermogram("run.csv", exo_up=False, sample_mass_mg=4.0)  # doctest: +SKIP

``fmt="auto"`` sniffs the text (TRIOS JSON, NETZSCH, TA, Mettler, Setaram, PerkinElmer Pyris, then plain CSV) and the encoding
(BOMs, UTF-16, declared ANSI, UTF-8, else Windows-1252 with a warning). Readers only read: they
return a :class:`~mofglass.thermal.thermogram.Thermogram` or raise
:class:`~mofglass.errors.InputFormatError` naming the file, line and what was expected.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from os import PathLike
from pathlib import Path

from mofglass.errors import InputFormatError, reader_boundary
from mofglass.thermal.readers import mettler, netzsch, perkinelmer, plaincsv, setaram, ta, trios
from mofglass.thermal.readers._build import ParsedExport, ThermalReadOptions, build_thermogram
from mofglass.thermal.readers._text import decode
from mofglass.thermal.readers.ngb import NGB_SUFFIXES, read_ngb
from mofglass.thermal.thermogram import Thermogram

__all__ = ["FORMATS", "ParsedExport", "ThermalReadOptions", "parse_thermogram", "read_thermogram"]

#: format key -> (sniff(text) -> bool, parse(text, source, options) -> ParsedExport)
FORMATS: dict[
    str, tuple[Callable[[str], bool], Callable[[str, str, ThermalReadOptions], ParsedExport]]
] = {
    "trios": (trios.sniff, trios.parse),  # before "ta": its text names the TRIOS schema
    "netzsch": (netzsch.sniff, netzsch.parse),
    "ta": (ta.sniff, ta.parse),
    "mettler": (mettler.sniff, mettler.parse),
    "setaram": (setaram.sniff, setaram.parse),
    "perkinelmer": (perkinelmer.sniff, perkinelmer.parse),
    "csv": (plaincsv.sniff, plaincsv.parse),
}


def parse_thermogram(
    text: str,
    source: str = "<string>",
    *,
    fmt: str = "auto",
    sample_mass_mg: float | None = None,
    exo_up: bool | None = None,
    encoding: str = "",
    warnings: list[str] | None = None,
    require_mass: bool = True,
) -> Thermogram:
    """Parse the text of an export (see :func:`read_thermogram`)."""
    if fmt == "auto":
        fmt = next(k for k, (sniff, _) in FORMATS.items() if sniff(text))
    if fmt not in FORMATS:
        raise InputFormatError(source, expected=f"a format in {sorted(FORMATS)}", got=fmt)
    options = ThermalReadOptions(
        encoding=encoding,
        warnings=tuple(warnings or ()),
        sample_mass_mg=sample_mass_mg,
        exo_up=exo_up,
        require_mass=require_mass,
    )
    parsed = FORMATS[fmt][1](text, source, options)
    return build_thermogram(parsed, source=source, fmt=fmt, options=options)


@reader_boundary("a thermal-analysis export")
def read_thermogram(
    path: str | PathLike[str],
    fmt: str = "auto",
    *,
    sample_mass_mg: float | None = None,
    exo_up: bool | None = None,
    require_mass: bool = True,
) -> Thermogram:
    """Read a DSC / DTA / TG / STA export into a :class:`Thermogram`.

    Parameters
    ----------
    path : path-like
        The export file.
    fmt : {"auto", "trios", "netzsch", "ta", "mettler", "setaram", "perkinelmer", "csv", "ngb"}
        Reader; "auto" sniffs the content (native NETZSCH files by their suffix, through pyngb).
    sample_mass_mg : float, optional
        Sample mass in mg; overrides the header (needed to normalise heat flow in mW).
    exo_up : bool, optional
        Exo direction of the heat flow; overrides the header.
    require_mass : bool
        If False, an absolute heat flow (mW) without a sample mass is kept in ``heat_flow_mW``
        instead of raising (blank and sapphire runs of the sapphire method).

    Returns
    -------
    Thermogram
        Time in s, temperature in °C, heat flow in W/g, mass in mg; ``warnings`` lists every
        decision taken (encoding, decimal mark, dropped rows, assumed units or direction).

    Raises
    ------
    InputFormatError
        Unreadable, truncated, binary, mixed decimal marks, non-monotonic time, missing mass.
    """
    p = Path(path)
    source = str(p.name)
    raw = p.read_bytes()
    if p.suffix.lower() in NGB_SUFFIXES or fmt == "ngb":
        return read_ngb(p, sample_mass_mg=sample_mass_mg, exo_up=exo_up)
    if raw[:2] == b"PK":
        raise InputFormatError(
            source,
            expected="a text export or a NETZSCH .ngb-ss3/.ngb-bs3/.ngb-ds3/.ngb-sdb file",
            got="a zip container with another suffix",
        )
    m = re.search(rb"#FTYPE:\s*,\s*(\w+)", raw[:4000])
    text, encoding, warns = decode(raw, source, declared=m.group(1).decode() if m else None)
    if not text.strip():
        raise InputFormatError(source, expected="data", got="an empty file")
    return parse_thermogram(
        text,
        source,
        fmt=fmt,
        sample_mass_mg=sample_mass_mg,
        exo_up=exo_up,
        encoding=encoding,
        warnings=warns,
        require_mass=require_mass,
    )
