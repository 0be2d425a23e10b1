"""TA Instruments text exports: Universal Analysis ("StartOfData") and TRIOS.

Universal Analysis writes ``key<TAB>value`` header lines (``Sample``, ``Size 9.00000 mg``,
``Exotherm Up``, ``Sig1 Time (min)``, ...), a ``StartOfData`` line and tab-separated data; rows
with time -1 are sentinels. TRIOS "export to text" writes ``key<TAB>value`` lines (``Sample
name``, ``Sample mass``/``Size``), a ``[step]`` section, then a names row, a units row and the
data; a decimal comma is used in many locales.
"""

from __future__ import annotations

import re
from typing import Any

from mofglass.errors import InputFormatError
from mofglass.thermal.readers._build import ParsedExport, ThermalReadOptions
from mofglass.thermal.readers._table import find_table

__all__ = ["parse", "sniff"]


def sniff(text: str) -> bool:
    """Return True for a Universal Analysis or TRIOS text export."""
    head = text[:5000]
    return (
        "StartOfData" in head
        or ("Nsig" in head and "Sig1" in head)
        or "TRIOS" in head
        or "[step]" in head
    )


_MASS = re.compile(r"^\s*(size|sample mass|mass)\s*[\t:]\s*([-\d.,]+)\s*(mg|g)?", re.I)


def parse(text: str, source: str, options: ThermalReadOptions) -> ParsedExport:
    """Parse a TA Instruments text export (see module docstring)."""
    lines = text.splitlines()
    meta: dict[str, Any] = {}
    signals: dict[int, str] = {}
    start = 0
    mass = options.sample_mass_mg
    exo = options.exo_up
    for i, line in enumerate(lines):
        if line.strip() == "StartOfData":
            start = i + 1
            break
        parts = line.split("\t")
        key = parts[0].strip()
        value = "\t".join(parts[1:]).strip()
        if key:
            meta.setdefault(key, value)
        m = re.match(r"^Sig(\d+)$", key)
        if m:
            signals[int(m.group(1))] = value
        if mass is None:
            mm = _MASS.match(line)
            if mm:
                try:
                    mass = float(mm.group(2).replace(",", ".")) * (
                        1000.0 if (mm.group(3) or "mg") == "g" else 1.0
                    )
                except ValueError as exc:
                    raise InputFormatError(
                        source, line=i + 1, expected="a sample mass", got=line
                    ) from exc
        if exo is None and key.lower() in ("exotherm", "exo"):
            exo = value.strip().lower().startswith("up")
    if "Xcomment" in meta:
        for k, pat in (("crucible", r"Pan:\s*(.*?)\s{2,}"), ("gas", r"Gas1:\s*(.*?)\s{2,}")):
            mm = re.search(pat, meta["Xcomment"] + "  ")
            if mm:
                meta[k] = mm.group(1)
    if "Instrument" in meta:
        meta["instrument"] = meta["Instrument"]
    names = [signals[k] for k in sorted(signals)] if signals else None
    table = find_table(
        lines, source, start=start, separator="\t" if signals else "auto", names=names
    )
    parsed = ParsedExport.from_table(table, metadata=meta, sample_mass_mg=mass, exo_up=exo)
    if exo is None:
        parsed.warnings.append("no 'Exotherm' key in the TA header")
    return parsed
