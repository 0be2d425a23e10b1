"""Segments of a temperature programme (heating, cooling, isothermal) found from the data.

The instantaneous rate dT/dt is smoothed over ``smooth_s`` seconds and each point is labelled
heating, cooling or isothermal against ``iso_threshold_K_min``; runs shorter than
``min_duration_s`` are merged into their neighbours. When the file records a segment number
(NETZSCH "Segment" column) those boundaries are used instead. Each segment carries its real
average rate (ΔT/Δt over the segment) and the median (controlled, "nominal") rate.
:func:`average_rate` gives the mean rate between two temperatures, e.g. the paper's
"-42 °C/min average from Tm to Tg".
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from scipy.ndimage import uniform_filter1d

from mofglass.errors import AnalysisError, InputFormatError
from mofglass.results import Measured, Result
from mofglass.thermal.thermogram import Thermogram

__all__ = ["Segment", "average_rate", "find_segments", "instantaneous_rate"]


@dataclass(frozen=True)
class Segment(Result):
    """One segment of the temperature programme.

    ``start``/``stop`` are point indices (``stop`` exclusive); rates are in K/min.
    """

    kind: str
    start: int
    stop: int
    start_C: float
    end_C: float
    duration_s: float
    nominal_rate_K_min: float
    mean_rate: Measured
    method: ClassVar[str] = "segments from smoothed dT/dt"

    def slice(self) -> slice:
        """Slice selecting this segment's points."""
        return slice(self.start, self.stop)


def instantaneous_rate(trace: Thermogram, *, smooth_s: float = 30.0) -> np.ndarray:
    """dT/dt in K/min at every point, smoothed over ``smooth_s`` seconds."""
    t = np.asarray(trace.time_s, dtype=float)
    T = np.asarray(trace.temperature_C, dtype=float)
    if len(t) < 3:
        raise AnalysisError(f"{trace.source}: too few points for a rate")
    if not (np.all(np.isfinite(t)) and np.ptp(t) > 0):
        raise InputFormatError(
            trace.source, expected="a time column that increases", got="constant or non-finite"
        )
    dt_med = float(np.median(np.diff(t)))
    if dt_med <= 0:
        dt_med = max(float(np.ptp(t)) / max(len(t) - 1, 1), 1e-9)
    # resample-free: central differences on unique times
    tt = t + np.arange(len(t)) * 1e-9 * max(dt_med, 1e-6)  # break ties of duplicated times
    rate = np.gradient(T, tt) * 60.0
    width = int(min(max(1, np.rint(smooth_s / dt_med)), len(t)))
    return np.asarray(uniform_filter1d(rate, size=width, mode="nearest"))


def _kind(rate: float, thr: float) -> str:
    return "heating" if rate > thr else ("cooling" if rate < -thr else "isothermal")


