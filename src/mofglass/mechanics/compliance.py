r"""Load-frame compliance from a series of indents at different peak loads.

The measured contact compliance is the sum of the frame's and the contact's [1]_:

.. math:: \frac{1}{S_{meas}} = C_f + \frac{\sqrt{π}}{2 β E_r}\frac{1}{\sqrt{A_c}}

For a material whose hardness does not change with depth (fused silica, a glass), Ac = P/H,
so 1/S_meas is linear in 1/√Pmax with intercept Cf - no area function needed [2]_.

References
----------
.. [1] W. C. Oliver, G. M. Pharr, J. Mater. Res. 7 (1992) 1564, eq. (5) and section IV.A.
.. [2] D. Stone, W. R. LaFontaine, P. Alexopoulos, T.-W. Wu, C.-Y. Li, J. Mater. Res. 3
   (1988) 141 (the compliance plot against 1/√P).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from mofglass.errors import AnalysisError
from mofglass.results import Measured, Result

__all__ = ["FrameCompliance", "frame_compliance_from_series"]


@dataclass(frozen=True)
class FrameCompliance(Result):
    """Intercept (frame compliance) and slope of 1/S against 1/√Pmax."""

    frame_compliance_nm_mN: Measured
    slope_nm_mN05: Measured
    n_indents: int
    method: str = "1/S vs 1/sqrt(Pmax) intercept (constant hardness); Oliver-Pharr 1992"


def frame_compliance_from_series(
    max_load_mN: Sequence[float] | np.ndarray, stiffness_mN_nm: Sequence[float] | np.ndarray
) -> FrameCompliance:
    """Frame compliance in nm/mN from (Pmax, S) of indents at several loads.

    Parameters
    ----------
    max_load_mN : array_like
        Peak loads in mN (at least three distinct ones).
    stiffness_mN_nm : array_like
        Unloading stiffness measured without frame correction, mN/nm.

    Returns
    -------
    FrameCompliance
        Least-squares intercept and slope with standard errors from the residuals.
    """
    p = np.asarray(max_load_mN, dtype=float)
    s = np.asarray(stiffness_mN_nm, dtype=float)
    if p.size < 3 or np.unique(p.round(12)).size < 2:
        raise AnalysisError("frame compliance needs >= 3 indents at >= 2 different loads")
    x = 1.0 / np.sqrt(p)
    y = 1.0 / s
    design = np.column_stack([np.ones_like(x), x])
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    dof = p.size - 2
    resid = y - design @ coef
    cov = None
    if dof > 0:
        sigma2 = float(resid @ resid) / dof
        cov = sigma2 * np.linalg.inv(design.T @ design)
    err = (None, None) if cov is None else (math.sqrt(cov[0, 0]), math.sqrt(cov[1, 1]))
    return FrameCompliance(
        Measured(float(coef[0]), err[0], "nm/mN"),
        Measured(float(coef[1]), err[1], "nm mN^-0.5"),
        int(p.size),
    )
