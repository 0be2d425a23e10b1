"""GSAS powder data files with a ``BANK`` line.

GSAS powder data files with a ``BANK`` line: ``.fxye`` (and ``.gsa`` / ``.gss`` in FXYE or
ESD constant-step layout).

The header is free text up to the first line starting with ``BANK``::

    BANK 1 49494 49494 CONS 50.000000 0.099987 0 0 FXYE

For ``FXYE`` the data rows are ``2θ  I  esd`` with 2θ in **centidegrees**; ``CONS ... ESD``
gives start and step (centidegrees) in the BANK line and (I, esd) pairs, 5 per line;
``CONST ... STD`` packs 10 fields of (counter number I2, counts F6.0) per 80-character record.
The RALF layout is refused with a clear message. Only the first bank is read (the number of
banks is kept in ``metadata["n_banks"]``). The wavelength is read from a ``Calibrated wavelength`` or
``Wavelength`` comment when present (it is normally in the instrument ``.prm`` file).

References
----------
.. [1] A. C. Larson and R. B. Von Dreele, GSAS manual, LAUR 86-748 (2004), "Powder data files".
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from mofglass.diffraction.pattern import Pattern, Wavelength
from mofglass.diffraction.readers._common import (
    check_monotonic,
    parse_columns,
    read_text_with,
)
from mofglass.errors import InputFormatError

__all__ = ["parse_gsas", "read_gsas"]


def parse_gsas(text: str, *, source: str = "<string>") -> Pattern:
    """Parse GSAS text (first bank) into a :class:`Pattern` with 2θ in degrees.

    Raises
    ------
    InputFormatError
        If there is no BANK line, an unsupported layout, a non-numeric row (with its line), or
        fewer points than the BANK line declares (truncated file).
    """
    lines = text.splitlines()
    k = next((i for i, ln in enumerate(lines) if ln.startswith("BANK")), None)
    if k is None:
        raise InputFormatError(source, expected="a 'BANK' line (GSAS powder data)", got="none")
    toks = lines[k].split()
    try:
        n_points = int(toks[2])
        binning = toks[4].upper()
        layout = toks[-1].upper() if len(toks) > 5 and toks[-1].isalpha() else "STD"
    except (IndexError, ValueError):
        raise InputFormatError(
            source, line=k + 1, expected="BANK n npts nrec CONS|RALF ...", got=lines[k]
        ) from None
    nxt = next((i for i in range(k + 1, len(lines)) if lines[i].startswith("BANK")), len(lines))
    body = lines[k + 1 : nxt]
    x: np.ndarray
    y: np.ndarray
    esd: np.ndarray | None
    meta: dict[str, object] = {
        "format": "gsas",
        "bank_line": lines[k].strip(),
        "header": lines[:k],
        "n_banks": sum(ln.startswith("BANK") for ln in lines),
    }
    if layout == "FXYE":
        table, linenos = parse_columns(
            body, source, first_line=k + 2, min_columns=3, max_columns=3, comment_chars="#"
        )
        x = table[:, 0] / 100.0
        y, esd = table[:, 1], table[:, 2]
        check_monotonic(x, source, line_numbers=linenos)
    elif binning in ("CONS", "CONST") and layout == "STD":
        start, step = float(toks[5]) / 100.0, float(toks[6]) / 100.0
        y, esd = _std_values(body, source, first_line=k + 2)
        x = start + step * np.arange(y.size)
    elif binning in ("CONS", "CONST") and layout == "ESD":
        start, step = float(toks[5]) / 100.0, float(toks[6]) / 100.0
        vals: list[float] = []
        for j, ln in enumerate(body):
            for t in ln.split():
                try:
                    vals.append(float(t))
                except ValueError:
                    raise InputFormatError(
                        source, line=k + 2 + j, expected="numeric values", got=ln
                    ) from None
        arr = np.asarray(vals)
        if arr.size % 2:
            raise InputFormatError(
                source, line=k + 1 + len(body), expected="(I, esd) pairs", got=f"{arr.size} values"
            )
        y, esd = arr[0::2], arr[1::2]
        x = start + step * np.arange(y.size)
    else:
        raise InputFormatError(
            source, line=k + 1, expected="FXYE, or CONS with STD or ESD", got=lines[k]
        )
    if x.size < n_points:
        raise InputFormatError(
            source,
            line=k + 1 + len(body),
            expected=f"{n_points} points declared in the BANK line",
            got=f"{x.size} (truncated)",
        )
    wl = None
    for ln in lines[:k]:
        m = re.search(r"wavelength\s*[=:]\s*([0-9.]+)", ln, re.I)
        if m:
            wl = Wavelength(float(m.group(1)))
    return Pattern(
        two_theta_deg=x[:n_points],
        intensity=y[:n_points],
        sigma=None if esd is None else esd[:n_points],
        radiation=wl,
        metadata=meta,
        source=source,
        intensity_unit="counts",
    )


def _std_values(body: list[str], source: str, *, first_line: int) -> tuple[np.ndarray, np.ndarray]:
    """Parse GSAS STD records.

    STD records: 10 fields of 8 characters, each (NCTR: I2, counts: F6.0); the esd of the
    mean of NCTR counters is √(max(I, 1) / NCTR) (NCTR blank or 0 means 1).
    """
    ys: list[float] = []
    ns: list[float] = []
    for j, ln in enumerate(body):
        if not ln.strip():
            continue
        for f in range(0, min(len(ln.rstrip("\r\n")), 80), 8):
            field = ln[f : f + 8]
            if not field.strip():
                continue
            try:
                n = int(field[:2]) if field[:2].strip() else 1
                ys.append(float(field[2:8]))
            except ValueError:
                raise InputFormatError(
                    source,
                    line=first_line + j,
                    column=f + 1,
                    expected="an (I2, F6.0) field",
                    got=repr(field),
                ) from None
            ns.append(max(n, 1))
    y = np.asarray(ys)
    return y, np.sqrt(np.maximum(y, 1.0) / np.asarray(ns, dtype=float))


def read_gsas(path: str | Path) -> Pattern:
    """Read a GSAS ``.fxye`` / ``.gsa`` file; see :func:`parse_gsas`."""
    return read_text_with(parse_gsas, path)