def _segment(trace: Thermogram, rate: np.ndarray, a: int, b: int, thr: float) -> Segment:
    t = trace.time_s
    T = trace.temperature_C
    dur = float(t[b - 1] - t[a])
    inner = slice(a + (b - a) // 10, b - (b - a) // 10) if b - a > 20 else slice(a, b)
    nominal = float(np.median(rate[inner]))
    mean = (T[b - 1] - T[a]) / dur * 60.0 if dur > 0 else 0.0
    spread = float(np.std(rate[inner]))
    kind = _kind(nominal, thr)
    return Segment(
        kind=kind,
        start=a,
        stop=b,
        start_C=float(T[a]),
        end_C=float(T[b - 1]),
        duration_s=dur,
        nominal_rate_K_min=round(nominal, 2) if kind != "isothermal" else 0.0,
        mean_rate=Measured(float(mean), spread, "K/min"),
    )


def find_segments(
    trace: Thermogram,
    *,
    iso_threshold_K_min: float = 0.3,
    min_duration_s: float = 60.0,
    smooth_s: float = 30.0,
) -> tuple[Segment, ...]:
    """Split a run into heating / cooling / isothermal segments.

    Parameters
    ----------
    trace : Thermogram
        The run.
    iso_threshold_K_min : float
        |dT/dt| below this (K/min) is isothermal.
    min_duration_s : float
        Shorter runs of one label are merged into the previous segment.
    smooth_s : float
        Smoothing window of the rate in s.

    Returns
    -------
    tuple of Segment
        In time order, covering every point.
    """
    rate = instantaneous_rate(trace, smooth_s=smooth_s)
    n = len(rate)
    if trace.segment_index is not None and len(np.unique(trace.segment_index)) > 1:
        seg = np.asarray(trace.segment_index)
        cuts: list[int] = [0, *[int(c) for c in np.flatnonzero(np.diff(seg) != 0) + 1], n]
    else:
        labels = np.array([_kind(r, iso_threshold_K_min) for r in rate])
        cuts = [0, *[int(c) for c in np.flatnonzero(labels[1:] != labels[:-1]) + 1], n]
        t = trace.time_s
        merged: list[int] = [0]
        for c in cuts[1:-1]:
            if t[c - 1] - t[merged[-1]] >= min_duration_s:
                merged.append(c)
        # the last piece must also be long enough
        if len(merged) > 1 and t[n - 1] - t[merged[-1]] < min_duration_s:
            merged.pop()
        cuts = [*merged, n]
        # join neighbours of the same kind
        out: list[int] = [0]
        prev_kind = None
        for a, b in itertools.pairwise(cuts):
            k = _kind(float(np.median(rate[a:b])), iso_threshold_K_min)
            if prev_kind is not None and k != prev_kind:
                out.append(a)
            prev_kind = k
        cuts = [*out, n]
    return tuple(
        _segment(trace, rate, a, b, iso_threshold_K_min)
        for a, b in itertools.pairwise(cuts)
        if b - a >= 2
    )


def average_rate(
    trace: Thermogram, *, from_C: float, to_C: float, segment: Segment | None = None
) -> Measured:
    """Average rate (K/min) between the first passages through two temperatures.

    ``(to_C - from_C) / (t(to_C) - t(from_C))``, searched within ``segment`` (default: the
    whole run, from the first passage through ``from_C``). The stderr is the spread of dT/dt
    over the interval, showing how far the programme was from linear.

    Examples
    --------
    The paper's fast quench, -42 °C/min average from Tm = 455 °C to Tg = 175 °C:
    ``average_rate(trace, from_C=455, to_C=175, segment=cooling)``.
    """
    sl = segment.slice() if segment is not None else slice(0, len(trace))
    t = trace.time_s[sl]
    T = trace.temperature_C[sl]
    i0 = _crossing(T, from_C)
    if i0 is None:
        raise AnalysisError(f"{trace.source}: the run does not pass {from_C} °C")
    i1 = _crossing(T[i0:], to_C)
    if i1 is None:
        raise AnalysisError(f"{trace.source}: the run does not pass {to_C} °C after {from_C} °C")
    i1 += i0
    t0 = _interp_time(t, T, i0, from_C)
    t1 = _interp_time(t, T, i1, to_C)
    if t1 <= t0:
        raise AnalysisError("zero time between the two temperatures")
    rate = instantaneous_rate(trace)[sl][i0 : i1 + 1]
    return Measured((to_C - from_C) / (t1 - t0) * 60.0, float(np.std(rate)), "K/min")


def _crossing(T: np.ndarray, target: float) -> int | None:
    s = np.sign(T - target)
    idx = np.flatnonzero(s[1:] * s[:-1] <= 0)
    return int(idx[0]) + 1 if idx.size else None


def _interp_time(t: np.ndarray, T: np.ndarray, i: int, target: float) -> float:
    a, b = max(i - 1, 0), i
    if T[b] == T[a]:
        return float(t[b])
    return float(t[a] + (target - T[a]) * (t[b] - t[a]) / (T[b] - T[a]))
