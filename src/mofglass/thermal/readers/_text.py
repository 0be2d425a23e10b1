"""Column recognition of the thermal readers (decoding and numbers: :mod:`mofglass.io.text`).

Every decision (encoding, decimal mark, dropped rows, assumed units) is returned as a warning
string so the reader can put it on the :class:`~mofglass.thermal.thermogram.Thermogram`; nothing
is guessed silently.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

# the decoder and number parser moved to mofglass.io.text (one for every reader)
from mofglass.io.text import decode, detect_decimal, parse_numbers, split_name_unit

__all__ = [
    "Column",
    "decode",
    "detect_decimal",
    "parse_numbers",
    "recognise_columns",
    "split_name_unit",
]


@dataclass(frozen=True)
class Column:
    """A recognised data column: its index, role, original header and unit."""

    index: int
    role: str  # time | temperature | heat_flow | mass | dta | segment | other
    name: str
    unit: str


_TIME = re.compile(r"^(time|t|zeit|tiempo)\b", re.I)
_TEMP = re.compile(r"(^temp|^ts$|sample\s*temp|^temperature|^t\s*sample|^tsample)", re.I)
_REF_TEMP = re.compile(r"(furnace|^tr$|reference|program|^tf$)", re.I)
_HEAT = re.compile(r"(heat\s*flow|^dsc|^hf$|^heatflow|^value$)", re.I)
_MASS = re.compile(r"(^mass|weight|^tg\b|^tga)", re.I)
_DTA = re.compile(r"^dta", re.I)
_DTG = re.compile(r"^dtg|deriv", re.I)
_SEG = re.compile(r"^seg", re.I)
_INDEX = re.compile(r"^(index|#|n|no\.?)$", re.I)


def recognise_columns(names: Sequence[str], units: Sequence[str]) -> list[Column]:
    """Assign a role to each column from its name and unit.

    The sample temperature is preferred over furnace/reference temperatures; a "Value" column
    (Mettler STARe) is heat flow or mass according to its unit.
    """
    cols: list[Column] = []
    for i, (n, u) in enumerate(zip(names, units, strict=False)):
        role = "other"
        ul = u.lower()
        if _INDEX.match(n):
            role = "index"
        elif _DTG.search(n):
            role = "dtg"
        elif _DTA.match(n):
            role = "dta"
        elif _SEG.match(n):
            role = "segment"
        elif _REF_TEMP.search(n):
            role = "reference_temperature"
        elif _TEMP.search(n) or (ul in ("°c", "k") and not _TIME.match(n)):
            role = "temperature"
        elif _TIME.match(n) or ul in ("s", "min", "h"):
            role = "time"
        elif _HEAT.search(n) and ul in ("mg", "%", "g", "µg") and n.lower() == "value":
            role = "mass"
        elif _HEAT.search(n):
            role = "heat_flow"
        elif _MASS.search(n):
            role = "mass"
        cols.append(Column(i, role, n, u))
    return cols


def first(cols: Sequence[Column], role: str) -> Column | None:
    """Return the first column with ``role``, or None."""
    for c in cols:
        if c.role == role:
            return c
    return None
