"""Bruker DIFFRAC.SUITE ``.brml`` files (a zip archive of XML documents).

The first ``Experiment*/RawData*.xml`` member holds the scan: ``<Datum>`` rows of comma-separated
numbers whose first two fields are the counting time and an enabled flag, followed by the scan
axes in the order of ``<ScanAxes>`` (2θ among them), with the detector counts last. The Kα1,
Kα2 and ratio come from ``<WaveLengthAlpha1>`` etc. (or ``<WaveLength>`` when monochromatic).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np

from mofglass.diffraction.pattern import Pattern
from mofglass.diffraction.readers._common import read_bytes, wavelength_or_none
from mofglass.diffraction.readers._xml import find, findall, float_or_none, parse_xml, text_of
from mofglass.errors import InputFormatError

__all__ = ["parse_brml", "read_brml"]


def _value(root: object, name: str) -> float | None:
    el = find(root, name)  # type: ignore[arg-type]
    return None if el is None else float_or_none(el.get("Value"))


def parse_brml(data: bytes, *, source: str = "<bytes>") -> Pattern:
    """Parse the bytes of a ``.brml`` archive into a :class:`Pattern` (first raw-data scan).

    Raises
    ------
    InputFormatError
        If the archive is not a zip, has no RawData member, no 2θ scan axis, or a ``<Datum>``
        row is not numeric (named by its index, as the member's line is not meaningful).
    """
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise InputFormatError(source, expected="a zip archive (brml)", got=str(exc)) from None
    names = sorted(n for n in zf.namelist() if "/RawData" in n and n.endswith(".xml"))
    if not names:
        raise InputFormatError(source, expected="an Experiment*/RawData*.xml member", got="none")
    member = names[0]
    try:
        raw = zf.read(member)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise InputFormatError(source, expected=f"a readable {member}", got=str(exc)) from None
    root = parse_xml(raw, f"{source}!{member}")
    route = next((r for r in findall(root, "DataRoute") if findall(r, "Datum")), None)
    if route is None:
        raise InputFormatError(f"{source}!{member}", expected="<Datum> rows", got="none")
    scan_axes = find(route, "ScanAxes")
    axes = [] if scan_axes is None else [a.get("AxisId", "") for a in scan_axes]
    if "TwoTheta" not in axes:
        raise InputFormatError(
            f"{source}!{member}", expected="a TwoTheta scan axis", got=",".join(axes) or "none"
        )
    col = 2 + axes.index("TwoTheta")
    rows = findall(route, "Datum")
    x = np.empty(len(rows))
    y = np.empty(len(rows))
    for i, d in enumerate(rows):
        toks = (d.text or "").split(",")
        try:
            x[i] = float(toks[col])
            y[i] = float(toks[-1])
        except (ValueError, IndexError):
            raise InputFormatError(
                f"{source}!{member}",
                expected=f"Datum {i + 1}: comma-separated numbers with >= {col + 2} fields",
                got=d.text or "",
            ) from None
    wl = wavelength_or_none(
        _value(root, "WaveLengthAlpha1") or _value(root, "WaveLength"),
        _value(root, "WaveLengthAlpha2"),
        _value(root, "WaveLengthRatio"),
    )
    info = find(route, "ScanInformation")
    meta: dict[str, object] = {
        "format": "brml",
        "member": member,
        "scan_name": "" if info is None else info.get("ScanName", ""),
        "time_per_step_s": float_or_none(text_of(find(route, "TimePerStep"))),
        "scan_axes": axes,
    }
    return Pattern(x, y, radiation=wl, metadata=meta, source=source, intensity_unit="counts")


def read_brml(path: str | Path) -> Pattern:
    """Read a Bruker ``.brml`` archive; see :func:`parse_brml`."""
    return parse_brml(read_bytes(path), source=str(path))
