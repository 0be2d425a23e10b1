"""Fit nucleation-and-growth parameters to what a study observed.

Observations say what papers say: a crystallised fraction after a programme (from DSC enthalpy
ratios or PXRD), bounds on it ("no Bragg peaks after cooling at q": X <= 0.01; "partly
crystalline": 0.05 <= X <= 0.95), a window ("crystallisation occurs between T1 and T2"), a
saturation ("stops at X and stays there up to T"), a mean crystallite size (Scherrer), or a
whole measured conversion curve X(T) (partial areas of a DSC exotherm, see
:mod:`mofglass.models.observed`). Each expands into residual terms in logit(X) or log(d),
divided by the observation's stated uncertainty, so that the least-squares covariance gives
parameter uncertainties and correlations; bounds only count when they are violated.

The fit runs over the log10 of the positive rate parameters, started from the best point of a
coarse grid so that it does not begin on a plateau where nothing crystallises (or everything
does). The prefactors of nucleation (I0) and growth (f) only enter the fractions as I0 f³:
without a crystallite-size observation they cannot be separated, and :func:`calibrate` says so.

References
----------
.. [1] D. R. Uhlmann, J. Non-Cryst. Solids 7 (1972) 337 (kinetic treatment of glass formation).
.. [2] P. R. Bevington, D. K. Robinson, Data Reduction and Error Analysis, 3rd ed. (2003),
       ch. 8 (parameter covariance from the curvature matrix).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np
from scipy.optimize import least_squares

from mofglass.models.crystallisation import (
    CrystallisationParameters,
    CrystallisationTrace,
    simulate_crystallisation,
)
from mofglass.models.program import TemperatureProgram

__all__ = [
    "Calibration",
    "ConversionCurveObservation",
    "FractionBound",
    "FractionObservation",
    "ObservationCheck",
    "SaturationObservation",
    "SizeObservation",
    "WindowObservation",
    "calibrate",
]

#: parameters that may be fitted, with the transform used and the coarse grid searched
_FREE = {
    "nucleation_prefactor": ("log10", np.arange(10.0, 58.0, 4.0)),
    "nucleation_barrier": ("linear", np.array([0.1, 0.2, 0.4, 0.8, 1.6, 3.2])),
    "decoupling_exponent": ("linear", np.array([0.3, 0.5, 0.7, 0.9, 1.0])),
    "growth_site_fraction": ("log10", np.array([-6.0, -4.0, -2.0, 0.0, 2.0])),
    "seeds_per_m3": ("log10", np.array([10.0, 15.0, 20.0, 23.0])),
    "max_fraction": ("linear", np.array([0.6, 1.0])),
}
_BOUNDS = {"decoupling_exponent": (0.0, 2.0), "max_fraction": (0.01, 1.0)}

Kind = Literal["equal", "at_most", "at_least"]


@dataclass(frozen=True)
class _Term:
    """One residual term: the model's X (or d) on ``program`` at ``at_C`` against a target."""

    program: TemperatureProgram
    at_C: float | None
    quantity: Literal["fraction", "size_nm", "fraction_ratio"]
    target: float
    kind: Kind
    sigma: float
    ref_C: float | None = None  # for "fraction_ratio": X(at_C) / X(ref_C)


@dataclass(frozen=True)
class FractionObservation:
    """A crystallised fraction observed during or after a programme.

    Attributes
    ----------
    program : TemperatureProgram
        What the sample went through (from the melt or the glass).
    fraction : float
        Observed crystallised fraction (0 < X < 1).
    at_temperature_C : float, optional
        Read the model at this temperature in the last segment (default: the end).
    label : str
        Where the observation comes from.
    sigma_logit : float
        Uncertainty of the observation in logit(X) (0.2 is about ±5 % relative near X = 0.5).
    """

    program: TemperatureProgram
    fraction: float
    at_temperature_C: float | None = None
    label: str = ""
    sigma_logit: float = 0.2

    def terms(self) -> list[_Term]:
        """Return the misfit term of the observed fraction (logit scale)."""
        return [
            _Term(
                self.program,
                self.at_temperature_C,
                "fraction",
                self.fraction,
                "equal",
                self.sigma_logit,
            )
        ]


