"""results.json of the full demo is byte-identical whatever runs it: serial, a local Dask
cluster, Dask's process pool, and a process limited to one thread (OMP_NUM_THREADS=1).

Thread counts change the order in which BLAS and the numba pair histograms add numbers; the
pipeline limits BLAS to one thread per task (threadpoolctl) and the histograms use a fixed
number of partial sums, so the bytes cannot depend on the machine's thread count.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mofglass.demo.generate import write_demo_study
from mofglass.study.manifest import load_manifest
from mofglass.study.pipeline import run_study

REPO = Path(__file__).resolve().parents[2]


def _bytes(res) -> bytes:
    return json.dumps(res.to_json_dict(), indent=1, ensure_ascii=False, allow_nan=False).encode()


@pytest.mark.slow
def test_full_demo_results_identical_across_schedulers_and_thread_counts(tmp_path: Path):
    pytest.importorskip("dask.distributed")
    manifest = write_demo_study(tmp_path / "in")
    m = load_manifest(manifest)
    serial = _bytes(run_study(m))
    assert _bytes(run_study(m, scheduler="processes")) == serial
    assert _bytes(run_study(m, scheduler="local")) == serial
    # a separate process with one OpenMP/BLAS/numba thread, through the command line
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO / "src"),
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "NUMBA_NUM_THREADS": "1",
    }
    out = tmp_path / "one-thread"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "mofglass",
            "run",
            str(manifest),
            "--out",
            str(out),
            "-q",
            "--no-figures",
        ],
        check=True,
        env=env,
        timeout=600,
    )
    assert (out / "results.json").read_bytes() == serial + b"\n"
