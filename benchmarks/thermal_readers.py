"""Benchmark: reading thermal exports and the step-method cp, mofglass against peers.

Run from the repository root (pkynetics, pyngb optional): ``python benchmarks/thermal_readers.py``.
Prints

* files per second of every reader over the real files of its format in ``shared/data``;
* native NETZSCH files: mofglass (pyngb decoding + calibration, programme, checks) against bare
  ``pyngb.read_ngb`` on the same file (ratio = mofglass time / pyngb time);
* wall time (best of 5) and peak traced memory per task, and the ratio mofglass/pkynetics on
  the same input and machine.
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


#: format -> real files of that format (relative to shared/data)
READER_FILES = {
    "netzsch": [
        "sta-netzsch-ulfsri/DF_FILED_DES_STA_N2_10K_231028_R1.csv",
        "sta-netzsch-ulfsri/DF_FILED_VAL_STA_N2_10K_240211_R1.csv",
        "tga-multivendor-pytga/netzsch_example3.txt",
    ],
    "perkinelmer": ["tga-multivendor-pytga/plastic_cracking_example.txt"],
    "ta": ["dsc-tainstruments-eicosane/sample_dsc_tainstruments.txt"],
    "mettler": [
        "tga-multivendor-pytga/MettlerToledo_example_file.txt",
        "tga-mettler-pmma/tga_dynamic_n2_dyn10_powder_1mg_r1.txt",
        "tga-mettler-pmma/tga_dynamic_n2_dyn60_powder_1mg_r1.txt",
    ],
    "setaram": ["tgdsc-setaram/sample_dsc_setaram.txt", "cp-sapphire-setaram/sample.txt"],
    "csv": [
        "macfp-pmma-dsc-tga-netzsch/FSRI_DSC_N2_10K_1.csv",
        "macfp-pmma-sandia-sta/Sandia_DSC_Ar_10K_1.csv",
    ],
    "ngb": [
        "netzsch-ngb-native-sta/Douglas_Fir_STA_10K_250730_R13.ngb-ss3",
        "netzsch-ngb-native-sta/Douglas_Fir_STA_Baseline_10K_250730_R13.ngb-bs3",
        "sta-netzsch-ulfsri/IBHS_Shingle_102-B-5-1_Sample_2_STA_N2_30K_240716_R1.ngb-ss3",
    ],
}


def bench_readers() -> None:
    """Files per second of each reader, and native NETZSCH against bare pyngb."""
    from mofglass.thermal import read_thermogram

    print(f"{'reader':10s} {'files':>5s} {'files/s':>9s}")
    for fmt, rels in READER_FILES.items():
        paths = [DATA / r for r in rels if (DATA / r).is_file()]
        if not paths:
            continue
        kw = {"exo_up": False} if fmt == "csv" else {}
        t, _ = measure(lambda ps=paths, k=kw: [read_thermogram(p, **k) for p in ps], repeat=3)
        print(f"{fmt:10s} {len(paths):5d} {len(paths) / t:9.1f}")
    try:
        import pyngb
    except ImportError:
        return
    print(f"{'native file':48s} {'mofglass s':>10s} {'pyngb s':>8s} {'ratio':>6s}")
    for rel in READER_FILES["ngb"]:
        p = DATA / rel
        ours, _ = measure(lambda p=p: read_thermogram(p), repeat=3)
        peer, _ = measure(lambda p=p: pyngb.read_ngb(str(p)), repeat=3)
        print(f"{p.name[:48]:48s} {ours:10.3f} {peer:8.3f} {ours / peer:6.2f}")


def main() -> None:
    bench_readers()
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
