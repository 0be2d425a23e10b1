"""Kinetic fragility from the rate dependence of the fictive (or glass) temperature.

Fragility follows from the rate dependence of Tf (or Tg) [1]_: ``m = -d log10 q / d(Tg/Tf)`` at
``Tf = Tg``, i.e. a straight line of log10|q| against 1/Tf with slope s gives ``m = -s / Tg`` and
``ΔH* = -ln(10) R s``; Tg is the Tf at the reference rate (10 K/min).

References
----------
.. [1] R. Böhmer, K. L. Ngai, C. A. Angell, D. J. Plazek, J. Chem. Phys. 99, 4201 (1993);
   Y. Z. Yue, J. Non-Cryst. Solids 354, 1112 (2008) (fragility from Tf(q)).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from mofglass.errors import AnalysisError
from mofglass.results import Measured, Result
from mofglass.units import R_GAS, ZERO_CELSIUS_K

__all__ = ["R_GAS", "Fragility", "fragility"]


@dataclass(frozen=True)
class Fragility(Result):
    """Kinetic fragility from the rate dependence of Tf or Tg."""

    fragility_m: Measured
    activation_enthalpy_kJ_mol: Measured
    tg_reference_C: Measured
    reference_rate_K_min: float
    r_squared: float
    n_rates: int
    method: ClassVar[str] = "m = -dlog10|q|/d(Tg/Tf) at Tf = Tg (Böhmer 1993; Yue 2008)"


def _check_resolved(m: float, m_err: float | None, q: np.ndarray, temps: list[Measured]) -> None:
    """Refuse a fragility the data do not resolve: Tf must rise with the rate, m >= 2 sigma."""
    pts = ", ".join(f"{r:.3g} K/min: {t}" for r, t in zip(q, temps, strict=True))
    if m <= 0:
        raise AnalysisError(
            f"Tf (Tg) does not rise with the rate ({pts}): m = {m:.3g} <= 0 is no fragility"
        )
    if m_err is not None and m_err > 0.5 * m:
        raise AnalysisError(
            f"the rate dependence of Tf (Tg) is not resolved ({pts}): m = "
            f"{Measured(m, m_err, '')} is below twice its uncertainty"
        )


def fragility(
    rates_K_min: Sequence[float],
    temperatures_C: Sequence[Measured | float],
    *,
    reference_rate_K_min: float = 10.0,
) -> Fragility:
    """Fragility index m from Tf (or Tg) at several cooling or heating rates.

    Fits ``log10|q| = a + s / Tf`` (weighted by the Tf uncertainties when given) and returns
    ``m = -s / Tg`` with ``Tg = Tf(q_ref)``, and ``ΔH* = -ln(10) R s``; uncertainties from the
    fit covariance by linear propagation. A fit with m <= 0 (Tf not rising with the rate) or m
    below twice its uncertainty is refused (AnalysisError naming the points): not a result.

    Parameters
    ----------
    rates_K_min : sequence of float
        Scan rates (sign ignored).
    temperatures_C : sequence of Measured or float
        Tf or Tg at those rates, in °C.
    reference_rate_K_min : float
        Rate at which Tg is defined (10 K/min by convention).

    References
    ----------
    .. [1] Böhmer et al., J. Chem. Phys. 99, 4201 (1993); Moynihan et al. (1976).
    """
    q = np.abs(np.asarray(rates_K_min, dtype=float))
    if len(q) < 2 or len(np.unique(q)) < 2:
        raise AnalysisError("fragility needs at least two different rates")
    Tm = [x if isinstance(x, Measured) else Measured(float(x), None, "°C") for x in temperatures_C]
    TK = np.array([m.value for m in Tm]) + ZERO_CELSIUS_K
    sT = np.array([m.stderr if m.stderr else np.nan for m in Tm])
    x = 1.0 / TK
    yv = np.log10(q)
    if np.all(np.isfinite(sT)) and np.all(sT > 0):
        # error in x mapped to y through the slope of a first unweighted fit
        s0 = np.polyfit(x, yv, 1)[0]
        sy = np.abs(s0) * sT / TK**2
        w = 1.0 / sy
    else:
        w = None
    if len(q) > 2:
        coef, cov = np.polyfit(x, yv, 1, w=w, cov="unscaled" if w is not None else True)
        if w is not None:
            resid = yv - np.polyval(coef, x)
            chi2 = float(np.sum((resid * w) ** 2) / (len(q) - 2))
            cov = cov * max(chi2, 1.0)
    else:
        coef = np.polyfit(x, yv, 1)
        if w is None:
            cov = np.zeros((2, 2))
        else:
            J = np.array([[x[0], 1.0], [x[1], 1.0]])
            Jinv = np.linalg.inv(J)
            cov = Jinv @ np.diag((1 / w) ** 2) @ Jinv.T
    s, a = float(coef[0]), float(coef[1])
    xg = (np.log10(reference_rate_K_min) - a) / s
    tg = 1.0 / xg
    m = -s * xg
    # m = -s * (log10 qref - a) / s = a - log10(qref) exactly; Tg = s / (log10 qref - a)
    L = np.log10(reference_rate_K_min)
    var_a, var_s, cov_as = float(cov[1, 1]), float(cov[0, 0]), float(cov[0, 1])
    m_err = np.sqrt(max(var_a, 0.0))
    dtg_ds = 1.0 / (L - a)
    dtg_da = s / (L - a) ** 2
    tg_err = np.sqrt(max(dtg_ds**2 * var_s + dtg_da**2 * var_a + 2 * dtg_ds * dtg_da * cov_as, 0.0))
    dh = -np.log(10) * R_GAS * s / 1000.0
    dh_err = np.log(10) * R_GAS * np.sqrt(max(var_s, 0.0)) / 1000.0
    m_unc = float(m_err) if len(q) > 2 or w is not None else None
    _check_resolved(float(m), m_unc, q, Tm)
    pred = np.polyval(coef, x)
    ss_res = float(np.sum((yv - pred) ** 2))
    ss_tot = float(np.sum((yv - yv.mean()) ** 2))
    return Fragility(
        fragility_m=Measured(float(m), m_unc, ""),
        activation_enthalpy_kJ_mol=Measured(float(dh), float(dh_err), "kJ/mol"),
        tg_reference_C=Measured(float(tg - ZERO_CELSIUS_K), float(tg_err), "°C"),
        reference_rate_K_min=float(reference_rate_K_min),
        r_squared=1.0 - ss_res / ss_tot if ss_tot > 0 else 1.0,
        n_rates=len(q),
    )
