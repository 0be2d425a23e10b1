"""Tip area-function calibration on a reference material of known modulus (fused silica).

From each indent (quasi-static: one point per unloading; CSM: every loading point) the contact
depth hc = h - εP/S and the area Ac = π/(4β²)·(S/Er)² that the known Er implies are collected,
and the Oliver-Pharr series is fitted to them [1]_. Fused silica: E = 72 GPa, ν = 0.17, hence
Er = 69.6 GPa with a diamond indenter.

References
----------
.. [1] W. C. Oliver, G. M. Pharr, J. Mater. Res. 7 (1992) 1564, section IV.A; 19 (2004) 3.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from mofglass.errors import AnalysisError
from mofglass.mechanics.area import (
    AreaCalibration,
    AreaFunction,
    area_from_stiffness_nm2,
    calibrate_area_function,
)
from mofglass.mechanics.csm import csm_profile
from mofglass.mechanics.data import Indentation
from mofglass.mechanics.oliver_pharr import oliver_pharr
from mofglass.mechanics.options import OliverPharrKeywords, OliverPharrOptions

if TYPE_CHECKING:
    from typing_extensions import Unpack

__all__ = ["calibrate_on_reference"]


def calibrate_on_reference(
    tests: Sequence[Indentation],
    *,
    reduced_modulus_GPa: float,
    n_terms: int = 3,
    c0: float | None = None,
    contact_depth_range_nm: tuple[float, float] = (0.0, float("inf")),
    use_csm: bool | None = None,
    options: OliverPharrOptions | None = None,
    **keywords: Unpack[OliverPharrKeywords],
) -> AreaCalibration:
    """Fit an area function to indents on a reference of known reduced modulus.

    Parameters
    ----------
    tests : sequence of Indentation
        Indents on the reference (several peak loads for quasi-static tests).
    reduced_modulus_GPa : float
        Er of the reference (69.6 GPa for fused silica under diamond).
    n_terms : int
        Number of series terms C0 ... C(n_terms-1).
    c0 : float, optional
        Fix C0 (e.g. 24.5).
    contact_depth_range_nm : (float, float)
        Use only points with hc in this range.
    use_csm : bool, optional
        Use the CSM channel (every loading point); default when all tests have it.
    options : OliverPharrOptions, optional
        ε, β and the frame compliance, as in :func:`~mofglass.mechanics.oliver_pharr.oliver_pharr`.
        The area function used for that step does not matter (hc and S do not depend on it):
        the ideal Berkovich is used.
    **keywords
        ``epsilon``, ``beta``, ``frame_compliance_nm_mN`` as keywords (override ``options``).

    Returns
    -------
    AreaCalibration
    """
    opts = replace(OliverPharrOptions.resolve(options, keywords), area=AreaFunction.berkovich())
    csm = all(t.has_csm for t in tests) if use_csm is None else use_csm
    hc_parts: list[np.ndarray] = []
    s_parts: list[np.ndarray] = []
    for t in tests:
        if csm:
            pr = csm_profile(t, options=opts)
            hc_parts.append(pr.contact_depth_nm)
            s_parts.append(pr.stiffness_mN_nm)
        else:
            r = oliver_pharr(t, options=opts)
            hc_parts.append(np.array([r.contact_depth_nm.value]))
            s_parts.append(np.array([r.stiffness_mN_nm.value]))
    if not hc_parts:
        raise AnalysisError("no reference indents")
    hc = np.concatenate(hc_parts)
    s = np.concatenate(s_parts)
    lo, hi = contact_depth_range_nm
    sel = (hc >= lo) & (hc <= hi)
    area = area_from_stiffness_nm2(s[sel], reduced_modulus_GPa=reduced_modulus_GPa, beta=opts.beta)
    return calibrate_area_function(hc[sel], area, n_terms=n_terms, c0=c0)
