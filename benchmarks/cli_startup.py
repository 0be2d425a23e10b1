"""Whole-process start-up time of the command line (issue 17).

Targets: ``mofglass --version`` and ``mofglass --help`` < 0.3 s (the technique commands are
listed without being imported), ``mofglass structure`` on a small CIF < 1.5 s (only the structure
stack is imported). Each command runs five times in a fresh interpreter; the median, minimum and
maximum wall time and the median CPU time of the child process are printed. Not a test: timings
depend on the machine and its load (CPU time is the steadier number on a shared machine).

    python benchmarks/cli_startup.py
"""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SMALL_CIF = REPO / "tests" / "microscopy" / "data" / "SrTiO3_Pm-3m.cif"
ZIF8 = REPO.parent / "shared" / "data" / "zif8-zif67-ccdc-cifs" / "ZIF-8.cif"

COMMANDS = [
    (["--version"], 0.3),
    (["--help"], 0.3),
    (["dsc", "--help"], None),
    (["schema"], None),
    (["structure", str(SMALL_CIF)], 1.5),
]
if ZIF8.exists():
    COMMANDS.append((["structure", str(ZIF8)], 1.5))


def _time(args: list[str], repeats: int = 5) -> tuple[list[float], list[float]]:
    wall, cpu = [], []
    for _ in range(repeats):
        before = os.times()
        t0 = time.perf_counter()
        subprocess.run(["mofglass", *args], capture_output=True, check=True)
        wall.append(time.perf_counter() - t0)
        after = os.times()
        cpu.append(
            after.children_user
            - before.children_user
            + after.children_system
            - before.children_system
        )
    return wall, cpu


def main() -> None:
    print(f"{'command':32s} {'median/s':>9s} {'min/s':>7s} {'max/s':>7s} {'cpu/s':>7s} target")
    for args, target in COMMANDS:
        wall, cpu = _time(args)
        shown = [Path(a).name if a.endswith(".cif") else a for a in args]
        name = "mofglass " + " ".join(shown)
        goal = "" if target is None else f"< {target} s"
        print(
            f"{name:32s} {statistics.median(wall):9.3f} {min(wall):7.3f} {max(wall):7.3f} "
            f"{statistics.median(cpu):7.3f} {goal}"
        )


if __name__ == "__main__":
    main()
