"""Thermogravimetry: DTG, decomposition onset, mass-loss steps, DTA peaks.

The decomposition onset is the extrapolated onset of ASTM E2550 (and E1131): the intersection of
the mass baseline before the step (a straight line fitted where the DTG is small) with the
tangent at the point of greatest rate of mass loss (the DTG extremum). The threshold onset is the
temperature at which a given mass loss (default 5 %, "T5%") relative to the initial mass is
first reached. Mass-loss steps are delimited by the DTG minima between DTG peaks (E1131).

Real programmes hold, cool and reheat, and instruments jitter: temperatures repeat or step back
by a few hundredths of a kelvin. The analysis therefore runs on one heating segment of the
programme (:func:`~mofglass.thermal.segments.find_segments`; default the heating segment with the
largest mass loss) and, when the run has a time axis, takes the DTG as (dm/dt) / (dT/dt) with both
derivatives Savitzky-Golay smoothed in time, as Proteus and pyTGA do. Reversals are tolerated as
long as the smoothed heating rate over the DTG window stays above ``min_rate_K_min`` (0.3 K/min,
the isothermal threshold of the segment detection); points below it carry no DTG (NaN).

The DTG window is chosen from the measured noise (:func:`dtg_window_C`): the smallest of 5, 10,
20 and 40 K at which the DTG noise is at most 2 % of the largest DTG, so that the 5-sigma
prominence of a step peak is at most 10 % of the main step and balance noise cannot split a
step. An onset whose DTG peak lies within one window of the analysed segment's ends (the ramp
starts or stops inside the mass loss) is flagged and left out of the results; so is an apparent
mass gain above 1 % of the initial mass reported as a warning (buoyancy without a blank curve
subtracted, or a real uptake): the losses are then relative to a rising baseline.

References
----------
.. [1] ASTM E2550-21, Thermal Stability by Thermogravimetry.
.. [2] ASTM E1131-20, Compositional Analysis by Thermogravimetry.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from scipy.signal import find_peaks, savgol_filter

from mofglass.errors import AnalysisError
from mofglass.results import Measured, Result
from mofglass.thermal.dtg import apparent_mass_gain_percent, dtg, dtg_window_C
from mofglass.thermal.segments import Segment, find_segments
from mofglass.thermal.thermogram import Thermogram

__all__ = [
    "DecompositionOnset",
    "MassLossStep",
    "apparent_mass_gain_percent",
    "decomposition_onset",
    "dtg",
    "dtg_window_C",
    "mass_loss_steps",
]


@dataclass(frozen=True)
class DecompositionOnset(Result):
    """Onset of decomposition from a TG heating run."""

    decomposition_onset_C: Measured
    threshold_onset_C: Measured
    threshold_percent: float
    dtg_peak_C: Measured
    max_rate_percent_K: float
    segment: str = ""
    smooth_C: float = 5.0
    flag: str = ""
    mass_gain_percent: float = 0.0
    method: ClassVar[str] = "extrapolated onset (ASTM E2550) and T at a mass-loss threshold"


@dataclass(frozen=True)
class MassLossStep(Result):
    """One mass-loss step between DTG minima; ``flag`` says why its loss is incomplete (cut)."""

    start_C: float
    end_C: float
    dtg_peak_C: Measured
    mass_loss_percent: Measured
    flag: str = ""
    method: ClassVar[str] = "steps between DTG minima (ASTM E1131)"


_MIN_SPAN_K = 20.0  # shortest heating segment analysed (K)
_MIN_POINTS = 20


def _segment_loss(mass_percent: np.ndarray, seg: Segment) -> float:
    return float(mass_percent[seg.start] - mass_percent[seg.stop - 1])


_RATE_FRACTION = 0.5  # DTG only where dT/dt >= this fraction of the segment's nominal rate


def _heating(
    trace: Thermogram, segment: Segment | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, str, float]:
    """Temperature, mass %, time, description and minimum DTG rate (K/min) of a heating segment.

    Points of the segment heating slower than half its nominal rate (the ramp starting or
    ending) carry no DTG: dividing dm/dt by a small dT/dt there would create false peaks.
    """
    mp = trace.mass_percent
    if mp is None:
        raise AnalysisError(f"{trace.source}: no mass (TG) channel")
    segs = find_segments(trace)
    if segment is None:
        heats = [
            s
            for s in segs
            if s.kind == "heating"
            and s.end_C - s.start_C >= _MIN_SPAN_K
            and s.stop - s.start >= _MIN_POINTS
        ]
        if not heats:
            raise AnalysisError(
                f"{trace.source}: no heating segment of at least {_MIN_SPAN_K:g} K and "
                f"{_MIN_POINTS} points: no DTG"
            )
        segment = max(heats, key=lambda s: _segment_loss(mp, s))
    number = next((k for k, s in enumerate(segs, 1) if s.start == segment.start), 0)
    label = (
        f"heating segment {number} of {len(segs)}: {segment.start_C:.0f}-{segment.end_C:.0f} °C "
        f"at {segment.nominal_rate_K_min:g} K/min"
    )
    sl = segment.slice()
    min_rate = max(0.3, _RATE_FRACTION * segment.nominal_rate_K_min)
    return trace.temperature_C[sl], mp[sl], trace.time_s[sl], label, min_rate


def decomposition_onset(
    trace: Thermogram,
    *,
    segment: Segment | None = None,
    threshold_percent: float = 5.0,
    smooth_C: float | None = None,
    plateau_C: tuple[float, float] | None = None,
) -> DecompositionOnset:
    """Extrapolated decomposition onset and the threshold (T5%) onset of the main mass loss.

    Parameters
    ----------
    trace : Thermogram
        A run with a mass channel.
    segment : Segment, optional
        Heating segment (default: the heating segment of at least 20 K and 20 points with the
        largest mass loss); refused when there is none.
    threshold_percent : float
        Mass loss (% of initial) for the threshold onset.
    smooth_C : float, optional
        DTG smoothing window in K; default chosen from the noise (:func:`dtg_window_C`).
    plateau_C : (float, float), optional
        Temperature range of the mass baseline; default: the 15 K before the DTG falls below
        5 % of its extremum, ahead of the main step.

    Returns
    -------
    DecompositionOnset
        ``decomposition_onset_C`` (extrapolated), ``threshold_onset_C``, ``dtg_peak_C``;
        uncertainties from smoothing windows of 0.5x, 1x and 2x ``smooth_C``; ``segment``
        names the heating segment they come from, ``smooth_C`` the window used, ``flag``
        why the onset and DTG peak are not results (empty when they are) and
        ``mass_gain_percent`` the apparent gain before the fastest loss
        (:func:`apparent_mass_gain_percent`).
    """
    T, m, t, label, min_rate = _heating(trace, segment)
    if smooth_C is None:
        smooth_C = dtg_window_C(T, m, time_s=t, min_rate_K_min=min_rate)
    msmooth = savgol_filter(m, 7, 2) if len(m) > 7 else m
    res = []
    d_main = np.empty(0)
    for f in (0.5, 1.0, 2.0):
        d = dtg(T, m, smooth_C=smooth_C * f, time_s=t, min_rate_K_min=min_rate)
        if not np.any(np.isfinite(d)):
            raise AnalysisError(f"{trace.source}: no DTG in the {label} (rate too low)")
        i = int(np.nanargmin(d))
        if f == 1.0:
            d_main = d
        if plateau_C is None:
            small = np.flatnonzero(d[:i] > _PLATEAU_FRACTION * d[i])
            j = int(small[-1]) if small.size else 0
            Tj = T[j]
            pm = (T >= Tj - 15.0) & (T <= Tj)
            if pm.sum() < 3:
                pm = np.zeros_like(T, dtype=bool)
                pm[max(j - 5, 0) : j + 1] = True
        else:
            pm = (T >= min(plateau_C)) & (T <= max(plateau_C))
        base = np.polyfit(T[pm], m[pm], 1) if pm.sum() >= 3 else np.array([0.0, m[0]])
        onset = (msmooth[i] - d[i] * T[i] - base[1]) / (base[0] - d[i])
        res.append((onset, T[i], d[i]))
    arr = np.array(res)
    if not np.all(np.isfinite(arr)):
        raise AnalysisError(f"{trace.source}: no decomposition onset in the {label}")
    resolution = float(np.mean(np.abs(np.diff(T)))) / 2
    t_thr = _threshold_onset(trace, T, m, threshold_percent)
    flag = _edge_flag(T, d_main, float(arr[1, 0]), float(arr[1, 1]), smooth_C)
    return DecompositionOnset(
        decomposition_onset_C=Measured(
            float(arr[1, 0]), max(float(arr[:, 0].std()), resolution), "°C"
        ),
        threshold_onset_C=Measured(t_thr, resolution, "°C"),
        threshold_percent=threshold_percent,
        dtg_peak_C=Measured(float(arr[1, 1]), max(float(arr[:, 1].std()), resolution), "°C"),
        max_rate_percent_K=float(arr[1, 2]),
        segment=label,
        smooth_C=smooth_C,
        flag=flag,
        mass_gain_percent=apparent_mass_gain_percent(T, m, before_C=float(arr[1, 1])),
    )


#: a step is cut when the DTG over the ramp's last window is at least this fraction of its extremum
_CUT_FRACTION = 0.2
#: the mass baseline of ASTM E2550 is where the DTG is below this fraction of its extremum
_PLATEAU_FRACTION = 0.05


def _threshold_onset(
    trace: Thermogram, T: np.ndarray, m: np.ndarray, threshold_percent: float
) -> float:
    """Temperature (°C) at which the mass first falls ``threshold_percent`` below the initial.

    Searched in the analysed segment, or over the whole run in time order when the segment
    starts below the level already (the loss began in an earlier ramp or hold).
    """
    level = 100.0 - threshold_percent
    if m.size and m[0] <= level and trace.mass_percent is not None:
        T, m = np.asarray(trace.temperature_C), np.asarray(trace.mass_percent)
    below = np.flatnonzero(m <= level)
    if below.size == 0:
        raise AnalysisError(
            f"{trace.source}: mass never falls {threshold_percent} % below the start"
        )
    k = int(below[0])
    return float(np.interp(level, [m[k], m[k - 1]], [T[k], T[k - 1]])) if k > 0 else float(T[k])


def _edge_flag(T: np.ndarray, d: np.ndarray, onset: float, peak: float, smooth_C: float) -> str:
    """Why an onset is no result: the fastest loss is cut by an end of the analysed ramp.

    Cut means: the DTG peak lies within one window of the first or last point with a DTG; or no
    point before the peak has a DTG below 5 % of its extremum (no mass plateau before the step
    for the ASTM E2550 baseline); or the DTG over the last window is still at least 20 % of
    its extremum (the step goes on past the ramp's end).
    """
    ok = np.flatnonzero(np.isfinite(d))
    lo, hi = float(T[ok[0]]), float(T[ok[-1]])
    dmax = float(np.nanmin(d))  # the extremum (negative for a loss)
    before = d[ok][T[ok] < peak]
    tail = d[ok][T[ok] >= hi - smooth_C]
    ramp = f"the analysed ramp ({lo:.0f}-{hi:.0f} °C)"
    plateau = bool(np.any(before > _PLATEAU_FRACTION * dmax))
    if peak - lo <= smooth_C or not plateau:
        return f"the mass already falls fast at the start of {ramp}: no plateau before the step"
    if hi - peak <= smooth_C or float(np.median(tail)) <= _CUT_FRACTION * dmax:
        return f"the mass still falls fast at the end of {ramp}: the step is cut"
    if not lo - smooth_C <= onset <= hi:
        return f"extrapolated onset {onset:.0f} °C outside {ramp}"
    return ""


def _merge_shoulders(d: np.ndarray, peaks: np.ndarray, *, ratio: float = 0.5) -> np.ndarray:
    """Merge neighbouring DTG peaks whose separating minimum stays above ``ratio`` x the lower.

    A DTG that does not come back towards zero between two peaks marks one step with a
    shoulder, not two steps (ASTM E1131 delimits steps at plateaus of the TG curve).
    """
    out = [int(p) for p in peaks]
    k = 0
    while k < len(out) - 1:
        a, b = out[k], out[k + 1]
        if float(d[a:b].min()) > ratio * min(d[a], d[b]):
            out[k : k + 2] = [a if d[a] >= d[b] else b]
        else:
            k += 1
    return np.asarray(out, dtype=int)


def mass_loss_steps(
    trace: Thermogram,
    *,
    segment: Segment | None = None,
    min_loss_percent: float = 1.0,
    smooth_C: float | None = None,
) -> tuple[MassLossStep, ...]:
    """Mass-loss steps: DTG peaks, delimited by the DTG minima between them (ASTM E1131).

    Each step's loss is the mass difference between its limits, in % of the initial mass; the
    uncertainty is the mass change over 2 K at the limits (how flat the plateaus are). The
    segment is chosen as in :func:`decomposition_onset`, and so is the DTG window (``smooth_C``,
    K; default from the noise, :func:`dtg_window_C`); points without a DTG count as no loss.
    """
    T, m, t, _, min_rate = _heating(trace, segment)
    if smooth_C is None:
        smooth_C = dtg_window_C(T, m, time_s=t, min_rate_K_min=min_rate)
    draw = -dtg(T, m, smooth_C=smooth_C, time_s=t, min_rate_K_min=min_rate)
    d = np.nan_to_num(draw, nan=0.0)  # positive for loss
    # noise: the quieter of the first and last 5 % (a start transient, e.g. buoyancy, is no noise)
    n = max(len(d) // 20, 5)
    noise = min(float(np.std(d[:n])), float(np.std(d[-n:]))) + 1e-9
    peaks, _ = find_peaks(d, prominence=max(5 * noise, 1e-4))
    peaks = _merge_shoulders(d, peaks)
    if peaks.size == 0:
        return ()
    bounds = [0]
    for a, b in itertools.pairwise(peaks):
        bounds.append(a + int(np.argmin(d[a:b])))
    bounds.append(len(T) - 1)
    steps = []
    dT = float(np.mean(np.abs(np.diff(T)))) or 1e-3
    k2 = max(int(np.rint(2.0 / dT)), 1)
    for n, p in enumerate(peaks):
        a, b = bounds[n], bounds[n + 1]
        loss = float(m[a] - m[b])
        err = float(abs(m[min(a + k2, len(m) - 1)] - m[a]) + abs(m[b] - m[max(b - k2, 0)]))
        if loss < min_loss_percent:
            continue
        steps.append(
            MassLossStep(
                start_C=float(T[a]),
                end_C=float(T[b]),
                dtg_peak_C=Measured(float(T[p]), dT / 2, "°C"),
                mass_loss_percent=Measured(loss, err, "%"),
                flag=_step_cut(
                    draw, T, float(d[p]), float(T[p]), smooth_C, first=n == 0, last=b == len(T) - 1
                ),
            )
        )
    return tuple(steps)


def _step_cut(
    loss_rate: np.ndarray,
    T: np.ndarray,
    peak: float,
    peak_C: float,
    smooth_C: float,
    *,
    first: bool,
    last: bool,
) -> str:
    """Why a step's loss is incomplete (the same rules as the onset's, :func:`_edge_flag`).

    The first step is cut when no point before its peak loses mass slower than 5 % of the
    peak rate (it began before the ramp); the last when the loss rate over the ramp's last DTG
    window is still at least 20 % of its peak (it goes on after the ramp).
    """
    ok = np.flatnonzero(np.isfinite(loss_rate))
    if ok.size == 0 or peak <= 0:
        return ""
    lo, hi = float(T[ok[0]]), float(T[ok[-1]])
    before = loss_rate[ok][T[ok] < peak_C]
    tail = loss_rate[ok][T[ok] >= hi - smooth_C]
    if first and not np.any(before < _PLATEAU_FRACTION * peak):
        return (
            f"the mass falls from the start of the analysed ramp ({lo:.0f} °C), no plateau "
            "before the step: the loss may have begun earlier, the step is cut"
        )
    if last and float(np.median(tail)) >= _CUT_FRACTION * peak:
        return f"the loss goes on past the analysed ramp ({hi:.0f} °C): the step is cut"
    return ""
