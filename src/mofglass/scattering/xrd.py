"""Simulated X-ray powder patterns of crystal structures.

Reflections (hkl families with multiplicities from the Laue group found by spglib, listed by
:func:`mofglass.crystallography.reflection_list`), structure factors with IT Vol. C form factors
and isotropic or anisotropic displacements, Lorentz-polarisation with an optional monochromator,
and a Thompson-Cox-Hastings pseudo-Voigt profile: Caglioti Gaussian widths and the size and
microstrain Lorentzian breadths of :mod:`mofglass.crystallography.broadening` (integral
breadths, K = 1 by default: what :mod:`mofglass.diffraction.size` inverts), Kα1 + Kα2 from
:mod:`mofglass.crystallography.radiation`.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from mofglass.crystallography.broadening import (
    DEFAULT_K,
    LORENTZ_FWHM_PER_BETA,
    size_breadth_deg,
    strain_breadth_deg,
    tch_fwhm_eta,
)
from mofglass.crystallography.radiation import RADIATIONS as _TABLE
from mofglass.crystallography.reflections import reflection_list
from mofglass.errors import MofglassError
from mofglass.results import Result
from mofglass.scattering.formfactors import form_factor
from mofglass.structure import Crystal

__all__ = [
    "RADIATIONS",
    "PowderPattern",
    "Reflections",
    "lorentz_polarization",
    "powder_pattern",
    "pseudo_voigt_tch",
    "reflections",
]

#: name: (Kα1 Å, Kα2 Å, I(Kα2)/I(Kα1)), from :data:`mofglass.crystallography.RADIATIONS`.
RADIATIONS: dict[str, tuple[float, float, float]] = {
    f"{anode}Ka": _TABLE[anode] for anode in ("Cu", "Mo", "Co", "Ag")
}


@dataclass(frozen=True)
class Reflections(Result):
    """Symmetry-distinct reflections (one row per hkl family) at one wavelength.

    Attributes
    ----------
    hkl : ndarray of int, shape (n, 3)
        A representative (hkl) of each family.
    d_A, two_theta_deg : ndarray
        d-spacing (Å) and Bragg angle 2θ (degrees).
    multiplicity : ndarray of int
        Number of hkl in the family (Friedel pairs included).
    f2 : ndarray
        |F|², electrons².
    intensity : ndarray
        multiplicity · |F|² · LP (unscaled).
    wavelength_A : float
    """

    hkl: np.ndarray
    d_A: np.ndarray
    two_theta_deg: np.ndarray
    multiplicity: np.ndarray
    f2: np.ndarray
    intensity: np.ndarray
    wavelength_A: float
    method: str = "kinematic structure factors; Lorentz-polarisation; IT Vol. C form factors"

    def scaled(self) -> np.ndarray:
        """Intensities scaled to 100 for the strongest reflection."""
        top = self.intensity.max() if self.intensity.size else 1.0
        return 100.0 * self.intensity / top


@dataclass(frozen=True)
class PowderPattern(Result):
    """A simulated powder pattern: reflections and the profile on a 2θ grid."""

    reflections: Reflections
    two_theta_deg: np.ndarray
    intensity: np.ndarray
    radiation: str = ""
    settings: dict[str, float] = field(default_factory=dict)
    method: str = "TCH pseudo-Voigt (Caglioti, Scherrer, microstrain), Kα1+Kα2"


def lorentz_polarization(
    two_theta_deg: np.ndarray, monochromator_2theta_deg: float = 0.0
) -> np.ndarray:
    """Lorentz-polarisation factor of a powder diffractometer with an unpolarised source.

    LP = (1 + cos²2θm cos²2θ) / ((1 + cos²2θm) sin²θ cosθ); 2θm = 0 without a monochromator.

    References
    ----------
    .. [1] International Tables for Crystallography Vol. C (2004), §6.2.
    """
    tt = np.radians(np.asarray(two_theta_deg, dtype=float))
    cm = np.cos(np.radians(monochromator_2theta_deg)) ** 2
    th = tt / 2.0
    return (1.0 + cm * np.cos(tt) ** 2) / ((1.0 + cm) * np.sin(th) ** 2 * np.cos(th))


def _laue_rotations(crystal: Crystal, symprec: float) -> np.ndarray:
    import spglib

    lat = crystal.lattice_A
    assert lat is not None
    numbers = np.unique(np.array(crystal.species), return_inverse=True)[1]
    cell: Any = (lat, crystal.frac % 1.0, numbers)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        sym = spglib.get_symmetry(cell, symprec=symprec)
    rots = np.eye(3, dtype=int)[None] if sym is None else np.asarray(sym["rotations"])
    return np.unique(np.concatenate([rots, -rots]), axis=0)


def reflections(
    crystal: Crystal,
    *,
    wavelength_A: float,
    two_theta_max_deg: float = 90.0,
    two_theta_min_deg: float = 0.0,
    displacements: bool = True,
    u_aniso_A2: np.ndarray | None = None,
    monochromator_2theta_deg: float = 0.0,
    symprec: float = 1e-3,
) -> Reflections:
    """All reflection families up to ``two_theta_max_deg`` with |F|², multiplicity and intensity.

    Parameters
    ----------
    crystal : Crystal
        Periodic structure (P1-expanded atoms).
    wavelength_A : float
        Wavelength, Å.
    displacements : bool
        Apply Debye-Waller factors from ``uiso_A2`` (exp(-8π² U s²)) or ``u_aniso_A2``.
    u_aniso_A2 : ndarray, shape (N, 3, 3), optional
        Cartesian U tensors per atom (exp(-2π² gᵀ U g), g the reciprocal vector in Å⁻¹).
    monochromator_2theta_deg : float
        Monochromator angle 2θm for the polarisation factor.
    symprec : float
        spglib tolerance for the Laue group that groups hkl into families.

    References
    ----------
    .. [1] B. E. Warren, X-ray Diffraction (1969), ch. 4; International Tables Vol. C, §6.
    """
    lat = crystal.lattice_A
    if lat is None:
        raise MofglassError("a powder pattern needs a periodic structure")
    rec = np.linalg.inv(lat).T  # rows a*, b*, c* (no 2π), Å⁻¹
    d_min = wavelength_A / (2.0 * np.sin(np.radians(two_theta_max_deg) / 2.0))
    s_lo = np.sin(np.radians(two_theta_min_deg) / 2.0)
    d_max = wavelength_A / (2.0 * s_lo) if s_lo > 0 else np.inf
    fam = reflection_list(
        np.asarray(lat, dtype=float),
        d_min_A=float(d_min),
        d_max_A=float(d_max),
        rotations=_laue_rotations(crystal, symprec),
    )
    rep, mult = fam.hkl, fam.multiplicity
    g_rep = rep @ rec
    gn = np.linalg.norm(g_rep, axis=1)
    s = gn / 2.0  # sinθ/λ
    frac = crystal.frac
    f2 = np.empty(len(rep))
    elements = sorted(set(crystal.species))
    idx = np.array([elements.index(e) for e in crystal.species])
    ftab = np.array([form_factor(e, 4 * np.pi * s) for e in elements])  # (n_el, n_refl)
    occ = crystal.occupancy
    # |F|² is the same for every member of a family (and for Friedel pairs): one per family
    for start in range(0, len(rep), 2048):
        sl = slice(start, start + 2048)
        arg = 2 * np.pi * (rep[sl] @ frac.T)  # (n, N)
        amp = ftab[idx][:, sl].T * occ[None, :]
        if displacements:
            if u_aniso_A2 is not None:
                gg = g_rep[sl]
                amp = amp * np.exp(-2 * np.pi**2 * np.einsum("ni,aij,nj->na", gg, u_aniso_A2, gg))
            else:
                amp = amp * np.exp(-8 * np.pi**2 * np.outer(s[sl] ** 2, crystal.uiso_A2))
        f2[sl] = (amp * np.cos(arg)).sum(axis=1) ** 2 + (amp * np.sin(arg)).sum(axis=1) ** 2
    d = 1.0 / gn
    tt = np.degrees(2.0 * np.arcsin(np.clip(wavelength_A / (2.0 * d), -1, 1)))
    inten = mult * f2 * lorentz_polarization(tt, monochromator_2theta_deg)
    present = f2 > 1e-9 * max(float(f2.max()) if f2.size else 0.0, 1e-30)  # systematic absences
    order = np.argsort(tt[present])
    rep, mult = rep[present], mult[present]
    d, tt, f2, inten = d[present], tt[present], f2[present], inten[present]
    return Reflections(
        rep[order], d[order], tt[order], mult[order], f2[order], inten[order], float(wavelength_A)
    )


def pseudo_voigt_tch(
    x: np.ndarray,
    center: float | np.ndarray,
    fwhm_g: float | np.ndarray,
    fwhm_l: float | np.ndarray,
) -> np.ndarray:
    """Area-normalised Thompson-Cox-Hastings pseudo-Voigt (widths are FWHMs in x units).

    References
    ----------
    .. [1] P. Thompson, D. E. Cox, J. B. Hastings, J. Appl. Cryst. 20, 79 (1987).
    """
    fw, eta = tch_fwhm_eta(fwhm_g, fwhm_l)
    dx = x - center
    gauss = np.sqrt(4 * np.log(2) / np.pi) / fw * np.exp(-4 * np.log(2) * dx**2 / fw**2)
    lor = 2.0 / (np.pi * fw) / (1.0 + 4.0 * dx**2 / fw**2)
    return np.asarray(eta * lor + (1 - eta) * gauss)


def _profile_sum(
    x: np.ndarray,
    centers: np.ndarray,
    areas: np.ndarray,
    fwhm_g: np.ndarray,
    fwhm_l: np.ndarray,
    step: float,
) -> np.ndarray:
    """Σ of TCH pseudo-Voigt peaks on a uniform grid x, each within ±30 FWHM of its centre."""
    y = np.zeros_like(x)
    if centers.size == 0:
        return y
    width = 30.0 * (fwhm_g + fwhm_l)
    half = int(np.ceil(width.max() / step))
    for start in range(0, centers.size, max(1, 2_000_000 // (2 * half + 1))):
        sl = slice(start, start + max(1, 2_000_000 // (2 * half + 1)))
        i0 = np.round((centers[sl] - x[0]) / step).astype(int)
        idx = i0[:, None] + np.arange(-half, half + 1)[None, :]
        ok = (idx >= 0) & (idx < x.size)
        xs = x[0] + idx * step
        vals = pseudo_voigt_tch(xs, centers[sl, None], fwhm_g[sl, None], fwhm_l[sl, None])
        vals *= areas[sl, None] * ok
        y += np.bincount(
            np.clip(idx, 0, x.size - 1).ravel(), weights=vals.ravel(), minlength=x.size
        )
    return y


def powder_pattern(
    crystal: Crystal,
    *,
    radiation: str | float = "CuKa",
    two_theta_range_deg: tuple[float, float] = (2.0, 60.0),
    step_deg: float = 0.01,
    caglioti_deg2: tuple[float, float, float] = (0.0, 0.0, 0.0025),
    crystallite_size_nm: float | None = None,
    microstrain: float = 0.0,
    k_factor: float = DEFAULT_K,
    monochromator_2theta_deg: float = 0.0,
    displacements: bool = True,
    u_aniso_A2: np.ndarray | None = None,
) -> PowderPattern:
    """Powder pattern of a crystal: reflections (Kα1) and a profile (Kα1 + Kα2).

    Parameters
    ----------
    radiation : str or float
        ``"CuKa"``, ``"MoKa"``, ``"CoKa"``, ``"AgKa"`` (Kα1 + Kα2 with I2/I1 = 0.5), or a single
        wavelength in Å.
    two_theta_range_deg, step_deg : profile grid, degrees.
    caglioti_deg2 : (U, V, W)
        Gaussian FWHM² = U tan²θ + V tanθ + W, degrees².
    crystallite_size_nm : float, optional
        Volume-weighted column length ⟨D⟩: Lorentzian integral breadth K λ / (⟨D⟩ cos θ)
        (radians); None: no size broadening.
    microstrain : float
        Apparent microstrain ε: Lorentzian integral breadth 4 ε tan θ (radians).
    k_factor : float
        Scherrer constant of the integral breadth (1: LVol-IB; see
        :mod:`mofglass.crystallography.broadening`).
    monochromator_2theta_deg : float
        For the polarisation factor.

    References
    ----------
    .. [1] G. Caglioti, A. Paoletti, F. P. Ricci, Nucl. Instrum. 3, 223 (1958).
    .. [2] P. Scherrer, Nachr. Ges. Wiss. Göttingen 26, 98 (1918).
    .. [3] A. R. Stokes, A. J. C. Wilson, Proc. Phys. Soc. 56, 174 (1944).
    """
    if isinstance(radiation, str):
        if radiation not in RADIATIONS:
            raise MofglassError(f"unknown radiation {radiation!r}; use one of {sorted(RADIATIONS)}")
        lam1, lam2, ratio = RADIATIONS[radiation]
        lines = [(lam1, 1.0), (lam2, ratio)]
        name = radiation
    else:
        lines = [(float(radiation), 1.0)]
        name = f"{float(radiation):g} Å"
    lo, hi = two_theta_range_deg
    refl = reflections(
        crystal,
        wavelength_A=lines[0][0],
        two_theta_max_deg=hi,
        displacements=displacements,
        u_aniso_A2=u_aniso_A2,
        monochromator_2theta_deg=monochromator_2theta_deg,
    )
    x = np.arange(lo, hi + step_deg / 2, step_deg)
    y = np.zeros_like(x)
    u, v, w = caglioti_deg2
    for lam, weight in lines:
        arg = np.clip(lam / (2 * refl.d_A), -1, 1)
        ok = arg < 1
        th = np.arcsin(arg[ok])
        tt = np.degrees(2 * th)
        inten = (
            refl.multiplicity[ok] * refl.f2[ok] * lorentz_polarization(tt, monochromator_2theta_deg)
        )
        fg = np.sqrt(np.maximum(u * np.tan(th) ** 2 + v * np.tan(th) + w, 1e-8))
        beta_l = np.zeros_like(th)
        if crystallite_size_nm:
            beta_l += size_breadth_deg(
                tt, wavelength_A=lam, size_nm=crystallite_size_nm, k_factor=k_factor
            )
        if microstrain:
            beta_l += strain_breadth_deg(tt, microstrain=microstrain)
        fl = beta_l * LORENTZ_FWHM_PER_BETA
        y += weight * _profile_sum(x, tt, inten, fg, fl, step_deg)
    settings = {
        "U_deg2": u,
        "V_deg2": v,
        "W_deg2": w,
        "microstrain": microstrain,
        "crystallite_size_nm": crystallite_size_nm or 0.0,
        "k_factor": k_factor,
    }
    return PowderPattern(refl, x, y, name, settings)
