"""Line-profile breadths and their uncertainties.

Line-profile breadths: Voigt and pseudo-Voigt integral breadths, Caglioti widths, and the
propagation of uncertainties through any of them.

Breadths are in the unit of their inputs (degrees 2θ throughout mofglass). The integral breadth
β of a profile is its area divided by its height. For a Voigt function, the convolution of a
Lorentzian (integral breadth βL) and a Gaussian (βG), integral breadths combine as [1]_

    β = βG · exp(-k²) / erfc(k),   k = βL / (√π βG),

so that Lorentzian parts add linearly and Gaussian parts in quadrature on convolution; that is
how instrumental broadening is removed (:mod:`mofglass.diffraction.size`).

References
----------
.. [1] J. I. Langford, J. Appl. Cryst. 11 (1978) 10-14.
.. [2] Th. H. de Keijser, J. I. Langford, E. J. Mittemeijer, A. B. P. Vogels,
       J. Appl. Cryst. 15 (1982) 308-314 (pseudo-Voigt -> Voigt component breadths).
.. [3] G. Caglioti, A. Paoletti, F. P. Ricci, Nucl. Instrum. 3 (1958) 223-228.
.. [4] J. J. Olivero, R. L. Longbothum, J. Quant. Spectrosc. Radiat. Transfer 17 (1977) 233.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import erfcx

__all__ = [
    "FWHM_TO_BETA_GAUSS",
    "FWHM_TO_BETA_LORENTZ",
    "caglioti_fwhm_deg",
    "propagate",
    "pseudo_voigt_components",
    "voigt_fwhm",
    "voigt_integral_breadth",
]

#: β / FWHM of a Gaussian, ½√(π/ln 2) ≈ 1.0645.
FWHM_TO_BETA_GAUSS = 0.5 * np.sqrt(np.pi / np.log(2.0))
#: β / FWHM of a Lorentzian, π/2.
FWHM_TO_BETA_LORENTZ = np.pi / 2


def voigt_integral_breadth(beta_lorentz: ArrayLike, beta_gauss: ArrayLike) -> np.ndarray:
    """Integral breadth of a Voigt profile from its Lorentzian and Gaussian integral breadths.

    β = βG / erfcx(k) with k = βL / (√π βG) [1]_ (erfcx(k) = exp(k²) erfc(k)); the limits
    βG → 0 (β = βL) and βL → 0 (β = βG) are exact. Negative inputs are treated as 0.
    """
    bl = np.maximum(np.asarray(beta_lorentz, dtype=float), 0.0)
    bg = np.maximum(np.asarray(beta_gauss, dtype=float), 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        k = bl / (np.sqrt(np.pi) * bg)
        out = bg / erfcx(k)
    return np.where(bg > 0, out, bl)


def voigt_fwhm(fwhm_lorentz: ArrayLike, fwhm_gauss: ArrayLike) -> np.ndarray:
    """FWHM of a Voigt profile (Olivero & Longbothum [4]_, accurate to 0.02 %)."""
    fl = np.asarray(fwhm_lorentz, dtype=float)
    fg = np.asarray(fwhm_gauss, dtype=float)
    return 0.5346 * fl + np.sqrt(0.2166 * fl**2 + fg**2)


def pseudo_voigt_components(fwhm: ArrayLike, beta: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Lorentzian and Gaussian integral breadths of the Voigt equivalent to a profile.

    Uses the shape factor φ = FWHM/β and the empirical relations of de Keijser et al. [2]_::

        βL/β = 2.0207 - 0.4803 φ - 1.7756 φ²
        βG/β = 0.6420 + 1.4187 (φ - 2/π)^½ - 2.2043 φ + 1.8706 φ²

    valid for 2/π <= φ <= 2√(ln2/π) (pure Lorentzian to pure Gaussian); φ is clipped to it.
    """
    f = np.asarray(fwhm, dtype=float)
    b = np.asarray(beta, dtype=float)
    phi = np.clip(f / b, 2 / np.pi, 2 * np.sqrt(np.log(2) / np.pi))
    bl = b * (2.0207 - 0.4803 * phi - 1.7756 * phi**2)
    bg = b * (0.6420 + 1.4187 * np.sqrt(phi - 2 / np.pi) - 2.2043 * phi + 1.8706 * phi**2)
    return np.maximum(bl, 0.0), np.maximum(bg, 0.0)


def caglioti_fwhm_deg(two_theta_deg: ArrayLike, u: float, v: float, w: float) -> np.ndarray:
    """Caglioti resolution function, FWHM² = U tan²θ + V tanθ + W (deg², FWHM in deg 2θ) [3]_."""
    t = np.tan(np.deg2rad(np.asarray(two_theta_deg, dtype=float)) / 2)
    return np.sqrt(np.maximum(u * t**2 + v * t + w, 0.0))


def propagate(
    func: Callable[[np.ndarray], float],
    values: Sequence[float] | np.ndarray,
    covariance: np.ndarray,
    *,
    rel_step: float = 1e-6,
) -> tuple[float, float]:
    """Value and standard uncertainty of ``func(values)`` by first-order (linear) propagation.

    σ² = J C Jᵀ with the gradient J from central differences and C the covariance of
    ``values`` (GUM, JCGM 100:2008, eq. 13).
    """
    x = np.asarray(values, dtype=float)
    c = np.asarray(covariance, dtype=float)
    f0 = float(func(x))
    grad = np.zeros_like(x)
    for i in range(x.size):
        h = rel_step * max(abs(x[i]), 1e-12)
        xp, xm = x.copy(), x.copy()
        xp[i] += h
        xm[i] -= h
        grad[i] = (float(func(xp)) - float(func(xm))) / (2 * h)
    var = float(grad @ c @ grad)
    return f0, float(np.sqrt(max(var, 0.0)))
