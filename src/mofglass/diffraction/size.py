"""Crystallite size and microstrain from Bragg-peak integral breadths.

Sample breadths: the observed Voigt (βL, βG) minus the instrument's, with Lorentzian parts
subtracted linearly and Gaussian parts in quadrature (exact for Voigt convolution [2]_):
βL,s = βL,obs - βL,inst and βG,s² = βG,obs² - βG,inst²; the sample's integral breadth β_s is the
Voigt breadth of (βL,s, βG,s).

Scherrer (integral breadth) [1]_: ⟨D⟩ = K λ / (β_s cos θ), β_s in radians of 2θ. With K = 1
(default) ⟨D⟩ is the volume-weighted mean column length ("LVol-IB" in TOPAS); for spheres of
diameter D, ⟨D⟩ = 3D/4, so K = 4/3 gives the diameter and K = 1.0747 the cube root of the volume
(Langford & Wilson [1]_; the FWHM-based constant 0.89-0.94 of textbooks does not apply to
integral breadths). Size values across peaks are combined as the weighted mean of β_s cos θ.
``breadth="fwhm"`` uses the FWHM of the deconvolved sample Voigt instead (Scherrer's own
breadth; its constant differs: 1.1067 for the diameter of a sphere,
:data:`mofglass.crystallography.broadening.SPHERE_K_FWHM`); Voigt fits lose less of a
size-broadened line's FWHM than of its integral breadth, whose long s⁻² tails a windowed fit
with a local background misses (:mod:`mofglass.crystallography.broadening`).

When the sample broadening cannot be distinguished from the instrumental one (β_s below its
2σ uncertainty or below ``resolution_fraction`` of the instrumental breadth), no size is given,
only a lower bound ⟨D⟩ > K λ / (β_max cos θ) with β_max the largest breadth consistent with the
data - the paper's "> 1000 nm" for solution-grown Cd(im)2.

Williamson-Hall [3]_ size and microstrain from the same sample breadths:
:mod:`mofglass.diffraction.strain`.

References
----------
.. [1] J. I. Langford, A. J. C. Wilson, J. Appl. Cryst. 11 (1978) 102-113.
.. [2] J. I. Langford, J. Appl. Cryst. 11 (1978) 10-14.
.. [3] G. K. Williamson, W. H. Hall, Acta Metall. 1 (1953) 22-31.
.. [4] G. Caglioti, A. Paoletti, F. P. Ricci, Nucl. Instrum. 3 (1958) 223-228.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from mofglass.diffraction.peakfit_result import FittedPeak
from mofglass.diffraction.profiles import (
    FWHM_TO_BETA_GAUSS,
    FWHM_TO_BETA_LORENTZ,
    propagate,
    voigt_fwhm,
    voigt_integral_breadth,
)
from mofglass.errors import AnalysisError
from mofglass.results import Measured, Result

__all__ = [
    "InstrumentProfile",
    "PeakSize",
    "ScherrerResult",
    "sample_breadth",
    "scherrer_size",
]


@dataclass(frozen=True)
class InstrumentProfile:
    """Instrumental broadening as a function of 2θ (Thompson-Cox-Hastings form).

    Gaussian FWHM² = U tan²θ + V tanθ + W (Caglioti [4]_, deg²); Lorentzian FWHM = X tanθ +
    Y / cosθ (deg). Integral breadths follow from the FWHMs of each part. ``asym1``,
    ``asym2`` are Bérar-Baldinozzi asymmetry parameters and ``zero_deg`` the 2θ zero of the
    whole-pattern fit that produced the profile (:mod:`mofglass.diffraction.pawley`);
    ``fcj_shl`` is a Finger-Cox-Jephcoat S/L + H/L from a GSAS file, converted to
    Bérar-Baldinozzi terms by the whole-pattern fit (:mod:`mofglass.diffraction.fcj`).
    """

    u: float = 0.0
    v: float = 0.0
    w: float = 0.0
    x: float = 0.0
    y: float = 0.0
    source: str = "Caglioti parameters"
    asym1: float = 0.0
    asym2: float = 0.0
    zero_deg: float = 0.0
    fcj_shl: float = 0.0

    def breadths_deg(self, two_theta_deg: float | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Instrumental (βL, βG) integral breadths in degrees at 2θ (degrees)."""
        th = np.deg2rad(np.asarray(two_theta_deg, dtype=float)) / 2
        t = np.tan(th)
        fg = np.sqrt(np.maximum(self.u * t**2 + self.v * t + self.w, 0.0))
        fl = np.maximum(self.x * t + self.y / np.cos(th), 0.0)
        return fl * FWHM_TO_BETA_LORENTZ, fg * FWHM_TO_BETA_GAUSS

    @classmethod
    def from_standard(
        cls, peaks: Sequence[FittedPeak], *, source: str = "standard"
    ) -> InstrumentProfile:
        """Fit U, V, W and X, Y (linear least squares) to a line-profile standard's peaks.

        The standard (e.g. NIST SRM 660 LaB6) is assumed to add no broadening of its own.
        """
        if len(peaks) < 3:
            raise AnalysisError("an instrument profile needs at least 3 standard peaks")
        tt = np.array([p.center_deg.value for p in peaks])
        th = np.deg2rad(tt) / 2
        t = np.tan(th)
        fg2 = (np.array([p.gauss_breadth_deg.value for p in peaks]) / FWHM_TO_BETA_GAUSS) ** 2
        fl = np.array([p.lorentz_breadth_deg.value for p in peaks]) / FWHM_TO_BETA_LORENTZ
        uvw, *_ = np.linalg.lstsq(np.column_stack([t**2, t, np.ones_like(t)]), fg2, rcond=None)
        xy, *_ = np.linalg.lstsq(np.column_stack([t, 1 / np.cos(th)]), fl, rcond=None)
        return cls(
            u=float(uvw[0]),
            v=float(uvw[1]),
            w=float(uvw[2]),
            x=float(xy[0]),
            y=float(xy[1]),
            source=source,
        )


