"""The ``mofglass`` command: a thin layer over the public API.

Errors caused by the input (:class:`~mofglass.errors.MofglassError`) print one red line on
stderr and exit with code 2; anything else is an internal error (exit 1) whose traceback is
shown with ``--debug``.
"""

from __future__ import annotations

import functools
import inspect
import io
import json
import math
import re
import sys
import typing
import warnings
from collections.abc import Callable
from contextlib import redirect_stdout
from pathlib import Path
from typing import Annotated, Any, NoReturn, TypeVar

import typer

try:  # Typer >= 0.26 vendors its own copy of Click
    from typer._click import exceptions as click_exceptions
    from typer._click.globals import get_current_context
except ImportError:  # pragma: no cover
    from click import exceptions as click_exceptions  # type: ignore[no-redef]
    from click.globals import get_current_context  # type: ignore[no-redef]
from rich.console import Console
from rich.markup import escape
from typer.core import TyperCommand, TyperGroup

import mofglass
from mofglass._commands import LAZY_COMMANDS
from mofglass.errors import DataWarning, MofglassError

__all__ = ["app", "main"]

F = TypeVar("F", bound=Callable[..., Any])

_Abort = getattr(click_exceptions, "Abort", typer.Abort)
_Exit = getattr(click_exceptions, "Exit", typer.Exit)


