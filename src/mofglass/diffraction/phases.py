"""Phase questions on a measured pattern.

Phase questions on a measured pattern: are there Bragg peaks at all, how much of the
scattering is crystalline, and which peaks belong to an impurity phase.

* :func:`bragg_peak_test` - the "no Bragg peaks" test of an amorphous sample: after removing a
  background that follows broad humps, no peak narrower than ``max_fwhm_deg`` rises above
  ``min_snr`` times the noise.
* :func:`crystalline_fraction` - area of the fitted Bragg peaks over the total scattered area
  above the instrumental/air background [1]_. Equal to the crystalline mass fraction only when
  crystal and amorphous phase have the same composition (true for a single-component
  glass-ceramic such as prcCd(im)2) and the angular range captures most of both.
* :func:`match_phase` - which reflections of a reference cell (or d-list) are seen among the
  peaks, e.g. Cd metal or CdO in a Cd(im)2 glass.

References
----------
.. [1] P. H. Hermans, A. Weidinger, J. Appl. Phys. 19 (1948) 491 (crystallinity from X-ray
       areas); see also L. E. Alexander, X-ray diffraction methods in polymer science (1969).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from scipy.ndimage import minimum_filter1d, uniform_filter1d

from mofglass.crystallography.conversions import d_to_two_theta
from mofglass.diffraction.background import Background, estimate_background
from mofglass.diffraction.cell import Cell, Reflection, reflections
from mofglass.diffraction.pattern import Pattern
from mofglass.diffraction.peakfit_result import PeakCandidate, PeakFit
from mofglass.diffraction.peaks import find_peaks
from mofglass.errors import AnalysisError
from mofglass.results import Measured, Result

__all__ = [
    "BraggPeakTest",
    "Crystallinity",
    "PhaseMatch",
    "bragg_peak_test",
    "crystalline_fraction",
    "match_phase",
]


@dataclass(frozen=True)
class BraggPeakTest(Result):
    """Outcome of the "no Bragg peaks" test.

    ``amorphous`` is True when no sharp peak was found; ``peaks`` lists those found (2θ, SNR).
    ``max_snr`` is the strongest sharp feature's prominence over noise (0 if none).
    """

    amorphous: bool
    n_peaks: int
    peaks: tuple[PeakCandidate, ...]
    max_snr: float
    min_snr: float
    max_fwhm_deg: float
    method: ClassVar[str] = "sharp-peak search above SNIP background (prominence > k sigma)"

    def __bool__(self) -> bool:
        return self.amorphous


def bragg_peak_test(
    pattern: Pattern,
    *,
    min_snr: float = 6.0,
    max_fwhm_deg: float = 1.5,
    background_half_window_deg: float = 3.0,
) -> BraggPeakTest:
    """Test a pattern for the absence of Bragg peaks.

    Parameters
    ----------
    pattern : Pattern
        The scan.
    min_snr : float
        A peak counts when its prominence exceeds this many noise σ.
    max_fwhm_deg : float
        Features wider than this (degrees 2θ) are amorphous humps, not Bragg peaks.
    background_half_window_deg : float
        SNIP clipping half-window (degrees) for the background that keeps broad humps.

    Returns
    -------
    BraggPeakTest
    """
    bg = estimate_background(pattern, method="snip", max_half_window_deg=background_half_window_deg)
    found = find_peaks(pattern, background=bg, min_snr=min_snr, max_fwhm_deg=max_fwhm_deg)
    return BraggPeakTest(
        amorphous=len(found) == 0,
        n_peaks=len(found),
        peaks=tuple(found),
        max_snr=max((c.snr for c in found), default=0.0),
        min_snr=min_snr,
        max_fwhm_deg=max_fwhm_deg,
    )


@dataclass(frozen=True, eq=False)
class Crystallinity(Result):
    """Crystalline vs amorphous scattering of a pattern.

    Attributes
    ----------
    crystalline_fraction : Measured
        Bragg-peak area / total scattered area above the instrumental background.
    crystalline_area, total_area : Measured
        Areas (intensity × degrees 2θ).
    total_background : ndarray
        The instrumental/air background under everything.
    n_peaks : int
        Number of fitted Bragg peaks counted.
    """

    crystalline_fraction: Measured
    crystalline_area: Measured
    total_area: Measured
    total_background: np.ndarray
    background_method: str
    n_peaks: int
    method: ClassVar[str] = (
        "fitted Bragg-peak area over total scattering above background (Hermans-Weidinger 1948)"
    )


def _ends_line(x: np.ndarray, y: np.ndarray, edge_fraction: float) -> np.ndarray:
    n = max(3, int(edge_fraction * x.size))
    x0, y0 = float(np.median(x[:n])), float(np.median(y[:n]))
    x1, y1 = float(np.median(x[-n:])), float(np.median(y[-n:]))
    return y0 + (y1 - y0) * (x - x0) / (x1 - x0)


def crystalline_fraction(
    pattern: Pattern,
    peak_fit: PeakFit | None,
    *,
    total_background: Background | None = None,
    edge_fraction: float = 0.03,
) -> Crystallinity:
    """Fraction of the scattered intensity in Bragg peaks (profile-fitting method).

    Parameters
    ----------
    pattern : Pattern
        The scan, with its amorphous humps inside the range.
    peak_fit : PeakFit or None
        Fitted Bragg peaks (:func:`~mofglass.diffraction.peaks.fit_peaks`); their areas
        (× (1 + R) when Kα2 was modelled) are the crystalline area. None for an amorphous
        pattern (fraction 0).
    total_background : Background, optional
        The instrumental/air background under all sample scattering (e.g. an empty-holder scan
        on the same grid). Default: the straight line through the medians of the first and last
        ``edge_fraction`` of the points (which assumes the sample scatters little at both ends
        of the range), capped from above by a smoothed rolling minimum over 1/8 of the range.
    edge_fraction : float
        Share of points at each end used for the default background line.

    Returns
    -------
    Crystallinity
        The stderr combines the peak-area uncertainties and, for the default background, the
        spread over edge fractions × (0.5, 1, 2).
    """
    x, y = pattern.two_theta_deg, pattern.intensity
    if total_background is not None:
        base = total_background.intensity
        label = total_background.method
        bases = [base]
    else:
        # the end line, but never above a smoothed rolling minimum over 1/8 of the range
        # (guards against a high low-angle end from air scatter or beam spill-over)
        win = max(3, int(x.size / 8))
        env = uniform_filter1d(minimum_filter1d(y, win, mode="nearest"), win, mode="nearest")
        bases = [np.minimum(_ends_line(x, y, f * edge_fraction), env) for f in (1.0, 0.5, 2.0)]
        base = bases[0]
        label = (
            f"straight line through the end medians ({edge_fraction:.0%} each end),"
            " capped by a smoothed rolling minimum"
        )
    c_area, c_var = 0.0, 0.0
    n = 0
    if peak_fit is not None:
        wl = pattern.radiation
        factor = 1.0 + (wl.ka2_ratio if (peak_fit.ka2_modelled and wl is not None) else 0.0)
        for pk in peak_fit.peaks:
            c_area += factor * pk.area.value
            c_var += (factor * (pk.area.stderr or 0.0)) ** 2
            n += 1
    totals = [float(np.trapezoid(y - b, x)) for b in bases]
    total = totals[0]
    if total <= 0:
        raise AnalysisError(f"{pattern.source}: no scattering above the background")
    frac = c_area / total
    stat = np.sqrt(c_var) / total
    sys = float(np.std([c_area / t for t in totals if t > 0], ddof=1)) if len(totals) > 1 else 0.0
    total_err = float(np.std(totals, ddof=1)) if len(totals) > 1 else None
    return Crystallinity(
        crystalline_fraction=Measured(frac, float(np.hypot(stat, sys)), ""),
        crystalline_area=Measured(c_area, float(np.sqrt(c_var)), ""),
        total_area=Measured(total, total_err, ""),
        total_background=base,
        background_method=label,
        n_peaks=n,
    )


@dataclass(frozen=True)
class PhaseMatch(Result):
    """Reflections of a reference phase found among the observed peaks.

    ``matched`` rows are (h, k, l, d_A, 2θ calc, 2θ obs); ``present`` when at least
    ``min_matches`` reflections match within ``tolerance_deg``.
    """

    phase: str
    present: bool
    n_expected: int
    n_matched: int
    matched: tuple[tuple[int, int, int, float, float, float], ...]
    tolerance_deg: float
    min_matches: int
    method: ClassVar[str] = "peak-position match to reference d-spacings (Bragg's law)"


def match_phase(
    peak_two_theta_deg: Sequence[float],
    reference: Cell | Sequence[float],
    wavelength_A: float,
    *,
    two_theta_range_deg: tuple[float, float] | None = None,
    tolerance_deg: float = 0.08,
    min_matches: int = 2,
    exclude_two_theta_deg: Sequence[float] = (),
    name: str = "",
) -> PhaseMatch:
    """Match observed peak positions to a reference phase's reflections.

    Parameters
    ----------
    peak_two_theta_deg : sequence of float
        Observed peak positions, degrees 2θ.
    reference : Cell or sequence of float
        A cell (reflections from :func:`~mofglass.diffraction.cell.reflections`) or a list of
        d-spacings in Å (e.g. from a database card).
    wavelength_A : float
        Kα1 wavelength, Å.
    two_theta_range_deg : (float, float), optional
        Measured range; reflections outside are not expected. Default: the peaks' span ± 2°.
    tolerance_deg : float
        Maximum |2θ obs - 2θ calc|, degrees.
    min_matches : int
        Matches needed to call the phase present.
    exclude_two_theta_deg : sequence of float
        Calculated positions of the main phase's reflections: an observed peak closer to one of
        these than to the reference reflection is assigned to the main phase, not matched.
    name : str
        Phase name for the result (default from the cell).
    """
    obs = np.asarray(peak_two_theta_deg, dtype=float)
    main = np.asarray(exclude_two_theta_deg, dtype=float)
    lo, hi = two_theta_range_deg or (
        (float(min(peak_two_theta_deg)) - 2, float(max(peak_two_theta_deg)) + 2)
        if len(peak_two_theta_deg)
        else (0.0, 180.0)
    )
    if isinstance(reference, Cell):
        refl: list[Reflection] = list(
            reflections(reference, wavelength_A=wavelength_A, two_theta_max_deg=min(hi, 179.0))
        )
        label = name or reference.name or reference.spacegroup
    else:
        refl = [Reflection((0, 0, 0), float(d), 1) for d in reference]
        label = name or "reference"
    rows = []
    n_expected = 0
    for r in refl:
        tt = float(d_to_two_theta(r.d_A, wavelength_A))
        if not np.isfinite(tt) or tt < lo or tt > hi:
            continue
        n_expected += 1
        if obs.size == 0:
            continue
        j = int(np.argmin(np.abs(obs - tt)))
        dist = abs(obs[j] - tt)
        if dist > tolerance_deg:
            continue
        if main.size and float(np.min(np.abs(main - obs[j]))) < dist:
            continue  # the main phase explains this peak better
        rows.append((*r.hkl, r.d_A, tt, float(obs[j])))
    return PhaseMatch(
        phase=label,
        present=len(rows) >= min_matches,
        n_expected=n_expected,
        n_matched=len(rows),
        matched=tuple(rows),
        tolerance_deg=tolerance_deg,
        min_matches=min_matches,
    )
