"""The DuckDB lab library: idempotent appends, 1000 studies, a killed append loses nothing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("duckdb")

from mofglass.errors import InputFormatError
from mofglass.study.library import Library


def _study(folder: Path, k: int, n_rows: int = 20) -> Path:
    """A results.json of study k: sample s with tg_onset_C = 100 + k, and n_rows more rows."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = [
        {"sample_id": "s", "quantity": "tg_onset_C", "value": 100.0 + k, "stderr": 0.5,
         "unit": "°C", "technique": "dsc", "method": "m", "source": f"run{k}.txt"}
    ] + [
        {"sample_id": "s", "quantity": f"seg{i}_fictive_C", "value": float(i), "stderr": None,
         "unit": "°C", "technique": "dsc", "method": "m", "source": f"run{k}.txt"}
        for i in range(1, n_rows)
    ]  # fmt: skip
    doc = {
        "study": {"title": f"study {k}"},
        "samples": [{"id": "s", "label": "Cd(im)2", "phase": "glass", "formula": "Cd(im)2"}],
        "results": rows,
        "provenance": {
            "mofglass_version": "x",
            "inputs": {f"run{k}.txt": {"sha256": "ab", "bytes": 3}},
        },
    }
    (folder / "results.json").write_text(json.dumps(doc))
    return folder


def test_thousand_studies_appended_idempotently_and_queried(tmp_path: Path):
    lib = Library(tmp_path / "lab.duckdb")
    with lib:  # one connection for the batch; each append is still its own transaction
        for k in range(1000):
            assert lib.append(_study(tmp_path / f"r{k}", k)).added
    assert not lib.append(tmp_path / "r7").added  # the same study again: nothing added
    _, ((n,),) = lib.query("SELECT count(*) FROM studies")
    assert n == 1000
    _, ((n_rows,),) = lib.query("SELECT count(*) FROM results")
    assert n_rows == 1000 * 20
    names, rows = lib.trend("tg_onset_C")
    assert len(rows) == 1000 and names[4] == "value"
    assert sorted(r[4] for r in rows) == [100.0 + k for k in range(1000)]
    out = lib.export(tmp_path / "all.csv")
    assert out.read_text().count("\n") == 1000 * 20 + 1


def test_a_killed_append_loses_nothing_committed(tmp_path: Path):
    db = tmp_path / "lab.duckdb"
    lib = Library(db)
    for k in range(3):
        lib.append(_study(tmp_path / f"r{k}", k))
    big = _study(tmp_path / "big", 99, n_rows=200_000)  # a long append, killed midway
    code = f"from mofglass.study.library import Library; Library({str(db)!r}).append({str(big)!r})"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.Popen([sys.executable, "-c", code], env=env)
    time.sleep(3.0)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    _, ((n,),) = Library(db).query("SELECT count(*) FROM studies")
    _, ((n_rows,),) = Library(db).query("SELECT count(*) FROM results")
    # either the big study was committed whole, or not at all; the three before are intact
    assert (n, n_rows) in {(3, 60), (4, 60 + 200_000)}
    assert Library(db).append(tmp_path / "r0").added is False


def test_bad_inputs(tmp_path: Path):
    lib = Library(tmp_path / "lab.duckdb")
    with pytest.raises(InputFormatError, match=r"results\.json"):
        lib.append(tmp_path)
    from mofglass.errors import MofglassError

    with pytest.raises(MofglassError, match="no such library"):
        Library(tmp_path / "none.duckdb").query("SELECT 1")


def test_cli_run_with_library_then_query_and_trend(tmp_path: Path):
    from typer.testing import CliRunner

    from mofglass.cli import app
    from tests.study.test_pipeline import _write_study

    runner = CliRunner()
    manifest = _write_study(tmp_path / "in", 2)
    db = tmp_path / "lab.duckdb"
    for _ in range(2):  # the second run appends nothing new (same results)
        r = runner.invoke(app, ["run", str(manifest), "--out", str(tmp_path / "out"), "-q",
                                "--library", str(db)])  # fmt: skip
        assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["library", "query", "SELECT count(*) AS n FROM studies", "--db",
                            str(db), "--json"])  # fmt: skip
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout) == [{"n": 1}]
    r = runner.invoke(app, ["library", "trend", "n_lines", "--db", str(db)])
    assert r.exit_code == 0 and "s001" in r.output
    r = runner.invoke(app, ["library", "query", "DROP TABLE results", "--db", str(db)])
    assert r.exit_code == 2  # read-only
