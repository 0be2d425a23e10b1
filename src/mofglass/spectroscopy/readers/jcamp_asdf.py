"""JCAMP-DX compressed ordinates (ASDF): the SQZ, DIF and DUP forms, with the X and Y checks.

A line of an ``(X++(Y..Y))`` table is an abscissa followed by ordinates. In the ASCII squeezed
difference form (ASDF) of McDonald & Wilks [1]_ each number may be written as

* SQZ: its first digit and sign as one letter, ``@`` = 0, ``A``-``I`` = +1..+9 and
  ``a``-``i`` = -1..-9 (``a23`` is -123);
* DIF: the difference to the previous ordinate, ``%`` = 0, ``J``-``R`` = +1..+9 and
  ``j``-``r`` = -1..-9 (``J5`` adds 15);
* DUP: a repeat count of the previous token, ``S``-``Z`` = 1..8 and ``s`` = 9 (``T`` repeats
  the previous value or difference once more; ``S2`` means 12 occurrences in all);
* AFFN or PAC: plain numbers separated by blanks, commas or signs.

When a line ends with a DIF token, the next line starts with that same ordinate again (the
*Y check*); it is compared and dropped. The abscissa of every line must match the index of its
first ordinate (the *X check*), so a lost or repeated line is found at its line number.

References
----------
.. [1] R. S. McDonald, P. A. Wilks, "JCAMP-DX: A Standard Form for Exchange of Infrared
       Spectra in Computer Readable Form", Appl. Spectrosc. 42 (1988) 151-162, section 5
       (ASDF compression: SQZ, DIF, DUP and the ordinate check).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mofglass.errors import InputFormatError

__all__ = ["DecodedTable", "decode_xydata", "is_compressed"]

_SQZ = {"@": 0, **{c: i + 1 for i, c in enumerate("ABCDEFGHI")}}
_SQZ.update({c: -(i + 1) for i, c in enumerate("abcdefghi")})
_DIF = {"%": 0, **{c: i + 1 for i, c in enumerate("JKLMNOPQR")}}
_DIF.update({c: -(i + 1) for i, c in enumerate("jklmnopqr")})
_DUP = {**{c: i + 1 for i, c in enumerate("STUVWXYZ")}, "s": 9}

_TOKEN = re.compile(
    r"(?P<sqz>[@A-Ia-i])(?P<sqzd>\d*\.?\d*)"
    r"|(?P<dif>[%J-Rj-r])(?P<difd>\d*\.?\d*)"
    r"|(?P<dup>[S-Zs])(?P<dupd>\d*)"
    r"|(?P<affn>[+-]?(?:\d+\.?\d*|\.\d+))"
    r"|(?P<sep>[\s,;]+)"
)
_ASDF_CHARS = re.compile(r"[@A-DF-Za-df-z%]")


def is_compressed(bodies: list[str]) -> bool:
    """Tell whether any table line uses SQZ, DIF or DUP characters (``E``/``e`` alone do not).

    Parameters
    ----------
    bodies : list of str
        The table's lines without their ``$$`` comments.

    Returns
    -------
    bool
        True when the table is in a compressed (ASDF) form.

    Examples
    --------
    >>> is_compressed(["400 1.5E+02 12"]), is_compressed(["400A00J5"])
    (False, True)
    """
    return any(_ASDF_CHARS.search(b) for b in bodies)


@dataclass(frozen=True)
class DecodedTable:
    """Ordinates of an ``(X++(Y..Y))`` table and the abscissa written on each line.

    Attributes
    ----------
    y : list of float
        Every ordinate in order, Y-check values removed (before YFACTOR).
    line_x : list of tuple
        ``(line number, abscissa as written, index of the ordinate it labels)`` per line.
    """

    y: list[float]
    line_x: list[tuple[int, float, int]]


def _number(head: int, digits: str, source: str, lineno: int, col: int) -> float:
    """Build the number whose first digit (with its sign) is ``head`` and the rest ``digits``."""
    text = f"{abs(head)}{digits}"
    try:
        value = float(text)
    except ValueError:
        raise InputFormatError(
            source, line=lineno, column=col, expected="a compressed JCAMP number", got=text
        ) from None
    return -value if head < 0 else value


def _tokens(body: str, source: str, lineno: int) -> list[tuple[float, bool]]:
    """Decode one line into ``(value, is_difference)`` tokens, DUP counts expanded."""
    out: list[tuple[float, bool]] = []
    pos = 0
    while pos < len(body):
        m = _TOKEN.match(body, pos)
        if m is None or m.end() == pos:
            raise InputFormatError(
                source,
                line=lineno,
                column=pos + 1,
                expected="JCAMP-DX ASDF characters (digits, @A-Ia-i, %J-Rj-r, S-Zs)",
                got=body[pos : pos + 10],
            )
        col = pos + 1
        pos = m.end()
        if m["sqz"]:
            out.append((_number(_SQZ[m["sqz"]], m["sqzd"], source, lineno, col), False))
        elif m["dif"]:
            out.append((_number(_DIF[m["dif"]], m["difd"], source, lineno, col), True))
        elif m["dup"]:
            count = int(f"{_DUP[m['dup']]}{m['dupd']}")
            if not out:
                raise InputFormatError(
                    source, line=lineno, column=col, expected="a value before a DUP count"
                )
            out.extend([out[-1]] * (count - 1))
        elif m["affn"]:
            out.append((float(m["affn"]), False))
    return out


def decode_xydata(rows: list[tuple[int, str]], source: str) -> DecodedTable:
    """Decode the lines of an ``(X++(Y..Y))`` table in any ASDF or AFFN form.

    Parameters
    ----------
    rows : list of (int, str)
        ``(line number, text)`` of each table line, ``$$`` comments removed.
    source : str
        File name for error messages.

    Returns
    -------
    DecodedTable
        Ordinates (Y checks removed) and each line's abscissa with the index it labels.

    Raises
    ------
    InputFormatError
        An unknown character, a DIF with no ordinate before it, or a failed Y check (naming
        the line).

    Examples
    --------
    >>> t = decode_xydata([(1, "100@A2J3"), (2, "102B5J0o"), (3, "104B9J")], "x.jdx")
    >>> t.y
    [0.0, 12.0, 25.0, 35.0, 29.0, 30.0]
    """
    ys: list[float] = []
    line_x: list[tuple[int, float, int]] = []
    last_was_dif = False
    for lineno, body in rows:
        toks = _tokens(body, source, lineno)
        if not toks:
            continue
        (x, x_dif), ords = toks[0], toks[1:]
        if x_dif:
            raise InputFormatError(source, line=lineno, expected="an abscissa, not a DIF")
        values = _ordinates(ords, ys[-1] if ys else None, source, lineno)
        checked = last_was_dif and bool(values)
        if checked:
            if abs(values[0] - ys[-1]) > 1e-9 * max(1.0, abs(ys[-1])):
                raise InputFormatError(
                    source,
                    line=lineno,
                    expected=f"Y check value {ys[-1]:g} (the previous line's last ordinate)",
                    got=f"{values[0]:g}",
                )
            values = values[1:]
        line_x.append((lineno, x, len(ys) - 1 if checked else len(ys)))
        ys.extend(values)
        last_was_dif = bool(ords) and ords[-1][1]
    return DecodedTable(ys, line_x)


def _ordinates(
    tokens: list[tuple[float, bool]], previous: float | None, source: str, lineno: int
) -> list[float]:
    """Turn value/difference tokens into ordinates, differences added to the one before."""
    out: list[float] = []
    current = previous
    for value, is_dif in tokens:
        if is_dif:
            if current is None:
                raise InputFormatError(
                    source, line=lineno, expected="an ordinate before the first DIF"
                )
            current = current + value
        else:
            current = value
        out.append(current)
    return out
