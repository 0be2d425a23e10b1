"""The one pybaselines wrapper: any ``Baseline`` method -> a frozen :class:`Background`.

References
----------
.. [1] D. Erb, pybaselines, doi:10.5281/zenodo.5608581.
.. [2] S.-J. Baek, A. Park, Y.-J. Ahn, J. Choo, Analyst 140 (2015) 250 (arPLS).
.. [3] P. H. C. Eilers, H. F. M. Boelens, "Baseline correction with asymmetric least squares
       smoothing" (2005) (AsLS).
.. [4] C. G. Ryan et al., Nucl. Instrum. Meth. B 34 (1988) 396 (SNIP).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from pybaselines import Baseline

from mofglass.errors import AnalysisError

__all__ = ["Background", "estimate_baseline"]


@dataclass(frozen=True, eq=False)
class Background:
    """A baseline curve on the data's x grid, with how it was made.

    Attributes
    ----------
    values : ndarray
        Baseline at each x (unit of y).
    method : str
        pybaselines algorithm name.
    params : mapping
        The parameters used (including defaults), JSON-ready.
    converged : bool
        Whether the iteration reached its tolerance (True for non-iterative methods).
    tol_history : ndarray
        Per-iteration tolerance values reported by pybaselines (empty if none).
    """

    values: np.ndarray
    method: str
    params: Mapping[str, Any] = field(default_factory=dict)
    converged: bool = True
    tol_history: np.ndarray = field(default_factory=lambda: np.zeros(0))

    @property
    def intensity(self) -> np.ndarray:
        """The baseline values (name used for powder patterns)."""
        return self.values

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary (without the curve)."""
        return {
            "method": self.method,
            "params": dict(self.params),
            "converged": self.converged,
            "n_iterations": int(self.tol_history.size),
        }


def estimate_baseline(
    x: ArrayLike, y: ArrayLike, *, method: str = "arpls", **params: Any
) -> Background:
    """Baseline of ``y(x)`` with the pybaselines method ``method`` and its keyword parameters.

    Parameters
    ----------
    x, y : array_like
        The data (not modified); x need not be sorted (pybaselines sorts).
    method : str
        A ``pybaselines.Baseline`` method (``"arpls"`` [2]_, ``"asls"`` [3]_, ``"snip"`` [4]_,
        ``"modpoly"``, ...).
    **params
        Passed to the method (``lam``, ``p``, ``max_half_window``, ``poly_order``, ``tol``, ...).

    Returns
    -------
    Background
        ``converged`` is False when the method reports a ``tol_history`` whose last value is
        not below ``tol`` (pybaselines' default 1e-3 when not given).

    Raises
    ------
    AnalysisError
        If ``method`` is not a pybaselines method.

    Examples
    --------
    >>> x = np.linspace(0, 10, 201)
    >>> bg = estimate_baseline(x, 1 + 0.1 * x, method="modpoly", poly_order=1)
    >>> round(float(bg.values[100]), 6), bg.converged
    (1.5, True)
    """
    fitter = Baseline(x_data=np.asarray(x, dtype=float))
    func = getattr(fitter, method, None) if not method.startswith("_") else None
    if func is None or not callable(func):
        raise AnalysisError(f"unknown pybaselines method {method!r}")
    base, info = func(np.asarray(y, dtype=float), **params)
    tol_history = np.asarray(info.get("tol_history", np.zeros(0)), dtype=float)
    tol = float(params.get("tol", 1e-3))
    converged = bool(tol_history[-1] < tol) if tol_history.size else True
    return Background(
        values=np.asarray(base, dtype=float),
        method=method,
        params={k: (v.item() if isinstance(v, np.generic) else v) for k, v in params.items()},
        converged=converged,
        tol_history=tol_history,
    )
