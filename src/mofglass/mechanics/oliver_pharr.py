r"""Oliver-Pharr analysis of the unloading curve: stiffness, contact depth, Er and H.

The upper part of the unloading curve is fitted with the power law [1]_

.. math:: P = P_0 \left(\frac{h - h_f}{h_{max} - h_f}\right)^m

(the normalised form of P = α (h - hf)^m, better conditioned for the fit), giving the contact
stiffness S = dP/dh at hmax = m P0 / (hmax - hf). Then

.. math:: h_c = h_{max} - ε P_{max}/S,\quad E_r = \frac{\sqrt{π}}{2β}\frac{S}{\sqrt{A_c(h_c)}},
          \quad H = P_{max}/A_c(h_c).

Pmax and hmax are those of the last point of the hold. Uncertainties: the fit covariance of (P0, hf, m) gives σ(S); σ(S) is propagated to hc, Ac, Er
and H with their full dependence on S (Pmax and hmax are taken as exact).

References
----------
.. [1] W. C. Oliver, G. M. Pharr, J. Mater. Res. 7 (1992) 1564-1583.
.. [2] W. C. Oliver, G. M. Pharr, J. Mater. Res. 19 (2004) 3-20 (β = 1.034 for Berkovich).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import lmfit
import numpy as np

from mofglass.errors import AnalysisError
from mofglass.mechanics.data import Indentation
from mofglass.mechanics.options import OliverPharrKeywords, OliverPharrOptions
from mofglass.mechanics.segments import Segments, detect_segments
from mofglass.results import Measured, Result

if TYPE_CHECKING:
    from typing_extensions import Unpack

__all__ = ["OliverPharrResult", "fit_unloading", "oliver_pharr", "unloading_law"]

GPA_PER_MN_NM2 = 1e6
"""1 mN/nm² = 1e6 GPa."""


def unloading_law(
    depth_nm: np.ndarray, max_depth_nm: float, p0: float, hf: float, m: float
) -> np.ndarray:
    """Oliver-Pharr unloading power law P(h) in mN (0 below the final depth hf)."""
    x = np.clip((np.asarray(depth_nm) - hf) / (max_depth_nm - hf), 0.0, None)
    return np.asarray(p0 * x**m)


@dataclass(frozen=True)
class UnloadingFit:
    """Power-law fit of an unloading curve; S and its standard uncertainty in mN/nm."""

    p0_mN: float
    final_depth_nm: float
    exponent: float
    stiffness_mN_nm: float
    stiffness_stderr_mN_nm: float | None
    n_points: int
    converged: bool
    message: str
    depth_nm: np.ndarray
    load_mN: np.ndarray


#: bounds of the unloading exponent (Oliver-Pharr: 1 flat punch, 1.5 paraboloid, 2 cone); a fit
#: ending on one is flagged as not converged and left out of the averages
_M_BOUNDS = (0.5, 6.0)


def fit_unloading(
    depth_nm: np.ndarray, load_mN: np.ndarray, *, max_depth_nm: float, max_load_mN: float
) -> UnloadingFit:
    """Fit the power law to unloading points (already restricted to the fit window).

    Parameters
    ----------
    depth_nm, load_mN : ndarray
        Unloading points in nm and mN.
    max_depth_nm, max_load_mN : float
        Depth and load at the start of unloading.

    Returns
    -------
    UnloadingFit
        ``converged`` is False when the fit failed or its exponent ends on a bound (0.5 or 6).
    """
    h = np.asarray(depth_nm, dtype=float)
    p = np.asarray(load_mN, dtype=float)
    if h.size < 5:
        raise AnalysisError(f"the unloading fit window holds {h.size} points; need >= 5")
    span = max(max_depth_nm - float(h.min()), 1e-9)
    # start: a straight line through the window's ends gives hf for m = 1; m = 1.5 typical
    slope = (p.max() - p.min()) / max(h[np.argmax(p)] - h[np.argmin(p)], 1e-9)
    hf0 = max_depth_nm - 1.5 * max_load_mN / max(slope, 1e-12) * 0.8
    hf0 = min(hf0, float(h.min()) - 0.05 * span)
    model = lmfit.Model(unloading_law, independent_vars=["depth_nm", "max_depth_nm"])
    params = model.make_params(p0=max_load_mN, hf=hf0, m=1.5)
    params["p0"].set(min=0.0)
    params["hf"].set(max=float(h.min()) - 1e-6 * span)
    params["m"].set(min=_M_BOUNDS[0], max=_M_BOUNDS[1])
    res = model.fit(p, params, depth_nm=h, max_depth_nm=max_depth_nm)
    p0, hf, m = (res.params[k].value for k in ("p0", "hf", "m"))
    converged, message = bool(res.success), str(res.message)
    if not _M_BOUNDS[0] * (1 + 1e-3) < m < _M_BOUNDS[1] * (1 - 1e-3):
        converged = False  # a fit on its bound is no fit: the power law does not hold
        message = (
            f"unloading exponent m = {m:.3g} on its bound ({_M_BOUNDS[0]:g}-{_M_BOUNDS[1]:g}): "
            "the power law does not describe this unloading"
        )
    d = max_depth_nm - hf
    s = m * p0 / d
    stderr = None
    if res.covar is not None and res.covar.shape == (3, 3):
        grad = np.array([m / d, m * p0 / d**2, p0 / d])  # dS/d(p0, hf, m)
        var = float(grad @ res.covar @ grad)
        stderr = math.sqrt(var) if var >= 0 else None
    return UnloadingFit(p0, hf, m, s, stderr, int(h.size), converged, message, h, p)


@dataclass(frozen=True)
class OliverPharrResult(Result):
    """Oliver-Pharr quantities of one indent (units in the names and in each Measured)."""

    reduced_modulus_GPa: Measured
    hardness_GPa: Measured
    stiffness_mN_nm: Measured
    contact_depth_nm: Measured
    contact_area_nm2: Measured
    max_load_mN: Measured
    max_depth_nm: Measured
    unloading_exponent: Measured
    final_depth_nm: Measured
    fit_window: tuple[float, float]
    n_fit_points: int
    epsilon: float
    beta: float
    frame_compliance_nm_mN: float
    area_coefficients: tuple[float, ...]
    converged: bool
    message: str
    name: str = ""
    fit_p0_mN: float = float("nan")
    method: str = "Oliver-Pharr (J. Mater. Res. 7 (1992) 1564; 19 (2004) 3), power-law unloading"

    def __bool__(self) -> bool:
        return self.converged


def oliver_pharr(
    indentation: Indentation,
    *,
    options: OliverPharrOptions | None = None,
    fit_window: tuple[float, float] = (0.5, 1.0),
    drift_rate_nm_s: float = 0.0,
    segments: Segments | None = None,
    **keywords: Unpack[OliverPharrKeywords],
) -> OliverPharrResult:
    """Reduced modulus and hardness of one indent from its unloading curve.

    Parameters
    ----------
    indentation : Indentation
        One test (depth nm, load mN).
    options : OliverPharrOptions, optional
        Tip area function (default the ideal Berkovich Ac = 24.5 hc²), ε (0.75 for Berkovich,
        paraboloid of revolution), β (1.034 for Berkovich [2]_, 1.0 for none) and the
        load-frame compliance Cf in nm/mN (default 0; the depth is corrected as h - Cf·P
        before the fit).
    fit_window : (float, float)
        Fraction of Pmax bounding the unloading points fitted; default the upper half
        (0.5-1.0), as the G200 "50 % unload"; (0.2, 0.95) is also common.
    drift_rate_nm_s : float
        Thermal drift rate in nm/s (e.g. the Hysitron header's ``Drift Rate``); the depth is
        corrected as h - rate·(t - t0).
    segments : Segments, optional
        Pre-computed segments; default :func:`detect_segments` on the load.
    **keywords
        ``area``, ``epsilon``, ``beta``, ``frame_compliance_nm_mN`` as keywords (override
        ``options``; see :class:`~mofglass.mechanics.options.OliverPharrOptions`).

    Returns
    -------
    OliverPharrResult
        ``converged`` is False (with ``message``) when the fit did not converge.

    Raises
    ------
    AnalysisError
        No unloading, or too few points in the fit window.

    References
    ----------
    .. [1] W. C. Oliver, G. M. Pharr, J. Mater. Res. 7 (1992) 1564.
    .. [2] W. C. Oliver, G. M. Pharr, J. Mater. Res. 19 (2004) 3.
    """
    opts = OliverPharrOptions.resolve(options, keywords)
    area, epsilon, beta, cf = opts.tip, opts.epsilon, opts.beta, opts.compliance_nm_mN
    lo, hi = fit_window
    if not 0.0 <= lo < hi <= 1.0:
        raise ValueError(f"fit_window must satisfy 0 <= lo < hi <= 1, got {fit_window}")
    load = indentation.load_mN
    depth = indentation.depth_nm - cf * load
    if drift_rate_nm_s:
        t = indentation.time_s
        depth = depth - drift_rate_nm_s * (t - t[0])
    seg = segments or detect_segments(load)
    i0 = seg.unload_start
    pmax, hmax = float(load[i0]), float(depth[i0])  # the last hold point (creep included)
    h_un, p_un = depth[seg.unloading], load[seg.unloading]
    below = np.nonzero(p_un < lo * pmax)[0]
    stop = int(below[0]) if below.size else p_un.size  # the first contiguous run only
    sel = np.arange(stop)
    sel = sel[(p_un[sel] <= hi * pmax + 1e-12) & (p_un[sel] >= lo * pmax)]
    fit = fit_unloading(h_un[sel], p_un[sel], max_depth_nm=hmax, max_load_mN=pmax)
    s, ss = fit.stiffness_mN_nm, fit.stiffness_stderr_mN_nm
    hc = hmax - epsilon * pmax / s
    if hc <= 0:
        raise AnalysisError(f"{indentation.label}: contact depth {hc:.3g} nm <= 0")
    a = float(area.area_nm2(hc))
    da_dhc = float(area.derivative_nm(hc))
    er = math.sqrt(math.pi) / (2 * beta) * s / math.sqrt(a) * GPA_PER_MN_NM2
    hard = pmax / a * GPA_PER_MN_NM2
    dhc_ds = epsilon * pmax / s**2
    der_ds = er / s - er / (2 * a) * da_dhc * dhc_ds
    dh_ds = -hard / a * da_dhc * dhc_ds

    def err(g: float) -> float | None:
        return None if ss is None else abs(g) * ss

    return OliverPharrResult(
        reduced_modulus_GPa=Measured(er, err(der_ds), "GPa"),
        hardness_GPa=Measured(hard, err(dh_ds), "GPa"),
        stiffness_mN_nm=Measured(s, ss, "mN/nm"),
        contact_depth_nm=Measured(hc, err(dhc_ds), "nm"),
        contact_area_nm2=Measured(a, err(da_dhc * dhc_ds), "nm^2"),
        max_load_mN=Measured(pmax, None, "mN"),
        max_depth_nm=Measured(hmax, None, "nm"),
        unloading_exponent=Measured(fit.exponent, None, ""),
        final_depth_nm=Measured(fit.final_depth_nm, None, "nm"),
        fit_window=(lo, hi),
        n_fit_points=fit.n_points,
        epsilon=epsilon,
        beta=beta,
        frame_compliance_nm_mN=cf,
        area_coefficients=area.coefficients,
        converged=fit.converged,
        message=fit.message,
        name=indentation.label,
        fit_p0_mN=fit.p0_mN,
    )
