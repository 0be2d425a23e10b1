"""The size / strain line-broadening convention shared by simulation and analysis.

Integral breadths β (area / height) in radians of 2θ, Scherrer constant K stated [1]_:

* size:   β_D = K λ / (⟨D⟩ cos θ), with K = 1 by default, so that ⟨D⟩ is the volume-weighted
  mean column length (TOPAS "LVol-IB"); spheres of diameter D give ⟨D⟩ = 3D/4 (use K = 4/3
  for the diameter).
* strain: β_ε = 4 ε tan θ, ε the apparent (integral-breadth) microstrain of Stokes & Wilson
  [2]_.

Both are taken as Lorentzian (their integral breadths add, the Williamson-Hall assumption
[3]_); a Lorentzian's FWHM is 2β/π.

Spheres of diameter D (Stokes & Wilson [2]_; Langford & Wilson [1]_): the Fourier coefficients
of the line are A(L) = 1 - 3L/(2D) + L³/(2D³), so the integral breadth is
β = λ / (⟨L⟩_vol cos θ) with ⟨L⟩_vol = 3D/4 (:data:`SPHERE_K_BETA` = 4/3 for D), and the FWHM of
the same line is 1.1067 λ / (D cos θ) (:data:`SPHERE_K_FWHM`, the half-maximum of the Fourier
transform of A(L); 0.8920 for the size V^(1/3), Scherrer's "0.89"). A line fitted with a Voigt
profile in a window with a local linear background loses much of the sphere line's s⁻² tails:
on Debye patterns of spheres (Ni 4-15 nm, ZIF-8 19 nm) the fitted integral breadth is 10-15 %
too small and the fitted FWHM 3-7 % too small, so FWHM-based sizes are the less biased ones. :mod:`mofglass.scattering.xrd` simulates with these
breadths and :mod:`mofglass.diffraction.size` inverts them.

References
----------
.. [1] J. I. Langford, A. J. C. Wilson, J. Appl. Cryst. 11 (1978) 102-113.
.. [2] A. R. Stokes, A. J. C. Wilson, Proc. Phys. Soc. 56 (1944) 174-181.
.. [3] G. K. Williamson, W. H. Hall, Acta Metall. 1 (1953) 22-31.

Examples
--------
>>> b = size_breadth_deg(30.0, wavelength_A=1.5405929, size_nm=10.0)
>>> round(float(b), 4)
0.9138
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

__all__ = [
    "DEFAULT_K",
    "LORENTZ_FWHM_PER_BETA",
    "SPHERE_K_BETA",
    "SPHERE_K_FWHM",
    "size_breadth_deg",
    "size_from_breadth_nm",
    "strain_breadth_deg",
    "tch_fwhm_eta",
]

#: Scherrer constant for integral breadths (volume-weighted column length, LVol-IB).
DEFAULT_K = 1.0
#: FWHM / integral breadth of a Lorentzian, 2/π.
LORENTZ_FWHM_PER_BETA = 2.0 / np.pi
#: Integral-breadth Scherrer constant of a sphere with its diameter D as the size (⟨L⟩_vol = 3D/4).
SPHERE_K_BETA = 4.0 / 3.0
#: FWHM Scherrer constant of a sphere with its diameter D as the size: FWHM = 1.1067 λ / (D cos θ)
#: (half-maximum of 2∫₀^D A(L) cos(2πLs) dL, A(L) of :data:`SPHERE_K_BETA`; tested).
SPHERE_K_FWHM = 1.1067


def size_breadth_deg(
    two_theta_deg: ArrayLike, *, wavelength_A: float, size_nm: float, k_factor: float = DEFAULT_K
) -> np.ndarray:
    """Integral breadth (degrees 2θ) from crystallite size: K λ / (⟨D⟩ cos θ)."""
    th = np.deg2rad(np.asarray(two_theta_deg, dtype=float)) / 2
    return np.rad2deg(k_factor * wavelength_A / (size_nm * 10.0 * np.cos(th)))


def strain_breadth_deg(two_theta_deg: ArrayLike, *, microstrain: float) -> np.ndarray:
    """Integral breadth (degrees 2θ) from microstrain: 4 ε tan θ."""
    th = np.deg2rad(np.asarray(two_theta_deg, dtype=float)) / 2
    return np.rad2deg(4.0 * microstrain * np.tan(th))


def size_from_breadth_nm(
    two_theta_deg: ArrayLike,
    beta_deg: ArrayLike,
    *,
    wavelength_A: float,
    k_factor: float = DEFAULT_K,
) -> np.ndarray:
    """Return the crystallite size ⟨D⟩ (nm) of a size integral breadth.

    Crystallite size ⟨D⟩ (nm) from a size integral breadth (degrees 2θ); inverse of
    :func:`size_breadth_deg`.
    """
    th = np.deg2rad(np.asarray(two_theta_deg, dtype=float)) / 2
    with np.errstate(divide="ignore"):
        return k_factor * wavelength_A / (np.deg2rad(np.asarray(beta_deg)) * np.cos(th)) / 10.0


def tch_fwhm_eta(fwhm_gauss: ArrayLike, fwhm_lorentz: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Total FWHM and Lorentzian fraction η of the Thompson-Cox-Hastings pseudo-Voigt.

    FWHM⁵ = G⁵ + 2.69269 G⁴L + 2.42843 G³L² + 4.47163 G²L³ + 0.07842 GL⁴ + L⁵ and
    η = 1.36603 q - 0.47719 q² + 0.11116 q³ with q = L / FWHM (P. Thompson, D. E. Cox,
    J. B. Hastings, J. Appl. Cryst. 20 (1987) 79-83).
    """
    g = np.asarray(fwhm_gauss, dtype=float)
    lo = np.asarray(fwhm_lorentz, dtype=float)
    fw = (
        g**5
        + 2.69269 * g**4 * lo
        + 2.42843 * g**3 * lo**2
        + 4.47163 * g**2 * lo**3
        + 0.07842 * g * lo**4
        + lo**5
    ) ** 0.2
    q = lo / fw
    return fw, 1.36603 * q - 0.47719 * q**2 + 0.11116 * q**3
