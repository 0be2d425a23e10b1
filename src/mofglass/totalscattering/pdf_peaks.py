"""Real-space peaks of a measured PDF: candidates, Gaussian fits, the screened first peaks.

:func:`screened_first_peaks` is the one rule of the single-file reduction and of the VT
series: termination ripples out (:mod:`mofglass.totalscattering.ripples`), each peak fitted
over ± the resolution FWHM of the transform, negative peaks of neutron data with their sign.

References
----------
.. [1] T. Egami, S. J. L. Billinge, Underneath the Bragg Peaks, 2nd ed. (2012), §3.1, §5.
.. [2] M. Newville et al., LMFIT, doi:10.5281/zenodo.11813.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mofglass._renamed import renamed_keywords
from mofglass.errors import AnalysisError, UnitError
from mofglass.peaks import LineGuess, fit_window
from mofglass.results import Measured, Result
from mofglass.totalscattering.ripples import (
    RippleScreen,
    is_negative_peak,
    resolution_fwhm_A,
    screen_ripples,
)

__all__ = [
    "PDFPeak",
    "check_r_unit",
    "first_peaks",
    "fit_peak",
    "peak_candidates",
    "screened_first_peaks",
]


@dataclass(frozen=True)
class PDFPeak(Result):
    """A Gaussian fitted to one real-space peak (position, height, FWHM, area).

    ``flags`` says why the fit cannot be trusted (failed, or a parameter on its bound, e.g.
    the centre on its window's edge); a flagged peak is kept out of headline results.
    ``sign`` is -1 for a negative peak (a pair whose weight is negative: neutron scattering
    lengths of opposite signs, e.g. Mn-O in MnO); its height and area are then negative.
    """

    position_A: Measured
    height: Measured
    fwhm_A: Measured
    area: Measured
    method: str = "Gaussian + linear background, lmfit least squares"
    flags: tuple[str, ...] = ()
    sign: int = 1

    def __str__(self) -> str:
        return str(self.position_A) + (" (negative peak)" if self.sign < 0 else "")

    @property
    def ok(self) -> bool:
        """Whether the fit can be trusted (no flags)."""
        return not self.flags


@renamed_keywords(rmax_A="r_max_A")
def first_peaks(
    r_A: np.ndarray,
    y: np.ndarray,
    *,
    n: int = 3,
    rmin_A: float = 0.8,
    r_max_A: float = 8.0,
    half_window_A: float = 0.15,
    merge_within_A: float = 0.0,
) -> list[PDFPeak]:
    """Fit the first n peaks of G(r) / D(r) between rmin_A and r_max_A.

    A peak counts when its prominence is at least 5 % of the curve's range in the window.

    Each peak is fitted by a Gaussian plus a line over ±half_window_A around its maximum;
    stderr comes from the lmfit covariance (no data σ: residual-scaled). Maxima closer than
    ``merge_within_A`` (the resolution FWHM of the transform: two distances closer than that
    cannot give two maxima, so the dip between them is an artefact) are fitted as one peak
    centred between them, over a window widened by their separation. A fit whose width ends
    on its bound (the peak is wider than the window) is repeated over a window twice as wide,
    at most twice and never reaching the next maximum. Two maxima whose fits
    end on the same peak (within ``half_window_A``) count once. Peaks are returned in order
    of r; a fit that failed or hit a bound carries ``flags``.

    Raises
    ------
    UnitError
        r looks like nanometres (see :func:`check_r_unit`).
    """
    r = np.asarray(r_A, dtype=float)
    g = np.asarray(y, dtype=float)
    check_r_unit(r, g)
    groups: list[list[float]] = []
    for k in peak_candidates(r, g, rmin_A=rmin_A, r_max_A=r_max_A):
        if groups and float(r[k]) - groups[-1][-1] < merge_within_A:
            groups[-1].append(float(r[k]))
        else:
            groups.append([float(r[k])])
    out: list[PDFPeak] = []
    starts = [grp[0] for grp in groups]
    for i, grp in enumerate(groups):
        if len(out) == n:
            break
        centre = 0.5 * (grp[0] + grp[-1])
        half = half_window_A + 0.5 * (grp[-1] - grp[0])
        peak = fit_peak(r, g, center_A=centre, half_window_A=half)
        # a width on its upper bound says the window is narrower than the peak: widen it
        # (twice at most, never past the neighbouring maxima)
        room = min([abs(x - centre) for j, x in enumerate(starts) if j != i] or [np.inf])
        for _ in range(2):
            if not any("_sigma" in f for f in peak.flags) or 2 * half > room:
                break
            half *= 2
            peak = fit_peak(r, g, center_A=centre, half_window_A=half)
        c = peak.position_A.value
        if not any(abs(c - q.position_A.value) < half_window_A for q in out):
            out.append(peak)
    return out


def screened_first_peaks(
    r_A: np.ndarray,
    y: np.ndarray,
    *,
    n: int = 3,
    qmax_invA: float | None = None,
    formula: str | None = None,
    r_max_A: float = 8.0,
    lorch: bool = False,
    negative: bool = False,
) -> tuple[list[PDFPeak], RippleScreen]:
    """Fit the first n peaks after the termination-ripple screen (one rule everywhere).

    The maxima below ``r_max_A`` go through :func:`~mofglass.totalscattering.ripples.
    screen_ripples` (ripple period 2π/Qmax from ``qmax_invA``, composition bound from
    ``formula``); the peaks are then searched from the screen's ``rmin_A``. The single-file
    reduction and :func:`series_summary` both use it. Each peak is fitted over ± one
    resolution FWHM of the transform (:func:`~mofglass.totalscattering.ripples.
    resolution_fwhm_A`, ``lorch`` when the Lorch function was used), at least ±0.15 Å: a
    window narrower than the peak lets the fit's straight line take its curvature. Maxima
    closer than that FWHM are one unresolved peak (:func:`first_peaks` ``merge_within_A``).

    With ``negative`` (neutron data: X-ray pair weights f_i f_j are never negative), negative
    peaks before the first positive one (a minimum deeper below -4πρ0 r than the ripples:
    pairs of opposite scattering-length signs) are returned with ``sign = -1`` in r order
    with the others.

    Returns
    -------
    (list of PDFPeak, RippleScreen)
        The peak fits (flagged ones included, with their flags) and the screen.
    """
    screen = screen_ripples(
        r_A,
        y,
        peak_candidates(r_A, y, r_max_A=r_max_A),
        qmax_invA=qmax_invA,
        formula=formula,
        lorch=lorch,
    )
    fwhm = resolution_fwhm_A(qmax_invA, lorch=lorch) if qmax_invA else 0.0
    half = max(0.15, fwhm)
    peaks = first_peaks(
        r_A,
        y,
        n=n,
        rmin_A=screen.rmin_A,
        r_max_A=r_max_A,
        half_window_A=half,
        merge_within_A=fwhm,
    )
    if not negative:
        return peaks, screen
    first_r = peaks[0].position_A.value if peaks else r_max_A
    neg = _negative_first_peaks(
        r_A, y, rmin_A=screen.rmin_A, r_max_A=first_r, half_window_A=half, qmax_invA=qmax_invA
    )
    if screen.shortest_distance_A is not None:
        neg = [p for p in neg if p.position_A.value >= screen.shortest_distance_A]
    peaks = sorted(neg + peaks, key=lambda p: p.position_A.value)[:n]
    return peaks, screen


def _negative_first_peaks(
    r_A: np.ndarray,
    y: np.ndarray,
    *,
    rmin_A: float,
    r_max_A: float,
    half_window_A: float,
    qmax_invA: float | None,
) -> list[PDFPeak]:
    """Negative peaks before the first positive one (sign -1), by the physical bound.

    With all pair weights positive (X-rays; neutrons without negative scattering lengths)
    ρ(r) ≥ 0, so G(r) never falls below -4πρ0 r except by termination ripples. A minimum
    deeper below that line (fitted through the origin below it) than the ripples just below
    it is a negative peak: a pair with a negative weight b_i b_j (neutron data of H, Li, Ti,
    V, Mn, ... compounds). Egami & Billinge (2012) §3.1 for the bound.
    """
    r = np.asarray(r_A, dtype=float)
    g = np.asarray(y, dtype=float)
    out: list[PDFPeak] = []
    for k in peak_candidates(r, -g, rmin_A=rmin_A, r_max_A=r_max_A):
        if not is_negative_peak(r, g, int(k), qmax_invA):
            continue
        p = fit_peak(r, -g, center_A=float(r[k]), half_window_A=half_window_A)
        c = p.position_A.value
        if any(abs(c - q.position_A.value) < half_window_A for q in out):
            continue
        h, a = p.height, p.area
        out.append(
            PDFPeak(
                p.position_A,
                Measured(-h.value, h.stderr, h.unit),
                p.fwhm_A,
                Measured(-a.value, a.stderr, a.unit),
                flags=p.flags,
                sign=-1,
            )
        )
    return out


def peak_candidates(
    r_A: np.ndarray, y: np.ndarray, *, rmin_A: float = 0.8, r_max_A: float = 8.0
) -> np.ndarray:
    """Return the indices of the maxima of y between rmin_A and r_max_A, ascending in r.

    A maximum counts when its prominence is at least 5 % of the curve's range in the window.
    """
    from scipy.signal import find_peaks

    r = np.asarray(r_A, dtype=float)
    g = np.asarray(y, dtype=float)
    (inside,) = np.nonzero((r >= rmin_A) & (r <= r_max_A))
    if inside.size < 3:
        return np.zeros(0, dtype=np.int64)
    gg = g[inside]
    idx, _ = find_peaks(gg, prominence=0.05 * float(np.ptp(gg)) or None)
    return inside[idx]


#: No interatomic distance is shorter than H2's 0.74 Å; measured PDFs run beyond 12 Å.
_SHORTEST_DISTANCE_A = 0.7
_SHORTEST_RANGE_A = 12.0


def check_r_unit(r: np.ndarray, y: np.ndarray, *, source: str = "r") -> None:
    """Refuse an r axis that looks like nanometres instead of Å (one-line UnitError).

    In Å the tallest peak of a PDF is an interatomic distance (at least 0.74 Å, H2) and a
    measured PDF runs beyond 12 Å. A curve whose tallest prominent maximum (prominence 5 % of
    its range) lies below 0.7 while r ends before 12 is taken to be in nm. The test is
    deliberately one-sided: an Å curve cut before 12 Å whose tallest feature is a sub-0.7 Å
    termination ripple would be refused too (a clear error, never a wrong number).

    Raises
    ------
    UnitError
        The axis looks like nm.

    Examples
    --------
    >>> import numpy as np
    >>> r = np.linspace(0.01, 2.0, 200)
    >>> check_r_unit(r, np.exp(-(((r - 0.25) / 0.01) ** 2)))
    Traceback (most recent call last):
    ...
    mofglass.errors.UnitError: r: the tallest peak is at r = 0.25 and r ends at 2: r looks like nm; give r in Å (×10)
    """
    from scipy.signal import find_peaks

    r = np.asarray(r, dtype=float)
    g = np.asarray(y, dtype=float)
    pos = r > 0
    if pos.sum() < 3 or float(r.max()) >= _SHORTEST_RANGE_A:
        return
    rp, gp = r[pos], g[pos]
    idx, _ = find_peaks(gp, prominence=0.05 * float(np.ptp(gp)) or None)
    if not idx.size:
        return
    tallest = float(rp[idx[np.argmax(gp[idx])]])
    if tallest < _SHORTEST_DISTANCE_A:
        raise UnitError(
            f"{source}: the tallest peak is at r = {tallest:.3g} and r ends at "
            f"{r.max():.3g}: r looks like nm; give r in Å (×10)"
        )


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
    return PDFPeak(line.center, fit.peak_value(0), line.fwhm, line.area, flags=fit.outcome.flags())
