"""Every bad option or manifest value is one red line naming it, exit 2; JSON has no NaN."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mofglass.cli import app, finite_json
from mofglass.errors import OptionError
from mofglass.options import check_options
from tests.study.test_pipeline import _write_study

runner = CliRunner()
REPO = Path(__file__).resolve().parents[2]


def _one_line_exit_2(args: list[str], fragment: str) -> None:
    r = runner.invoke(app, args)
    assert r.exit_code == 2, (args, r.output)
    lines = r.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:"), r.output
    assert fragment in r.output, r.output
    assert "Traceback" not in r.output


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["tga", "/nonexistent/run.txt"], "/nonexistent/run.txt"),
        (["pxrd", "--no-such-option", "x"], "--no-such-option"),
        (["simulate", "xrd"], "Missing argument"),
        (["simulate", "xrd", "x.cif", "--step", "abc"], "--step"),
        (["run", "x.toml"], "--out"),
    ],
)
def test_click_usage_errors_are_one_line(args: list[str], fragment: str):
    _one_line_exit_2(args, fragment)


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--step", "0"], "--step: expected a positive step"),
        (["--step", "-0.01"], "--step"),
        (["--wavelength", "0"], "--wavelength"),
        (["--two-theta-max", "200"], "--two-theta-max"),
        (["--two-theta-min", "50", "--two-theta-max", "10"], "below --two-theta-max"),
        (["--step", "nan"], "--step"),
        (["--size-nm", "inf"], "--size-nm"),
    ],
)
def test_option_ranges_checked_before_work(args: list[str], fragment: str, shared_data: Path):
    cif = shared_data / "cd-metal-cif" / "Cd.cif"
    _one_line_exit_2(["simulate", "xrd", str(cif), *args], fragment)


def test_structure_tolerance_out_of_range_is_refused_not_hung(shared_data: Path):
    cif = shared_data / "cd-metal-cif" / "Cd.cif"
    _one_line_exit_2(["structure", str(cif), "--tolerance-A", "50"], "--tolerance-A")


def test_one_rule_for_manifest_and_cli():
    with pytest.raises(OptionError, match="mass"):
        check_options({"mass": "-4 mg"})
    with pytest.raises(OptionError, match="a mass"):
        check_options({"mass": "4 parsec"})
    with pytest.raises(OptionError, match="low < high"):
        check_options({"tg_window_C": [200.0, 100.0]})
    with pytest.raises(OptionError, match="percentage"):
        check_options({"threshold_percent": 150.0})
    check_options({"mass": "8.1 mg", "tg_window_C": [100.0, 200.0], "two_theta_range": None})


@pytest.mark.parametrize(
    ("entry", "fragment", "line"),
    [
        ('  mass = "4 parsec"\n', "a mass such as", 10),
        ('  mass = "-3 mg"\n', "positive", 10),
        ("  mass = nan\n", "finite", 10),
        ("file = 5", "quoted path", 9),
    ],
)
def test_manifest_errors_name_manifest_sample_and_line(
    tmp_path: Path, entry: str, fragment: str, line: int
):
    manifest = _write_study(tmp_path, 1)
    text = manifest.read_text()
    if entry == "file = 5":
        text = text.replace('file = "data/s000.txt"', entry)
    else:
        text = text.replace('  mass = "2 mg"\n', entry)
    manifest.write_text(text)
    r = runner.invoke(app, ["run", str(manifest), "--out", str(tmp_path / "o"), "-q"])
    assert r.exit_code == 2, r.output
    assert f"study.toml:{line}" in r.output and "s000" in r.output and fragment in r.output
    assert len(r.output.strip().splitlines()) == 1


def test_duplicated_file_names_the_second_listing(tmp_path: Path):
    manifest = _write_study(tmp_path, 2)
    text = manifest.read_text().replace("data/s001.txt", "data/s000.txt")
    manifest.write_text(text)
    r = runner.invoke(app, ["run", str(manifest), "--out", str(tmp_path / "o"), "-q"])
    assert r.exit_code == 2 and "listed twice" in r.output and "study.toml:" in r.output


def test_brackets_in_messages_are_not_eaten_by_rich(tmp_path: Path):
    p = tmp_path / "[study].toml"
    p.write_text("[[samples]]\nid = 'a'\nphase = 'glass'\n[[samples.nosuch]]\n")
    r = runner.invoke(app, ["run", str(p), "--out", str(tmp_path / "o")])
    assert r.exit_code == 2
    assert "[study].toml" in r.output and "nosuch" in r.output


def test_json_never_prints_nan():
    text, bad = finite_json('{"a": NaN, "b": [1.0, Infinity], "c": "NaN"}\n')
    assert json.loads(text) == {"a": None, "b": [1.0, None], "c": "NaN"}
    assert bad == ["a", "b[1]"]
    clean = '{"a": 1}\n'
    assert finite_json(clean) == (clean, [])


def _mofglass(*args: str, env: dict[str, str] | None = None, **kw) -> subprocess.Popen[str]:
    env = env or {**os.environ, "PYTHONPATH": str(REPO / "src")}
    return subprocess.Popen(
        [sys.executable, "-m", "mofglass", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        **kw,
    )


def test_ctrl_c_is_one_line_exit_130(tmp_path: Path):
    # during the work (during the imports: tests/cli/test_interrupt.py, which interrupts at
    # chosen imports; a timed signal at 0.3 s could land in the interpreter's own start-up
    # under load, before any mofglass code runs)
    for delay in (4.0,):
        proc = _mofglass("demo", "--out", str(tmp_path / f"o{delay}"), "-q")
        time.sleep(delay)
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=60)
        # 130 from sys.exit, or death by SIGINT (-2), which a shell reports as $? = 130 too:
        # CPython re-raises SIGINT when a KeyboardInterrupt ends the run (seen once in CI after
        # the one line was printed; the cause of the second interrupt is not yet known)
        assert proc.returncode in (130, -signal.SIGINT), err
        assert "Traceback" not in err and err.strip() == "interrupted", err
        assert not (tmp_path / f"o{delay}").exists()
        assert not [p for p in tmp_path.iterdir() if ".tmp-" in p.name]


@pytest.mark.slow
def test_ctrl_c_under_process_scheduler_stops_the_workers(tmp_path: Path):
    """Ctrl-C while Dask's process pool runs the demo: one line, exit 130, no worker survives,
    no temporary folder is left (dask waits in a Queue.get() that a signal cannot break)."""
    psutil = pytest.importorskip("psutil")
    pytest.importorskip("dask")
    from mofglass.demo.generate import write_demo_study

    manifest = write_demo_study(tmp_path / "in")
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    proc = _mofglass(
        "run",
        str(manifest),
        "--out",
        str(tmp_path / "o"),
        "--scheduler",
        "processes",
        "-q",
        env={**os.environ, "PYTHONPATH": str(REPO / "src"), "TMPDIR": str(tmpdir)},
    )
    parent = psutil.Process(proc.pid)
    deadline = time.monotonic() + 120
    workers: list = []
    while time.monotonic() < deadline and proc.poll() is None:
        workers = [
            c for c in parent.children(recursive=True) if "spawn_main" in " ".join(c.cmdline())
        ]
        if len(workers) >= 1:
            break
        time.sleep(0.2)
    assert workers, "no worker process started"
    children = parent.children(recursive=True)
    time.sleep(1.0)  # the workers are busy with the tasks
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert err.strip() == "interrupted", err
    _gone, alive = psutil.wait_procs(children, timeout=10)
    assert not alive, f"still running after Ctrl-C: {[p.cmdline() for p in alive]}"
    assert list(tmpdir.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "tmp"]
