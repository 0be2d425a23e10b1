"""Result objects of peak finding and fitting (see :mod:`mofglass.diffraction.peaks`)."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from mofglass.results import Measured, Result

__all__ = ["FittedPeak", "PeakCandidate", "PeakFit"]


@dataclass(frozen=True)
class PeakCandidate(Result):
    """A peak found by :func:`~mofglass.diffraction.peaks.find_peaks` (before fitting).

    ``height`` and ``prominence`` are in intensity units (net of any background given);
    ``fwhm_deg`` is the width at half prominence, degrees 2θ; ``snr`` is prominence / noise σ.
    """

    two_theta_deg: float
    height: float
    prominence: float
    fwhm_deg: float
    snr: float


@dataclass(frozen=True)
class FittedPeak(Result):
    """One fitted Bragg peak (the Kα1 component when Kα2 is modelled).

    Attributes
    ----------
    center_deg : Measured
        Peak position, degrees 2θ.
    area, height : Measured
        Integrated intensity (intensity × degrees) and peak height (intensity units).
    fwhm_deg : Measured
        Full width at half maximum, degrees 2θ.
    integral_breadth_deg : Measured
        β = area / height, degrees 2θ.
    lorentz_breadth_deg, gauss_breadth_deg : Measured
        Integral breadths βL, βG of the Lorentzian and Gaussian parts of the Voigt, degrees 2θ.
    breadth_covariance_deg2 : tuple
        2×2 covariance of (βL, βG) in deg², for propagating into sizes.
    shape : str
        ``"voigt"`` or ``"pseudo_voigt"``.
    """

    center_deg: Measured
    area: Measured
    height: Measured
    fwhm_deg: Measured
    integral_breadth_deg: Measured
    lorentz_breadth_deg: Measured
    gauss_breadth_deg: Measured
    breadth_covariance_deg2: tuple[tuple[float, float], tuple[float, float]]
    shape: str = "voigt"
    flags: tuple[str, ...] = ()
    method: ClassVar[str] = "lmfit least squares, Voigt / pseudo-Voigt (Langford 1978)"

    @property
    def ok(self) -> bool:
        """True when the fit of this peak's window converged (no flags)."""
        return not self.flags

    @property
    def breadth_covariance(self) -> np.ndarray:
        """Covariance of (βL, βG) as a 2×2 array, deg²."""
        return np.asarray(self.breadth_covariance_deg2, dtype=float)


@dataclass(frozen=True, eq=False)
class PeakFit(Result):
    """All fitted peaks of a pattern and the fit over the fitted windows.

    ``two_theta_deg``, ``observed`` (net of any global background) and ``model`` cover only the
    points inside the fit windows; ``reduced_chi_square`` is χ²/ν over all windows (≈ 1 for a good fit with
    correct counting errors).
    """

    peaks: tuple[FittedPeak, ...]
    two_theta_deg: np.ndarray
    observed: np.ndarray
    model: np.ndarray
    shape: str
    ka2_modelled: bool
    converged: bool
    reduced_chi_square: float
    message: str = ""
    wavelength_A: float | None = None
    method: ClassVar[str] = "lmfit least squares, sum of Voigt / pseudo-Voigt + linear background"

    def __bool__(self) -> bool:
        return self.converged and len(self.peaks) > 0

    @property
    def redchi(self) -> float:
        """Deprecated alias of :attr:`reduced_chi_square` (one name per concept)."""
        warnings.warn(
            "redchi is deprecated; use reduced_chi_square", DeprecationWarning, stacklevel=2
        )
        return self.reduced_chi_square

    @property
    def residual(self) -> np.ndarray:
        """Observed minus model over the fitted windows."""
        return self.observed - self.model

    def report(self) -> str:
        """Plain-text table of the fitted peaks."""
        lines = [
            f"{len(self.peaks)} peaks, {self.shape}, Kα2 {'modelled' if self.ka2_modelled else 'not modelled'},"
            f" reduced chi2 {self.reduced_chi_square:.3g}, converged {self.converged}",
            f"{'2θ/deg':>14} {'FWHM/deg':>14} {'β/deg':>14} {'βL/deg':>12} {'βG/deg':>12} {'area':>12}",
        ]
        for p in self.peaks:
            lines.append(
                f"{p.center_deg!s:>14} {p.fwhm_deg!s:>14} {p.integral_breadth_deg!s:>14} "
                f"{p.lorentz_breadth_deg.value:12.5f} {p.gauss_breadth_deg.value:12.5f} "
                f"{p.area.value:12.4g}"
            )
        return "\n".join(lines)
