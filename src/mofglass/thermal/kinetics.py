"""Kinetics beyond the paper: Kissinger, Ozawa-Flynn-Wall, JMAK (Avrami).

Follows the ICTAC Kinetics Committee recommendations [1]_: Kissinger from the peak temperatures
at several heating rates (``ln(β/Tp²) = const - Ea/(R Tp)``) [2]_; the isoconversional
Ozawa-Flynn-Wall method with Doyle's approximation (``ln β = const - 1.052 Ea/(R Tα)``) at each
conversion α [3]_; the JMAK (Avrami) law ``α = 1 - exp(-(k t)^n)`` fitted by least squares
(lmfit) to a conversion curve [4]_. Conversions come from partial peak areas (DSC) or from the
mass (TG).

References
----------
.. [1] S. Vyazovkin et al., ICTAC Kinetics Committee recommendations for performing kinetic
   computations on thermal analysis data, Thermochim. Acta 520, 1 (2011).
.. [2] H. E. Kissinger, Anal. Chem. 29, 1702 (1957).
.. [3] T. Ozawa, Bull. Chem. Soc. Jpn. 38, 1881 (1965); J. H. Flynn, L. A. Wall, J. Polym. Sci. B
   4, 323 (1966); C. D. Doyle, J. Appl. Polym. Sci. 6, 639 (1962).
.. [4] M. Avrami, J. Chem. Phys. 7, 1103 (1939); 8, 212 (1940); 9, 177 (1941).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from scipy.integrate import cumulative_trapezoid

from mofglass.errors import AnalysisError
from mofglass.results import Measured, Result
from mofglass.thermal.events import ThermalEvent
from mofglass.thermal.segments import Segment
from mofglass.thermal.thermogram import Thermogram
from mofglass.units import R_GAS, ZERO_CELSIUS_K

__all__ = [
    "Isoconversional",
    "JMAKFit",
    "KissingerResult",
    "conversion_from_mass",
    "conversion_from_peak",
    "jmak_fit",
    "kissinger",
    "ozawa_flynn_wall",
]


@dataclass(frozen=True)
class KissingerResult(Result):
    """Kissinger activation energy and pre-exponential factor."""

    activation_energy_kJ_mol: Measured
    ln_A_per_min: Measured
    r_squared: float
    n_rates: int
    method: ClassVar[str] = "Kissinger 1957 (ICTAC 2011)"


@dataclass(frozen=True)
class Isoconversional(Result):
    """Activation energy against conversion (Ozawa-Flynn-Wall)."""

    alpha: tuple[float, ...]
    activation_energy_kJ_mol: tuple[Measured, ...]
    r_squared: tuple[float, ...]
    mean_activation_energy_kJ_mol: Measured
    method: ClassVar[str] = "Ozawa-Flynn-Wall with Doyle's approximation (ICTAC 2011)"


@dataclass(frozen=True)
class JMAKFit(Result):
    """Avrami exponent and rate constant of a conversion curve."""

    avrami_n: Measured
    rate_k_per_s: Measured
    half_time_s: Measured
    r_squared: float
    converged: bool
    method: ClassVar[str] = "JMAK alpha = 1 - exp(-(k t)^n), lmfit least squares"


def _linfit(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float, float, float]:
    """Slope, intercept, their standard errors and R² of an ordinary least-squares line."""
    n = len(x)
    coef, cov = np.polyfit(x, y, 1, cov=True) if n > 2 else (np.polyfit(x, y, 1), np.zeros((2, 2)))
    pred = np.polyval(coef, x)
    ss_tot = float(np.sum((y - y.mean()) ** 2))
    r2 = 1.0 - float(np.sum((y - pred) ** 2)) / ss_tot if ss_tot > 0 else 1.0
    return float(coef[0]), float(coef[1]), float(np.sqrt(cov[0, 0])), float(np.sqrt(cov[1, 1])), r2


def kissinger(
    peak_temperatures_C: Sequence[float], heating_rates_K_min: Sequence[float]
) -> KissingerResult:
    """Activation energy from the shift of a peak with heating rate (Kissinger).

    Parameters
    ----------
    peak_temperatures_C : sequence of float
        Peak temperatures (DSC peak or DTG extremum) in °C.
    heating_rates_K_min : sequence of float
        The heating rates in K/min.

    Returns
    -------
    KissingerResult
        ``Ea = -R * slope`` of ln(β/Tp²) against 1/Tp; ``ln A = intercept + ln(Ea/R)`` (A in 1/min).
    """
    Tp = np.asarray(peak_temperatures_C, float) + ZERO_CELSIUS_K
    b = np.asarray(heating_rates_K_min, float)
    if len(Tp) != len(b) or len(Tp) < 2:
        raise AnalysisError("Kissinger needs at least two (peak temperature, rate) pairs")
    if np.any(b <= 0):
        raise AnalysisError("heating rates must be positive")
    s, c, es, ec, r2 = _linfit(1.0 / Tp, np.log(b / Tp**2))
    ea = -R_GAS * s
    return KissingerResult(
        activation_energy_kJ_mol=Measured(ea / 1000.0, R_GAS * es / 1000.0, "kJ/mol"),
        ln_A_per_min=Measured(c + np.log(ea / R_GAS), float(np.hypot(ec, es / abs(s))), ""),
        r_squared=r2,
        n_rates=len(Tp),
    )


def ozawa_flynn_wall(
    temperatures_C: Sequence[np.ndarray],
    conversions: Sequence[np.ndarray],
    heating_rates_K_min: Sequence[float],
    *,
    alpha: Sequence[float] = tuple(np.round(np.arange(0.1, 0.91, 0.1), 2)),
) -> Isoconversional:
    """Isoconversional activation energy Ea(α) by Ozawa-Flynn-Wall (Doyle approximation).

    For each α the temperature Tα of every run is interpolated from its conversion curve; the
    slope of ln β against 1/Tα is ``-1.052 Ea/R``.
    """
    b = np.asarray(heating_rates_K_min, float)
    if len(b) < 3 or not (len(temperatures_C) == len(conversions) == len(b)):
        raise AnalysisError("OFW needs at least three runs with temperature, conversion and rate")
    eas: list[Measured] = []
    r2s: list[float] = []
    for a in alpha:
        Ta = []
        for T, c in zip(temperatures_C, conversions, strict=True):
            c = np.maximum.accumulate(np.asarray(c, float))
            idx = np.flatnonzero(c >= a)
            if idx.size == 0 or idx[0] == 0:
                raise AnalysisError(f"a conversion curve does not reach alpha = {a}")
            k = int(idx[0])
            Ta.append(float(np.interp(a, [c[k - 1], c[k]], [T[k - 1], T[k]])) + ZERO_CELSIUS_K)
        s, _, es, _, r2 = _linfit(1.0 / np.array(Ta), np.log(b))
        eas.append(Measured(-s * R_GAS / 1.052 / 1000.0, es * R_GAS / 1.052 / 1000.0, "kJ/mol"))
        r2s.append(r2)
    vals = np.array([e.value for e in eas])
    return Isoconversional(
        alpha=tuple(float(a) for a in alpha),
        activation_energy_kJ_mol=tuple(eas),
        r_squared=tuple(r2s),
        mean_activation_energy_kJ_mol=Measured(float(vals.mean()), float(vals.std()), "kJ/mol"),
    )


def conversion_from_mass(
    trace: Thermogram, *, segment: Segment | None = None, range_C: tuple[float, float]
) -> tuple[np.ndarray, np.ndarray]:
    """Conversion α(T) of a mass-loss step, ``(m_start - m) / (m_start - m_end)`` in ``range_C``."""
    if trace.mass_mg is None:
        raise AnalysisError(f"{trace.source}: no mass channel")
    sl = segment.slice() if segment is not None else slice(0, len(trace))
    T = trace.temperature_C[sl]
    m = np.asarray(trace.mass_mg[sl], float)
    sel = (T >= min(range_C)) & (T <= max(range_C))
    if sel.sum() < 10:
        raise AnalysisError("fewer than 10 points in the conversion range")
    Ts, ms = T[sel], m[sel]
    return Ts, np.clip((ms[0] - ms) / (ms[0] - ms[-1]), 0.0, 1.0)


def conversion_from_peak(
    trace: Thermogram, event: ThermalEvent, *, segment: Segment | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Conversion α(t) from partial areas of a DSC peak above a linear baseline.

    Returns time since the window start (s), temperature (°C) and α (0..1).
    """
    sl = segment.slice() if segment is not None else slice(0, len(trace))
    t = np.asarray(trace.time_s[sl], float)
    T = np.asarray(trace.temperature_C[sl], float)
    y = trace.endo_positive()[sl]
    lo, hi = min(event.window_C), max(event.window_C)
    idx = np.flatnonzero((T >= lo) & (T <= hi))
    i0, i1 = int(idx[0]), int(idx[-1])
    ts, ys = t[i0 : i1 + 1], y[i0 : i1 + 1]
    base = ys[0] + (ys[-1] - ys[0]) * (ts - ts[0]) / (ts[-1] - ts[0])
    area = cumulative_trapezoid(ys - base, ts, initial=0.0)
    alpha = np.clip(area / area[-1], 0.0, 1.0)
    return ts - ts[0], T[i0 : i1 + 1], alpha


