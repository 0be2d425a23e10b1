"""Automatic glass-transition search on a heating scan, without a user window.

A glass transition is a step in the specific heat flow with flat (straight) tangents on both
sides: the glass line below and the liquid line above (ASTM E1356, ISO 11357-2). Candidates are
the interior maxima of the smoothed slope dΦ/dT (endothermic up); a start-up transient, whose
slope only decays, has none. Each candidate is fitted in windows of several half-widths, every
fit re-centred on its own step until the centre is stable, with a straight glass line plus an
error-function step whose liquid line may have another slope (lmfit). A candidate is a glass
transition only when every one of these holds in at least two of the windows, and the report
states them as the evidence:

* the step is endothermic on heating and larger than ``min_significance`` times its standard
  error;
* its width is physical (``min_sigma_C`` <= sigma < a quarter of the window) and its centre is not
  on a window edge or a fit bound;
* ΔCp = step / rate lies in ``dcp_range_J_gK``;
* the step is at least 3 % of the signal level there (ΔCp/Cp of glasses is 10-100 %; smaller
  steps on an uncorrected signal are baseline curvature);
* the liquid level persists: at the upper window edge the liquid line still stands 0.2-3 times the
  step above the glass line (a broad endotherm returns to its baseline and is refused);
* the centres of the windows agree within ``max(3 K, sigma)``.

The first (lowest) accepted candidate is the glass transition; the E1356 temperatures follow from
the fitted step (onset/endset = centre -/+ sigma sqrt(2 pi)/2, midpoint = inflection = centre),
with the spread over the windows added to the fit uncertainty.

References
----------
.. [1] ASTM E1356-08, Assignment of the Glass Transition Temperatures by DSC.
.. [2] ISO 11357-2:2020, Plastics - DSC - Part 2: Determination of glass transition temperature
   and step height.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from scipy.signal import find_peaks, savgol_filter

from mofglass.results import Measured, Result
from mofglass.thermal.glass import GlassTransition, step_fit
from mofglass.thermal.segments import Segment, instantaneous_rate
from mofglass.thermal.thermogram import Thermogram

__all__ = ["GlassSearch", "find_glass_transition"]

_ROOT_2PI_HALF = float(np.sqrt(2 * np.pi) / 2)


@dataclass(frozen=True)
class GlassSearch(Result):
    """Outcome of the automatic search: the glass transition (or None) and why."""

    glass: GlassTransition | None
    window_C: tuple[float, float] | None
    evidence: str
    rejected: tuple[str, ...] = ()
    method: ClassVar[str] = "step search: erf step with straight tangents (ASTM E1356)"


@dataclass(frozen=True)
class _StepFit:
    center: float
    center_err: float
    sigma: float
    sigma_err: float
    height: float
    height_err: float
    persistence: float
    level: float
    window: tuple[float, float]
    ok: bool
    why: str


def _fit(T: np.ndarray, y: np.ndarray, center: float, min_sigma: float) -> _StepFit:
    res = step_fit(
        T,
        y,
        center=center,
        min_sigma=min_sigma,
        straight=True,
        center_margin=0.15,
        max_sigma_fraction=0.25,
    )
    P = res.params

    def err(name: str) -> float:
        s = P[name].stderr
        return float(s) if s is not None and np.isfinite(s) else np.inf

    c, s, h = (float(P[x].value) for x in ("center", "sigma", "height"))
    persist = (h + float(P["slope_change"].value) * (T[-1] - c)) / h if h != 0 else 0.0
    window = (float(T[0]), float(T[-1]))
    why = ""
    if not res.success or not np.isfinite(err("height")):
        why = "the step fit did not converge"
    elif any(
        abs(P[x].value - b) < 1e-3 * max(abs(b), 1.0)
        for x in ("center", "sigma")
        for b in (P[x].min, P[x].max)
    ):
        why = "the step fit sits on a bound (centre on the window edge or width limit)"
    level = abs(float(P["c0"].value))
    return _StepFit(
        c, err("center"), s, err("sigma"), h, err("height"), persist, level, window, not why, why
    )


def find_glass_transition(
    trace: Thermogram,
    *,
    segment: Segment,
    exclude_C: tuple[tuple[float, float], ...] = (),
    half_widths_C: tuple[float, ...] = (25.0, 30.0, 35.0),
    dcp_range_J_gK: tuple[float, float] = (0.02, 1.5),
    min_sigma_C: float = 2.0,
    min_significance: float = 5.0,
    max_candidates: int = 8,
    below_C: float | None = None,
) -> GlassSearch:
    """Find the glass transition of a heating segment without a window (see module docstring).

    Parameters
    ----------
    trace : Thermogram
        Heat flow in W/g with a known exo direction.
    segment : Segment
        A heating segment.
    exclude_C : tuple of (float, float)
        Temperature windows of peaks (melting, crystallisation...) where no step is sought.
    half_widths_C : tuple of float
        Half-widths of the fit windows in K.
    dcp_range_J_gK : (float, float)
        Plausible ΔCp; steps outside are refused.
    min_sigma_C : float
        Smallest step width (sigma of the erf) in K; sharper jumps are noise or artefacts.
    min_significance : float
        Step height over its standard error.
    max_candidates : int
        Slope maxima examined, strongest first.
    below_C : float, optional
        Upper limit of the search: the onset of a large endotherm (melting or decomposition),
        above which no glass transition of the material can lie.

    Returns
    -------
    GlassSearch
        ``glass`` is None when no candidate passes; ``rejected`` says why each failed.

    References
    ----------
    .. [1] ASTM E1356-08; ISO 11357-2:2020 (module docstring).
    """
    sl = segment.slice()
    T = np.asarray(trace.temperature_C[sl], float)
    y = np.asarray(trace.endo_positive()[sl], float)
    q_s = abs(segment.mean_rate.value) / 60.0
    if segment.kind != "heating" or len(T) < 50 or q_s <= 0:
        return GlassSearch(None, None, "not a heating segment with enough points")
    order = np.argsort(T, kind="stable")
    T, y = T[order], y[order]
    dT = float(np.median(np.diff(T))) or 1e-3
    w = max(7, int(np.rint(8.0 / dT)) | 1)
    if w >= len(y):
        return GlassSearch(None, None, "segment shorter than the slope window")
    d = savgol_filter(y, w, 2, deriv=1) / dT
    noise = 1.4826 * float(np.median(np.abs(np.diff(d)))) * np.sqrt(w)
    cands = _candidates(T, d, noise, min(half_widths_C), _settled_C(trace, segment), dT)
    cands = [
        i
        for i in cands
        if not any(min(e) - 5 <= T[i] <= max(e) + 5 for e in exclude_C)
        and (below_C is None or T[i] < below_C)
    ][:max_candidates]
    rejected: list[str] = []
    accepted: list[tuple[float, list[_StepFit]]] = []
    for i in cands:
        fits = [
            _check(f, q_s, dcp_range_J_gK, min_significance)
            for W in half_widths_C
            if (f := _recentred_fit(T, y, float(T[i]), W, exclude_C, min_sigma_C)) is not None
        ]
        good = [f for f in fits if f.ok]
        where = f"step near {T[i]:.0f} °C"
        if len(good) < 2:
            why = "; ".join(sorted({f.why for f in fits if not f.ok})) or "no window fitted"
            rejected.append(f"{where}: {why}")
            continue
        cs = np.array([f.center for f in good])
        if np.ptp(cs) > max(3.0, float(np.median([f.sigma for f in good]))):
            rejected.append(
                f"{where}: centre moves with the window ({cs.min():.1f}-{cs.max():.1f})"
            )
            continue
        accepted.append((float(np.median(cs)), good))
    if not accepted:
        return GlassSearch(
            None, None, "no step with the shape of a glass transition", tuple(rejected)
        )
    accepted.sort(key=lambda a: a[0])
    _, good = accepted[0]
    glass = _combine(good, q_s)
    mid = good[len(good) // 2]
    ev = (
        f"endothermic step with straight tangents in {len(good)} fit windows: "
        f"ΔCp {glass.delta_cp_J_gK.value:.3f} J/(g K), step/stderr "
        f"{min(f.height / f.height_err for f in good):.0f}, liquid level persists "
        f"({min(f.persistence for f in good):.2f}-{max(f.persistence for f in good):.2f} of the "
        "step at the window edge)"
    )
    return GlassSearch(glass, mid.window, ev, tuple(rejected))


def _settled_C(trace: Thermogram, segment: Segment, *, tolerance: float = 0.05) -> float:
    """Return the temperature (°C) where the ramp of ``segment`` has settled.

    The start-up transient of a ramp (the heat flow catching up with the new rate) lasts at
    least until the instantaneous rate first comes within ``tolerance`` of the segment's mean rate; a step found
    before that is the transient, not the sample.
    """
    sl = segment.slice()
    q = np.abs(instantaneous_rate(trace, smooth_s=30.0)[sl])
    T = np.asarray(trace.temperature_C[sl], float)
    on = np.flatnonzero(
        np.abs(q - abs(segment.mean_rate.value)) <= tolerance * abs(segment.mean_rate.value)
    )
    last = int(on[0]) if on.size else 0
    return float(T[min(last, len(T) - 1)])


def _candidates(
    T: np.ndarray, d: np.ndarray, noise: float, edge: float, settled_C: float, dT: float
) -> list[int]:
    """Return the slope maxima that may be glass transitions (indices, most prominent first).

    A glass transition is a maximum of the slope dΦ/dT (endothermic up) with a width at half
    prominence of 5-60 K (an erf step of sigma 4-16 K, onset-to-endset 10-40 K, gives 9-38 K).
    The prominence, not the sign of the slope, is the test: on an uncorrected, drifting signal
    the slope is negative everywhere and a Cp step still raises it locally. Maxima closer than
    ``edge / 2`` to the ends of the segment, or before the ramp settled (``settled_C`` plus 5
    K), are the start-up or end transient.
    """
    peaks, props = find_peaks(d, prominence=max(3 * noise, 1e-12), width=1)
    width_K = props["widths"] * dT
    first = max(T[0] + 0.5 * edge, settled_C + 5.0)
    return [
        int(peaks[k])
        for k in np.argsort(-props["prominences"])
        if 5.0 <= width_K[k] <= 60.0 and first <= T[peaks[k]] <= T[-1] - 0.5 * edge
    ]


def _recentred_fit(
    T: np.ndarray,
    y: np.ndarray,
    c: float,
    W: float,
    exclude_C: tuple[tuple[float, float], ...],
    min_sigma_C: float,
) -> _StepFit | None:
    """Fit a step in ``c ± W`` (peaks excluded), re-centring on the fitted step up to 4 times."""
    fit = None
    for _ in range(4):  # re-centre the window on the fitted step
        lo, hi = c - W, c + W
        for elo, ehi in exclude_C:
            if ehi < c:
                lo = max(lo, ehi + 2.0)
            elif elo > c:
                hi = min(hi, elo - 2.0)
        m = (T >= max(lo, T[0])) & (T <= min(hi, T[-1]))
        if m.sum() < 30 or (min(hi, T[-1]) - max(lo, T[0])) < W:
            return None
        try:
            fit = _fit(T[m], y[m], c, min_sigma_C)
        except (ValueError, TypeError, np.linalg.LinAlgError):
            return None
        if abs(fit.center - c) < 0.2:
            break
        c = fit.center
    return fit


def _check(f: _StepFit, q_s: float, dcp: tuple[float, float], sig: float) -> _StepFit:
    from dataclasses import replace

    if not f.ok:
        return f
    why = ""
    if f.height <= 0:
        why = "the step is exothermic (not a Cp increase on heating)"
    elif f.height < sig * f.height_err:
        why = f"step below {sig:g} times its uncertainty"
    elif not dcp[0] <= f.height / q_s <= dcp[1]:
        why = f"ΔCp {f.height / q_s:.3g} J/(g K) outside {dcp[0]}-{dcp[1]}"
    elif f.height < 0.03 * f.level:
        why = f"step only {100 * f.height / f.level:.1f} % of the signal level (baseline curvature)"
    elif not 0.2 <= f.persistence <= 3.0:
        why = "the level does not persist above the step (a peak, not a step)"
    return replace(f, ok=not why, why=why)


def _combine(fits: list[_StepFit], q_s: float) -> GlassTransition:
    c = np.array([f.center for f in fits])
    s = np.array([f.sigma for f in fits])
    h = np.array([f.height for f in fits])
    k = int(np.argsort(c)[len(c) // 2])
    best = fits[k]
    spread_c = float(np.std(c))
    e_c = float(np.hypot(best.center_err, spread_c))
    half = best.sigma * _ROOT_2PI_HALF
    e_half = float(np.hypot(best.sigma_err, np.std(s)) * _ROOT_2PI_HALF)
    e_on = float(np.hypot(e_c, e_half))
    e_h = float(np.hypot(best.height_err, np.std(h)))
    return GlassTransition(
        onset_C=Measured(best.center - half, e_on, "°C"),
        midpoint_C=Measured(best.center, e_c, "°C"),
        inflection_C=Measured(best.center, e_c, "°C"),
        endset_C=Measured(best.center + half, e_on, "°C"),
        delta_cp_J_gK=Measured(best.height / q_s, e_h / q_s, "J/(g K)"),
        step_W_g=float(best.height),
        rate_K_min=float(q_s * 60.0),
        window_C=best.window,
    )
