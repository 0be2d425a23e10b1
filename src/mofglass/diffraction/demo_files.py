"""Write the simulated ``.xye`` powder patterns of the demo study (see :mod:`.demo_model`)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from mofglass.diffraction.demo_model import (
    DEMO_INSTRUMENT,
    GLASS_CERAMIC_CELL,
    MODEL_CELL,
    model_reflections,
    simulate_demo_pattern,
)
from mofglass.diffraction.pattern import Pattern
from mofglass.study.technique import DemoSample

__all__ = ["DEMO_PXRD", "write_demo_patterns", "xye_text"]

#: Which demo samples get a pattern and how they are simulated (kind, Cd-metal share of the
#: Bragg area). Size and crystalline fraction come from the sample's paper parameters.
DEMO_PXRD = {
    "cdim2": ("crystal", 0.0),
    "cdim2-sol": ("crystal", 0.0),
    "gcdim2": ("glass", 0.0),
    "prccdim2": ("glass-ceramic", 0.03),
}
#: Samples whose cell is refined (Pawley) in the demo, and the cell their pattern is made with.
DEMO_PAWLEY = {"cdim2": MODEL_CELL, "prccdim2": GLASS_CERAMIC_CELL}


def xye_text(pattern: Pattern, header: Sequence[str]) -> str:
    """Return an ``.xye`` file: ``#`` header lines (wavelengths included), then 2θ, I, esd rows."""
    lines = [f"# {h}" for h in header]
    wl = pattern.radiation
    if wl is not None:
        lines.append(f"# Wavelength: {wl.ka1_A:.7f} A")
        if wl.has_ka2:
            lines.append(f"# Kalpha2: {wl.ka2_A:.7f}")
            lines.append(f"# Ka2 ratio: {wl.ka2_ratio:.3f}")
    lines.append("# 2th_deg intensity esd")
    esd = pattern.weights_sigma()
    lines += [
        f"{x:.3f} {y:.0f} {e:.2f}"
        for x, y, e in zip(pattern.two_theta_deg, pattern.intensity, esd, strict=True)
    ]
    return "\n".join(lines) + "\n"


def write_demo_patterns(
    samples: Sequence[DemoSample], folder: Path, *, seed: int
) -> dict[str, list[dict[str, Any]]]:
    """Simulate and write one pattern per demo sample listed in :data:`DEMO_PXRD`."""
    out: dict[str, list[dict[str, Any]]] = {}
    sub = Path(folder) / "pxrd"
    sub.mkdir(parents=True, exist_ok=True)
    main_d = [round(r.d_A, 5) for r in model_reflections()]
    inst = {
        "u": DEMO_INSTRUMENT.u,
        "v": DEMO_INSTRUMENT.v,
        "w": DEMO_INSTRUMENT.w,
        "x": DEMO_INSTRUMENT.x,
        "y": DEMO_INSTRUMENT.y,
    }
    for i, s in enumerate(samples):
        if s.id not in DEMO_PXRD:
            continue
        kind, cd = DEMO_PXRD[s.id]
        size = s.parameters.get("crystallite_size_nm")
        frac = float(s.parameters.get("crystalline_fraction", 1.0 if kind == "crystal" else 0.0))
        p = simulate_demo_pattern(
            kind,
            seed=seed + 101 * (i + 1),
            size_nm=size,
            crystalline_fraction=frac,
            cd_metal_fraction=cd,
            cell=DEMO_PAWLEY.get(s.id, MODEL_CELL),
        )
        header = [
            f"SIMULATED powder pattern of {s.label} (mofglass demo; not a measurement)",
            f"model: {kind}; crystallite size {size} nm; crystalline fraction {frac:g};"
            f" Cd metal {cd:g} of Bragg area",
            f"peak positions from a MODEL cell ({MODEL_CELL.name}: I 41/a, a = {MODEL_CELL.a} A,"
            f" c = {MODEL_CELL.c} A), NOT the Cd(im)2 structure; generic intensities",
            "generator: mofglass.diffraction.demo_model.simulate_demo_pattern, Cu Ka1+Ka2",
        ]
        name = f"pxrd/{s.id}.xye"
        (Path(folder) / name).write_text(xye_text(p, header), encoding="utf-8")
        entry: dict[str, Any] = {
            "file": name,
            "instrument": inst,
            "main_phase_d_A": main_d,
            "two_theta_range": [5.0, 50.0],
            # Cd(im)2 demo only: Cd metal and CdO are the impurities to look for
            "impurities": ["Cd", "CdO"],
            "amorphous_component": kind != "crystal",
        }
        if s.id in DEMO_PAWLEY:
            c = MODEL_CELL  # the refinement starts from the crystal's (model) cell
            entry["pawley_start_cell"] = {
                "a": c.a,
                "b": c.b,
                "c": c.c,
                "alpha": c.alpha,
                "beta": c.beta,
                "gamma": c.gamma,
                "spacegroup": c.spacegroup,
            }
        out[s.id] = [entry]
    return out
