"""Fit nucleation-and-growth parameters to what a study observed.

Observations are crystallised fractions after given temperature programmes (from DSC enthalpy
ratios or PXRD) and, optionally, the mean crystallite size at the end of a programme (from
Scherrer analysis). The fit is a least-squares problem in logit(X) and log(d), over the log10 of
the positive rate parameters, started from the best point of a coarse grid so that it does not
begin on a plateau where nothing crystallises (or everything does).

Note that the prefactors of nucleation (I0) and growth (f) only enter the fractions as I0 f³:
without a crystallite-size observation they cannot be separated, and :func:`calibrate` says so.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from scipy.optimize import least_squares

from mofglass.models.crystallisation import CrystallisationParameters, simulate_crystallisation
from mofglass.models.program import TemperatureProgram

__all__ = ["Calibration", "FractionObservation", "SizeObservation", "calibrate"]

#: parameters that may be fitted, with the transform used and the coarse grid searched
_FREE = {
    "nucleation_prefactor": ("log10", np.arange(10.0, 58.0, 4.0)),
    "nucleation_barrier": ("linear", np.array([0.1, 0.2, 0.4, 0.8, 1.6, 3.2])),
    "decoupling_exponent": ("linear", np.array([0.3, 0.5, 0.7, 0.9, 1.0])),
    "growth_site_fraction": ("log10", np.array([-6.0, -4.0, -2.0, 0.0, 2.0])),
    "seeds_per_m3": ("log10", np.array([10.0, 15.0, 20.0, 23.0])),
}


@dataclass(frozen=True)
class FractionObservation:
    """A crystallised fraction observed during or after a programme.

    Attributes
    ----------
    program : TemperatureProgram
        What the sample went through (from the melt or the glass).
    fraction : float
        Observed crystallised fraction (0 < X < 1; use e.g. 0.003 for "no Bragg peaks").
    at_temperature_C : float, optional
        Read the model at this temperature in the last segment (default: the end).
    label : str
        Where the observation comes from.
    """

    program: TemperatureProgram
    fraction: float
    at_temperature_C: float | None = None
    label: str = ""


@dataclass(frozen=True)
class SizeObservation:
    """Mean crystallite diameter (nm) at the end of a programme."""

    program: TemperatureProgram
    diameter_nm: float
    label: str = ""


@dataclass(frozen=True)
class Calibration:
    """Result of :func:`calibrate`.

    Attributes
    ----------
    parameters : CrystallisationParameters
        The fitted parameters.
    observed, predicted : tuple of float
        Each observation and the model's value for it (fractions, then sizes in nm).
    labels : tuple of str
        Observation labels.
    cost : float
        Half the sum of squared residuals (logit / log units).
    converged : bool
        Whether the optimiser reported success and the residuals are small (cost < 0.5).
    message : str
        Optimiser message and any identifiability warning.
    """

    parameters: CrystallisationParameters
    observed: tuple[float, ...]
    predicted: tuple[float, ...]
    labels: tuple[str, ...]
    cost: float
    converged: bool
    message: str


def _logit(x: np.ndarray) -> np.ndarray:
    x = np.clip(x, 1e-9, 1 - 1e-9)
    return np.log(x / (1 - x))


def _predict(
    params: CrystallisationParameters,
    fractions: Sequence[FractionObservation],
    sizes: Sequence[SizeObservation],
) -> tuple[np.ndarray, np.ndarray]:
    xs = []
    for ob in fractions:
        tr = simulate_crystallisation(params, ob.program)
        if ob.at_temperature_C is None:
            xs.append(tr.final_fraction)
        else:
            last = tr.segment == tr.segment[-1]
            T, X = tr.temperature_C[last], tr.fraction[last]
            order = np.argsort(T)
            xs.append(float(np.interp(ob.at_temperature_C, T[order], X[order])))
    ds = [simulate_crystallisation(params, ob.program).mean_grain_diameter_nm for ob in sizes]
    return np.array(xs), np.array(ds)


def calibrate(
    base: CrystallisationParameters,
    fractions: Sequence[FractionObservation],
    sizes: Sequence[SizeObservation] = (),
    *,
    free: Sequence[str] = ("nucleation_prefactor", "nucleation_barrier", "decoupling_exponent"),
) -> Calibration:
    """Fit the ``free`` parameters of ``base`` to the observations.

    Parameters
    ----------
    base : CrystallisationParameters
        Known values (Tm, Tg, ΔHm, m, ...) and starting values of the rest.
    fractions, sizes : sequences of observations
        What was observed.
    free : sequence of str
        Names of the parameters to fit (see ``_FREE``); at most as many as observations.
    """
    unknown = [f for f in free if f not in _FREE]
    if unknown:
        raise ValueError(f"cannot fit {unknown}; choose from {sorted(_FREE)}")
    n_obs = len(fractions) + len(sizes)
    if len(free) > n_obs:
        raise ValueError(f"{len(free)} free parameters but only {n_obs} observations")
    obs_x = np.array([o.fraction for o in fractions])
    obs_d = np.array([o.diameter_nm for o in sizes])

    def build(p: Sequence[float]) -> CrystallisationParameters:
        kw = {
            name: float(10.0**v if _FREE[name][0] == "log10" else v)
            for name, v in zip(free, p, strict=True)
        }
        return replace(base, **kw)

    def residuals(p: Sequence[float]) -> np.ndarray:
        x, d = _predict(build(p), fractions, sizes)
        d = np.where(np.isfinite(d) & (d > 0), d, 1e12)
        return np.concatenate([_logit(x) - _logit(obs_x), np.log(d / obs_d)])

    grid = itertools.product(*(_FREE[name][1] for name in free))
    start = min(grid, key=lambda p: float(np.sum(residuals(p) ** 2)))
    scale = [1.0 if _FREE[name][0] == "log10" else 0.1 for name in free]
    fit = least_squares(residuals, np.asarray(start, dtype=float), x_scale=scale, diff_step=1e-3)
    params = build(fit.x)
    x, d = _predict(params, fractions, sizes)
    message = fit.message
    if not sizes and {"nucleation_prefactor", "growth_site_fraction"} <= set(free):
        message += "; I0 and f only enter as I0*f^3 without a size observation: not identifiable"
    cost = float(fit.cost)
    return Calibration(
        parameters=params,
        observed=tuple(obs_x.tolist() + obs_d.tolist()),
        predicted=tuple(x.tolist() + d.tolist()),
        labels=tuple(o.label for o in fractions) + tuple(o.label for o in sizes),
        cost=cost,
        converged=bool(fit.success) and cost < 0.5 and math.isfinite(cost),
        message=message,
    )
