"""The command line: exit codes, one-line errors, no output left behind on failure."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import mofglass
from mofglass.cli import app

runner = CliRunner()


def _all_commands() -> list[list[str]]:
    from mofglass.cli import iter_commands

    return [path for path, _ in iter_commands()]


def test_version_and_help_with_examples_on_every_subcommand():
    r = runner.invoke(app, ["--version"])
    assert r.exit_code == 0 and r.output.strip() == f"mofglass {mofglass.__version__}"
    assert runner.invoke(app, ["--help"]).exit_code == 0
    commands = _all_commands()
    assert {"run", "demo", "structure", "dsc", "tga", "predict"} <= {c[0] for c in commands}
    for cmd in commands:
        r = runner.invoke(app, [*cmd, "--help"])
        assert r.exit_code == 0, (cmd, r.output)
        assert "Example" in r.output, f"`mofglass {' '.join(cmd)} --help` shows no example"


BAD_MANIFESTS = {
    "unknown key": ('[study]\ntitel = "x"\n', "did you mean 'title'"),
    "syntax": ("[study\n", "TOML syntax error"),
    "empty": ("", "empty"),
    "duplicate id": (
        '[[samples]]\nid = "a"\nphase = "glass"\n[[samples]]\nid = "a"\nphase = "glass"\n',
        "duplicate sample id",
    ),
    "unknown option": (
        '[[samples]]\nid = "a"\nphase = "glass"\n[[samples.composition]]\nfoo = 1\n',
        "unknown key 'foo'",
    ),
    "missing file": (
        '[[samples]]\nid = "a"\nphase = "glass"\n[[samples.linecount]]\nfile = "gone.txt"\n',
        "'gone.txt' does not exist",
    ),
    "empty data file": (
        '[[samples]]\nid = "a"\nphase = "glass"\n[[samples.linecount]]\nfile = "empty.txt"\n',
        "'empty.txt' is empty",
    ),
    "wrong unit": (
        '[[samples]]\nid = "a"\nphase = "glass"\n[[samples.linecount]]\nfile = "study.toml"\nmass = "3 K"\n',
        "expected a mass",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_MANIFESTS))
def test_bad_manifest_exit_2_one_line_no_output(tmp_path: Path, case: str):
    from tests.study.technique_for_tests import register_line_count

    register_line_count()
    text, fragment = BAD_MANIFESTS[case]
    p = tmp_path / "study.toml"
    p.write_text(text)
    (tmp_path / "empty.txt").write_text("")
    r = runner.invoke(app, ["run", str(p), "--out", str(tmp_path / "out"), "-q"])
    assert r.exit_code == 2, r.output
    assert fragment in r.output
    assert "Traceback" not in r.output
    assert len(r.output.strip().splitlines()) == 1 or len(r.output.strip()) < 400
    assert not (tmp_path / "out").exists()
    assert sorted(x.name for x in tmp_path.iterdir()) == ["empty.txt", "study.toml"]


def test_missing_manifest(tmp_path: Path):
    r = runner.invoke(app, ["run", str(tmp_path / "nope.toml"), "--out", str(tmp_path / "o")])
    assert r.exit_code == 2 and "no such manifest file" in r.output


def test_demo_runs_and_is_reproducible(tmp_path: Path):
    r1 = runner.invoke(app, ["demo", "--out", str(tmp_path / "a"), "-q"])
    assert r1.exit_code == 0, r1.output
    r2 = runner.invoke(app, ["demo", "--out", str(tmp_path / "b"), "-q"])
    assert r2.exit_code == 0, r2.output
    a = (tmp_path / "a" / "results.json").read_bytes()
    assert a == (tmp_path / "b" / "results.json").read_bytes()
    doc = json.loads(a)
    assert all(s["simulated"] for s in doc["samples"])
    html = (tmp_path / "a" / "report.html").read_text()
    assert "Simulated inputs" in html


def test_several_manifests_one_folder_each(tmp_path: Path):
    from tests.study.test_pipeline import _write_study

    a = _write_study(tmp_path / "a", 2)
    b = _write_study(tmp_path / "b", 3)
    out = tmp_path / "out"
    r = runner.invoke(app, ["run", str(a), str(b), "--out", str(out), "-q"])
    assert r.exit_code == 0, r.output
    # both manifests are called study.toml: folders are named after their parent folders
    docs = {
        d.name: json.loads((d / "results.json").read_text()) for d in out.iterdir() if d.is_dir()
    }
    assert sorted(docs) == ["a-study", "b-study"]
    assert len(docs["b-study"]["samples"]) == 3


def test_internal_error_exit_1_with_hint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import mofglass.study.runner as runner_mod

    def boom(*args, **kwargs):
        raise ZeroDivisionError("simulated bug")

    monkeypatch.setattr(runner_mod, "run_manifests", boom)
    p = tmp_path / "study.toml"
    p.write_text('[[samples]]\nid = "a"\nphase = "glass"\n')
    r = runner.invoke(app, ["run", str(p), "--out", str(tmp_path / "o")])
    assert r.exit_code == 1
    assert "--debug" in r.output and "Traceback" not in r.output


@pytest.mark.slow
def test_predict_json_and_files(tmp_path: Path):
    # the Cd(im)2 model calibrated on the paper: -10 °C/min crystallises, -42 °C/min does not
    r = runner.invoke(
        app,
        [
            "predict",
            "-q",
            "10",
            "-q",
            "42",
            "--samples",
            "16",
            "--json",
            "--out",
            str(tmp_path),
            "--heat-treatment",
            "465 -> 25 @ 42 -> 300 @ 10",
        ],
    )
    assert r.exit_code == 0, r.output
    doc = json.loads(r.output[r.output.index("{") :])
    x = {run["cooling_rate_K_min"]: run["crystallised_on_cooling"] for run in doc["runs"]}
    assert x[10.0] > 0.1 and x[42.0] <= 0.0105
    assert all(o["satisfied"] for o in doc["observations"])
    qc = doc["critical_cooling_rate_K_min"]
    assert 10.0 < qc["low_95"] <= qc["value"] <= qc["high_95"] < 100.0
    (ht,) = doc["heat_treatments"]  # the paper's glass-ceramic: 59 %, 19 nm
    assert ht["crystallised_fraction"] == pytest.approx(0.59, abs=0.05)
    assert ht["diameter_nm"] == pytest.approx(19.0, rel=0.1)
    assert (tmp_path / "ttt.csv").is_file() and (tmp_path / "ttt_cct.svg").is_file()
    assert (tmp_path / "predicted_dsc.png").is_file()
    data = (tmp_path / "predicted_dsc_cool42.csv").read_text().splitlines()
    assert data[0].startswith("# mofglass predicted DSC run")
    bad = runner.invoke(app, ["predict", "-q", "-5"])
    assert bad.exit_code == 2
