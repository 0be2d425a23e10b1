"""Read a glass-ceramic model's crystalline fraction and crystallite size back from its data.

:func:`recover_fraction_and_size` runs the analyses a user would run on the model's simulated
data: the PDF mixture fit (:func:`mofglass.totalscattering.compare.fit_mixture`, the model's
PDF against the PDFs of the crystal and of the glass) for the fraction, and the Scherrer
equation (:func:`mofglass.diffraction.size.scherrer_size`) on Voigt fits of the Bragg peaks of
its powder pattern for the size, with the sphere's closed-form constants
(:data:`~mofglass.crystallography.broadening.SPHERE_K_FWHM`,
:data:`~mofglass.crystallography.broadening.SPHERE_K_BETA`), so that the size read back is the
crystallites' diameter D. No instrument broadening is simulated, so none is removed. The
fraction is also fitted with the crystal's PDF times the envelope of a sphere of the Scherrer
diameter: a crystallite lacks the pairs that would cross its surface, which bulk references
read as a lower fraction (the more so the smaller the crystallites).

References
----------
.. [1] J. I. Langford, A. J. C. Wilson, J. Appl. Cryst. 11, 102 (1978) (Scherrer constants).
.. [2] T. Egami, S. J. L. Billinge, Underneath the Bragg Peaks, 2nd ed. (2012), §5 (PDFs of
   two phases add with their scattering-power fractions).
.. [3] K. Kodama, S. Iikubo, T. Taguchi, S. Shamoto, Acta Cryst. A 62, 444 (2006) (PDF
   envelope of spherical particles).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from mofglass.crystallography.broadening import SPHERE_K_BETA, SPHERE_K_FWHM
from mofglass.diffraction.peakfit_result import FittedPeak
from mofglass.errors import AnalysisError
from mofglass.models.glass.ceramic import GlassCeramic, glass_ceramic_pattern, glass_ceramic_pdf
from mofglass.results import Measured, Result

__all__ = [
    "CeramicRecovery",
    "SphereSizes",
    "lattice_two_theta_deg",
    "recover_fraction_and_size",
    "sphere_diameters",
]


@dataclass(frozen=True)
class CeramicRecovery(Result):
    """Fraction and size of a glass-ceramic model, as built and as read back.

    Attributes
    ----------
    fraction_model : float
        Crystalline share of the atoms in the model (the truth).
    fraction_pdf : Measured
        Crystalline fraction from the PDF mixture fit over ``r_range_A`` (bulk references).
    fit_rw : float
        Rw of the mixture fit.
    fraction_pdf_envelope : Measured or None
        The same with the crystal's PDF times the envelope γ0(r) of a sphere of the Scherrer
        (FWHM) diameter (the pairs a crystallite lacks at its surface; Kodama et al. 2006);
        None when the size is unresolved.
    fit_rw_envelope : float or None
    r_range_A : tuple of float
    diameter_model_nm : float
        Mean crystallite diameter of the model (the truth), nm.
    diameter_fwhm_nm, diameter_integral_nm : Measured or None
        Scherrer diameters from the FWHM (K = 1.1067) and from the integral breadths
        (K = 4/3) of the Voigt fits; None when unresolved.
    peaks_two_theta_deg : tuple of float
        Bragg peaks used (2θ, degrees).
    """

    fraction_model: float
    fraction_pdf: Measured
    fit_rw: float
    fraction_pdf_envelope: Measured | None
    fit_rw_envelope: float | None
    r_range_A: tuple[float, float]
    diameter_model_nm: float
    diameter_fwhm_nm: Measured | None
    diameter_integral_nm: Measured | None
    peaks_two_theta_deg: tuple[float, ...]
    method: ClassVar[str] = (
        "PDF mixture fit (Egami & Billinge 2012); Scherrer on Voigt fits, sphere constants "
        "(Langford & Wilson 1978)"
    )

    def report(self) -> str:
        """Return two lines: the fraction and the size, read back against the model's."""
        x = self.fraction_pdf
        lines = [
            f"fraction: PDF mixture fit {self.r_range_A[0]:g}-{self.r_range_A[1]:g} Å "
            f"{x.value:.3f} ± {x.stderr or 0:.3f} vs model {self.fraction_model:.3f} "
            f"(Δ {x.value - self.fraction_model:+.3f}), Rw {self.fit_rw:.3f}"
        ]
        e = self.fraction_pdf_envelope
        if e is not None:
            rw = "" if self.fit_rw_envelope is None else f", Rw {self.fit_rw_envelope:.3f}"
            lines.append(
                f"fraction, crystal PDF with the Scherrer sphere's envelope: {e.value:.3f} ± "
                f"{e.stderr or 0:.3f} (Δ {e.value - self.fraction_model:+.3f}){rw}"
            )
        for name, d in (("FWHM", self.diameter_fwhm_nm), ("integral", self.diameter_integral_nm)):
            if d is None:
                lines.append(f"size ({name} Scherrer): unresolved")
            else:
                lines.append(
                    f"size ({name} Scherrer, sphere diameter): {d.value:.2f} ± {d.stderr or 0:.2f}"
                    f" nm vs {self.diameter_model_nm:.2f} nm "
                    f"({d.value / self.diameter_model_nm - 1:+.1%})"
                )
        return "\n".join(lines)