def sample_breadth(
    peak: FittedPeak, instrument: InstrumentProfile | None, *, kind: str = "integral"
) -> tuple[float, float]:
    """Sample breadth (degrees) of one peak and its standard uncertainty.

    Lorentzian breadths subtract, Gaussian breadths subtract in quadrature (clipped at 0);
    ``kind`` "integral" gives the sample Voigt's integral breadth β_s, "fwhm" its FWHM. A peak
    no broader than the instrument gets β_s = 0 with the uncertainty of its observed breadth,
    so it counts towards "not resolved" instead of dropping out of the averages.
    """
    inst_l, inst_g = (0.0, 0.0)
    if instrument is not None:
        il, ig = instrument.breadths_deg(peak.center_deg.value)
        inst_l, inst_g = float(il), float(ig)

    def beta_s(v: np.ndarray) -> float:
        bl = v[0] - inst_l
        bg2 = v[1] ** 2 - inst_g**2
        bl, bg = max(bl, 0.0), float(np.sqrt(max(bg2, 0.0)))
        if kind == "fwhm":
            return float(voigt_fwhm(bl / FWHM_TO_BETA_LORENTZ, bg / FWHM_TO_BETA_GAUSS))
        return float(voigt_integral_breadth(bl, bg))

    def beta_obs(v: np.ndarray) -> float:
        if kind == "fwhm":
            return float(voigt_fwhm(v[0] / FWHM_TO_BETA_LORENTZ, v[1] / FWHM_TO_BETA_GAUSS))
        return float(voigt_integral_breadth(v[0], v[1]))

    vals = np.array([peak.lorentz_breadth_deg.value, peak.gauss_breadth_deg.value])
    cov = peak.breadth_covariance
    if not np.all(np.isfinite(cov)):
        return beta_s(vals), float("nan")
    b, e = propagate(beta_s, vals, cov)
    if b <= 0:  # clipped at 0 (no broader than the instrument): the observed breadth's s.u.
        e = propagate(beta_obs, vals, cov)[1]
    return b, e


@dataclass(frozen=True)
class PeakSize(Result):
    """Per-peak sample breadth and Scherrer size (``size_nm`` None when unresolved)."""

    two_theta_deg: float
    beta_sample_deg: Measured
    beta_instrument_deg: float
    size_nm: Measured | None


@dataclass(frozen=True)
class ScherrerResult(Result):
    """Integral-breadth Scherrer size: a value with uncertainty, or a lower bound.

    Attributes
    ----------
    crystallite_size_nm : Measured or None
        Volume-weighted mean column length × K/1 (None when unresolved).
    size_lower_bound_nm : Measured or None
        When unresolved: ⟨D⟩ exceeds this value (stderr None).
    resolved : bool
        Whether the sample broadening is distinguishable from the instrumental one.
    k_factor : float
        Scherrer constant used.
    wavelength_A : float
    peaks : tuple of PeakSize
    breadth : str
        "integral" (β) or "fwhm": the breadth the size came from (``k_factor`` belongs to it).
    flags : tuple of str
        Warnings, e.g. peaks no broader than the instrument profile (sample breadth <= 0).
    """

    crystallite_size_nm: Measured | None
    size_lower_bound_nm: Measured | None
    resolved: bool
    k_factor: float
    wavelength_A: float
    peaks: tuple[PeakSize, ...]
    breadth: str = "integral"
    flags: tuple[str, ...] = ()
    method: ClassVar[str] = (
        "integral-breadth (or FWHM) Scherrer, Voigt deconvolution of instrument "
        "(Langford & Wilson 1978)"
    )

    def __str__(self) -> str:
        if self.crystallite_size_nm is not None:
            return (
                f"crystallite size {self.crystallite_size_nm} (K = {self.k_factor:g}, "
                f"{self.breadth} breadth)"
            )
        assert self.size_lower_bound_nm is not None
        return f"crystallite size > {self.size_lower_bound_nm.value:.0f} nm (instrument-limited)"


