"""The one text decoder and number parser of the mofglass readers.

Every decision (encoding, decimal mark) is returned as a warning string so the reader can put
it on its data object; nothing is guessed silently. Errors are
:class:`~mofglass.errors.InputFormatError` naming ``file:line:column``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from mofglass.errors import InputFormatError

__all__ = ["decode", "decode_text", "detect_decimal", "parse_numbers", "split_name_unit"]

_DECLARED = {"ANSI": "cp1252", "UTF8": "utf-8", "UTF-8": "utf-8", "UNICODE": "utf-16"}


def decode(raw: bytes, source: str, *, declared: str | None = None) -> tuple[str, str, list[str]]:
    """Decode file bytes, detecting the encoding.

    Order: byte-order marks (UTF-8, UTF-16 LE/BE); UTF-16 without BOM (NUL in every other
    byte); a declared encoding; strict UTF-8; else Windows-1252 (latin-1), with a warning.

    Returns
    -------
    text, encoding, warnings

    Raises
    ------
    InputFormatError
        If the bytes are not text (NUL bytes that are not UTF-16, or a zip/binary container).
    """
    warnings: list[str] = []
    if raw[:2] == b"PK" or raw[:4] == b"\x7fELF":
        raise InputFormatError(source, expected="a text export", got="a binary/zip container")
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="strict"), "utf-8-sig", warnings
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), "utf-16", warnings
        except UnicodeDecodeError as exc:
            raise InputFormatError(source, expected="valid UTF-16 text", got=str(exc)) from exc
    head = raw[:4000]
    if head and head.count(b"\x00") > len(head) // 4:
        even_nul = head[1::2].count(b"\x00") > len(head) // 3
        enc = "utf-16-le" if even_nul else "utf-16-be"
        try:
            text = raw.decode(enc)
        except UnicodeDecodeError as exc:
            raise InputFormatError(source, expected="text", got="binary data") from exc
        warnings.append(
            f"no byte-order mark; decoded as {enc.upper()} (NUL bytes in every other byte)"
        )
        return text, enc, warnings
    if b"\x00" in head:
        raise InputFormatError(source, expected="a text export", got="binary data (NUL bytes)")
    if declared is not None:
        denc = _DECLARED.get(declared.strip().upper())
        if denc is not None:
            try:
                return raw.decode(denc), denc, warnings
            except UnicodeDecodeError:
                warnings.append(f"file declares {declared.strip()} but does not decode as {denc}")
    try:
        return raw.decode("utf-8"), "utf-8", warnings
    except UnicodeDecodeError:
        pass
    warnings.append("not valid UTF-8; decoded as Windows-1252 (latin-1)")
    return raw.decode("cp1252", errors="replace"), "cp1252", warnings


_NUM = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")


def detect_decimal(cells: Sequence[str], separator: str) -> str | None:
    """Decimal mark of a sample of numeric cells: ``"."``, ``","`` or None if no cell has one.

    A cell with more than one mark, or both marks in the sample, makes the mark ambiguous and
    returns ``"mixed"``.
    """
    has_dot = has_comma = False
    for c in cells:
        c = c.strip()
        if not c:
            continue
        mant = re.split(r"[eE]", c)[0]
        n_dot, n_comma = mant.count("."), mant.count(",")
        if n_dot + n_comma > 1:
            return "mixed"
        has_dot |= n_dot == 1
        has_comma |= n_comma == 1
    if has_dot and has_comma:
        return "mixed"
    if has_comma and separator == ",":
        return "mixed"
    return "," if has_comma else ("." if has_dot else None)


def parse_numbers(
    rows: Sequence[tuple[int, Sequence[str]]],
    source: str,
    *,
    decimal: str = ".",
    ncols: int | None = None,
) -> np.ndarray:
    """Parse split rows (line number, cells) into a float array, naming the first bad cell.

    Raises
    ------
    InputFormatError
        ``file:line:column: expected a number ..., got '...'`` or a wrong number of columns.
    """
    if not rows:
        raise InputFormatError(source, expected="data rows", got="none")
    width = ncols if ncols is not None else len(rows[0][1])
    fast = _fast_parse(rows, width, decimal)
    if fast is not None:
        return fast
    out = np.empty((len(rows), width))
    for i, (lineno, cells) in enumerate(rows):
        if len(cells) < width:
            raise InputFormatError(
                source,
                line=lineno,
                expected=f"{width} columns",
                got=f"{len(cells)}: {' | '.join(cells)}",
            )
        for j in range(width):
            c = cells[j].strip()
            if decimal == ",":
                c2 = c.replace(",", ".")
                bad = "." in c
            else:
                c2 = c
                bad = "," in c
            if bad or (
                not _NUM.match(c2.replace("inf", "1").replace("nan", "1"))
                and c2.lower()
                not in (
                    "nan",
                    "inf",
                    "-inf",
                )
            ):
                raise InputFormatError(
                    source,
                    line=lineno,
                    column=j + 1,
                    expected=f"a number with decimal mark {decimal!r}",
                    got=cells[j].strip(),
                )
            out[i, j] = float(c2)
    return out


_LETTERS = re.compile(r"[A-DF-Za-df-z]")  # any letter except the exponent e/E


def _fast_parse(
    rows: Sequence[tuple[int, Sequence[str]]], width: int, decimal: str
) -> np.ndarray | None:
    """Vectorised parse when every row is complete and clean; None to fall back to the slow path."""
    if any(len(c) < width for _, c in rows):
        return None
    cells = [c[:width] for _, c in rows]
    flat = "\x1f".join("\x1f".join(c) for c in cells)
    if decimal == ",":
        if "." in flat:
            return None
        cells = [[x.replace(",", ".") for x in c] for c in cells]
    elif "," in flat:
        return None
    if _LETTERS.search(flat):
        return None
    try:
        return np.array(cells, dtype=float)
    except ValueError:
        return None


_UNIT_IN = re.compile(r"^(.*?)\s*[\[(]\s*([^\[\]()]*?)\s*[\])]\s*$")


def split_name_unit(header: str) -> tuple[str, str]:
    """Split ``"Heat Flow (mW)"``, ``"Temp./°C"``, ``"DSC/(mW/mg)"`` into name and unit."""
    h = header.strip().strip('"').replace("\ufeff", "")
    if "/(" in h:
        name, unit = h.split("/(", 1)
        return name.strip(), _norm_unit(unit.rstrip(") "))
    m = _UNIT_IN.match(h)
    if m and m.group(1):
        return m.group(1).strip(), _norm_unit(m.group(2))
    if "/" in h:
        name, unit = h.split("/", 1)
        return name.strip(), _norm_unit(unit.strip("() "))
    return h, ""


def _norm_unit(u: str) -> str:
    u = u.strip().replace("Â°", "°").replace("º", "°").replace("Âµ", "µ").replace("μ", "µ")
    u = u.replace("deg C", "°C").replace("degC", "°C")
    if u in ("C", "° C", "oC", "øC", "ø C"):  # TA Universal Analysis writes ° as 0xF8 (cp437)
        u = "°C"
    return u


def decode_text(raw: bytes, source: str) -> str:
    """:func:`decode` without the encoding and warnings: the text, or InputFormatError.

    An empty file is an error too (``file:1: expected text, got 'an empty file'``).
    """
    if not raw.strip():
        raise InputFormatError(source, line=1, expected="text", got="an empty file")
    return decode(raw, source)[0]
