"""End-to-end cost of the structure analysis against the number of atoms.

Builds P1 supercells of the Zn(im)2 zni cell (Lewis et al. 2009, 272 atoms) - 1088 atoms
(2x2x1, the "1000-atom cell") up to 9792 atoms (3x3x4, the "10,000-atom cell") - and times
reading-free analysis: bonds, framework, networks, topology (Systre key), densities, M-M shells.
Prints time and peak Python memory (tracemalloc) per size and the fitted exponent of t ~ N^k.

Usage: python benchmarks/structure_scaling.py [path/to/zni.cif]
"""

from __future__ import annotations

import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

from mofglass.structure import Crystal, build_framework, read_structure
from mofglass.structure.analysis import analyze_structure

DEFAULT = (
    Path(__file__).resolve().parents[1]
    / ".."
    / "shared"
    / "data"
    / "zif-structures-lewis2009"
    / "zni.cif"
)


def supercell(c: Crystal, reps: tuple[int, int, int]) -> Crystal:
    shifts = np.array(
        [(i, j, k) for i in range(reps[0]) for j in range(reps[1]) for k in range(reps[2])]
    )
    frac = ((c.frac[None, :, :] + shifts[:, None, :]) / np.array(reps)).reshape(-1, 3)
    lat = c.lattice_A * np.array(reps)[:, None]
    return Crystal.from_fractional(list(c.species) * len(shifts), frac, lat, source=f"zni {reps}")


def run(c: Crystal) -> tuple[float, float, float, float, str]:
    tracemalloc.start()
    c0 = time.process_time()
    t0 = time.perf_counter()
    fw = build_framework(c)
    t1 = time.perf_counter()
    s = analyze_structure(c, framework=fw)
    t2 = time.perf_counter()
    cpu = time.process_time() - c0
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return t1 - t0, t2 - t1, cpu, peak, f"{s.topology_label} x{s.interpenetration}"


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    base = read_structure(path)
    sizes = [(1, 1, 1), (2, 2, 1), (2, 2, 2), (3, 3, 2), (3, 3, 4)]
    print(
        f"{'atoms':>7} {'framework s':>12} {'analysis s':>11} {'total s':>8} {'CPU s':>7} "
        f"{'peak MiB':>9}  topology"
    )
    ns, ts = [], []
    for reps in sizes:
        c = supercell(base, reps)
        tf, ta, cpu, peak, topo = run(c)
        ns.append(c.n_atoms)
        ts.append(cpu)
        print(f"{c.n_atoms:7d} {tf:12.2f} {ta:11.2f} {tf + ta:8.2f} {cpu:7.2f} {peak:9.1f}  {topo}")
    k = np.polyfit(np.log(ns[1:]), np.log(ts[1:]), 1)[0]
    print(f"fitted exponent CPU t ~ N^{k:.2f} (from {ns[1]} to {ns[-1]} atoms)")


if __name__ == "__main__":
    main()
