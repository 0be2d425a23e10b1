"""Termination ripples below the first interatomic distance of G(r) / D(r).

A sine transform cut at Qmax convolves the PDF with a sinc of period 2π/Qmax, and imperfect
corrections add slow oscillations near r = 0. Below the first interatomic distance a measured
G(r) (and Keen's D(r)) follows the line -4πρ0·r plus these oscillations only [1]_ [2]_, so a
maximum there is a ripple, not a bond. :func:`screen_ripples` separates the two:

1. Composition (when known): no pair of the elements present can be closer than the smallest
   sum of their covalent radii (Cordero 2008) minus ``bond_tolerance_A`` (0.35 Å: triple bonds,
   the shortest, are about 0.32 Å shorter than the single-bond sum, C≡C 1.20 vs 1.52 Å [3]_).
   A maximum below that distance is a ripple.
2. Shape (always): a line through the origin is fitted to the curve below the candidate; the
   ripple amplitude is the largest |curve - line| over the two ripple periods just below it
   (period 2π/Qmax, else the median spacing of the maxima below). A candidate whose height above
   the line is not larger than that amplitude and whose nearest maximum below lies one ripple
   period away (when Qmax is known; within half the resolution FWHM, 3.791/Qmax, or
   5.437/Qmax with the Lorch function, :func:`resolution_fwhm_A`) is a ripple.

The first candidate that passes both tests is the first interatomic peak; the ones below it
are reported as ripples and kept out of the peak fits.

References
----------
.. [1] T. Egami, S. J. L. Billinge, Underneath the Bragg Peaks, 2nd ed. (2012), §3.1 and §5.3
   (termination ripples; G(r) = -4πρ0 r below the first peak).
.. [2] P. F. Peterson et al., J. Appl. Cryst. 33, 1192 (2000) (termination errors in the PDF).
.. [3] P. Pyykkö, M. Atsumi, Chem. Eur. J. 15, 12770 (2009) (triple-bond covalent radii).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations_with_replacement

import numpy as np
from scipy.signal import find_peaks

from mofglass.composition import parse_formula
from mofglass.results import Result
from mofglass.structure.bonds import covalent_radius_A

__all__ = [
    "RippleScreen",
    "is_negative_peak",
    "resolution_fwhm_A",
    "screen_ripples",
    "shortest_distance_A",
]

#: FWHM x Qmax of the real-space resolution function of a sine transform cut at Qmax: the
#: main lobe of sin(Qmax r)/r (3.791) and of its Lorch-damped form (5.437); numerical
#: half-maximum widths of ∫0^Qmax M(Q) cos(Qr) dQ with M = 1 or M = sinc(πQ/Qmax).
_FWHM_TIMES_QMAX = {False: 3.791, True: 5.437}

#: Shortest bond below the single-bond covalent sum (triple bonds, Pyykkö & Atsumi 2009), Å.
BOND_TOLERANCE_A = 0.35


@dataclass(frozen=True)
class RippleScreen(Result):
    """Which low-r maxima are termination ripples.

    Attributes
    ----------
    ripples_A : tuple of float
        r (Å) of the maxima classed as ripples, ascending.
    rmin_A : float
        Where a peak search should start (Å): the minimum between the last ripple and the
        first interatomic peak (the search's own start when there is no ripple).
    shortest_distance_A : float or None
        Composition bound (Å) used, if any.
    """

    ripples_A: tuple[float, ...]
    rmin_A: float
    shortest_distance_A: float | None = None
    method: str = "composition bound + height above -4πρ0 r vs ripple amplitude (Egami-Billinge)"


def shortest_distance_A(formula: str, *, bond_tolerance_A: float = BOND_TOLERANCE_A) -> float:
    """Return the shortest interatomic distance a composition allows, in Å.

    The smallest sum of covalent radii (Cordero 2008) over all element pairs present (like
    pairs included) minus ``bond_tolerance_A``.

    Examples
    --------
    >>> round(shortest_distance_A("SiO2"), 2)  # O-O 1.32 Å - 0.35 Å
    0.97
    """
    symbols = sorted(parse_formula(formula))
    radii = {s: covalent_radius_A(s) for s in symbols}
    pairs = combinations_with_replacement(symbols, 2)
    return min(radii[a] + radii[b] for a, b in pairs) - bond_tolerance_A


def resolution_fwhm_A(qmax_invA: float, *, lorch: bool = False) -> float:
    """Return the FWHM (Å) of the real-space resolution of a transform cut at ``qmax_invA``.

    A sharp distance appears in G(r) as the main lobe of the termination function: FWHM
    3.791/Qmax for a step cut-off, 5.437/Qmax with the Lorch (1969) modification function.
    No PDF peak is narrower; peak fit windows and ripple positions are judged on this scale.

    Examples
    --------
    >>> round(resolution_fwhm_A(27.0), 3)
    0.14
    """
    return _FWHM_TIMES_QMAX[bool(lorch)] / float(qmax_invA)


def _ripple_period_A(r: np.ndarray, g: np.ndarray, r_peak: float, qmax: float | None) -> float:
    """Return 2π/Qmax, else the median spacing of the maxima of ``g`` below ``r_peak`` (Å)."""
    if qmax:
        return 2.0 * np.pi / qmax
    below = (r > 0) & (r < r_peak)
    idx, _ = find_peaks(g[below], prominence=0.01 * float(np.ptp(g[below])) or None)
    gaps = np.diff(r[below][idx])
    return float(np.median(gaps)) if gaps.size else 0.0


def _is_ripple(
    r: np.ndarray, g: np.ndarray, k: int, qmax: float | None, lorch: bool = False
) -> bool:
    """Apply the shape test (rule 2 of the module docstring) to the maximum at index k."""
    rk = float(r[k])
    period = _ripple_period_A(r, g, rk, qmax)
    fit = (r > 0) & (r <= rk - 0.5 * period)
    win = fit & (r >= rk - 2.0 * period)
    if period <= 0 or win.sum() < 5:
        return False  # nothing below to compare with: keep the peak
    # -4πρ0 r with ρ0 ≥ 0: a rising fit is low-r garbage, not a density (flat line then)
    slope = min(float(np.sum(r[fit] * g[fit]) / np.sum(r[fit] ** 2)), 0.0)
    resid = g - slope * r
    if resid[k] > float(np.max(np.abs(resid[win]))):
        return False
    if not qmax:
        return True
    idx, _ = find_peaks(resid[fit])
    gaps = rk - r[fit][idx]
    # a maximum on a sloping line is displaced by up to half the resolution width
    tol = 0.5 * resolution_fwhm_A(qmax, lorch=lorch)
    return bool(gaps.size) and abs(float(gaps.min()) - period) <= tol


def is_negative_peak(r: np.ndarray, g: np.ndarray, k: int, qmax: float | None) -> bool:
    """Whether the minimum at index k lies deeper below -4πρ0 r than the ripples below it.

    The line through the origin is fitted to the curve below the minimum (half a ripple
    period away; slope clipped at 0), the ripple amplitude is the largest |curve - line| over
    the two periods below that, as in the ripple test (rule 2 of the module docstring).
    """
    rk = float(r[k])
    period = _ripple_period_A(r, -g, rk, qmax)
    fit = (r > 0) & (r <= rk - 0.5 * period)
    win = fit & (r >= rk - 2.0 * period)
    if period <= 0 or win.sum() < 5:
        return False
    slope = min(float(np.sum(r[fit] * g[fit]) / np.sum(r[fit] ** 2)), 0.0)
    resid = g - slope * r
    return bool(-resid[k] > float(np.max(np.abs(resid[win]))))


def screen_ripples(
    r_A: np.ndarray,
    y: np.ndarray,
    candidates: np.ndarray,
    *,
    qmax_invA: float | None = None,
    formula: str | None = None,
    rmin_A: float = 0.8,
    lorch: bool = False,
) -> RippleScreen:
    """Class the low-r maxima ``candidates`` (indices into r_A, ascending) as ripples or peaks.

    Parameters
    ----------
    r_A, y : ndarray
        r (Å) and G(r) or D(r) (any scale).
    candidates : ndarray of int
        Indices of the maxima a peak search found, ascending in r.
    qmax_invA : float, optional
        Qmax of the transform (Å⁻¹): sets the ripple period 2π/Qmax.
    formula : str, optional
        Sample composition: sets the shortest allowed distance (:func:`shortest_distance_A`).
    rmin_A : float
        Start of the peak search (Å), returned when there is no ripple.
    lorch : bool
        Whether the transform used the Lorch modification (wider resolution function).

    Returns
    -------
    RippleScreen
        The ripples and where the peak search should start.
    """
    r = np.asarray(r_A, dtype=float)
    g = np.asarray(y, dtype=float)
    bound = shortest_distance_A(formula) if formula else None
    ripples: list[int] = []
    for k in candidates:
        below_bound = bound is not None and r[k] < bound
        if not (below_bound or _is_ripple(r, g, int(k), qmax_invA, lorch)):
            break
        ripples.append(int(k))
    if not ripples:
        return RippleScreen((), rmin_A, bound)
    nxt = [int(k) for k in candidates if int(k) > ripples[-1]]
    stop = nxt[0] if nxt else r.size
    trough = ripples[-1] + int(np.argmin(g[ripples[-1] : stop]))
    return RippleScreen(tuple(float(r[k]) for k in ripples), float(r[trough]), bound)
