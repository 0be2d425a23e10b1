"""The console entry point answers --version without loading the scientific stack."""

from __future__ import annotations

import subprocess
import sys

from typer.testing import CliRunner

import mofglass
from mofglass.cli import app


def test_version_fast_path_loads_no_scientific_stack():
    # the proxy for the start-up time (issue 17: < 0.3 s, timed by benchmarks/cli_startup.py):
    # answering --version imports neither scipy nor matplotlib nor any technique
    code = (
        "import sys; sys.argv = ['mofglass', '--version']; "
        "from mofglass._entry import main; main(); "
        "heavy = [m for m in ('scipy', 'matplotlib', 'lmfit', 'mofglass.cli') if m in sys.modules]; "
        "print('HEAVY', heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert f"mofglass {mofglass.__version__}" in out.stdout
    assert "HEAVY []" in out.stdout


def test_same_answer_as_the_full_command_line():
    r = CliRunner().invoke(app, ["--version"])
    assert r.exit_code == 0 and r.output.strip() == f"mofglass {mofglass.__version__}"