@dataclass(frozen=True)
class FractionBound:
    """A bound on the crystallised fraction.

    "No Bragg peaks" is ``at_most=0.01``, "partly crystalline" ``at_least=0.05, at_most=0.95``.

    A bound adds to the misfit only where the model violates it.
    """

    program: TemperatureProgram
    at_most: float | None = None
    at_least: float | None = None
    at_temperature_C: float | None = None
    label: str = ""
    sigma_logit: float = 0.2

    def __post_init__(self) -> None:
        if self.at_most is None and self.at_least is None:
            raise ValueError("a FractionBound needs at_most, at_least or both")

    def terms(self) -> list[_Term]:
        """Return the one-sided misfit terms of the bounds that are given."""
        out = []
        if self.at_most is not None:
            out.append(
                _Term(
                    self.program,
                    self.at_temperature_C,
                    "fraction",
                    self.at_most,
                    "at_most",
                    self.sigma_logit,
                )
            )
        if self.at_least is not None:
            out.append(
                _Term(
                    self.program,
                    self.at_temperature_C,
                    "fraction",
                    self.at_least,
                    "at_least",
                    self.sigma_logit,
                )
            )
        return out


@dataclass(frozen=True)
class WindowObservation:
    """An observed crystallisation window: "it crystallises between T1 and T2".

    On the last (heating) segment of the programme.

    Expressed as X(T1) <= ``edge`` · X(T2) and X(T2) >= (1 − ``edge``) · max X on the segment,
    i.e. at most ``edge`` of the conversion happens before T1 and after T2.
    """

    program: TemperatureProgram
    start_C: float
    end_C: float
    edge: float = 0.05
    label: str = ""
    sigma_logit: float = 0.2

    def terms(self) -> list[_Term]:
        """Return the misfit terms of the window edges (one-sided, see the class docstring)."""
        if not self.start_C < self.end_C:
            raise ValueError(f"window start {self.start_C} °C is not below its end {self.end_C} °C")
        return [
            _Term(
                self.program,
                self.start_C,
                "fraction_ratio",
                self.edge,
                "at_most",
                self.sigma_logit,
                ref_C=self.end_C,
            ),
            _Term(
                self.program,
                self.end_C,
                "fraction_ratio",
                1.0 - self.edge,
                "at_least",
                self.sigma_logit,
                ref_C=None,
            ),
        ]


@dataclass(frozen=True)
class SaturationObservation:
    """An observed saturation: "crystallisation stops at X".

    The fraction reached by ``from_C`` is X and it does not grow further up to ``to_C`` (both on the last segment; ``to_C`` e.g. where the paper says
    the glass-ceramic is stable, or just below melting).
    """

    program: TemperatureProgram
    fraction: float
    from_C: float
    to_C: float
    label: str = ""
    sigma_logit: float = 0.2

    def terms(self) -> list[_Term]:
        """Return the misfit terms: X at ``from_C`` and at ``to_C`` equal to the fraction."""
        return [
            _Term(self.program, self.from_C, "fraction", self.fraction, "equal", self.sigma_logit),
            _Term(self.program, self.to_C, "fraction", self.fraction, "equal", self.sigma_logit),
        ]


@dataclass(frozen=True)
class SizeObservation:
    """Mean crystallite diameter (nm) at the end of a programme (uncertainty in log d)."""

    program: TemperatureProgram
    diameter_nm: float
    label: str = ""
    sigma_log: float = 0.05

    def terms(self) -> list[_Term]:
        """Return the misfit term of the crystallite size (log scale)."""
        return [_Term(self.program, None, "size_nm", self.diameter_nm, "equal", self.sigma_log)]


@dataclass(frozen=True)
class ConversionCurveObservation:
    """A measured conversion curve X(T) on the last segment of ``program``, fitted pointwise.

    E.g. the partial areas of a cold-crystallisation exotherm divided by ΔHm.

    ``sigma`` is the uncertainty of X itself (not logit), typically the baseline uncertainty
    of the partial area over ΔHm.
    """

    program: TemperatureProgram
    temperature_C: np.ndarray
    fraction: np.ndarray
    sigma: float = 0.02
    label: str = ""

    def terms(self) -> list[_Term]:
        """Return the misfit terms: one per measured point of the curve."""
        return [
            _Term(self.program, float(t), "fraction", float(x), "equal", self.sigma)
            for t, x in zip(self.temperature_C, self.fraction, strict=True)
        ]


Observation = (
    FractionObservation
    | FractionBound
    | WindowObservation
    | SaturationObservation
    | SizeObservation
    | ConversionCurveObservation
)


@dataclass(frozen=True)
class ObservationCheck:
    """One observation beside the model's value after the fit.

    ``observed`` and ``model`` are display strings (a bound reads ``"<= 0.01"``); ``satisfied``
    says whether every term of the observation is within 2 sigma (bounds: not violated).
    """

    label: str
    observed: str
    model: str
    satisfied: bool


