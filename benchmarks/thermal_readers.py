"""Benchmark: reading thermal exports and the step-method cp, mofglass against pkynetics.

Run from the repository root (pkynetics optional): ``python benchmarks/thermal_readers.py``.
Prints wall time (best of 5) and peak traced memory per task, and the ratio mofglass/pkynetics
on the same input and machine.
"""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"


def measure(fn: Callable[[], Any], repeat: int = 5) -> tuple[float, float]:
    """Best wall time (s) and peak traced memory (MB) of ``fn``."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    return best, peak


def _row(name: str, ours: tuple[float, float], peer: tuple[float, float]) -> None:
    ratio = ours[0] / peer[0]
    print(f"{name:40s} {ours[0]:10.3f} {ours[1]:6.1f} {peer[0]:8.3f} {peer[1]:6.1f} {ratio:6.2f}")


def main() -> None:
    from mofglass.thermal import read_thermogram
    from mofglass.thermal.cp import step_heat_capacity

    try:
        from pkynetics.data_import import dsc_importer
        from pkynetics.technique_analysis.dsc import CpCalculator, CpMethod
    except ImportError:  # peer not installed
        dsc_importer = None
    cases = {
        "TA eicosane (19k rows)": (
            "dsc-tainstruments-eicosane/sample_dsc_tainstruments.txt",
            "auto",
        ),
        "Setaram TG-DSC UTF-16 (13k rows)": ("tgdsc-setaram/sample_dsc_setaram.txt", "Setaram"),
        "Setaram cp sample (23k rows)": ("cp-sapphire-setaram/sample.txt", "Setaram"),
    }
    print(f"{'task':40s} {'mofglass s':>10s} {'MB':>6s} {'peer s':>8s} {'MB':>6s} {'ratio':>6s}")
    for name, (rel, manu) in cases.items():
        path = DATA / rel
        ours = measure(lambda p=path: read_thermogram(p))
        peer = (
            measure(lambda p=path, m=manu: dsc_importer(str(p), manufacturer=m))
            if dsc_importer
            else (float("nan"),) * 2
        )
        _row(name, ours, peer)
    d = DATA / "cp-sapphire-setaram"
    s, z = read_thermogram(d / "sample.txt"), read_thermogram(d / "zero.txt", require_mass=False)
    ours = measure(lambda: step_heat_capacity(s, z), repeat=3)
    if dsc_importer:
        runs = {
            k: dsc_importer(str(d / f"{k}.txt"), manufacturer="Setaram") for k in ("zero", "sample")
        }

        def peer_cp() -> Any:
            r = runs["sample"]
            return CpCalculator(exo_up=True).calculate_cp(
                r["sample_temperature"] + 273.15,
                r["heat_flow"],
                58.3,
                5.0,
                method=CpMethod.SINGLE_STEP,
                operation_mode="stepped",
                time=r["time"],
                blank_heat_flow=runs["zero"]["heat_flow"],
            )

        peer = measure(peer_cp, repeat=3)
    else:
        peer = (float("nan"), float("nan"))
    _row("step cp, blank-corrected (after reading)", ours, peer)


if __name__ == "__main__":
    main()
