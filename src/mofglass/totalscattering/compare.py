"""Comparison of measured PDFs: R-factors, first-peak fits, two-phase mixtures, VT series.

References
----------
.. [1] T. Egami, S. J. L. Billinge, Underneath the Bragg Peaks, 2nd ed. (2012), §5.6 (Rw).
.. [2] T. D. Bennett et al., Phys. Rev. Lett. 104, 115503 (2010) (ZIF-4 amorphisation PDFs).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from mofglass.errors import AnalysisError
from mofglass.results import Measured, Result
from mofglass.totalscattering.pdf_peaks import (
    PDFPeak,
    check_r_unit,
    first_peaks,
    fit_peak,
    peak_candidates,
    screened_first_peaks,
)

__all__ = [
    "MixtureFit",
    "PDFPeak",
    "SeriesSummary",
    "check_r_unit",
    "first_peaks",
    "fit_mixture",
    "fit_peak",
    "long_range_order",
    "peak_candidates",
    "r_factor",
    "screened_first_peaks",
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
    qmax_invA: float | Sequence[float | None] | None = None,
    formula: str | None = None,
    lorch: bool = False,
) -> SeriesSummary:
    """Track the first n peaks and the long-r amplitude along a variable-temperature series.

    Each curve's peaks come from :func:`screened_first_peaks`, the rule of the single-file
    reduction: termination ripples (period 2π/Qmax, ``qmax_invA`` one value or one per
    curve) are not peaks, and a fit that failed or hit a bound is NaN in the table with a
    note saying why. The long-range metric is reported relative to the first curve of the
    series; a drop means loss of medium/long-range order (amorphisation), nothing more.
    """
    order = np.argsort(np.asarray(temperature_C, dtype=float))
    temps = np.asarray(temperature_C, dtype=float)[order]
    if qmax_invA is None or isinstance(qmax_invA, (int, float, np.floating)):
        qmaxes: list[Any] = [qmax_invA] * len(curves)
    else:  # one per curve (a list, tuple or array)
        qmaxes = [None if q is None else float(q) for q in qmax_invA]
    if len(qmaxes) != len(curves):
        raise AnalysisError(f"{len(qmaxes)} Qmax values for {len(curves)} curves")
    pos = np.full((temps.size, n_peaks), np.nan)
    hts = np.full((temps.size, n_peaks), np.nan)
    lro = np.empty(temps.size)
    notes: list[str] = []
    for j, k in enumerate(order):
        peaks, screen = screened_first_peaks(
            r_A[k],
            curves[k],
            n=n_peaks,
            qmax_invA=qmaxes[k],
            formula=formula,
            r_max_A=r_range_A[0],
            lorch=lorch,
        )
        if screen.ripples_A:
            rip = ", ".join(f"{x:.2f}" for x in screen.ripples_A)
            notes.append(f"T = {temps[j]:g} °C: maxima at {rip} Å are termination ripples")
        for i, p in enumerate(peaks[:n_peaks]):
            if not p.ok:
                notes.append(
                    f"T = {temps[j]:g} °C: peak {i + 1} near {p.position_A.value:.3g} Å not "
                    "reported: " + "; ".join(p.flags)
                )
                continue
            pos[j, i] = p.position_A.value
            hts[j, i] = p.height.value
        lro[j] = long_range_order(r_A[k], curves[k], r_range_A=r_range_A)
    return SeriesSummary(temps, pos, hts, lro, lro / lro[0], r_range_A, tuple(notes))
