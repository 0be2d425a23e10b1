"""Continuous random networks of ZIF-4 and the built dia-c Cd(im)2 model, ≥ 10,000 atoms.

For each: build time, links changed, links joining the original networks, metal coordination by
N, linkers bridging, contacts left after re-decoration, metal-N and metal···metal (through one
linker) vs the crystal (pass: within 2 %), the powder pattern (``mofglass simulate xrd`` engine)
of the crystal supercell and of the CRN on the same 2θ grid, King ring statistics of the metal
net beside the ab initio ZIF-4 glasses of Gaillac et al. (2020) (same analysis on both), and for
Cd(im)2 the Cd···Cd pairs per Cd by kind (linked / unlinked, intra / inter network) at 5.2, 6.4
and 6.8 Å, glass / crystal, with two references for the unlinked contacts: an uncorrelated
(ideal-gas) arrangement and a random hard-core packing of the Cd at the same density, and the
Gaillac ZIF-4 glasses' unlinked Zn···Zn at the same distances scaled by Zn–im–Zn / Cd–im–Cd.

No Bragg peaks: over 2θ 5-30° (CuKα, Gaussian FWHM 0.22°), nowhere may the CRN pattern stand
2 times or more above itself smoothed by a 2° (FWHM) Gaussian (an instrument-narrow peak does:
6.5 for the ZIF-4 crystal supercell); its largest value over its median is reported beside the
crystal's on the same grid and profile.

The Cd(im)2 crystal is the demo's built model (ZIF-4-hPT-II template, Zn -> Cd, cell scaled to
the paper's Pawley volume 1565.4 Å³, ``mofglass structure build``). The model is kept as a
pickle beside the results (not in git) so ``--reuse`` re-analyses without rebuilding.

``cd-density`` builds small Cd(im)2 CRNs (2x2x2) at 1.0, 0.9, 0.8 and 0.7 of the crystal's
density and counts the unlinked Cd···Cd at 5.2 and 6.8 Å (glass_crn_cdim2_density.json).

Run: python benchmarks/glass_crn.py zif4|cd|cd-density [N1 N2 N3] [--reuse]  (repository root, shared/
beside it); defaults ZIF-4 4x4x3 (13,056 atoms), Cd(im)2 4x4x5 (10,880 atoms). Numbers go to
benchmarks/results/glass_crn_<name>.json; the printed output is stored beside it (.txt).
"""

from __future__ import annotations

import json
import pickle
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
from scipy.ndimage import gaussian_filter1d
from scipy.spatial import cKDTree

from mofglass.models.glass import analyse_model, build_crn, metal_net, supercell_net
from mofglass.models.glass.analysis import ModelAnalysis, linked_pair_counts, window_ratio
from mofglass.scattering import powder_pattern
from mofglass.scattering.models import supercell
from mofglass.structure import build_framework, read_structure
from mofglass.structure.demo_model import cdim2_model
from mofglass.structure.properties import crystal_density_g_cm3

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
RESULTS = Path(__file__).resolve().parent / "results"
GAILLAC = ("ZIF4_15glass01", "ZIF4_15glass02")


def _ratio_to_smoothed(crystal: Any) -> tuple[np.ndarray, np.ndarray]:
    """2θ (deg) and the powder pattern over itself smoothed by a 2° (FWHM) Gaussian.

    2θ 5-30°, CuKα, Gaussian FWHM 0.22°.
    """
    p = powder_pattern(
        crystal, two_theta_range_deg=(5.0, 30.0), step_deg=0.02, caglioti_deg2=(0.0, 0.0, 0.05)
    )
    i = p.intensity
    smooth = gaussian_filter1d(i, 2.0 / 2.3548 / 0.02, mode="nearest")
    return p.two_theta_deg, i / np.maximum(smooth, 1e-12 * i.max())


def bragg_check(crystal: Any) -> dict[str, float]:
    """Largest value of the powder pattern over its median and over itself smoothed by 2°.

    A Bragg peak is as narrow as the instrument profile, so it stands far above the pattern
    smoothed by a 2° (FWHM) Gaussian; a glass's humps are broader than that and keep the ratio
    near 1 (up to the speckle of the box's dense reflections).
    """
    p = powder_pattern(
        crystal, two_theta_range_deg=(5.0, 30.0), step_deg=0.02, caglioti_deg2=(0.0, 0.0, 0.05)
    )
    i = p.intensity
    _, ratio = _ratio_to_smoothed(crystal)
    return {
        "max_over_median": float(i.max() / max(np.median(i), 1e-12 * i.max())),
        "max_over_smoothed_2deg": float(ratio.max()),
    }


