"""Glass transition: Tg (onset, midpoint, inflection), ΔCp, fictive temperature, fragility.

On a heating (or cooling) scan the glass transition is a step in heat flow. The construction of
ASTM E1356 is used: straight lines are fitted to the glass (below) and liquid (above) sides of a
window; the tangent at the inflection point (maximum slope of the smoothed signal) meets the
glass line at the extrapolated onset; the midpoint is where the signal is half-way between the
two lines; ΔCp is the step height at the midpoint divided by the scan rate. Uncertainties are the
spread over baseline-fit fractions (15, 20, 25 % of the window).

The fictive temperature follows Moynihan's area matching [3]_: Tf solves
``∫_{Tf}^{T2} (l - g) dT = ∫_{T1}^{T2} (y - g) dT`` with g and l the glass and liquid lines.
Fragility follows from the rate dependence of Tf (or Tg) [4]_:
``m = -d log10 q / d(Tg/Tf)`` at ``Tf = Tg``, i.e. a straight line of log10|q| against 1/Tf
with slope s gives ``m = -s / Tg`` and ``ΔH* = -ln(10) R s``; Tg is the Tf at the reference
rate (10 K/min).

References
----------
.. [1] ASTM E1356-08, Assignment of the Glass Transition Temperatures by DSC.
.. [2] ISO 11357-2:2020, Plastics - DSC - Part 2: Determination of glass transition temperature
   and step height.
.. [3] C. T. Moynihan, A. J. Easteal, M. A. DeBolt, J. Tucker, J. Am. Ceram. Soc. 59, 12 (1976),
   "Dependence of the fictive temperature of glass on cooling rate".
.. [4] R. Böhmer, K. L. Ngai, C. A. Angell, D. J. Plazek, J. Chem. Phys. 99, 4201 (1993);
   Y. Z. Yue, J. Non-Cryst. Solids 354, 1112 (2008) (fragility from Tf(q)).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from scipy.integrate import trapezoid
from scipy.optimize import brentq
from scipy.signal import savgol_filter

from mofglass.errors import AnalysisError
from mofglass.results import Measured, Result

# the fragility fit lives in its own module; re-exported here where it was first defined
from mofglass.thermal.fragility_index import Fragility, fragility
from mofglass.thermal.segments import Segment, instantaneous_rate
from mofglass.thermal.thermogram import Thermogram

__all__ = [
    "FictiveTemperature",
    "Fragility",
    "GlassTransition",
    "fictive_temperature",
    "fragility",
    "glass_transition",
]

_FRACTIONS = (0.15, 0.2, 0.25)


@dataclass(frozen=True)
class GlassTransition(Result):
    """Tg by the tangent construction and the heat-capacity step."""

    onset_C: Measured
    midpoint_C: Measured
    inflection_C: Measured
    endset_C: Measured
    delta_cp_J_gK: Measured
    step_W_g: float
    rate_K_min: float
    window_C: tuple[float, float]
    method: ClassVar[str] = "tangent onset, half-step midpoint, ΔCp = step/rate (ASTM E1356)"


@dataclass(frozen=True)
class FictiveTemperature(Result):
    """Fictive temperature by Moynihan area matching."""

    fictive_C: Measured
    window_C: tuple[float, float]
    method: ClassVar[str] = "Moynihan area matching (J. Am. Ceram. Soc. 1976)"


def _window(
    trace: Thermogram, segment: Segment | None, window_C: tuple[float, float]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    sl = segment.slice() if segment is not None else slice(0, len(trace))
    T = np.asarray(trace.temperature_C[sl], float)
    y = trace.endo_positive()[sl]
    t = np.asarray(trace.time_s[sl], float)
    lo, hi = min(window_C), max(window_C)
    m = (T >= lo) & (T <= hi)
    if m.sum() < 20:
        raise AnalysisError(f"{trace.source}: fewer than 20 points between {lo} and {hi} °C")
    rate = instantaneous_rate(trace)[sl][m]
    order = np.argsort(T[m], kind="stable")
    return T[m][order], y[m][order], t[m][order], float(np.median(rate))


def _lines(T: np.ndarray, y: np.ndarray, frac: float) -> tuple[np.ndarray, np.ndarray]:
    n = len(T)
    k = max(int(frac * n), 5)
    return np.polyfit(T[:k], y[:k], 1), np.polyfit(T[-k:], y[-k:], 1)


def _smooth(T: np.ndarray, y: np.ndarray, smooth_C: float) -> np.ndarray:
    dT = float(np.median(np.diff(T))) or 1e-3
    w = max(5, int(np.rint(smooth_C / dT)) | 1)
    w = min(w, len(y) - (1 - len(y) % 2))
    return np.asarray(savgol_filter(y, w, 2)) if w >= 5 else y


def _construct(
    T: np.ndarray, ys: np.ndarray, frac: float
) -> tuple[float, float, float, float, float]:
    g, liq = _lines(T, ys, frac)
    n = len(T)
    k = max(int(frac * n), 5)
    d = np.gradient(ys, T)
    step_sign = np.sign(np.polyval(liq, T[n // 2]) - np.polyval(g, T[n // 2])) or 1.0
    core = slice(k, n - k)
    i = k + int(np.argmax(step_sign * d[core]))
    slope = d[i]
    Ti, yi = T[i], ys[i]
    onset = (yi - slope * Ti - g[1]) / (g[0] - slope)
    endset = (yi - slope * Ti - liq[1]) / (liq[0] - slope)
    half = 0.5 * (np.polyval(g, T) + np.polyval(liq, T))
    r = step_sign * (ys - half)
    cross = np.flatnonzero((r[:-1] < 0) & (r[1:] >= 0))
    cross = cross[(cross >= k // 2) & (cross <= n - k // 2)]
    if cross.size == 0:
        raise AnalysisError("no half-step crossing in the window")
    j = cross[np.argmin(np.abs(cross - i))]
    mid = T[j] + (T[j + 1] - T[j]) * (-r[j]) / (r[j + 1] - r[j])
    step = float(np.polyval(liq, mid) - np.polyval(g, mid))
    return float(onset), float(mid), float(Ti), float(endset), step


def _step_model(T, c0, c1, c2, height, slope_change, center, sigma):
    """Quadratic glass line plus an erf step of ``height`` (liquid slope + slope_change)."""
    from scipy.special import erf

    x = T - center
    s = 0.5 * (1.0 + erf(x / (np.sqrt(2.0) * sigma)))
    return c0 + c1 * x + c2 * x**2 + (height + slope_change * x) * s


def step_fit(
    T: np.ndarray,
    y: np.ndarray,
    *,
    center: float | None = None,
    min_sigma: float = 0.05,
    straight: bool = False,
    center_margin: float = 0.05,
    max_sigma_fraction: float = 1 / 3,
) -> Any:
    """Lmfit fit of :func:`_step_model` to a window (glass line, erf step, liquid line).

    Starting values from straight lines through the outer fifths; ``center`` defaults to the
    steepest point; ``straight`` fixes the glass line's curvature to zero (flat tangents,
    ISO 11357-2). Returns the lmfit ``ModelResult``.
    """
    import lmfit

    model = lmfit.Model(_step_model)
    n = len(T)
    k = max(n // 5, 5)
    g = np.polyfit(T[:k], y[:k], 1)
    liq = np.polyfit(T[-k:], y[-k:], 1)
    span = float(np.ptp(T))
    if center is None:
        h_mid = float(np.polyval(liq, T[n // 2]) - np.polyval(g, T[n // 2]))
        d = np.gradient(y, T)
        center = float(T[k + int(np.argmax(np.sign(h_mid or 1.0) * d[k : n - k]))])
    h0 = float(np.polyval(liq, center) - np.polyval(g, center))
    lo_c, hi_c = T[0] + center_margin * span, T[-1] - center_margin * span
    params = model.make_params(
        c0=float(np.polyval(g, center)),
        c1=float(g[0]),
        c2=0.0,
        height=h0,
        slope_change=float(liq[0] - g[0]),
        center=min(max(center, lo_c + 1e-6), hi_c - 1e-6),
        sigma=max(span / 12, 1.5 * min_sigma),
    )
    if straight:
        params["c2"].set(value=0.0, vary=False)
    params["center"].set(min=lo_c, max=hi_c)
    params["sigma"].set(min=min_sigma, max=span * max_sigma_fraction)
    return model.fit(y, params, T=T, max_nfev=2000)


def _fit_step(
    T: np.ndarray, y: np.ndarray
) -> tuple[np.ndarray, np.ndarray, bool, dict[str, float]]:
    res = step_fit(T, y)
    names = ["center", "sigma", "height"]
    vals = np.array([res.params[n_].value for n_ in names])
    errs = np.array(
        [res.params[n_].stderr if res.params[n_].stderr is not None else np.nan for n_ in names]
    )
    best = {k: float(v.value) for k, v in res.params.items()}
    return vals, errs, bool(res.success and np.all(np.isfinite(errs))), best


def _require_endothermic(
    trace: Thermogram, window_C: tuple[float, float], step_W_g: float, rate_K_min: float
) -> None:
    """Refuse a step of the wrong sign: on heating, Cp rises through Tg (an endothermic shift).

    An exothermic step on heating is a drifting baseline, a contact change or an exotherm's
    flank, never a glass transition (ASTM E1356 section 3: the step is a Cp increase).
    """
    if rate_K_min > 0 and step_W_g <= 0:
        raise AnalysisError(
            f"{trace.source}: the step in {window_C[0]:g}-{window_C[1]:g} °C is exothermic on "
            f"heating ({step_W_g:.3g} W/g), not the Cp increase of a glass transition"
        )


def glass_transition(
    trace: Thermogram,
    *,
    window_C: tuple[float, float],
    segment: Segment | None = None,
    rate_K_min: float | None = None,
    smooth_C: float = 2.0,
    method: str = "fit",
) -> GlassTransition:
    """Onset, midpoint and inflection Tg and ΔCp of one scan (ASTM E1356).

    Parameters
    ----------
    trace : Thermogram
        Heat flow in W/g with known exo direction.
    window_C : (float, float)
        Window containing the step with straight glass and liquid sides (each side ~20 % of it).
    segment : Segment, optional
        The scan to use (default: whole run).
    rate_K_min : float, optional
        Scan rate for ΔCp; default the median measured rate in the window.
    smooth_C : float
        Savitzky-Golay window in K for the slope (``method="tangent"``).
    method : {"fit", "tangent"}
        ``"fit"`` (default, robust to noise and curved baselines): least-squares fit (lmfit) of
        a quadratic glass line plus an error-function step whose liquid line may have another
        slope; the E1356 construction is then applied to the fitted step: inflection = midpoint
        = centre, onset/endset = centre ∓ σ·sqrt(2π)/2, ΔCp = height / rate, uncertainties from
        the fit covariance. ``"tangent"``: the construction on the smoothed data, with straight
        lines fitted to the outer 15-25 % of the window.

    Returns
    -------
    GlassTransition
        ``onset_C``, ``midpoint_C``, ``inflection_C``, ``endset_C``, ``delta_cp_J_gK``.
    """
    T, y, _, rate = _window(trace, segment, window_C)
    q = abs(rate_K_min if rate_K_min is not None else rate)
    if q < 1e-6:
        raise AnalysisError("scan rate is zero in the window (isothermal)")
    if method == "fit":
        vals_f, errs, ok, _ = _fit_step(T, y)
        if not ok:
            raise AnalysisError(f"{trace.source}: the step fit did not converge in {window_C} °C")
        c, sig, h = vals_f
        _require_endothermic(trace, window_C, h, rate)
        ec, es, eh = errs
        half = sig * np.sqrt(2 * np.pi) / 2
        rate_s = q / 60.0
        return GlassTransition(
            onset_C=Measured(c - half, float(np.hypot(ec, es * np.sqrt(2 * np.pi) / 2)), "°C"),
            midpoint_C=Measured(c, float(ec), "°C"),
            inflection_C=Measured(c, float(ec), "°C"),
            endset_C=Measured(c + half, float(np.hypot(ec, es * np.sqrt(2 * np.pi) / 2)), "°C"),
            delta_cp_J_gK=Measured(abs(h) / rate_s, float(eh) / rate_s, "J/(g K)"),
            step_W_g=float(h),
            rate_K_min=float(q if rate >= 0 else -q),
            window_C=(float(T[0]), float(T[-1])),
        )
    if method != "tangent":
        raise ValueError(f"method must be 'fit' or 'tangent', got {method!r}")
    ys = _smooth(T, y, smooth_C)
    vals = np.array([_construct(T, ys, f) for f in _FRACTIONS])
    best = vals[1]
    sd = vals.std(axis=0)
    res = float(np.median(np.diff(T))) / 2
    _require_endothermic(trace, window_C, best[4], rate)
    dcp = best[4] / (q / 60.0)
    dcp_err = float(sd[4] / (q / 60.0))
    noise = float(np.std(y - ys))
    dcp_err = max(dcp_err, noise / np.sqrt(max(int(0.2 * len(T)), 5)) / (q / 60.0))
    return GlassTransition(
        onset_C=Measured(best[0], max(sd[0], res), "°C"),
        midpoint_C=Measured(best[1], max(sd[1], res), "°C"),
        inflection_C=Measured(best[2], max(sd[2], res), "°C"),
        endset_C=Measured(best[3], max(sd[3], res), "°C"),
        delta_cp_J_gK=Measured(abs(dcp), dcp_err, "J/(g K)"),
        step_W_g=float(best[4]),
        rate_K_min=float(q if rate >= 0 else -q),
        window_C=(float(T[0]), float(T[-1])),
    )


def _area_match(T: np.ndarray, y: np.ndarray, frac: float) -> float:
    g, liq = _lines(T, y, frac)
    gl = np.polyval(g, T)
    diff_line = np.polyval(liq, T) - gl
    total = float(trapezoid(y - gl, T))
    T2 = T[-1]

    def f(tf: float) -> float:
        grid = np.linspace(tf, T2, 200)
        return float(trapezoid(np.polyval(liq, grid) - np.polyval(g, grid), grid)) - total

    del diff_line
    try:
        return float(brentq(f, T[0], T2))
    except ValueError as exc:
        raise AnalysisError("area matching has no solution in the window") from exc


def fictive_temperature(
    trace: Thermogram,
    *,
    window_C: tuple[float, float],
    segment: Segment | None = None,
    smooth_C: float = 1.0,
) -> FictiveTemperature:
    """Fictive temperature of the glass from a heating scan (Moynihan area matching).

    The glass and liquid lines are straight lines fitted to the outer 15, 20 and 25 % of the
    window; Tf is the area-matching solution with the 20 % lines and its uncertainty the spread
    over the three (at least half a temperature step). The window must reach well into the glass
    below, *below any sub-Tg relaxation of a fast-cooled glass*, and into the liquid above the
    enthalpy-recovery overshoot: a glass line taken where the glass already relaxes biases Tf.

    A fitted error-function step is not used here: it cannot represent the overshoot, and its
    lines then place Tf near the midpoint whatever the thermal history (checked against TNM
    scans in ``tests/models/test_model_vs_thermal.py``).

    References
    ----------
    .. [1] Moynihan et al., J. Am. Ceram. Soc. 59, 12 (1976).
    """
    T, y, _, _ = _window(trace, segment, window_C)
    ys = _smooth(T, y, smooth_C)
    vals = np.array([_area_match(T, ys, f) for f in _FRACTIONS])
    res = float(np.median(np.diff(T))) / 2
    return FictiveTemperature(
        fictive_C=Measured(float(vals[1]), max(float(vals.std()), res), "°C"),
        window_C=(float(T[0]), float(T[-1])),
    )
