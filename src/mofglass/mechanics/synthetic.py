"""Forward model: load-displacement curves of a material of known Er and H.

The loading is elastic-plastic and self-consistent with Oliver-Pharr [1]_: at every load P the
contact area is Ac = P/H, hc follows from the area function, the contact stiffness is
S = 2β/√π·Er·√Ac and the depth h = hc + εP/S (+ Cf·P for a compliant frame). For an ideal
Berkovich tip this gives the familiar P ∝ h² loading. The hold keeps Pmax and hmax, and the
unloading is the power law P = Pmax((h - hf)/(hmax - hf))^m with hf = hmax - m·Pmax/S, so that
its slope at hmax is exactly S: an Oliver-Pharr analysis of a noise-free curve returns the
input Er and H. With ``csm=True`` the loading points carry the harmonic contact stiffness
channel S (in N/m, including the frame compliance as 1/S_meas = 1/S + Cf).

References
----------
.. [1] W. C. Oliver, G. M. Pharr, J. Mater. Res. 7 (1992) 1564; 19 (2004) 3.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.optimize import brentq

from mofglass.mechanics.area import AreaFunction
from mofglass.mechanics.data import Indentation

__all__ = ["max_load_for_depth_mN", "synthetic_indentation"]

N_M_PER_MN_NM = 1e6  # 1 mN/nm = 1e6 N/m
GPA_TO_MN_NM2 = 1e-6


@dataclass(frozen=True)
class _ElasticPlastic:
    """The model material: Er and H (GPa) under a tip of area function ``area``."""

    reduced_modulus_GPa: float
    hardness_GPa: float
    area: AreaFunction
    epsilon: float
    beta: float

    def __call__(self, load_mN: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return contact depth (nm), stiffness (mN/nm) and depth (nm) along the loading."""
        p = np.asarray(load_mN, dtype=float)
        a = p / (self.hardness_GPa * GPA_TO_MN_NM2)
        hc = np.asarray(self.area.contact_depth_nm(a), dtype=float)
        beta, er = self.beta, self.reduced_modulus_GPa
        s = 2 * beta / math.sqrt(math.pi) * er * GPA_TO_MN_NM2 * np.sqrt(a)
        with np.errstate(divide="ignore", invalid="ignore"):
            h = np.where(s > 0, hc + self.epsilon * p / s, 0.0)
        return hc, s, h


def max_load_for_depth_mN(
    max_depth_nm: float,
    *,
    reduced_modulus_GPa: float,
    hardness_GPa: float,
    area: AreaFunction | None = None,
    epsilon: float = 0.75,
    beta: float = 1.0,
) -> float:
    """Find the peak load (mN) that takes the model material to ``max_depth_nm`` (Brent's method)."""
    area = area or AreaFunction.berkovich()
    model = _ElasticPlastic(reduced_modulus_GPa, hardness_GPa, area, epsilon, beta)
    hi = 1.0
    while model(np.array([hi]))[2][0] < max_depth_nm:
        hi *= 2
    return float(
        brentq(lambda p: model(np.array([p]))[2][0] - max_depth_nm, 0.0, hi, xtol=1e-12 * hi)
    )


def synthetic_indentation(
    *,
    reduced_modulus_GPa: float,
    hardness_GPa: float,
    max_load_mN: float,
    area: AreaFunction | None = None,
    epsilon: float = 0.75,
    beta: float = 1.0,
    unloading_exponent: float = 1.4,
    frame_compliance_nm_mN: float = 0.0,
    n_loading: int = 200,
    n_hold: int = 20,
    n_unloading: int = 100,
    loading_time_s: float = 10.0,
    hold_time_s: float = 2.0,
    unloading_time_s: float = 5.0,
    noise_load_mN: float = 0.0,
    noise_depth_nm: float = 0.0,
    csm: bool = False,
    seed: int | None = None,
    name: str = "synthetic",
) -> Indentation:
    """Simulate one load-controlled indent (load, hold, unload).

    Parameters
    ----------
    reduced_modulus_GPa, hardness_GPa : float
        Material truth Er and H in GPa.
    max_load_mN : float
        Peak load in mN.
    area : AreaFunction, optional
        Tip area function (ideal Berkovich by default).
    epsilon, beta : float
        Oliver-Pharr constants used by the model (0.75, 1.034).
    unloading_exponent : float
        m of the unloading power law (1.2-1.6 for Berkovich indents in glasses).
    frame_compliance_nm_mN : float
        Cf added to the recorded depth as Cf·P.
    n_loading, n_hold, n_unloading : int
        Points per segment.
    loading_time_s, hold_time_s, unloading_time_s : float
        Segment durations in s.
    noise_load_mN, noise_depth_nm : float
        Standard deviations of Gaussian noise added to load and depth.
    csm : bool
        Add a harmonic contact stiffness channel on the loading segment.
    seed : int, optional
        Seed of ``numpy.random.default_rng`` for the noise.
    name : str
        Test name.

    Returns
    -------
    Indentation
        ``instrument="synthetic"``; ``metadata`` records every input (the truth).
    """
    area = area or AreaFunction.berkovich()
    model = _ElasticPlastic(reduced_modulus_GPa, hardness_GPa, area, epsilon, beta)
    p_load = max_load_mN * np.linspace(0.0, 1.0, n_loading) ** 2  # denser near contact
    _, s_load, h_load = model(p_load)
    pmax, hmax, smax = max_load_mN, float(h_load[-1]), float(s_load[-1])
    m = unloading_exponent
    hf = hmax - m * pmax / smax
    p_unload = np.linspace(pmax, 0.0, n_unloading + 1)[1:]
    h_unload = hf + (hmax - hf) * (p_unload / pmax) ** (1.0 / m)
    p_hold = np.full(n_hold, pmax)
    h_hold = np.full(n_hold, hmax)
    load = np.concatenate([p_load, p_hold, p_unload])
    depth = np.concatenate([h_load, h_hold, h_unload]) + frame_compliance_nm_mN * load
    t1 = np.linspace(0.0, loading_time_s, n_loading)
    t2 = loading_time_s + np.linspace(0.0, hold_time_s, n_hold + 1)[1:]
    t3 = loading_time_s + hold_time_s + np.linspace(0.0, unloading_time_s, n_unloading + 1)[1:]
    time = np.concatenate([t1, t2, t3])
    rng = np.random.default_rng(seed)
    if noise_load_mN > 0:
        load = load + rng.normal(0.0, noise_load_mN, load.size)
    if noise_depth_nm > 0:
        depth = depth + rng.normal(0.0, noise_depth_nm, depth.size)
    stiffness = None
    if csm:
        with np.errstate(divide="ignore"):
            s_meas = 1.0 / (1.0 / s_load + frame_compliance_nm_mN)
        stiffness = np.full(load.size, np.nan)
        stiffness[:n_loading] = np.where(s_load > 0, s_meas * N_M_PER_MN_NM, np.nan)
    meta = {
        "reduced_modulus_GPa": reduced_modulus_GPa,
        "hardness_GPa": hardness_GPa,
        "max_load_mN": max_load_mN,
        "area_coefficients": list(area.coefficients),
        "epsilon": epsilon,
        "beta": beta,
        "unloading_exponent": m,
        "frame_compliance_nm_mN": frame_compliance_nm_mN,
        "noise_load_mN": noise_load_mN,
        "noise_depth_nm": noise_depth_nm,
        "seed": seed,
    }
    return Indentation(
        depth_nm=depth,
        load_mN=load,
        time_s=time,
        name=name,
        instrument="synthetic",
        harmonic_stiffness_N_m=stiffness,
        metadata=meta,
    )
