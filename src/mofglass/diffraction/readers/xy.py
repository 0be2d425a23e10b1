"""Plain column files: ``.xy``, ``.xye``, ``.csv``, ``.txt`` and Fit2D / pyFAI ``.chi``.

Two columns are 2θ and intensity, three add the intensity's standard uncertainty (``.xye``).
Columns may be separated by blanks, tabs, commas or semicolons. Comment lines start with
``# ! ; %``; one non-numeric header line (``2theta,I``) is allowed before the data. A Fit2D
``.chi`` header (title, x label, y label, point count) and pyFAI comment headers
(``# 2th_deg``, ``# q_A^-1``, ``# q_nm^-1``, ``# Wavelength: 1.5e-10``) are understood, so q
files are converted to 2θ when the wavelength is known. mofglass's own xye files add
``# Kalpha2: 1.5444274`` and ``# Ka2 ratio: 0.5`` comment lines for a Kα1+Kα2 beam.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from mofglass.crystallography.conversions import q_to_two_theta
from mofglass.diffraction.pattern import Pattern, Wavelength
from mofglass.diffraction.readers._common import (
    _is_number,
    check_monotonic,
    decode_text,
    parse_columns,
    read_bytes,
    split_numeric,
)
from mofglass.errors import InputFormatError

__all__ = ["X_AXES", "parse_xy", "read_xy", "sniff_chi_header"]

#: Recognised x axes: name -> (label patterns).
X_AXES = ("two_theta_deg", "q_invA", "q_invnm")

_AXIS_PATTERNS = (
    (re.compile(r"q_?a\^?-1|q\s*\(?\s*(1/a|a\^?-1|å\^?-1|a-1|1/å)", re.I), "q_invA"),
    (re.compile(r"q_?nm\^?-1|q\s*\(?\s*(1/nm|nm\^?-1|nm-1)", re.I), "q_invnm"),
    (re.compile(r"2th|2-?theta|two.?theta|angle", re.I), "two_theta_deg"),
)


def _axis_from_label(label: str) -> str | None:
    for pat, name in _AXIS_PATTERNS:
        if pat.search(label):
            return name
    return None


def sniff_chi_header(lines: list[str]) -> bool:
    """Return True when the first four lines are a Fit2D chi header (title, labels, point count)."""
    if len(lines) < 5:
        return False
    return (
        lines[3].strip().isdigit()
        and not all(_is_number(t) for t in split_numeric(lines[1]) or ["x"])
        and len(split_numeric(lines[4])) >= 2
    )


@dataclass
class _Header:
    """What the ``#`` comment lines say: x axis, wavelengths, Kα2 ratio, the lines."""

    axis: str | None = None
    wl: float | None = None
    ka2: float | None = None
    ratio: float | None = None
    comments: list[str] = field(default_factory=list)


def _comment_header(lines: list[str]) -> _Header:
    """Read the ``#`` comment lines among the first 200 (pyFAI and ``# Kalpha2:`` style)."""
    h = _Header()
    for ln in lines[:200]:
        s = ln.strip()
        if not s.startswith("#"):
            continue
        body = s.lstrip("#").strip()
        if body and len(h.comments) < 50:
            h.comments.append(body)
        m2 = re.match(r"(kalpha2|ka2)\s*[:=]\s*([0-9.]+)", body, re.I)
        mr = re.match(r"(ka2.?ratio|ratio)\s*[:=]\s*([0-9.]+)", body, re.I)
        m = re.match(r"(?:wavelength|kalpha1|ka1)\s*[:=]\s*([-+0-9.eE]+)\s*(\S*)", body, re.I)
        if m2:
            h.ka2 = float(m2.group(2))
        elif mr:
            h.ratio = float(mr.group(2))
        elif m:
            val = float(m.group(1))
            # pyFAI writes metres; other tools write Å
            h.wl = val * 1e10 if (m.group(2).lower() == "m" or val < 1e-6) else val
        elif body and h.axis is None and len(body.split()) <= 4:
            h.axis = _axis_from_label(body.split()[0])
    return h


