"""Mettler Toledo STARe text exports.

STARe writes a curve header (``Curve Name:``, ``Sample:`` with the mass, ``Method:``) and a
``Curve Values:`` block: a names row (``Index t Ts Tr Value``), a units row (``[s] [°C] [°C]
[mg]``) and whitespace- or tab-separated values, optionally followed by ``Results:``. The
"Value" column is heat flow or mass according to its unit. STARe plots exothermic up only when
set so; the export does not say, so the direction must be given for heat flow.
"""

from __future__ import annotations

import re
from typing import Any

from mofglass.thermal.readers._build import build_thermogram
from mofglass.thermal.readers._table import find_table
from mofglass.thermal.readers._text import recognise_columns
from mofglass.thermal.thermogram import Thermogram

__all__ = ["parse", "sniff"]

_SAMPLE_MASS = re.compile(r"([-\d.,]+)\s*mg")


def sniff(text: str) -> bool:
    """True for a STARe export (``Curve Values:`` or the Index/Ts/Tr columns with a units row)."""
    head = text[:5000]
    if "Curve Values" in head or "STARe" in head:
        return True
    lines = [ln for ln in head.splitlines()[:5] if ln.strip()]
    return (
        bool(lines)
        and bool(re.match(r"^\s*index\s", lines[0], re.I))
        and bool(re.search(r"\bts\b", lines[0], re.I))
    )


def parse(
    text: str,
    source: str,
    *,
    encoding: str = "",
    warnings: list[str] | None = None,
    sample_mass_mg: float | None = None,
    exo_up: bool | None = None,
    require_mass: bool = True,
) -> Thermogram:
    """Parse a Mettler STARe export (see module docstring)."""
    lines = text.splitlines()
    meta: dict[str, Any] = {}
    start = 0
    mass = sample_mass_mg
    for i, line in enumerate(lines):
        s = line.strip()
        if s.startswith("Curve Values"):
            start = i + 1
            break
        if s.endswith(":") and i + 1 < len(lines):
            meta[s[:-1]] = lines[i + 1].strip()
    if mass is None and "Sample" in meta:
        m = _SAMPLE_MASS.search(meta["Sample"])
        if m:
            mass = float(m.group(1).replace(",", "."))
    table = find_table(lines, source, start=start)
    cols = recognise_columns(table.names, table.units)
    return build_thermogram(
        table.data,
        cols,
        lines=table.lines,
        source=source,
        fmt="mettler",
        encoding=encoding,
        warnings=list(warnings or []) + table.warnings,
        metadata=meta,
        sample_mass_mg=mass,
        exo_up=exo_up,
        require_mass=require_mass,
    )
