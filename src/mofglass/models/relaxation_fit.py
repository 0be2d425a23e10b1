"""Fit TNM relaxation parameters to measured DSC traces of the glass transition.

Each measured trace is the normalised heat capacity Cpn(T) = dTf/dT of a heating scan (0 in the
glass, 1 in the liquid; see :func:`mofglass.models.observed.normalised_cp`) after a known
thermal history (the programme from the equilibrium liquid: cooling at q, optional ageing, then
heating at β). The overshoots of a series with different histories fix the non-linearity x and
the stretching β [1]_; their positions fix the activation energy Δh.

The fit coordinates are Δh/R, the temperature T100 where the equilibrium relaxation time is
100 s, x and β: ln A = ln(100 s) − (Δh/R)/T100. This removes most of the ln A–Δh correlation of
the raw TNM parameters. The kinetic fragility follows as m = (Δh/R) / (T100 ln 10) [2]_, with its
uncertainty from the covariance (``uncertainties``, correlations kept).

References
----------
.. [1] I. M. Hodge, J. Non-Cryst. Solids 169 (1994) 211 (curve fitting of DSC relaxation data).
.. [2] C. A. Angell, Science 267 (1995) 1924; R. Böhmer, K. L. Ngai, C. A. Angell,
       D. J. Plazek, J. Chem. Phys. 99 (1993) 4201 (m = d log10 τ / d(Tg/T) at Tg).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import uncertainties
from scipy.optimize import least_squares

from mofglass.models.program import TemperatureProgram
from mofglass.models.relaxation import TNMParameters, simulate_relaxation
from mofglass.units import ZERO_CELSIUS_K

__all__ = ["HeatCapacityCurve", "RelaxationFit", "fit_relaxation"]

_LN100 = math.log(100.0)
_NAMES = ("activation_K", "t100_K", "x", "beta")
_LOWER = {"activation_K": 1e3, "t100_K": 50.0, "x": 0.05, "beta": 0.1}
_UPPER = {"activation_K": 1e7, "t100_K": 2000.0, "x": 1.0, "beta": 1.0}


@dataclass(frozen=True)
class HeatCapacityCurve:
    """A measured normalised heat capacity on the last (heating) segment of ``program``.

    Attributes
    ----------
    program : TemperatureProgram
        The thermal history from the equilibrium liquid, ending with the measured heating scan.
    temperature_C, cp_normalised : ndarray
        The measured points (°C; dimensionless Cpn).
    sigma : float
        Uncertainty of Cpn per point (from the glass and liquid baselines; 0.02 is typical).
    label : str
        Where it comes from (file, rates).
    """

    program: TemperatureProgram
    temperature_C: np.ndarray
    cp_normalised: np.ndarray
    sigma: float = 0.02
    label: str = ""


@dataclass(frozen=True)
class RelaxationFit:
    """Result of :func:`fit_relaxation`.

    Attributes
    ----------
    parameters : TNMParameters
        The fitted TNM parameters.
    values, standard_errors : dict
        Fit coordinates (``activation_K``, ``t100_K``, ``x``, ``beta``) and their standard
        uncertainties (NaN for a fixed or unidentifiable parameter).
    correlation : ndarray
        Correlation matrix of the free coordinates.
    free : tuple of str
        The free coordinates.
    fragility_m, fragility_m_se : float
        Kinetic fragility m = (Δh/R)/(T100 ln 10) and its standard uncertainty.
    rms : float
        Root-mean-square residual of Cpn over all points.
    converged : bool
        Optimiser success, no coordinate at a bound, and a finite covariance.
    message : str
        What the optimiser said, and any bound or identifiability warning.
    """

    parameters: TNMParameters
    values: dict[str, float]
    standard_errors: dict[str, float]
    correlation: np.ndarray
    free: tuple[str, ...]
    fragility_m: float
    fragility_m_se: float
    rms: float
    converged: bool
    message: str

    def report(self) -> str:
        """Plain-text summary."""
        lines = [f"TNM fit: {'converged' if self.converged else 'NOT converged'}"]
        for n in _NAMES:
            se = self.standard_errors.get(n, math.nan)
            tag = "" if n in self.free else " (fixed)"
            lines.append(f"  {n} = {self.values[n]:.5g} ± {se:.2g}{tag}")
        lines.append(f"  fragility m = {self.fragility_m:.1f} ± {self.fragility_m_se:.1f}")
        lines.append(f"  rms ΔCpn = {self.rms:.4f}; {self.message}")
        return "\n".join(lines)


def _to_tnm(v: dict[str, float]) -> TNMParameters:
    return TNMParameters(
        activation_K=v["activation_K"],
        ln_A_s=_LN100 - v["activation_K"] / v["t100_K"],
        x=v["x"],
        beta=v["beta"],
    )


def fit_relaxation(
    curves: Sequence[HeatCapacityCurve],
    *,
    start: TNMParameters,
    free: Sequence[str] = _NAMES,
    step_C: float = 0.5,
    max_nfev: int = 200,
) -> RelaxationFit:
    """Least-squares TNM fit of normalised heat capacities after known thermal histories.

    Parameters
    ----------
    curves : sequence of HeatCapacityCurve
        The measured heating scans with their histories; at least two different histories
        are needed to separate x from β.
    start : TNMParameters
        Starting values (e.g. :meth:`TNMParameters.from_fragility` with the measured Tg).
    free : sequence of str
        Free coordinates among ``activation_K``, ``t100_K``, ``x``, ``beta``.
    step_C : float
        Temperature step of the simulation, °C.
    max_nfev : int
        Bound on model evaluations (a fit that reaches it is reported as not converged).
    """
    if not curves:
        raise ValueError("fit_relaxation needs at least one measured heat-capacity curve")
    bad = [f for f in free if f not in _NAMES]
    if bad:
        raise ValueError(f"cannot fit {bad}; choose from {list(_NAMES)}")
    t100 = start.activation_K / (_LN100 - start.ln_A_s)
    base = {"activation_K": start.activation_K, "t100_K": t100, "x": start.x, "beta": start.beta}
    lower = np.array([_LOWER[n] for n in free])
    upper = np.array([_UPPER[n] for n in free])
    scale = np.array([base[n] * 0.1 if n != "t100_K" else 5.0 for n in free])
    scale = np.where(np.isin(list(free), ["x", "beta"]), 0.1, scale)

    def values(p: np.ndarray) -> dict[str, float]:
        v = dict(base)
        v.update({n: float(val) for n, val in zip(free, p, strict=True)})
        return v

    def residuals(p: np.ndarray) -> np.ndarray:
        try:
            tnm = _to_tnm(values(p))
        except ValueError:
            return np.full(sum(c.temperature_C.size for c in curves), 1e3)
        out = []
        for c in curves:
            tr = simulate_relaxation(tnm, c.program, step_C=step_C)
            last = tr.segment == tr.segment[-1]
            T, cpn = tr.temperature_C[last], tr.cp_normalised[last]
            order = np.argsort(T)
            model = np.interp(c.temperature_C, T[order], cpn[order])
            out.append((model - c.cp_normalised) / c.sigma)
        return np.concatenate(out)

    p0 = np.clip(np.array([base[n] for n in free]), lower, upper)
    fit = least_squares(
        residuals, p0, bounds=(lower, upper), x_scale=scale, diff_step=1e-4, max_nfev=max_nfev
    )
    v = values(fit.x)
    n_pts = fit.fun.size
    rms = float(
        np.sqrt(
            np.mean(
                (fit.fun * np.concatenate([[c.sigma] * c.temperature_C.size for c in curves])) ** 2
            )
        )
    )
    jtj = fit.jac.T @ fit.jac
    message = str(fit.message)
    ok = bool(fit.success) and fit.nfev < max_nfev
    try:
        cov = np.linalg.inv(jtj)
        # scale by the reduced chi-square when the stated sigma under/over-estimates the scatter
        dof = max(n_pts - len(free), 1)
        cov *= max(2.0 * fit.cost / dof, 1.0)
        se = np.sqrt(np.clip(np.diag(cov), 0.0, None))
        corr = cov / np.outer(se, se)
    except np.linalg.LinAlgError:
        cov = np.full((len(free), len(free)), np.nan)
        se = np.full(len(free), np.nan)
        corr = cov.copy()
        message += "; singular normal matrix: parameters not identifiable from these curves"
        ok = False
    at_bound = [
        n
        for n, val, lo, hi in zip(free, fit.x, lower, upper, strict=True)
        if math.isclose(val, lo, rel_tol=1e-6) or math.isclose(val, hi, rel_tol=1e-6)
    ]
    if at_bound:
        ok = False
        message += f"; at a bound: {', '.join(at_bound)}"
    standard_errors = {n: math.nan for n in _NAMES}
    standard_errors.update({n: float(s) for n, s in zip(free, se, strict=True)})
    m, m_se = _fragility(v, free, cov)
    return RelaxationFit(
        parameters=_to_tnm(v),
        values=v,
        standard_errors=standard_errors,
        correlation=corr,
        free=tuple(free),
        fragility_m=m,
        fragility_m_se=m_se,
        rms=rms,
        converged=ok and bool(np.all(np.isfinite(se))),
        message=message,
    )


def _fragility(v: dict[str, float], free: Sequence[str], cov: np.ndarray) -> tuple[float, float]:
    """M = (Δh/R)/(T100 ln 10) with its uncertainty from the covariance."""
    if not np.all(np.isfinite(cov)):
        return v["activation_K"] / (v["t100_K"] * math.log(10.0)), math.nan
    nominal = [v[n] for n in free]
    corr_vals = uncertainties.correlated_values(nominal, cov) if len(free) else []
    u = dict(zip(free, corr_vals, strict=True))
    h = u.get("activation_K", v["activation_K"])
    t = u.get("t100_K", v["t100_K"])
    m = h / (t * math.log(10.0))
    if isinstance(m, float):
        return m, 0.0
    return float(m.nominal_value), float(m.std_dev)


def tg_from_t100_C(fit: RelaxationFit) -> float:
    """T100 of the fit in °C (the temperature where the equilibrium τ is 100 s)."""
    return fit.values["t100_K"] - ZERO_CELSIUS_K
