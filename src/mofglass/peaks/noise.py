"""The one noise estimate of mofglass: robust σ from the MAD of first differences.

References
----------
.. [1] P. J. Rousseeuw, C. Croux, J. Am. Stat. Assoc. 88 (1993) 1273 (MAD, factor 1.4826 for a
       normal distribution).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["MAD_TO_SIGMA", "noise_sigma"]

#: σ / MAD of a normal distribution, 1 / Φ⁻¹(3/4).
MAD_TO_SIGMA = 1.4826


def noise_sigma(y: ArrayLike) -> float:
    """Gaussian-equivalent noise σ of a sampled curve: 1.4826 × MAD(Δy) / √2.

    First differences remove any smooth signal; for white noise of σ they have σ√2, hence the
    √2. The result is floored at 1e-12 (an exactly noise-free curve).

    Examples
    --------
    >>> round(noise_sigma(np.random.default_rng(0).normal(0.0, 2.0, 20000)), 1)
    2.0
    """
    d = np.diff(np.asarray(y, dtype=float))
    mad = np.median(np.abs(d - np.median(d)))
    return float(max(MAD_TO_SIGMA * mad / np.sqrt(2.0), 1e-12))
