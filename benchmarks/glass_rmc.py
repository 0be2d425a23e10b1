"""Reverse Monte Carlo: move speed, the data's convention and floor, fits to the ZIF-4 liquid.

speed: single-atom and rigid-linker moves per second (wall and per CPU second: this machine
is shared, so the CPU rate is the one to compare) on ~10^4- and ~10^5-atom boxes (supercells
of the ab initio ZIF-4 glass of Gaillac et al. 2020), rmax 10 and 20 Å, one core; the cost of
a move should not grow with the box (column lists); pairs within rmax, atoms scanned, ns per
pair, the χ² drift of the incremental model and the peak-function cut are logged with each.
fullrmc (the peer) runs in its own interpreter, named by MOFGLASS_FULLRMC_PYTHON (a throwaway
venv: ``pip install cython numpy<1.24`` then ``pip install --no-build-isolation fullrmc``),
on the 10^4-atom box with the same data to 20 Å (its moves compute all N distances, so the
10^5 box is not tried); without it ``pip install --dry-run fullrmc`` is tried and its error
kept.

floor: how far any model can get on the measured curves: the crystal check (ZIF-4 DFT cell vs
the 31 °C data, no fitting), the C-N (linker) peak of every temperature, Rw between
neighbouring temperatures and between GudrunX's D(r) and our Lorch transform of its F(Q),
and the ab initio glass models of Gaillac et al. 2020 against the 589 °C data.

fit: RMC against the 589 °C data (Gaillac et al. 2017, X-ray, i(Q) normalised by Σcf(Q)²,
sine-transformed here with Lorch to 24 Å⁻¹; the model gets the same f(Q) weights and peak
functions) over 1-20 Å, from a Gaillac glass box (3x3x3) and from a ZIF-4 CRN (3x3x3 of
the Lewis DFT cell, `mofglass model crn`, seed 1), each for a fixed time; Rw, scale, slope
and the independent bond-graph check (4-coordinated Zn, linkers bridging).

converge: a 272-atom ab initio glass refined to its plateau over 1-7.5 Å against 589 °C and
505 °C (amorphous, before melting): what the constrained model can reach on each.

Run: python benchmarks/glass_rmc.py [speed|floor|converge|fit] [s per fit] [crn.cif|-] [°C]
[both|gaillac|zif]
Results: benchmarks/results/glass_rmc.json and .txt (each mode updates its own section).
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

from mofglass.errors import AnalysisError
from mofglass.models.glass.rmc import RMCState, RMCTarget, rmc_target
from mofglass.models.glass.rmc_setup import prepare_rmc, summarise_rmc
from mofglass.scattering.models import supercell
from mofglass.structure import read_structure
from mofglass.structure.crystal import Crystal
from mofglass.totalscattering.readers import read_gudrun

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
RESULTS = Path(__file__).resolve().parent / "results"
GLASS = DATA / "zif-glass-models-gaillac2020"
SERIES = DATA / "zif4-glass-xray-FQ-Dr"
CRYSTAL = DATA / "zif-structures-lewis2009" / "ZIF-4.cif"
OUT = RESULTS / "glass_rmc.json"


def _liquid(r_max: float, kind: str = "int01", temp: str = "589") -> RMCTarget:
    data = read_gudrun(SERIES / f"ZIF4glassa_{temp}.{kind}")
    return rmc_target(data, r_range_A=(1.0, r_max), qmax_invA=24.0, lorch=True, weighting="f2")


def _save(section: str, value: Any, lines: list[str]) -> None:
    res = json.loads(OUT.read_text()) if OUT.exists() else {}
    res[section] = value
    OUT.write_text(json.dumps(res, indent=1) + "\n")
    txt = OUT.with_suffix(".txt")
    old = txt.read_text().split("\n## ") if txt.exists() else []
    keep = [b for b in old if b and not b.startswith(section + "\n") and b.strip()]
    blocks = [b if b.startswith("## ") else "## " + b for b in keep]
    blocks.append(f"## {section}\n" + "\n".join(lines) + "\n")
    txt.write_text("\n".join(b.rstrip("\n") + "\n" for b in blocks))
    print("\n".join(lines), flush=True)


def _rate(state: RMCState, n: int) -> tuple[float, float, float]:
    state.run(300, chunk=300)  # compile / warm up
    c0, w0 = time.process_time(), time.perf_counter()
    state.run(n, chunk=n)
    cpu = n / (time.process_time() - c0)
    return n / (time.perf_counter() - w0), cpu, state.history[-1]["chi2_drift"]


def _scan_geometry(state: RMCState) -> tuple[float, float]:
    """Atoms within rmax of a point and atoms a scan looks at (the columns' f_c slices)."""
    a, lat, rmax = state.arrays, state.lattice_A, state.params["rmax_A"]
    vol = abs(float(np.linalg.det(lat)))
    rho = len(state.species) / vol
    area = vol / float(np.linalg.norm(lat[2])) / float(np.prod(a["ncol"]))  # column base, Å²
    scanned = float(np.sum(area * 2.0 * a["cdz"] * np.linalg.norm(lat[2])))
    return rho * 4.0 / 3.0 * np.pi * rmax**3, rho * scanned


def _fullrmc(box: Crystal, target: RMCTarget, groups: list[list[int]]) -> list[dict[str, Any]]:
    """Time fullrmc on the same box and data (its own interpreter: MOFGLASS_FULLRMC_PYTHON)."""
    exe = os.environ.get("MOFGLASS_FULLRMC_PYTHON")
    if not exe:
        return []
    import ase
    import ase.io

    assert box.lattice_A is not None
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        pdb, data, grp = (Path(tmp) / n for n in ("box.pdb", "data.txt", "groups.json"))
        at = ase.Atoms(
            list(box.species), scaled_positions=np.mod(box.frac, 1.0), cell=box.lattice_A, pbc=True
        )
        ase.io.write(pdb, at)
        sel = (target.r_A >= target.r_range_A[0]) & (target.r_A <= target.r_range_A[1])
        np.savetxt(data, np.c_[target.r_A[sel], target.y[sel]])
        grp.write_text(json.dumps(groups))
        for kind, g, n in (("single-atom", "-", 2000), ("rigid-linker", str(grp), 500)):
            cmd = [exe, str(Path(__file__).with_name("glass_rmc_fullrmc.py")), str(pdb), str(data)]
            cmd += [f"{x:.6f}" for x in np.diag(box.lattice_A)] + [g, str(n)]
            res = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=tmp)
            line = res.stdout.strip().splitlines()[-1] if res.stdout.strip() else res.stderr[-300:]
            row = json.loads(line) if line.startswith("{") else {"error": line}
            row.update(
                {
                    "move": kind,
                    "command": "python glass_rmc_fullrmc.py box.pdb data.txt "
                    + " ".join([*cmd[4:7], "groups.json" if g != "-" else "-", str(n)]),
                }
            )
            out.append(row)
    return out


