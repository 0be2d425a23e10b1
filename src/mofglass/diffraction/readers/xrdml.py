"""PANalytical / Malvern ``.xrdml`` files (XML, schema XRDMeasurement 1.x).

The first ``<scan>`` is read: its 2θ axis (``<positions axis="2Theta">`` with start and end, or a
``<listPositions>``), its ``<intensities>`` or ``<counts>`` (multiplied by
``<beamAttenuationFactors>`` when present) and the ``<usedWavelength>`` (Kα1, Kα2, ratio).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from mofglass.diffraction.pattern import Pattern
from mofglass.diffraction.readers._common import read_bytes, wavelength_or_none
from mofglass.diffraction.readers._xml import (
    find,
    findall,
    float_or_none,
    local,
    parse_xml,
    text_of,
)
from mofglass.errors import InputFormatError

__all__ = ["parse_xrdml", "read_xrdml"]


def _numbers(text: str | None, source: str, what: str) -> np.ndarray:
    try:
        return np.array([float(t) for t in (text or "").split()])
    except ValueError as exc:
        raise InputFormatError(source, expected=f"numbers in <{what}>", got=str(exc)) from None


def _non_ambient_temperature(scan: Any) -> str | None:
    """Return the mean of a scan's ``nonAmbientPoints`` of type Temperature, with its unit.

    XRDML stores the sample temperature logged during a non-ambient scan as
    ``<nonAmbientPoints type="Temperature"><nonAmbientValues unit=...>``; the unit defaults
    to kelvin (as GSAS-II's reader takes it).
    """
    for cond in findall(scan, "nonAmbientPoints"):
        if cond.get("type", "").lower() != "temperature":
            continue
        vals_el = find(cond, "nonAmbientValues")
        try:
            vals = [float(v) for v in (text_of(vals_el) or "").split()]
        except ValueError:
            return None
        if not vals:
            return None
        unit = (vals_el.get("unit") if vals_el is not None else None) or cond.get("unit") or "K"
        return f"{sum(vals) / len(vals):.3f} {unit}"
    return None


def parse_xrdml(data: bytes, *, source: str = "<bytes>") -> Pattern:
    """Parse the bytes of an ``.xrdml`` file into a :class:`Pattern`.

    Raises
    ------
    InputFormatError
        For malformed XML (with line and column), a missing scan, 2θ axis or intensities, or
        intensities whose count disagrees with the listed positions.
    """
    root = parse_xml(data, source)
    if local(root.tag) != "xrdMeasurements":
        raise InputFormatError(source, line=1, expected="<xrdMeasurements> root", got=root.tag)
    scans = findall(root, "scan")
    if not scans:
        raise InputFormatError(source, expected="a <scan> element", got="none")
    scan = scans[0]
    dp = find(scan, "dataPoints")
    if dp is None:
        raise InputFormatError(source, expected="<dataPoints> in the first scan", got="none")
    counts_el = find(dp, "intensities")
    if counts_el is None:
        counts_el = find(dp, "counts")
    if counts_el is None:
        raise InputFormatError(source, expected="<intensities> or <counts>", got="none")
    y = _numbers(counts_el.text, source, local(counts_el.tag))
    att = find(dp, "beamAttenuationFactors")
    if att is not None and att.text:
        f = _numbers(att.text, source, "beamAttenuationFactors")
        if f.size == y.size:
            y = y * f
    axis = next(
        (p for p in findall(dp, "positions") if p.get("axis", "").lower() == "2theta"), None
    )
    if axis is None:
        raise InputFormatError(source, expected='<positions axis="2Theta">', got="none")
    listed = find(axis, "listPositions")
    if listed is not None:
        x = _numbers(listed.text, source, "listPositions")
        if x.size != y.size:
            raise InputFormatError(
                source, expected=f"{y.size} listed 2θ positions", got=str(x.size)
            )
    else:
        start = float_or_none(text_of(find(axis, "startPosition")))
        end = float_or_none(text_of(find(axis, "endPosition")))
        if start is None or end is None:
            raise InputFormatError(source, expected="2θ startPosition and endPosition", got="none")
        if y.size < 2:
            raise InputFormatError(source, expected="at least 2 intensities", got=str(y.size))
        x = np.linspace(start, end, y.size)
    uw = find(root, "usedWavelength")
    wl = None
    if uw is not None:
        wl = wavelength_or_none(
            float_or_none(text_of(find(uw, "kAlpha1"))),
            float_or_none(text_of(find(uw, "kAlpha2"))),
            float_or_none(text_of(find(uw, "ratioKAlpha2KAlpha1"))),
        )
    meta: dict[str, object] = {
        "format": "xrdml",
        "n_scans": len(scans),
        "scan_mode": scan.get("mode", ""),
        "counting_time_s": float_or_none(text_of(find(dp, "commonCountingTime"))),
        "comments": [text_of(e) for e in findall(root, "entry")][:20],
    }
    temp = _non_ambient_temperature(scan)
    if temp is not None:
        meta["temperature"] = temp
    unit = "cps" if "second" in counts_el.get("unit", "counts").lower() else "counts"
    return Pattern(x, y, radiation=wl, metadata=meta, source=source, intensity_unit=unit)


def read_xrdml(path: str | Path) -> Pattern:
    """Read a PANalytical ``.xrdml`` file; see :func:`parse_xrdml`."""
    return parse_xrdml(read_bytes(path), source=str(path))
