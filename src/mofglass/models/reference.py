"""The Cd(im)2 observations of the paper, as calibration targets for the forward model.

Every number is from the paper (``shared/paper``):

- melting completed at 455 °C (peak offset), ΔHm 16.6 kJ/mol; glass Tg 175 °C; fragility m ≈ 43;
- the liquid cooled at −10 °C/min partially recrystallises (taken as X = 0.5: "mixed
  amorphous/crystalline");
- cooled at −42 °C/min (average from Tm to Tg) it forms a glass with no Bragg peaks
  (taken as X = 0.003, below the PXRD detection limit);
- reheating the glass at +10 °C/min, cold crystallisation starts at about 200 °C (taken as
  X(200 °C) = 0.03) and gives ΔHrc/ΔHm ≈ 59 % by 300 °C (prcCd(im)2);
- prcCd(im)2 has a mean crystallite size of 19.0(6) nm (Scherrer).

The choices "taken as" translate words into numbers and are part of the calibration; they are
listed in each observation's label.
"""

from __future__ import annotations

import functools

from mofglass.models.calibration import Calibration, FractionObservation, SizeObservation, calibrate
from mofglass.models.crystallisation import CrystallisationParameters
from mofglass.models.program import Segment, TemperatureProgram

__all__ = ["CD_IM2", "calibrate_cd_im2", "cd_im2_observations"]

#: Known values of Cd(im)2 (paper): Tm, Tg, ΔHm, m.
CD_IM2 = CrystallisationParameters(
    tm_C=455.0, tg_C=175.0, melting_enthalpy_kJ_mol=16.6, fragility_m=43.0
)

_MELT_C = 465.0  # the DSC runs heat just past the melting offset


def cd_im2_observations() -> tuple[list[FractionObservation], list[SizeObservation]]:
    """The paper's observations on Cd(im)2 (see the module docstring)."""
    quench = TemperatureProgram(_MELT_C, (Segment(25.0, 42.0), Segment(300.0, 10.0)))
    fractions = [
        FractionObservation(
            TemperatureProgram.linear(_MELT_C, 25.0, 42.0),
            0.003,
            label="-42 °C/min: glass, no Bragg peaks (X taken 0.003)",
        ),
        FractionObservation(
            TemperatureProgram.linear(_MELT_C, 25.0, 10.0),
            0.5,
            label="-10 °C/min: partial recrystallisation (X taken 0.5)",
        ),
        FractionObservation(
            quench,
            0.03,
            at_temperature_C=200.0,
            label="reheat +10 °C/min: onset ~200 °C (X taken 0.03)",
        ),
        FractionObservation(quench, 0.59, label="reheat to 300 °C: ΔHrc/ΔHm = 9.7/16.6 = 0.59"),
    ]
    sizes = [
        SizeObservation(quench, 19.0, label="prcCd(im)2 crystallite size 19.0(6) nm (Scherrer)")
    ]
    return fractions, sizes


@functools.cache
def calibrate_cd_im2() -> Calibration:
    """Nucleation and growth parameters of Cd(im)2 fitted to the paper's observations.

    Free: nucleation prefactor and barrier, growth decoupling exponent and site fraction
    (four parameters, five observations). Deterministic, so the result is cached per process.
    """
    fractions, sizes = cd_im2_observations()
    return calibrate(
        CD_IM2,
        fractions,
        sizes,
        free=(
            "nucleation_prefactor",
            "nucleation_barrier",
            "decoupling_exponent",
            "growth_site_fraction",
        ),
    )
