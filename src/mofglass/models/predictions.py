"""Predictions of a calibrated crystallisation model, with uncertainties.

The calibration's parameter covariance (:class:`~mofglass.models.calibration.Calibration`) is
propagated by sampling: parameter sets are drawn from the multivariate normal of the fit
coordinates (log10 of rate parameters) and each prediction is repeated on them; the interval is
read from the percentiles [1]_. Diagrams:

- time-temperature-transformation (TTT): isothermal hold after an instantaneous quench from the
  melt; with constant nucleation rate I and growth rate U the extended volume is
  X_ext = (π/3) I U³ t⁴ + (4π/3) N_s U³ t³ (Avrami [2]_), and X = X∞ [1 − exp(−X_ext)] is
  solved for t in closed form (no seeds) or by bracketing (with seeds);
- continuous-cooling-transformation (CCT): the temperature at which X reaches a given fraction
  during linear cooling from the melt, for a set of rates.

References
----------
.. [1] JCGM 101:2008, Evaluation of measurement data — Supplement 1: propagation of
       distributions using a Monte Carlo method.
.. [2] M. Avrami, J. Chem. Phys. 8 (1940) 212; D. R. Uhlmann, J. Non-Cryst. Solids 7 (1972) 337.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np
from scipy.optimize import brentq

from mofglass._renamed import renamed_attribute, renamed_keywords
from mofglass.models.calibration import Calibration
from mofglass.models.crystallisation import (
    CrystallisationParameters,
    critical_cooling_rate_K_min,
    simulate_crystallisation,
)
from mofglass.models.program import TemperatureProgram

__all__ = [
    "HeatTreatment",
    "Interval",
    "TransformationDiagram",
    "cct_diagram",
    "critical_cooling_rate_interval",
    "heat_treatment",
    "parameter_samples",
    "ttt_diagram",
]


@dataclass(frozen=True)
class Interval:
    """A prediction with its confidence interval.

    Attributes
    ----------
    value : float
        The prediction of the best-fit parameters.
    low, high : float
        Percentile bounds of the sampled predictions at ``level``.
    level : float
        Confidence level (0.95 for a 95 % interval).
    n_samples : int
        Parameter sets drawn (those whose prediction was finite count in the percentiles).
    unit : str
        Unit of the three numbers.
    """

    value: float
    low: float
    high: float
    level: float
    n_samples: int
    unit: str

    def __str__(self) -> str:
        pct = round(100 * self.level)
        return f"{self.value:.3g} {self.unit} ({pct} % interval {self.low:.3g}-{self.high:.3g})"


def parameter_samples(
    calibration: Calibration, *, n_samples: int = 64, seed: int = 0
) -> list[CrystallisationParameters]:
    """Parameter sets drawn from the calibration's covariance (fit coordinates).

    Raises
    ------
    ValueError
        If the calibration has no finite covariance (parameters not identifiable).
    """
    cov = calibration.covariance
    if cov.size == 0 or not np.all(np.isfinite(cov)):
        raise ValueError(
            "the calibration has no finite covariance (some parameters are not identifiable): "
            "no uncertainty can be propagated"
        )
    rng = np.random.default_rng(seed)
    draws = rng.multivariate_normal(np.asarray(calibration.values), cov, size=n_samples)
    out = []
    for row in draws:
        kw = {}
        for name, coord, v in zip(calibration.free, calibration.coordinates, row, strict=True):
            val = 10.0**v if coord.startswith("log10(") else v
            if name == "max_fraction":
                val = min(max(val, 1e-3), 1.0)
            if name == "decoupling_exponent":
                val = max(val, 0.0)
            kw[name] = float(val)
        out.append(replace(calibration.parameters, **kw))
    return out


def _interval(
    calibration: Calibration,
    func: Callable[[CrystallisationParameters], float],
    *,
    level: float,
    n_samples: int,
    seed: int,
    unit: str,
) -> Interval:
    value = func(calibration.parameters)
    vals = np.array(
        [func(p) for p in parameter_samples(calibration, n_samples=n_samples, seed=seed)]
    )
    vals = vals[np.isfinite(vals)]
    if vals.size < max(8, n_samples // 2):
        return Interval(value, math.nan, math.nan, level, n_samples, unit)
    lo, hi = np.percentile(vals, [50 * (1 - level), 50 * (1 + level)])
    return Interval(value, float(lo), float(hi), level, n_samples, unit)


def critical_cooling_rate_interval(
    calibration: Calibration,
    *,
    threshold_fraction: float = 0.01,
    level: float = 0.95,
    n_samples: int = 64,
    seed: int = 0,
) -> Interval:
    """Critical cooling rate (K/min) for X < ``threshold_fraction`` with its interval.

    Sampled on a log scale: rates of the draws are combined as they are (percentiles do not
    depend on the scale).
    """
    return _interval(
        calibration,
        lambda p: critical_cooling_rate_K_min(p, threshold_fraction=threshold_fraction),
        level=level,
        n_samples=n_samples,
        seed=seed,
        unit="K/min",
    )


@dataclass(frozen=True)
class HeatTreatment:
    """Crystallinity and crystallite size after a programme.

    Attributes
    ----------
    fraction : Interval
        Crystallised fraction at the end (dimensionless).
    diameter_nm : Interval
        Mean crystallite diameter at the end, nm (NaN if nothing crystallised).
    """

    fraction: Interval
    diameter_nm: Interval


def heat_treatment(
    calibration: Calibration,
    program: TemperatureProgram,
    *,
    level: float = 0.95,
    n_samples: int = 64,
    seed: int = 0,
) -> HeatTreatment:
    """Glass-ceramic crystallinity and crystallite size for a proposed heat treatment."""

    def frac(p: CrystallisationParameters) -> float:
        return simulate_crystallisation(p, program).final_fraction

    def size(p: CrystallisationParameters) -> float:
        return simulate_crystallisation(p, program).mean_grain_diameter_nm

    return HeatTreatment(
        fraction=_interval(calibration, frac, level=level, n_samples=n_samples, seed=seed, unit=""),
        diameter_nm=_interval(
            calibration, size, level=level, n_samples=n_samples, seed=seed, unit="nm"
        ),
    )


@dataclass(frozen=True)
class TransformationDiagram:
    """A TTT or CCT diagram.

    Attributes
    ----------
    kind : str
        ``"TTT"`` (isothermal) or ``"CCT"`` (continuous cooling).
    fractions : tuple of float
        The crystallised fractions of the curves.
    temperature_C : ndarray
        TTT: hold temperatures; CCT: shape (n_fractions, n_rates), the temperature where each
        fraction is reached (NaN: not reached).
    time_min : ndarray
        TTT: shape (n_fractions, n_temperatures), the hold time to reach each fraction (inf: not
        reached); CCT: the time from the melt at which it is reached.
    cooling_rate_K_min : ndarray
        CCT only: the rates (empty for TTT).
    """

    kind: str
    fractions: tuple[float, ...]
    temperature_C: np.ndarray
    time_min: np.ndarray
    cooling_rate_K_min: np.ndarray

    cooling_rate_C_min = renamed_attribute("cooling_rate_C_min", "cooling_rate_K_min")

    def nose(self, fraction_index: int = 0) -> tuple[float, float]:
        """(temperature °C, time min) of the shortest time of a TTT curve (its "nose")."""
        if self.kind != "TTT":
            raise ValueError("the nose is defined for a TTT diagram")
        t = self.time_min[fraction_index]
        k = int(np.nanargmin(np.where(np.isfinite(t), t, np.nan)))
        return float(self.temperature_C[k]), float(t[k])


def _isothermal_time_s(i: float, u: float, seeds: float, x_ext: float) -> float:
    if u <= 0 or (i <= 0 and seeds <= 0):
        return math.inf
    if seeds <= 0:  # in logs: I U³ underflows far below the nose
        return math.exp(0.25 * (math.log(3.0 * x_ext / math.pi) - math.log(i) - 3 * math.log(u)))

    def f(t: float) -> float:
        return (math.pi / 3) * i * u**3 * t**4 + (4 * math.pi / 3) * seeds * u**3 * t**3 - x_ext

    hi = 1.0
    while f(hi) < 0:
        hi *= 10.0
        if hi > 1e30:
            return math.inf
    return float(brentq(f, 0.0, hi, rtol=1e-12))


def ttt_diagram(
    params: CrystallisationParameters,
    *,
    fractions: Sequence[float] = (0.01,),
    temperatures_C: Sequence[float] | None = None,
) -> TransformationDiagram:
    """Time-temperature-transformation curves (isothermal holds after an instant quench)."""
    temps = (
        np.linspace(params.tg_C, params.tm_C - 1.0, 120)
        if temperatures_C is None
        else np.asarray(temperatures_C, dtype=float)
    )
    rate_i = params.nucleation_rate_m3_s(temps)
    rate_u = params.growth_rate_m_s(temps)
    times = np.full((len(fractions), temps.size), math.inf)
    for k, x in enumerate(fractions):
        if not 0 < x < params.max_fraction:
            continue  # never reached: stays inf
        x_ext = -math.log(1.0 - x / params.max_fraction)
        for j in range(temps.size):
            times[k, j] = (
                _isothermal_time_s(float(rate_i[j]), float(rate_u[j]), params.seeds_per_m3, x_ext)
                / 60.0
            )
    return TransformationDiagram("TTT", tuple(fractions), temps, times, np.array([]))


@renamed_keywords(cooling_rates_C_min="cooling_rates_K_min")
def cct_diagram(
    params: CrystallisationParameters,
    *,
    cooling_rates_K_min: Sequence[float],
    fractions: Sequence[float] = (0.01,),
    end_C: float | None = None,
) -> TransformationDiagram:
    """Continuous-cooling-transformation curves: where X reaches each fraction on cooling."""
    rates = np.asarray(cooling_rates_K_min, dtype=float)
    if np.any(rates <= 0):
        raise ValueError("cooling rates are positive numbers of K/min")
    end = params.tg_C - 50.0 if end_C is None else end_C
    temps = np.full((len(fractions), rates.size), math.nan)
    times = np.full((len(fractions), rates.size), math.nan)
    for j, q in enumerate(rates):
        tr = simulate_crystallisation(
            params, TemperatureProgram.linear(params.tm_C + 1.0, end, float(q))
        )
        for k, x in enumerate(fractions):
            hit = np.flatnonzero(tr.fraction >= x)
            if hit.size:
                temps[k, j] = tr.temperature_C[hit[0]]
                times[k, j] = tr.time_min[hit[0]]
    return TransformationDiagram("CCT", tuple(fractions), temps, times, rates)
