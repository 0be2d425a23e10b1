"""Thermogravimetry: DTG, decomposition onset, mass-loss steps, DTA peaks.

The decomposition onset is the extrapolated onset of ASTM E2550 (and E1131): the intersection of
the mass baseline before the step (a straight line fitted where the DTG is small) with the
tangent at the point of greatest rate of mass loss (the DTG extremum). The threshold onset is the
temperature at which a given mass loss (default 5 %, "T5%") relative to the initial mass is
first reached. Mass-loss steps are delimited by the DTG minima between DTG peaks (E1131).

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
from mofglass.thermal.segments import Segment, find_segments
from mofglass.thermal.thermogram import Thermogram

__all__ = ["DecompositionOnset", "MassLossStep", "decomposition_onset", "dtg", "mass_loss_steps"]


@dataclass(frozen=True)
class DecompositionOnset(Result):
    """Onset of decomposition from a TG heating run."""

    decomposition_onset_C: Measured
    threshold_onset_C: Measured
    threshold_percent: float
    dtg_peak_C: Measured
    max_rate_percent_K: float
    method: ClassVar[str] = "extrapolated onset (ASTM E2550) and T at a mass-loss threshold"


@dataclass(frozen=True)
class MassLossStep(Result):
    """One mass-loss step between DTG minima."""

    start_C: float
    end_C: float
    dtg_peak_C: Measured
    mass_loss_percent: Measured
    method: ClassVar[str] = "steps between DTG minima (ASTM E1131)"


def _heating(
    trace: Thermogram, segment: Segment | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if trace.mass_mg is None:
        raise AnalysisError(f"{trace.source}: no mass (TG) channel")
    if segment is None:
        heats = [s for s in find_segments(trace) if s.kind == "heating"]
        if not heats:
            raise AnalysisError(f"{trace.source}: no heating segment")
        segment = max(heats, key=lambda s: s.end_C - s.start_C)
    sl = segment.slice()
    mp = trace.mass_percent
    assert mp is not None
    return trace.temperature_C[sl], mp[sl], trace.time_s[sl]


def dtg(
    temperature_C: np.ndarray, mass_percent: np.ndarray, *, smooth_C: float = 5.0
) -> np.ndarray:
    """Return the derivative of mass (%) with respect to temperature (%/K), Savitzky-Golay smoothed."""
    T = np.asarray(temperature_C, float)
    m = np.asarray(mass_percent, float)
    dT = float(np.median(np.abs(np.diff(T)))) or 1e-3
    w = max(7, int(np.rint(smooth_C / dT)) | 1)
    if w >= len(m):
        w = len(m) - 1 if len(m) % 2 == 0 else len(m) - 2
    ms = savgol_filter(m, w, 2) if w >= 5 else m
    Ts = savgol_filter(T, w, 1) if w >= 5 else T
    return np.asarray(np.gradient(ms, Ts))


def decomposition_onset(
    trace: Thermogram,
    *,
    segment: Segment | None = None,
    threshold_percent: float = 5.0,
    smooth_C: float = 5.0,
    plateau_C: tuple[float, float] | None = None,
) -> DecompositionOnset:
    """Extrapolated decomposition onset and the threshold (T5%) onset of the main mass loss.

    Parameters
    ----------
    trace : Thermogram
        A run with a mass channel.
    segment : Segment, optional
        Heating segment (default the longest heating segment).
    threshold_percent : float
        Mass loss (% of initial) for the threshold onset.
    smooth_C : float
        DTG smoothing window in K.
    plateau_C : (float, float), optional
        Temperature range of the mass baseline; default: the 15 K before the DTG falls below
        5 % of its extremum, ahead of the main step.

    Returns
    -------
    DecompositionOnset
        ``decomposition_onset_C`` (extrapolated), ``threshold_onset_C``, ``dtg_peak_C``;
        uncertainties from smoothing windows of 0.5x, 1x and 2x ``smooth_C``.
    """
    T, m, _ = _heating(trace, segment)
    res = []
    for f in (0.5, 1.0, 2.0):
        d = dtg(T, m, smooth_C=smooth_C * f)
        i = int(np.argmin(d))
        if plateau_C is None:
            small = np.flatnonzero(d[:i] > 0.05 * d[i])
            j = int(small[-1]) if small.size else 0
            Tj = T[j]
            pm = (T >= Tj - 15.0) & (T <= Tj)
            if pm.sum() < 3:
                pm = np.zeros_like(T, dtype=bool)
                pm[max(j - 5, 0) : j + 1] = True
        else:
            pm = (T >= min(plateau_C)) & (T <= max(plateau_C))
        base = np.polyfit(T[pm], m[pm], 1) if pm.sum() >= 3 else np.array([0.0, m[0]])
        ms = np.interp(T[i], T, savgol_filter(m, 7, 2) if len(m) > 7 else m)
        onset = (ms - d[i] * T[i] - base[1]) / (base[0] - d[i])
        res.append((onset, T[i], d[i]))
    arr = np.array(res)
    if not np.all(np.isfinite(arr)):  # e.g. repeated temperatures leave the DTG undefined
        raise AnalysisError(
            f"{trace.source}: the DTG is undefined (repeated or non-monotonic temperatures in "
            "the heating segment): no decomposition onset"
        )
    resolution = float(np.median(np.abs(np.diff(T)))) / 2
    # threshold onset relative to the initial mass (100 %)
    level = 100.0 - threshold_percent
    below = np.flatnonzero(m <= level)
    if below.size == 0:
        raise AnalysisError(
            f"{trace.source}: mass never falls {threshold_percent} % below the start"
        )
    k = int(below[0])
    t_thr = float(np.interp(level, [m[k], m[k - 1]], [T[k], T[k - 1]])) if k > 0 else float(T[k])
    return DecompositionOnset(
        decomposition_onset_C=Measured(
            float(arr[1, 0]), max(float(arr[:, 0].std()), resolution), "°C"
        ),
        threshold_onset_C=Measured(t_thr, resolution, "°C"),
        threshold_percent=threshold_percent,
        dtg_peak_C=Measured(float(arr[1, 1]), max(float(arr[:, 1].std()), resolution), "°C"),
        max_rate_percent_K=float(arr[1, 2]),
    )


def mass_loss_steps(
    trace: Thermogram,
    *,
    segment: Segment | None = None,
    min_loss_percent: float = 1.0,
    smooth_C: float = 5.0,
) -> tuple[MassLossStep, ...]:
    """Mass-loss steps: DTG peaks, delimited by the DTG minima between them (ASTM E1131).

    Each step's loss is the mass difference between its limits, in % of the initial mass; the
    uncertainty is the mass change over 2 K at the limits (how flat the plateaus are).
    """
    T, m, _ = _heating(trace, segment)
    d = -dtg(T, m, smooth_C=smooth_C)  # positive for loss
    noise = float(np.std(d[: max(len(d) // 20, 5)])) + 1e-9
    peaks, _ = find_peaks(d, prominence=max(5 * noise, 1e-4))
    if peaks.size == 0:
        return ()
    bounds = [0]
    for a, b in itertools.pairwise(peaks):
        bounds.append(a + int(np.argmin(d[a:b])))
    bounds.append(len(T) - 1)
    steps = []
    dT = float(np.median(np.abs(np.diff(T)))) or 1e-3
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
            )
        )
    return tuple(steps)
