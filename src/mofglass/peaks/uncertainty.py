"""Uncertainties of fitted and derived values, correlations kept (the ``uncertainties`` package).

Fitted parameters become ``uncertainties`` numbers correlated by the fit covariance
(:func:`correlated_parameters`); any function of them (:func:`derived`, :func:`measured`)
then carries a first-order uncertainty that includes the correlation terms.

References
----------
.. [1] E. O. Lebigot, uncertainties: a Python package for calculations with uncertainties,
       https://pythonhosted.org/uncertainties/.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import uncertainties

from mofglass.results import Measured

__all__ = [
    "correlated_parameters",
    "covariance",
    "derived",
    "measured",
    "parameters_as_measured",
]


def correlated_parameters(result: Any) -> dict[str, Any]:
    """Fitted parameters as ``uncertainties`` numbers correlated by the fit covariance.

    Fixed parameters (and all parameters when no covariance is available) are plain floats.
    """
    values: dict[str, Any] = {n: float(p.value) for n, p in result.params.items()}
    cov = getattr(result, "covar", None)
    names = list(getattr(result, "var_names", []) or [])
    if cov is not None and names and np.all(np.isfinite(cov)):
        nominal = [values[n] for n in names]
        for n, u in zip(names, uncertainties.correlated_values(nominal, cov), strict=True):
            values[n] = u
    return values


def covariance(values: Sequence[Any]) -> np.ndarray:
    """Covariance matrix of correlated ``uncertainties`` numbers, summed in a fixed order.

    Same as ``uncertainties.covariance_matrix`` but reproducible to the last bit (that one
    sums over a set of variables, whose order changes from run to run).
    """
    order: dict[Any, None] = {}
    for v in values:
        for var in getattr(v, "derivatives", {}):
            order.setdefault(var, None)
    variables = list(order)
    jac = np.array(
        [[getattr(v, "derivatives", {}).get(var, 0.0) for var in variables] for v in values],
        dtype=float,
    ).reshape(len(values), len(variables))
    var_s = np.array([var.std_dev for var in variables], dtype=float) ** 2
    return np.asarray((jac * var_s) @ jac.T, dtype=float)


def derived(func: Callable[..., float], *args: Any) -> tuple[float, float | None]:
    """Value and standard uncertainty of ``func(*args)`` for correlated ``uncertainties`` args.

    ``func`` is any float function (differentiated numerically by ``uncertainties.wrap``);
    plain-float arguments count as exact. The uncertainty is None when no argument carries one.
    """
    wrapped = uncertainties.wrap(func)
    out = wrapped(*args)
    if isinstance(out, uncertainties.UFloat):
        err = float(out.std_dev)
        return float(out.nominal_value), err if np.isfinite(err) else None
    return float(out), None


def measured(func: Callable[..., float], *args: Any, unit: str = "") -> Measured:
    """:func:`derived` as a :class:`Measured`."""
    v, e = derived(func, *args)
    return Measured(v, e, unit)


def parameters_as_measured(
    result: Any, units: Mapping[str, str] | None = None
) -> dict[str, Measured]:
    """Every fitted parameter as a Measured (stderr None when lmfit has none)."""
    units = units or {}
    out = {}
    for n, p in result.params.items():
        e = p.stderr if p.stderr is not None and np.isfinite(p.stderr) else None
        out[n] = Measured(float(p.value), e, units.get(n, ""))
    return out