def parse_xy(
    text: str,
    *,
    source: str = "<string>",
    x_axis: str | None = None,
    wavelength_A: float | None = None,
) -> Pattern:
    """Parse column text into a :class:`Pattern`.

    Parameters
    ----------
    text : str
        File content.
    source : str
        Name used in messages and stored in the pattern.
    x_axis : {"two_theta_deg", "q_invA", "q_invnm"}, optional
        Meaning of the first column; default from the header, else 2θ in degrees.
    wavelength_A : float, optional
        Wavelength in Å; overrides one found in a pyFAI header. Needed for q files.

    Raises
    ------
    InputFormatError
        With the line of the first non-numeric row or a row with a different column count.
    """
    lines = text.splitlines()
    header_axis: str | None = None
    first = 0
    meta: dict[str, object] = {}
    if sniff_chi_header(lines):
        meta["title"] = lines[0].strip()
        header_axis = _axis_from_label(lines[1])
        n_declared = int(lines[3].strip())
        meta["declared_points"] = n_declared
        first = 4
    head = _comment_header(lines)
    header_axis = header_axis or head.axis
    header_wl, header_ka2, header_ratio, comments = head.wl, head.ka2, head.ratio, head.comments
    # one non-numeric header line before the data is allowed (CSV column names)
    for i in range(first, len(lines)):
        s = lines[i].strip()
        if not s or s[0] in "#!;%*":
            continue
        if not all(_is_number(t) for t in split_numeric(s)):
            if header_axis is None:
                header_axis = _axis_from_label(s)
            meta["column_header"] = s
            first = i + 1
        break
    if comments:
        meta["comments"] = comments
    table, linenos = parse_columns(lines[first:], source, first_line=first + 1, max_columns=3)
    if "declared_points" in meta and meta["declared_points"] != len(table):
        raise InputFormatError(
            source,
            line=4,
            expected=f"{meta['declared_points']} data rows as declared",
            got=f"{len(table)} rows",
        )
    x = table[:, 0]
    check_monotonic(x, source, line_numbers=linenos)
    axis = x_axis or header_axis or "two_theta_deg"
    if axis not in X_AXES:
        raise ValueError(f"x_axis must be one of {X_AXES}, got {axis!r}")
    wl = wavelength_A if wavelength_A is not None else header_wl
    if axis != "two_theta_deg":
        if wl is None:
            raise InputFormatError(
                source,
                expected="a wavelength to convert q to 2θ (pass wavelength_A)",
                got=f"a {axis} axis without wavelength",
            )
        q = x if axis == "q_invA" else x / 10.0
        meta["x_axis_in_file"] = axis
        x = q_to_two_theta(q, wl)
        if np.isnan(x).any():
            raise InputFormatError(
                source, expected=f"q below 4π/λ = {4 * np.pi / wl:.3f} Å⁻¹", got=f"{q.max()}"
            )
    esd = table[:, 2] if table.shape[1] == 3 else None
    return Pattern(
        two_theta_deg=x,
        intensity=table[:, 1],
        sigma=esd,
        radiation=None
        if wl is None
        else Wavelength(
            wl,
            header_ka2 if wavelength_A is None else None,
            (header_ratio or 0.5) if (header_ka2 and wavelength_A is None) else 0.0,
        ),
        metadata=meta,
        source=source,
        intensity_unit="counts",
    )


def read_xy(
    path: str | Path, *, x_axis: str | None = None, wavelength_A: float | None = None
) -> Pattern:
    """Read a column file (``.xy``, ``.xye``, ``.csv``, ``.chi``); see :func:`parse_xy`."""
    source = str(path)
    text = decode_text(read_bytes(path), source)
    return parse_xy(text, source=source, x_axis=x_axis, wavelength_A=wavelength_A)