class _OneLineErrors(TyperGroup):
    """Click group printing usage errors and Ctrl-C as one line.

    Usage errors (missing file, bad number, unknown option) give one red line and exit 2;
    Ctrl-C one line and exit 130 - also when Typer's test runner calls ``main``.
    """

    def main(  # type: ignore[override]
        self,
        args: Any = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        try:
            rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
            code = rv if isinstance(rv, int) and not isinstance(rv, bool) else 0
        except (KeyboardInterrupt, _Abort):
            code = 130
        except click_exceptions.ClickException as exc:
            ctx = getattr(exc, "ctx", None)
            if type(exc).__name__ == "NoArgsIsHelpError" and ctx is not None:
                typer.echo(ctx.get_help())
                code = 0 if standalone_mode else 2
                if standalone_mode:
                    sys.exit(code)
                return code
            try:
                line = _usage_error_line(exc, ctx)
            except Exception:  # pragma: no cover - the error path itself never tracebacks
                line = exc.format_message()
            _print_error(line)
            code = 2
        except (_Exit, typer.Exit) as exc:
            code = exc.exit_code
        if code == 130:
            err_console.print("[red]interrupted[/]", highlight=False)
        if standalone_mode:
            sys.exit(code)
        return code


# Click's messages about a path argument (``File 'x' does not exist.``) -> what was expected
_PATH_PROBLEM = re.compile(
    r"^(?:File|Directory|Path) ['\"](?P<name>.*)['\"] (?P<problem>does not exist|is a directory|is a file"
    r"|is not readable|is not writable)\.$",
    re.S | re.I,
)
_PATH_EXPECTED = {
    "does not exist": ("an existing file", "no such file or folder"),
    "is a directory": ("a file", "a folder"),
    "is a file": ("a folder", "a file"),
    "is not readable": ("a readable file", "no permission to read it"),
    "is not writable": ("a writable path", "no permission to write"),
}


def _usage_error_line(exc: Any, ctx: Any) -> str:
    """Return the one line of a usage error; a bad path reads ``file: expected X, got Y``."""
    param = getattr(exc, "param", None)
    m = _PATH_PROBLEM.match(str(getattr(exc, "message", "")))
    if m is not None and param is not None:
        expected, got = _PATH_EXPECTED[m.group("problem")]
        opts = [o for o in getattr(param, "opts", ()) if o.startswith("--")]
        shown = opts[0] if opts else str(getattr(param, "name", "") or "the path").upper()
        return f"{m.group('name')}: expected {expected} as {shown}, got {got}"
    where = f"{ctx.command_path}: " if ctx is not None else ""
    return f"{where}{exc.format_message()}"


class _Placeholder(TyperCommand):
    """A technique command not imported yet: its name and one-line help, for ``--help``."""


class _LazyCommands(_OneLineErrors):
    """The top-level group, importing technique commands only when used.

    Technique commands are listed from :data:`mofglass._commands.LAZY_COMMANDS` and imported
    only when one of them is run (or its own ``--help`` asked for).
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        for name, (_, short) in LAZY_COMMANDS.items():
            self.commands.setdefault(name, _Placeholder(name, help=short))

    def resolve_command(self, ctx: Any, args: list[str]) -> tuple[Any, Any, list[str]]:
        name, cmd, rest = super().resolve_command(ctx, args)
        if isinstance(cmd, _Placeholder) and name is not None:
            cmd = self.commands[name] = _lazy_click_command(name)
        return name, cmd, rest


app = typer.Typer(
    name="mofglass",
    help="MOF melting, glass formation and glass-ceramics: from CIFs and instrument files to "
    "quantities with uncertainties, figures and a report.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    cls=_LazyCommands,
)
err_console = Console(stderr=True)
_state = {"debug": False}

# Path options that name outputs. Folders are handled by mofglass.outputs.OutputFolder inside
# the command; files are checked here, before the command runs.
_OUTPUT_NAMES = {
    "out",
    "export",
    "output",
    "inputs",
    "out_dir",
    "save",
    "figure",
    "plot",
    "save_instrument",
    "checkpoint",
    "target",
}
# (the command's words, option) of output folders: `simulate pdf --out` is a file, and
# `pdf reduce --out` (= `pdf FILES --out`) a folder
_FOLDER_OUTPUTS = {
    ("run", "out"),
    ("demo", "out"),
    ("demo", "inputs"),
    ("predict", "out"),
    ("pdf reduce", "out"),
    # single-file commands (mofglass.cli_out)
    ("dsc", "out"),
    ("tga", "out"),
    ("pxrd", "out"),
    ("indent", "out"),
    ("bands", "out"),
    ("structure analyse", "out"),  # `mofglass structure FILE --out DIR`
    ("sorption", "out"),
    ("tem", "out"),
}


def _print_error(message: str, *, prefix: str = "error:") -> None:
    """One red line; brackets in the message are shown literally, not read as markup."""
    line = " ".join(str(message).split())
    err_console.print(
        f"[bold red]{prefix}[/] {escape(line)}", highlight=False, markup=True, soft_wrap=True
    )


def _print_warning(message: str) -> None:
    from mofglass.cli_out import print_warning

    print_warning(message)


def _jsonable_finite(obj: Any, path: str, bad: list[str]) -> Any:
    if isinstance(obj, float) and not math.isfinite(obj):
        bad.append(path or "(top)")
        return None
    if isinstance(obj, dict):
        return {
            k: _jsonable_finite(v, f"{path}.{k}" if path else str(k), bad) for k, v in obj.items()
        }
    if isinstance(obj, list):
        return [_jsonable_finite(v, f"{path}[{i}]", bad) for i, v in enumerate(obj)]
    return obj


def finite_json(text: str) -> tuple[str, list[str]]:
    """Replace NaN/Infinity in JSON text by null; return the text and the paths replaced.

    Text without such values is returned unchanged (byte for byte).
    """
    if not any(tok in text for tok in ("NaN", "Infinity")):
        return text, []
    from mofglass.cli_out import json_text

    dec = json.JSONDecoder()
    pos = 0
    parts: list[str] = []
    bad: list[str] = []
    while pos < len(text):
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos >= len(text):
            break
        try:
            obj, end = dec.raw_decode(text, pos)
        except json.JSONDecodeError:
            return text, []  # not JSON after all: leave it
        parts.append(json_text(_jsonable_finite(obj, "", bad)))
        pos = end
    return "\n".join(parts) + "\n", bad


def _command_name() -> str:
    ctx = get_current_context(silent=True)
    return ctx.info_name or "" if ctx is not None else ""


def _command_path() -> str:
    """Return the running command's words after ``mofglass`` (``"simulate pdf"``)."""
    ctx = get_current_context(silent=True)
    words = []
    while ctx is not None and ctx.parent is not None:
        words.append(ctx.info_name or "")
        ctx = ctx.parent
    return " ".join(reversed(words))


def _shown_names() -> dict[str, str]:
    ctx = get_current_context(silent=True)
    if ctx is None:
        return {}
    shown = {}
    for p in ctx.command.params:
        if p.name:
            opts = [o for o in p.opts if o.startswith("--")] or list(p.opts)
            shown[p.name] = (
                opts[0]
                if getattr(p, "param_type_name", "") == "option" and opts
                else p.name.upper()
            )
    return shown


def _paths(value: Any) -> list[Path]:
    if isinstance(value, Path):
        return [value]
    if isinstance(value, list | tuple):
        return [v for v in value if isinstance(v, Path)]
    return []


def _check_before_run(kwargs: dict[str, Any], force: bool) -> list[Path]:
    """Validate options and output paths before any work; return the output files."""
    from mofglass.options import check_options
    from mofglass.outputs import check_output_file

    command = _command_name()
    shown = _shown_names()
    check_options({k: v for k, v in kwargs.items() if not _paths(v)}, command=command, shown=shown)
    inputs = [p for k, v in kwargs.items() if k not in _OUTPUT_NAMES for p in _paths(v)]
    for f in inputs:
        if f.exists() and not f.is_dir():
            try:
                with open(f, "rb") as fh:
                    fh.read(1)
            except OSError as exc:
                raise MofglassError(f"{f}: expected a readable file, got {exc.strerror}") from None
    files = []
    for name in _OUTPUT_NAMES & kwargs.keys():
        value = kwargs[name]
        if not isinstance(value, Path) or (_command_path(), name) in _FOLDER_OUTPUTS:
            continue
        check_output_file(value, option=shown.get(name, f"--{name}"), inputs=inputs, force=force)
        files.append(value)
    return files


def _takes_output_file(func: Callable[..., Any], name: str) -> bool:
    params = inspect.signature(func).parameters
    return "force" not in params and any(
        n in _OUTPUT_NAMES and (name, n) not in _FOLDER_OUTPUTS for n in params
    )


def _run_printing_finite_json(func: Callable[..., Any], args: Any, kwargs: Any) -> Any:
    """Run a ``--json`` command, printing its JSON with non-finite numbers as null (warned)."""
    buf = io.StringIO()
    with redirect_stdout(buf):
        result = func(*args, **kwargs)
    text, bad = finite_json(buf.getvalue())
    sys.stdout.write(text)
    if bad:
        shown = ", ".join(bad[:5]) + (" ..." if len(bad) > 5 else "")
        _print_warning(f"{len(bad)} value(s) are not finite and are printed as null: {shown}")
    return result


def _print_data_warnings(caught: list[warnings.WarningMessage]) -> None:
    """Print every DataWarning a command raised as a yellow line (each message once)."""
    shown: set[str] = set()
    for w in caught:
        if issubclass(w.category, DataWarning) and str(w.message) not in shown:
            shown.add(str(w.message))
            _print_warning(str(w.message))


def _exit_input_error(exc: UnicodeDecodeError | OSError, kwargs: dict[str, Any]) -> NoReturn:
    """Print a binary/wrongly encoded input or an OS error on a path as one line, exit 2."""
    if isinstance(exc, UnicodeDecodeError):
        files = ", ".join(str(p) for v in kwargs.values() for p in _paths(v)) or "input"
        _print_error(
            f"{files}: expected text, got undecodable byte 0x{exc.object[exc.start]:02x} "
            f"at offset {exc.start}"
        )
    elif exc.filename is None:
        _internal(exc)
    else:
        _print_error(f"{exc.filename}: expected a readable file, got {exc.strerror or exc}")
    raise typer.Exit(2) from None


def handle_errors(func: F, *, name: str | None = None) -> F:
    """Wrap a command with the CLI's checks and one-line error handling.

    Options and outputs are checked first; MofglassError -> one red line + exit 2,
    DataWarnings -> yellow lines, ``--json`` output without NaN, other errors exit 1.
    Commands that write files gain a ``--force`` option (replace an existing file that
    mofglass did not write).
    """
    add_force = _takes_output_file(func, name or func.__name__.removesuffix("_command"))

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        force = bool(kwargs.pop("force", False)) if add_force else bool(kwargs.get("force"))
        json_mode = bool(kwargs.get("json_out") or kwargs.get("as_json"))
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", DataWarning)
                written = _check_before_run(kwargs, force)
                if json_mode:
                    result = _run_printing_finite_json(func, args, kwargs)
                else:
                    result = func(*args, **kwargs)
            _print_data_warnings(caught)
            if written:
                from mofglass.outputs import record_written

                record_written(written)
            return result
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except MofglassError as exc:
            if _state["debug"]:
                raise
            _print_error(_naming_the_file(str(exc), kwargs))
            raise typer.Exit(2) from None
        except KeyboardInterrupt:
            raise typer.Exit(130) from None
        except (UnicodeDecodeError, OSError) as exc:  # a binary file, an unreadable path
            if _state["debug"]:
                raise
            _exit_input_error(exc, kwargs)
        except Exception as exc:
            if _state["debug"]:
                raise
            _internal(exc)

    if add_force:
        sig = inspect.signature(func)
        force_param = inspect.Parameter(
            "force",
            inspect.Parameter.KEYWORD_ONLY,
            default=False,
            annotation=Annotated[
                bool,
                typer.Option(
                    "--force", help="Replace existing output files that mofglass did not write."
                ),
            ],
        )
        hints = typing.get_type_hints(func, include_extras=True)
        params = [
            p.replace(
                kind=inspect.Parameter.KEYWORD_ONLY, annotation=hints.get(p.name, p.annotation)
            )
            if p.kind != p.VAR_KEYWORD
            else p
            for p in sig.parameters.values()
        ]
        wrapper.__signature__ = sig.replace(parameters=[*params, force_param])  # type: ignore[attr-defined]
        wrapper.__annotations__ = {**func.__annotations__, "force": force_param.annotation}
    return wrapper  # type: ignore[return-value]


def _naming_the_file(message: str, kwargs: dict[str, Any]) -> str:
    """Prefix an error that names no file with the command's input file, when there is one."""
    files = [p for k, v in kwargs.items() if k not in _OUTPUT_NAMES for p in _paths(v)]
    if len(files) != 1 or any(str(p.name) in message for p in files):
        return message
    return f"{files[0].name}: {message}"


def _internal(exc: BaseException) -> None:
    _print_error(
        f"{type(exc).__name__}: {exc}. This is a bug in mofglass; run again with --debug "
        "for the traceback and report it.",
        prefix="internal error:",
    )
    raise typer.Exit(1) from None


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
        str | None,
        typer.Option(
            "--library",
            help="Also append the results to this lab library (DuckDB file or postgresql:// URL).",
        ),
    ] = None,
) -> None:
    """Run every analysis of one or more studies.

    Writes results.json, results.csv, figures/ (PNG and SVG) and report.html into OUT
    (one sub-folder per manifest when several are given). Relative paths in a manifest are
    relative to the manifest.

    Examples
    --------
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

    Examples
    --------
        mofglass demo --out demo-results/

        mofglass demo --out demo-results/ --inputs demo-inputs/
    """
    from mofglass.demo.generate import write_demo_study
    from mofglass.errors import OutputError
    from mofglass.outputs import OutputFolder, demo_tempdir
    from mofglass.study.runner import run_manifests

    target = OutputFolder(out)  # checked before anything is generated
    if inputs is None:
        with demo_tempdir() as tmp:
            manifest = write_demo_study(tmp)
            run_manifests([manifest], target.path, quiet=quiet)
        return
    keep = OutputFolder(inputs, option="--inputs")
    if keep.path == target.path or keep.path in target.path.parents:
        raise OutputError(f"--out {target.path} must not be the --inputs folder or inside it")
    if target.path in keep.path.parents:
        raise OutputError(f"--inputs {keep.path} must not be inside the --out folder")
    with keep.writing() as tmp:
        write_demo_study(tmp)
    run_manifests([keep.path / "study.toml"], target.path, quiet=quiet)