def lattice_two_theta_deg(
    lattice_A: np.ndarray, wavelength_A: float, two_theta_max_deg: float
) -> np.ndarray:
    """Return 2θ (degrees) of every lattice plane hkl of a cell up to ``two_theta_max_deg``.

    Bragg's law on the P1 lattice (no extinctions): 2θ = 2 asin(λ |h a*| / 2).
    """
    lat = np.asarray(lattice_A, dtype=float)
    recip = np.linalg.inv(lat).T
    s_max = 2 * np.sin(np.radians(two_theta_max_deg / 2)) / wavelength_A
    k = int(np.ceil(s_max * np.linalg.norm(lat, axis=1).max())) + 1
    hkl = np.stack(np.meshgrid(*[np.arange(-k, k + 1)] * 3, indexing="ij"), -1).reshape(-1, 3)
    g = np.linalg.norm(hkl[np.any(hkl != 0, axis=1)] @ recip, axis=1)
    s = g * wavelength_A / 2
    return np.unique(np.round(np.degrees(2 * np.arcsin(s[s < 1])), 6))


def _bragg_peaks(
    peaks: Sequence[FittedPeak], planes_deg: np.ndarray, min_share: float
) -> list[FittedPeak]:
    """Fitted peaks within 0.1° of a lattice plane and at least ``min_share`` of the strongest."""
    top = max(p.height.value for p in peaks)
    return [
        p
        for p in peaks
        if p.height.value >= min_share * top
        and np.abs(planes_deg - p.center_deg.value).min() <= 0.1
    ]


@dataclass(frozen=True)
class SphereSizes:
    """Scherrer diameters of spheres from one pattern (nm; None when unresolved).

    Attributes
    ----------
    fwhm_nm, integral_nm : Measured or None
        From the FWHM (K = 1.1067) and the integral breadths (K = 4/3) of the Voigt fits.
    peaks : tuple of FittedPeak
        The Bragg peaks used.
    """

    fwhm_nm: Measured | None
    integral_nm: Measured | None
    peaks: tuple[FittedPeak, ...]