def speed() -> None:
    glass = read_structure(GLASS / "ZIF4_15glass01.cif")
    rows, lines = [], []
    for reps in ((3, 3, 4), (7, 7, 7)):
        box = supercell(glass, reps)
        for r_max in (10.0, 20.0):
            t0 = time.perf_counter()
            state = prepare_rmc(box, [_liquid(r_max)], seed=1, dr_A=0.05, p_group=0.0)
            setup = time.perf_counter() - t0
            in_sphere, scanned = _scan_geometry(state)
            taps = np.round(state.arrays["ktap"] * state.params["dr_A"], 2).tolist()
            for p_group, kind in ((0.0, "single-atom"), (1.0, "rigid-linker")):
                state.params["p_group"] = p_group
                wall, cpu, drift = _rate(state, 6000 if p_group == 0 else 2000)
                row = {
                    "atoms": box.n_atoms, "r_max_A": r_max, "move": kind,
                    "moves_per_s_wall": round(wall), "moves_per_cpu_s": round(cpu),
                    "setup_s": round(setup, 1), "chi2_drift": drift,
                    "pairs_within_rmax": round(in_sphere), "atoms_scanned": round(scanned),
                    "ns_per_pair": round(1e9 / cpu / in_sphere, 1),
                    "kernel_half_widths_A": taps,
                    "kernel_error": state.params["kernel_error"],
                }  # fmt: skip
                rows.append(row)
                lines.append(
                    f"{box.n_atoms} atoms, rmax {r_max:.0f} Å, {kind}: {cpu:.0f} moves per CPU s "
                    f"({wall:.0f}/s wall on the shared machine; setup {setup:.0f} s; "
                    f"{in_sphere:.0f} pairs within rmax, {scanned:.0f} scanned per position, "
                    f"{1e9 / cpu / in_sphere:.1f} ns per pair within rmax; χ² drift "
                    f"{drift:.1e}; peak functions cut at {taps} Å, model error "
                    f"{state.params['kernel_error']:.1e})"
                )
    for r_max in (10.0, 20.0):
        for kind in ("single-atom", "rigid-linker"):
            small, big = (
                r["moves_per_cpu_s"] for r in rows if r["r_max_A"] == r_max and r["move"] == kind
            )
            lines.append(f"10^5/10^4 atoms, rmax {r_max:.0f} Å, {kind}: {big / small:.2f}")
    box = supercell(glass, (3, 3, 4))
    target = _liquid(20.0)
    st = prepare_rmc(box, [target], dr_A=0.05)
    a = st.arrays
    groups = [
        a["grp_atoms"][a["grp_ptr"][k] : a["grp_ptr"][k + 1]].tolist()
        for k in range(len(a["grp_ptr"]) - 1)
    ]
    peer = _fullrmc(box, target, groups)
    for r in peer:
        lines.append(
            f"fullrmc {r.get('fullrmc', '?')}, {r.get('atoms', box.n_atoms)} atoms, data to 20 Å, {r['move']}: {r}"
        )
    if not peer:
        pip = subprocess.run(
            [sys.executable, "-m", "pip", "install", "--dry-run", "fullrmc"],
            capture_output=True,
            text=True,
            check=False,
        )
        err = [ln for ln in (pip.stderr + pip.stdout).splitlines() if "rror" in ln][:3]
        lines.append(
            "fullrmc: "
            + (
                "; ".join(err)
                if pip.returncode
                else "installable (set MOFGLASS_FULLRMC_PYTHON to time it)"
            )
        )
    _save("speed", {"rows": rows, "fullrmc": peer}, lines)


