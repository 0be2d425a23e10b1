"""Reverse Monte Carlo: speed of the moves and refinements against the measured ZIF-4 liquid.

speed: single-atom and rigid-linker moves per second on ~10^4- and 3.4·10^4-atom boxes (supercells
of the ab initio ZIF-4 glass of Gaillac et al. 2020), rmax 10 and 20 Å, one core; the cost of
a move should not grow with the box (cell lists). fullrmc 4.1.0 (the only release on PyPI) is
an sdist whose setup.py imports Cython without declaring it, so ``pip install --dry-run
fullrmc`` fails in an isolated build here: no side-by-side timing.

fit: RMC against D(r) of ZIF-4 at 589 °C (Gaillac et al. 2017, GudrunX, X-ray, F(Q) to
24 Å⁻¹; the model is convolved with the Lorch peak function of that Qmax) over 1-20 Å, from a
Gaillac glass box (3x3x3 supercell) and from the ZIF-4 CRN of benchmarks/glass_crn.py
(benchmarks/results/crn_zif-4.cif), each for a fixed time budget; R_w, the fitted scale and
slope, and the independent bond-graph check (4-coordinated Zn, linkers bridging).

Run: python benchmarks/glass_rmc.py [speed|fit|all] [seconds per fit]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from threadpoolctl import threadpool_limits

from mofglass.models.glass.rmc import RMCTarget, rmc_target
from mofglass.models.glass.rmc_setup import prepare_rmc, summarise_rmc
from mofglass.scattering.models import supercell
from mofglass.structure import read_structure
from mofglass.totalscattering.readers import read_gudrun

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
RESULTS = Path(__file__).resolve().parent / "results"
GLASS = DATA / "zif-glass-models-gaillac2020" / "ZIF4_15glass01.cif"
LIQUID = DATA / "zif4-glass-xray-FQ-Dr" / "ZIF4glassa_589.dofr"


def _target(rmax: float) -> RMCTarget:
    return rmc_target(read_gudrun(LIQUID), r_range_A=(1.0, rmax), qmax_invA=24.0, lorch=True)


def speed() -> None:
    glass = read_structure(GLASS)
    for reps, rmax in (((3, 3, 4), 10.0), ((3, 3, 4), 20.0), ((5, 5, 5), 10.0)):
        box = supercell(glass, reps)
        t0 = time.perf_counter()
        for p_group, kind in ((0.0, "single-atom"), (1.0, "rigid-linker")):
            state = prepare_rmc(box, [_target(rmax)], seed=1, dr_A=0.05, p_group=p_group)
            if kind == "single-atom":
                prep = time.perf_counter() - t0
            state.run(500, chunk=500)  # compile / warm up
            state.run(5000, chunk=5000)
            row = state.history[-1]
            print(
                f"{box.n_atoms} atoms, rmax {rmax:.0f} Å: {kind} {row['moves_per_s']:.0f} moves/s "
                f"(accepted {row['accept_single'] if p_group == 0 else row['accept_group']:.2f}; "
                f"setup {prep:.1f} s)",
                flush=True,
            )


def fit(start: str, crystal: object, seconds: float) -> None:
    state = prepare_rmc(crystal, [_target(20.0)], seed=1, dr_A=0.05, fit_slope=True)  # type: ignore[arg-type]
    print(
        f"== RMC from {start}: {len(state.species)} atoms, start R_w {state.rw():.4f}", flush=True
    )
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        state.run(20000, chunk=20000)
        h = state.history[-1]
        print(
            f"  {h['moves']:.0f} moves ({time.perf_counter() - t0:.0f} s): R_w {h['rw']:.4f}, "
            f"accepted {h['accept_single']:.2f}/{h['accept_group']:.2f}, {h['moves_per_s']:.0f}/s",
            flush=True,
        )
    s = summarise_rmc(state, source=start)
    slope = float(state.arrays["extra"][0][-1] / state.r_A[-1])
    print(s.report() + f"; slope term {slope:.4f} Å⁻³", flush=True)
    state.save(RESULTS / f"rmc_{start.split()[0].lower()}.npz")


def main() -> None:
    which = sys.argv[1] if len(sys.argv) > 1 else "all"
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 600.0
    with threadpool_limits(1):
        if which in ("speed", "all"):
            speed()
        if which in ("fit", "all"):
            fit(
                "Gaillac ZIF4_15glass01 x3x3x3",
                supercell(read_structure(GLASS), (3, 3, 3)),
                seconds,
            )
            crn = RESULTS / "crn_zif-4.cif"
            if crn.exists():
                fit("CRN of ZIF-4 (benchmarks/glass_crn.py)", read_structure(crn), seconds)
            else:
                print(f"no {crn.name}: run benchmarks/glass_crn.py zif4 first")


if __name__ == "__main__":
    main()
