"""Powder patterns of small crystallites by the Debye equation (where Scherrer's law fails).

For crystallites of a few nm, peak shapes, shifts and the diffuse scattering between peaks are
not those of broadened Bragg reflections; the Debye sum over all pairs gives the powder-averaged
intensity exactly. On a diffractometer scanning 2θ with an unpolarised beam,
I(2θ) = I_Debye(Q(2θ)) (1 + cos² 2θ) / 2 with Q = 4π sin θ / λ: the Debye sum already holds
the Lorentz (powder-averaging) factor.

References
----------
.. [1] B. E. Warren, X-Ray Diffraction (1969), §§4.2, 13.6.
.. [2] B. D. Hall, J. Appl. Phys. 87, 1666 (2000).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mofglass.results import Result
from mofglass.scattering.crystallites import Crystallite, crystallite_of
from mofglass.scattering.debye import DebyeResult, debye_intensity
from mofglass.structure import Crystal

__all__ = ["DebyePattern", "debye_pattern", "polarisation_factor"]


@dataclass(frozen=True)
class DebyePattern(Result):
    """A powder pattern from the Debye equation.

    Attributes
    ----------
    two_theta_deg : ndarray
        2θ, degrees.
    intensity : ndarray
        I(Q(2θ)) (1 + cos² 2θ)/2, electrons².
    wavelength_A : float
    debye : DebyeResult
        The Debye intensity on Q(2θ).
    """

    two_theta_deg: np.ndarray
    intensity: np.ndarray
    wavelength_A: float
    debye: DebyeResult
    method: str = "Debye equation over all pairs (lattice sums for crystallites); polarisation"


def polarisation_factor(two_theta_deg: np.ndarray) -> np.ndarray:
    """(1 + cos² 2θ) / 2 for an unpolarised beam and no monochromator."""
    return (1.0 + np.cos(np.radians(np.asarray(two_theta_deg, dtype=float))) ** 2) / 2.0


def debye_pattern(
    model: Crystal | Crystallite,
    *,
    wavelength_A: float,
    two_theta_deg: np.ndarray,
) -> DebyePattern:
    """Powder pattern of a finite model or crystallite on a 2θ grid (degrees) at λ (Å).

    The 2θ grid maps onto a non-uniform Q grid, which the histogram and lattice routes sum
    exactly (no interpolation).
    """
    tt = np.asarray(two_theta_deg, dtype=float)
    if wavelength_A <= 0 or np.any(tt <= 0) or np.any(tt >= 180):
        raise ValueError("need wavelength_A > 0 and 0 < 2θ < 180°")
    q = 4.0 * np.pi * np.sin(np.radians(tt) / 2.0) / wavelength_A
    cr = crystallite_of(model)
    if cr is not None and cr.lattice_sums_pay():
        route = "lattice"
    else:
        route = "auto" if _uniform(q) else "histogram"
    res = debye_intensity(model, q, route=route)
    return DebyePattern(tt, res.intensity * polarisation_factor(tt), float(wavelength_A), res)


def _uniform(q: np.ndarray) -> bool:
    if q.size < 3:
        return True
    d = np.diff(q)
    return bool(np.allclose(d, d[0], rtol=1e-4, atol=1e-9))
