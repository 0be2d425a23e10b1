"""Specific heat capacity by DSC: the sapphire (ratio) method and the step method.

Three runs with one temperature programme: blank (empty crucibles), reference (sapphire) and
sample. With the blank subtracted, ``cp = (Φ_s / Φ_ref) (m_ref / m_s) cp_ref`` (ASTM E1269,
continuous ramps); without a reference run ``cp = Φ_s / (m_s β)`` (single run, needs a
calibrated heat flow). For stepped programmes (isotherms joined by short ramps, ISO 11357-4)
the heat of each step, integrated above the straight line joining the isothermal levels, gives
the mean cp over the step: ``Q / (m ΔT)``, or the ratio to the sapphire's ``Q_ref``.

Sapphire (α-Al2O3) cp from the Shomate equation of NIST-JANAF (Chase 1998) as given in the NIST
Chemistry WebBook, valid 298-2327 K.

References
----------
.. [1] ASTM E1269-11, Determining Specific Heat Capacity by DSC.
.. [2] ISO 11357-4:2021, Plastics - DSC - Part 4: Determination of specific heat capacity.
.. [3] M. W. Chase, NIST-JANAF Thermochemical Tables, 4th ed., J. Phys. Chem. Ref. Data Monogr. 9
   (1998); NIST Chemistry WebBook, SRD 69, aluminium oxide (alpha).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from scipy.integrate import trapezoid

from mofglass.errors import AnalysisError
from mofglass.results import Measured, Result
from mofglass.thermal.segments import find_segments
from mofglass.thermal.thermogram import Thermogram
from mofglass.units import ZERO_CELSIUS_K

__all__ = ["CpStep", "HeatCapacity", "delta_cp_from_cp", "sapphire_cp_J_gK", "step_heat_capacity"]

_SHOMATE_AL2O3 = (102.4290, 38.74980, -15.91090, 2.628181, -3.007551)
_M_AL2O3 = 101.9613


def sapphire_cp_J_gK(temperature_C: np.ndarray | float) -> np.ndarray:
    """Specific heat capacity of sapphire (α-Al2O3) in J/(g K) at ``temperature_C``.

    NIST-JANAF Shomate equation, ``cp = A + B t + C t² + D t³ + E/t²`` with t = T/1000 K [3]_.
    """
    T = np.asarray(temperature_C, float) + ZERO_CELSIUS_K
    if np.any(T < 298.0) or np.any(T > 2327.0):
        raise AnalysisError("sapphire cp (Shomate, NIST-JANAF) is valid from 298 to 2327 K only")
    a, b, c, d, e = _SHOMATE_AL2O3
    t = T / 1000.0
    return np.asarray((a + b * t + c * t**2 + d * t**3 + e / t**2) / _M_AL2O3)


@dataclass(frozen=True)
class HeatCapacity(Result):
    """Mean specific heat capacity over each heating step."""

    temperature_C: tuple[float, ...]
    step_C: tuple[tuple[float, float], ...]
    cp_J_gK: tuple[Measured, ...]
    method_used: str
    method: ClassVar[str] = "step method with blank (ISO 11357-4); sapphire ratio (ASTM E1269)"


def _signal_mW(trace: Thermogram) -> np.ndarray:
    """Heat flow in mW, endothermic positive."""
    if trace.heat_flow_mW is not None:
        h = np.asarray(trace.heat_flow_mW, float)
    elif trace.heat_flow_W_g is not None and trace.sample_mass_mg:
        h = np.asarray(trace.heat_flow_W_g) * trace.sample_mass_mg
    else:
        raise AnalysisError(f"{trace.source}: no heat flow in mW")
    if trace.exo_up is None:
        raise AnalysisError(f"{trace.source}: exo direction unknown")
    return -h if trace.exo_up else h


def _step_heats(trace: Thermogram, signal: np.ndarray) -> list[tuple[float, float, float]]:
    """(heat in mJ, T before, T after) for each isotherm-ramp-isotherm triple."""
    segs = find_segments(trace)
    t = trace.time_s
    T = trace.temperature_C
    out = []
    for pre, ramp, post in zip(segs, segs[1:], segs[2:], strict=False):
        if (pre.kind, ramp.kind, post.kind) != ("isothermal", "heating", "isothermal"):
            continue
        a = slice(pre.stop - (pre.stop - pre.start) // 3, pre.stop)
        b_end = post.stop
        b = slice(b_end - (b_end - post.start) // 3, b_end)
        lvl_a, lvl_b = (
            float(np.mean(signal[a])),
            float(np.mean(signal[b])),
        )
        win = slice(ramp.start, b.start)
        tw = t[win]
        t_ramp_end = t[post.start]
        base = np.where(tw < t_ramp_end, np.interp(tw, [tw[0], t_ramp_end], [lvl_a, lvl_b]), lvl_b)
        q = float(trapezoid(signal[win] - base, tw))
        out.append((q, float(np.mean(T[a])), float(np.mean(T[b]))))
    if not out:
        raise AnalysisError(f"{trace.source}: no isotherm-heating-isotherm steps found")
    return out


def step_heat_capacity(
    sample: Thermogram,
    blank: Thermogram,
    *,
    reference: Thermogram | None = None,
    reference_mass_mg: float | None = None,
    sample_mass_mg: float | None = None,
    relative_uncertainty: float = 0.02,
) -> HeatCapacity:
    """Mean cp of each heating step of a stepped programme (blank-corrected).

    Parameters
    ----------
    sample, blank : Thermogram
        Sample and empty-crucible runs with the same programme and sampling.
    reference : Thermogram, optional
        Sapphire run; with ``reference_mass_mg`` gives the ratio (three-run) method.
    sample_mass_mg : float, optional
        Default: the sample run's header mass.
    relative_uncertainty : float
        Relative standard uncertainty attached to each value (calibration, masses).

    Returns
    -------
    HeatCapacity
        One value per step at the step's mean temperature.
    """
    m_s = sample_mass_mg or sample.sample_mass_mg
    if not m_s:
        raise AnalysisError("sample mass unknown")
    n = min(len(sample), len(blank), len(reference) if reference is not None else len(sample))
    s_sig = _signal_mW(sample)[:n] - _signal_mW(blank)[:n]
    sample_n = sample.select(slice(0, n))
    steps = _step_heats(sample_n, s_sig)
    temps, cps, spans = [], [], []
    if reference is not None:
        if not reference_mass_mg:
            raise AnalysisError(
                "the sapphire method needs reference_mass_mg (not in Setaram headers)"
            )
        r_sig = _signal_mW(reference)[:n] - _signal_mW(blank)[:n]
        rsteps = _step_heats(reference.select(slice(0, n)), r_sig)
        if len(rsteps) != len(steps):
            raise AnalysisError("sample and reference runs have different step programmes")
        for (q, ta, tb), (qr, ra, rb) in zip(steps, rsteps, strict=True):
            grid = np.linspace(ra, rb, 200)
            cp_ref = float(np.mean(sapphire_cp_J_gK(grid)))
            cp = q / qr * reference_mass_mg / m_s * cp_ref * (rb - ra) / (tb - ta)
            temps.append(0.5 * (ta + tb))
            spans.append((ta, tb))
            cps.append(Measured(cp, abs(cp) * relative_uncertainty, "J/(g K)"))
        used = "sapphire ratio"
    else:
        for q, ta, tb in steps:
            cp = q / m_s / (tb - ta)
            temps.append(0.5 * (ta + tb))
            spans.append((ta, tb))
            cps.append(Measured(cp, abs(cp) * relative_uncertainty, "J/(g K)"))
        used = "single run, blank-corrected"
    return HeatCapacity(
        temperature_C=tuple(temps), step_C=tuple(spans), cp_J_gK=tuple(cps), method_used=used
    )


@dataclass(frozen=True)
class CpStep(Result):
    """Heat-capacity step at the glass transition from a cp(T) curve."""

    delta_cp_J_gK: Measured
    tg_C: float
    method: ClassVar[str] = "straight glass and liquid cp lines extrapolated to Tg (ASTM E1356)"


def delta_cp_from_cp(
    temperature_C: np.ndarray,
    cp_J_gK: np.ndarray,
    *,
    tg_C: float,
    glass_C: tuple[float, float],
    liquid_C: tuple[float, float],
) -> CpStep:
    """ΔCp at Tg from a heat-capacity curve (sapphire method or modulated DSC).

    Straight lines are fitted to cp over ``glass_C`` and ``liquid_C``; ΔCp is their difference at
    ``tg_C``, with the uncertainty propagated from both fits' covariances.
    """
    T = np.asarray(temperature_C, float)
    cp = np.asarray(cp_J_gK, float)
    vals, vars_ = [], []
    for lo, hi in (glass_C, liquid_C):
        m = (T >= lo) & (T <= hi)
        if m.sum() < 3:
            raise AnalysisError(f"fewer than 3 cp points between {lo} and {hi} °C")
        if m.sum() > 3:
            coef, cov = np.polyfit(T[m], cp[m], 1, cov=True)
        else:
            coef, cov = np.polyfit(T[m], cp[m], 1), np.zeros((2, 2))
        J = np.array([tg_C, 1.0])
        vals.append(float(np.polyval(coef, tg_C)))
        vars_.append(float(J @ cov @ J))
    return CpStep(
        delta_cp_J_gK=Measured(vals[1] - vals[0], float(np.sqrt(sum(vars_))), "J/(g K)"), tg_C=tg_C
    )
