"""Simulated DSC and TG/DTA runs of the paper's Cd(im)2 samples for the bundled demo.

Built from the sample parameters of :data:`mofglass.demo.samples.DEMO_SAMPLES` (the paper's
values) with :func:`mofglass.thermal.synthetic.synthetic_thermogram`, written as NETZSCH- and
TA-style exports. Values the paper does not give are stated here as assumptions: peak widths
(FWHM 8 K for melting, 14 K for cold crystallisation), the Tg step width (σ 4 K), the cooling
exotherm of the -10 °C/min run (-6 kJ/mol at 390 °C, "partial recrystallisation"), the trace-Cd
melting (0.3 J/g), the decomposition mass loss (45 %), sample masses (8-10 mg) and the noise.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from mofglass.composition import Composition
from mofglass.study.technique import DemoSample
from mofglass.thermal.export import write_netzsch, write_ta
from mofglass.thermal.synthetic import (
    GlassStep,
    MassLoss,
    Peak,
    Ramp,
    fictive_for_rate,
    synthetic_thermogram,
)

__all__ = ["newton_quench", "write_dsc_demo", "write_tga_demo"]

_NOISE = 3e-4  # W/g
_SAMPLING = 4.0  # s


def newton_quench(
    start_C: float, end_C: float, *, average_K_min: float, between_C: tuple[float, float]
) -> Ramp:
    """Return an exponential (instrument-limited) quench with a given average rate.

    Its average rate between the two temperatures is ``average_K_min``, like the paper's
    "-42 °C/min average from Tm to Tg".
    """
    k = 3.0

    def s_of(T: float) -> float:
        f = (T - start_C) / (end_C - start_C)
        return float(-np.log(1 - f * (1 - np.exp(-k))) / k)

    ds = s_of(between_C[1]) - s_of(between_C[0])
    duration_min = abs(between_C[1] - between_C[0]) / abs(average_K_min) / ds
    return Ramp(start_C, end_C, abs(end_C - start_C) / duration_min, profile="newton")


def _p(sample: DemoSample) -> Mapping[str, Any]:
    return sample.parameters


def _write_run(
    program: Sequence[Ramp],
    sample: DemoSample,
    folder: Path,
    name: str,
    *,
    mass_mg: float,
    label: str,
    write: Callable[..., Path] = write_netzsch,
    **simulation: Any,
) -> dict[str, Any]:
    """Simulate ``program``, write it as ``<kind>/<sample id>_<name>.txt``, return its entry.

    ``folder`` is the technique's folder (``dsc``, ``tga``) inside the demo folder;
    ``simulation`` goes to :func:`~mofglass.thermal.synthetic.synthetic_thermogram` (noise
    and sampling default to the demo's).
    """
    simulation.setdefault("noise_W_g", _NOISE)
    simulation.setdefault("sampling_s", _SAMPLING)
    trace = synthetic_thermogram(program, sample_mass_mg=mass_mg, **simulation)
    f = write(trace, folder / f"{sample.id}_{name}.txt", sample=sample.label)
    return {"file": f"{folder.name}/{f.name}", "mass": f"{mass_mg:g} mg", "label": label}


def _crystal_runs(s: DemoSample, M: float, folder: Path, seed: int) -> list[dict[str, Any]]:
    """Write the melting runs of a crystal: -10 °C/min cooling and -42 °C/min quench cycles, or one cycle."""
    p = _p(s)
    tm, dhm = float(p["melting_offset_C"]), float(p["melting_enthalpy_kJ_mol"]) * 1e3 / M
    top = tm + 5.0
    melt = Peak.from_offset(tm, 8.0, dhm)
    tg = float(p.get("glass_transition_C", 175.0))
    dcp = float(p.get("delta_cp_J_gK", 0.16))
    extra = (Peak(float(p["cd_metal_melting_C"]), 3.0, 0.3),) if "cd_metal_melting_C" in p else ()
    if "cooling_rates_K_min" not in p:
        # mixed-linker sample: melts, forms a glass at -10 °C/min, Tg on reheating
        prog = [
            Ramp(30, top, 10, peaks=(melt,)),
            Ramp(top, 30, 10, glass=GlassStep(tg, dcp)),
            Ramp(30, 300, 10, glass=GlassStep(tg, dcp)),
        ]
        return [
            _write_run(
                prog, s, folder, "cycle", mass_mg=7.6, label="heat, cool -10, reheat", seed=seed
            )
        ]
    # (d) -10 °C/min: partial recrystallisation on cooling, full on reheating
    cryst = -6.0e3 / M
    f_glass = 1 - 6.0 / float(p["melting_enthalpy_kJ_mol"])
    prog = [
        Ramp(30, top, 10, peaks=(*extra, melt)),
        Ramp(top, 30, 10, peaks=(Peak(390, 15, cryst),), glass=GlassStep(tg, dcp * f_glass)),
        Ramp(
            30, 300, 10, glass=GlassStep(tg, dcp * f_glass), peaks=(Peak(230, 14, -(dhm + cryst)),)
        ),
    ]
    cool10 = _write_run(
        prog, s, folder, "cool10", mass_mg=8.1, label="cooling -10 °C/min", seed=seed
    )
    # (e, g) fastest quench, -42 °C/min average Tm -> Tg, three cycles
    rc = float(p.get("cold_crystallisation_enthalpy_kJ_mol", -9.7)) * 1e3 / M
    heat_g = Ramp(
        30,
        top,
        10,
        glass=GlassStep(tg, dcp),
        peaks=(*extra, Peak(230, 14, rc), Peak.from_offset(tm, 8.0, -rc)),
    )
    q = newton_quench(top, 30, average_K_min=42.0, between_C=(tm, tg))
    quench = Ramp(q.start_C, q.end_C, q.rate_K_min, glass=GlassStep(tg, dcp), profile="newton")
    prog = [Ramp(30, top, 10, peaks=(*extra, melt)), quench, heat_g, quench, heat_g, quench]
    cycles = _write_run(
        prog,
        s,
        folder,
        "cycles42",
        mass_mg=9.3,
        label="three cycles, quench -42 °C/min",
        write=write_ta,
        seed=seed + 1,
    )
    return [cool10, cycles]


def _glass_runs(s: DemoSample, folder: Path, seed: int) -> list[dict[str, Any]]:
    """Write the runs of a glass: three upscans, and the cooling-rate series when a fragility is given."""
    p = _p(s)
    tg, dcp = float(p["glass_transition_C"]), float(p.get("delta_cp_J_gK", 0.16))
    # (f) three upscans below the cold crystallisation, ±10 °C/min
    up = Ramp(30, 200, 10, glass=GlassStep(tg, dcp))
    down = Ramp(200, 30, 10, glass=GlassStep(tg, dcp))
    prog = [up, down] * int(p.get("upscans", 3))
    entries = [
        _write_run(prog, s, folder, "upscans", mass_mg=8.8, label="three upscans", seed=seed)
    ]
    if "fragility_m" in p:
        # cooling-rate series (Tf from m = 43), each cooling followed by a 10 °C/min scan
        series = [Ramp(30, 215, 10, glass=GlassStep(tg, dcp))]
        for rate in (5.0, 10.0, 20.0, 40.0):
            tf = fictive_for_rate(rate, tg_C=tg, fragility_m=float(p["fragility_m"]))
            series += [Ramp(215, 120, rate), Ramp(120, 215, 10, glass=GlassStep(tf, dcp))]
        label = "cooling-rate series (fragility)"
        entries.append(
            _write_run(
                series,
                s,
                folder,
                "rates",
                mass_mg=8.8,
                label=label,
                noise_W_g=_NOISE / 3,
                seed=seed + 1,
            )
        )
    return entries


def write_dsc_demo(
    samples: Sequence[DemoSample], folder: Path, *, seed: int
) -> dict[str, list[dict[str, Any]]]:
    """Write the DSC runs; returns manifest entries by sample id."""
    out: dict[str, list[dict[str, Any]]] = {}
    (folder / "dsc").mkdir(parents=True, exist_ok=True)
    for n, s in enumerate(samples):
        p = _p(s)
        M = Composition.from_formula(s.formula).molar_mass_g_mol
        entries: list[dict[str, Any]] = []
        rng_seed = seed + 101 * n
        if "melting_offset_C" in p and "melting_enthalpy_kJ_mol" in p and s.phase == "crystal":
            entries = _crystal_runs(s, M, folder / "dsc", rng_seed)
        elif s.phase == "glass" and "glass_transition_C" in p:
            entries = _glass_runs(s, folder / "dsc", rng_seed)
        if entries:
            out[s.id] = entries
    return out


def write_tga_demo(
    samples: Sequence[DemoSample], folder: Path, *, seed: int
) -> dict[str, list[dict[str, Any]]]:
    """Write TG/DTA runs (NETZSCH STA style) for samples with a decomposition onset."""
    out: dict[str, list[dict[str, Any]]] = {}
    (folder / "tga").mkdir(parents=True, exist_ok=True)
    for n, s in enumerate(samples):
        p = _p(s)
        if "decomposition_onset_C" not in p:
            continue
        M = Composition.from_formula(s.formula).molar_mass_g_mol
        peaks: tuple[Peak, ...] = ()
        if "dta_peak_C" in p and "melting_enthalpy_kJ_mol" in p:
            peaks = (
                Peak(float(p["dta_peak_C"]), 8.0, float(p["melting_enthalpy_kJ_mol"]) * 1e3 / M),
            )
        rate = float(p.get("heating_rate_K_min", 10.0))
        entry = _write_run(
            [Ramp(30, 600, rate, peaks=peaks)],
            s,
            folder / "tga",
            "tgdta",
            mass_mg=10.2,
            label="TG/DTA +10 °C/min, N2",
            mass_losses=[MassLoss(float(p["decomposition_onset_C"]), 45.0, 8.0)],
            dta_gain_uV_per_W_g=20.0,
            sampling_s=2 * _SAMPLING,
            seed=seed + 211 * n,
        )
        out[s.id] = [entry]
    return out
