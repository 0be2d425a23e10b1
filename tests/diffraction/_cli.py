"""A Typer app holding one mofglass command, for CliRunner tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import typer


def cli_app(name: str, command: Callable[..., Any]) -> typer.Typer:
    """An app whose only command is ``name`` (a callback keeps the sub-command syntax)."""
    app = typer.Typer()
    app.command(name)(command)

    @app.callback()
    def _cb() -> None:
        pass

    return app
