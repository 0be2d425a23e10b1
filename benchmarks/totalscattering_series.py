"""Benchmark: the ZIF-4 variable-temperature series (21 GudrunX F(Q) files, Gaillac 2017).

Reads every .int01, transforms F(Q) → D(r) (r 0.01-30 Å, step 0.01 Å, Lorch) with the shared
sine transform of :mod:`mofglass.scattering.total`, fits the first three peaks of each and
summarises the series. Prints wall time, peak Python memory (tracemalloc) and, for the
transform alone, the ratio to the peer scipy route (a type-I DST on a padded uniform grid is
not comparable for non-uniform Q, so the peer is a plain numpy trapezoid loop over r).

Run: python benchmarks/totalscattering_series.py
"""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import numpy as np

from mofglass.totalscattering import (
    read_total_scattering,
    reduced_pdf,
    series_summary,
)

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "zif4-glass-xray-FQ-Dr"


def main() -> None:
    files = sorted(DATA.glob("*.int01"), key=lambda p: float(p.stem.split("_")[-1]))
    if not files:
        print(f"no data in {DATA}")
        return
    r = np.arange(0.01, 30.0, 0.01)
    tracemalloc.start()
    t0 = time.perf_counter()
    data = [read_total_scattering(p) for p in files]
    t1 = time.perf_counter()
    pdfs = [reduced_pdf(d, r_A=r, lorch=True) for d in data]
    t2 = time.perf_counter()
    s = series_summary(
        [d.metadata["temperature_C"] for d in data], [p.x for p in pdfs], [p.y for p in pdfs]
    )
    t3 = time.perf_counter()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    # naive reference: per-r trapezoid integration (what a first script would do)
    t4 = time.perf_counter()
    for d in data[:3]:
        q = d.x
        f = q * d.y * np.sinc(q / q.max())
        _ = [(2 / np.pi) * np.trapezoid(f * np.sin(q * rr), q) for rr in r]
    naive = (time.perf_counter() - t4) / 3 * len(data)
    n = len(files)
    print(f"files: {n}, Q points per file: {data[0].x.size}, r points: {r.size}")
    print(f"read        {t1 - t0:7.3f} s")
    print(f"transform   {t2 - t1:7.3f} s  ({(t2 - t1) / n * 1e3:.1f} ms/file)")
    print(f"naive loop  {naive:7.3f} s  (ratio naive/mofglass {naive / (t2 - t1):.1f}x)")
    print(f"peaks+VT    {t3 - t2:7.3f} s")
    print(f"peak Python memory {peak / 2**20:.1f} MiB")
    print("T (°C)  peak1  peak2  peak3 (Å)  long-r RMS rel.")
    for t, p, lr in zip(s.temperature_C, s.peak_positions_A, s.long_range_relative, strict=True):
        print(f"{t:6.0f}  {p[0]:.3f}  {p[1]:.3f}  {p[2]:.3f}  {lr:.2f}")


if __name__ == "__main__":
    main()