def remnant_at_reflections(ref: Any, model: Any, half_width_deg: float = 0.15) -> dict[str, Any]:
    """The model's pattern over itself smoothed by 2°, at the crystal's own reflections.

    The crystal's reflections are the local maxima where its ratio is ≥ 2; a remnant of the
    crystal stands there, a small box's speckle (its own dense reflections) anywhere.
    """
    tt, rx = _ratio_to_smoothed(ref)
    _, rm = _ratio_to_smoothed(model)
    w = round(half_width_deg / (tt[1] - tt[0]))
    k = np.flatnonzero((rx[1:-1] >= 2.0) & (rx[1:-1] >= rx[:-2]) & (rx[1:-1] >= rx[2:])) + 1
    at = [float(rm[max(j - w, 0) : j + w + 1].max()) for j in k]
    worst = int(np.argmax(at)) if at else -1
    return {
        "max_at_crystal_reflections": at[worst] if at else float("nan"),
        "at_2theta_deg": float(tt[k[worst]]) if at else float("nan"),
        "max_elsewhere_at_2theta_deg": float(tt[int(np.argmax(rm))]),
    }


def ring_table(analyses: dict[str, ModelAnalysis]) -> dict[str, dict[str, float]]:
    """Fraction of M-M-M angles whose shortest ring has n members, per model (same analysis)."""
    out: dict[str, dict[str, float]] = {}
    for name, a in analyses.items():
        if a.rings is None:
            continue
        row = {str(n): round(f, 4) for n, f, _ in a.rings.table()}
        row["none<=12"] = round(a.rings.unclosed_fraction, 4)
        out[name] = row
    sizes = [*sorted({k for r in out.values() for k in r if k.isdigit()}, key=int), "none<=12"]
    print("King rings, fraction of angles:  " + " ".join(f"{s:>6}" for s in sizes))
    for name, r in out.items():
        print(f"  {name:<28} " + " ".join(f"{r.get(s, 0.0):6.3f}" for s in sizes))
    return out


def nmn_spread(a: ModelAnalysis) -> dict[str, float]:
    """Mean and standard deviation of the N-M-N angles, degrees (histogram)."""
    b, h = a.angle_bins_deg, a.donor_metal_donor_hist
    c = 0.5 * (b[1:] + b[:-1])
    mu = float((c * h).sum() / h.sum())
    return {"mean_deg": mu, "sd_deg": float(np.sqrt(((c - mu) ** 2 * h).sum() / h.sum()))}


def build(name: str, crystal: Any, reps: tuple[int, int, int], reuse: bool) -> dict[str, Any]:
    """Build the CRN (or load the kept one)."""
    RESULTS.mkdir(exist_ok=True)
    keep = RESULTS / f"crn_{name}_{'x'.join(map(str, reps))}.pkl"
    if reuse and keep.exists():
        return dict(pickle.loads(keep.read_bytes()))
    fw = build_framework(crystal)
    net = supercell_net(metal_net(fw), reps, fw)
    t0 = time.perf_counter()
    model = build_crn(net, seed=1, randomise=0.5, sweeps=1.0)
    out = {"model": model, "net": net, "reps": reps, "build_s": time.perf_counter() - t0}
    keep.write_bytes(pickle.dumps(out))
    return out


