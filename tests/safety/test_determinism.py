"""results.json of the full demo is byte-identical whatever runs it: serial, Dask's process
pool (its workers started with OMP_NUM_THREADS = NUMBA_NUM_THREADS = 1) and a local Dask
cluster; and the numba pair histograms do not depend on the thread count.

Thread counts change the order in which BLAS and the numba pair histograms add numbers; the
pipeline limits BLAS to one thread per task (threadpoolctl) and the histograms use a fixed
number of partial sums, so the bytes cannot depend on the machine's thread count.
"""

from __future__ import annotations

import json
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from mofglass.demo.generate import write_demo_study
from mofglass.study.manifest import load_manifest
from mofglass.study.pipeline import run_study


def _bytes(res) -> bytes:
    return json.dumps(res.to_json_dict(), indent=1, ensure_ascii=False, allow_nan=False).encode()


_ONE_THREAD = {"OMP_NUM_THREADS": "1", "NUMBA_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}


def _worker_threads() -> tuple[int, str | None]:
    import numba

    return numba.get_num_threads(), os.environ.get("OMP_NUM_THREADS")


@pytest.mark.slow
def test_full_demo_results_identical_across_schedulers(tmp_path: Path, monkeypatch):
    """serial (this process, all threads) = processes with OMP_NUM_THREADS=1 in the workers
    = local cluster: the issue's two conditions in one run of each scheduler."""
    pytest.importorskip("dask.distributed")
    m = load_manifest(write_demo_study(tmp_path / "in"))
    serial = _bytes(run_study(m))
    with monkeypatch.context() as env:
        # the spawned workers start with these variables: one OpenMP / numba / BLAS thread
        for k, v in _ONE_THREAD.items():
            env.setenv(k, v)
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
            assert pool.submit(_worker_threads).result() == (1, "1")
        assert _bytes(run_study(m, scheduler="processes")) == serial
    assert _bytes(run_study(m, scheduler="local")) == serial


def test_pair_histogram_independent_of_thread_count(shared_data: Path):
    import numba

    from mofglass.scattering.pairs import pair_histogram
    from mofglass.structure.cif import read_structure

    c = read_structure(shared_data / "zif8-zif67-ccdc-cifs" / "ZIF-67.cif")
    _, types = np.unique(c.species, return_inverse=True)
    weights = np.linspace(0.3, 2.7, c.n_atoms)  # non-integer weights: order-sensitive sums
    before = numba.get_num_threads()
    counts = []
    try:
        for n in sorted({1, numba.config.NUMBA_NUM_THREADS}):
            numba.set_num_threads(n)
            h = pair_histogram(
                c.positions_A, r_max_A=12.0, types=types, weights=weights, lattice_A=c.lattice_A
            )
            counts.append(h.counts.tobytes())
    finally:
        numba.set_num_threads(before)
    assert len(set(counts)) == 1
