"""Small helpers shared by the text readers: decoding and fixed-layout numeric tables.

The numbers are parsed by the one table parser of :mod:`mofglass.io` (errors name
``file:line:column``); what is left here is the layout of indentation exports: a declared
row count, blank lines that mark segment changes.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from mofglass.errors import InputFormatError
from mofglass.io.text import decode as _decode
from mofglass.io.text import parse_numbers

__all__ = ["decode", "parse_table"]


def decode(raw: bytes, source: str = "<bytes>") -> str:
    """Decode instrument text with the one decoder (:func:`mofglass.io.text.decode`).

    BOMs and UTF-16 are recognised, then UTF-8, else Windows-1252; binary data is an
    InputFormatError.
    """
    return _decode(raw, source)[0]


def parse_table(
    lines: Sequence[str],
    *,
    start: int,
    n_rows: int | None,
    n_cols: int,
    source: str,
    decimal_comma: bool = False,
    what: str = "data row",
    skip_blank: bool = False,
) -> np.ndarray:
    """Parse ``n_rows`` whitespace-separated numeric rows starting at 0-based line ``start``.

    Parameters
    ----------
    lines : sequence of str
        All lines of the file (no line ends).
    start : int
        0-based index of the first data line.
    n_rows : int or None
        Rows expected (the count the header declares); None reads to the first blank line or
        the end of the file.
    n_cols : int
        Columns needed from each row (further columns are ignored).
    source : str
        File name for error messages.
    decimal_comma : bool
        Numbers use ``,`` as the decimal separator (German locale exports).
    skip_blank : bool
        Blank lines inside the table are skipped (Hysitron marks segment changes so);
        otherwise a blank line ends a table of unknown length.

    Returns
    -------
    ndarray, shape (n_rows, n_cols)

    Raises
    ------
    InputFormatError
        A short row, a non-numeric field, or fewer rows than declared (a truncated file).
    """
    rows = _collect_rows(lines, start=start, n_rows=n_rows, source=source, what=what,
                         skip_blank=skip_blank)  # fmt: skip
    if not rows:
        raise InputFormatError(source, line=start + 1, expected=f"at least one {what}", got="none")
    return parse_numbers(rows, source, decimal="," if decimal_comma else ".", ncols=n_cols)


def _collect_rows(
    lines: Sequence[str],
    *,
    start: int,
    n_rows: int | None,
    source: str,
    what: str,
    skip_blank: bool,
) -> list[tuple[int, list[str]]]:
    """(line number, whitespace-split fields) of the table's rows (see :func:`parse_table`)."""
    rows: list[tuple[int, list[str]]] = []
    i = start
    while n_rows is None or len(rows) < n_rows:
        if i >= len(lines):
            if n_rows is None:
                break
            raise InputFormatError(
                source,
                line=i + 1,
                expected=f"{n_rows} {what}s as declared in the header",
                got=f"end of file after {len(rows)}",
            )
        if not lines[i].strip():
            i += 1
            if skip_blank:
                continue
            if n_rows is None:
                break
            rows.append((i, []))  # a blank row inside a declared table: too few numbers
            continue
        rows.append((i + 1, lines[i].split()))
        i += 1
    return rows
