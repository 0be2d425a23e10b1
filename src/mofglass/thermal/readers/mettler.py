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

import numpy as np

from mofglass.thermal.readers._build import ParsedExport, ThermalReadOptions
from mofglass.thermal.readers._table import find_table
from mofglass.thermal.readers._text import recognise_columns

__all__ = ["parse", "sniff"]

_SAMPLE_MASS = re.compile(r"([-\d.,]+)\s*mg")


def sniff(text: str) -> bool:
    """Return True for a STARe export (``Curve Values:``/``Curve:`` blocks or Index/Ts/Tr columns)."""
    head = text[:5000]
    if "Curve Values" in head or "STARe" in head or re.search(r"^Curve:\s*$", head, re.M):
        return True
    lines = [ln for ln in head.splitlines()[:5] if ln.strip()]
    return (
        bool(lines)
        and bool(re.match(r"^\s*index\s", lines[0], re.I))
        and bool(re.search(r"\bts\b", lines[0], re.I))
    )


def _header(lines: list[str], stop: int) -> dict[str, Any]:
    """``Key:`` lines followed by their value on the next line, before line ``stop``."""
    meta: dict[str, Any] = {}
    for i in range(stop):
        s = lines[i].strip()
        if s.endswith(":") and i + 1 < len(lines):
            meta.setdefault(s[:-1], lines[i + 1].strip())
    return meta


def _curve_starts(lines: list[str]) -> list[int]:
    """Index of the line after every ``Curve Values:``/``Curve:`` line (0 for a bare table)."""
    starts = [i + 1 for i, ln in enumerate(lines) if ln.strip() in ("Curve Values:", "Curve:")]
    return starts or [0]


def parse(text: str, source: str, options: ThermalReadOptions) -> ParsedExport:
    """Parse a Mettler STARe export (see module docstring).

    An export of several curves of one run (``Sample Weight`` then ``Heat Flow``, each a
    ``Curve:`` block on the same time points) becomes one thermogram with both channels.
    """
    lines = text.splitlines()
    starts = _curve_starts(lines)
    meta = _header(lines, starts[0])
    mass = options.sample_mass_mg
    for key in ("Sample", "SampleID"):
        m = _SAMPLE_MASS.search(str(meta.get(key, "")))
        if mass is None and m:
            mass = float(m.group(1).replace(",", "."))
    ends = [*starts[1:], len(lines)]
    table = find_table(lines[: ends[0]], source, start=starts[0])
    names, units, data = list(table.names), list(table.units), table.data
    warn = list(table.warnings)
    for a, b in zip(starts[1:], ends[1:], strict=True):
        more = find_table(lines[:b], source, start=a)
        same = more.data.shape[0] == data.shape[0] and np.array_equal(more.data[:, 1], data[:, 1])
        if not same:
            warn.append(f"curve at line {a} is not on the first curve's time points; not read")
            continue
        extra = [j for j, n in enumerate(more.names) if n not in names or n == "Value"]
        names += [more.names[j] for j in extra]
        units += [more.units[j] for j in extra]
        data = np.column_stack([data, more.data[:, extra]])
    return ParsedExport(
        data,
        recognise_columns(names, units),
        table.lines,
        metadata=meta,
        warnings=warn,
        sample_mass_mg=mass,
    )
