"""End-to-end study runs: outputs, provenance, determinism, atomicity, Dask."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from mofglass.errors import InputFormatError, MofglassError
from mofglass.study.manifest import load_manifest
from mofglass.study.pipeline import run_study, write_outputs
from mofglass.study.provenance import sha256_file
from tests.study.technique_for_tests import register_line_count


def _write_study(folder: Path, n_samples: int) -> Path:
    """n samples; sample i has a file with lines 1..(i % 7 + 1): truth n = i % 7 + 1, sum = n(n+1)/2."""
    register_line_count()
    (folder / "data").mkdir(parents=True, exist_ok=True)
    parts = ['[study]\ntitle = "batch"\n']
    for i in range(n_samples):
        n = i % 7 + 1
        (folder / "data" / f"s{i:03d}.txt").write_text("".join(f"{k}\n" for k in range(1, n + 1)))
        parts.append(
            f'[[samples]]\nid = "s{i:03d}"\nphase = "glass"\nformula = "Cd(im)2"\n'
            f'  [[samples.linecount]]\n  file = "data/s{i:03d}.txt"\n  mass = "2 mg"\n'
        )
    manifest = folder / "study.toml"
    manifest.write_text("\n".join(parts))
    return manifest


def test_run_writes_everything_with_provenance(tmp_path: Path):
    manifest = _write_study(tmp_path / "in", 3)
    before = {p: p.read_bytes() for p in (tmp_path / "in").rglob("*") if p.is_file()}
    res = run_study(load_manifest(manifest))
    out = write_outputs([res], tmp_path / "out")
    assert {p.name for p in out.iterdir()} >= {
        "results.json",
        "results.csv",
        "report.html",
        "figures",
    }
    assert (out / "figures" / "linecount_overview.png").is_file()
    assert (out / "figures" / "linecount_overview.svg").is_file()
    rows = list(csv.DictReader((out / "results.csv").open()))
    by = {(r["sample_id"], r["quantity"]): r for r in rows}
    # truth: sample 2 has lines 1,2,3 -> n = 3, sum = 6, per 2 mg = 3
    assert float(by[("s002", "n_lines")]["value"]) == 3
    assert float(by[("s002", "sum_per_mg")]["value"]) == 3
    assert by[("s002", "sum_per_mg")]["file"] == "data/s002.txt"
    # Cd(im)2 molar mass from the composition technique (112.414 + 2 x 67.071)
    assert float(by[("s000", "molar_mass_g_mol")]["value"]) == pytest.approx(246.556)
    doc = json.loads((out / "results.json").read_text())
    prov = doc["provenance"]
    assert prov["inputs"]["data/s001.txt"]["sha256"] == sha256_file(
        tmp_path / "in" / "data" / "s001.txt"
    )
    assert prov["manifest"]["content"]["study"]["title"] == "batch"
    assert any(p["options"] == {"mass_mg": 2.0} for p in prov["parameters"])
    assert "mofglass_version" in prov
    # inputs untouched
    assert before == {p: p.read_bytes() for p in (tmp_path / "in").rglob("*") if p.is_file()}


def test_rerun_is_byte_identical(tmp_path: Path):
    manifest = _write_study(tmp_path / "in", 4)
    a = write_outputs([run_study(load_manifest(manifest))], tmp_path / "a")
    b = write_outputs([run_study(load_manifest(manifest))], tmp_path / "b")
    assert (a / "results.json").read_bytes() == (b / "results.json").read_bytes()
    assert (a / "results.csv").read_bytes() == (b / "results.csv").read_bytes()


def test_failed_run_leaves_no_output(tmp_path: Path):
    manifest = _write_study(tmp_path / "in", 2)
    (tmp_path / "in" / "data" / "s001.txt").write_text("1\nnot a number\n")
    with pytest.raises(InputFormatError, match=r"data/s001.txt:2: expected a number"):
        write_outputs([run_study(load_manifest(manifest))], tmp_path / "out")
    assert not (tmp_path / "out").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["in"]


def test_refuses_to_replace_a_foreign_folder(tmp_path: Path):
    manifest = _write_study(tmp_path / "in", 1)
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "thesis.docx").write_text("precious")
    with pytest.raises(MofglassError, match="not a mofglass output folder"):
        write_outputs([run_study(load_manifest(manifest))], tmp_path / "mine")
    assert (tmp_path / "mine" / "thesis.docx").read_text() == "precious"
    # an earlier mofglass output is replaced
    out = write_outputs([run_study(load_manifest(manifest))], tmp_path / "out")
    write_outputs([run_study(load_manifest(manifest))], out)
    assert (out / "results.json").is_file()


@pytest.mark.slow
def test_dask_local_cluster_matches_serial(tmp_path: Path):
    pytest.importorskip("dask.distributed")
    import cloudpickle

    import tests.study.technique_for_tests as mod

    cloudpickle.register_pickle_by_value(mod)  # workers need not import the tests package
    manifest = _write_study(tmp_path / "in", 200)
    m = load_manifest(manifest)
    serial = run_study(m)
    distributed = run_study(m, scheduler="local")
    assert serial.to_json_dict() == distributed.to_json_dict()
    assert len(serial.rows) == 200 * 3


@pytest.mark.slow
def test_dask_processes_and_tcp_scheduler_match_serial(tmp_path: Path):
    pytest.importorskip("dask.distributed")
    import cloudpickle
    from dask.distributed import LocalCluster

    import tests.study.technique_for_tests as mod

    cloudpickle.register_pickle_by_value(mod)
    m = load_manifest(_write_study(tmp_path / "in", 20))
    serial = run_study(m).to_json_dict()
    assert run_study(m, scheduler="processes").to_json_dict() == serial
    with LocalCluster(n_workers=1, threads_per_worker=2, dashboard_address=None) as cluster:
        assert cluster.scheduler_address.startswith("tcp://")
        assert run_study(m, scheduler=cluster.scheduler_address).to_json_dict() == serial


def test_unknown_scheduler_is_a_user_error(tmp_path: Path):
    m = load_manifest(_write_study(tmp_path / "in", 1))
    with pytest.raises(MofglassError, match="unknown scheduler"):
        run_study(m, scheduler="kubernetes")


def test_keep_going_turns_a_bad_file_into_a_warning(tmp_path: Path):
    manifest = _write_study(tmp_path / "in", 3)
    (tmp_path / "in" / "data" / "s001.txt").write_text("1\nnot a number\n")
    res = run_study(load_manifest(manifest), keep_going=True)
    bad = [o for o in res.outputs if o.source == "data/s001.txt"]
    assert bad and bad[0].rows == () and "s001.txt:2: expected a number" in bad[0].warnings[0]
    # the other files are analysed: s000 has 1 line, s002 has 3 (truth from _write_study)
    n = {r.sample_id: r.value for r in res.rows if r.quantity == "n_lines"}
    assert n == {"s000": 1.0, "s002": 3.0}
    out = write_outputs([res], tmp_path / "out")
    assert "not analysed" in (out / "report.html").read_text()