@dataclass(frozen=True)
class Calibration:
    """Result of :func:`calibrate`.

    Attributes
    ----------
    parameters : CrystallisationParameters
        The fitted parameters.
    free : tuple of str
        Names of the fitted parameters.
    values, standard_errors : tuple of float
        Fitted values of ``free`` in the fit's coordinates (log10 for rate parameters, as named
        in ``coordinates``) and their standard uncertainties (NaN where not identifiable).
    coordinates : tuple of str
        ``"log10(name)"`` or ``"name"`` for each free parameter.
    correlation : ndarray
        Correlation matrix of the free parameters (NaN where not identifiable).
    checks : tuple of ObservationCheck
        Every observation beside the model's value.
    observed, predicted, labels : tuple
        Point observations (fractions, sizes) and the model's values, kept for tables.
    cost : float
        Half the sum of squared weighted residuals.
    converged : bool
        The optimiser reported success and every observation is satisfied.
    message : str
        Optimiser message and any identifiability warning.
    """

    parameters: CrystallisationParameters
    free: tuple[str, ...]
    values: tuple[float, ...]
    standard_errors: tuple[float, ...]
    coordinates: tuple[str, ...]
    correlation: np.ndarray
    checks: tuple[ObservationCheck, ...]
    observed: tuple[float, ...]
    predicted: tuple[float, ...]
    labels: tuple[str, ...]
    cost: float
    converged: bool
    message: str
    covariance: np.ndarray = field(repr=False, default_factory=lambda: np.zeros((0, 0)))
    at_bound: tuple[str, ...] = ()

    def rows(self) -> list[dict[str, object]]:
        """Fitted parameters as table rows (name, coordinate, value, standard error)."""
        return [
            {"parameter": n, "coordinate": c, "value": v, "standard_error": s}
            for n, c, v, s in zip(
                self.free, self.coordinates, self.values, self.standard_errors, strict=True
            )
        ]

    def report(self) -> str:
        """Plain-text summary: parameters with uncertainties, then observation vs model."""
        lines = [f"calibration: {'converged' if self.converged else 'NOT converged'}"]
        for r in self.rows():
            lines.append(f"  {r['coordinate']} = {r['value']:.4g} ± {r['standard_error']:.2g}")
        for c in self.checks:
            flag = "ok" if c.satisfied else "MISSED"
            lines.append(f"  [{flag}] {c.label}: observed {c.observed}, model {c.model}")
        lines.append(f"  {self.message}")
        return "\n".join(lines)


def _logit(x: np.ndarray | float) -> np.ndarray:
    x = np.clip(x, 1e-9, 1 - 1e-9)
    return np.log(x / (1 - x))


class _Evaluator:
    """Simulates each distinct programme once per parameter set and reads the terms off it."""

    def __init__(self, terms: Sequence[_Term]) -> None:
        self.terms = list(terms)
        self.programs: list[TemperatureProgram] = []
        self.index: list[int] = []
        for t in self.terms:
            for k, p in enumerate(self.programs):
                if p == t.program:
                    self.index.append(k)
                    break
            else:
                self.programs.append(t.program)
                self.index.append(len(self.programs) - 1)

    @staticmethod
    def _fraction_at(tr: CrystallisationTrace, at_C: float | None) -> float:
        if at_C is None:
            return tr.final_fraction
        last = tr.segment == tr.segment[-1]
        T, X = tr.temperature_C[last], tr.fraction[last]
        order = np.argsort(T)
        return float(np.interp(at_C, T[order], X[order]))

    def values(self, params: CrystallisationParameters) -> np.ndarray:
        traces = [simulate_crystallisation(params, p) for p in self.programs]
        out = np.empty(len(self.terms))
        for i, (t, k) in enumerate(zip(self.terms, self.index, strict=True)):
            tr = traces[k]
            if t.quantity == "size_nm":
                out[i] = tr.mean_grain_diameter_nm
            elif t.quantity == "fraction":
                out[i] = self._fraction_at(tr, t.at_C)
            else:
                ref = (
                    self._fraction_at(tr, t.ref_C)
                    if t.ref_C is not None
                    else float(tr.fraction[tr.segment == tr.segment[-1]].max())
                )
                out[i] = self._fraction_at(tr, t.at_C) / ref if ref > 0 else 0.0
        return out


def _curve_terms(obs: Sequence[Observation]) -> set[int]:
    """Return the indices of terms that come from measured curves (residuals in X, not logit X)."""
    out: set[int] = set()
    k = 0
    for o in obs:
        n = len(o.terms())
        if isinstance(o, ConversionCurveObservation):
            out.update(range(k, k + n))
        k += n
    return out


