"""Window fits of lines on lmfit: a sum of line shapes plus a local straight baseline.

:func:`fit_window` fits the lines given by :class:`LineGuess` starts in one x window and returns
a :class:`WindowFit`: per line the centre, FWHM, height and area as :class:`Measured` values whose
uncertainties come from the fit covariance through the ``uncertainties`` package (so
correlations between the parameters are carried into the derived values), and a
:class:`FitOutcome` saying whether the fit can be trusted (lmfit's success and message, the
parameters that ended on a bound, the reduced χ²). One start and bound policy serves every
technique, so the same band fitted from spectroscopy, diffraction or total scattering comes
out the same.

References
----------
.. [1] M. Newville et al., LMFIT: Non-Linear Least-Squares Minimization and Curve-Fitting for
       Python, doi:10.5281/zenodo.11813.
.. [2] E. O. Lebigot, uncertainties: a Python package for calculations with uncertainties,
       https://pythonhosted.org/uncertainties/.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from lmfit import Model, Parameters

from mofglass.errors import AnalysisError
from mofglass.peaks.outcome import FitOutcome, outcome_of
from mofglass.peaks.shapes import SHAPE_FUNCTIONS, SHAPES, THIRD_PARAMETER, line_fwhm, line_height
from mofglass.peaks.uncertainty import (
    correlated_parameters,
    covariance,
    derived,
    measured,
    parameters_as_measured,
)
from mofglass.results import Measured

__all__ = [
    "FitOutcome",
    "Line",
    "LineGuess",
    "WindowFit",
    "correlated_parameters",
    "covariance",
    "derived",
    "fit_window",
    "measured",
    "outcome_of",
    "parameters_as_measured",
]

#: A companion line: (position of the companion as a function of the main line's centre,
#: area ratio companion / main). Kα2 of a Kα1 reflection is one.
Companion = tuple[Callable[[Any], Any], float]


@dataclass(frozen=True)
class LineGuess:
    """Start of one line: centre, height above the baseline and FWHM (unit of x).

    ``center_tolerance`` bounds |centre - start| (default: half the window width), unless
    ``center_bounds`` gives the bounds explicitly; ``height`` None takes the data's maximum
    near the centre.
    """

    center: float
    fwhm: float
    height: float | None = None
    center_tolerance: float | None = None
    center_bounds: tuple[float, float] | None = None


@dataclass(frozen=True)
class Line:
    """One fitted line: centre, FWHM, height (above the baseline) and area, each Measured."""

    center: Measured
    fwhm: Measured
    height: Measured
    area: Measured
    shape: str
    prefix: str


@dataclass(frozen=True, eq=False)
class WindowFit:
    """Fit of one window: the lines (in order of centre), the outcome and the curves.

    ``baseline`` is the fitted straight line on ``x``; ``result`` is lmfit's ``ModelResult``
    (``result.eval(x=...)`` evaluates the model elsewhere).
    """

    lines: tuple[Line, ...]
    outcome: FitOutcome
    shape: str
    window: tuple[float, float]
    x: np.ndarray
    y: np.ndarray
    model: np.ndarray
    baseline: np.ndarray
    x_mean: float
    result: Any = field(repr=False)

    def report(self) -> str:
        """Return lmfit's fit report."""
        return str(self.result.fit_report())

    def peak_value(self, index: int) -> Measured:
        """Model value at line ``index``'s centre: its height plus the baseline there.

        The uncertainty carries the correlations of height, centre and baseline parameters.
        """
        line = self.lines[index]
        u = correlated_parameters(self.result)
        pre, shape, xm = line.prefix, self.shape, self.x_mean
        third = THIRD_PARAMETER[shape]
        t = u[f"{pre}{third}"] if third is not None else 0.0
        level, slope = u.get("bg_level", 0.0), u.get("bg_slope", 0.0)

        def value(a: float, c: float, s: float, t_: float, lv: float, sl: float) -> float:
            return float(line_height(shape, a, s, t_)) + lv + sl * (c - xm)

        args = (u[f"{pre}amplitude"], u[f"{pre}center"], u[f"{pre}sigma"], t, level, slope)
        return measured(value, *args, unit=line.height.unit)