def run(name: str, crystal: Any, reps: tuple[int, int, int], reuse: bool) -> dict[str, Any]:
    """Build, check and compare one CRN; return the numbers stored in the JSON."""
    b = build(name, crystal, reps, reuse)
    model, net = b["model"], b["net"]
    ref = supercell(crystal, reps)
    a_crn = analyse_model(model.crystal, network=model.atom_network)
    a_ref = analyse_model(ref)
    print(f"== {name} x{reps}: {model.crystal.n_atoms} atoms, {model.n_metals} metals, seed 1")
    print(f"build {b['build_s']:.0f} s, stats {model.stats}")
    res: dict[str, Any] = {
        "model": name,
        "reps": list(reps),
        "n_atoms": model.crystal.n_atoms,
        "n_metals": model.n_metals,
        "seed": 1,
        "build_s": round(b["build_s"], 1),
        "links_changed": model.fraction_links_changed(),
        "links_joining_two_networks": float(np.mean(model.link_joins_networks)),
        "contacts_below_bond_cutoff": model.stats.get("contacts_below_bond_cutoff"),
    }
    print(
        f"links changed {res['links_changed']:.3f}, joining two original networks "
        f"{res['links_joining_two_networks']:.3f}"
    )
    for label, a in (("crystal", a_ref), ("CRN", a_crn)):
        res[label] = {
            "coordination_by_N": a.coordination_counts,
            "linkers_bridging": a.fraction_linkers_bridging.value,
            "M_N_A": [a.metal_donor_A.value, a.metal_donor_A.stderr],
            "MM_one_linker_A": [a.metal_metal_link_A.value, a.metal_metal_link_A.stderr],
            "N_M_N_deg": nmn_spread(a),
            "warnings": a.warnings,
        }
        print(
            f"{label}: coordination by N {a.coordination_counts}, bridging "
            f"{a.fraction_linkers_bridging.value:.4f}, M-N {a.metal_donor_A}, "
            f"M..M(one linker) {a.metal_metal_link_A}, N-M-N {nmn_spread(a)}, "
            f"warnings {a.warnings}"
        )
    for key, qa, qr in (
        ("M_N", a_crn.metal_donor_A, a_ref.metal_donor_A),
        ("MM_one_linker", a_crn.metal_metal_link_A, a_ref.metal_metal_link_A),
    ):
        dev = qa.value / qr.value - 1.0
        res[f"{key}_deviation"] = dev
        print(
            f"{key}: CRN / crystal - 1 = {100 * dev:+.2f} % ({'pass' if abs(dev) <= 0.02 else 'FAIL'})"
        )
    t0 = time.perf_counter()
    res["bragg"] = {"crystal": bragg_check(ref), "CRN": bragg_check(model.crystal)}
    ok = res["bragg"]["CRN"]["max_over_smoothed_2deg"] < 2.0
    print(
        f"powder pattern (2θ 5-30°, CuKα): {res['bragg']} -> no Bragg peaks: {ok}"
        f" ({time.perf_counter() - t0:.0f} s)"
    )
    res["bragg"]["CRN_at_crystal_reflections"] = rem = remnant_at_reflections(ref, model.crystal)
    print(
        f"CRN over smoothed at the crystal's reflections (± 0.15°): at most "
        f"{rem['max_at_crystal_reflections']:.2f} (at {rem['at_2theta_deg']:.2f}°; the CRN's "
        f"largest anywhere at {rem['max_elsewhere_at_2theta_deg']:.2f}°) -> no Bragg remnant: "
        f"{rem['max_at_crystal_reflections'] < 2.0}"
    )
    gaillac = {
        f: analyse_model(read_structure(DATA / "zif-glass-models-gaillac2020" / f"{f}.cif"))
        for f in GAILLAC
    }
    res["rings"] = ring_table(
        {"crystal": a_ref, "CRN": a_crn, **{f"Gaillac {k}": v for k, v in gaillac.items()}}
    )
    if name == "cdim2":
        res["cd_windows"] = cd_windows(model, net, a_crn, a_ref, gaillac)
    return res


def _pairs_by_kind(a: ModelAnalysis, pos: np.ndarray, lat: np.ndarray, edges, offsets):
    p = dict(a.metal_pairs)
    p["linked"] = linked_pair_counts(pos, lat, edges, offsets, p["r_A"])
    p["unlinked"] = p["intra"] + p["inter"] - p["linked"]
    return p


def random_packing(n: int, lat: np.ndarray, d_min_A: float, seed: int = 0) -> np.ndarray:
    """Random sequential addition of n points with no two closer than d_min_A (orthogonal box)."""
    rng = np.random.default_rng(seed)
    box = np.diag(lat)
    pts: list[np.ndarray] = []
    tries = 0
    while len(pts) < n and tries < 10**6:
        tries += 1
        p = rng.random(3) * box
        if pts:
            d = np.asarray(pts) - p
            d -= np.rint(d / box) * box
            if (np.einsum("ij,ij->i", d, d) < d_min_A**2).any():
                continue
        pts.append(p)
    return np.asarray(pts)


def _shell_pairs(pos: np.ndarray, lat: np.ndarray, r_A: float, hw: float) -> float:
    box = np.diag(lat)
    tree = cKDTree(np.mod(pos, box), boxsize=box)
    n_in = tree.count_neighbors(tree, r_A + hw) - tree.count_neighbors(tree, r_A - hw)
    return float(n_in / len(pos))


