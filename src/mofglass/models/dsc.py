r"""Predicted DSC traces: relaxation (TNM) and crystallisation (JMAK) along one programme.

The specific heat flow (W/g, exothermic up) of a sample whose crystallised fraction is X and
whose amorphous part has fictive temperature Tf:

.. math::

    \\dot q = -\\left[c_{p,g} + (1 - X)\\,\\Delta c_p\\,\\frac{dT_f}{dT}\\right]\\frac{dT}{dt}
              + \\Delta h_m \\frac{dX}{dt}

so a Tg step of height (1 − X) Δcp appears on heating, an exotherm of area X·Δhm where the
liquid or glass crystallises, and an endotherm where the crystals melt at Tm.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mofglass.composition import Composition
from mofglass.models.crystallisation import CrystallisationParameters, simulate_crystallisation
from mofglass.models.program import TemperatureProgram
from mofglass.models.relaxation import TNMParameters, simulate_relaxation

__all__ = ["GlassFormer", "PredictedDSC", "predict_dsc"]


@dataclass(frozen=True)
class GlassFormer:
    """A glass-forming material for the forward model.

    Attributes
    ----------
    formula : str
        Formula unit (for J/g <-> kJ/mol).
    relaxation : TNMParameters
        Glass-transition kinetics.
    crystallisation : CrystallisationParameters
        Nucleation and growth (its Tm and ΔHm are used for melting and crystallisation heat).
    cp_glass_J_gK : float
        Heat capacity of glass and crystal, J/(g K) (taken constant).
    delta_cp_J_gK : float
        Heat-capacity step at Tg of the fully amorphous material, J/(g K).
    """

    formula: str
    relaxation: TNMParameters
    crystallisation: CrystallisationParameters
    cp_glass_J_gK: float = 0.9
    delta_cp_J_gK: float = 0.16

    @property
    def melting_enthalpy_J_g(self) -> float:
        """Return the melting enthalpy in J/g (from kJ/mol and the formula)."""
        comp = Composition.from_formula(self.formula)
        return comp.to_specific(self.crystallisation.melting_enthalpy_kJ_mol)


@dataclass(frozen=True)
class PredictedDSC:
    """A predicted DSC run.

    Attributes
    ----------
    time_min, temperature_C : ndarray
        The programme.
    heat_flow_W_g : ndarray
        Specific heat flow, W/g, exothermic up.
    fictive_C : ndarray
        Fictive temperature of the amorphous part.
    crystallised_fraction : ndarray
        X along the programme.
    segment : ndarray
        Segment index.
    """

    time_min: np.ndarray
    temperature_C: np.ndarray
    heat_flow_W_g: np.ndarray
    fictive_C: np.ndarray
    crystallised_fraction: np.ndarray
    segment: np.ndarray


def predict_dsc(
    material: GlassFormer, program: TemperatureProgram, *, step_C: float = 0.5
) -> PredictedDSC:
    """Heat flow a DSC would record for ``material`` along ``program``.

    The sample starts as an equilibrium liquid or glass (X = 0) at the programme's start;
    start above Tm to model the paper's melt-quench runs.
    """
    relax = simulate_relaxation(material.relaxation, program, step_C=step_C)
    cryst = simulate_crystallisation(material.crystallisation, program, step_C=step_C)
    t_s = relax.time_min * 60.0
    X = cryst.fraction
    dT_dt = np.zeros_like(t_s)
    dX_dt = np.zeros_like(t_s)
    dtf_dT = np.zeros_like(t_s)
    # derivatives within each segment, so that a turning point does not mix two rates
    for k in np.unique(relax.segment):
        sel = np.flatnonzero(relax.segment == k)
        if k > 0:
            sel = np.concatenate([[sel[0] - 1], sel])  # the segment starts where the last ended
        if sel.size < 3:
            continue
        ts, Ts = t_s[sel], relax.temperature_C[sel]
        dT_dt[sel[1:]] = np.gradient(Ts, ts)[1:]
        dX_dt[sel[1:]] = np.gradient(X[sel], ts)[1:]
        dT = np.gradient(Ts)
        with np.errstate(divide="ignore", invalid="ignore"):
            dtf_dT[sel[1:]] = np.where(
                np.abs(dT) > 1e-12, np.gradient(relax.fictive_C[sel]) / dT, 0.0
            )[1:]
    dT_dt[0], dX_dt[0], dtf_dT[0] = dT_dt[1], dX_dt[1], dtf_dT[1]
    cp = material.cp_glass_J_gK + (1.0 - X) * material.delta_cp_J_gK * dtf_dT
    q = -cp * dT_dt + material.melting_enthalpy_J_g * dX_dt
    return PredictedDSC(relax.time_min, relax.temperature_C, q, relax.fictive_C, X, relax.segment)