def _rw(y: np.ndarray, m: np.ndarray) -> float:
    return float(np.sqrt(np.sum((y - m) ** 2) / np.sum(y**2)))


def floor() -> None:
    out: dict[str, Any] = {}
    lines = []
    # 1. the convention on the crystal, no fitting
    t31 = rmc_target(
        read_gudrun(SERIES / "ZIF4glassa_31.dofr"), r_range_A=(1.0, 7.0), qmax_invA=24.0,
        lorch=True, weighting="f2",
    )  # fmt: skip
    for wt in ("f2", "fz", "z"):
        st = prepare_rmc(
            read_structure(CRYSTAL), [dataclasses.replace(t31, weighting=wt)], fit_scale=False
        )
        r, m, y = st.r_A, st.model(0), st.arrays["y"][0]
        pk = [
            float(m[(r > lo) & (r < hi)].max() / y[(r > lo) & (r < hi)].max())
            for lo, hi in ((1.25, 1.5), (1.85, 2.15))
        ]
        out[f"crystal_31C_{wt}_peak_ratio_CN_ZnN"] = pk
        lines.append(
            f"crystal ZIF-4 vs 31 °C D(r), weights {wt}, no scale: model/data C-N {pk[0]:.2f}, "
            f"Zn-N {pk[1]:.2f}"
        )
    # 2. the data series: linker C-N peak (rigid, should not change), neighbours
    heights = {}
    for f in sorted(SERIES.glob("*.dofr"), key=lambda p: int(p.stem.split("_")[1])):
        d = read_gudrun(f)
        sel = (d.x > 1.25) & (d.x < 1.5)
        heights[f.stem.split("_")[1]] = round(float(d.y[sel].max()), 3)
    out["CN_peak_height_by_T"] = heights
    lines.append(f"C-N (linker) peak height of D(r) by °C: {heights}")
    d589, d583 = (
        read_gudrun(SERIES / "ZIF4glassa_589.dofr"),
        read_gudrun(SERIES / "ZIF4glassa_583.dofr"),
    )
    sel = (d589.x >= 1.0) & (d589.x <= 20.0)
    out["rw_589_vs_583"] = _rw(d589.y[sel], np.interp(d589.x[sel], d583.x, d583.y))
    ours = _liquid(20.0)
    out["rw_dofr_vs_our_lorch_transform"] = _rw(
        d589.y[sel], np.interp(d589.x[sel], ours.r_A, ours.y)
    )
    lines.append(
        f"Rw(589 °C vs 583 °C D(r)) {out['rw_589_vs_583']:.3f}; Rw(GudrunX D(r) vs Lorch "
        f"transform of its F(Q) to 24 Å⁻¹) {out['rw_dofr_vs_our_lorch_transform']:.3f}"
    )
    # 3. the ab initio glasses (15 Å boxes: r ≤ 7.5 Å), scale and slope fitted
    for name in ("ZIF4_15glass01", "ZIF4_15glass02"):
        for kind in ("int01", "dofr"):
            t = dataclasses.replace(_liquid(7.5, kind))
            st = prepare_rmc(read_structure(GLASS / f"{name}.cif"), [t], fit_slope=True)
            out[f"{name}_{kind}"] = {"rw_1_7.5": st.rw(), "scale": float(st.arrays["scale"][0])}
            lines.append(
                f"{name} (ab initio) vs 589 °C {kind}, 1-7.5 Å: Rw {st.rw():.3f}, scale "
                f"{st.arrays['scale'][0]:.3f}"
            )
    _save("floor", out, lines)