def cd_windows(model, net, a_crn, a_ref, gaillac) -> dict[str, Any]:
    """Cd···Cd pairs per Cd at 5.2, 6.4, 6.8 Å glass vs crystal, and the references."""
    n = model.n_metals
    cr, lat = model.crystal, model.crystal.lattice_A
    glass = _pairs_by_kind(a_crn, cr.positions_A[:n], lat, model.edges, model.offsets)
    crys = _pairs_by_kind(a_ref, net.positions_A, net.lattice_A, net.edges, net.offsets)
    rows = []
    for kind, r0, hw in (
        ("inter", 5.2, 0.4),
        ("inter", 6.8, 0.4),
        ("intra", 6.4, 0.4),
        ("linked", 6.4, 0.4),
        ("unlinked", 5.2, 0.4),
        ("unlinked", 5.5, 0.4),
        ("unlinked", 6.8, 0.4),
    ):
        w = {**window_ratio(glass, crys, kind, r0, hw), "half_width_A": hw}
        rows.append(w)
        print(
            f"Cd..Cd {kind} {r0} ± {hw} Å per Cd: glass {w['glass']:.3f}, crystal "
            f"{w['crystal']:.3f}, ratio {w['ratio']:.3f}"
        )
    # references at the same density: the unlinked contacts of an uncorrelated arrangement
    # (ideal gas, closed form) and of a random hard-core packing with the CRN's closest
    # unlinked Cd···Cd as the core (minus the linked pairs it cannot have)
    vol = abs(np.linalg.det(lat))
    rho = n / vol
    r = glass["r_A"]
    first = float(r[np.flatnonzero(glass["unlinked"] > 0)[0]])
    pack = random_packing(n, lat, first)
    refs = {}
    for r0 in (5.2, 6.8):
        shell = 4.0 / 3.0 * np.pi * ((r0 + 0.4) ** 3 - (r0 - 0.4) ** 3)
        linked = window_ratio(glass, crys, "linked", r0, 0.4)["glass"]
        refs[str(r0)] = {
            "ideal_gas_all_pairs": rho * shell,
            "hard_core_packing_all_pairs": _shell_pairs(pack, lat, r0, 0.4),
            "glass_unlinked": window_ratio(glass, crys, "unlinked", r0, 0.4)["glass"],
            "glass_linked": linked,
            "crystal_unlinked": window_ratio(glass, crys, "unlinked", r0, 0.4)["crystal"],
        }
        print(
            f"unlinked Cd..Cd at {r0} ± 0.4 Å per Cd at the crystal's density "
            f"({1000 * rho:.2f} Cd/nm³): ideal gas {rho * shell:.2f}, random hard-core "
            f"packing (core {first:.2f} Å) {refs[str(r0)]['hard_core_packing_all_pairs']:.2f}, "
            f"CRN {refs[str(r0)]['glass_unlinked']:.2f} (+{linked:.2f} linked), crystal "
            f"{refs[str(r0)]['crystal_unlinked']:.2f}"
        )
    # what a PDF sees: the peak height of the unlinked partial (both sides broadened by the same
    # Gaussian, σ 0.1 Å), glass / crystal
    step = float(r[1] - r[0])
    heights = {}
    for r0 in (5.2, 5.5, 6.8):
        sel = np.abs(r - r0) <= 0.4
        hg = gaussian_filter1d(glass["unlinked"], 0.1 / step)[sel].max()
        hc = gaussian_filter1d(crys["unlinked"], 0.1 / step)[sel].max()
        heights[str(r0)] = {"glass": float(hg), "crystal": float(hc), "ratio": float(hg / hc)}
        print(f"unlinked Cd..Cd peak height near {r0} Å (σ 0.1 Å), glass / crystal {hg / hc:.3f}")
    return {
        "unlinked_peak_height_sigma_0p1A": heights,
        "windows_per_Cd": rows,
        "references_same_density": refs,
        "closest_unlinked_CdCd_A": first,
        "Cd_per_nm3": 1000 * rho,
        "gaillac_scaled": gaillac_scaled(gaillac),
    }