def _residual(t: _Term, v: float, on_curve: bool) -> float:
    """Weighted residual of one term: X on curves, log size, logit X otherwise; bounds one-sided."""
    if on_curve:
        r = v - t.target
    elif t.quantity == "size_nm":
        d = v if math.isfinite(v) and v > 0 else 1e12
        r = math.log(d / t.target)
    else:
        r = float(_logit(v) - _logit(t.target))
    if t.kind == "at_most":
        r = max(r, 0.0)
    elif t.kind == "at_least":
        r = min(r, 0.0)
    return r / t.sigma


def _fit_message(
    message: str,
    at_bound: Sequence[str],
    ident_msg: str,
    obs: Sequence[Observation],
    free: Sequence[str],
) -> str:
    """Return the optimiser's message with what limits the result (bounds, identifiability)."""
    if at_bound:
        message += f"; at a bound: {', '.join(at_bound)} (its uncertainty is not meaningful)"
    if ident_msg:
        message += "; " + ident_msg
    if not any(isinstance(o, SizeObservation) for o in obs) and {
        "nucleation_prefactor",
        "growth_site_fraction",
    } <= set(free):
        message += "; I0 and f only enter as I0*f^3 without a size observation: not identifiable"
    return message


def _listed(
    obs: Sequence[Observation], vals: Sequence[float] | np.ndarray
) -> tuple[list[float], list[float], list[str]]:
    """Observed and predicted values of the fraction and size observations, with labels."""
    observed, predicted, labels = [], [], []
    k = 0
    for o in obs:
        n = len(o.terms())
        if isinstance(o, FractionObservation | SizeObservation):
            observed.append(o.terms()[0].target)
            predicted.append(float(vals[k]))
            labels.append(o.label)
        k += n
    return observed, predicted, labels


def calibrate(
    base: CrystallisationParameters,
    observations: Sequence[Observation],
    sizes: Sequence[SizeObservation] = (),
    *,
    free: Sequence[str] = ("nucleation_prefactor", "nucleation_barrier", "decoupling_exponent"),
    n_starts: int = 6,
) -> Calibration:
    """Fit the ``free`` parameters of ``base`` to the observations.

    Parameters
    ----------
    base : CrystallisationParameters
        Known values (Tm, Tg, ΔHm, m, ...) and starting values of the rest.
    observations : sequence of observations
        What was observed (any of the observation types of this module).
    sizes : sequence of SizeObservation
        Crystallite sizes (may also be given among ``observations``).
    free : sequence of str
        Names of the parameters to fit (see ``_FREE``).
    n_starts : int
        Local fits started from the best points of the coarse grid; the best is kept.

    Returns
    -------
    Calibration
        Parameters with standard errors and correlations (from the weighted Jacobian at the
        optimum, [2]_), each observation beside the model.
    """
    unknown = [f for f in free if f not in _FREE]
    if unknown:
        raise ValueError(f"cannot fit {unknown}; choose from {sorted(_FREE)}")
    obs: list[Observation] = [*observations, *sizes]
    terms = [t for o in obs for t in o.terms()]
    if len(free) > len(terms):
        raise ValueError(f"{len(free)} free parameters but only {len(terms)} observation terms")
    curve = _curve_terms(obs)
    ev = _Evaluator(terms)

    def build(p: Sequence[float]) -> CrystallisationParameters:
        kw = {
            name: float(10.0**v if _FREE[name][0] == "log10" else v)
            for name, v in zip(free, p, strict=True)
        }
        return replace(base, **kw)

    def residuals(p: Sequence[float]) -> np.ndarray:
        vals = ev.values(build(p))
        res = np.empty(len(terms))
        for i, (t, v) in enumerate(zip(terms, vals, strict=True)):
            res[i] = _residual(t, v, i in curve)
        return res

    grid = itertools.product(*(_FREE[name][1] for name in free))
    scored = sorted((float(np.sum(residuals(p) ** 2)), p) for p in grid)
    lower = [_BOUNDS.get(n, (-np.inf, np.inf))[0] for n in free]
    upper = [_BOUNDS.get(n, (-np.inf, np.inf))[1] for n in free]
    scale = [1.0 if _FREE[name][0] == "log10" else 0.1 for name in free]
    fit = None
    for _, start in scored[:n_starts]:  # multi-start: X saturates, so plateaus are common
        trial = least_squares(
            residuals,
            np.clip(np.asarray(start, dtype=float), lower, upper),
            bounds=(lower, upper),
            x_scale=scale,
            diff_step=1e-3,
            max_nfev=200,
        )
        if fit is None or trial.cost < fit.cost:
            fit = trial
    assert fit is not None
    params = build(fit.x)
    cov, se, corr, ident_msg = _covariance(fit.jac, free)
    vals = ev.values(params)
    res = residuals(fit.x)
    checks = _checks(obs, vals, res)
    at_bound = [
        n
        for n, v, lo, hi in zip(free, fit.x, lower, upper, strict=True)
        if np.isclose(v, lo) or np.isclose(v, hi)
    ]
    message = _fit_message(fit.message, at_bound, ident_msg, obs, free)
    observed, predicted, labels = _listed(obs, vals)
    cost = float(fit.cost)
    return Calibration(
        parameters=params,
        free=tuple(free),
        values=tuple(float(v) for v in fit.x),
        standard_errors=tuple(float(s) for s in se),
        coordinates=tuple(f"log10({n})" if _FREE[n][0] == "log10" else n for n in free),
        correlation=corr,
        checks=tuple(checks),
        observed=tuple(observed),
        predicted=tuple(predicted),
        labels=tuple(labels),
        cost=cost,
        converged=bool(fit.success) and all(c.satisfied for c in checks) and math.isfinite(cost),
        message=message,
        covariance=cov,
        at_bound=tuple(at_bound),
    )


