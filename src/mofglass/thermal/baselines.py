"""Baselines under a DSC peak (linear, sigmoidal, spline, tangential) and of a whole trace.

The whole-trace baseline is a Whittaker smoother.

Every function takes the abscissa (time in s or temperature), the signal and the index window
``[i0, i1]`` of the event, and returns ``(baseline, params)`` like pybaselines: ``baseline`` has
the window's length, ``params`` is a dict of diagnostics. Enthalpy uncertainty from the choice of
baseline is the spread of the integrals over these three constructions (ICTAC / ASTM E793 leave
the baseline to the operator; reporting the spread makes that choice visible).

References
----------
.. [1] ASTM E793-06, Enthalpies of fusion and crystallization by DSC.
.. [2] G. W. H. Höhne, W. F. Hemminger, H.-J. Flammersheim, *Differential Scanning Calorimetry*,
   2nd ed., Springer 2003, sec. 5.3 (baseline constructions; sigmoidal baseline).
.. [3] pybaselines, D. Erb, https://github.com/derb12/pybaselines (asymmetric least squares).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from scipy.integrate import cumulative_trapezoid
from scipy.interpolate import make_smoothing_spline

__all__ = ["BASELINES", "linear", "sigmoidal", "spline", "tangential", "whittaker"]


def _edge_lines(
    x: np.ndarray, y: np.ndarray, i0: int, i1: int, margin: int
) -> tuple[np.ndarray, np.ndarray]:
    """Straight lines (slope, intercept) fitted just before i0 and just after i1."""
    a = slice(max(i0 - margin, 0), i0 + 1)
    b = slice(i1, min(i1 + margin + 1, len(x)))
    pre = np.polyfit(x[a], y[a], 1) if a.stop - a.start >= 3 else np.array([0.0, y[i0]])
    post = np.polyfit(x[b], y[b], 1) if b.stop - b.start >= 3 else np.array([0.0, y[i1]])
    return pre, post


def linear(
    x: np.ndarray, y: np.ndarray, i0: int, i1: int, *, n_avg: int = 3
) -> tuple[np.ndarray, dict[str, Any]]:
    """Straight line between the (averaged) signal at the two window limits (ASTM E793)."""
    ya = float(np.mean(y[max(i0 - n_avg, 0) : i0 + n_avg + 1]))
    yb = float(np.mean(y[max(i1 - n_avg, 0) : i1 + n_avg + 1]))
    xs = x[i0 : i1 + 1]
    base = ya + (yb - ya) * (xs - x[i0]) / (x[i1] - x[i0])
    return base, {"kind": "linear", "start": ya, "end": yb}


def sigmoidal(
    x: np.ndarray,
    y: np.ndarray,
    i0: int,
    i1: int,
    *,
    margin: int | None = None,
    max_iter: int = 20,
    tol: float = 1e-6,
) -> tuple[np.ndarray, dict[str, Any]]:
    """Return the sigmoidal baseline [2]_.

    From the pre-event line to the post-event line in proportion to the reacted fraction
    (partial peak area), iterated to self-consistency.
    """
    margin = margin if margin is not None else max(5, (i1 - i0) // 5)
    pre, post = _edge_lines(x, y, i0, i1, margin)
    xs = x[i0 : i1 + 1]
    ys = y[i0 : i1 + 1]
    lo, hi = np.polyval(pre, xs), np.polyval(post, xs)
    base = lo + (hi - lo) * (xs - xs[0]) / (xs[-1] - xs[0])
    history = []
    for _ in range(max_iter):
        area = cumulative_trapezoid(ys - base, xs, initial=0.0)
        total = area[-1]
        if total == 0:
            break
        frac = np.clip(area / total, 0.0, 1.0)
        new = lo + (hi - lo) * frac
        change = float(np.max(np.abs(new - base)))
        history.append(change)
        base = new
        if change < tol * (np.ptp(ys) + 1e-30):
            break
    return base, {"kind": "sigmoidal", "tol_history": history, "pre": pre, "post": post}


def spline(
    x: np.ndarray, y: np.ndarray, i0: int, i1: int, *, margin: int | None = None
) -> tuple[np.ndarray, dict[str, Any]]:
    """Smoothing spline through the signal outside the event (``margin`` points either side)."""
    margin = margin if margin is not None else max(5, (i1 - i0) // 3)
    a = np.arange(max(i0 - margin, 0), i0 + 1)
    b = np.arange(i1, min(i1 + margin + 1, len(x)))
    idx = np.concatenate([a, b])
    xs = x[i0 : i1 + 1]
    if len(idx) < 6:
        return linear(x, y, i0, i1)[0], {"kind": "spline", "fallback": "linear"}
    order = np.argsort(x[idx])
    xi, yi = x[idx][order], y[idx][order]
    keep = np.concatenate([[True], np.diff(xi) > 0])
    # a cubic in the gap: low-order polynomial is more robust than a free spline over a wide gap
    coef = np.polyfit(xi[keep] - xs[0], yi[keep], 3 if len(idx) > 12 else 1)
    return np.polyval(coef, xs - xs[0]), {"kind": "spline", "coefficients": coef}


def tangential(
    x: np.ndarray, y: np.ndarray, i0: int, i1: int, *, margin: int | None = None
) -> tuple[np.ndarray, dict[str, Any]]:
    """Return the tangential baseline (ISO 11357-1).

    The pre-event tangent extrapolated up to the peak, the post-event tangent from the peak on
    (the switch at the peak maximum).
    """
    margin = margin if margin is not None else max(5, (i1 - i0) // 5)
    pre, post = _edge_lines(x, y, i0, i1, margin)
    xs = x[i0 : i1 + 1]
    lin = linear(x, y, i0, i1)[0]
    p = int(np.argmax(np.abs(y[i0 : i1 + 1] - lin)))
    base = np.where(np.arange(len(xs)) <= p, np.polyval(pre, xs), np.polyval(post, xs))
    return base, {"kind": "tangential", "pre": pre, "post": post, "switch_index": i0 + p}


def whittaker(
    x: np.ndarray, y: np.ndarray, *, lam: float = 1e7, p: float = 0.01
) -> tuple[np.ndarray, dict[str, Any]]:
    """Whole-trace asymmetric-least-squares baseline (pybaselines ``asls``) under positive peaks."""
    from pybaselines import Baseline

    order = np.argsort(x)
    fitter = Baseline(x_data=x[order])
    base, params = fitter.asls(y[order], lam=lam, p=p)
    out = np.empty_like(base)
    out[order] = base
    return out, {"kind": "asls", **params}


def _smooth_spline(x: np.ndarray, y: np.ndarray, lam: float | None = None) -> np.ndarray:
    """Smoothing-spline values at x (generalised cross-validation when lam is None)."""
    order = np.argsort(x)
    xs = x[order]
    keep = np.concatenate([[True], np.diff(xs) > 0])
    spl = make_smoothing_spline(xs[keep], y[order][keep], lam=lam)
    return np.asarray(spl(x))


#: name -> function(x, y, i0, i1) -> (baseline, params)
BASELINES: dict[str, Callable[..., tuple[np.ndarray, dict[str, Any]]]] = {
    "linear": linear,
    "sigmoidal": sigmoidal,
    "spline": spline,
    "tangential": tangential,
}
