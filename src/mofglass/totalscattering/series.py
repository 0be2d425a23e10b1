"""Variable-temperature PDF series: sequential refinement and a change detector.

* :func:`refine_series` refines the same model against each PDF of a series in temperature
  order, each refinement starting from the previous one's values (as PDFgui's "sequential
  fit" does), and tabulates the parameters against T.
* :func:`detect_change` finds where a series changes: from model parameters (a two-segment
  linear model against one line, F test) or model-free from the distances between successive
  PDFs (a step much larger than the series' typical step, robust z-score).

References
----------
.. [1] C. L. Farrow et al., J. Phys.: Condens. Matter 19, 335219 (2007) (PDFgui sequential
   refinement).
.. [2] J. Bai, P. Perron, Econometrica 66, 47 (1998) (break-point estimation by least squares).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from mofglass.errors import MofglassError
from mofglass.results import Result
from mofglass.structure import Crystal
from mofglass.totalscattering.data import TotalScatteringData
from mofglass.totalscattering.refine import PDFFitResult, refine_pdf

__all__ = [
    "ChangePoint",
    "SeriesRefinement",
    "detect_change",
    "pdf_step_distances",
    "refine_series",
]


@dataclass(frozen=True)
class SeriesRefinement(Result):
    """Refinements of one model along a temperature series (sorted by T)."""

    temperature: np.ndarray
    fits: tuple[PDFFitResult, ...]
    method: str = "sequential small-box refinement, each start from the previous result"

    def table(self) -> dict[str, np.ndarray]:
        """Refined parameter values (NaN where flagged or failed) and Rw against T."""
        names = [p.name for p in self.fits[0].parameters if p.refined]
        out: dict[str, np.ndarray] = {"temperature": self.temperature}
        for n in names:
            out[n] = np.array(
                [
                    f.value(n) if (f.success and not f.parameter(n).flag) else np.nan
                    for f in self.fits
                ]
            )
        out["rw"] = np.array([f.rw for f in self.fits])
        return out


def refine_series(
    data: Sequence[TotalScatteringData],
    phases: Sequence[Crystal],
    *,
    temperatures: Sequence[float],
    start: Mapping[str, float] | None = None,
    **options: Any,
) -> SeriesRefinement:
    """Refine ``phases`` against every curve in ``data``, in increasing temperature.

    Each refinement starts from the previous one's refined values (a failed fit does not pass
    its values on). ``options`` go to :func:`~mofglass.totalscattering.refine.refine_pdf`.
    """
    if len(data) != len(temperatures) or not data:
        raise MofglassError("one temperature per data set is needed")
    order = np.argsort(np.asarray(temperatures, dtype=float), kind="stable")
    current = dict(start or {})
    fits = []
    for k in order:
        res = refine_pdf(data[k], phases, start=current, **options)
        fits.append(res)
        if res.success:
            current.update({p.name: p.value for p in res.parameters if p.refined})
    return SeriesRefinement(np.asarray(temperatures, dtype=float)[order], tuple(fits))


@dataclass(frozen=True)
class ChangePoint(Result):
    """Where a series changes: between ``before`` and ``after`` (temperatures).

    ``significant`` is False when the evidence is below the threshold: then no transition is
    claimed (the interval is the best candidate only).
    """

    before: float
    after: float
    statistic: float
    threshold: float
    significant: bool
    basis: str
    scores: np.ndarray = field(default_factory=lambda: np.zeros(0))
    method: str = "two-segment least squares (F test) or robust step z-score"


def pdf_step_distances(r_A: np.ndarray, curves: np.ndarray, *, r_range_A=(1.0, 20.0)) -> np.ndarray:
    """Relative distance ‖y_k - y_(k-1)‖ / ‖y_(k-1)‖ between successive curves over r_range_A."""
    r = np.asarray(r_A, dtype=float)
    y = np.asarray(curves, dtype=float)
    m = (r >= r_range_A[0]) & (r <= r_range_A[1])
    diff = np.sqrt(np.sum((y[1:, m] - y[:-1, m]) ** 2, axis=1))
    return np.asarray(diff / np.sqrt(np.sum(y[:-1, m] ** 2, axis=1)))


def detect_change(
    temperature: Sequence[float] | np.ndarray,
    values: np.ndarray,
    *,
    kind: str = "parameters",
    alpha: float = 0.01,
    z_threshold: float = 5.0,
    r_A: np.ndarray | None = None,
) -> ChangePoint:
    """Locate the main change of a temperature series.

    Parameters
    ----------
    temperature : sequence of float
        One temperature per row of ``values`` (sorted here).
    values : ndarray
        ``kind="parameters"``: shape (n_T,) or (n_T, n_params), refined values; each column is
        standardised and the break k minimising the summed residuals of separate straight
        lines below and above k is tested against one line by an F test at level ``alpha``.
        ``kind="curves"``: shape (n_T, n_r) PDFs on ``r_A``; the largest successive distance
        (:func:`pdf_step_distances`) is tested by its robust z-score (median, 1.4826 MAD)
        against ``z_threshold``.
    """
    from scipy.stats import f as f_dist

    t = np.asarray(temperature, dtype=float)
    order = np.argsort(t)
    t = t[order]
    v = np.asarray(values, dtype=float)[order]
    if kind == "curves":
        if r_A is None:
            raise MofglassError("kind='curves' needs r_A")
        d = pdf_step_distances(r_A, v)
        med = float(np.median(d))
        mad = 1.4826 * float(np.median(np.abs(d - med))) or 1e-12
        z = (d - med) / mad
        k = int(np.argmax(z))
        return ChangePoint(
            float(t[k]),
            float(t[k + 1]),
            float(z[k]),
            z_threshold,
            bool(z[k] > z_threshold),
            "successive PDF distances",
            z,
        )
    if kind != "parameters":
        raise MofglassError(f"kind must be 'parameters' or 'curves', got {kind!r}")
    x = v.reshape(t.size, -1)
    keep = np.all(np.isfinite(x), axis=1)
    t, x = t[keep], x[keep]
    n, p = x.shape
    if n < 6:
        raise MofglassError("at least 6 valid temperatures are needed to locate a change")
    x = (x - x.mean(axis=0)) / np.where(x.std(axis=0) > 0, x.std(axis=0), 1.0)

    def ssr(tt: np.ndarray, xx: np.ndarray) -> float:
        a = np.column_stack([np.ones_like(tt), tt])
        coef, *_ = np.linalg.lstsq(a, xx, rcond=None)
        return float(np.sum((xx - a @ coef) ** 2))

    one = ssr(t, x)
    scores = np.full(n - 1, np.inf)
    for k in range(3, n - 2):  # at least 3 points per segment
        scores[k - 1] = ssr(t[:k], x[:k]) + ssr(t[k:], x[k:])
    k = int(np.argmin(scores)) + 1
    two = float(scores[k - 1])
    df1, df2 = 2 * p, n * p - 4 * p
    fstat = ((one - two) / df1) / (two / df2) if two > 0 else np.inf
    crit = float(f_dist.ppf(1.0 - alpha, df1, df2))
    return ChangePoint(
        float(t[k - 1]),
        float(t[k]),
        float(fstat),
        crit,
        bool(fstat > crit),
        "two-segment linear fit of the parameters",
        scores,
    )
