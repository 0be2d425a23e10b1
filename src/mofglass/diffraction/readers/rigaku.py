"""Rigaku SmartLab files: ``.rasx`` (zip of XML and text) and ``.ras`` (text).

``.rasx``: ``Data0/Profile0.txt`` holds ``2θ  intensity  attenuator-coefficient`` rows (the
intensity written by SmartLab Studio is multiplied by the coefficient here); the wavelengths are
``<WavelengthKalpha1>`` / ``<WavelengthKalpha2>`` in ``Data0/MesurementConditions0.xml`` (sic).

``.ras``: ``*KEY "value"`` header lines between ``*RAS_HEADER_START`` and ``*RAS_HEADER_END``
(``*HW_XG_WAVE_LENGTH_ALPHA1``, ``*MEAS_DATA_COUNT``, ...), then the same three columns between
``*RAS_INT_START`` and ``*RAS_INT_END``. Only the first scan of a multi-scan file is read.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import numpy as np

from mofglass.diffraction.pattern import Pattern
from mofglass.diffraction.readers._common import (
    check_monotonic,
    decode_text,
    parse_columns,
    read_bytes,
    read_text_with,
    wavelength_or_none,
)
from mofglass.diffraction.readers._xml import find, float_or_none, parse_xml, text_of
from mofglass.errors import InputFormatError

__all__ = ["parse_ras", "parse_rasx", "read_ras", "read_rasx"]


def _columns_to_pattern(
    table: np.ndarray, linenos: np.ndarray, source: str, meta: dict[str, object], wl: object
) -> Pattern:
    check_monotonic(table[:, 0], source, line_numbers=linenos)
    y = table[:, 1] * (table[:, 2] if table.shape[1] >= 3 else 1.0)
    return Pattern(
        two_theta_deg=table[:, 0],
        intensity=y,
        radiation=wl,  # type: ignore[arg-type]
        metadata=meta,
        source=source,
        intensity_unit=str(meta.get("intensity_unit", "counts")),
    )


def parse_rasx(data: bytes, *, source: str = "<bytes>") -> Pattern:
    """Parse the bytes of a ``.rasx`` archive into a :class:`Pattern` (first profile).

    Raises
    ------
    InputFormatError
        If it is not a zip, has no ``Data*/Profile*.txt``, or a profile row is not numeric
        (reported as ``archive!member:line``).
    """
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise InputFormatError(source, expected="a zip archive (rasx)", got=str(exc)) from None
    profiles = sorted(n for n in zf.namelist() if re.search(r"Data\d+/Profile\d+\.txt$", n))
    if not profiles:
        raise InputFormatError(source, expected="a Data0/Profile0.txt member", got="none")
    member = profiles[0]
    where = f"{source}!{member}"
    try:
        text = decode_text(zf.read(member), where)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise InputFormatError(source, expected=f"a readable {member}", got=str(exc)) from None
    table, linenos = parse_columns(text.splitlines(), where, max_columns=3)
    meta: dict[str, object] = {"format": "rasx", "member": member}
    wl = None
    cond = member.replace("Profile", "MesurementConditions").replace(".txt", ".xml")
    if cond in zf.namelist():
        root = parse_xml(zf.read(cond), f"{source}!{cond}")
        wl = wavelength_or_none(
            float_or_none(text_of(find(root, "WavelengthKalpha1"))),
            float_or_none(text_of(find(root, "WavelengthKalpha2"))),
            0.5,
        )
        for key in ("SampleName", "Comment"):
            val = text_of(find(root, key))
            if val:
                meta[key] = val
    return _columns_to_pattern(table, linenos, source, meta, wl)


def read_rasx(path: str | Path) -> Pattern:
    """Read a Rigaku ``.rasx`` archive; see :func:`parse_rasx`."""
    return parse_rasx(read_bytes(path), source=str(path))


_KEY = re.compile(r'^\*(\w+)\s+"?(.*?)"?\s*$')


def parse_ras(text: str, *, source: str = "<string>") -> Pattern:
    """Parse Rigaku ``.ras`` text into a :class:`Pattern` (first scan).

    Raises
    ------
    InputFormatError
        If ``*RAS_INT_START`` / ``*RAS_INT_END`` are missing, a data row is not numeric (with
        its line), or the row count disagrees with ``*MEAS_DATA_COUNT``.
    """
    lines = text.splitlines()
    if not lines or not lines[0].strip().startswith("*RAS_DATA_START"):
        raise InputFormatError(
            source, line=1, expected="*RAS_DATA_START", got=lines[0] if lines else ""
        )
    header: dict[str, str] = {}
    start = end = None
    for i, ln in enumerate(lines):
        s = ln.strip()
        if s.startswith("*RAS_INT_START"):
            start = i + 1
        elif s.startswith("*RAS_INT_END"):
            end = i
            break
        elif start is None:
            m = _KEY.match(s)
            if m:
                header[m.group(1)] = m.group(2)
    if start is None or end is None:
        raise InputFormatError(
            source,
            line=len(lines),
            expected="*RAS_INT_START ... *RAS_INT_END",
            got="end of file (truncated)",
        )
    table, linenos = parse_columns(lines[start:end], source, first_line=start + 1, max_columns=3)
    declared = header.get("MEAS_DATA_COUNT")
    if declared and declared.isdigit() and int(declared) != len(table):
        raise InputFormatError(
            source, line=end + 1, expected=f"{declared} rows (MEAS_DATA_COUNT)", got=str(len(table))
        )
    wl = wavelength_or_none(
        float_or_none(header.get("HW_XG_WAVE_LENGTH_ALPHA1")),
        float_or_none(header.get("HW_XG_WAVE_LENGTH_ALPHA2")),
        0.5,
    )
    unit = header.get("MEAS_SCAN_UNIT_Y", "counts").lower()
    meta: dict[str, object] = {
        "format": "ras",
        "header": header,
        "intensity_unit": "cps" if "cps" in unit else "counts",
    }
    return _columns_to_pattern(table, linenos, source, meta, wl)


def read_ras(path: str | Path) -> Pattern:
    """Read a Rigaku ``.ras`` file; see :func:`parse_ras`."""
    return read_text_with(parse_ras, path)