def gaillac_scaled(gaillac: dict[str, ModelAnalysis]) -> dict[str, Any]:
    """Unlinked Zn···Zn per Zn in ZIF-4 crystal and Gaillac glasses at 5.2/6.8 Å × Zn/Cd link."""
    crystal = read_structure(DATA / "raspa2-zif-cifs" / "ZIF-4.cif")
    models = {
        "ZIF-4 crystal": crystal,
        **{k: read_structure(DATA / "zif-glass-models-gaillac2020" / f"{k}.cif") for k in gaillac},
    }
    out: dict[str, Any] = {}
    for name, c in models.items():
        a = analyse_model(c)
        fw = build_framework(c)
        mnet = metal_net(fw, strict=False)
        p = _pairs_by_kind(a, mnet.positions_A, mnet.lattice_A, mnet.edges, mnet.offsets)
        scale = a.metal_metal_link_A.value / 6.384
        row = {"scale": scale, "Zn_per_nm3": 1000 * a.n_metals / abs(np.linalg.det(c.lattice_A))}
        for r0 in (5.2, 6.8):
            w = window_ratio(p, p, "unlinked", r0 * scale, 0.4 * scale)
            row[f"unlinked_at_{r0}_scaled"] = w["glass"]
        out[name] = row
        print(
            f"{name}: unlinked Zn..Zn per Zn at 5.2/6.8 Å × {scale:.3f}: "
            f"{row['unlinked_at_5.2_scaled']:.2f} / {row['unlinked_at_6.8_scaled']:.2f} "
            f"({row['Zn_per_nm3']:.2f} Zn/nm³)"
        )
    return out


def density_scan(reps: tuple[int, int, int] = (2, 2, 2)) -> dict[str, Any]:
    """Cd(im)2 CRNs at the crystal's density and lower: unlinked Cd···Cd at 5.2 / 6.8 Å per Cd."""
    crystal = cdim2_model().crystal
    fw = build_framework(crystal)
    net = supercell_net(metal_net(fw), reps, fw)
    rho0 = float(crystal_density_g_cm3(crystal))
    crys = _pairs_by_kind(
        analyse_model(supercell(crystal, reps)),
        net.positions_A,
        net.lattice_A,
        net.edges,
        net.offsets,
    )
    rows = []
    for f in (1.0, 0.9, 0.8, 0.7):
        m = build_crn(net, seed=1, randomise=0.5, sweeps=1.0, density_g_cm3=f * rho0)
        n = m.n_metals
        a = analyse_model(m.crystal, network=m.atom_network)
        lat = m.crystal.lattice_A
        g = _pairs_by_kind(a, m.crystal.positions_A[:n], lat, m.edges, m.offsets)
        rho = n / abs(np.linalg.det(lat))
        row: dict[str, Any] = {
            "density_over_crystal": f,
            "Cd_per_nm3": 1000 * rho,
            "bridging": a.fraction_linkers_bridging.value,
            "contacts": m.stats.get("contacts_below_bond_cutoff"),
        }
        for r0 in (5.2, 6.8):
            shell = 4.0 / 3.0 * np.pi * ((r0 + 0.4) ** 3 - (r0 - 0.4) ** 3)
            w = window_ratio(g, crys, "unlinked", r0, 0.4)
            row[str(r0)] = {
                "glass": w["glass"],
                "crystal": w["crystal"],
                "ratio": w["ratio"],
                "ideal_gas": rho * shell,
            }
        rows.append(row)
        print(
            f"density x{f}: unlinked Cd..Cd per Cd at 5.2 Å {row['5.2']['glass']:.2f} "
            f"(ideal gas {row['5.2']['ideal_gas']:.2f}; crystal {row['5.2']['crystal']:.2f}), "
            f"at 6.8 Å {row['6.8']['glass']:.2f} (ideal gas {row['6.8']['ideal_gas']:.2f}; "
            f"crystal {row['6.8']['crystal']:.2f}); bridging {row['bridging']:.3f}"
        )
    return {"model": "cdim2_density", "reps": list(reps), "rows": rows}


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    reuse = "--reuse" in sys.argv
    which = args[0] if args else "zif4"
    if which == "cd-density":
        res = density_scan()
    elif which == "zif4":
        reps = tuple(int(k) for k in args[1:4]) if len(args) == 4 else (4, 4, 3)
        res = run("zif4", read_structure(DATA / "raspa2-zif-cifs" / "ZIF-4.cif"), reps, reuse)  # type: ignore[arg-type]
    else:
        reps = tuple(int(k) for k in args[1:4]) if len(args) == 4 else (4, 4, 5)
        res = run("cdim2", cdim2_model().crystal, reps, reuse)  # type: ignore[arg-type]
        if reps != (4, 4, 5):  # a small box goes beside the default one
            res["model"] = f"cdim2_{'x'.join(map(str, reps))}"
    out = RESULTS / f"glass_crn_{res['model']}.json"
    out.write_text(json.dumps(res, indent=1, default=str))
    print(f"written {out.name}")


if __name__ == "__main__":
    main()
