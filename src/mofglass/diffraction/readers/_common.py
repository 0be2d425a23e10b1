"""Helpers shared by the pattern readers: text decoding, numeric columns, wavelength lookup."""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from mofglass.diffraction.pattern import Pattern, Wavelength
from mofglass.errors import InputFormatError

__all__ = [
    "c_string",
    "check_monotonic",
    "decode_text",
    "parse_columns",
    "read_bytes",
    "read_text_with",
    "split_numeric",
    "wavelength_or_none",
]

_NUM = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eEdD][-+]?\d+)?$")


_COMPRESSED = {b"\x1f\x8b": "gzip", b"BZh": "bz2", b"\xfd7zXZ\x00": "lzma"}
#: Suffixes of compressed files, dropped before format sniffing by extension.
COMPRESSED_SUFFIXES = (".gz", ".bz2", ".xz")


def c_string(b: bytes) -> str:
    """Decode a fixed-width, NUL-terminated Latin-1 field of a binary header (stripped)."""
    return b.split(b"\x00", 1)[0].decode("latin-1").strip()


def read_bytes(path: str | Path) -> bytes:
    """Return the file's bytes, decompressed.

    The file's bytes (gzip / bzip2 / xz content decompressed transparently), or
    InputFormatError if it cannot be opened or decompressed.
    """
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputFormatError(path, expected="a readable file", got=str(exc)) from None
    for magic, module in _COMPRESSED.items():
        if data.startswith(magic):
            import importlib

            try:
                return bytes(importlib.import_module(module).decompress(data))
            except (OSError, EOFError, ValueError) as exc:
                raise InputFormatError(
                    path, expected=f"a complete {module} stream", got=str(exc)
                ) from None
    return data


def read_text_with(parse: Callable[..., Pattern], path: str | Path) -> Pattern:
    """Read a text pattern file: its bytes, decoded, given to ``parse(text, source=path)``."""
    source = str(path)
    return parse(decode_text(read_bytes(path), source), source=source)


def decode_text(data: bytes, source: str) -> str:
    """Decode bytes as UTF-8 (BOM allowed), falling back to latin-1; reject binary data."""
    if b"\x00" in data[:4096]:
        raise InputFormatError(source, line=1, expected="a text file", got="binary data")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _is_number(tok: str) -> bool:
    return bool(_NUM.match(tok)) or tok.lower() in ("nan", "inf", "-inf")


def split_numeric(line: str) -> list[str]:
    """Split a data line on whitespace, commas or semicolons."""
    return [t for t in re.split(r"[\s,;]+", line.strip()) if t]


def parse_columns(
    lines: Sequence[str],
    source: str,
    *,
    first_line: int = 1,
    min_columns: int = 2,
    max_columns: int | None = None,
    comment_chars: str = "#!;%*",
) -> tuple[np.ndarray, np.ndarray]:
    """Numeric table from text lines with one row per line.

    Comment lines (starting with ``comment_chars``) and blank lines are skipped. Every data line
    must have the same number of numeric columns, at least ``min_columns``.

    Returns
    -------
    table : ndarray, shape (n_rows, n_columns)
    line_numbers : ndarray of int
        1-based line number of each row (for error messages).

    Raises
    ------
    InputFormatError
        Naming the line (numbered from ``first_line``) that is not numeric or has a different
        column count from the first data line.
    """
    fast = _parse_fast(lines, first_line, min_columns, max_columns, comment_chars)
    if fast is not None:
        return fast
    rows: list[list[float]] = []
    linenos: list[int] = []
    ncol = 0
    expected_desc = (
        f"{min_columns} numeric columns"
        if max_columns is None
        else (f"{min_columns}-{max_columns} numeric columns")
    )
    for i, raw in enumerate(lines):
        s = raw.strip()
        if not s or s[0] in comment_chars:
            continue
        toks = split_numeric(s)
        lineno = first_line + i
        if not all(_is_number(t) for t in toks):
            raise InputFormatError(source, line=lineno, expected=expected_desc, got=s)
        if ncol == 0:
            ncol = len(toks)
            if ncol < min_columns or (max_columns is not None and ncol > max_columns):
                raise InputFormatError(source, line=lineno, expected=expected_desc, got=s)
        elif len(toks) != ncol:
            raise InputFormatError(
                source, line=lineno, expected=f"{ncol} numeric columns like the first row", got=s
            )
        rows.append([float(t.replace("d", "e").replace("D", "e")) for t in toks])
        linenos.append(lineno)
    if not rows:
        raise InputFormatError(source, expected=f"data lines with {expected_desc}", got="none")
    if len(rows) < 2:
        raise InputFormatError(source, expected="at least 2 data points", got="1")
    return np.asarray(rows, dtype=float), np.asarray(linenos, dtype=int)


def _parse_fast(
    lines: Sequence[str],
    first_line: int,
    min_columns: int,
    max_columns: int | None,
    comment_chars: str,
) -> tuple[np.ndarray, np.ndarray] | None:
    """Parse the data lines with numpy's C parser; None when anything is off (the slow path reports)."""
    kept = [
        (first_line + i, s)
        for i, raw in enumerate(lines)
        if (s := raw.strip()) and s[0] not in comment_chars
    ]
    if len(kept) < 2:
        return None
    text = "\n".join(s for _, s in kept).replace(",", " ").replace(";", " ")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            table = np.loadtxt(io.StringIO(text), ndmin=2, dtype=float)
    except (ValueError, UserWarning):
        return None
    ncol = table.shape[1]
    if table.shape[0] != len(kept) or ncol < min_columns:
        return None
    if max_columns is not None and ncol > max_columns:
        return None
    return table, np.array([n for n, _ in kept], dtype=int)


def wavelength_or_none(
    ka1: float | None, ka2: float | None = None, ratio: float | None = None
) -> Wavelength | None:
    """Return a :class:`Wavelength` from a file's values (None when Kα1 is unknown or <= 0)."""
    if ka1 is None or not np.isfinite(ka1) or ka1 <= 0:
        return None
    if ka2 is not None and (not np.isfinite(ka2) or ka2 <= 0 or abs(ka2 - ka1) < 1e-6):
        ka2 = None
    r = 0.0 if ratio is None or not np.isfinite(ratio) else float(ratio)
    if ka2 is not None and r <= 0:
        r = 0.5
    return Wavelength(float(ka1), ka2, r)


def check_monotonic(x: np.ndarray, source: str, *, line_numbers: np.ndarray | None = None) -> None:
    """Raise InputFormatError if 2θ is not finite and strictly monotonic."""

    def where(i: int) -> int | None:
        return None if line_numbers is None else int(line_numbers[i])

    bad = ~np.isfinite(x)
    if bad.any():
        i = int(np.argmax(bad))
        raise InputFormatError(
            source,
            line=where(i),
            expected="finite 2θ values",
            got=str(x[i]),
        )
    d = np.diff(x)
    if np.any(d <= 0) and not np.all(d < 0):
        i = int(np.argmax(d <= 0)) + 1
        raise InputFormatError(
            source,
            line=where(i),
            expected="strictly increasing 2θ",
            got=f"{x[i - 1]} then {x[i]}",
        )
