"""Band analysis: baseline, band finding, lmfit band fits and broadening between phases.

Line shapes and window fits are :mod:`mofglass.peaks` (lmfit [1]_; Gaussian, Lorentzian,
pseudo-Voigt, Voigt); FWHM and height are derived from the fitted parameters with the fit
covariance, and ``amplitude`` is the band area. Baselines are pybaselines' [2]_. Bands are
positive: a transmittance spectrum is converted to absorbance first.

References
----------
.. [1] M. Newville et al., LMFIT: Non-Linear Least-Squares Minimization and Curve-Fitting for
       Python, doi:10.5281/zenodo.11813.
.. [2] D. Erb, pybaselines, doi:10.5281/zenodo.5608581; S.-J. Baek et al., Analyst 140 (2015)
       250 (arPLS).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import scipy.signal

from mofglass.errors import AnalysisError
from mofglass.peaks import SHAPES, FitOutcome, LineGuess, fit_window, noise_sigma
from mofglass.peaks import estimate_baseline as _estimate_baseline
from mofglass.results import Measured, Result
from mofglass.spectroscopy.spectrum import Spectrum

__all__ = [
    "SHAPES",
    "Band",
    "BandCandidate",
    "BandFit",
    "Broadening",
    "compare_broadening",
    "estimate_baseline",
    "find_bands",
    "fit_bands",
]


def _positive(spectrum: Spectrum) -> Spectrum:
    s = spectrum.sorted()
    return s.as_absorbance() if s.y_kind == "transmittance" else s


def estimate_baseline(
    spectrum: Spectrum, *, method: str = "arpls", lam: float = 1e5, **kwargs: Any
) -> np.ndarray:
    """Baseline of ``spectrum`` (x ascending, transmittance as absorbance) with pybaselines.

    Parameters
    ----------
    spectrum : Spectrum
        The spectrum; returned baseline is on ``spectrum.sorted()``'s grid.
    method : str
        A pybaselines ``Baseline`` method name (``"arpls"``, ``"asls"``, ``"snip"``,
        ``"modpoly"``, ...).
    lam : float
        Smoothness for the Whittaker methods (ignored by the others).

    Returns
    -------
    ndarray
        Baseline values in the units of y.
    """
    s = _positive(spectrum)
    if method in {"arpls", "asls", "airpls", "drpls", "iarpls", "aspls", "psalsa", "derpsalsa"}:
        kwargs.setdefault("lam", lam)
    return _estimate_baseline(s.x, s.y, method=method, **kwargs).values


@dataclass(frozen=True)
class BandCandidate:
    """A local maximum found by :func:`find_bands` (x in the spectrum's unit)."""

    position: float
    height: float
    prominence: float
    fwhm: float


def find_bands(
    spectrum: Spectrum,
    *,
    window: tuple[float, float] | None = None,
    min_snr: float = 10.0,
    min_relative_height: float = 0.02,
    baseline: str | None = "arpls",
) -> tuple[BandCandidate, ...]:
    """Bands whose prominence exceeds ``min_snr`` × noise and a fraction of the largest band.

    The baseline (pybaselines ``baseline`` method, or none) is subtracted first; the noise is
    the robust MAD of first differences. Returns candidates sorted by position.
    """
    s = _positive(spectrum)
    y = s.y - estimate_baseline(s, method=baseline) if baseline else s.y
    if window is not None:
        keep = (s.x >= min(window)) & (s.x <= max(window))
        x, y = s.x[keep], y[keep]
    else:
        x = s.x
    if x.size < 5:
        raise AnalysisError(f"fewer than 5 points in window {window}")
    ys = scipy.signal.savgol_filter(y, 7, 2) if y.size > 9 else y
    floor = max(min_snr * noise_sigma(y), min_relative_height * float(np.ptp(ys)))
    idx, props = scipy.signal.find_peaks(ys, prominence=floor, width=2)
    step = float(np.median(np.diff(x)))
    return tuple(
        BandCandidate(float(x[i]), float(ys[i]), float(p), float(w * step))
        for i, p, w in zip(idx, props["prominences"], props["widths"], strict=True)
    )


@dataclass(frozen=True)
class Band(Result):
    """One fitted band: position, FWHM, area and height, each a Measured."""

    position: Measured
    fwhm: Measured
    area: Measured
    height: Measured
    shape: str = "voigt"
    method: ClassVar[str] = "lmfit least-squares band fit with local linear baseline [Newville]"


@dataclass(frozen=True)
class BandFit(Result):
    """Fit of one window: the bands, the fit statistics and the curves (window grid)."""

    bands: tuple[Band, ...]
    window: tuple[float, float]
    shape: str
    x_unit: str
    reduced_chi_square: float
    success: bool
    x: np.ndarray
    y: np.ndarray
    model: np.ndarray
    baseline: np.ndarray
    fit_report: str = ""
    outcome: FitOutcome | None = None
    method: ClassVar[str] = Band.method

    def report(self) -> str:
        """Return lmfit's fit report of the window."""
        return self.fit_report or super().report()


def fit_bands(
    spectrum: Spectrum,
    centers: list[float] | tuple[float, ...],
    *,
    window: tuple[float, float],
    shape: str = "voigt",
    linear_baseline: bool = True,
    center_tolerance: float | None = None,
) -> BandFit:
    """Fit bands near ``centers`` in ``window`` with a sum of lmfit line shapes.

    Parameters
    ----------
    spectrum : Spectrum
        Absorbance, intensity, or transmittance (fitted as absorbance).
    centers : sequence of float
        Starting positions (x unit of the spectrum: cm⁻¹ or ppm), one per band.
    window : (float, float)
        Fitted x range.
    shape : {"gaussian", "lorentzian", "pseudo_voigt", "voigt"}
        Line shape; the Voigt has independent Gaussian σ and Lorentzian γ.
    linear_baseline : bool
        Fit a local straight line under the bands (else y must be baseline-corrected).
    center_tolerance : float, optional
        Bound on |position - start|; default half the window width.

    Returns
    -------
    BandFit
        Bands with position, FWHM, area (y-unit × x-unit) and height, 1σ from the covariance.
        A Voigt whose Gaussian σ ends on its lower bound (a quarter of the x step: no
        Gaussian part) is refitted as its Lorentzian limit, which is kept when that fit is
        clean (``shape`` then says "lorentzian"): a bound the data chose, not a failure.
    """
    if shape not in SHAPES:
        raise AnalysisError(f"unknown band shape {shape!r}; choose one of {SHAPES}")
    if not centers:
        raise AnalysisError("fit_bands needs at least one band centre")
    lo, hi = min(window), max(window)
    s = _positive(spectrum).crop(lo, hi)
    w0 = (hi - lo) / (4 * len(centers))
    tol = center_tolerance if center_tolerance is not None else 0.5 * (hi - lo)
    yunit = "" if s.y_kind == "absorbance" else "a.u."
    guesses = [LineGuess(float(c), w0, center_tolerance=tol) for c in centers]
    fit = fit_window(
        s.x,
        s.y,
        guesses,
        shape=shape,
        linear_baseline=linear_baseline,
        x_unit=s.x_symbol,
        y_unit=yunit,
    )
    if shape == "voigt" and _gauss_width_vanished(fit, len(centers)):
        # the Voigt's Lorentzian limit (Raman and most IR/NMR lines): the Gaussian σ sat on
        # its lower bound, a quarter of the x step; the Lorentzian is then the data's shape
        lor = fit_window(
            s.x,
            s.y,
            guesses,
            shape="lorentzian",
            linear_baseline=linear_baseline,
            x_unit=s.x_symbol,
            y_unit=yunit,
        )
        if lor.outcome.ok:
            fit, shape = lor, "lorentzian"
    bands = tuple(
        Band(position=ln.center, fwhm=ln.fwhm, area=ln.area, height=ln.height, shape=shape)
        for ln in fit.lines
    )
    return BandFit(
        bands=bands,
        window=(lo, hi),
        shape=shape,
        x_unit=s.x_unit,
        reduced_chi_square=fit.outcome.reduced_chi_square,
        success=fit.outcome.success,
        x=fit.x,
        y=fit.y,
        model=fit.model,
        baseline=fit.baseline,
        fit_report=fit.report(),
        outcome=fit.outcome,
    )


def _gauss_width_vanished(fit: Any, n: int) -> bool:
    """Whether the only bound hit is a Voigt Gaussian σ at its lower limit (step / 4)."""
    names = set(fit.outcome.at_bounds)
    sigmas = {f"p{i}_sigma" for i in range(n)}
    if not names or not names <= sigmas:
        return False
    step = float(np.median(np.abs(np.diff(fit.x)))) if len(fit.x) > 1 else 0.0
    return all(fit.result.params[nm].value <= step / 4 * (1 + 1e-3) for nm in names)


@dataclass(frozen=True)
class Broadening(Result):
    """FWHM of a band in one phase relative to a reference phase (e.g. glass / crystal)."""

    fwhm_ratio: Measured
    fwhm_difference: Measured
    shift: Measured
    method: ClassVar[str] = "FWHM ratio with first-order (uncorrelated) uncertainty propagation"


def compare_broadening(reference: Band, other: Band) -> Broadening:
    """Ratio FWHM_other / FWHM_reference, the FWHM difference and the position shift.

    Uncertainties propagate to first order for independent fits:
    σ_r / r = √((σ_a/a)² + (σ_b/b)²); σ_Δ = √(σ_a² + σ_b²) (JCGM 100:2008, GUM §5.1).
    """
    a, b = reference.fwhm, other.fwhm
    if a.value <= 0:
        raise AnalysisError("reference FWHM must be positive")
    r = b.value / a.value

    def _q(*ms: Measured) -> float | None:
        if any(m.stderr is None for m in ms):
            return None
        return math.sqrt(sum((m.stderr or 0.0) ** 2 for m in ms))

    rel = (
        None
        if a.stderr is None or b.stderr is None
        else r * math.hypot(a.stderr / a.value, b.stderr / b.value)
    )
    return Broadening(
        fwhm_ratio=Measured(r, rel, ""),
        fwhm_difference=Measured(b.value - a.value, _q(a, b), a.unit),
        shift=Measured(
            other.position.value - reference.position.value,
            _q(other.position, reference.position),
            a.unit,
        ),
    )
