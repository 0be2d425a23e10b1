"""NETZSCH Proteus ASCII/CSV exports ("DATA ALL").

The export starts with ``#KEY: ,value`` header lines (``#EXPORTTYPE: DATA ALL``,
``#FTYPE: ANSI``, ``#DECIMAL: POINT|COMMA``, ``#SEPARATOR: COMMA|SEMICOLON|TAB``,
``#SAMPLE MASS /mg``, ``#EXO: -1|1``, ``#TYPE OF CRUCIBLE``, ``#PURGE 1 MFC``, ``#SEG. n``), then a
``##Temp./°C,Time/min,DSC/(mW/mg),...`` column line and the data. ``#EXO: -1`` goes with
exothermic-positive data (endotherms negative), ``#EXO: 1`` with endothermic-positive data.
Evidence, all on real files of one NETZSCH STA 449 F3 lab (UL FSRI): the native file's own
sensitivity calibration stores the fixpoint meltings with negative peak areas (endotherms
negative in the signal, :mod:`mofglass.thermal.readers.ngb`); its "#EXO: -1" text exports show
the water release below 150 °C (with mass loss) and the start of a heating (which must shift
endothermic by Cp·q) both negative, and wood pyrolysis with the same sign as the native file.
Native ``.ngb-ss3`` files are zip containers of binary streams and are not read: export them from
Proteus as ASCII.
"""

from __future__ import annotations

import re
from typing import Any

from mofglass.errors import InputFormatError
from mofglass.thermal.readers._build import ParsedExport, ThermalReadOptions
from mofglass.thermal.readers._table import find_table

__all__ = ["parse", "parse_segment", "sniff"]

_SEP = {"COMMA": ",", "SEMICOLON": ";", "TAB": "\t", "SPACE": None}
# "°C" as written, or its degree sign in another code page ("›C", "�C", "øC")
_DEG = r"\s*(?:[^\w\s/]|ø)?\s*C"
_NUMBER = r"([-\d.,]+)"
_RAMP = re.compile(rf"^\s*{_NUMBER}{_DEG}\s*/\s*{_NUMBER}\s*\(K/min\)\s*/\s*{_NUMBER}{_DEG}", re.I)
_ISO = re.compile(rf"^\s*{_NUMBER}{_DEG}\s*/\s*(\d+):(\d+)(?::(\d+))?\s*/\s*{_NUMBER}{_DEG}", re.I)


def _num(text: str) -> float:
    """Return a programme number with a decimal point or comma ("15,0" in German locales)."""
    return float(text.replace(",", "."))


def sniff(text: str) -> bool:
    """Return True for a NETZSCH ASCII export."""
    head = text[:3000]
    return "#EXPORTTYPE" in head or ("#FORMAT:" in head and "NETZSCH" in head) or "##Temp." in head


def parse_segment(text: str) -> dict[str, Any]:
    """Parse a programme segment such as ``25°C/10.0(K/min)/700°C`` or ``25°C/00:20/25°C``.

    Returns ``{"kind": "heating"|"cooling"|"isothermal", "start_C", "end_C"}`` plus
    ``"rate_K_min"`` or ``"hold_min"`` (an empty dict when the text is not understood).
    """
    m = _RAMP.match(text)
    if m:
        a, r, b = _num(m.group(1)), _num(m.group(2)), _num(m.group(3))
        kind = "heating" if b > a else "cooling"
        return {"kind": kind, "start_C": a, "end_C": b, "rate_K_min": r if b > a else -abs(r)}
    m = _ISO.match(text)
    if m:
        h, mi = int(m.group(2)), int(m.group(3))
        hold = h * 60 + mi if m.group(4) is None else h * 60 + mi + int(m.group(4)) / 60
        return {
            "kind": "isothermal",
            "start_C": _num(m.group(1)),
            "end_C": _num(m.group(5)),
            "hold_min": float(hold),
        }
    return {}


def parse(text: str, source: str, options: ThermalReadOptions) -> ParsedExport:
    """Parse the text of a NETZSCH "DATA ALL" export (see module docstring)."""
    lines = text.splitlines()
    meta: dict[str, Any] = {}
    segments: list[dict[str, Any]] = []
    data_start = 0
    for i, line in enumerate(lines):
        if line.startswith("##"):
            data_start = i
            break
        if line.startswith("#") and ":" in line:
            key, _, value = line[1:].partition(":")
            value = value.strip().lstrip(",;\t").strip()
            key = key.strip()
            meta[key] = value
            if key.startswith("SEG."):
                seg = parse_segment(value)
                seg["text"] = value
                seg["number"] = int(re.sub(r"\D", "", key) or 0)
                segments.append(seg)
    else:
        data_start = 0
    meta["segments"] = segments
    sep_key = meta.get("SEPARATOR", "").upper()
    sep: str | str | None = _SEP.get(sep_key, "auto") if sep_key else "auto"
    dec_key = meta.get("DECIMAL", "").upper()
    decimal = {"POINT": ".", "COMMA": ","}.get(dec_key)
    warn: list[str] = []
    if not dec_key:
        warn.append("no #DECIMAL key in the NETZSCH header; decimal mark detected from the data")
    table = find_table(lines, source, start=data_start, separator=sep, decimal=decimal)
    parsed = ParsedExport.from_table(table, warnings=warn, metadata=meta)
    if options.sample_mass_mg is None:
        m = _float(meta.get("SAMPLE MASS /mg"), source, "SAMPLE MASS /mg", decimal or ".")
        parsed.sample_mass_mg = m if m else None
    if options.exo_up is None and "EXO" in meta:
        try:
            # "#EXO: -1" accompanies exothermic-positive data (see the module docstring)
            parsed.exo_up = int(float(re.split(r"[,;\t]", meta["EXO"])[0])) < 0
        except ValueError:
            parsed.warnings.append(f"unreadable #EXO value {meta['EXO']!r}")
    for key, name in (
        ("TYPE OF CRUCIBLE", "crucible"),
        ("PURGE 1 MFC", "gas"),
        ("INSTRUMENT", "instrument"),
    ):
        if key in meta:
            meta[name] = meta[key]
    return parsed


def _float(value: str | None, source: str, key: str, decimal: str = ".") -> float | None:
    if value is None or not value.strip():
        return None
    v = value.strip()
    v = v.replace(",", ".") if decimal == "," else v.split(",")[0]
    try:
        return float(v.split(";")[0])
    except ValueError as exc:
        raise InputFormatError(source, expected=f"a number for #{key}", got=value) from exc
