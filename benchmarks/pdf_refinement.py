"""Benchmark: small-box PDF refinement of Ni (X-ray, 1.5-30 Å, 8 parameters) vs PDFfit2.

The case is ``ni_xray_8par`` of tests/totalscattering/reference/make_pdffit2_reference.py:
scale, a, Uiso, delta1, delta2, Qdamp, Qbroad and a sphere diameter refined from the same start
on ni-q27r60-xray.gr with Qmax 27 Å⁻¹. Both programs run end to end (data and structure already
read) in this process, alternately, ``--repeat`` times; the medians of wall and CPU time are
compared (goal: mofglass ≥ 10x faster than PDFfit2's refine()). mofglass is warmed up once
(numba kernels load from the on-disk cache). The refined values of both are printed.

Run: python benchmarks/pdf_refinement.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "totalscattering" / "reference"))

from make_pdffit2_reference import CASES, DATA, run_pdffit2  # noqa: E402

from mofglass.structure import read_structure  # noqa: E402
from mofglass.totalscattering import read_total_scattering  # noqa: E402
from mofglass.totalscattering.refine import refine_pdf  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    case = CASES["ni_xray_8par"]
    if not (DATA / case["data"]).exists():
        print(f"no data in {DATA}")
        return
    data = read_total_scattering(DATA / case["data"])
    crystal = read_structure(DATA / case["cif"])

    def ours() -> object:
        return refine_pdf(
            data,
            [crystal],
            qmax_invA=case["qmax_invA"],
            fit_range_A=tuple(case["fit_range_A"]),
            start=case["start"],
            refine=case["refine"],
            shape=case["shape"],
        )

    ours()  # warm-up: numba kernels from the cache
    try:
        import diffpy.pdffit2  # noqa: F401
    except ImportError:
        print("diffpy.pdffit2 is not installed: mofglass only")
        have_peer = False
    else:
        have_peer = True
    t_ours, c_ours, t_peer, c_peer = [], [], [], []
    res = peer = None
    for _ in range(args.repeat):
        w, c = time.perf_counter(), time.process_time()
        res = ours()
        t_ours.append(time.perf_counter() - w)
        c_ours.append(time.process_time() - c)
        if have_peer:
            sys.stdout, saved = io.StringIO(), sys.stdout
            try:
                peer = run_pdffit2(case)
            finally:
                sys.stdout = saved
            # the first refine() alone, as timed inside (not the restarts or the reading)
            t_peer.append(peer["refine_seconds"])
            c_peer.append(peer["refine_cpu_seconds"])
    mo, mc = statistics.median(t_ours), statistics.median(c_ours)
    print(
        f"mofglass refine_pdf: wall {mo * 1e3:.0f} ms, CPU {mc * 1e3:.0f} ms (median of {args.repeat})"
    )
    if have_peer and peer is not None:
        po, pc = statistics.median(t_peer), statistics.median(c_peer)
        print(f"pdffit2 refine():    wall {po * 1e3:.0f} ms, CPU {pc * 1e3:.0f} ms")
        print(f"wall-time ratio pdffit2 / mofglass: {po / mo:.1f}x (goal >= 10x)")
        print(f"CPU-time ratio  pdffit2 / mofglass: {pc / mc:.1f}x")
        print(f"Rw: mofglass {res.rw:.5f}, pdffit2 {peer['rw']:.5f}")  # type: ignore[attr-defined]
        for k, v in peer["parameters"].items():
            print(f"  {k:<12} mofglass {res.value(k):.6g}  pdffit2 {v:.6g}")  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
