"""Riet7 / Siemens DIFFRAC ``.dat`` files: a start-step-end line followed by counts.

Layout (as written by Bruker EVA "Riet7 dat" export and DIFFRAC-AT)::

    SampleIdent ...                         <- optional free-text header lines
    Anode Cu  Alpha1 1.54060  Alpha2 1.54439  Ratio 0.50000
       5.000   0.020  50.000    MeasureDateTime ...   <- 2θ start, step, end (degrees)
          16      20      18 ...                        <- counts, any number per line

The number of counts must equal ``round((end - start) / step) + 1``.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from mofglass.diffraction.pattern import Pattern
from mofglass.diffraction.readers._common import (
    _is_number,
    decode_text,
    read_bytes,
    split_numeric,
    wavelength_or_none,
)
from mofglass.errors import InputFormatError

__all__ = ["find_range_line", "parse_riet7", "read_riet7"]


def find_range_line(lines: list[str], *, max_header: int = 12) -> int | None:
    """Index of the ``start step end`` line, or None when the text is not a Riet7 file."""
    for i, ln in enumerate(lines[:max_header]):
        toks = split_numeric(ln)
        if len(toks) < 3 or not all(_is_number(t) for t in toks[:3]):
            continue
        start, step, end = (float(t) for t in toks[:3])
        if step <= 0 or end <= start:
            return None
        n = (end - start) / step
        if abs(n - round(n)) > 1e-3 * max(1.0, n) or n > 1e7:
            return None
        nxt = split_numeric(lines[i + 1]) if i + 1 < len(lines) else []
        # a headerless 3-column .xye row could look like a range line: require a header
        # before it or a count line after it that is not 3 columns wide
        return i if (i > 0 or len(nxt) != 3) else None
    return None


def parse_riet7(text: str, *, source: str = "<string>") -> Pattern:
    """Parse Riet7 ``.dat`` text into a :class:`Pattern` (see module docstring).

    Raises
    ------
    InputFormatError
        If there is no start-step-end line, a count is not numeric (with its line), or the
        number of counts differs from the range.
    """
    lines = text.splitlines()
    k = find_range_line(lines)
    if k is None:
        raise InputFormatError(
            source, expected="a 'start step end' line (Riet7 .dat)", got=lines[0] if lines else ""
        )
    start, step, end = (float(t) for t in split_numeric(lines[k])[:3])
    n_expected = round((end - start) / step) + 1
    header = "\n".join(lines[:k])
    meta: dict[str, object] = {"header": header}
    wl: dict[str, float] = {}
    for key in ("Alpha1", "Alpha2", "Ratio"):
        m = re.search(rf"{key}\s+([0-9.]+)", header)
        if m:
            wl[key] = float(m.group(1))
    counts: list[float] = []
    for j in range(k + 1, len(lines)):
        toks = split_numeric(lines[j])
        for t in toks:
            if not _is_number(t):
                raise InputFormatError(
                    source, line=j + 1, expected="numeric counts", got=lines[j].strip()
                )
            counts.append(float(t))
    if len(counts) != n_expected:
        raise InputFormatError(
            source,
            line=len(lines),
            expected=f"{n_expected} counts for 2θ {start}-{end}° step {step}°",
            got=f"{len(counts)} counts",
        )
    x = start + step * np.arange(n_expected)
    return Pattern(
        two_theta_deg=x,
        intensity=np.asarray(counts),
        radiation=wavelength_or_none(wl.get("Alpha1"), wl.get("Alpha2"), wl.get("Ratio")),
        metadata=meta,
        source=source,
        intensity_unit="counts",
    )


def read_riet7(path: str | Path) -> Pattern:
    """Read a Riet7 ``.dat`` file; see :func:`parse_riet7`."""
    source = str(path)
    return parse_riet7(decode_text(read_bytes(path), source), source=source)
