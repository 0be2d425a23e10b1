"""Removal of the Kα2 component of a laboratory pattern (Rachinger correction).

The measured intensity is I(2θ) = I₁(2θ) + R · I₁(2θ - Δ(2θ)) where the Kα2 image of every
feature is shifted by Δ = 2θ₂ - 2θ₁ with sin θ₂ = (λ2/λ1) sin θ₁ and scaled by R = I(Kα2)/I(Kα1).
Walking from low to high angle, I₁ is recovered point by point [1]_.

References
----------
.. [1] W. A. Rachinger, J. Sci. Instrum. 25 (1948) 254-255.
"""

from __future__ import annotations

import numpy as np

from mofglass.diffraction.pattern import Pattern, Wavelength
from mofglass.errors import AnalysisError

__all__ = ["strip_ka2"]


def strip_ka2(pattern: Pattern) -> Pattern:
    """Return the Kα1-only pattern by Rachinger stripping (the input is unchanged).

    Parameters
    ----------
    pattern : Pattern
        A scan whose ``wavelength`` has Kα2 (``ka2_A`` and ``ka2_ratio`` > 0).

    Returns
    -------
    Pattern
        Same grid; intensities with the Kα2 contribution removed; wavelength Kα1 only;
        ``metadata["ka2_stripped"] = True``. Esds (if any) are kept unchanged (the stripped
        intensity's uncertainty is slightly larger; not propagated).

    Raises
    ------
    AnalysisError
        If the pattern's wavelength has no Kα2.
    """
    wl = pattern.radiation
    if wl is None or not wl.has_ka2 or wl.ka2_A is None:
        raise AnalysisError(f"{pattern.source}: Rachinger stripping needs a Kα2 wavelength")
    x = pattern.two_theta_deg
    y = pattern.intensity.astype(float)
    ratio = wl.ka2_ratio
    r = wl.ka2_A / wl.ka1_A
    # the 2θ₁ whose Kα2 image falls at each x: sin θ₁ = sin θ / r
    s1 = np.sin(np.deg2rad(x) / 2) / r
    src = np.rad2deg(2 * np.arcsin(np.clip(s1, -1, 1)))
    out = y.copy()
    lo = x[0]
    for i in range(x.size):
        t = src[i]
        if t < lo:
            continue
        j = int(np.searchsorted(x, t)) - 1
        j = min(max(j, 0), i - 1) if i > 0 else 0
        if j + 1 > i:
            continue
        xa, xb = x[j], x[min(j + 1, i)]
        frac = 0.0 if xb == xa else (t - xa) / (xb - xa)
        i1 = out[j] + frac * (out[min(j + 1, i)] - out[j])
        out[i] = y[i] - ratio * i1
    meta = {**dict(pattern.metadata), "ka2_stripped": True}
    return pattern.replace(intensity=out, radiation=Wavelength(wl.ka1_A), metadata=meta)