def _line_function(shape: str, companion: Companion | None) -> Callable[..., np.ndarray]:
    """Build the shape function, with its companion line added when ``companion`` is given.

    The companion is computed in numpy (not as lmfit constraint expressions, which are
    evaluated through asteval and are slow).
    """
    f = SHAPE_FUNCTIONS[shape]
    if companion is None or not companion[1]:
        return f
    position, ratio = companion

    def pair(
        x: np.ndarray, amplitude: float, center: float, sigma: float, **third: float
    ) -> np.ndarray:
        return f(x, amplitude, center, sigma, **third) + f(
            x, ratio * amplitude, position(center), sigma, **third
        )

    # lmfit names the parameters from the signature (and passes them by name): the shape's own
    pair.__signature__ = inspect.signature(f)  # type: ignore[attr-defined]
    pair.__name__ = f"{f.__name__}_pair"
    return pair


def _check(x: np.ndarray, y: np.ndarray, guesses: Sequence[LineGuess], shape: str) -> None:
    if shape not in SHAPE_FUNCTIONS:
        raise AnalysisError(f"unknown line shape {shape!r}; choose one of {SHAPES}")
    if not guesses:
        raise AnalysisError("a window fit needs at least one line")
    n_par = len(guesses) * (3 if THIRD_PARAMETER[shape] is None else 4) + 2
    if x.size < n_par + 3:
        raise AnalysisError(
            f"{x.size} points in window [{x.min() if x.size else 0:g}, "
            f"{x.max() if x.size else 0:g}] are too few for {n_par} parameters"
        )


