"""Setaram (Calisto / SETSOFT) text exports, usually UTF-16.

A title line, ``Creation Date``, per-signal blocks with ``Initial Mass : 34.04 mg``, then a column
row (``Index Time Furnace Sample TG HeatFlow`` separated by spaces, or ``Index;Time (s);Furnace
Temperature (°C);...`` with units) and the data. Where the column row carries no units, Calisto's
defaults (s, °C, mg, mW) are used, with a warning. The export does not state the exo direction;
Calisto's default display (exothermic up, endothermic negative) is assumed, with a warning.
"""

from __future__ import annotations

import re
from typing import Any

from mofglass.thermal.readers._build import ParsedExport, ThermalReadOptions
from mofglass.thermal.readers._table import find_table
from mofglass.thermal.readers._text import split_name_unit

__all__ = ["parse", "sniff"]

_DEFAULTS = {
    "time": "Time (s)",
    "furnace": "Furnace Temperature (°C)",
    "sample": "Sample Temperature (°C)",
    "tg": "TG (mg)",
    "heatflow": "HeatFlow (mW)",
    "index": "Index",
}
_MASS = re.compile(r"Initial Mass\s*:\s*([-\d.,]+)\s*mg", re.I)


def sniff(text: str) -> bool:
    """Return True for a Setaram export."""
    head = text[:3000]
    return "Initial Mass" in head or ("Furnace" in head and "HeatFlow" in head)


def parse(text: str, source: str, options: ThermalReadOptions) -> ParsedExport:
    """Parse a Setaram export (see module docstring)."""
    warn: list[str] = []
    lines = text.splitlines()
    meta: dict[str, Any] = {"title": lines[0].strip() if lines else ""}
    mass = None
    if options.sample_mass_mg is None:
        masses = [float(m.group(1).replace(",", ".")) for m in _MASS.finditer(text[:3000])]
        masses = [m for m in masses if m > 0]
        mass = masses[0] if masses else None
    # column row: the line starting with "Index"
    start = 0
    names = None
    for i, line in enumerate(lines[:60]):
        if line.strip().lower().startswith("index"):
            start = i
            sep = ";" if ";" in line else ("\t" if "\t" in line else None)
            raw = [c for c in (line.split(sep) if sep else line.split()) if c.strip()]
            if not any(split_name_unit(c)[1] for c in raw):
                names = [_DEFAULTS.get(c.strip().lower(), c.strip()) for c in raw]
                warn.append(
                    "Setaram column row has no units; Calisto defaults s, °C, mg, mW assumed"
                )
            break
    table = find_table(lines, source, start=start + (1 if names else 0), names=names)
    parsed = ParsedExport.from_table(table, warnings=warn, metadata=meta, sample_mass_mg=mass)
    if options.exo_up is None:
        parsed.exo_up = True
        parsed.warnings.append(
            "Setaram exports do not state the exo direction; "
            "exothermic up (Calisto default) assumed"
        )
    return parsed
