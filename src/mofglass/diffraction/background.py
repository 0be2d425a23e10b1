"""Background (baseline) estimation for powder patterns, via pybaselines.

Every method takes a :class:`Pattern` and keyword-only parameters and returns the frozen
:class:`mofglass.peaks.Background` (``intensity`` is its ``values``) with the curve, the algorithm's name and parameters, and its convergence
record (``tol_history``), as pybaselines does.

References
----------
.. [1] S.-J. Baek, A. Park, Y.-J. Ahn, J. Choo, Analyst 140 (2015) 250 (arPLS).
.. [2] P. H. C. Eilers, H. F. M. Boelens, "Baseline correction with asymmetric least squares
       smoothing" (2005) (AsLS).
.. [3] C. G. Ryan, E. Clayton, W. L. Griffin, S. H. Sie, D. R. Cousens, Nucl. Instrum. Meth. B
       34 (1988) 396 (SNIP).
.. [4] D. Erb, pybaselines, https://pybaselines.readthedocs.io.
"""

from __future__ import annotations

from typing import Any

from mofglass.diffraction.pattern import Pattern
from mofglass.peaks import Background, estimate_baseline

__all__ = ["BACKGROUND_METHODS", "Background", "estimate_background"]

#: Supported methods and their default parameters.
BACKGROUND_METHODS: dict[str, dict[str, Any]] = {
    "arpls": {"lam": 1e7, "tol": 1e-3, "max_iter": 50},
    "asls": {"lam": 1e7, "p": 0.01, "tol": 1e-3, "max_iter": 50},
    "snip": {"max_half_window_deg": 1.5, "decreasing": True, "smooth_half_window": 2},
    "modpoly": {"poly_order": 2, "tol": 1e-3, "max_iter": 250},
    "imodpoly": {"poly_order": 2, "tol": 1e-3, "max_iter": 250},
}


def estimate_background(pattern: Pattern, *, method: str = "arpls", **params: Any) -> Background:
    """Estimate the background of a pattern with a pybaselines algorithm.

    Parameters
    ----------
    pattern : Pattern
        The scan (not modified).
    method : {"arpls", "asls", "snip", "modpoly", "imodpoly"}
        Algorithm: penalised least squares (arPLS [1]_, AsLS [2]_; ``lam`` smoothness, ``p``
        asymmetry), SNIP clipping [3]_ (``max_half_window_deg``: the clipping window in degrees
        2θ; choose ~2-3 times the widest Bragg peak so that broad amorphous humps stay in the
        background), or (iterative) modified polynomial (``poly_order``).
    **params
        Overrides of the defaults in :data:`BACKGROUND_METHODS`.

    Returns
    -------
    Background

    Examples
    --------
    >>> bg = estimate_background(pattern, method="snip", max_half_window_deg=1.0)  # doctest: +SKIP
    >>> bg.params["max_half_window"], bg.converged                                  # doctest: +SKIP
    """
    if method not in BACKGROUND_METHODS:
        raise ValueError(f"unknown background method {method!r}; use {sorted(BACKGROUND_METHODS)}")
    used = {**BACKGROUND_METHODS[method], **params}
    kwargs = dict(used)
    if method == "snip":
        hw_deg = float(kwargs.pop("max_half_window_deg"))
        kwargs["max_half_window"] = max(1, round(hw_deg / pattern.step_deg))
    bg = estimate_baseline(pattern.two_theta_deg, pattern.intensity, method=method, **kwargs)
    return Background(
        values=bg.values,
        method=method,
        params={**used, **bg.params},
        converged=bg.converged,
        tol_history=bg.tol_history,
    )
