"""Plain delimited text: a names row (units in brackets, or a separate units row) and numbers.

Used for processed exports such as the MaCFP PMMA files (``time,Temp,Heat Flow Rate`` over
``[s],[K],[mW/mg]``). Nothing in such a file states the exo direction or the sample mass; give
them to the reader (``exo_up=``, ``sample_mass_mg=``) or accept the warning.
"""

from __future__ import annotations

from mofglass.thermal.readers._build import ParsedExport, ThermalReadOptions
from mofglass.thermal.readers._table import find_table

__all__ = ["parse", "sniff"]


def sniff(text: str) -> bool:
    """Return True always: a candidate (the fallback format)."""
    return True


def parse(text: str, source: str, options: ThermalReadOptions) -> ParsedExport:
    """Parse a plain delimited table (see module docstring)."""
    return ParsedExport.from_table(find_table(text.splitlines(), source))
