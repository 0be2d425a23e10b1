"""Finger-Cox-Jephcoat axial-divergence asymmetry and its conversion.

Finger-Cox-Jephcoat axial-divergence asymmetry, and its conversion to the Bérar-Baldinozzi
terms of the whole-pattern profile.

GSAS instrument files give the axial-divergence asymmetry as S/L and H/L (sample and detector
half-heights over the diffractometer radius) for the Finger-Cox-Jephcoat (FCJ) model [1]_: the
symmetric profile is convolved with the weight

    W(2φ) = [1 / √(cos² 2φ / cos² 2θ - 1) - 1 / s] / |cos 2φ|   (where positive),

s = S/L + H/L, on the low-angle side of a reflection at 2θ < 90° (the high-angle side above
90°), as GSAS-II implements it for its single ``SH/L`` term [2]_ (exact for S = H; the sum is
the documented approximation otherwise). The whole-pattern kernel uses the cheaper
Bérar-Baldinozzi form [3]_ (profile × [1 + (P1 Fa(z) + P2 Fb(z)) / tan 2θ], see
:mod:`mofglass.diffraction._wholepattern`), so :func:`fcj_to_berar_baldinozzi` converts an FCJ
``s`` into the P1, P2 that best reproduce the FCJ profiles (least squares over the pattern's 2θ
range at the instrument's widths) and reports how well they do: the remaining misfit and the
FCJ centroid shift, which the Bérar-Baldinozzi form cannot carry (it goes into the zero,
displacement or cell).

References
----------
.. [1] L. W. Finger, D. E. Cox, A. P. Jephcoat, J. Appl. Cryst. 27 (1994) 892-900.
.. [2] B. H. Toby, R. B. Von Dreele, J. Appl. Cryst. 46 (2013) 544-549 (GSAS-II,
       ``GSASIIpwd.fcjde_gen``).
.. [3] J.-F. Bérar, G. Baldinozzi, J. Appl. Cryst. 26 (1993) 128-129.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mofglass.crystallography.broadening import tch_fwhm_eta
from mofglass.diffraction._wholepattern import ProfileState, peak_widths

__all__ = ["FcjConversion", "fcj_profile", "fcj_to_berar_baldinozzi"]

_N_NODES = 96


def _pseudo_voigt(x: np.ndarray, fwhm: float, eta: float) -> np.ndarray:
    """Unit-area pseudo-Voigt of FWHM ``fwhm`` centred at 0."""
    z2 = (2 * x / fwhm) ** 2
    lor = 2 / (np.pi * fwhm) / (1 + z2)
    gau = 2 / fwhm * np.sqrt(np.log(2) / np.pi) * np.exp(-np.log(2) * z2)
    return eta * lor + (1 - eta) * gau


def _fcj_nodes(two_theta_deg: float, shl: float) -> tuple[np.ndarray, np.ndarray]:
    """Offsets δ (deg, 2φ - 2θ) and weights of the FCJ kernel of a reflection at 2θ.

    The 1/√ singularity at δ = 0 is removed by δ = δ_max u² (midpoint rule in u).
    """
    low = two_theta_deg <= 90.0
    t = np.radians(two_theta_deg if low else 180.0 - two_theta_deg)
    c_min = np.cos(t) * np.sqrt(1 + shl * shl)
    phi_min = 0.0 if c_min >= 1 else float(np.arccos(c_min))
    d_max = np.degrees(t - phi_min)
    if d_max <= 0:
        return np.zeros(1), np.ones(1)
    u = (np.arange(_N_NODES) + 0.5) / _N_NODES
    d = d_max * u * u
    phi = t - np.radians(d)
    ratio = np.cos(phi) ** 2 / np.cos(t) ** 2 - 1
    w = np.where(ratio > 0, 1 / np.sqrt(np.where(ratio > 0, ratio, 1.0)) - 1 / shl, 0.0)
    w = np.clip(w, 0.0, None) / np.abs(np.cos(phi)) * (2 * d_max * u) / _N_NODES
    return (-d if low else d), w / max(float(w.sum()), 1e-300)


def fcj_profile(
    x_deg: np.ndarray, two_theta_deg: float, fwhm_deg: float, eta: float, shl: float
) -> np.ndarray:
    """Unit-area pseudo-Voigt (FWHM, η) at ``two_theta_deg`` convolved with the FCJ kernel.

    Parameters
    ----------
    x_deg : ndarray
        2θ grid, degrees.
    two_theta_deg : float
        Position of the reflection (no asymmetry), degrees.
    fwhm_deg, eta : float
        Symmetric profile: total FWHM (degrees) and Lorentzian fraction.
    shl : float
        S/L + H/L.

    Returns
    -------
    ndarray
        The asymmetric profile on ``x_deg`` (per degree).
    """
    if shl <= 0:
        return _pseudo_voigt(np.asarray(x_deg) - two_theta_deg, fwhm_deg, eta)
    d, w = _fcj_nodes(two_theta_deg, shl)
    rel = np.asarray(x_deg)[:, None] - two_theta_deg - d[None, :]
    return _pseudo_voigt(rel, fwhm_deg, eta) @ w


@dataclass(frozen=True)
class FcjConversion:
    """Bérar-Baldinozzi P1, P2 standing for an FCJ asymmetry, and how well they do.

    ``misfit_before`` / ``misfit_after``: rms difference between the FCJ profiles and the
    symmetric / Bérar-Baldinozzi ones, relative to the peak height, over the range;
    ``max_centroid_shift_deg``: the largest FCJ centroid shift (not representable).
    """

    asym1: float
    asym2: float
    shl: float
    misfit_before: float
    misfit_after: float
    max_centroid_shift_deg: float

    def describe(self) -> str:
        """One line for reports."""
        return (
            f"FCJ S/L+H/L = {self.shl:g} as Bérar-Baldinozzi P1 = {self.asym1:.4g}, "
            f"P2 = {self.asym2:.4g} (profile misfit {100 * self.misfit_before:.1f} % -> "
            f"{100 * self.misfit_after:.1f} % of the peak height; FCJ centroid shift up to "
            f"{self.max_centroid_shift_deg:.4f}° left to zero/displacement/cell)"
        )


def fcj_to_berar_baldinozzi(
    shl: float,
    two_theta_range_deg: tuple[float, float],
    state: ProfileState,
    wavelength_A: float,
    *,
    n_angles: int = 24,
) -> FcjConversion:
    """P1, P2 of the Bérar-Baldinozzi asymmetry closest to the FCJ asymmetry ``shl``.

    Linear least squares over ``n_angles`` reflections spread over the range, each profile
    normalised to unit height, z within ±6 FWHM of the reflection; the profile widths are
    those of ``state`` (U, V, W, X, Y) at ``wavelength_A``.

    Parameters
    ----------
    shl : float
        S/L + H/L of the instrument file.
    two_theta_range_deg : (float, float)
        Range of the pattern, degrees.
    state : ProfileState
        Instrument profile (widths).
    wavelength_A : float
        Wavelength, Å (for the widths' size/strain terms).
    n_angles : int
        Reflections sampled.

    Returns
    -------
    FcjConversion
    """
    lo, hi = two_theta_range_deg
    angles = np.linspace(max(lo, 1.0), min(hi, 179.0), n_angles)
    angles = angles[np.abs(angles - 90.0) > 2.0]
    fg, fl = peak_widths(angles, state, wavelength_A)
    fwhm, eta = tch_fwhm_eta(fg, fl)
    eta = np.clip(eta, 0.0, 1.0)
    rows_a, rows_b, rhs, shifts = [], [], [], []
    for tt, f, e in zip(angles, fwhm, eta, strict=True):
        z = np.linspace(-6, 6, 241)
        x = tt + z * f
        sym = _pseudo_voigt(x - tt, f, e)
        target = fcj_profile(x, tt, f, e, shl)
        height = float(sym.max())
        fa = 2 * z * np.exp(-z * z)
        fb = 2 * (2 * z * z - 3) * fa
        cot = 1 / np.tan(np.radians(tt))
        rows_a.append(sym * fa * cot / height)
        rows_b.append(sym * fb * cot / height)
        rhs.append((target - sym) / height)
        shifts.append(abs(float(np.sum(x * target) / np.sum(target) - tt)))
    design = np.column_stack([np.concatenate(rows_a), np.concatenate(rows_b)])
    r = np.concatenate(rhs)
    (p1, p2), *_ = np.linalg.lstsq(design, r, rcond=None)
    p1, p2 = float(np.clip(p1, -2.0, 2.0)), float(np.clip(p2, -2.0, 2.0))
    after = r - design @ np.array([p1, p2])
    return FcjConversion(
        asym1=p1,
        asym2=p2,
        shl=shl,
        misfit_before=float(np.sqrt(np.mean(r * r))),
        misfit_after=float(np.sqrt(np.mean(after * after))),
        max_centroid_shift_deg=max(shifts),
    )
