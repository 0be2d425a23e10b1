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

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from scipy.integrate import trapezoid
from scipy.optimize import brentq
from scipy.signal import savgol_filter

from mofglass.errors import AnalysisError
from mofglass.results import Measured, Result
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

R_GAS = 8.314462618  # J/(mol K)
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


@dataclass(frozen=True)
class Fragility(Result):
    """Kinetic fragility from the rate dependence of Tf or Tg."""

    fragility_m: Measured
    activation_enthalpy_kJ_mol: Measured
    tg_reference_C: Measured
    reference_rate_K_min: float
    r_squared: float
    n_rates: int
    method: ClassVar[str] = "m = -dlog10|q|/d(Tg/Tf) at Tf = Tg (Böhmer 1993; Yue 2008)"


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
    """lmfit fit of :func:`_step_model` to a window (glass line, erf step, liquid line).

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


def fragility(
    rates_K_min: Sequence[float],
    temperatures_C: Sequence[Measured | float],
    *,
    reference_rate_K_min: float = 10.0,
) -> Fragility:
    """Fragility index m from Tf (or Tg) at several cooling or heating rates.

    Fits ``log10|q| = a + s / Tf`` (weighted by the Tf uncertainties when given) and returns
    ``m = -s / Tg`` with ``Tg = Tf(q_ref)``, and ``ΔH* = -ln(10) R s``; uncertainties from the
    fit covariance by linear propagation.

    Parameters
    ----------
    rates_K_min : sequence of float
        Scan rates (sign ignored).
    temperatures_C : sequence of Measured or float
        Tf or Tg at those rates, in °C.
    reference_rate_K_min : float
        Rate at which Tg is defined (10 K/min by convention).

    References
    ----------
    .. [1] Böhmer et al., J. Chem. Phys. 99, 4201 (1993); Moynihan et al. (1976).
    """
    q = np.abs(np.asarray(rates_K_min, dtype=float))
    if len(q) < 2 or len(np.unique(q)) < 2:
        raise AnalysisError("fragility needs at least two different rates")
    Tm = [x if isinstance(x, Measured) else Measured(float(x), None, "°C") for x in temperatures_C]
    TK = np.array([m.value for m in Tm]) + 273.15
    sT = np.array([m.stderr if m.stderr else np.nan for m in Tm])
    x = 1.0 / TK
    yv = np.log10(q)
    if np.all(np.isfinite(sT)) and np.all(sT > 0):
        # error in x mapped to y through the slope of a first unweighted fit
        s0 = np.polyfit(x, yv, 1)[0]
        sy = np.abs(s0) * sT / TK**2
        w = 1.0 / sy
    else:
        w = None
    if len(q) > 2:
        coef, cov = np.polyfit(x, yv, 1, w=w, cov="unscaled" if w is not None else True)
        if w is not None:
            resid = yv - np.polyval(coef, x)
            chi2 = float(np.sum((resid * w) ** 2) / (len(q) - 2))
            cov = cov * max(chi2, 1.0)
    else:
        coef = np.polyfit(x, yv, 1)
        if w is None:
            cov = np.zeros((2, 2))
        else:
            J = np.array([[x[0], 1.0], [x[1], 1.0]])
            Jinv = np.linalg.inv(J)
            cov = Jinv @ np.diag((1 / w) ** 2) @ Jinv.T
    s, a = float(coef[0]), float(coef[1])
    xg = (np.log10(reference_rate_K_min) - a) / s
    tg = 1.0 / xg
    m = -s * xg
    # m = -s * (log10 qref - a) / s = a - log10(qref) exactly; Tg = s / (log10 qref - a)
    L = np.log10(reference_rate_K_min)
    var_a, var_s, cov_as = float(cov[1, 1]), float(cov[0, 0]), float(cov[0, 1])
    m_err = np.sqrt(max(var_a, 0.0))
    dtg_ds = 1.0 / (L - a)
    dtg_da = s / (L - a) ** 2
    tg_err = np.sqrt(max(dtg_ds**2 * var_s + dtg_da**2 * var_a + 2 * dtg_ds * dtg_da * cov_as, 0.0))
    dh = -np.log(10) * R_GAS * s / 1000.0
    dh_err = np.log(10) * R_GAS * np.sqrt(max(var_s, 0.0)) / 1000.0
    pred = np.polyval(coef, x)
    ss_res = float(np.sum((yv - pred) ** 2))
    ss_tot = float(np.sum((yv - yv.mean()) ** 2))
    return Fragility(
        fragility_m=Measured(float(m), float(m_err) if len(q) > 2 or w is not None else None, ""),
        activation_enthalpy_kJ_mol=Measured(float(dh), float(dh_err), "kJ/mol"),
        tg_reference_C=Measured(float(tg - 273.15), float(tg_err), "°C"),
        reference_rate_K_min=float(reference_rate_K_min),
        r_squared=1.0 - ss_res / ss_tot if ss_tot > 0 else 1.0,
        n_rates=len(q),
    )
