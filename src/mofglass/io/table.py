"""The one numeric-table parser: header lines, column names, units, rows, file:line:col errors.

Finds the data block of a text export (a run of lines starting with a number), detects the
separator and decimal mark, reads column names and units from the header, and parses the
numbers with :func:`mofglass.io.text.parse_numbers`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from warnings import warn

import numpy as np

from mofglass.errors import DataWarning, InputFormatError
from mofglass.io.text import detect_decimal, parse_numbers, split_name_unit

__all__ = [
    "Table",
    "check_complete_end",
    "check_complete_rows",
    "check_no_gaps",
    "find_table",
    "guess_separator",
    "locate_non_finite",
    "split_line",
]

_NUMLIKE = re.compile(r"^\s*[+-]?(\d|[.,]\d)")
_UNITCELL = re.compile(r"^\s*[\[(].*[\])]\s*$")


def split_line(line: str, sep: str | None) -> list[str]:
    """Split a line by ``sep`` (None: runs of whitespace)."""
    if sep is None:
        return line.split()
    return [c.strip() for c in line.rstrip("\r\n").split(sep)]


def guess_separator(sample: Sequence[str]) -> str | None:
    """Column separator of data lines: tab, semicolon, comma or whitespace (None)."""
    joined = "".join(sample)
    if "\t" in joined:
        return "\t"
    if ";" in joined:
        return ";"
    if "," in joined:
        # comma-separated unless every line has one comma per decimal number and spaces
        return ","
    return None


@dataclass
class Table:
    """A parsed table: header lines, column names and units, values, their file lines."""

    header: list[str]
    names: list[str]
    units: list[str]
    data: np.ndarray
    lines: np.ndarray
    separator: str | None
    decimal: str
    warnings: list[str] = field(default_factory=list)


def find_table(
    lines: Sequence[str],
    source: str,
    *,
    start: int = 0,
    separator: str | None = "auto",
    decimal: str | None = None,
    names: Sequence[str] | None = None,
) -> Table:
    """Locate the data block (a run of lines starting with a number) and parse it.

    Parameters
    ----------
    lines : sequence of str
        The file's lines.
    start : int
        Index of the first line that may belong to the table.
    separator : str or None or "auto"
        Cell separator; None for whitespace; "auto" to detect from the data lines.
    decimal : str, optional
        Declared decimal mark; detected (with a warning if comma) when None.
    names : sequence of str, optional
        Column names to use when the file has none.
    """
    warnings: list[str] = []
    i0 = None
    for i in range(start, len(lines)):
        if _NUMLIKE.match(lines[i]) and not lines[i].lstrip().startswith("#"):
            i0 = i
            break
    if i0 is None:
        raise InputFormatError(source, expected="a block of numeric data rows", got="none found")
    i1 = i0
    while i1 < len(lines) and (_NUMLIKE.match(lines[i1]) or not lines[i1].strip()):
        i1 += 1
    body = [(k, lines[k]) for k in range(i0, i1) if lines[k].strip()]
    sep = guess_separator([t for _, t in body[:50]]) if separator == "auto" else separator
    rows = [(k + 1, split_line(t, sep)) for k, t in body]

    # header: the last non-empty lines before the block (names, optionally a units row)
    hdr_idx = [k for k in range(start, i0) if lines[k].strip()]
    header = [lines[k] for k in range(0, i0)]
    col_names, col_units = _column_names(lines, hdr_idx, names, sep, source, i0)

    ncols = len(col_names)
    while ncols and not col_names[ncols - 1]:
        ncols -= 1
    if ncols == 0:
        raise InputFormatError(source, line=i0, expected="column names")
    # data rows may have a trailing empty cell (trailing separator)
    rows = [
        (ln, c[:ncols] if len(c) > ncols and not any(x.strip() for x in c[ncols:]) else c)
        for ln, c in rows
    ]
    if decimal is None:
        sample = [c for _, cells in rows[:200] for c in cells[:ncols]]
        dec = detect_decimal(sample, sep or " ")
        if dec == "mixed":
            dec = _locate_mixed(rows, ncols, sep, source)
        elif dec == ",":
            warnings.append("decimal comma detected in the data")
        decimal = dec or "."
    data = parse_numbers(rows, source, decimal=decimal, ncols=ncols)
    table = Table(
        header=header,
        names=col_names[:ncols],
        units=col_units[:ncols],
        data=data,
        lines=np.array([ln for ln, _ in rows]),
        separator=sep,
        decimal=decimal,
        warnings=warnings,
    )
    check_no_gaps(table, source)
    return table


def _column_names(
    lines: Sequence[str],
    hdr_idx: Sequence[int],
    names: Sequence[str] | None,
    sep: str | None,
    source: str,
    i0: int,
) -> tuple[list[str], list[str]]:
    """Column names and units: given, or the last header line (with a units row under names).

    A last header line made only of bracketed cells (``[°C]  [mW]``) is a units row; the names
    are then the line above it.
    """
    col_names: list[str]
    col_units: list[str]
    if names is not None:
        col_names, col_units = list(names), [""] * len(names)
        for j, n in enumerate(col_names):
            col_names[j], col_units[j] = split_name_unit(n)
        return col_names, col_units
    if not hdr_idx:
        raise InputFormatError(source, line=i0 + 1, expected="a header row with column names")
    last = split_line(lines[hdr_idx[-1]].lstrip("#"), sep)
    if all(_UNITCELL.match(c) or not c for c in last) and len(hdr_idx) >= 2:
        raw_names = split_line(lines[hdr_idx[-2]].lstrip("#"), sep)
        col_units = [c.strip().strip("[]()").strip() for c in last]
        col_names = [c.strip() for c in raw_names]
        if len(col_units) < len(col_names):  # unitless leading columns (STARe "Index")
            col_units = [""] * (len(col_names) - len(col_units)) + col_units
        return col_names, [split_name_unit(f"x [{u}]")[1] if u else "" for u in col_units]
    col_names, col_units = [], []
    for c in last:
        n, u = split_name_unit(c)
        col_names.append(n)
        col_units.append(u)
    return col_names, col_units


def _locate_mixed(
    rows: Sequence[tuple[int, Sequence[str]]], ncols: int, sep: str | None, source: str
) -> str:
    """Raise at the first cell whose decimal mark is inconsistent with the others."""
    seen: str | None = None
    for ln, cells in rows:
        for j, c in enumerate(cells[:ncols]):
            mant = re.split(r"[eE]", c.strip())[0]
            marks = [ch for ch in mant if ch in ".,"]
            if len(marks) > 1 or (marks and marks[0] == "," and sep == ","):
                raise InputFormatError(
                    source,
                    line=ln,
                    column=j + 1,
                    expected="a number with one decimal mark",
                    got=c.strip(),
                )
            if marks:
                if seen is None:
                    seen = marks[0]
                elif marks[0] != seen:
                    raise InputFormatError(
                        source,
                        line=ln,
                        column=j + 1,
                        expected=f"decimal mark {seen!r} as above (mixed decimal marks)",
                        got=c.strip(),
                    )
    return seen or "."


def check_complete_rows(lines: Sequence[str], source: str) -> None:
    r"""Raise at the first numeric row shorter than the row above it in its block.

    A block is a run of consecutive lines starting with a number (blank lines end it); the
    separator is guessed per block (:func:`guess_separator`). This catches a file cut inside
    a row before it reaches a parser that would misread it (or never return).

    Raises
    ------
    InputFormatError
        ``file:line:column`` of the missing field.

    Examples
    --------
    >>> check_complete_rows(["p\tn", "0.1\t2.0", "0.2\t2.5"], "a.dat")
    >>> check_complete_rows(["p\tn", "0.1\t2.0", "0.2"], "a.dat")
    Traceback (most recent call last):
    ...
    mofglass.errors.InputFormatError: a.dat:3:2: expected 2 fields as in line 2, got '1'
    """
    block: list[tuple[int, str]] = []
    for k, line in enumerate([*lines, ""]):
        if line.strip() and _NUMLIKE.match(line):
            block.append((k + 1, line))
            continue
        if len(block) > 1:
            sep = guess_separator([t for _, t in block[:50]])
            ln0, n = block[0][0], len(split_line(block[0][1], sep))
            for ln, t in block[1:]:
                got = len([c for c in split_line(t, sep) if c.strip()])
                if got < n:
                    raise InputFormatError(
                        source,
                        line=ln,
                        column=got + 1,
                        expected=f"{n} fields as in line {ln0}",
                        got=str(got),
                    )
        block = []


_TAIL_BYTES = 65536
_NONFINITE = re.compile(r"^[+-]?(?:nan|inf|infinity)$", re.I)


def check_complete_end(path: str | PathLike[str], source: str) -> None:
    r"""Raise when a text file ends inside a table row (cut by a copy or a full disk).

    Only a file whose last line is a data row without a line break is looked at (none of
    the 2694 text files of the reference data is). Its last line is cut when it has fewer
    fields than the line above, or when its last field is shorter than the same field of the
    ten lines above, which all have one width (fixed-format exports); otherwise the cut may
    have fallen between rows, and a :class:`~mofglass.errors.DataWarning` says so.

    Raises
    ------
    InputFormatError
        ``file:line:column`` of the cut field.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "run.txt"
    >>> _ = p.write_bytes(b"T\tHF\n" + b"1.25000\t-10.5792\n" * 12 + b"1.25000\t-1")
    >>> check_complete_end(p, "run.txt")
    Traceback (most recent call last):
    ...
    mofglass.errors.InputFormatError: run.txt:14:2: expected a number as wide as the lines above (a truncated file?), got '-1'
    """
    try:
        with open(path, "rb") as fh:
            size = fh.seek(0, 2)
            fh.seek(max(0, size - _TAIL_BYTES))
            tail = fh.read()
    except OSError:
        return  # the reader says what is wrong with the path
    if not tail or tail.endswith((b"\n", b"\r")) or b"\x00" in tail:
        return
    lines = tail.decode("latin-1").splitlines()
    if len(lines) < 3 or not (_NUMLIKE.match(lines[-1]) and _NUMLIKE.match(lines[-2])):
        return
    with open(path, "rb") as fh:
        n_lines = fh.read().count(b"\n") + 1
    sep = guess_separator(lines[-12:-1])
    last, above = split_line(lines[-1], sep), split_line(lines[-2], sep)
    last = [c for c in last if c.strip()] if sep is None else last
    if len(last) < len(above):
        raise InputFormatError(
            source,
            line=n_lines,
            column=len(last) + 1,
            expected=f"{len(above)} fields as in the line above (a truncated file?)",
            got=lines[-1].strip(),
        )
    j = len(last) - 1
    widths = {
        len(split_line(t, sep)[j].strip())
        for t in lines[-12:-1]
        if _NUMLIKE.match(t) and len(split_line(t, sep)) > j
    }
    if len(lines) >= 12 and len(widths) == 1 and len(last[j].strip()) < widths.pop():
        raise InputFormatError(
            source,
            line=n_lines,
            column=j + 1,
            expected="a number as wide as the lines above (a truncated file?)",
            got=last[j].strip(),
        )
    warn(
        f"{source}:{n_lines}: the file ends inside its data, without a line break: "
        "if it was cut (an interrupted copy or export), results miss its end",
        DataWarning,
        stacklevel=2,
    )


def check_no_gaps(table: Table, source: str) -> None:
    """Raise at a NaN or inf cell between numbers in a column (a damaged or hand-edited cell).

    A column may start or end with missing values (a channel switched on late, or off
    early), and may be missing throughout; a few non-finite cells between finite ones are
    damage, and a silently dropped row would shift every derived number.

    Raises
    ------
    InputFormatError
        ``file:line:column`` of the first such cell.
    """
    data = table.data
    if data.ndim != 2 or not data.size:
        return
    finite = np.isfinite(data)
    for j in range(data.shape[1]):
        ok = np.flatnonzero(finite[:, j])
        if ok.size < 2 or ok.size == data.shape[0]:
            continue
        inside = ~finite[ok[0] : ok[-1] + 1, j]
        n_bad = int(inside.sum())
        if 0 < n_bad <= max(3, data.shape[0] // 100):
            i = ok[0] + int(np.argmax(inside))
            name = table.names[j] if j < len(table.names) else f"column {j + 1}"
            raise InputFormatError(
                source,
                line=int(table.lines[i]),
                column=j + 1,
                expected=f"a number in column {name!r} (a gap inside the table)",
                got=repr(float(data[i, j])),
            )


def locate_non_finite(path: str | PathLike[str]) -> tuple[int, int] | None:
    """Return (line, column) of the first NaN/inf cell of a text file, 1-based; None if none.

    Cells are split at whitespace, commas and semicolons. Used to give an error about
    non-finite data its place in the file.
    """
    try:
        data = Path(path).read_bytes()
    except OSError:
        return None
    if b"\x00" in data[:4096]:
        return None
    for k, line in enumerate(data.decode("latin-1").splitlines(), 1):
        for j, cell in enumerate(c for c in re.split(r"[\s,;]+", line.strip()) if c):
            if _NONFINITE.match(cell):
                return k, j + 1
    return None
