"""Particle shape envelopes γ0(r) that turn a bulk PDF into a nanoparticle PDF.

γ0(r) is the orientationally averaged overlap volume of a particle with itself shifted by r,
divided by the particle volume; G_particle(r) = γ0(r) G_bulk(r).
"""

from __future__ import annotations

import numpy as np

__all__ = ["sphere_envelope", "spheroid_envelope"]


def sphere_envelope(r_A: np.ndarray, diameter_A: float) -> np.ndarray:
    """Shape function of a sphere of diameter d: 1 - 3r/(2d) + r³/(2d³) for r < d, else 0.

    References
    ----------
    .. [1] A. Guinier, X-ray Diffraction (1963); K. Kodama et al., Acta Cryst. A 62, 444 (2006).
    """
    r = np.asarray(r_A, dtype=float)
    x = r / float(diameter_A)
    return np.where(x < 1.0, 1.0 - 1.5 * x + 0.5 * x**3, 0.0)


def spheroid_envelope(
    r_A: np.ndarray, equatorial_diameter_A: float, polar_diameter_A: float, *, n_angles: int = 64
) -> np.ndarray:
    """Shape function of a spheroid (ellipsoid of revolution), by orientation averaging.

    An ellipsoid is a linearly stretched sphere, so the overlap volume for a shift r u equals
    the sphere's overlap for the shift |A⁻¹ r u| (A the stretch); the average over directions u
    uses Gauss-Legendre nodes in cos θ (the spheroid is axially symmetric).

    References
    ----------
    .. [1] M. Lei, A. M. R. de Graff, M. F. Thorpe, S. A. Wells, A. Sartbaeva,
       Phys. Rev. B 80, 024118 (2009).
    """
    r = np.asarray(r_A, dtype=float)
    a = equatorial_diameter_A / 2.0
    c = polar_diameter_A / 2.0
    mu, wts = np.polynomial.legendre.leggauss(n_angles)
    # unit sphere of diameter 2: shift s in units of the radius
    s = r[..., None] * np.sqrt((1 - mu**2) / a**2 + mu**2 / c**2)
    gam = np.where(s < 2.0, 1.0 - 0.75 * s + s**3 / 16.0, 0.0)
    return np.asarray((gam * wts).sum(axis=-1) / 2.0)
