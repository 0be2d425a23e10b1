"""Comparison of measured PDFs: R-factors, first-peak fits, two-phase mixtures, VT series.

References
----------
.. [1] T. Egami, S. J. L. Billinge, Underneath the Bragg Peaks, 2nd ed. (2012), §5.6 (Rw).
.. [2] T. D. Bennett et al., Phys. Rev. Lett. 104, 115503 (2010) (ZIF-4 amorphisation PDFs).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from mofglass._renamed import renamed_keywords
from mofglass.errors import AnalysisError
from mofglass.peaks import LineGuess, fit_window
from mofglass.results import Measured, Result

__all__ = [
    "MixtureFit",
    "PDFPeak",
    "SeriesSummary",
    "first_peaks",
    "fit_mixture",
    "fit_peak",
    "long_range_order",
    "r_factor",
    "series_summary",
]


def r_factor(observed: np.ndarray, calculated: np.ndarray) -> float:
    """Rw = sqrt(Σ (o - c)² / Σ o²) (unit weights).

    References
    ----------
    .. [1] T. Egami, S. J. L. Billinge, Underneath the Bragg Peaks, 2nd ed. (2012), eq. 5.29.
    """
    o = np.asarray(observed, dtype=float)
    c = np.asarray(calculated, dtype=float)
    den = float(np.sum(o**2))
    if den == 0:
        raise AnalysisError("R-factor of an all-zero curve")
    return float(np.sqrt(np.sum((o - c) ** 2) / den))


@dataclass(frozen=True)
class PDFPeak(Result):
    """A Gaussian fitted to one real-space peak (position, height, FWHM, area)."""

    position_A: Measured
    height: Measured
    fwhm_A: Measured
    area: Measured
    method: str = "Gaussian + linear background, lmfit least squares"


@renamed_keywords(rmax_A="r_max_A")
def first_peaks(
    r_A: np.ndarray,
    y: np.ndarray,
    *,
    n: int = 3,
    rmin_A: float = 0.8,
    r_max_A: float = 8.0,
    half_window_A: float = 0.15,
) -> list[PDFPeak]:
    """Fit the first n peaks of G(r) / D(r) between rmin_A and r_max_A.

    A peak counts when its prominence is at least 5 % of the curve's range in the window.

    Each peak is fitted by a Gaussian plus a line over ±half_window_A around its maximum;
    stderr comes from the lmfit covariance (no data σ: residual-scaled). Peaks are returned
    in order of r.
    """
    from scipy.signal import find_peaks

    r = np.asarray(r_A, dtype=float)
    g = np.asarray(y, dtype=float)
    m = (r >= rmin_A) & (r <= r_max_A)
    rr, gg = r[m], g[m]
    if gg.size < 3:
        return []
    idx, _ = find_peaks(gg, prominence=0.05 * float(np.ptp(gg)) or None)
    return [fit_peak(r, g, center_A=float(rr[k]), half_window_A=half_window_A) for k in idx[:n]]


def fit_peak(
    r_A: np.ndarray,
    y: np.ndarray,
    *,
    center_A: float,
    half_window_A: float = 0.15,
    shape: str = "gaussian",
) -> PDFPeak:
    """Fit a line shape (Gaussian by default) + a straight line over center_A ± half_window_A.

    The fit is :func:`mofglass.peaks.fit_window`; ``shape`` is any of :data:`mofglass.peaks.SHAPES`.

    ``height`` is the curve's value at the peak (Gaussian height plus the line there);
    uncertainties come from the lmfit covariance, correlations included.

    References
    ----------
    .. [1] M. Newville et al., LMFIT, doi:10.5281/zenodo.11813.
    """
    r = np.asarray(r_A, dtype=float)
    g = np.asarray(y, dtype=float)
    w = np.abs(r - center_A) <= half_window_A
    if w.sum() < 6:
        raise AnalysisError(f"fewer than 6 points within {half_window_A} Å of {center_A} Å")
    k = int(np.argmax(np.where(w, g, -np.inf)))
    order = np.argsort(r[w])
    fit = fit_window(
        r[w][order],
        g[w][order],
        [
            LineGuess(
                float(r[k]),
                half_window_A / 2,
                center_bounds=(center_A - half_window_A, center_A + half_window_A),
            )
        ],
        shape=shape,
        x_unit="Å",
        y_unit="",
    )
    line = fit.lines[0]
    return PDFPeak(line.center, fit.peak_value(0), line.fwhm, line.area)


@dataclass(frozen=True)
class MixtureFit(Result):
    """y ≈ scale · [x · crystal + (1 - x) · glass] on a common r grid."""

    crystalline_fraction: Measured
    scale: Measured
    rw: float
    r_range_A: tuple[float, float]
    converged: bool = True
    method: str = "linear combination of reference PDFs, lmfit least squares"


def fit_mixture(
    r_A: np.ndarray,
    target: np.ndarray,
    crystal: np.ndarray,
    glass: np.ndarray,
    *,
    r_range_A: tuple[float, float] = (1.0, 20.0),
    fit_scale: bool = True,
) -> MixtureFit:
    """Crystalline fraction x of a glass-ceramic PDF from crystal and glass references.

    The three curves must share ``r_A`` (interpolate first). The fraction is the weight of
    the crystal PDF in the fitted combination: a fraction of scattering power, equal to the
    mass fraction when both phases have the same composition and normalisation.

    References
    ----------
    .. [1] T. Egami, S. J. L. Billinge, Underneath the Bragg Peaks, 2nd ed. (2012), §5 (PDFs of
       multi-phase samples add with their scattering-power fractions).
    """
    import lmfit

    r = np.asarray(r_A, dtype=float)
    m = (r >= r_range_A[0]) & (r <= r_range_A[1])
    t, c, g = (np.asarray(a, dtype=float)[m] for a in (target, crystal, glass))
    if m.sum() < 10:
        raise AnalysisError("fewer than 10 points in the fit range")

    def resid(p: lmfit.Parameters) -> np.ndarray:
        x = p["x"].value
        return np.asarray(p["scale"].value * (x * c + (1 - x) * g) - t)

    pars = lmfit.Parameters()
    pars.add("x", value=0.5, min=0.0, max=1.0)
    pars.add("scale", value=1.0, min=0.0, vary=fit_scale)
    res = lmfit.minimize(resid, pars)
    px, ps = res.params["x"], res.params["scale"]
    best = ps.value * (px.value * c + (1 - px.value) * g)
    return MixtureFit(
        Measured(px.value, px.stderr, ""),
        Measured(ps.value, ps.stderr, ""),
        r_factor(t, best),
        (float(r_range_A[0]), float(r_range_A[1])),
        bool(res.success),
    )


def long_range_order(
    r_A: np.ndarray, y: np.ndarray, *, r_range_A: tuple[float, float] = (8.0, 20.0)
) -> float:
    """RMS amplitude of a PDF over r_range_A (the long-r correlations lost on amorphisation)."""
    r = np.asarray(r_A, dtype=float)
    m = (r >= r_range_A[0]) & (r <= r_range_A[1])
    if m.sum() < 2:
        raise AnalysisError("no points in the long-r range")
    return float(np.sqrt(np.mean(np.asarray(y, dtype=float)[m] ** 2)))


@dataclass(frozen=True)
class SeriesSummary(Result):
    """First-peak positions / heights and the long-range metric along a series (e.g. T)."""

    temperature_C: np.ndarray
    peak_positions_A: np.ndarray
    peak_heights: np.ndarray
    long_range_rms: np.ndarray
    long_range_relative: np.ndarray
    r_range_A: tuple[float, float] = (8.0, 20.0)
    notes: tuple[str, ...] = field(default_factory=tuple)
    method: str = "Gaussian first-peak fits; RMS of D(r) over a long-r window"


def series_summary(
    temperature_C: Sequence[float],
    r_A: Sequence[np.ndarray],
    curves: Sequence[np.ndarray],
    *,
    n_peaks: int = 3,
    r_range_A: tuple[float, float] = (8.0, 20.0),
) -> SeriesSummary:
    """Track the first n peaks and the long-r amplitude along a variable-temperature series.

    The long-range metric is reported relative to the first curve of the series; a drop
    means loss of medium/long-range order (amorphisation), nothing more.
    """
    order = np.argsort(np.asarray(temperature_C, dtype=float))
    temps = np.asarray(temperature_C, dtype=float)[order]
    pos = np.full((temps.size, n_peaks), np.nan)
    hts = np.full((temps.size, n_peaks), np.nan)
    lro = np.empty(temps.size)
    for j, k in enumerate(order):
        peaks = first_peaks(r_A[k], curves[k], n=n_peaks, r_max_A=r_range_A[0])
        for i, p in enumerate(peaks[:n_peaks]):
            pos[j, i] = p.position_A.value
            hts[j, i] = p.height.value
        lro[j] = long_range_order(r_A[k], curves[k], r_range_A=r_range_A)
    return SeriesSummary(temps, pos, hts, lro, lro / lro[0], r_range_A)
