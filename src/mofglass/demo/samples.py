"""Samples of the bundled demo study and the paper values used to simulate their files.

Values are from the Cd(im)2 paper (``shared/paper``): melting completed at 455 °C (peak offset)
with ΔHm 16.6 kJ/mol; DTA peak 447 °C; TG decomposition onset 473 °C (mechanochemical) and
455 °C (solution); glass Tg 175 °C, ΔCp 0.16 J/(g K), fragility m ≈ 43; cold crystallisation
between 200 and 260 °C with ΔHrc -9.7 kJ/mol (59 %); crystallite sizes 47.3 nm
(mechanochemical), > 1000 nm (solution), 19.0 nm (glass-ceramic); mixed-linker x = 0.25:
Tm 421 °C, ΔHm 5.7 kJ/mol, Tg 187 °C; nanoindentation (mean ± SD over indents): glass
Er 6.45 ± 0.45 GPa, H 744 ± 97 MPa; glass-ceramic Er 7.52 ± 0.41 GPa, H 839 ± 54 MPa.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

from mofglass.study.technique import DemoSample

__all__ = ["DEMO_SAMPLES", "DEMO_SEED"]

DEMO_SEED = 20261125

#: Cd(im)2 melting (peak offset) and its enthalpy, from the mechanochemical crystal
_MELTING = {"melting_offset_C": 455.0, "melting_enthalpy_kJ_mol": 16.6}
#: gCd(im)2 glass transition, its heat-capacity step and kinetic fragility
_GLASS = {"glass_transition_C": 175.0, "delta_cp_J_gK": 0.16, "fragility_m": 43.0}
#: the heating rate of every simulated DSC/TGA run
_RATE = {"heating_rate_K_min": 10.0}


def _sample(
    id_: str, label: str, phase: str, *tables: dict[str, Any], formula: str = "Cd(im)2"
) -> DemoSample:
    """Return a demo sample whose parameters are the merged ``tables``."""
    merged = {k: v for table in tables for k, v in table.items()}
    return DemoSample(
        id=id_, label=label, phase=phase, formula=formula, parameters=MappingProxyType(merged)
    )


DEMO_SAMPLES: tuple[DemoSample, ...] = (
    _sample(
        "cdim2",
        "Cd(im)2, mechanochemical",
        "crystal",
        _MELTING,
        _GLASS,
        _RATE,
        {
            "dta_peak_C": 447.0,
            "decomposition_onset_C": 473.0,
            "crystallite_size_nm": 47.3,
            "cd_metal_melting_C": 325.0,
            "cooling_rates_K_min": (-10.0, -42.0),
        },
    ),
    _sample(
        "cdim2-sol",
        "Cd(im)2-sol, solution-grown",
        "crystal",
        _RATE,
        {"decomposition_onset_C": 455.0, "crystallite_size_nm": 1500.0},
    ),
    _sample(
        "gcdim2",
        "gCd(im)2, melt-quenched glass",
        "glass",
        _GLASS,
        _MELTING,
        _RATE,
        {
            "cold_crystallisation_C": (200.0, 260.0),
            "cold_crystallisation_enthalpy_kJ_mol": -9.7,
            "upscans": 3,
            "reduced_modulus_GPa": 6.45,
            "reduced_modulus_sd_GPa": 0.45,
            "hardness_GPa": 0.744,
            "hardness_sd_GPa": 0.097,
        },
    ),
    _sample(
        "prccdim2",
        "prcCd(im)2, glass-ceramic",
        "glass-ceramic",
        {
            "crystallite_size_nm": 19.0,
            "crystalline_fraction": 0.59,
            "reduced_modulus_GPa": 7.52,
            "reduced_modulus_sd_GPa": 0.41,
            "hardness_GPa": 0.839,
            "hardness_sd_GPa": 0.054,
        },
    ),
    _sample(
        "cdim1.75bim0.25",
        "Cd(im)1.75(bim)0.25",
        "crystal",
        _RATE,
        {
            "melting_offset_C": 421.0,
            "melting_enthalpy_kJ_mol": 5.7,
            "glass_transition_C": 187.0,
            "delta_cp_J_gK": 0.16,
        },
        formula="Cd(im)1.75(bim)0.25",
    ),
)
