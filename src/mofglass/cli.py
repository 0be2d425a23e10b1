"""The ``mofglass`` command: a thin layer over the public API.

Errors caused by the input (:class:`~mofglass.errors.MofglassError`) print one red line on
stderr and exit with code 2; anything else is an internal error (exit 1) whose traceback is
shown with ``--debug``.
"""

from __future__ import annotations

import functools
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console

import mofglass
from mofglass.errors import MofglassError

__all__ = ["app", "main"]

F = TypeVar("F", bound=Callable[..., Any])

app = typer.Typer(
    name="mofglass",
    help="MOF melting, glass formation and glass-ceramics: from CIFs and instrument files to "
    "quantities with uncertainties, figures and a report.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)
err_console = Console(stderr=True)
_state = {"debug": False}


def handle_errors(func: F) -> F:
    """Turn MofglassError into one red line + exit 2, other errors into exit 1."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except MofglassError as exc:
            if _state["debug"]:
                raise
            err_console.print(
                f"[bold red]error:[/] {exc}", highlight=False, markup=True, soft_wrap=True
            )
            raise typer.Exit(2) from None
        except KeyboardInterrupt:
            err_console.print("[red]interrupted[/]")
            raise typer.Exit(130) from None
        except Exception as exc:
            if _state["debug"]:
                raise
            err_console.print(
                f"[bold red]internal error:[/] {type(exc).__name__}: {exc}\n"
                "This is a bug in mofglass; run again with --debug for the traceback and report it.",
                highlight=False,
                soft_wrap=True,
            )
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"mofglass {mofglass.__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show full tracebacks of errors.")] = False,
) -> None:
    _state["debug"] = debug


@app.command("run")
@handle_errors
def run_command(
    manifests: Annotated[list[Path], typer.Argument(help="One or more study.toml manifests.")],
    out: Annotated[
        Path,
        typer.Option(
            "--out", "-o", help="Output folder (created; replaced if it is an earlier output)."
        ),
    ],
    scheduler: Annotated[
        str | None,
        typer.Option(
            help="Run per-file work on Dask: local, processes or tcp://HOST:PORT (needs mofglass[dask])."
        ),
    ] = None,
    no_figures: Annotated[
        bool, typer.Option("--no-figures", help="Skip figures (faster for big batches).")
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress bar or summary.")
    ] = False,
    keep_going: Annotated[
        bool,
        typer.Option(
            "--keep-going", help="Report files that cannot be analysed; go on with the rest."
        ),
    ] = False,
    library: Annotated[
        Path | None,
        typer.Option(
            "--library", help="Also append the results to this lab library (DuckDB file)."
        ),
    ] = None,
) -> None:
    """Run every analysis of one or more studies.

    Writes results.json, results.csv, figures/ (PNG and SVG) and report.html into OUT
    (one sub-folder per manifest when several are given). Relative paths in a manifest are
    relative to the manifest.

    Examples:

        mofglass run study.toml --out results/

        mofglass run a/study.toml b/study.toml --out batch/ --scheduler local
    """
    from mofglass.study.runner import run_manifests

    written = run_manifests(
        manifests,
        out,
        scheduler=scheduler,
        figures=not no_figures,
        quiet=quiet,
        keep_going=keep_going,
    )
    if library is not None:
        from mofglass.study.library import append_study

        folders = (
            [written]
            if len(manifests) == 1
            else sorted(p.parent for p in written.glob("*/results.json"))
        )
        for folder in folders:
            append_study(library, folder)


@app.command("demo")
@handle_errors
def demo_command(
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Output folder for the demo's results.")
    ] = Path("mofglass-demo"),
    inputs: Annotated[
        Path | None,
        typer.Option(help="Keep the generated (simulated) input files and manifest here."),
    ] = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress bar or summary.")
    ] = False,
) -> None:
    """Generate the bundled demo study (simulated Cd(im)2 data) and run it.

    Examples:

        mofglass demo --out demo-results/

        mofglass demo --out demo-results/ --inputs demo-inputs/
    """
    from mofglass.demo.generate import write_demo_study
    from mofglass.study.runner import run_manifests

    if inputs is not None:
        manifest = write_demo_study(inputs)
        run_manifests([manifest], out, quiet=quiet)
        return
    with tempfile.TemporaryDirectory(prefix="mofglass-demo-") as tmp:
        manifest = write_demo_study(tmp)
        run_manifests([manifest], out, quiet=quiet)


def _register_glass_models() -> None:
    from mofglass.models.glass.cli import app as model_app

    for info in model_app.registered_commands:
        if info.callback is not None:
            info.callback = handle_errors(info.callback)
    app.add_typer(model_app, name="model")


def _register_subcommands() -> None:
    """Commands of the technique subpackages, wrapped in the same error handling."""
    from mofglass.diffraction.cli import pxrd_command
    from mofglass.mechanics.cli import indent_command
    from mofglass.microscopy.cli import tem_command
    from mofglass.models.cli import predict_command
    from mofglass.sorption.cli import sorption_command
    from mofglass.spectroscopy.cli import bands_command
    from mofglass.structure.cli import structure_command
    from mofglass.thermal.cli import dsc_command, fragility_command, tga_command
    from mofglass.totalscattering.cli import app as pdf_app

    app.command("structure")(handle_errors(structure_command))
    app.command("dsc")(handle_errors(dsc_command))
    app.command("tga")(handle_errors(tga_command))
    app.command("fragility")(handle_errors(fragility_command))
    app.command("pxrd")(handle_errors(pxrd_command))
    app.command("indent")(handle_errors(indent_command))
    app.command("bands")(handle_errors(bands_command))
    for info in pdf_app.registered_commands:
        if info.callback is not None:
            info.callback = handle_errors(info.callback)
    app.add_typer(pdf_app, name="pdf")
    app.command("sorption")(handle_errors(sorption_command))
    app.command("tem")(handle_errors(tem_command))

    from mofglass.scattering.cli import app as simulate_app

    for info in simulate_app.registered_commands:
        if info.callback is not None:
            info.callback = handle_errors(info.callback)
    app.add_typer(simulate_app, name="simulate")
    _register_glass_models()
    app.command("predict")(handle_errors(predict_command))
    from mofglass.study.library_cli import app as lib_app
    from mofglass.study.schema import schema_command

    for info in lib_app.registered_commands:
        if info.callback is not None:
            info.callback = handle_errors(info.callback)
    app.add_typer(lib_app, name="library")

    app.command("schema")(handle_errors(schema_command))


_register_subcommands()


def main() -> None:
    """Console entry point."""
    app(prog_name="mofglass")


if __name__ == "__main__":  # pragma: no cover
    main()
