"""``--out DIR`` of the single-file commands: the curves, figures and JSON of one file.

The file is analysed again by the technique's study plug-in (:mod:`mofglass.study.technique`)
with the command's options, so the folder holds what ``mofglass run`` writes for the same file
and options - the same curves and the same figures (:func:`mofglass.plotting.style.save_figure`:
PNG, editable SVG and PDF) - plus the rows of the results table and the command's own JSON.
The folder follows the rules of :class:`mofglass.outputs.OutputFolder`: checked before any work,
written to a temporary sibling and moved into place, with a marker listing what mofglass wrote;
a folder holding files mofglass did not write is refused, never emptied.

Each command's wiring is two calls::

    target = out_folder(out, file)  # refused now, before the analysis
    ...
    if target is not None:
        write_technique_outputs(target, "dsc", file, {"tg_window_C": tg_window}, doc=summary)
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any, ClassVar

import typer
from typer.core import TyperGroup

from mofglass.outputs import OutputFolder

__all__ = [
    "OUT_HELP",
    "DefaultCommandGroup",
    "JsonOpt",
    "OutOpt",
    "curve_tables",
    "json_text",
    "out_folder",
    "print_json",
    "print_warning",
    "write_technique_outputs",
]

OUT_HELP = (
    "Also write the curves (CSV), figures (PNG, SVG, PDF) and JSON into this folder "
    "(new, or one mofglass wrote)."
)
#: ``--json`` of the single-file commands: their result as JSON instead of text
JsonOpt = Annotated[
    bool, typer.Option("--json", help="Print JSON (unit-suffixed keys) instead of text.")
]
#: ``--out DIR`` of the single-file commands (see the module docstring)
OutOpt = Annotated[Path | None, typer.Option("--out", help=OUT_HELP)]


class DefaultCommandGroup(TyperGroup):
    """A command group whose arguments go to ``default_command`` unless they name a command.

    ``mofglass structure FILE`` is ``mofglass structure analyse FILE``; ``--help`` stays the
    group's. Subclass and set ``default_command``.
    """

    default_command: ClassVar[str]

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        """Put ``default_command`` in front of arguments that do not start with a command."""
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)


def json_text(obj: Any) -> str:
    """Return ``obj`` (plain JSON types) as the commands' one JSON format: indent 1, UTF-8.

    Non-finite floats are written as ``NaN``/``Infinity`` here; the ``--json`` wrapper of
    :func:`mofglass.cli.handle_errors` prints them as null and warns, naming their keys.

    >>> print(json_text({"T_C": 25.0, "name": "Zn(im)₂"}))
    {
     "T_C": 25.0,
     "name": "Zn(im)₂"
    }
    """
    return json.dumps(obj, indent=1, ensure_ascii=False)


def print_json(obj: Any) -> None:
    """Print ``obj`` as JSON (:func:`json_text`) on stdout: the ``--json`` of every command."""
    typer.echo(json_text(obj))


def print_warning(message: str) -> None:
    """Print ``warning: message`` as one yellow line on stderr, as every command does.

    Stdout stays for the results (a table, JSON), so a warning survives ``> results.txt``.
    """
    from rich.console import Console
    from rich.markup import escape

    line = " ".join(str(message).split())
    Console(stderr=True).print(
        f"[yellow]warning:[/] {escape(line)}", highlight=False, soft_wrap=True
    )


def out_folder(out: Path | None, *inputs: Path) -> OutputFolder | None:
    """Check the ``--out`` folder now, before the analysis; return it (None if not asked for).

    Parameters
    ----------
    out : Path or None
        The folder given with ``--out``.
    *inputs : Path
        The command's input files: the folder may not be (or contain) one of them.
    """
    return None if out is None else OutputFolder(out, inputs=inputs)


def _numbers(values: Any) -> bool:
    return (
        isinstance(values, list | tuple)
        and len(values) >= 4  # a curve, not a vector such as an (hkl) or a zone axis
        and all(
            v is None or (isinstance(v, int | float) and not isinstance(v, bool)) for v in values
        )
    )


def curve_tables(details: Any, name: str = "") -> Iterator[tuple[str, dict[str, list[Any]]]]:
    """Find the tables of curves in a technique's JSON-ready details: (name, columns).

    A table is a mapping whose numeric lists (of four values or more) of the most common
    length, at least two of them, are its columns; nested mappings and lists of mappings are searched too, their keys or
    ``label``/index making the table name.

    Examples
    --------
    >>> d = {"curves": [{"label": "1: heating", "T_C": [1, 2, 3, 4], "y": [5, 6, 7, 8]}]}
    >>> [(n, list(c)) for n, c in curve_tables(d)]
    [('curves_1_heating', ['T_C', 'y'])]
    """
    if isinstance(details, Mapping):
        cols = {str(k): list(v) for k, v in details.items() if _numbers(v)}
        if cols:
            lengths = [len(v) for v in cols.values()]
            n = max(set(lengths), key=lengths.count)
            cols = {k: v for k, v in cols.items() if len(v) == n}
            if len(cols) >= 2:
                yield name or "curves", cols
        for k, v in details.items():
            if isinstance(v, Mapping | list):
                yield from curve_tables(v, f"{name}_{k}" if name else str(k))
    elif isinstance(details, list) and details and all(isinstance(d, Mapping) for d in details):
        for i, d in enumerate(details, 1):
            tag = _slug(str(d.get("label", ""))) or str(i)
            yield from curve_tables(d, f"{name}_{tag}" if name else tag)


def _slug(text: str) -> str:
    keep = "".join(c if c.isalnum() or c in "-." else "_" for c in text)
    return "_".join(p for p in keep.split("_") if p)[:40]


def _write_csv(path: Path, columns: Mapping[str, list[Any]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(columns)
        for row in zip(*columns.values(), strict=True):
            w.writerow(
                ["" if v is None or (isinstance(v, float) and math.isnan(v)) else v for v in row]
            )


def write_technique_outputs(
    target: OutputFolder,
    technique: str,
    files: Path | Sequence[Path],
    options: Mapping[str, Any],
    *,
    doc: Any = None,
    formula: str | None = None,
    phase: str | None = None,
) -> list[Path]:
    """Analyse ``file`` with the study technique and write its curves, figures and JSON.

    Parameters
    ----------
    target : OutputFolder
        From :func:`out_folder`.
    technique : str
        The technique's manifest key (``"dsc"``, ``"tga"``, ``"pxrd"``, ...).
    files : Path or sequence of Path
        The input file(s), each analysed with the same options; figures over several files
        (depth profiles, overviews) are made as in a study.
    options : mapping
        The command's options under their manifest names (validated by the technique's
        ``Options`` model, like a manifest entry); ``None`` values are left out.
    doc : optional
        What the command prints with ``--json``; stored as ``command`` in the JSON.
    formula, phase : str, optional
        The sample's formula (molar quantities) and phase (``"crystal"``, ``"glass"``).

    Returns
    -------
    list of Path
        The files written, inside ``target.path``.
    """
    from mofglass.plotting.style import save_figure
    from mofglass.results import to_jsonable
    from mofglass.study.technique import SampleInfo, Task, get_technique

    tech = get_technique(technique)
    given = {k: v for k, v in options.items() if v is not None}
    tech.Options(**given)  # refuse a bad option as a manifest entry would
    paths = [files] if isinstance(files, Path) else list(files)
    outputs = []
    for i, file in enumerate(paths):
        sample = SampleInfo(id=file.stem, label=file.stem, phase=phase or "", formula=formula)
        task = Task(technique, sample, str(file.resolve()), given, source=file.name, index=i)
        outputs.append(tech.run(task))
    figures = tech.figures(outputs)
    written: list[str] = []
    with target.writing() as tmp:
        for file, output in zip(paths, outputs, strict=True):
            stem = file.stem
            payload = {
                "file": file.name,
                "technique": technique,
                "options": given,
                "rows": [r.to_dict() for r in output.rows],
                "warnings": list(output.warnings),
                "command": doc,
                "details": output.details,
            }
            (tmp / f"{stem}.json").write_text(
                json.dumps(to_jsonable(payload), indent=1, ensure_ascii=False) + "\n", "utf-8"
            )
            written.append(f"{stem}.json")
            for name, cols in curve_tables(output.details):
                _write_csv(tmp / f"{stem}_{name}.csv", cols)
                written.append(f"{stem}_{name}.csv")
        for name, fig in figures.items():
            for file in paths:  # the sample is named after the file
                name = name.replace(f"{file.stem}_{file.stem}", file.stem)
            saved = save_figure(fig, tmp / name, formats=("png", "svg", "pdf"))
            written += [Path(p).name for p in saved.values()]
    return [target.path / w for w in written]