def converge() -> None:
    """Refine one 272-atom ab initio glass to its plateau (1-7.5 Å) at 589 °C and at 505 °C."""
    glass = read_structure(GLASS / "ZIF4_15glass01.cif")
    out, lines = {}, []
    for temp in ("589", "505"):
        state = prepare_rmc(
            glass, [_liquid(7.5, temp=temp)], seed=1, dr_A=0.05, fit_slope=True, step_single_A=0.1
        )
        rw0 = state.rw()
        state.run(800000, chunk=100000)
        s = summarise_rmc(state, source=f"ZIF4_15glass01 vs {temp} °C")
        trail = [round(h["rw"], 4) for h in state.history]
        out[temp] = {
            "rw_start": rw0, "rw_by_1e5_moves": trail, "scale": s.scale,
            "four_coordinated": s.fraction_four_coordinated,
            "linkers_bridging": s.fraction_linkers_bridging,
        }  # fmt: skip
        lines.append(
            f"272-atom Gaillac glass vs {temp} °C, 1-7.5 Å, 8e5 moves: Rw {rw0:.3f} -> "
            f"{trail} (scale {s.scale:.3f}; 4-coordinated Zn {s.fraction_four_coordinated:.3f},"
            f" linkers bridging {s.fraction_linkers_bridging:.3f})"
        )
    _save("converge", out, lines)


def _crn(path: str | None) -> Crystal:
    if path:
        return read_structure(path)
    from mofglass.models.glass.crn import build_crn
    from mofglass.models.glass.net import metal_net, supercell_net
    from mofglass.structure.framework import build_framework

    fw = build_framework(read_structure(CRYSTAL))
    net = supercell_net(metal_net(fw), (3, 3, 3), fw)
    return build_crn(net, seed=1, randomise=0.5, sweeps=1.0).crystal  # the CLI defaults


def _closest(state: RMCState) -> float:
    """Shortest interatomic distance of the (orthogonal) box, Å."""
    from scipy.spatial import cKDTree

    box = np.diag(state.lattice_A)
    xyz = np.mod(state.frac, 1.0) * box
    return float(cKDTree(xyz, boxsize=box).query(xyz, k=2)[0][:, 1].min())


def _close_pairs(crystal: Crystal) -> int:
    """Atom pairs closer than 0.9 Å (an orthogonal box assumed)."""
    from scipy.spatial import cKDTree

    assert crystal.lattice_A is not None
    box = np.abs(np.diag(crystal.lattice_A))
    xyz = np.mod(crystal.frac, 1.0) * box
    return len(cKDTree(xyz, boxsize=box).query_pairs(0.9))


