"""Riet7 / Siemens DIFFRAC ``.dat`` files: a start-step-end line followed by counts.

Layout (as written by Bruker EVA "Riet7 dat" export and DIFFRAC-AT)::

    SampleIdent ...                         <- optional free-text header lines
    Anode Cu  Alpha1 1.54060  Alpha2 1.54439  Ratio 0.50000
       5.000   0.020  50.000    MeasureDateTime ...   <- 2θ start, step, end (degrees)
          16      20      18 ...                        <- counts, any number per line

The number of counts must equal ``round((end - start) / step) + 1``. The same family holds
the neutron files of ILL D1A (``D1A5`` layout: title with the wavelength in Å, a line of run
numbers, then start-step-end) and PSI DMC/HRPT (``lambda=`` header line): there the counts are
followed by as many estimated standard deviations, and PSI files end with ``key=value`` lines.
Counts then esds (2n numbers) are read as such; a trailing block of lines that do not start with
a number is kept as metadata. The wavelength is read from ``Alpha1``, ``lambda=`` or a title
number followed by ``A``/``Å``. The family is the one xylib reads as "RIET7/ILL_D1A5/PSI_DMC
DAT" [1]_.

References
----------
.. [1] M. Wojdyr, xylib format list (README), https://github.com/wojdyr/xylib.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import numpy as np

from mofglass.diffraction.pattern import Pattern
from mofglass.diffraction.readers._common import (
    _is_number,
    read_text_with,
    split_numeric,
    wavelength_or_none,
)
from mofglass.errors import DataWarning, InputFormatError

__all__ = ["find_range_line", "parse_riet7", "read_riet7"]


def find_range_line(lines: list[str], *, max_header: int = 12) -> int | None:
    """Index of the ``start step end`` line, or None when the text is not a Riet7 file."""
    for i, ln in enumerate(lines[:max_header]):
        toks = split_numeric(ln)
        if len(toks) < 3 or not all(_is_number(t) for t in toks[:3]):
            continue
        start, step, end = (float(t) for t in toks[:3])
        nxt = split_numeric(lines[i + 1]) if i + 1 < len(lines) else []
        n = (end - start) / step if step > 0 else -1.0
        if n < 1 or abs(n - round(n)) > 1e-3 * max(1.0, n) or n > 1e7:
            if len(nxt) != len(toks):  # a header line of numbers (ILL run numbers): go on
                continue
            return None  # a data row like the next one: plain columns, not Riet7
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
    counts, footer = _counts(lines, k, source)
    if footer:
        meta["footer"] = "\n".join(footer)
    esd = None
    if len(counts) == 2 * n_expected:  # ILL D1A / PSI DMC: counts, then their esds
        esd = np.asarray(counts[n_expected:])
        counts = counts[:n_expected]
        if np.any(esd < 0):
            raise InputFormatError(
                source, expected="non-negative esds after the counts", got=f"{esd.min():g}"
            )
    if len(counts) != n_expected:
        raise InputFormatError(
            source,
            line=len(lines),
            expected=f"{n_expected} counts for 2θ {start}-{end}° step {step}°",
            got=f"{len(counts)} counts",
        )
    x = start + step * np.arange(n_expected)
    y = np.asarray(counts)
    keep = x > 0
    if not keep.all():  # ILL D1A scans start at negative 2θ (detector bank below the beam)
        warnings.warn(
            f"{source}: {int((~keep).sum())} points at 2θ <= 0° (from {start:g}°) dropped",
            DataWarning,
            stacklevel=2,
        )
        x, y = x[keep], y[keep]
        esd = None if esd is None else esd[keep]
    return Pattern(
        two_theta_deg=x,
        intensity=y,
        sigma=esd,
        radiation=wavelength_or_none(
            wl.get("Alpha1", _title_wavelength(header)), wl.get("Alpha2"), wl.get("Ratio")
        ),
        metadata=meta,
        source=source,
        intensity_unit="counts",
    )


def _counts(lines: list[str], k: int, source: str) -> tuple[list[float], list[str]]:
    """Numbers after the range line ``k``, and the trailing lines that start with no number."""
    counts: list[float] = []
    footer: list[str] = []
    for j in range(k + 1, len(lines)):
        toks = split_numeric(lines[j])
        if not toks:
            continue
        if footer or not _is_number(toks[0]):
            if _is_number(toks[0]):
                raise InputFormatError(
                    source, line=j + 1, expected="no counts after the footer", got=lines[j].strip()
                )
            footer.append(lines[j].strip())
            continue
        for t in toks:
            if not _is_number(t):
                raise InputFormatError(
                    source, line=j + 1, expected="numeric counts", got=lines[j].strip()
                )
            counts.append(float(t))
    return counts, footer


def _title_wavelength(header: str) -> float | None:
    """Wavelength in Å from ``lambda= 1.494`` or a title number followed by ``A``/``Å``."""
    m = re.search(r"lambda\s*=\s*([0-9.]+)", header, re.IGNORECASE) or re.search(
        r"(?<![\w.])([0-9]+\.[0-9]+)\s*(?:A|Å)(?![\w])", header
    )
    return float(m.group(1)) if m else None


def read_riet7(path: str | Path) -> Pattern:
    """Read a Riet7 ``.dat`` file; see :func:`parse_riet7`."""
    return read_text_with(parse_riet7, path)
