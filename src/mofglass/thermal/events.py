"""DSC / DTA events: peak detection, onset / peak / offset temperatures, enthalpies.

Onset and offset (endset) are the extrapolated temperatures of ASTM E793 / E794: the tangent at
the steepest point of the leading (trailing) edge intersects the baseline. The enthalpy is the
time integral of the heat flow above the baseline, in J/g (W/g x s), positive for endothermic
events; it is reported for the linear, sigmoidal and spline baselines and its uncertainty is
their spread (or the noise integral, whichever is larger). Per mole with the molar mass of the
formula unit (:mod:`mofglass.composition`).

References
----------
.. [1] ASTM E793-06, Standard Test Method for Enthalpies of Fusion and Crystallization by DSC.
.. [2] ASTM E794-06, Standard Test Method for Melting and Crystallization Temperatures by
   Thermal Analysis.
.. [3] G. W. H. Höhne, W. F. Hemminger, H.-J. Flammersheim, *Differential Scanning Calorimetry*,
   Springer 2003, ch. 5.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import ClassVar

import numpy as np
from scipy.integrate import trapezoid
from scipy.ndimage import uniform_filter1d
from scipy.signal import find_peaks, savgol_filter

from mofglass.errors import AnalysisError
from mofglass.results import Measured, Result
from mofglass.thermal.baselines import BASELINES, whittaker
from mofglass.thermal.segments import Segment, instantaneous_rate
from mofglass.thermal.thermogram import Thermogram

__all__ = ["ThermalEvent", "analyse_peak", "crystallised_fraction", "find_events", "noise_level"]


@dataclass(frozen=True)
class ThermalEvent(Result):
    """One endothermic or exothermic event.

    ``enthalpy_J_g`` is positive for endothermic events (melting), negative for exothermic ones
    (crystallisation). ``window_C`` is the integration window (in time order). ``flag`` says why
    the event is no result (its window is cut by an end of the segment), empty when it is one.
    """

    kind: str
    onset_C: Measured
    peak_C: Measured
    offset_C: Measured
    enthalpy_J_g: Measured
    enthalpy_kJ_mol: Measured | None
    height_W_g: float
    window_C: tuple[float, float]
    baseline: str
    enthalpies_by_baseline_J_g: dict[str, float]
    flag: str = ""
    method: ClassVar[str] = "tangent onset/offset, baseline integration (ASTM E793/E794)"

    def __bool__(self) -> bool:
        return bool(np.isfinite(self.enthalpy_J_g.value))


def noise_level(y: np.ndarray) -> float:
    """Robust point-to-point noise (standard deviation) of a signal from its first differences."""
    d = np.diff(np.asarray(y, dtype=float))
    if d.size < 3:
        return 0.0
    return float(1.4826 * np.median(np.abs(d - np.median(d))) / np.sqrt(2.0))


def _segment_arrays(
    trace: Thermogram, segment: Segment | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    sl = segment.slice() if segment is not None else slice(0, len(trace))
    y = trace.endo_positive()[sl]
    return np.asarray(trace.time_s[sl], float), np.asarray(trace.temperature_C[sl], float), y


def _smooth(y: np.ndarray, width: int) -> np.ndarray:
    w = max(5, width | 1)
    if w >= len(y):
        w = len(y) - 1 if len(y) % 2 == 0 else len(y)
    if w < 5:
        return y.copy()
    return np.asarray(savgol_filter(y, w, 2))


def _temp_at(t: np.ndarray, T: np.ndarray, tq: float) -> float:
    """Temperature at time tq, extrapolating linearly outside the data."""
    if t[0] <= tq <= t[-1]:
        return float(np.interp(tq, t, T))
    i = (0, min(5, len(t) - 1)) if tq < t[0] else (max(len(t) - 6, 0), len(t) - 1)
    slope = (T[i[1]] - T[i[0]]) / (t[i[1]] - t[i[0]])
    ref = i[0] if tq < t[0] else i[1]
    return float(T[ref] + slope * (tq - t[ref]))


def _tangent_points(
    t: np.ndarray, T: np.ndarray, net: np.ndarray, sign: float, smooth_pts: int
) -> tuple[float, float, float, int]:
    """Onset, peak and offset temperatures by tangents on the net (baseline-subtracted) signal."""
    s = _smooth(sign * net, smooth_pts)
    p = int(np.argmax(s))
    d = np.gradient(s, t)
    if p < 2 or p > len(s) - 3:
        raise AnalysisError("the peak maximum lies at the edge of its window; widen the window")
    il = int(np.argmax(d[: p + 1]))
    ir = p + int(np.argmin(d[p:]))
    onset = _temp_at(t, T, t[il] - s[il] / d[il]) if d[il] > 0 else float(T[0])
    offset = _temp_at(t, T, t[ir] - s[ir] / d[ir]) if d[ir] < 0 else float(T[-1])
    # peak temperature: parabola through the smoothed maximum
    if 0 < p < len(s) - 1:
        denom = s[p - 1] - 2 * s[p] + s[p + 1]
        frac = 0.5 * (s[p - 1] - s[p + 1]) / denom if denom != 0 else 0.0
        tp = t[p] + frac * (t[p + 1] - t[p - 1]) / 2
    else:
        tp = t[p]
    return onset, float(np.interp(tp, t, T)), offset, p


def analyse_peak(
    trace: Thermogram,
    *,
    window_C: tuple[float, float],
    segment: Segment | None = None,
    baseline: str = "linear",
    molar_mass_g_mol: float | None = None,
    smooth_C: float = 1.0,
    index_window: tuple[int, int] | None = None,
) -> ThermalEvent:
    """Onset, peak and offset temperatures and the enthalpy of one event.

    Parameters
    ----------
    trace : Thermogram
        Heat flow in W/g (known exo direction).
    window_C : (float, float)
        Temperatures bracketing the event, outside it on both sides (in either order).
    segment : Segment, optional
        The heating or cooling segment to use (default: the whole run; give a segment for a
        run with several passes through the window).
    baseline : {"linear", "sigmoidal", "spline", "tangential"}
        Baseline for the reported temperatures and enthalpy; all of them enter the uncertainty
        (their spread, ISO 11357-1 leaves the choice to the operator).
    molar_mass_g_mol : float, optional
        Molar mass of the formula unit, for ``enthalpy_kJ_mol``.
    smooth_C : float
        Savitzky-Golay window in K for the tangents.
    index_window : (int, int), optional
        Point indices (within the segment) of the window, overriding ``window_C``; used when
        the temperature is not monotonic (recalescence on crystallisation).

    Returns
    -------
    ThermalEvent

    References
    ----------
    .. [1] ASTM E793-06 and E794-06 (see module docstring).
    """
    t, T, y = _segment_arrays(trace, segment)
    lo, hi = min(window_C), max(window_C)
    inside = np.flatnonzero((T >= lo) & (T <= hi))
    if index_window is not None:
        inside = np.arange(index_window[0], index_window[1] + 1)
    if inside.size < 10:
        raise AnalysisError(f"{trace.source}: fewer than 10 points between {lo} and {hi} °C")
    i0, i1 = int(inside[0]), int(inside[-1])
    if baseline not in BASELINES:
        raise ValueError(f"baseline must be one of {sorted(BASELINES)}, got {baseline!r}")
    dT = float(np.median(np.abs(np.diff(T[i0 : i1 + 1])))) or 1e-3
    smooth_pts = int(np.rint(smooth_C / dT))
    results: dict[str, tuple[float, float, float, float, float]] = {}
    xs = t[i0 : i1 + 1]
    for name, fn in BASELINES.items():
        base, _ = fn(t, y, i0, i1)
        net = y[i0 : i1 + 1] - base
        area = float(trapezoid(net, xs))
        sign = 1.0 if (area >= 0) else -1.0
        try:
            on, pk, off, p = _tangent_points(xs, T[i0 : i1 + 1], net, sign, smooth_pts)
        except AnalysisError:
            if name == baseline:
                raise
            continue
        results[name] = (area, on, pk, off, float(net[p]))
    area, on, pk, off, height = results[baseline]
    vals = np.array(list(results.values()))
    noise = noise_level(y[i0 : i1 + 1])
    dt = float(np.median(np.diff(xs)))
    noise_area = noise * dt * np.sqrt(len(xs))
    h_err = max(float(np.std(vals[:, 0])), noise_area)
    t_res = dT / 2
    kind = "endo" if area >= 0 else "exo"
    enthalpy = Measured(area, h_err, "J/g")
    molar = None
    if molar_mass_g_mol is not None:
        molar = Measured(
            area * molar_mass_g_mol / 1000.0, h_err * molar_mass_g_mol / 1000.0, "kJ/mol"
        )
    return ThermalEvent(
        kind=kind,
        onset_C=Measured(on, max(float(np.std(vals[:, 1])), t_res), "°C"),
        peak_C=Measured(pk, max(float(np.std(vals[:, 2])), t_res), "°C"),
        offset_C=Measured(off, max(float(np.std(vals[:, 3])), t_res), "°C"),
        enthalpy_J_g=enthalpy,
        enthalpy_kJ_mol=molar,
        height_W_g=height,
        window_C=(float(T[i0]), float(T[i1])),
        baseline=baseline,
        enthalpies_by_baseline_J_g={k: v[0] for k, v in results.items()},
    )


def _asls_lam(n: int) -> float:
    """ASLS smoothness scaled with the number of points (lam ~ n^4 keeps the same stiffness)."""
    return float(1e5 * (n / 1000.0) ** 4)


_Window = tuple[int, int, int, float, float]  # start, peak, stop index, sign, net height


def _peak_windows(
    sign: float,
    cs: np.ndarray,
    net: np.ndarray,
    T: np.ndarray,
    prominence: float,
    min_height: float,
    min_width_pts: float,
    noise_y: float,
    Tspan: tuple[float, float],
) -> list[_Window]:
    """Candidate windows of the peaks of one sign (see :func:`find_events`)."""
    found: list[_Window] = []
    peaks, props = find_peaks(
        sign * cs, prominence=max(prominence, min_height), width=max(min_width_pts, 2)
    )
    for k, p0 in enumerate(peaks):
        half = max(int(props["widths"][k]), 2)
        # the walk stays within 3 widths (at half prominence) of the peak, so that a small
        # peak on a sloping or bowed baseline (a trace event after a cold crystallisation)
        # is not merged into the baseline's curvature
        la = max(int(props["left_bases"][k]) - 2 * half, int(p0) - 3 * half, 0)
        rb = min(int(props["right_bases"][k]) + 2 * half, int(p0) + 3 * half, len(net) - 1)
        lo_i, hi_i = max(p0 - half, la), min(p0 + half, rb) + 1
        p = lo_i + int(np.argmax(net[lo_i:hi_i]))
        if not (Tspan[0] <= T[p] <= Tspan[1]) or net[p] <= 0:
            continue
        stop = max(0.01 * net[p], 2.0 * noise_y)
        # walk out until the signal is back on the baseline or stops falling (a valley)
        tol = 3.0 * noise_y + 0.005 * net[p]
        low = 0.2 * net[p]  # a valley ends the walk only near the baseline
        a = p
        while a > la and net[a] > stop and (net[a] > low or net[a - 1] <= net[a] + tol):
            a -= 1
        b = p
        while b < rb and net[b] > stop and (net[b] > low or net[b + 1] <= net[b] + tol):
            b += 1
        pad = max(3, (b - a) // 10)
        found.append((max(a - pad, la), int(p), min(b + pad, rb), sign, float(net[p])))
    return found


def _one_per_peak(found: list[_Window]) -> list[_Window]:
    """One candidate per peak: the same sign and overlapping windows are one event."""
    found = sorted(found, key=lambda x: -x[4])
    unique: list[_Window] = []
    for f in found:
        if not any(g[3] == f[3] and g[0] <= f[1] <= g[2] for g in unique):
            unique.append(f)
    return sorted(unique, key=lambda x: x[1])


def _without_valleys(events: list[ThermalEvent]) -> tuple[ThermalEvent, ...]:
    """Drop an event whose window holds the peak of a taller event of the other sign."""
    keep = []
    for e in events:
        lo, hi = min(e.window_C), max(e.window_C)
        lo, hi = lo - 0.2 * (hi - lo), hi + 0.2 * (hi - lo)
        shadow = any(
            o.kind != e.kind
            and lo <= o.peak_C.value <= hi
            and abs(o.height_W_g) > abs(e.height_W_g)
            for o in events
        )
        if not shadow:
            keep.append(e)
    return tuple(keep)


def find_events(
    trace: Thermogram,
    *,
    segment: Segment | None = None,
    snr: float = 8.0,
    min_height_W_g: float = 0.0,
    min_width_C: float = 0.5,
    min_enthalpy_J_g: float = 0.05,
    edge_C: float = 3.0,
    smooth_s: float = 20.0,
    exclude_C: tuple[float, float] | None = None,
    baseline: str = "linear",
    molar_mass_g_mol: float | None = None,
    coarse_C: float = 10.0,
) -> tuple[ThermalEvent, ...]:
    """Detect endothermic and exothermic peaks, small ones included, and analyse each.

    Peaks are searched in the apparent heat capacity (heat flow divided by the instantaneous
    rate, rescaled to W/g at the median rate), so that rate transients are not taken for events.
    A peak is kept when its prominence exceeds ``snr`` times the noise (and ``min_height_W_g``),
    it is at least ``min_width_C`` wide at half height and its enthalpy exceeds
    ``min_enthalpy_J_g`` in magnitude; peaks within ``edge_C`` of the segment's ends (start-up
    and turning transients) are ignored, and so are valleys between stronger peaks of the other
    sign. Windows extend each peak to where the signal is within 1 % of the peak height of an
    asymmetric-least-squares baseline (pybaselines ``asls``), plus 10 %. Peaks are sought on
    the signal smoothed over 1 K, then again over ``coarse_C`` K for broad events broken by
    spikes (a coarse-scale event is kept only where no fine-scale event lies; 0 disables).

    Returns
    -------
    tuple of ThermalEvent
        In time order.
    """
    t, T, y = _segment_arrays(trace, segment)
    if len(y) < 20:
        return ()
    dT = float(np.median(np.abs(np.diff(T)))) or 1e-3
    # detect on the apparent heat capacity y/|q| (J/(g K)): changes of scan rate (start-up,
    # instrument-limited quenches) then cancel and only thermal events remain
    sl = segment.slice() if segment is not None else slice(0, len(trace))
    dt_med = float(np.median(np.diff(t))) if len(t) > 1 else 1.0
    width = max(1, int(np.rint(smooth_s / max(dt_med, 1e-9))))
    q = np.abs(instantaneous_rate(trace, smooth_s=smooth_s)[sl]) / 60.0  # same window for y
    q_med = float(np.median(q))
    if q_med <= 0:
        return ()
    y_s = uniform_filter1d(y, size=width, mode="nearest")
    cp_app = y_s / np.maximum(q, 0.2 * q_med) * q_med  # rescaled to W/g at the median rate
    cs = _smooth(cp_app, int(np.rint(1.0 / dT)))
    ys = _smooth(y, int(np.rint(1.0 / dT)))
    noise = max(noise_level(cp_app), 1e-12)
    noise_y = noise_level(ys)
    Tspan = (min(T[0], T[-1]) + edge_C, max(T[0], T[-1]) - edge_C)
    base_by_sign = {
        sg: whittaker(t, sg * ys, lam=_asls_lam(len(ys)), p=0.01)[0] for sg in (1.0, -1.0)
    }

    def windows(smoothed: np.ndarray, heat: np.ndarray) -> list[_Window]:
        found: list[_Window] = []
        for sign in (1.0, -1.0):
            net = sign * heat - base_by_sign[sign]  # windows from the heat flow itself
            found += _peak_windows(sign, smoothed, net, T, snr * noise, min_height_W_g,
                                   min_width_C / dT, noise_y, Tspan)  # fmt: skip
        return _one_per_peak(found)

    def analyse(found: list[_Window], smooth_C: float = 1.0) -> list[ThermalEvent]:
        return _analyse_windows(
            trace, segment, T, ys, found, exclude_C, baseline, molar_mass_g_mol,
            min_enthalpy_J_g, edge_C, smooth_C,
        )  # fmt: skip

    events = analyse(windows(cs, ys))
    # a broad event broken by spikes (gas release, sample movement: the 1 K/min PMMA
    # depolymerisation) gives only spike-wide windows that fail; seek it again at a coarse
    # scale (coarse_C), keeping only events whose peak no fine-scale event already holds
    if coarse_C > 0:
        n_c = int(np.rint(coarse_C / dT))
        held = [(min(e.window_C), max(e.window_C)) for e in events]
        events += [
            e
            for e in analyse(windows(_smooth(cp_app, n_c), _smooth(y, n_c)), coarse_C)
            if not any(lo <= e.peak_C.value <= hi for lo, hi in held)
        ]
    return _without_valleys(sorted(events, key=lambda e: _time_key(T, e)))


def _time_key(T: np.ndarray, ev: ThermalEvent) -> int:
    """Index of the event's peak temperature in the segment (time order)."""
    return int(np.argmin(np.abs(T - ev.peak_C.value)))