def fit_window(
    x: np.ndarray,
    y: np.ndarray,
    guesses: Sequence[LineGuess],
    *,
    shape: str = "voigt",
    sigma: np.ndarray | None = None,
    linear_baseline: bool = True,
    companion: Companion | None = None,
    x_unit: str = "",
    y_unit: str = "",
    max_nfev: int | None = None,
) -> WindowFit:
    """Fit ``len(guesses)`` lines of one ``shape`` plus a straight baseline to ``y(x)``.

    Parameters
    ----------
    x, y : ndarray
        The window's data, x ascending (not modified).
    guesses : sequence of LineGuess
        One start per line.
    shape : {"gaussian", "lorentzian", "pseudo_voigt", "voigt"}
        Line shape (:mod:`mofglass.peaks.shapes`); the Voigt has independent σ and γ.
    sigma : ndarray, optional
        Standard uncertainty of each y (weights 1/σ); default unit weights. lmfit scales the
        covariance by the reduced χ² in either case.
    linear_baseline : bool
        Fit ``level + slope (x - x̄)`` under the lines (centred for conditioning); else the
        data must be baseline-corrected.
    companion : (callable, float), optional
        A companion of each line (same shape and widths) at ``position(center)`` with area
        ``ratio × amplitude`` - the Kα2 line of powder diffraction.
    x_unit, y_unit : str
        Units for the Measured results (area is y_unit·x_unit).
    max_nfev : int, optional
        Function-evaluation cap (default 200 × (N_varied + 1)); reaching it is a failed fit.

    Returns
    -------
    WindowFit

    Notes
    -----
    Starts and bounds: centre ∈ [c - 1.1 tol, c + tol] (tol default half the window; the bound
    pair is asymmetric because a start mid-way maps to lmfit's internal value 0, where the
    finite-difference step vanishes); widths from the guessed FWHM, σ ∈ [step/4, window
    width]; amplitude = height × FWHM × 1.06, ≥ 0; γ ∈ [0, window width]; η ∈ [0, 1]; the
    baseline starts on the line through the means of the window's first and last points.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    _check(x, y, guesses, shape)
    lo, hi = float(x.min()), float(x.max())
    width = hi - lo
    step = float(np.median(np.diff(x)))
    xm = float(np.mean(x))
    k = max(1, min(5, x.size // 10))
    slope = float((y[-k:].mean() - y[:k].mean()) / (x[-k:].mean() - x[:k].mean()))
    level = float(y[:k].mean() + slope * (xm - x[:k].mean()))
    net = y - (level + slope * (x - xm)) if linear_baseline else y

    def straight(x: np.ndarray, level: float = 0.0, slope: float = 0.0) -> np.ndarray:
        return level + slope * (np.asarray(x, dtype=float) - xm)

    params = Parameters()
    model: Model | None = None
    if linear_baseline:
        model = Model(straight, prefix="bg_")
        params.add("bg_level", value=level)
        params.add("bg_slope", value=slope)
    third = THIRD_PARAMETER[shape]
    func = _line_function(shape, companion)
    for i, g in enumerate(guesses):
        pre = f"p{i}_"
        m = Model(func, prefix=pre)
        model = m if model is None else model + m
        fw = max(float(g.fwhm), 2 * step)
        tol = g.center_tolerance if g.center_tolerance is not None else 0.5 * width
        near = np.abs(x - g.center) <= max(0.5 * fw, step)
        h0 = (
            g.height
            if g.height is not None
            else (float(net[near].max()) if near.any() else float(net.max()))
        )
        params.add(f"{pre}amplitude", value=max(h0, 1e-12) * fw * 1.06, min=0.0)
        c_lo, c_hi = g.center_bounds or (g.center - 1.1 * tol, g.center + tol)
        params.add(f"{pre}center", value=g.center, min=c_lo, max=c_hi)
        sig0 = fw / 2.3548 if shape == "gaussian" else (fw / 3.6 if shape == "voigt" else fw / 2)
        params.add(
            f"{pre}sigma", value=min(max(sig0, step / 4 * 1.01), width), min=step / 4, max=width
        )
        if third == "gamma":
            params.add(f"{pre}gamma", value=fw / 4, min=0.0, max=width)
        elif third == "fraction":
            params.add(f"{pre}fraction", value=0.5, min=0.0, max=1.0)
    assert model is not None
    n_var = sum(1 for p in params.values() if p.vary)
    weights = None if sigma is None else 1.0 / np.asarray(sigma, dtype=float)
    res = model.fit(
        y,
        params,
        x=x,
        weights=weights,
        nan_policy="omit",
        max_nfev=max_nfev if max_nfev is not None else 200 * (n_var + 1),
    )
    lines = _lines(res, len(guesses), shape, x_unit, y_unit)
    base = (
        straight(x, res.params["bg_level"].value, res.params["bg_slope"].value)
        if linear_baseline
        else np.zeros_like(x)
    )
    return WindowFit(
        lines=tuple(sorted(lines, key=lambda ln: ln.center.value)),
        outcome=outcome_of(
            res, limits=[n for n in res.params if n.endswith(("_gamma", "_fraction"))]
        ),
        shape=shape,
        window=(lo, hi),
        x=x,
        y=y,
        model=np.asarray(res.best_fit, dtype=float),
        baseline=np.asarray(base, dtype=float) * np.ones_like(x),
        x_mean=xm,
        result=res,
    )


def _lines(res: Any, n: int, shape: str, x_unit: str, y_unit: str) -> list[Line]:
    u = correlated_parameters(res)
    area_unit = "·".join(s for s in (y_unit, x_unit) if s)
    out = []
    for i in range(n):
        pre = f"p{i}_"
        third = THIRD_PARAMETER[shape]
        t = u[f"{pre}{third}"] if third is not None else 0.0
        a, c, s = u[f"{pre}amplitude"], u[f"{pre}center"], u[f"{pre}sigma"]
        out.append(
            Line(
                center=measured(lambda v: v, c, unit=x_unit),
                fwhm=measured(lambda s_, t_: float(line_fwhm(shape, s_, t_)), s, t, unit=x_unit),
                height=measured(
                    lambda a_, s_, t_: float(line_height(shape, a_, s_, t_)), a, s, t, unit=y_unit
                ),
                area=measured(lambda v: v, a, unit=area_unit),
                shape=shape,
                prefix=pre,
            )
        )
    return out
