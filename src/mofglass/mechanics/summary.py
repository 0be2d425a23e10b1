"""Averages of quasi-static (Oliver-Pharr) results over indents: mean ± standard deviation, n.

The Cd(im)2 paper reports nanoindentation as the mean ± standard deviation over indents
(Er 7.52 ± 0.41 GPa, H 839 ± 54 MPa for the glass-ceramic), which is what
:func:`average_indents` returns (ddof = 1), optionally only over indents whose contact depth
lies in a window.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from mofglass.errors import AnalysisError
from mofglass.mechanics.oliver_pharr import OliverPharrResult
from mofglass.results import Measured, Result

__all__ = ["IndentAverage", "average_indents"]


@dataclass(frozen=True)
class IndentAverage(Result):
    """Er and H over n indents: mean ± standard deviation (ddof = 1; None for n = 1)."""

    reduced_modulus_GPa: Measured
    hardness_GPa: Measured
    contact_depth_nm: Measured
    n_indents: int
    depth_window_nm: tuple[float, float] | None
    method: str = "Oliver-Pharr per indent; mean ± standard deviation over indents"


def average_indents(
    results: Sequence[OliverPharrResult], *, depth_window_nm: tuple[float, float] | None = None
) -> IndentAverage:
    """Mean ± standard deviation of Er, H and hc over converged indents.

    Parameters
    ----------
    results : sequence of OliverPharrResult
        One per indent; non-converged fits are left out.
    depth_window_nm : (float, float), optional
        Keep only indents with contact depth hc (nm) in this window.

    Raises
    ------
    AnalysisError
        No indent is left.
    """
    kept = [r for r in results if r.converged]
    if depth_window_nm is not None:
        lo, hi = depth_window_nm
        kept = [r for r in kept if lo <= r.contact_depth_nm.value <= hi]
    if not kept:
        raise AnalysisError("no converged indent (in the depth window) to average")
    n = len(kept)

    def m(values: list[float], unit: str) -> Measured:
        return Measured(
            float(np.mean(values)), float(np.std(values, ddof=1)) if n > 1 else None, unit
        )

    return IndentAverage(
        m([r.reduced_modulus_GPa.value for r in kept], "GPa"),
        m([r.hardness_GPa.value for r in kept], "GPa"),
        m([r.contact_depth_nm.value for r in kept], "nm"),
        n,
        None if depth_window_nm is None else (float(depth_window_nm[0]), float(depth_window_nm[1])),
    )
