"""``mofglass library``: the lab library (:mod:`mofglass.study.library`) from the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from mofglass.errors import MofglassError
from mofglass.study.library import Library

__all__ = ["app"]

app = typer.Typer(help="A lab library of results (DuckDB): add, query, export, trend.")
_DB_HELP = "The library: a DuckDB file, or a postgresql:// URL (needs mofglass[postgres])."


def _print(names: list[str], rows: list[tuple], title: str) -> None:
    t = Table(title=escape(title))
    for n in names:
        t.add_column(escape(n))
    for r in rows:
        t.add_row(*("" if v is None else escape(str(v)) for v in r))
    Console().print(t)


@app.command("add")
def add(
    results: Annotated[list[Path], typer.Argument(help="Output folders of `mofglass run`.")],
    db: Annotated[str, typer.Option("--db", help=_DB_HELP)],
) -> None:
    """Append studies to the library (idempotent: a study already there is skipped).

    Examples
    --------
        mofglass library add results/ --db lab.duckdb
    """
    lib = Library(db)
    for r in results:
        a = lib.append(r)
        state = "added" if a.added else "already in the library"
        Console(stderr=True).print(f"{escape(str(r))}: {state} ({a.n_results} results)")


@app.command("query")
def query(
    sql: Annotated[str, typer.Argument(help="A SELECT statement.")],
    db: Annotated[str, typer.Option("--db", help=_DB_HELP)],
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON rows.")] = False,
) -> None:
    """Run a read-only SQL query.

    Examples
    --------
        mofglass library query "SELECT quantity, count(*) FROM results GROUP BY 1" --db lab.duckdb
    """
    names, rows = Library(db).query(sql)
    if json_out:
        typer.echo(json.dumps([dict(zip(names, r, strict=True)) for r in rows], default=str))
    else:
        _print(names, rows, sql)


@app.command("export")
def export(
    target: Annotated[Path, typer.Argument(help="A .csv or .parquet file to write.")],
    db: Annotated[str, typer.Option("--db", help=_DB_HELP)],
    table: Annotated[str, typer.Option(help="Table name or a SELECT statement.")] = "results",
) -> None:
    """Write a table (or a query) as CSV or Parquet.

    Examples
    --------
        mofglass library export all.parquet --db lab.duckdb
    """
    if target.exists():
        raise MofglassError(f"{target} exists; choose a new file")
    Library(db).export(target, table_or_query=table)


@app.command("trend")
def trend(
    quantity: Annotated[str, typer.Argument(help="Quantity name, e.g. tg_onset_C.")],
    db: Annotated[str, typer.Option("--db", help=_DB_HELP)],
) -> None:
    """One quantity across every study and sample (e.g. Tg against composition).

    Examples
    --------
        mofglass library trend tg_onset_C --db lab.duckdb
    """
    names, rows = Library(db).trend(quantity)
    _print(names, rows, quantity)