# The technique commands: listed from mofglass._commands.LAZY_COMMANDS, imported when one runs.
_loaded: dict[str, Any] = {}  # name -> wrapped command function or Typer sub-application


def _lazy_target(name: str) -> Any:
    """Import the command ``name`` (once) and wrap its callbacks in :func:`handle_errors`."""
    if name not in _loaded:
        import importlib

        module, attr = LAZY_COMMANDS[name][0].split(":")
        target = getattr(importlib.import_module(module), attr)
        if isinstance(target, typer.Typer):
            for info in target.registered_commands:
                if info.callback is not None:
                    sub = info.name or info.callback.__name__.removesuffix("_command")
                    info.callback = handle_errors(
                        info.callback, name=f"{name} {sub.replace('_', '-')}"
                    )
        else:
            target = handle_errors(target, name=name)
        _loaded[name] = target
    return _loaded[name]


def _lazy_click_command(name: str) -> Any:
    """Build the Click command of ``name`` as Typer would if it were registered on the app."""
    holder = typer.Typer(add_completion=False, rich_markup_mode="rich")
    holder.callback()(lambda: None)
    target = _lazy_target(name)
    if isinstance(target, typer.Typer):
        holder.add_typer(target, name=name)
    else:
        holder.command(name)(target)
    return typer.main.get_command(holder).commands[name]  # type: ignore[attr-defined]


