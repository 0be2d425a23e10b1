"""Plain delimited text: a names row (units in brackets, or a separate units row) and numbers.

Used for processed exports such as the MaCFP PMMA files (``time,Temp,Heat Flow Rate`` over
``[s],[K],[mW/mg]``). Nothing in such a file states the exo direction or the sample mass; give
them to the reader (``exo_up=``, ``sample_mass_mg=``) or accept the warning.
"""

from __future__ import annotations

from mofglass.thermal.readers._build import build_thermogram
from mofglass.thermal.readers._table import find_table
from mofglass.thermal.readers._text import recognise_columns
from mofglass.thermal.thermogram import Thermogram

__all__ = ["parse", "sniff"]


def sniff(text: str) -> bool:
    """Return True always: a candidate (the fallback format)."""
    return True


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
    """Parse a plain delimited table (see module docstring)."""
    lines = text.splitlines()
    table = find_table(lines, source)
    cols = recognise_columns(table.names, table.units)
    return build_thermogram(
        table.data,
        cols,
        lines=table.lines,
        source=source,
        fmt="csv",
        encoding=encoding,
        warnings=list(warnings or []) + table.warnings,
        metadata={},
        sample_mass_mg=sample_mass_mg,
        exo_up=exo_up,
        require_mass=require_mass,
    )
