"""Run manifests with a progress bar and a summary: the body of ``mofglass run``."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from mofglass.outputs import OutputFolder
from mofglass.results import format_value
from mofglass.study.manifest import load_manifest
from mofglass.study.pipeline import StudyResult, run_study, write_outputs

__all__ = ["run_manifests"]


def run_manifests(
    paths: Sequence[str | Path],
    out: str | Path,
    *,
    scheduler: str | None = None,
    figures: bool = True,
    quiet: bool = False,
    keep_going: bool = False,
    console: Console | None = None,
) -> Path:
    """Validate every manifest first, run them, write all outputs atomically; return the folder."""
    con = console or Console(stderr=True)
    manifests = [load_manifest(p) for p in paths]  # all validated before any work
    inputs = [m.path for m in manifests] + [f for m in manifests for f in m.input_files]
    target = OutputFolder(out, inputs=inputs)  # refused now, not after the analysis
    results: list[StudyResult] = []
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=con,
        transient=True,
        disable=quiet,
    ) as progress:
        for m in manifests:
            bar = progress.add_task(m.path.name, total=None)

            def advance(n: int, bar: TaskID = bar) -> None:
                progress.advance(bar, n)

            def set_total(n: int, bar: TaskID = bar) -> None:
                progress.update(bar, total=n)

            results.append(
                run_study(
                    m,
                    scheduler=scheduler,
                    progress=advance,
                    on_tasks=set_total,
                    keep_going=keep_going,
                )
            )
        progress.add_task("writing figures and report", total=None)
        folder = write_outputs(results, target, figures=figures)
    if not quiet:
        for res in results:
            _summary(con, res)
        con.print(f"[green]wrote[/] {escape(str(folder))}")
    return folder


def _summary(con: Console, res: StudyResult) -> None:
    table = Table(title=escape(res.manifest.study.title), show_lines=False)
    for col in ("sample", "quantity", "value", "unit", "technique"):
        table.add_column(col, justify="right" if col == "value" else "left")
    for r in res.rows[:60]:
        table.add_row(
            *(escape(str(c)) for c in (r.sample_id, r.quantity, format_value(r.value, r.stderr))),
            escape(r.unit),
            r.technique,
        )
    if len(res.rows) > 60:
        table.caption = f"... {len(res.rows) - 60} more rows in results.csv"
    con.print(table)
    for o in res.outputs:
        for w in o.warnings:
            con.print(f"[yellow]warning[/] {escape(f'{o.sample_id} {o.source}: {w}')}")
