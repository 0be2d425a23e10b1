"""Continuous-stiffness (CSM) depth profiles and averages over indents and a depth window.

Along the loading of a CSM test every point has a harmonic contact stiffness S, so Oliver-Pharr
applies point by point [1]_ [2]_: hc = h - εP/S, Er = √π S/(2β√Ac), H = P/Ac. Profiles of
several indents are averaged on a common depth grid (mean ± standard deviation, n), and a depth
window gives one value per indent and their mean ± standard deviation.

References
----------
.. [1] W. C. Oliver, G. M. Pharr, J. Mater. Res. 19 (2004) 3-20, section III.B.
.. [2] X. Li, B. Bhushan, Mater. Charact. 48 (2002) 11-36 (CSM technique).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from mofglass.errors import AnalysisError
from mofglass.mechanics.data import Indentation
from mofglass.mechanics.options import OliverPharrKeywords, OliverPharrOptions
from mofglass.mechanics.segments import detect_segments
from mofglass.results import Measured, Result

if TYPE_CHECKING:
    from typing_extensions import Unpack

__all__ = [
    "DepthProfile",
    "ProfileAverage",
    "WindowAverage",
    "average_profiles",
    "csm_profile",
    "window_average",
]

_MN_NM_PER_N_M = 1e-6
_GPA_PER_MN_NM2 = 1e6


@dataclass(frozen=True)
class DepthProfile(Result):
    """Er and H against depth for one CSM indent (loading segment, valid points only)."""

    depth_nm: np.ndarray
    contact_depth_nm: np.ndarray
    stiffness_mN_nm: np.ndarray
    reduced_modulus_GPa: np.ndarray
    hardness_GPa: np.ndarray
    name: str = ""
    method: str = "CSM Oliver-Pharr point by point (Oliver & Pharr, J. Mater. Res. 19 (2004) 3)"


def csm_profile(
    indentation: Indentation,
    *,
    options: OliverPharrOptions | None = None,
    **keywords: Unpack[OliverPharrKeywords],
) -> DepthProfile:
    """Depth profile of Er and H from the harmonic stiffness channel.

    Parameters
    ----------
    indentation : Indentation
        A CSM test (``harmonic_stiffness_N_m`` present).
    options : OliverPharrOptions, optional
        Tip area function (ideal Berkovich by default), ε and β (0.75; 1.0 as the G200
        software, 1.034 per [1]_) and the frame compliance Cf in nm/mN (default 0): S is
        corrected as 1/S = 1/S_meas - Cf and the depth as h - Cf·P.
    **keywords
        ``area``, ``epsilon``, ``beta``, ``frame_compliance_nm_mN`` as keywords (override
        ``options``).

    Returns
    -------
    DepthProfile

    Raises
    ------
    AnalysisError
        The test has no usable stiffness channel.
    """
    if not indentation.has_csm or indentation.harmonic_stiffness_N_m is None:
        raise AnalysisError(f"{indentation.label}: no harmonic (CSM) stiffness channel")
    opts = OliverPharrOptions.resolve(options, keywords)
    area, epsilon, beta, cf = opts.tip, opts.epsilon, opts.beta, opts.compliance_nm_mN
    seg = detect_segments(indentation.load_mN)
    sl = slice(seg.loading.start, seg.unload_start + 1)
    p = indentation.load_mN[sl]
    h = indentation.depth_nm[sl] - cf * p
    s_meas = indentation.harmonic_stiffness_N_m[sl] * _MN_NM_PER_N_M
    with np.errstate(divide="ignore", invalid="ignore"):
        s = 1.0 / (1.0 / s_meas - cf)
        hc = h - epsilon * p / s
    ok = np.isfinite(s) & (s > 0) & np.isfinite(hc) & (hc > 0) & (p > 0)
    h, p, s, hc = h[ok], p[ok], s[ok], hc[ok]
    a = area.area_nm2(hc)
    er = math.sqrt(math.pi) / (2 * beta) * s / np.sqrt(a) * _GPA_PER_MN_NM2
    hard = p / a * _GPA_PER_MN_NM2
    return DepthProfile(h, hc, s, er, hard, name=indentation.label)


@dataclass(frozen=True)
class ProfileAverage(Result):
    """Mean and standard deviation of profiles on a depth grid (NaN where n < 1)."""

    depth_nm: np.ndarray
    reduced_modulus_mean_GPa: np.ndarray
    reduced_modulus_std_GPa: np.ndarray
    hardness_mean_GPa: np.ndarray
    hardness_std_GPa: np.ndarray
    n: np.ndarray


def average_profiles(
    profiles: Sequence[DepthProfile], *, depth_grid_nm: np.ndarray | Sequence[float]
) -> ProfileAverage:
    """Average several depth profiles on a common depth grid (linear interpolation in depth).

    Each profile contributes only inside its own depth range; the standard deviation uses
    ddof = 1 (NaN where fewer than two profiles cover a depth).
    """
    grid = np.asarray(depth_grid_nm, dtype=float)
    ers, hs = [], []
    for pr in profiles:
        order = np.argsort(pr.depth_nm)
        x = pr.depth_nm[order]
        inside = (grid >= x[0]) & (grid <= x[-1])
        ers.append(np.where(inside, np.interp(grid, x, pr.reduced_modulus_GPa[order]), np.nan))
        hs.append(np.where(inside, np.interp(grid, x, pr.hardness_GPa[order]), np.nan))
    e, hh = np.array(ers), np.array(hs)
    n = np.sum(np.isfinite(e), axis=0)

    def stats(v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.nansum(v, axis=0) / np.where(n > 0, n, np.nan)
            dev = np.nansum((v - mean) ** 2, axis=0) / np.where(n > 1, n - 1, np.nan)
        return mean, np.sqrt(dev)

    em, es = stats(e)
    hm, hsd = stats(hh)
    return ProfileAverage(grid, em, es, hm, hsd, n)


@dataclass(frozen=True)
class WindowAverage(Result):
    """Er and H averaged over a depth window then over indents: mean ± SD (ddof = 1), n."""

    reduced_modulus_GPa: Measured
    hardness_GPa: Measured
    n_indents: int
    depth_window_nm: tuple[float, float]
    per_indent_reduced_modulus_GPa: tuple[float, ...]
    per_indent_hardness_GPa: tuple[float, ...]
    method: str = "mean ± standard deviation over indents of the depth-window average"


def window_average(
    profiles: Sequence[DepthProfile], *, depth_window_nm: tuple[float, float]
) -> WindowAverage:
    """Average each profile over ``depth_window_nm`` (depth h, nm), then across indents.

    Raises
    ------
    AnalysisError
        No profile has points inside the window.
    """
    lo, hi = depth_window_nm
    ers, hs = [], []
    for pr in profiles:
        sel = (pr.depth_nm >= lo) & (pr.depth_nm <= hi)
        if np.any(sel):
            ers.append(float(np.mean(pr.reduced_modulus_GPa[sel])))
            hs.append(float(np.mean(pr.hardness_GPa[sel])))
    if not ers:
        raise AnalysisError(f"no profile has points between {lo} and {hi} nm")
    n = len(ers)

    def sd(v: list[float]) -> float | None:
        return float(np.std(v, ddof=1)) if n > 1 else None

    return WindowAverage(
        Measured(float(np.mean(ers)), sd(ers), "GPa"),
        Measured(float(np.mean(hs)), sd(hs), "GPa"),
        n,
        (float(lo), float(hi)),
        tuple(ers),
        tuple(hs),
    )
