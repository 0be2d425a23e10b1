"""Readers of measured powder patterns: one module per format, one entry point.

:func:`read_pattern` sniffs the format from the file's content (falling back to its extension)
and dispatches through :data:`FORMATS`, a registry of :class:`PatternFormat` entries (name,
extensions, content test, reader). Every reader returns a :class:`~mofglass.diffraction.Pattern`
or raises :class:`~mofglass.errors.InputFormatError` naming the file, the line and what was
expected. Readers never modify the file.

Examples
--------
>>> from mofglass.diffraction.readers import FORMATS
>>> sorted(FORMATS)[:3]
['brml', 'bruker_raw', 'chi']
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from mofglass.diffraction.pattern import Pattern, Wavelength
from mofglass.diffraction.readers._common import COMPRESSED_SUFFIXES, read_bytes
from mofglass.diffraction.readers.brml import read_brml
from mofglass.diffraction.readers.bruker_raw import read_bruker_raw
from mofglass.diffraction.readers.gsas import read_gsas
from mofglass.diffraction.readers.riet7 import find_range_line, read_riet7
from mofglass.diffraction.readers.rigaku import read_ras, read_rasx
from mofglass.diffraction.readers.uxd import read_uxd
from mofglass.diffraction.readers.xrdml import read_xrdml
from mofglass.diffraction.readers.xy import read_xy, sniff_chi_header
from mofglass.diffraction.sanity import check_two_theta_range
from mofglass.errors import InputFormatError, reader_boundary

__all__ = ["FORMATS", "PatternFormat", "read_pattern", "register_format", "sniff_format"]


@dataclass(frozen=True)
class PatternFormat:
    """One entry of the format registry.

    Attributes
    ----------
    name : str
        Key accepted by ``read_pattern(path, fmt=name)``.
    extensions : tuple of str
        Lower-case file extensions (with the dot) usually carrying this format.
    sniff : callable
        ``sniff(head: bytes) -> bool`` on the first 4 KiB (zip formats get the member names
        joined by newlines instead).
    read : callable
        ``read(path) -> Pattern``.
    description : str
        Human-readable name of the format.
    """

    name: str
    extensions: tuple[str, ...]
    sniff: Callable[[bytes], bool]
    read: Callable[[Path], Pattern]
    description: str


FORMATS: dict[str, PatternFormat] = {}


def register_format(fmt: PatternFormat) -> PatternFormat:
    """Add (or replace) a format in :data:`FORMATS`; returns it."""
    FORMATS[fmt.name] = fmt
    return fmt


def _text_lines(head: bytes) -> list[str]:
    if b"\x00" in head:
        return []
    return head.decode("utf-8-sig", errors="replace").splitlines()


def _is_riet7(head: bytes) -> bool:
    lines = _text_lines(head)
    return bool(lines) and find_range_line(lines) is not None and not lines[0].startswith("#")


for _fmt in (
    PatternFormat(
        "xrdml", (".xrdml",), lambda h: b"xrdMeasurements" in h, read_xrdml, "PANalytical XRDML"
    ),
    PatternFormat(
        "brml",
        (".brml",),
        lambda h: b"RawData" in h and b"Experiment" in h,
        read_brml,
        "Bruker DIFFRAC.SUITE brml (zip)",
    ),
    PatternFormat(
        "rasx",
        (".rasx",),
        lambda h: b"Profile" in h and b"Data" in h,
        read_rasx,
        "Rigaku SmartLab rasx (zip)",
    ),
    PatternFormat(
        "bruker_raw",
        (".raw",),
        lambda h: h.startswith(b"RAW"),
        read_bruker_raw,
        "Bruker RAW v1-v4 (binary)",
    ),
    PatternFormat(
        "ras",
        (".ras",),
        lambda h: h.lstrip(b"\xef\xbb\xbf").startswith(b"*RAS_"),
        read_ras,
        "Rigaku RAS (text)",
    ),
    PatternFormat(
        "gsas",
        (".fxye", ".gsa", ".gss", ".gsas"),
        lambda h: any(ln.startswith("BANK") for ln in _text_lines(h)),
        read_gsas,
        "GSAS powder data (BANK line; FXYE 2θ in centidegrees)",
    ),
    PatternFormat(
        "uxd",
        (".uxd",),
        lambda h: b"_2THETACOUNTS" in h or b"_FILEVERSION" in h or b"_2THETACPS" in h,
        read_uxd,
        "Bruker / Siemens UXD (text)",
    ),
    PatternFormat("riet7", (".dat",), _is_riet7, read_riet7, "Riet7 / DIFFRAC-AT dat"),
    PatternFormat(
        "chi", (".chi",), lambda h: sniff_chi_header(_text_lines(h)), read_xy, "Fit2D / pyFAI chi"
    ),
    PatternFormat(
        "xy",
        (".xy", ".xye", ".csv", ".txt", ".asc", ".dat"),
        lambda h: bool(_text_lines(h)),
        read_xy,
        "plain columns 2θ I [esd]",
    ),
):
    register_format(_fmt)


def _zip_members(data: bytes) -> bytes | None:
    if not data.startswith(b"PK"):
        return None
    try:
        return "\n".join(zipfile.ZipFile(io.BytesIO(data)).namelist()).encode()
    except zipfile.BadZipFile:
        return None


def sniff_format(path: str | Path) -> str:
    """Name of the format of ``path`` judged from its content, then its extension.

    Raises
    ------
    InputFormatError
        If the file cannot be read or matches no registered format.
    """
    data = read_bytes(path)
    if not data.strip():
        raise InputFormatError(path, line=1, expected="a powder pattern", got="an empty file")
    members = _zip_members(data)
    ext = Path(path).suffix.lower()
    if ext in COMPRESSED_SUFFIXES:
        ext = Path(Path(path).stem).suffix.lower()
    if members is not None:
        candidates = [f for f in FORMATS.values() if f.name in ("brml", "rasx")]
        head = members
    else:
        candidates = [f for f in FORMATS.values() if f.name not in ("brml", "rasx")]
        head = data[:4096]
    # content first, extension as tie-breaker between formats that both match
    matches = [f for f in candidates if f.sniff(head)]
    for f in matches:
        if ext in f.extensions:
            return f.name
    if matches:
        return matches[0].name
    raise InputFormatError(
        path, line=1, expected="a known powder-pattern format", got=repr(data[:20])
    )


@reader_boundary("a powder pattern")
def read_pattern(
    path: str | Path,
    fmt: str = "auto",
    *,
    wavelength_A: float | Wavelength | None = None,
    **options: Any,
) -> Pattern:
    """Read a powder pattern file into a :class:`Pattern`.

    Parameters
    ----------
    path : str or Path
        The file (never modified).
    fmt : str
        A key of :data:`FORMATS`, or ``"auto"`` to sniff the content.
    wavelength_A : float or Wavelength, optional
        Radiation to use when the file states none (or to override it), Å.
    **options
        Passed to the reader (e.g. ``x_axis="q_invA"`` for column files).

    Returns
    -------
    Pattern

    Raises
    ------
    InputFormatError
        Unreadable, unknown or malformed file (message ``file:line: expected X, got Y``).

    Examples
    --------
    >>> p = read_pattern("scan.xrdml")            # doctest: +SKIP
    >>> p.radiation.ka1_A, len(p)                # doctest: +SKIP
    (1.540598, 5028)
    """
    name = sniff_format(path) if fmt == "auto" else fmt
    if name not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; known: {sorted(FORMATS)}")
    reader = FORMATS[name].read
    if name in ("xy", "chi"):
        wl_float = wavelength_A.ka1_A if isinstance(wavelength_A, Wavelength) else wavelength_A
        pattern = reader(Path(path), wavelength_A=wl_float, **options)  # type: ignore[call-arg]
    else:
        if options:
            raise TypeError(f"format {name!r} takes no options, got {sorted(options)}")
        pattern = reader(Path(path))
    if wavelength_A is not None:
        pattern = pattern.with_wavelength(wavelength_A)
    check_two_theta_range(pattern)
    _check_values(pattern, Path(path).name)
    return pattern


def _check_values(pattern: Pattern, source: str) -> None:
    """Refuse values no analysis can use.

    Values no analysis can use are refused here, before any fit runs (issue 10: NaN made
    scipy fail deep inside; all-negative intensities made the peak fits run for minutes).
    """
    x = np.asarray(pattern.two_theta_deg, dtype=float)
    y = np.asarray(pattern.intensity, dtype=float)
    bad = ~(np.isfinite(x) & np.isfinite(y))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputFormatError(
            source,
            expected="finite 2θ and intensity values",
            got=f"{int(bad.sum())} NaN/inf values, the first at point {i + 1}",
        )
    if x.size and (x.min() < 0 or x.max() > 180):
        raise InputFormatError(
            source,
            expected="2θ between 0 and 180°",
            got=f"{x.min():g} to {x.max():g}",
        )
    if y.size and not (y > 0).any():
        raise InputFormatError(
            source, expected="positive intensities", got=f"all {y.size} values are <= 0"
        )
