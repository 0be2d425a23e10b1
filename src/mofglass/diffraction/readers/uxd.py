"""Bruker / Siemens UXD text export (``_KEY=value`` header lines, ``;`` comments).

Data follow ``_2THETACOUNTS`` (or ``_2THETACPS``) as ``2θ  I`` pairs, or ``_COUNTS`` (or
``_CPS``) as intensities only on the grid of the range's ``_START`` and ``_STEPSIZE``. The
wavelength comes from ``_WL1``, ``_WL2`` and ``_WLRATIO``. All ranges are concatenated.

References
----------
.. [1] Bruker AXS, DIFFRAC^plus XCH V.5.0 User's Manual (2002), UXD file format.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from mofglass.diffraction.pattern import Pattern
from mofglass.diffraction.readers._common import read_text_with, wavelength_or_none
from mofglass.errors import InputFormatError

__all__ = ["parse_uxd", "read_uxd"]

_PAIRS = ("_2THETACOUNTS", "_2THETACPS")
_SINGLE = ("_COUNTS", "_CPS")


def _data_line(
    ln: str,
    mode: str,
    grid: tuple[float | None, float | None, int],
    xs: list[float],
    ys: list[float],
    where: tuple[str, int, str],
) -> int:
    """Append the points of one data line to ``xs``, ``ys``; return the points in the range.

    ``grid`` is (start, step, points so far) of a ``_COUNTS`` range; ``where`` (source, line
    number, text) names the line in errors.
    """
    source, i, got = where
    start, step, n_in_range = grid
    try:
        vals = [float(v) for v in ln.replace(",", " ").split()]
    except ValueError:
        raise InputFormatError(source, line=i, expected="numbers", got=got) from None
    if mode in _PAIRS:
        if len(vals) < 2:
            raise InputFormatError(source, line=i, expected="2θ and intensity", got=got)
        xs.append(vals[0])
        ys.append(vals[1])
        return n_in_range
    if mode not in _SINGLE:
        raise InputFormatError(source, line=i, expected="a _COUNTS or _2THETACOUNTS line")
    if start is None or step is None:
        raise InputFormatError(source, line=i, expected="_START and _STEPSIZE before data")
    for v in vals:
        xs.append(start + step * n_in_range)
        ys.append(v)
        n_in_range += 1
    return n_in_range


def parse_uxd(text: str, *, source: str = "<string>") -> Pattern:
    """Parse UXD text into a :class:`Pattern` (InputFormatError names the bad line)."""
    head: dict[str, str] = {}
    xs: list[float] = []
    ys: list[float] = []
    mode = ""
    start = step = None
    n_in_range = 0
    cps = False
    for i, raw in enumerate(text.splitlines(), 1):
        ln = raw.strip()
        if not ln or ln.startswith(";"):
            continue
        if ln.startswith("_"):
            key, _, val = ln.partition("=")
            key = key.strip().upper()
            if key in _PAIRS + _SINGLE:
                mode, n_in_range, cps = key, 0, key.endswith("CPS")
            else:
                head[key] = val.strip().strip("'")
                if key == "_START":
                    start = float(val)
                elif key == "_STEPSIZE":
                    step = float(val)
            continue
        where = (source, i, ln[:40])
        n_in_range = _data_line(ln, mode, (start, step, n_in_range), xs, ys, where)
    if not xs:
        raise InputFormatError(source, expected="UXD data lines", got="none")

    def num(key: str) -> float | None:
        try:
            return float(head[key])
        except (KeyError, ValueError):
            return None

    x, y = np.asarray(xs), np.asarray(ys)
    x, idx = np.unique(x, return_index=True)
    return Pattern(
        two_theta_deg=x,
        intensity=y[idx],
        radiation=wavelength_or_none(num("_WL1"), num("_WL2"), num("_WLRATIO")),
        metadata={"format": "uxd", **{k.lstrip("_").lower(): v for k, v in head.items()}},
        source=source,
        intensity_unit="cps" if cps else "counts",
    )


def read_uxd(path: str | Path) -> Pattern:
    """Read a UXD file; see :func:`parse_uxd`."""
    return read_text_with(parse_uxd, path)
