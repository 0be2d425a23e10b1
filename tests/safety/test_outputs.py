"""Nothing a user made is lost: output folders, output files, temporary folders, permissions."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mofglass.cli import app
from mofglass.errors import OutputError
from mofglass.outputs import OUTPUT_MARKER, OutputFolder, check_output_file, cleanup_stale
from tests.study.test_pipeline import _write_study

runner = CliRunner()


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _run(*args: str):
    return runner.invoke(app, [*args])


def test_rerun_replaces_only_its_own_output_and_lists_it_in_the_marker(tmp_path: Path):
    manifest = _write_study(tmp_path / "in", 2)
    out = tmp_path / "out"
    assert _run("run", str(manifest), "--out", str(out), "-q", "--no-figures").exit_code == 0
    marker = json.loads((out / OUTPUT_MARKER).read_text())
    assert {"results.json", "results.csv", "report.html"} <= set(marker["files"])
    assert set(marker["files"]) == {p.name for p in out.iterdir() if p.name != OUTPUT_MARKER}
    first = (out / "results.json").read_bytes()
    assert _run("run", str(manifest), "--out", str(out), "-q", "--no-figures").exit_code == 0
    assert (out / "results.json").read_bytes() == first
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.")]  # no leftovers


def test_foreign_file_in_an_earlier_output_is_never_deleted(tmp_path: Path):
    # the case: a manifest and its data placed inside an earlier output folder
    manifest = _write_study(tmp_path / "in", 1)
    out = tmp_path / "out"
    assert _run("run", str(manifest), "--out", str(out), "-q", "--no-figures").exit_code == 0
    shutil.copytree(tmp_path / "in", out / "study")
    (out / "notes.txt").write_text("my notes")
    before = _snapshot(out)
    r = _run("run", str(out / "study" / "study.toml"), "--out", str(out), "-q")
    assert r.exit_code == 2, r.output
    assert "did not write" in r.output or "input" in r.output
    assert len(r.output.strip().splitlines()) == 1
    assert _snapshot(out) == before
    # data of another study placed there is refused just the same
    other = _write_study(tmp_path / "other", 1)
    r = _run("run", str(other), "--out", str(out), "-q")
    assert r.exit_code == 2 and "did not write" in r.output
    assert _snapshot(out) == before


def test_an_edited_output_file_counts_as_the_users(tmp_path: Path):
    manifest = _write_study(tmp_path / "in", 1)
    out = tmp_path / "out"
    assert _run("run", str(manifest), "--out", str(out), "-q", "--no-figures").exit_code == 0
    (out / "results.csv").write_text("edited by hand\n")
    r = _run("run", str(manifest), "--out", str(out), "-q", "--no-figures")
    assert r.exit_code == 2 and "results.csv" in r.output
    assert (out / "results.csv").read_text() == "edited by hand\n"


def test_refused_before_the_analysis_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import mofglass.study.runner as runner_mod

    def must_not_run(*a, **k):
        raise AssertionError("analysis ran before the output folder was checked")

    monkeypatch.setattr(runner_mod, "run_study", must_not_run)
    manifest = _write_study(tmp_path / "in", 1)
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "thesis.docx").write_text("precious")
    r = _run("run", str(manifest), "--out", str(tmp_path / "taken"), "-q")
    assert r.exit_code == 2 and "thesis.docx" in r.output
    # the manifest's own folder as output: its inputs would be replaced
    r = _run("run", str(manifest), "--out", str(tmp_path / "in"), "-q")
    assert r.exit_code == 2 and "input" in r.output
    # an existing file as output folder
    r = _run("run", str(manifest), "--out", str(manifest), "-q")
    assert r.exit_code == 2


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_out_is_refused_first(tmp_path: Path):
    manifest = _write_study(tmp_path / "in", 1)
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        r = _run("run", str(manifest), "--out", str(ro / "out"), "-q")
        assert r.exit_code == 2 and "cannot write" in r.output
    finally:
        ro.chmod(0o700)


def test_unwritable_parent_is_refused_first(tmp_path: Path):
    # a file where a folder is needed fails the same way for root and for users
    (tmp_path / "file").write_text("x")
    with pytest.raises(OutputError, match="is not a folder"):
        OutputFolder(tmp_path / "file" / "out")


def test_output_folder_gets_the_umask_not_0700(tmp_path: Path):
    manifest = _write_study(tmp_path / "in", 1)
    old = os.umask(0o022)
    try:
        assert _run("run", str(manifest), "--out", str(tmp_path / "o"), "-q").exit_code == 0
    finally:
        os.umask(old)
    assert (tmp_path / "o").stat().st_mode & 0o777 == 0o755


def test_stale_temporary_folders_of_dead_runs_are_removed(tmp_path: Path):
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    pid = int(dead.stdout)
    stale = tmp_path / f".out.tmp-{pid}-abc"
    alive = tmp_path / f".out.tmp-{os.getpid()}-abc"
    other = tmp_path / f".other.tmp-{pid}-abc"
    user = tmp_path / "mofglass-demo-notes"
    for p in (stale, alive, other, user):
        p.mkdir()
    assert cleanup_stale(tmp_path, name="out") == [stale]
    assert alive.exists() and other.exists() and user.exists()
    demo = tmp_path / f"mofglass-demo-{pid}-xyz"
    demo.mkdir()
    assert cleanup_stale(tmp_path) == [demo, other] or set(cleanup_stale(tmp_path)) <= {other}


def test_output_file_may_not_be_an_input_or_a_users_file(tmp_path: Path, shared_data: Path):
    cif = tmp_path / "Cd.cif"
    shutil.copy(shared_data / "cd-metal-cif" / "Cd.cif", cif)
    original = cif.read_bytes()
    r = _run("structure", str(cif), "--export", str(cif))
    assert r.exit_code == 2 and "input" in r.output
    r = _run("simulate", "xrd", str(cif), "--out", str(cif))
    assert r.exit_code == 2 and "input" in r.output
    mine = tmp_path / "mine.json"
    mine.write_text("precious")
    r = _run("simulate", "xrd", str(cif), "--out", str(mine))
    assert r.exit_code == 2 and "--force" in r.output
    assert mine.read_text() == "precious" and cif.read_bytes() == original
    r = _run("simulate", "xrd", str(cif), "--out", str(tmp_path / "missing" / "x.json"))
    assert r.exit_code == 2 and "does not exist" in r.output
    assert not (tmp_path / "missing").exists()


def test_a_file_mofglass_wrote_may_be_replaced_and_force_replaces_any(
    tmp_path: Path, shared_data: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    cif = shared_data / "cd-metal-cif" / "Cd.cif"
    out = tmp_path / "pattern.json"
    args = ["simulate", "xrd", str(cif), "--two-theta-max", "40", "--out", str(out)]
    assert _run(*args).exit_code == 0
    assert _run(*args).exit_code == 0  # our own file: replaced without --force
    out.write_text("edited")
    assert _run(*args).exit_code == 2
    assert _run(*args, "--force").exit_code == 0 and out.read_text() != "edited"
    check_output_file(out, option="--out")  # registered again after --force


def test_demo_inputs_never_overwrite_a_users_files(tmp_path: Path):
    keep = tmp_path / "inputs"
    keep.mkdir()
    (keep / "study.toml").write_text("# my own manifest")
    r = _run("demo", "--inputs", str(keep), "--out", str(tmp_path / "o"), "-q")
    assert r.exit_code == 2 and "did not write" in r.output
    assert (keep / "study.toml").read_text() == "# my own manifest"
    assert not (tmp_path / "o").exists()
    r = _run("demo", "--inputs", str(tmp_path / "a"), "--out", str(tmp_path / "a" / "o"), "-q")
    assert r.exit_code == 2 and not (tmp_path / "a").exists()
