"""Whether a least-squares fit can be trusted: :class:`FitOutcome` of an lmfit result.

A fit is trusted when lmfit reports success, the covariance (error bars) could be estimated,
and no varied parameter ended on an imposed bound (there the answer is set by the bound, not
the data). Parameters at a physical limit of the line shape are reported separately.

References
----------
.. [1] M. Newville et al., LMFIT: Non-Linear Least-Squares Minimization and Curve-Fitting for
       Python, doi:10.5281/zenodo.11813.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from mofglass.results import Result

__all__ = ["FitOutcome", "outcome_of"]


@dataclass(frozen=True)
class FitOutcome(Result):
    """Whether a least-squares fit can be trusted.

    Attributes
    ----------
    success : bool
        lmfit reported success and could estimate the covariance (error bars).
    message : str
        lmfit's message.
    at_bounds : tuple of str
        Varied parameters that ended on (within 1e-6 of the range of) an imposed bound: the
        fit's answer there is set by the bound, not the data.
    at_limits : tuple of str
        Varied parameters at a physical limit of the shape (Voigt γ = 0: a pure Gaussian;
        pseudo-Voigt η = 0 or 1): a valid answer, reported but not a reason to distrust.
    reduced_chi_square : float
        χ² / (N - N_varied), with the weights given (1/σ) or unit weights.
    n_points, n_varied : int
        Data points and varied parameters.
    """

    success: bool
    message: str
    at_bounds: tuple[str, ...]
    reduced_chi_square: float
    n_points: int
    n_varied: int
    at_limits: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """Converged, with error bars, and no parameter on a bound."""
        return self.success and not self.at_bounds

    def flags(self) -> tuple[str, ...]:
        """Human-readable reasons not to trust the fit (empty when :attr:`ok`)."""
        out = []
        if not self.success and "could not estimate error-bars" in self.message.lower():
            out.append("no error bars (lmfit could not estimate the covariance)")
        elif not self.success:
            out.append(f"fit failed: {self.message}")
        if self.at_bounds:
            out.append("parameters at bounds: " + ", ".join(self.at_bounds))
        return tuple(out)


def _at_bound(value: float, lo: float, hi: float) -> bool:
    span = hi - lo if np.isfinite(lo) and np.isfinite(hi) else max(abs(value), 1.0)
    tol = 1e-6 * span
    return bool((np.isfinite(lo) and value - lo <= tol) or (np.isfinite(hi) and hi - value <= tol))


def outcome_of(result: Any, *, limits: Sequence[str] = ()) -> FitOutcome:
    """Judge an lmfit ``ModelResult`` or ``MinimizerResult``: its :class:`FitOutcome`.

    ``limits`` names parameters whose bounds are physical limits (see ``at_limits``).
    """
    at = [
        name
        for name, p in result.params.items()
        if p.vary and p.expr is None and _at_bound(float(p.value), float(p.min), float(p.max))
    ]
    return FitOutcome(
        success=bool(result.success) and bool(result.errorbars),
        message=str(result.message or ""),
        at_bounds=tuple(n for n in at if n not in limits),
        reduced_chi_square=float(result.redchi),
        n_points=int(result.ndata),
        n_varied=int(result.nvarys),
        at_limits=tuple(n for n in at if n in limits),
    )