def sphere_diameters(
    two_theta_deg: np.ndarray,
    intensity: np.ndarray,
    *,
    lattice_A: np.ndarray,
    wavelength_A: float,
    min_peak_share: float = 0.05,
) -> SphereSizes:
    """Scherrer diameters of spherical crystallites from a simulated powder pattern.

    Parameters
    ----------
    two_theta_deg, intensity : ndarray
        The pattern (2θ in degrees; intensity scaled to 10^6 at its maximum and weighted as
        counts).
    lattice_A : ndarray, shape (3, 3)
        Cell of the crystal (rows, Å): only fitted peaks within 0.1° of one of its lattice
        planes count.
    wavelength_A : float
        Wavelength, Å (a single line: no Kα2).
    min_peak_share : float
        Peaks lower than this share of the strongest are left out.

    Returns
    -------
    SphereSizes
    """
    from mofglass.diffraction.pattern import Pattern
    from mofglass.diffraction.peaks import fit_peaks
    from mofglass.diffraction.size import scherrer_size

    tt = np.asarray(two_theta_deg, dtype=float)
    y = np.asarray(intensity, dtype=float)
    y = y / y.max() * 1e6
    try:
        peaks = fit_peaks(Pattern(tt, y, np.sqrt(y))).peaks
    except AnalysisError:  # no peak found
        peaks = ()
    planes = lattice_two_theta_deg(np.asarray(lattice_A), wavelength_A, float(tt.max()))
    used = _bragg_peaks(peaks, planes, min_peak_share) if peaks else []
    sizes: list[Measured | None] = []
    for kind, k in (("fwhm", SPHERE_K_FWHM), ("integral", SPHERE_K_BETA)):
        try:
            res = scherrer_size(used, wavelength_A, k_factor=k, breadth=kind)
        except AnalysisError:  # no peak, or no fit covariance: not resolved
            sizes.append(None)
            continue
        sizes.append(res.crystallite_size_nm)
    return SphereSizes(sizes[0], sizes[1], tuple(used))


def recover_fraction_and_size(
    model: GlassCeramic,
    *,
    r_range_A: tuple[float, float] = (1.0, 20.0),
    wavelength_A: float = 1.5406,
    two_theta_deg: np.ndarray | None = None,
    min_peak_share: float = 0.05,
) -> CeramicRecovery:
    """Run the PDF mixture fit and the Scherrer analysis on a glass-ceramic model's data.

    Parameters
    ----------
    model : GlassCeramic
        The model (:func:`~mofglass.models.glass.ceramic.build_glass_ceramic`).
    r_range_A : tuple of float
        Range of the PDF mixture fit, Å.
    wavelength_A : float
        Wavelength of the simulated powder pattern, Å (Cu Kα1 by default, no Kα2).
    two_theta_deg : ndarray, optional
        2θ grid of the pattern, degrees; default 4-20° in 0.01° steps.
    min_peak_share : float
        Bragg peaks lower than this share of the strongest are left out of the Scherrer mean.

    Returns
    -------
    CeramicRecovery
    """
    from mofglass.scattering.envelopes import sphere_envelope
    from mofglass.scattering.pdf import crystal_pdf
    from mofglass.totalscattering.compare import fit_mixture

    r_max = float(r_range_A[1])
    pdf = glass_ceramic_pdf(model, r_max_A=r_max)
    g_c = crystal_pdf(model.crystal, r_max_A=r_max).G
    g_g = crystal_pdf(model.glass_cell, r_max_A=r_max).G
    fit = fit_mixture(pdf.r_A, pdf.G, g_c, g_g, r_range_A=r_range_A)
    tt = np.arange(4.0, 20.0, 0.01) if two_theta_deg is None else np.asarray(two_theta_deg)
    pat = glass_ceramic_pattern(model, wavelength_A=wavelength_A, two_theta_deg=tt)
    sizes = sphere_diameters(
        tt,
        pat.intensity,
        lattice_A=np.asarray(model.crystal.lattice_A),
        wavelength_A=wavelength_A,
        min_peak_share=min_peak_share,
    )
    env_fit = None
    if sizes.fwhm_nm is not None:
        env = sphere_envelope(pdf.r_A, 10.0 * sizes.fwhm_nm.value)
        env_fit = fit_mixture(pdf.r_A, pdf.G, g_c * env, g_g, r_range_A=r_range_A)
    return CeramicRecovery(
        fraction_model=model.crystalline_fraction,
        fraction_pdf=fit.crystalline_fraction,
        fit_rw=float(fit.rw),
        fraction_pdf_envelope=None if env_fit is None else env_fit.crystalline_fraction,
        fit_rw_envelope=None if env_fit is None else float(env_fit.rw),
        r_range_A=(float(r_range_A[0]), float(r_range_A[1])),
        diameter_model_nm=float(np.mean(model.diameters_A)) / 10.0,
        diameter_fwhm_nm=sizes.fwhm_nm,
        diameter_integral_nm=sizes.integral_nm,
        peaks_two_theta_deg=tuple(float(p.center_deg.value) for p in sizes.peaks),
    )