def _jmak(t, k, n):
    return 1.0 - np.exp(-((k * np.clip(t, 0, None)) ** n))


def jmak_fit(
    time_s: np.ndarray,
    alpha: np.ndarray,
    *,
    alpha_range: tuple[float, float] = (0.0, 1.0),
    n_init: float = 2.0,
) -> JMAKFit:
    """Fit ``α = 1 - exp(-(k t)^n)`` (isothermal JMAK / Avrami) with lmfit.

    Points with ``t <= 0`` are dropped; ``alpha_range`` restricts the fit (e.g. 0.05-0.95).
    Uncertainties are lmfit's standard errors; the half time is ``(ln 2)^(1/n) / k``.
    """
    import lmfit

    t = np.asarray(time_s, float)
    a = np.asarray(alpha, float)
    sel = (t > 0) & (a >= alpha_range[0]) & (a <= alpha_range[1])
    t, a = t[sel], a[sel]
    if len(t) < 5:
        raise AnalysisError("JMAK fit needs at least 5 points")
    model = lmfit.Model(_jmak)
    params = model.make_params(k=1.0 / float(np.mean(t)), n=n_init)
    params["k"].set(min=0.0)
    params["n"].set(min=0.0, max=10.0)
    res = model.fit(a, params, t=t)
    k, n = res.params["k"], res.params["n"]
    ek = k.stderr if k.stderr is not None else float("nan")
    en = n.stderr if n.stderr is not None else float("nan")
    half = np.log(2.0) ** (1.0 / n.value) / k.value
    # propagate: d half/dk = -half/k ; d half/dn = -half * ln(ln2) / n^2
    eh = float(np.hypot(half / k.value * ek, half * np.log(np.log(2.0)) / n.value**2 * en))
    pred = res.best_fit
    ss_tot = float(np.sum((a - a.mean()) ** 2))
    r2 = 1.0 - float(np.sum((a - pred) ** 2)) / ss_tot if ss_tot > 0 else 1.0
    ok = bool(res.success and np.isfinite(ek) and np.isfinite(en))
    return JMAKFit(
        avrami_n=Measured(float(n.value), float(en) if np.isfinite(en) else None, ""),
        rate_k_per_s=Measured(float(k.value), float(ek) if np.isfinite(ek) else None, "1/s"),
        half_time_s=Measured(float(half), eh if np.isfinite(eh) else None, "s"),
        r_squared=r2,
        converged=ok,
    )
