"""Ctrl-C at any moment of a command: one line ``interrupted``, exit 130, nothing written.

A real process is interrupted at a chosen import (a meta-path finder sends SIGINT to its own
process when the module is looked up), so "during the slow imports" is reproduced exactly,
whatever the load of the machine; ``tests/safety/test_cli_errors.py`` interrupts by time.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

_CHILD = """
import os, signal, sys

class _Trip:
    def find_spec(self, name, path=None, target=None):
        if name == {trigger!r}:
            sys.meta_path.remove(self)
            os.kill(os.getpid(), signal.SIGINT)
        return None

sys.meta_path.insert(0, _Trip())
sys.argv = ["mofglass", "demo", "--out", {out!r}, "-q"]
{start}
"""
_STARTS = {
    "python -m mofglass": "import runpy; runpy.run_module('mofglass', run_name='__main__')",
    "mofglass": "from mofglass._entry import main; main()",
}


def _python(code: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )


@pytest.mark.parametrize("start", sorted(_STARTS))
@pytest.mark.parametrize(
    "trigger",
    [
        "mofglass.errors",  # inside ``import mofglass``: gave a traceback before the fix
        "mofglass.cli",  # the first import after the handler is installed
        "typer",  # the command line's own stack
        "mofglass.demo.generate",  # the command's imports, after the handler is given back
    ],
)
def test_ctrl_c_during_imports_is_one_line_exit_130(start: str, trigger: str, tmp_path: Path):
    out = tmp_path / "out"
    code = _CHILD.format(trigger=trigger, out=str(out), start=_STARTS[start])
    r = _python(code)
    assert r.returncode == 130, (r.returncode, r.stderr[-2000:])
    assert r.stderr.strip() == "interrupted", r.stderr[-2000:]
    assert r.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_importing_mofglass_changes_no_signal_handler():
    # a library import must leave Ctrl-C to the program that imports it
    code = (
        "import signal; before = signal.getsignal(signal.SIGINT)\n"
        "import mofglass, mofglass.cli, mofglass.io\n"
        "print(signal.getsignal(signal.SIGINT) is before)"
    )
    assert _python(code).stdout.strip() == "True"


def test_ignored_ctrl_c_stays_ignored():
    # `nohup mofglass ...` or `mofglass ... &` in a script: SIGINT ignored by the caller
    code = (
        "import signal; signal.signal(signal.SIGINT, signal.SIG_IGN)\n"
        "from mofglass._interrupt import install; install()\n"
        "print(signal.getsignal(signal.SIGINT) is signal.SIG_IGN)"
    )
    assert _python(code).stdout.strip() == "True"