def _weighted_mean(y: np.ndarray, s: np.ndarray) -> tuple[float, float]:
    w = 1 / s**2
    m = float(np.sum(w * y) / np.sum(w))
    err = float(np.sqrt(1 / np.sum(w)))
    if y.size > 1:  # Birge ratio: inflate when the peaks scatter more than their errors
        chi2 = float(np.sum(w * (y - m) ** 2)) / (y.size - 1)
        err *= float(np.sqrt(max(chi2, 1.0)))
    return m, err


def _size_nm(k: float, lam_a: float, beta_cos_rad: float) -> float:
    return k * lam_a / beta_cos_rad / 10.0


def scherrer_size(
    peaks: Sequence[FittedPeak],
    wavelength_A: float,
    *,
    instrument: InstrumentProfile | None = None,
    k_factor: float = 1.0,
    resolution_fraction: float = 0.1,
    breadth: str = "integral",
) -> ScherrerResult:
    """Crystallite size from the integral breadths of fitted peaks (Scherrer equation).

    Parameters
    ----------
    peaks : sequence of FittedPeak
        Kα1 peaks (fit with the Kα2 modelled, or stripped).
    wavelength_A : float
        Kα1 wavelength, Å.
    instrument : InstrumentProfile, optional
        Instrumental broadening to remove; without it the size is a lower estimate.
    k_factor : float
        Scherrer constant for integral breadths (1 = volume-weighted column length; 4/3 =
        sphere diameter).
    resolution_fraction : float
        Sample broadening below this fraction of the instrumental breadth is treated as
        unresolved (lower bound only).
    breadth : {"integral", "fwhm"}
        Breadth of the sample line the size comes from; ``k_factor`` must be the constant of
        that breadth (FWHM of a sphere: 1.1067 for its diameter).

    Returns
    -------
    ScherrerResult
    """
    if not peaks:
        raise AnalysisError("no peaks for a Scherrer analysis")
    if breadth not in ("integral", "fwhm"):
        raise ValueError(f"breadth must be 'integral' or 'fwhm', got {breadth!r}")
    rows: list[PeakSize] = []
    y, s, inst = [], [], []
    for p in peaks:
        b, e = sample_breadth(p, instrument, kind=breadth)
        th = np.deg2rad(p.center_deg.value) / 2
        bi = 0.0
        if instrument is not None:
            il, ig = instrument.breadths_deg(p.center_deg.value)
            bi = float(voigt_integral_breadth(il, ig))
            if breadth == "fwhm":
                bi = float(voigt_fwhm(il / FWHM_TO_BETA_LORENTZ, ig / FWHM_TO_BETA_GAUSS))
        bc = np.deg2rad(b) * np.cos(th)
        ec = np.deg2rad(e) * np.cos(th) if np.isfinite(e) else np.nan
        size = None
        if b > 0 and np.isfinite(ec) and b > 2 * e and b > resolution_fraction * bi:
            d = _size_nm(k_factor, wavelength_A, bc)
            size = Measured(d, d * ec / bc, "nm")
        rows.append(
            PeakSize(
                p.center_deg.value, Measured(b, e if np.isfinite(e) else None, "deg"), bi, size
            )
        )
        if np.isfinite(ec) and ec > 0:
            y.append(bc)
            s.append(ec)
            inst.append(np.deg2rad(bi) * np.cos(th))
    if not y:
        raise AnalysisError("no peak has a breadth uncertainty (fit covariance missing)")
    n_narrow = sum(1 for r in rows if r.beta_sample_deg.value <= 0)
    flags = (
        (f"{n_narrow} of {len(rows)} peaks no broader than the instrument profile",)
        if n_narrow
        else ()
    )
    m, err = _weighted_mean(np.array(y), np.array(s))
    inst_mean = float(np.mean(inst))
    resolved = m > 2 * err and m > resolution_fraction * inst_mean
    if resolved:
        d = _size_nm(k_factor, wavelength_A, m)
        return ScherrerResult(
            Measured(d, d * err / m, "nm"),
            None,
            True,
            k_factor,
            wavelength_A,
            tuple(rows),
            breadth,
            flags,
        )
    beta_max = max(m + 2 * err, resolution_fraction * inst_mean, 1e-12)
    bound = _size_nm(k_factor, wavelength_A, beta_max)
    return ScherrerResult(
        None,
        Measured(bound, None, "nm"),
        False,
        k_factor,
        wavelength_A,
        tuple(rows),
        breadth,
        flags,
    )
