"""Small helpers shared by the text readers: decoding and numeric tables with exact errors."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from mofglass.errors import InputFormatError
from mofglass.io.text import decode as _decode

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
    rows: list[list[float]] = []
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
        text = lines[i]
        if not text.strip():
            if skip_blank:
                i += 1
                continue
            if n_rows is None:
                break
        fields = text.split()
        if len(fields) < n_cols:
            raise InputFormatError(
                source, line=i + 1, expected=f"{what} of {n_cols} numbers", got=text.strip()
            )
        values = []
        col = 1
        for f in fields[:n_cols]:
            token = f.replace(",", ".") if decimal_comma else f
            try:
                values.append(float(token))
            except ValueError:
                raise InputFormatError(
                    source, line=i + 1, column=text.find(f) + 1, expected="a number", got=f
                ) from None
            col += 1
        rows.append(values)
        i += 1
    if not rows:
        raise InputFormatError(source, line=start + 1, expected=f"at least one {what}", got="none")
    return np.asarray(rows, dtype=float)
