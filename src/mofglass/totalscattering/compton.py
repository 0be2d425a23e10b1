"""Compton (incoherent) X-ray scattering per atom, for the normalisation of measured intensities.

The incoherent scattering function S_a(x) of each element (x = sin θ / λ = Q / 4π, Å⁻¹) comes
from xraylib (``SF_Compt``: Hubbell et al. 1975 tables). It rises from 0 at Q = 0 to the atomic
number Z at high Q, which is why raw intensities of light-element samples (organic linkers,
silicates) cannot be normalised without it: at Q = 20 Å⁻¹ carbon scatters about three times more
incoherently than coherently.

The Compton photons are shifted to lower energy; a detector that integrates energy sees them
weighted by the Breit-Dirac recoil factor R^n with R = E'/E = 1 / (1 + (λ_c / λ)(1 - cos 2θ)),
λ_c = h / (m_e c) = 0.0242631 Å; n = 2 for an energy-integrating detector, 3 for a photon
counter (the choice of PDFgetX2), 0 to switch it off.
"""

from __future__ import annotations

import numpy as np
import xraylib

from mofglass.composition import Composition
from mofglass.errors import AnalysisError

__all__ = ["COMPTON_WAVELENGTH_A", "breit_dirac_factor", "compton_scattering"]

COMPTON_WAVELENGTH_A = 0.0242631  # h / (m_e c), CODATA 2018: 2.42631024e-12 m


def breit_dirac_factor(
    q_invA: np.ndarray, wavelength_A: float, *, exponent: float = 2.0
) -> np.ndarray:
    """(E'/E)^n of Compton photons scattered to Q at the wavelength λ.

    1 - cos 2θ = 2 sin²θ = 2 (Q λ / 4π)².

    References
    ----------
    .. [1] G. Breit, Phys. Rev. 27, 362 (1926); P. A. M. Dirac, Proc. R. Soc. A 111, 405 (1926).
    .. [2] W. Ruland, Br. J. Appl. Phys. 15, 1301 (1964).
    """
    q = np.asarray(q_invA, dtype=float)
    if wavelength_A <= 0:
        raise AnalysisError(f"wavelength must be > 0 Å, got {wavelength_A}")
    s = q * wavelength_A / (4.0 * np.pi)
    if np.any(s > 1.0):
        raise AnalysisError(
            f"Q up to {q.max():.3g} Å⁻¹ is beyond 4π/λ = {4 * np.pi / wavelength_A:.3g} Å⁻¹"
        )
    ratio = 1.0 / (1.0 + (COMPTON_WAVELENGTH_A / wavelength_A) * 2.0 * s**2)
    return np.asarray(ratio**exponent)


def compton_scattering(
    composition: Composition | str,
    q_invA: np.ndarray,
    *,
    wavelength_A: float | None = None,
    breit_dirac_exponent: float = 2.0,
) -> np.ndarray:
    """Incoherent scattering per atom, Σ_a c_a S_a(Q) (electron units), of a composition.

    Parameters
    ----------
    composition : Composition or str
        Formula of the sample, e.g. ``"Cd(im)2"``; c_a are atomic fractions.
    q_invA : ndarray
        Q, Å⁻¹.
    wavelength_A : float, optional
        Incident wavelength, Å; with it the Breit-Dirac factor is applied, without it it is not.
    breit_dirac_exponent : float
        n of the recoil factor R^n (2 energy-integrating, 3 photon-counting, 0 off).

    Returns
    -------
    ndarray
        Incoherent intensity per atom on the grid of ``q_invA``.

    References
    ----------
    .. [1] J. H. Hubbell et al., J. Phys. Chem. Ref. Data 4, 471 (1975) (via xraylib:
       T. Schoonjans et al., Spectrochim. Acta B 66, 776 (2011)).
    """
    comp = Composition.from_formula(composition) if isinstance(composition, str) else composition
    q = np.asarray(q_invA, dtype=float)
    if np.any(q < 0):
        raise AnalysisError("Q must be >= 0 for the Compton scattering")
    x = q / (4.0 * np.pi)
    total = float(sum(comp.counts.values()))
    out = np.zeros(q.shape)
    for element, n in comp.counts.items():
        z = xraylib.SymbolToAtomicNumber(element)
        s = np.array([_sf_compt(z, float(v)) for v in x.ravel()])
        out += (float(n) / total) * s.reshape(q.shape)
    if wavelength_A is not None and breit_dirac_exponent != 0:
        out *= breit_dirac_factor(q, wavelength_A, exponent=breit_dirac_exponent)
    return out


_X_TABLE_MIN = 1e-3  # xraylib's table of S(x) starts here (smaller x: "extrapolation")


def _sf_compt(z: int, x: float) -> float:
    """Incoherent scattering function S(x); below xraylib's table S grows as x² (Hubbell)."""
    if x <= 0:
        return 0.0
    if x < _X_TABLE_MIN:
        return float(xraylib.SF_Compt(z, _X_TABLE_MIN)) * (x / _X_TABLE_MIN) ** 2
    return float(xraylib.SF_Compt(z, x))
