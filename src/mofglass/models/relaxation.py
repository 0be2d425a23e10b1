r"""Glass-transition relaxation by the Tool-Narayanaswamy-Moynihan (TNM) model.

The fictive temperature Tf follows the temperature T with a non-exponential (KWW) response in
reduced time, and a relaxation time that depends on both T and Tf:

.. math::

    \\tau = A \\exp\\left[\\frac{x\\,\\Delta h}{RT} + \\frac{(1-x)\\,\\Delta h}{R T_f}\\right],\\qquad
    T_{f,n} = T_0 + \\sum_{k=1}^{n} \\Delta T_k
              \\left[1 - \\exp\\left(-\\Big(\\sum_{j=k}^{n} \\Delta t_j/\\tau_j\\Big)^{\\beta}\\right)\\right]

The heat capacity measured by DSC is :math:`C_p = C_{p,g} + \\Delta C_p\\, dT_f/dT`.

References
----------
.. [1] C. T. Moynihan et al., Ann. N. Y. Acad. Sci. 279 (1976) 15.
.. [2] I. M. Hodge, J. Non-Cryst. Solids 169 (1994) 211 (review; discrete form used here).
.. [3] C. T. Moynihan, A. J. Easteal, J. Wilder, J. Tucker, J. Phys. Chem. 78 (1974) 2673:
       d ln|q| / d(1/Tf') = -Δh/R.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np

from mofglass._numba import njit
from mofglass._renamed import renamed_keywords
from mofglass.models.program import TemperatureProgram
from mofglass.units import ZERO_CELSIUS_K

__all__ = [
    "RelaxationTrace",
    "TNMParameters",
    "limiting_fictive_temperature_C",
    "simulate_relaxation",
]

LN10 = math.log(10.0)


@dataclass(frozen=True)
class TNMParameters:
    """TNM parameters.

    Attributes
    ----------
    activation_K : float
        Δh/R in K.
    ln_A_s : float
        Natural log of the pre-exponential factor A (s).
    x : float
        Non-linearity parameter, 0 < x <= 1.
    beta : float
        KWW stretching exponent, 0 < beta <= 1.
    """

    activation_K: float
    ln_A_s: float
    x: float = 0.5
    beta: float = 0.5

    def __post_init__(self) -> None:
        if not (0 < self.x <= 1 and 0 < self.beta <= 1 and self.activation_K > 0):
            raise ValueError("need Δh/R > 0, 0 < x <= 1 and 0 < beta <= 1")

    def tau_s(self, temperature_K: float, fictive_K: float) -> float:
        """Relaxation time (s) at T and Tf."""
        h = self.activation_K
        return math.exp(self.ln_A_s + self.x * h / temperature_K + (1 - self.x) * h / fictive_K)

    @property
    def fragility_m(self) -> float:
        """Kinetic fragility of the equilibrium liquid at Tg... needs Tg; see :meth:`fragility_at`."""
        raise AttributeError("use fragility_at(tg_C)")

    def fragility_at(self, tg_C: float) -> float:
        """M = Δh / (R Tg ln 10) for the Arrhenius equilibrium τ of the TNM model."""
        return self.activation_K / ((tg_C + ZERO_CELSIUS_K) * LN10)

    @classmethod
    @renamed_keywords(reference_rate_C_min="reference_rate_K_min")
    def from_fragility(
        cls,
        tg_C: float,
        fragility_m: float,
        *,
        x: float = 0.5,
        beta: float = 0.5,
        reference_rate_K_min: float = 10.0,
    ) -> TNMParameters:
        """Parameters whose limiting Tf' after cooling at ``reference_rate_K_min`` is ``tg_C``.

        Δh/R = m Tg ln 10 (the equilibrium τ is Arrhenius with that slope); A is then solved so
        that the simulated cooling at the reference rate freezes in at Tg (the usual convention
        that Tg measured at 10 K/min equals Tf').
        """
        return _from_fragility(tg_C, fragility_m, x, beta, reference_rate_K_min)


@functools.cache
def _from_fragility(
    tg_C: float,
    fragility_m: float,
    x: float,
    beta: float,
    reference_rate_K_min: float,
) -> TNMParameters:
    """Return the search behind :meth:`TNMParameters.from_fragility` (deterministic, cached)."""
    tg_K = tg_C + ZERO_CELSIUS_K
    h = fragility_m * tg_K * LN10
    # first guess from the Frenkel-Kobeko-Reiner condition q * tau * (dlnτ/dT) ≈ 1 at Tg
    q_K_s = reference_rate_K_min / 60.0
    guess = math.log(tg_K**2 / (h * q_K_s)) - h / tg_K
    lo, hi = guess - 6.0, guess + 6.0
    for _ in range(40):
        mid = 0.5 * (lo + hi)
        p = TNMParameters(h, mid, x, beta)
        tf = limiting_fictive_temperature_C(p, reference_rate_K_min, tg_C=tg_C)
        if tf > tg_C:  # froze in too early: τ too long -> smaller A
            hi = mid
        else:
            lo = mid
        if hi - lo < 1e-4:
            break
    return TNMParameters(h, 0.5 * (lo + hi), x, beta)


@dataclass(frozen=True)
class RelaxationTrace:
    """Result of a TNM simulation over a programme.

    Attributes
    ----------
    time_min, temperature_C, fictive_C : ndarray
        Time, temperature and fictive temperature.
    cp_normalised : ndarray
        dTf/dT (0 in the glass, 1 in the equilibrium liquid; NaN during holds).
    segment : ndarray
        Segment index of each point.
    """

    time_min: np.ndarray
    temperature_C: np.ndarray
    fictive_C: np.ndarray
    cp_normalised: np.ndarray
    segment: np.ndarray


@njit(cache=True)
def _tnm_kernel(t_s, T_K, h, ln_A, x, beta):
    # Reduced times are summed backwards from the current step, never as differences of a
    # running total: far above Tg one step adds ~1e15 while near Tg it adds ~1e-2.
    n = t_s.shape[0]
    tf = np.empty(n)
    tf[0] = T_K[0]
    dxi = np.zeros(n)
    relaxed = 0.0  # sum of the dT of fully relaxed steps (1..k0-1)
    k0 = 1
    for i in range(1, n):
        tau = math.exp(ln_A + x * h / T_K[i] + (1.0 - x) * h / tf[i - 1])
        dxi[i] = (t_s[i] - t_s[i - 1]) / tau
        acc = 0.0
        s = 0.0
        new_k0 = k0
        for k in range(i, k0 - 1, -1):
            s += dxi[k]
            arg = s**beta
            if arg > 40.0:
                # steps k0..k are fully relaxed from now on
                relaxed += T_K[k] - T_K[k0 - 1]
                new_k0 = k + 1
                break
            acc += (T_K[k] - T_K[k - 1]) * (1.0 - math.exp(-arg))
        k0 = new_k0
        tf[i] = T_K[0] + relaxed + acc
    return tf


def simulate_relaxation(
    params: TNMParameters,
    program: TemperatureProgram,
    *,
    step_C: float = 0.5,
) -> RelaxationTrace:
    """Fictive temperature and normalised heat capacity along a temperature programme.

    The material starts in equilibrium (Tf = T) at the programme's start temperature.

    Parameters
    ----------
    params : TNMParameters
        Relaxation parameters.
    program : TemperatureProgram
        The temperature programme.
    step_C : float
        Temperature step of the discretisation, °C (0.5 °C resolves Tf to ~0.1 °C).
    """
    t_min, T_C, seg = program.sample(step_C=step_C)
    tf_K = _tnm_kernel(
        t_min * 60.0,
        T_C + ZERO_CELSIUS_K,
        params.activation_K,
        params.ln_A_s,
        params.x,
        params.beta,
    )
    dT = np.gradient(T_C)
    with np.errstate(divide="ignore", invalid="ignore"):
        cpn = np.where(np.abs(dT) > 1e-12, np.gradient(tf_K) / dT, np.nan)
    return RelaxationTrace(t_min, T_C, tf_K - ZERO_CELSIUS_K, cpn, seg)


@renamed_keywords(cooling_rate_C_min="cooling_rate_K_min")
def limiting_fictive_temperature_C(
    params: TNMParameters,
    cooling_rate_K_min: float,
    *,
    tg_C: float,
    span_C: float = 80.0,
    step_C: float = 0.25,
) -> float:
    """Tf' (°C) frozen in by cooling from Tg + span to Tg - span at ``cooling_rate_K_min``."""
    program = TemperatureProgram.linear(tg_C + span_C, tg_C - span_C, abs(cooling_rate_K_min))
    return float(simulate_relaxation(params, program, step_C=step_C).fictive_C[-1])
