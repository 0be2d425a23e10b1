"""Line shapes as plain numpy functions, with their FWHM and height in closed form.

Every shape is area-normalised and takes ``(x, amplitude, center, sigma[, third])``, the
parameterisation of lmfit's line shapes [1]_ (so lmfit can wrap them and a test can check them
against ``lmfit.lineshapes``): ``amplitude`` is the area, ``center`` the position, ``sigma`` a
width in the unit of x.

References
----------
.. [1] M. Newville et al., LMFIT: Non-Linear Least-Squares Minimization and Curve-Fitting for
       Python, doi:10.5281/zenodo.11813 (``lmfit.lineshapes``).
.. [2] J. J. Olivero, R. L. Longbothum, J. Quant. Spectrosc. Radiat. Transfer 17 (1977) 233
       (Voigt FWHM, 0.02 %).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import erfcx, voigt_profile

__all__ = [
    "SHAPES",
    "SHAPE_FUNCTIONS",
    "THIRD_PARAMETER",
    "gaussian",
    "line_fwhm",
    "line_height",
    "lorentzian",
    "pseudo_voigt",
    "voigt",
]

_S2PI = np.sqrt(2.0 * np.pi)
_S2LN2 = np.sqrt(2.0 * np.log(2.0))
_TINY = 1e-300


def gaussian(
    x: ArrayLike, amplitude: float = 1.0, center: float = 0.0, sigma: float = 1.0
) -> np.ndarray:
    """Gaussian of area ``amplitude``: A / (σ√(2π)) · exp(-(x - c)² / (2σ²)).

    FWHM = 2√(2 ln 2) σ ≈ 2.3548 σ; height = A / (σ√(2π)).

    Examples
    --------
    >>> float(gaussian(0.0, 2.0, 0.0, 1.0))  # 2 / √(2π)
    0.7978845608028654
    """
    s = max(float(sigma), _TINY)
    return (
        amplitude
        / (s * _S2PI)
        * np.exp(-((np.asarray(x, dtype=float) - center) ** 2) / (2 * s * s))
    )


def lorentzian(
    x: ArrayLike, amplitude: float = 1.0, center: float = 0.0, sigma: float = 1.0
) -> np.ndarray:
    """Lorentzian of area ``amplitude``: (A/π) · σ / ((x - c)² + σ²); σ is the HWHM.

    FWHM = 2σ; height = A / (πσ).
    """
    s = max(float(sigma), _TINY)
    return amplitude / np.pi * s / ((np.asarray(x, dtype=float) - center) ** 2 + s * s)


def pseudo_voigt(
    x: ArrayLike,
    amplitude: float = 1.0,
    center: float = 0.0,
    sigma: float = 1.0,
    fraction: float = 0.5,
) -> np.ndarray:
    """Pseudo-Voigt: (1 - η) G(x; A, c, σ/√(2 ln 2)) + η L(x; A, c, σ), η = ``fraction``.

    Both parts share FWHM = 2σ; height = A [(1 - η)√(ln 2/π)/σ + η/(πσ)].
    """
    sg = float(sigma) / _S2LN2
    return (1.0 - fraction) * gaussian(x, amplitude, center, sg) + fraction * lorentzian(
        x, amplitude, center, sigma
    )


def voigt(
    x: ArrayLike,
    amplitude: float = 1.0,
    center: float = 0.0,
    sigma: float = 1.0,
    gamma: float = 1.0,
) -> np.ndarray:
    """Voigt: A · V(x - c; σ, γ), the convolution of a Gaussian (σ) and a Lorentzian (HWHM γ).

    V = Re w(z) / (σ√(2π)), z = (x - c + iγ) / (σ√2) (Faddeeva w; ``scipy.special.voigt_profile``).
    FWHM = 0.5346 f_L + √(0.2166 f_L² + f_G²) with f_L = 2γ, f_G = 2√(2 ln 2) σ [2]_;
    height = A · erfcx(γ / (σ√2)) / (σ√(2π)).
    """
    s = max(float(sigma), _TINY)
    return amplitude * voigt_profile(np.asarray(x, dtype=float) - center, s, max(float(gamma), 0.0))


#: name -> line-shape function
SHAPE_FUNCTIONS: dict[str, Callable[..., np.ndarray]] = {
    "gaussian": gaussian,
    "lorentzian": lorentzian,
    "pseudo_voigt": pseudo_voigt,
    "voigt": voigt,
}
SHAPES = tuple(SHAPE_FUNCTIONS)
#: the shape parameter after sigma, if any
THIRD_PARAMETER: dict[str, str | None] = {
    "gaussian": None,
    "lorentzian": None,
    "pseudo_voigt": "fraction",
    "voigt": "gamma",
}


def line_fwhm(shape: str, sigma: float, third: float = 0.0) -> float:
    """FWHM of a line from its width parameters (closed forms in the shape docstrings).

    Examples
    --------
    >>> round(line_fwhm("gaussian", 1.0), 6)
    2.35482
    """
    if shape == "gaussian":
        return float(2 * _S2LN2 * sigma)
    if shape in ("lorentzian", "pseudo_voigt"):
        return float(2 * sigma)
    if shape == "voigt":
        fl, fg = 2 * third, 2 * _S2LN2 * sigma
        return float(0.5346 * fl + np.sqrt(0.2166 * fl * fl + fg * fg))
    raise ValueError(f"unknown line shape {shape!r}; choose one of {SHAPES}")


def line_height(shape: str, amplitude: float, sigma: float, third: float = 0.0) -> float:
    """Height (maximum) of a line from its area and width parameters."""
    if shape == "gaussian":
        return amplitude / (sigma * _S2PI)
    if shape == "lorentzian":
        return amplitude / (np.pi * sigma)
    if shape == "pseudo_voigt":
        return amplitude * (
            (1 - third) * np.sqrt(np.log(2) / np.pi) / sigma + third / (np.pi * sigma)
        )
    if shape == "voigt":
        return amplitude * float(erfcx(third / (sigma * np.sqrt(2.0)))) / (sigma * _S2PI)
    raise ValueError(f"unknown line shape {shape!r}; choose one of {SHAPES}")
