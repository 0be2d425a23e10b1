"""Continuous random networks of ZIF-4 and the built dia-c Cd(im)2 model, ≥ 10,000 atoms.

For each: build time, links changed, links joining the original networks, metal coordination by
N, linkers bridging, metal-N and metal···metal (through one linker) vs the crystal, the powder
pattern's largest peak over its median (crystal supercell vs CRN on the same 2θ grid), King ring
statistics of the metal net beside the ab initio ZIF-4 glasses of Gaillac et al. (2020), and
for Cd(im)2 the metal···metal pairs per metal by network at 5.2, 6.4 and 6.8 Å, glass / crystal.

The Cd(im)2 crystal is the demo's built model (ZIF-4-hPT-II template, Zn -> Cd, cell scaled to
the paper's Pawley volume 1565.4 Å³, ``mofglass structure build``); ``cd-ideal`` runs the
idealised net embedding instead. Each CRN is written to benchmarks/results/ (CIF with network
labels) for ``benchmarks/glass_rmc.py``; the printed output is stored beside it.

Run: python benchmarks/glass_crn.py [zif4|cd|cd-ideal|all]  (repository root, shared/ beside it);
``cd N1 N2 N3`` sets the Cd(im)2 supercell (default 4 5 5). The Cd(im)2 window counts are also
written to benchmarks/results/glass_crn_cd.json.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np

from mofglass.models.glass import (
    analyse_model,
    build_crn,
    metal_net,
    ring_statistics,
    supercell_net,
)
from mofglass.models.glass.analysis import ModelAnalysis, linked_pair_counts, window_ratio
from mofglass.scattering import powder_pattern
from mofglass.scattering.models import supercell
from mofglass.structure import build_framework, read_structure
from mofglass.structure.build import imidazolate_model
from mofglass.structure.demo_model import cdim2_model
from mofglass.structure.periodic_graph import PeriodicGraph

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
RESULTS = Path(__file__).resolve().parent / "results"


def _peak_over_median(crystal: object) -> float:
    p = powder_pattern(crystal, two_theta_range_deg=(4.0, 30.0), step_deg=0.02)  # type: ignore[arg-type]
    return float(p.intensity.max() / np.median(p.intensity))


def _rings(a: ModelAnalysis) -> str:
    if a.rings is None:
        return "n/a"
    return " ".join(f"{n}:{f:.3f}" for n, f, _ in a.rings.table())


def run(name: str, crystal: object, reps: tuple[int, int, int], seed: int = 1) -> None:
    fw = build_framework(crystal)  # type: ignore[arg-type]
    net = supercell_net(metal_net(fw), reps, fw)
    t0 = time.perf_counter()
    model = build_crn(net, seed=seed, randomise=0.5, sweeps=1.0)
    dt = time.perf_counter() - t0
    ref = supercell(crystal, reps)  # type: ignore[arg-type]
    a_crn = analyse_model(model.crystal, network=model.atom_network)
    a_ref = analyse_model(ref)
    print(f"== {name} x{reps}: {model.crystal.n_atoms} atoms, {model.n_metals} metals")
    print(f"build {dt:.1f} s, stats {model.stats}")
    _write(model, name)
    print(
        f"links changed {model.fraction_links_changed():.3f}, joining two original networks "
        f"{float(np.mean(model.link_joins_networks)):.3f}"
    )
    for label, a in (("crystal", a_ref), ("CRN", a_crn)):
        print(
            f"{label}: coordination {a.coordination_counts}, bridging "
            f"{a.fraction_linkers_bridging.value:.3f}, M-N {a.metal_donor_A}, "
            f"M..M(link) {a.metal_metal_link_A}, rings {_rings(a)}, warnings {a.warnings}"
        )
    # link M..M of the CRN from its own net (the bond graph may fail on clashing atoms)
    cr = model.crystal
    lat = cr.lattice_A
    v = cr.positions_A[model.edges[:, 1]] + model.offsets @ lat - cr.positions_A[model.edges[:, 0]]
    r = np.linalg.norm(v, axis=1)
    d0 = float(np.mean(np.linalg.norm(net.bond_vectors(), axis=1)))
    print(f"CRN M..M through one linker {r.mean():.3f} ± {r.std():.3f} Å vs crystal {d0:.3f} Å")
    rings = ring_statistics(PeriodicGraph.simple(model.n_metals, model.edges, model.offsets))
    print("CRN rings (own metal net): " + " ".join(f"{n}:{f:.3f}" for n, f, _ in rings.table()))
    t0 = time.perf_counter()
    print(
        f"powder pattern max/median (2θ 4-30°, CuKα): crystal {_peak_over_median(ref):.1f}, "
        f"CRN {_peak_over_median(cr):.1f} ({time.perf_counter() - t0:.1f} s)"
    )
    if name.startswith("Cd"):
        print(
            "metals whose first inter-network neighbour changed: "
            f"{model.fraction_first_inter_neighbour_changed():.3f}"
        )
        glass, ref_pairs = dict(a_crn.metal_pairs), dict(a_ref.metal_pairs)
        n = model.n_metals
        sides = (
            (glass, cr.positions_A[:n], lat, model.edges, model.offsets),
            (ref_pairs, net.positions_A, net.lattice_A, net.edges, net.offsets),
        )
        for p, pos, box, edges, offsets in sides:
            p["linked"] = linked_pair_counts(pos, box, edges, offsets, p["r_A"])
            p["unlinked"] = p["intra"] + p["inter"] - p["linked"]
        rows = []
        for kind, r0, hw in (
            ("inter", 5.2, 0.4),
            ("inter", 5.5, 0.4),
            ("inter", 6.8, 0.4),
            ("inter", 6.4, 0.4),
            ("intra", 6.4, 0.4),
            ("linked", 6.4, 0.4),
            ("unlinked", 5.5, 0.4),
            ("unlinked", 6.8, 0.4),
            ("unlinked", 6.0, 1.2),
        ):
            w = window_ratio(glass, ref_pairs, kind, r0, hw)
            rows.append({**w, "half_width_A": hw})
            print(
                f"Cd..Cd {kind} {r0} ± {hw} Å per Cd: glass {w['glass']:.3f}, "
                f"crystal {w['crystal']:.3f}, ratio {w['ratio']:.3f}"
            )
        out = RESULTS / "glass_crn_cd.json"
        out.write_text(
            json.dumps(
                {
                    "model": name,
                    "reps": reps,
                    "n_metals": model.n_metals,
                    "n_atoms": model.crystal.n_atoms,
                    "seed": seed,
                    "coordination_by_N": {
                        "crystal": a_ref.coordination_counts,
                        "CRN": a_crn.coordination_counts,
                    },
                    "Cd_N_A": {
                        "crystal": str(a_ref.metal_donor_A),
                        "CRN": str(a_crn.metal_donor_A),
                    },
                    "CdCd_one_linker_A": {"crystal": d0, "CRN": float(r.mean())},
                    "windows_per_Cd": rows,
                },
                indent=1,
            )
        )
        print(f"written {out.name}")


def _write(model: object, name: str) -> None:
    from types import SimpleNamespace
    from typing import Any, cast

    from mofglass.structure.export import framework_cif_text

    RESULTS.mkdir(exist_ok=True)
    shim = SimpleNamespace(crystal=model.crystal, network_labels=model.atom_network)  # type: ignore[attr-defined]
    slug = name.split()[0].replace("(", "").replace(")", "").lower()
    out = RESULTS / f"crn_{slug}.cif"
    out.write_text(framework_cif_text(cast(Any, shim), note=f"CRN model of {name}"))
    print(f"written {out.name}")


def main() -> None:
    which = sys.argv[1] if len(sys.argv) > 1 else "all"
    if which in ("zif4", "all"):
        run("ZIF-4", read_structure(DATA / "raspa2-zif-cifs" / "ZIF-4.cif"), (4, 4, 3))
        for f in ("ZIF4_15glass01", "ZIF4_15glass02"):
            a = analyse_model(read_structure(DATA / "zif-glass-models-gaillac2020" / f"{f}.cif"))
            print(f"Gaillac {f}: rings {_rings(a)}, M-N {a.metal_donor_A}, warnings {a.warnings}")
    if which in ("cd", "all"):
        reps = tuple(int(k) for k in sys.argv[2:5]) if len(sys.argv) == 5 else (4, 5, 5)
        run("Cd(im)2 dia-c (built model, ZIF-4-hPT-II template)", cdim2_model().crystal, reps)  # type: ignore[arg-type]
    if which == "cd-ideal":
        cd = imidazolate_model(metal="Cd", m_m_A=6.4, copies_shift=((0.5, 0.0, 0.0),))
        run("Cd(im)2-ideal dia-c (idealised model)", cd, (4, 4, 3))


if __name__ == "__main__":
    main()
