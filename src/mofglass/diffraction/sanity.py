"""Sanity checks of a pattern's x axis: is it really 2θ in degrees.

* 2θ above 180° cannot be a scattering angle: an error (another unit, or a wrong column).
* radians: every value at or below π with a step under 0.003 (0.17° in radians) - a scan in
  degrees stays below 3.14° only for small-angle work with coarser steps;
* d-spacing: the file lists x decreasing (2θ scans run upwards), or the peak widths grow with
  x as a power above 1.5 - in d the breadths scale as d² cot θ / ... (∝ d² at low angle),
  in 2θ they grow slowly (Caglioti: a power of 0-1 over a laboratory range).
"""

from __future__ import annotations

import numpy as np
from scipy.signal import find_peaks

from mofglass.diffraction.pattern import Pattern
from mofglass.errors import InputFormatError

__all__ = ["axis_warnings", "check_two_theta_range", "width_growth_exponent"]


def check_two_theta_range(pattern: Pattern) -> None:
    """Raise InputFormatError when 2θ exceeds 180° (names the file and the value)."""
    top = float(pattern.two_theta_deg[-1])
    if top > 180.0:
        raise InputFormatError(
            pattern.source,
            expected="2θ in degrees, at most 180°",
            got=f"values up to {top:g} (is the x column in another unit?)",
        )


def width_growth_exponent(pattern: Pattern, *, min_peaks: int = 5) -> float | None:
    """Slope of log(FWHM) against log(x) over the prominent peaks (None when too few)."""
    x, y = pattern.two_theta_deg, pattern.intensity
    if x[0] <= 0 or x.size < 50:
        return None
    base = np.percentile(y, 10)
    noise = float(np.median(np.abs(np.diff(y)))) * 1.4826 / np.sqrt(2) + 1e-12
    idx, props = find_peaks(y - base, prominence=20 * noise, width=2)
    if idx.size < min_peaks:
        return None
    step = np.gradient(x)[idx]
    w = props["widths"] * step
    keep = np.argsort(props["prominences"])[-40:]
    xs, ws = x[idx][keep], w[keep]
    if xs.max() / xs.min() < 1.8:
        return None
    return float(np.polyfit(np.log(xs), np.log(ws), 1)[0])


def axis_warnings(pattern: Pattern) -> list[str]:
    """Warnings for an x axis that looks like radians or d-spacing rather than 2θ (degrees)."""
    out: list[str] = []
    x = pattern.two_theta_deg
    step = float(np.median(np.diff(x)))
    if x[-1] <= np.pi + 1e-6 and step < 0.003:
        out.append(
            f"2θ runs only {x[0]:.4g}-{x[-1]:.4g} with steps of {step:.2g}: the axis looks like "
            "radians, not degrees"
        )
    if pattern.metadata.get("x_descending_in_file"):
        out.append("the file lists x decreasing (2θ scans run upwards): is the axis d-spacing?")
    slope = width_growth_exponent(pattern)
    if slope is not None and slope > 1.5:
        out.append(
            f"peak widths grow as x^{slope:.1f} (2θ scans: a power of 0-1): the axis looks like "
            "d-spacing (breadths ∝ d²), not 2θ"
        )
    return out
