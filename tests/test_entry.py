"""The console entry point answers --version without loading the scientific stack."""

from __future__ import annotations

import os
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


def test_help_lists_every_command_without_importing_them():
    # `mofglass --help` (issue 17: < 0.3 s, timed by benchmarks/cli_startup.py) lists the
    # technique commands from mofglass._commands: no technique, numpy stack or plotting imported
    code = (
        "import sys; sys.argv = ['mofglass', '--help']\n"
        "from mofglass._entry import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('numpy', 'scipy', 'matplotlib', 'numba', 'lmfit', 'pandas') "
        "if m in sys.modules]\n"
        "heavy += [m for m in sys.modules if m.startswith('mofglass.') and m.endswith('.cli')]\n"
        "print('HEAVY', heavy)"
    )
    env = {**os.environ, "COLUMNS": "200"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert "HEAVY ['mofglass.cli']" in out.stdout, out.stdout[-300:]
    for name in ("structure", "dsc", "pxrd-series", "pdf", "simulate", "library", "schema"):
        assert f"│ {name} " in out.stdout
    assert "<bool>" not in out.stdout


def test_the_listed_help_is_each_commands_own_first_paragraph():
    # the one-line help in mofglass._commands must not drift from the command's docstring
    import inspect

    import typer

    from mofglass._commands import LAZY_COMMANDS
    from mofglass.cli import _lazy_click_command

    for name, (_, short) in LAZY_COMMANDS.items():
        cmd = _lazy_click_command(name)
        first = inspect.cleandoc(cmd.help or "").split("\n\n")[0]
        assert " ".join(first.split()) == short, name
        assert not isinstance(cmd, typer.core.TyperCommand) or cmd.callback is not None


def test_a_command_runs_after_lazy_loading_with_the_same_error_handling(tmp_path):
    # loaded on use, the command keeps the one-line error (exit 2) of handle_errors
    bad = tmp_path / "empty.cif"
    bad.write_text("")
    r = CliRunner().invoke(app, ["structure", str(bad)])
    assert r.exit_code == 2 and "empty.cif" in r.output, r.output
    r = CliRunner().invoke(app, ["dsx"])
    assert r.exit_code == 2 and "Did you mean 'dsc'" in r.output
