"""Loading, hold and unloading segments of a load-displacement curve, and its cycles.

Works from the load alone, so it applies to every export: the hold is the run of points at
(or within ``hold_tolerance`` of) the peak load, the loading is what precedes it from first
contact, and the unloading follows the hold until the load stops falling (a thermal-drift hold
near 10 % of the peak or the end of the test).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import numpy as np
from scipy.ndimage import median_filter

from mofglass.errors import AnalysisError
from mofglass.peaks import noise_sigma

__all__ = ["Segments", "detect_cycles", "detect_segments"]


@dataclass(frozen=True)
class Segments:
    """Index ranges (Python slices over the point arrays) of one indentation cycle."""

    loading: slice
    hold: slice
    unloading: slice

    @property
    def unload_start(self) -> int:
        """Index of the first unloading point (peak load and depth of Oliver-Pharr)."""
        return int(self.unloading.start)


def detect_segments(
    load_mN: np.ndarray, *, hold_tolerance: float = 0.01, contact_fraction: float = 0.01
) -> Segments:
    """Find loading, hold and unloading of a single-cycle test.

    Parameters
    ----------
    load_mN : ndarray
        Load in mN in acquisition order.
    hold_tolerance : float
        Points within this fraction of the peak load belong to the hold.
    contact_fraction : float
        Loading starts at the last point below this fraction of the peak load before the hold.

    Returns
    -------
    Segments

    Raises
    ------
    AnalysisError
        Fewer than 10 points or no unloading after the peak.
    """
    p = np.asarray(load_mN, dtype=float)
    if p.size < 10:
        raise AnalysisError(f"a load-displacement curve needs >= 10 points, got {p.size}")
    ps = median_filter(p, size=5, mode="nearest")
    imax = int(np.argmax(ps))
    pmax = ps[imax]
    thr = (1 - hold_tolerance) * pmax
    start = imax
    while start > 0 and ps[start - 1] >= thr:
        start -= 1
    end = imax
    while end < p.size - 1 and ps[end + 1] >= thr:
        end += 1
    # the unloading starts at the last hold point: the first step after the peak that drops by
    # more than the hold's noise (4 sigma of its point-to-point changes) or 0.1 % of Pmax.
    hold = p[start : end + 1]
    sigma = noise_sigma(hold) if hold.size >= 5 else 0.0
    step = max(4.0 * sigma, 1e-3 * abs(pmax))
    drops = np.nonzero(ps[imax:end] - ps[imax + 1 : end + 1] > step)[0]
    if drops.size:
        end = imax + int(drops[0])
    below = np.nonzero(ps[:start] < contact_fraction * pmax)[0]
    first = int(below[-1]) if below.size else 0
    # unloading: follow the running minimum; stop where the load has risen 2 % of Pmax above it
    # (re-loading) or has stayed within 0.5 % of it for 5 % of the points (a hold).
    tail = ps[end:]
    running = np.minimum.accumulate(tail)
    rise = np.nonzero(tail - running > 0.02 * pmax)[0]
    stop = int(rise[0]) if rise.size else tail.size
    flat_len = max(5, tail.size // 20)
    k = 1
    last_drop = 0
    while k < stop:
        if running[k] < running[last_drop] - 0.005 * pmax:
            last_drop = k
        elif k - last_drop > flat_len and running[k] > 0.02 * pmax:
            stop = last_drop + 1
            break
        k += 1
    if stop < 3:
        raise AnalysisError("no unloading after the peak load")
    return Segments(slice(first, start), slice(start, end + 1), slice(end, end + stop))


def _shift(sl: slice, offset: int) -> slice:
    return slice(sl.start + offset, sl.stop + offset)


def detect_cycles(
    load_mN: np.ndarray,
    *,
    unload_fraction: float = 0.3,
    min_peak_fraction: float = 0.02,
    hold_tolerance: float = 0.01,
) -> list[Segments]:
    """Segments of every load-unload cycle of a multi-cycle (load-partial-unload) test.

    A cycle ends at a peak after which the load falls by more than ``unload_fraction`` of that
    peak before rising above it again (FischerScope "ESP", Hysitron multi-cycle, G200 "LPU").

    Parameters
    ----------
    load_mN : ndarray
        Load in mN in acquisition order.
    unload_fraction : float
        Minimum relative drop from a peak that counts as an unloading.
    min_peak_fraction : float
        Peaks below this fraction of the overall peak load (noise before contact) are ignored.
    hold_tolerance : float
        Passed to :func:`detect_segments` for each cycle.

    Returns
    -------
    list of Segments
        In acquisition order; indices refer to the whole array. A single-cycle test gives one.
    """
    p = np.asarray(load_mN, dtype=float)
    ps = median_filter(p, size=5, mode="nearest")
    floor = min_peak_fraction * float(ps.max())
    bounds = [0]
    peak = -np.inf
    i = 0
    while i < ps.size:
        if ps[i] > peak:
            peak = ps[i]
        elif peak > floor and ps[i] < (1 - unload_fraction) * peak:
            j = i  # walk to the valley, where the load starts rising again
            while j + 1 < ps.size and ps[j + 1] <= ps[j]:
                j += 1
            if j + 10 < ps.size and ps[j + 1 :].max() > peak:
                bounds.append(j + 1)
                peak = ps[j + 1]
                i = j + 1
                continue
            break
        i += 1
    bounds.append(p.size)
    cycles = []
    for a, b in pairwise(bounds):
        seg = detect_segments(p[a:b], hold_tolerance=hold_tolerance)
        cycles.append(
            Segments(_shift(seg.loading, a), _shift(seg.hold, a), _shift(seg.unloading, a))
        )
    return cycles
