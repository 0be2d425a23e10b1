"""Ctrl-C while the command line starts: one line and exit 130, never a traceback.

The entry points (:func:`mofglass._entry.main`, ``python -m mofglass``) call :func:`install`
before anything heavy is imported; :func:`mofglass.cli.main` calls :func:`restore` once the
commands are ready, so that from then on Ctrl-C raises KeyboardInterrupt again and cleanups
run (worker processes stopped, temporary output removed) before the same one line. Importing
mofglass as a library changes no signal handler.
"""

from __future__ import annotations

import os
import signal
import sys

__all__ = ["install", "restore"]

_state: dict[str, object] = {"installed": False, "previous": None}


def _on_sigint(signum: int, frame: object) -> None:  # pragma: no cover - runs in a subprocess
    sys.stderr.write("\ninterrupted\n")
    sys.stderr.flush()
    os._exit(130)


def install() -> None:
    """Answer SIGINT with ``interrupted`` and exit 130 until :func:`restore` (idempotent).

    A Ctrl-C the caller ignores (``nohup``, ``cmd &`` in a script) stays ignored; outside the
    main thread (a test runner's thread) nothing is changed.
    """
    if _state["installed"]:
        return
    try:
        if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
            return
        _state["previous"] = signal.signal(signal.SIGINT, _on_sigint)
    except ValueError:  # not the main thread
        return
    _state["installed"] = True


def restore() -> None:
    """Give SIGINT back its previous handler (no-op when :func:`install` changed nothing)."""
    if _state["installed"]:
        signal.signal(signal.SIGINT, _state["previous"])  # type: ignore[arg-type]
        _state["installed"] = False
