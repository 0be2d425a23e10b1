"""Micromaterials NanoTest text exports: three tab-separated columns, no header.

Columns are time (s), depth (nm) and load (mN), one test per file; several tests usually come
as a zip archive of such files (read by :func:`mofglass.mechanics.readers.read_indentations`).
"""

from __future__ import annotations

from mofglass.errors import InputFormatError
from mofglass.mechanics.data import Indentation
from mofglass.mechanics.readers._text import parse_table

__all__ = ["looks_like_micromaterials", "parse_micromaterials"]


def looks_like_micromaterials(text: str) -> bool:
    """Whether the first line is three numbers (the header-less Micromaterials layout)."""
    first = text.lstrip("\ufeff").split("\n", 1)[0].split()
    if len(first) != 3:
        return False
    try:
        [float(f) for f in first]
    except ValueError:
        return False
    return True


def parse_micromaterials(text: str, *, source: str = "<string>", name: str = "") -> Indentation:
    """Parse one Micromaterials test (time s, depth nm, load mN).

    Raises
    ------
    InputFormatError
        A row that is not three numbers.
    """
    lines = text.splitlines()
    while lines and not lines[-1].strip():
        lines.pop()
    if not lines:
        raise InputFormatError(source, line=1, expected="rows of 'time depth load'", got="")
    data = parse_table(lines, start=0, n_rows=len(lines), n_cols=3, source=source)
    return Indentation(
        depth_nm=data[:, 1],
        load_mN=data[:, 2],
        time_s=data[:, 0],
        name=name,
        source=source,
        instrument="micromaterials-txt",
    )