def _covariance(
    jac: np.ndarray, free: Sequence[str]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, str]:
    """Covariance (JᵀJ)⁻¹ of weighted residuals; NaN rows for unidentifiable directions."""
    n = len(free)
    jtj = jac.T @ jac
    u, s, vt = np.linalg.svd(jtj)
    tol = s.max() * 1e-10 if s.size and s.max() > 0 else 0.0
    if s.size == 0 or np.any(s <= tol):
        weak = [free[i] for i in range(n) if np.abs(vt[s <= tol][:, i]).max(initial=0) > 0.3]
        cov = np.full((n, n), np.nan)
        return (
            cov,
            np.full(n, np.nan),
            np.full((n, n), np.nan),
            (f"not identifiable from these observations: {', '.join(weak) or 'some combination'}"),
        )
    cov = (vt.T / s) @ u.T
    se = np.sqrt(np.clip(np.diag(cov), 0.0, None))
    corr = cov / np.outer(se, se)
    return cov, se, corr, ""


def _checks(
    obs: Sequence[Observation], vals: np.ndarray, res: np.ndarray
) -> list[ObservationCheck]:
    out, k = [], 0
    for o in obs:
        n = len(o.terms())
        v, r = vals[k : k + n], res[k : k + n]
        ok = bool(np.all(np.abs(r) <= 2.0))
        if isinstance(o, FractionObservation):
            where = "" if o.at_temperature_C is None else f" at {o.at_temperature_C:g} °C"
            out.append(ObservationCheck(o.label, f"{o.fraction:.3g}{where}", f"{v[0]:.3g}", ok))
        elif isinstance(o, FractionBound):
            lo = "" if o.at_least is None else f">= {o.at_least:g}"
            hi = "" if o.at_most is None else f"<= {o.at_most:g}"
            out.append(
                ObservationCheck(o.label, " and ".join(x for x in (lo, hi) if x), f"{v[0]:.3g}", ok)
            )
        elif isinstance(o, WindowObservation):
            out.append(
                ObservationCheck(
                    o.label,
                    f"{o.start_C:g}-{o.end_C:g} °C",
                    f"X({o.start_C:g})/X({o.end_C:g}) = {v[0]:.2f}, "
                    f"X({o.end_C:g})/X(max) = {v[1]:.2f}",
                    ok,
                )
            )
        elif isinstance(o, SaturationObservation):
            out.append(
                ObservationCheck(
                    o.label,
                    f"{o.fraction:.3g} from {o.from_C:g} to {o.to_C:g} °C",
                    f"{v[0]:.3g} at {o.from_C:g}, {v[1]:.3g} at {o.to_C:g} °C",
                    ok,
                )
            )
        elif isinstance(o, SizeObservation):
            out.append(ObservationCheck(o.label, f"{o.diameter_nm:.3g} nm", f"{v[0]:.3g} nm", ok))
        else:
            rms = float(np.sqrt(np.mean((v - o.fraction) ** 2)))
            out.append(ObservationCheck(o.label, f"{len(v)} points", f"rms ΔX {rms:.3f}", ok))
        k += n
    return out