def _fit_one(
    start: str, crystal: Crystal, seconds: float, temp: str
) -> tuple[dict[str, Any], list[str]]:
    state = prepare_rmc(
        crystal, [_liquid(20.0, temp=temp)], seed=1, dr_A=0.05, fit_slope=True, step_single_A=0.1
    )
    rw0 = state.rw()
    ck = Path(tempfile.gettempdir()) / f"rmc_{start.split()[0].lower()}_{temp}.npz"
    if ck.exists():  # resume an earlier run of this benchmark
        state = RMCState.load(ck)
    lines = [f"RMC from {start} vs {temp} °C: {len(state.species)} atoms, start Rw {rw0:.4f}"]
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        state.run(50000, chunk=50000)
        h = state.history[-1]
        print(
            f"  {h['moves']:.0f} moves: Rw {h['rw']:.4f}, accepted {h['accept_single']:.2f} / "
            f"{h['accept_group']:.2f}, closest pair {_closest(state):.2f} Å "
            f"({time.perf_counter() - t0:.0f} s)",
            flush=True,
        )
        state.save(ck)
    s = summarise_rmc(state, source=start)
    dofr = prepare_rmc(state.crystal(), [_liquid(20.0, "dofr", temp)], dr_A=0.05, fit_slope=True)
    row = {
        "atoms": s.n_atoms, "moves": s.moves, "rw_start": rw0, "rw": s.rw,
        "rw_vs_gudrun_dofr": dofr.rw(), "scale": s.scale,
        "slope_per_A": float(state.arrays["extra"][0][-1] / state.r_A[-1]),
        "four_coordinated": s.fraction_four_coordinated,
        "linkers_bridging": s.fraction_linkers_bridging,
        "accept_single": s.accept_single, "accept_linker": s.accept_group,
        "closest_pair_A": _closest(state),
        "moves_per_s_wall": s.moves_per_s,
    }  # fmt: skip
    lines.append(s.report() + f"; Rw of the same model vs GudrunX's own D(r) {dofr.rw():.4f}")
    return row, lines


def fit(seconds: float, crn_path: str | None, temp: str = "589", only: str = "both") -> None:
    rows, lines = {}, []
    starts = (
        ("Gaillac ZIF4_15glass01 x3x3x3", lambda: supercell(read_structure(GLASS / "ZIF4_15glass01.cif"), (3, 3, 3))),
        ("ZIF-4 CRN x3x3x3 seed 1", lambda: _crn(crn_path)),
    )  # fmt: skip
    section = "fit" if temp == "589" else f"fit_{temp}"
    old = json.loads(OUT.read_text()).get(section, {}) if OUT.exists() else {}
    for start, make in starts:
        if only != "both" and not start.lower().startswith(only):
            continue
        crystal = make()
        try:
            row, ln = _fit_one(start, crystal, seconds, temp)
        except AnalysisError as exc:  # a start model RMC refuses: say why, with numbers
            close = _close_pairs(crystal)
            row = {"refused": str(exc), "pairs_closer_than_0.9_A": close}
            ln = [f"RMC from {start}: refused ({exc}); {close} atom pairs closer than 0.9 Å"]
        rows[start] = row
        lines += ln
    for start, row in old.items():  # keep the other start's earlier result
        if start not in rows:
            rows[start] = row
            lines.append(f"(earlier run) {start}: {row}")
    _save(section, rows, lines)


def main() -> None:
    which = sys.argv[1] if len(sys.argv) > 1 else "speed"
    with threadpool_limits(1):
        if which == "speed":
            speed()
        elif which == "floor":
            floor()
        elif which == "converge":
            converge()
        elif which == "fit":
            fit(
                float(sys.argv[2]) if len(sys.argv) > 2 else 600.0,
                sys.argv[3] if len(sys.argv) > 3 and sys.argv[3] != "-" else None,
                sys.argv[4] if len(sys.argv) > 4 else "589",
                sys.argv[5] if len(sys.argv) > 5 else "both",
            )


if __name__ == "__main__":
    main()
