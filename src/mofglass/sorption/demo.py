"""Simulated isotherms of the demo samples (AIF files written by pyGAPS).

The paper reports gas physisorption only in its SI, without numbers in the main text, so every
parameter below is an ILLUSTRATIVE ASSUMPTION: CO2 at 273 K from the Dubinin-Radushkevich
equation ``W = W0 exp(-(A/E)^2)``, ``A = RT ln(p0/p)`` (micropore volumes W0 0.08, 0.03 and
0.05 cm3/g and E 22 kJ/mol for the crystal, glass and glass-ceramic) and, for the crystal, an
N2 77 K isotherm from the BET equation (monolayer 0.45 mmol/g, C = 150). Each file says it is
simulated in its ``_exptl_operator`` and ``_pygaps_comment`` items.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from mofglass.sorption.isotherm import Isotherm
from mofglass.study.technique import DemoSample

__all__ = ["DR_PARAMETERS", "bet_isotherm", "dr_isotherm", "write_demo_isotherms"]

_R = 8.314462618e-3  # kJ/(mol K)
#: phase -> (W0 cm3/g, E kJ/mol) of the simulated CO2 273 K isotherms (assumptions)
DR_PARAMETERS = {"crystal": (0.08, 22.0), "glass": (0.03, 22.0), "glass-ceramic": (0.05, 22.0)}
_IDS = {"cdim2": "crystal", "gcdim2": "glass", "prccdim2": "glass-ceramic"}


def dr_isotherm(
    p_p0: np.ndarray,
    *,
    w0_cm3_g: float,
    energy_kJ_mol: float,
    temperature_K: float,
    liquid_density_g_cm3: float,
    molar_mass_g_mol: float,
) -> np.ndarray:
    """Compute the loading (mmol/g) of the Dubinin-Radushkevich equation (closed form)."""
    a = _R * temperature_K * np.log(1.0 / np.asarray(p_p0, float))
    w = w0_cm3_g * np.exp(-((a / energy_kJ_mol) ** 2))
    return w * liquid_density_g_cm3 / molar_mass_g_mol * 1e3


def bet_isotherm(p_p0: np.ndarray, *, monolayer_mmol_g: float, c: float) -> np.ndarray:
    """Compute the loading (mmol/g) of the BET equation ``n = nm C x / ((1-x)(1-x+Cx))``."""
    x = np.asarray(p_p0, float)
    return monolayer_mmol_g * c * x / ((1 - x) * (1 - x + c * x))


def _write(path: Path, p: np.ndarray, n: np.ndarray, material: str, gas: str, t: float) -> None:
    import pygaps.parsing as pgp

    from mofglass.sorption.analysis import _quiet

    _quiet()  # pyGAPS logs "'pressure_unit' was not specified" to stdout
    iso = Isotherm(p, n, np.zeros(p.size, bool), gas, t, material=material, simulated=True)
    piso = iso.to_pygaps(
        comment="SIMULATED by mofglass.sorption.demo (illustrative parameters)",
        user="mofglass demo (simulated)",
    )
    path.write_text(pgp.isotherm_to_aif(piso), encoding="utf-8")


def write_demo_isotherms(
    samples: Sequence[DemoSample], folder: Path, *, seed: int
) -> dict[str, list[dict[str, Any]]]:
    """Write the simulated AIF files; manifest entries per sample id."""
    from pygaps import Adsorbate

    rng = np.random.default_rng(seed + 1800)
    co2 = Adsorbate.find("carbon dioxide")
    rho, mm = float(co2.liquid_density(273.15)), float(co2.molar_mass())
    out: dict[str, list[dict[str, Any]]] = {}
    sub = folder / "sorption"
    for s in samples:
        phase = _IDS.get(s.id)
        if phase is None:
            continue
        sub.mkdir(parents=True, exist_ok=True)
        w0, e = DR_PARAMETERS[phase]
        p = np.geomspace(3e-4, 0.029, 30)
        n = dr_isotherm(
            p,
            w0_cm3_g=w0,
            energy_kJ_mol=e,
            temperature_K=273.15,
            liquid_density_g_cm3=rho,
            molar_mass_g_mol=mm,
        )
        n = n * (1 + 0.005 * rng.standard_normal(n.size))
        name = f"{s.id}_co2_273K.aif"
        _write(sub / name, p, n, s.label, "carbon dioxide", 273.15)
        out[s.id] = [{"file": f"sorption/{name}"}]
        if phase == "crystal":
            p2 = np.concatenate([np.geomspace(0.005, 0.3, 18), np.linspace(0.35, 0.97, 14)])
            n2 = bet_isotherm(p2, monolayer_mmol_g=0.45, c=150.0)
            n2 = n2 * (1 + 0.003 * rng.standard_normal(n2.size))
            name2 = f"{s.id}_n2_77K.aif"
            _write(sub / name2, p2, n2, s.label, "nitrogen", 77.35)
            out[s.id].append({"file": f"sorption/{name2}"})
    return out