def _analyse_windows(
    trace: Thermogram,
    segment: Segment | None,
    T: np.ndarray,
    ys: np.ndarray,
    found: list[_Window],
    exclude_C: tuple[float, float] | None,
    baseline: str,
    molar_mass_g_mol: float | None,
    min_enthalpy_J_g: float,
    edge_C: float,
    smooth_C: float,
) -> list[ThermalEvent]:
    """Analyse each candidate window; keep the significant peaks (see :func:`find_events`)."""
    Tspan = (min(T[0], T[-1]) + edge_C, max(T[0], T[-1]) - edge_C)
    events: list[ThermalEvent] = []
    for a, p, b, sign, _ in found:
        if exclude_C is not None and min(exclude_C) <= T[p] <= max(exclude_C):
            continue
        try:
            ev = analyse_peak(
                trace,
                window_C=(float(T[a]), float(T[b])),
                index_window=(a, b),
                segment=segment if segment is not None else None,
                baseline=baseline,
                molar_mass_g_mol=molar_mass_g_mol,
                smooth_C=smooth_C,
            )
        except AnalysisError:
            continue
        h = ev.enthalpy_J_g
        if abs(h.value) < min_enthalpy_J_g or np.sign(h.value) != sign:
            continue
        if (h.stderr or 0.0) > 0.5 * abs(h.value) or not Tspan[0] <= ev.peak_C.value <= Tspan[1]:
            continue  # not significant against the baseline choice, or a transient
        if any(abs(e.peak_C.value - ev.peak_C.value) < 1e-6 for e in events):
            continue
        k = max(3, (b - a) // 10)
        step = abs(float(np.mean(ys[b - k + 1 : b + 1]) - np.mean(ys[a : a + k])))
        if step > 0.5 * abs(ev.height_W_g):
            continue  # a step (glass transition, baseline shift), not a peak
        events.append(replace(ev, flag=_cut_flag(T, ev, edge_C)))
    return events


def _cut_flag(T: np.ndarray, ev: ThermalEvent, edge_C: float) -> str:
    """Why an event is no result: it is cut by an end of the segment (``T`` in time order).

    Cut at the start: the extrapolated onset lies within ``edge_C`` of the segment's first
    temperature or before it (the event began before the ramp, inside its start-up transient).
    Cut at the end: the extrapolated offset lies beyond the segment's last temperature (the
    event goes on after the turn; a melt that ends just before the turn, the usual protocol
    for MOF glasses, is kept).
    """
    t0, t1 = float(T[0]), float(T[-1])
    up = t1 >= t0
    on, off = ev.onset_C.value, ev.offset_C.value
    if (on - t0 if up else t0 - on) <= edge_C:
        return f"the event starts with the segment ({t0:.0f} °C): onset and enthalpy cut"
    if (off - t1 if up else t1 - off) > 0:
        return f"the event lasts past the segment's end ({t1:.0f} °C): offset and enthalpy cut"
    return ""


def crystallised_fraction(crystallisation_J_g: Measured, melting_J_g: Measured) -> Measured:
    """Fraction of the material that crystallised, |ΔH_rc| / ΔH_m, with propagated uncertainty.

    The paper's cold crystallisation: 9.7 / 16.6 kJ/mol = 0.584 (59 %).
    """
    hc, hm = abs(crystallisation_J_g.value), abs(melting_J_g.value)
    if hm == 0:
        raise AnalysisError("melting enthalpy is zero")
    f = hc / hm
    rel2 = 0.0
    for m, v in ((crystallisation_J_g, hc), (melting_J_g, hm)):
        if m.stderr is not None and v:
            rel2 += (m.stderr / v) ** 2
    return Measured(f, f * np.sqrt(rel2), "")
