"""The Cd(im)2 observations of the paper, as calibration targets for the forward model.

Every number and word is from the paper (``shared/paper``), written as the observation types of
:mod:`mofglass.models.calibration`:

- melting completed at 455 °C (peak offset), ΔHm 16.6 kJ/mol; glass Tg 175 °C; fragility m ≈ 43;
- the liquid cooled at −42 °C/min (average from Tm to Tg) forms a glass with no Bragg peaks:
  X <= 0.01 (the PXRD detection level);
- cooled at −10 °C/min it partially recrystallises ("mixed amorphous/crystalline"):
  0.05 <= X <= 0.95;
- reheating the glass at +10 °C/min, cold crystallisation occurs between about 200 and 260 °C
  (onset taken as X(200 °C) = 0.03) and stops at ΔHrc/ΔHm = 9.7/16.6 = 0.59: the
  glass-ceramic prcCd(im)2 is stable to 300 °C;
- prcCd(im)2 has a mean crystallite size of 19.0(6) nm (Scherrer).

The translations of words into numbers ("taken as") are part of the calibration and stated in
each observation's label.
"""

from __future__ import annotations

import functools

from mofglass.models.calibration import Calibration, Observation, calibrate
from mofglass.models.crystallisation import CrystallisationParameters

__all__ = ["CD_IM2", "CD_IM2_MATERIAL", "calibrate_cd_im2", "cd_im2_observations"]

#: Known values of Cd(im)2 (paper): Tm, Tg, ΔHm, m.
CD_IM2 = CrystallisationParameters(
    tm_C=455.0, tg_C=175.0, melting_enthalpy_kJ_mol=16.6, fragility_m=43.0
)

#: The paper's Cd(im)2 as a material file (:mod:`mofglass.models.material`): the DSC runs heat
#: just past the melting offset (465 °C); the glass-ceramic is made by reheating to 300 °C.
CD_IM2_MATERIAL = """\
[material]
formula = "Cd(im)2"
tm_C = 455.0
tg_C = 175.0
melting_enthalpy_kJ_mol = 16.6
fragility_m = 43.0
free = [
  "nucleation_prefactor", "nucleation_barrier", "decoupling_exponent",
  "growth_site_fraction", "max_fraction",
]

[[observation]]
type = "bound"
program = "465 -> 25 @ 42"
at_most = 0.01
label = "-42 °C/min: glass, no Bragg peaks (X <= 0.01)"

[[observation]]
type = "bound"
program = "465 -> 25 @ 10"
at_least = 0.05
at_most = 0.95
label = "-10 °C/min: mixed amorphous/crystalline (0.05 <= X <= 0.95)"

[[observation]]
type = "fraction"
program = "465 -> 25 @ 42 -> 465 @ 10"
fraction = 0.03
at_C = 200.0
label = "reheat +10 °C/min: onset ~200 °C (X taken 0.03)"

[[observation]]
type = "window"
program = "465 -> 25 @ 42 -> 465 @ 10"
start_C = 200.0
end_C = 260.0
label = "reheat +10 °C/min: crystallises between 200 and 260 °C"

[[observation]]
type = "saturation"
program = "465 -> 25 @ 42 -> 465 @ 10"
fraction = 0.59
from_C = 260.0
to_C = 300.0
label = "stops at ΔHrc/ΔHm = 9.7/16.6 = 0.59; prcCd(im)2 stable to 300 °C"

[[observation]]
type = "size"
program = "465 -> 25 @ 42 -> 300 @ 10"
diameter_nm = 19.0
label = "prcCd(im)2 crystallite size 19.0(6) nm (Scherrer)"
"""


def cd_im2_observations() -> list[Observation]:
    """Return the paper's observations on Cd(im)2 (see the module docstring)."""
    from mofglass.models.material import material_from_text

    return list(material_from_text(CD_IM2_MATERIAL, source="Cd(im)2 (paper)").observations)


@functools.cache
def calibrate_cd_im2() -> Calibration:
    """Nucleation and growth parameters of Cd(im)2 fitted to the paper's observations.

    Free: nucleation prefactor and barrier, growth decoupling exponent and site fraction, and
    the largest crystallisable fraction X∞ (five parameters, eight observation terms).
    Deterministic, so the result is cached per process.
    """
    return calibrate(
        CD_IM2,
        cd_im2_observations(),
        free=(
            "nucleation_prefactor",
            "nucleation_barrier",
            "decoupling_exponent",
            "growth_site_fraction",
            "max_fraction",
        ),
    )