def iter_commands() -> list[tuple[list[str], Callable[..., Any]]]:
    """Every command as (its words on the command line, its wrapped callback); imports all."""
    out = [([c.name], c.callback) for c in app.registered_commands if c.name and c.callback]
    for name in LAZY_COMMANDS:
        target = _lazy_target(name)
        if not isinstance(target, typer.Typer):
            out.append(([name], target))
            continue
        out += [
            ([name, c.name or c.callback.__name__], c.callback)
            for c in target.registered_commands
            if c.callback is not None
        ]
    return out


def _hide_flag_types() -> None:
    """Show no ``<bool>`` type beside on/off flags (``--json``, ``--help``) in ``--help``."""
    from typer.core import TyperOption

    shown = TyperOption.display_type_rich
    if getattr(shown, "_mofglass", False):
        return

    def display_type_rich(self: Any, ctx: Any) -> str | None:
        return None if self.is_flag and not self.count else shown(self, ctx)

    display_type_rich._mofglass = True  # type: ignore[attr-defined]
    TyperOption.display_type_rich = display_type_rich  # type: ignore[method-assign]


_hide_flag_types()


def main() -> None:
    """Console entry point."""
    from mofglass._interrupt import restore

    try:
        # imports done: Ctrl-C raises KeyboardInterrupt again, so that cleanups run (worker
        # processes stopped, temporary output removed) before the one line and exit 130
        restore()
        app(prog_name="mofglass")
    except KeyboardInterrupt:  # before the command group took over (it answers the same)
        err_console.print("[red]interrupted[/]", highlight=False)
        sys.exit(130)


if __name__ == "__main__":  # pragma: no cover
    main()
