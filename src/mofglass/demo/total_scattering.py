"""The demo's total-scattering inputs: simulated X-ray S(Q) of Cd(im)2, its glass-ceramic and glass.

Written as GudrunX-style ``.int01`` files (Q / Å⁻¹, S(Q) - 1) and analysed by the ``pdf``
technique exactly like measured data.

- Crystal: the pair distribution of the built Cd(im)2 model
  (:func:`mofglass.structure.demo_model.cdim2_model`, network-labelled, every Uiso set to
  :data:`DEMO_UISO_A2`), X-ray weights;
- glass: **an approximation, not a glass model** (none exists for gCd(im)2 yet): the crystal's
  intra-network pairs kept, its inter-network pairs reduced to :data:`GLASS_INTER_FRACTION`
  (the paper: inter-network Cd···Cd correlations "significantly reduced", the Cd-im-Cd 6.4 Å
  correlation preserved), every pair broadened by a Gaussian whose width grows with r
  (σ = 0.03 Å + 0.035 r) so that order fades beyond about 10 Å;
- glass-ceramic: the average of the two (crystalline fraction 0.5), with the crystal and glass
  files as the references of the ``pdf`` technique's mixture fit (a plumbing check: the
  fraction is put in, not measured).

Each entry names the built model (written beside the files) as its ``phase``: the ``pdf``
technique computes its partials by element pair and intra- / inter-network and labels the
features below 8 Å of all three curves, drawn side by side (the paper's Figure 4).

S(Q) - 1 = (1/Q) ∫ G(r) w(r) sin(Qr) dr with a Gaussian coherence window w(r) (the finite r range
of the computed G(r)); the files carry no noise.

References
----------
.. [1] D. A. Keen, J. Appl. Cryst. 34 (2001) 172 (S(Q), G(r), D(r) conventions).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["DEMO_UISO_A2", "GLASS_INTER_FRACTION", "demo_curves", "write_demo_total_scattering"]

#: Share of the crystal's inter-network pair correlations kept in the glass approximation.
GLASS_INTER_FRACTION = 0.3
#: Uiso of every atom of the crystal model for the simulated S(Q), Å².
DEMO_UISO_A2 = 0.012
_Q = np.round(np.arange(0.4, 25.0 + 1e-9, 0.02), 4)
_R_MAX_A = 22.0


def _smear(r: np.ndarray, y: np.ndarray, sigma0: float, slope: float) -> np.ndarray:
    """Convolve with a Gaussian of width sigma0 + slope * r (area-preserving)."""
    out = np.zeros_like(y)
    dr = float(r[1] - r[0])
    for k in range(len(r)):
        s = sigma0 + slope * r[k]
        if y[k] == 0.0:
            continue
        out += y[k] * dr * np.exp(-0.5 * ((r - r[k]) / s) ** 2) / (np.sqrt(2 * np.pi) * s)
    return out


def demo_curves() -> dict[str, dict[str, np.ndarray]]:
    """G(r) and S(Q) - 1 of the crystal model, the glass approximation and the 50/50 mixture."""
    import dataclasses

    from mofglass.scattering import crystal_pdf
    from mofglass.structure import network_labels
    from mofglass.structure.demo_model import cdim2_model

    built = cdim2_model().crystal
    # room-temperature displacements: the template's B = 3 Å² was refined at 563 K and 0.8 GPa
    model = dataclasses.replace(built, uiso_A2=np.full(built.n_atoms, DEMO_UISO_A2))
    pdf = crystal_pdf(model, r_max_A=_R_MAX_A, rstep_A=0.01, labels=network_labels(model))
    r = pdf.r_A
    base = 4 * np.pi * pdf.number_density_invA3 * r
    intra, inter = pdf.kind_partials["intra"], pdf.kind_partials["inter"]
    g_cryst = pdf.G
    g_glass = (
        _smear(r, intra + GLASS_INTER_FRACTION * inter, 0.03, 0.035)
        + (1 - GLASS_INTER_FRACTION) * _smear(r, inter, 0.5, 0.1)
        - base
    )
    window = np.exp(-0.5 * (r / (_R_MAX_A / 3.0)) ** 2)
    kernel = np.sin(np.outer(_Q, r)) * (r[1] - r[0])
    out = {}
    for name, g in (("crystal", g_cryst), ("glass", g_glass)):
        out[name] = {"r_A": r, "G": g, "q_invA": _Q, "i": kernel @ (g * window) / _Q}
    out["glass-ceramic"] = {
        "r_A": r,
        "G": 0.5 * (g_cryst + g_glass),
        "q_invA": _Q,
        "i": 0.5 * (out["crystal"]["i"] + out["glass"]["i"]),
    }
    return out


def write_demo_total_scattering(samples: Sequence[Any], folder: Path) -> dict[str, list[dict]]:
    """Write the ``.int01`` files and return the ``[[samples.pdf]]`` entries by sample id."""
    by_phase: dict[str, Any] = {}
    for s in samples:
        if s.formula == "Cd(im)2" and s.phase in ("crystal", "glass", "glass-ceramic"):
            by_phase.setdefault(s.phase, s)
    if not by_phase:
        return {}
    curves = demo_curves()
    out = folder / "pdf"
    out.mkdir(parents=True, exist_ok=True)
    from mofglass.structure.demo_model import cdim2_model

    # the structure model whose partials label the features of all three (the paper's Fig. 4)
    model_name = "cdim2_model_from_zif4_hpt_ii.cif"
    (out / model_name).write_text(cdim2_model().cif_text(), encoding="utf-8")
    names = {}
    for phase, sample in by_phase.items():
        c = curves[phase]
        name = f"{sample.id}_model_sq.int01"
        header = (
            f"# SIMULATED S(Q)-1 of {sample.label} (mofglass demo, "
            + ("built Cd(im)2 model" if phase == "crystal" else "APPROXIMATION, not a glass model")
            + ")\n# Q/A^-1  S(Q)-1\n"
        )
        body = "\n".join(f"{q:.4f} {v:.6f}" for q, v in zip(c["q_invA"], c["i"], strict=True))
        (out / name).write_text(header + body + "\n", encoding="utf-8")
        names[phase] = name
    entries: dict[str, list[dict]] = {}
    for phase, sample in by_phase.items():
        entry: dict[str, Any] = {
            "file": f"pdf/{names[phase]}",
            "qmax_invA": 20.0,
            "r_max_A": 20.0,
            "phase": model_name,
        }
        if phase == "glass-ceramic" and "crystal" in names and "glass" in names:
            entry["crystal_reference"] = names["crystal"]
            entry["glass_reference"] = names["glass"]
            entry["mixture_r_range_A"] = [1.0, 15.0]
        entries[sample.id] = [entry]
    return entries
