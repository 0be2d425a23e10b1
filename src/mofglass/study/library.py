"""A lab library of results: every study appended to one embedded DuckDB database.

``mofglass run ... --library lab.duckdb`` (or ``mofglass library add OUT --db lab.duckdb``)
appends a finished study: its samples, every result row (tidy, as in ``results.csv``), its input
files with their SHA-256 and the provenance block. A study is keyed by the SHA-256 of its
``results.json``, so re-running the same study on the same files adds nothing (idempotent).
Each append is one transaction: a run killed during the append leaves the database as it was
before it (DuckDB's write-ahead log), and an exclusive lock file serialises concurrent writers
(a second writer waits, up to ``timeout_s``).

The same schema lives on a PostgreSQL server for labs that share one: give a URL
(``--library postgresql://user@host/lab``) instead of a file; appends are then serialised by a
transaction-level advisory lock instead of the lock file (needs ``mofglass[postgres]``:
psycopg). Queries go through DuckDB's SQL (``mofglass library query "SELECT ..."``), ``export`` writes a
table or query as CSV or Parquet, and ``trend`` tabulates one quantity against the samples'
composition across studies (Tg against x, for example).

Tables
------
studies(study_id, title, manifest_sha256, mofglass_version, n_samples, n_results)
samples(study_id, sample_id, label, phase, formula, simulated)
results(study_id, sample_id, quantity, segment, value, stderr, unit, technique, method, file,
role)
files(study_id, file, sha256, bytes)
provenance(study_id, document)
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mofglass.errors import InputFormatError, MofglassError

__all__ = ["Library", "append_study"]

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS studies (
        study_id VARCHAR PRIMARY KEY, title VARCHAR, manifest_sha256 VARCHAR,
        mofglass_version VARCHAR, n_samples INTEGER, n_results INTEGER)""",
    """CREATE TABLE IF NOT EXISTS samples (
        study_id VARCHAR, sample_id VARCHAR, label VARCHAR, phase VARCHAR, formula VARCHAR,
        simulated BOOLEAN)""",
    """CREATE TABLE IF NOT EXISTS results (
        study_id VARCHAR, sample_id VARCHAR, quantity VARCHAR, segment INTEGER, value DOUBLE,
        stderr DOUBLE, unit VARCHAR, technique VARCHAR, method VARCHAR, file VARCHAR,
        role VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS files (
        study_id VARCHAR, file VARCHAR, sha256 VARCHAR, bytes BIGINT)""",
    """CREATE TABLE IF NOT EXISTS provenance (study_id VARCHAR, document VARCHAR)""",
)


@dataclass(frozen=True)
class Appended:
    """What :meth:`Library.append` did: the study's id and whether it was new."""

    study_id: str
    added: bool
    n_results: int


class Library:
    """A DuckDB (or PostgreSQL) lab library (see the module docstring).

    Parameters
    ----------
    path : str or Path
        The database file (created on first use), or a ``postgresql://`` URL.
    timeout_s : float
        How long a writer waits for another writer's lock.
    """

    def __init__(self, path: str | Path, *, timeout_s: float = 60.0) -> None:
        self.url = str(path) if is_postgres_url(path) else None
        module, extra = ("psycopg", "postgres") if self.url else ("duckdb", "library")
        try:
            __import__(module)
        except ImportError:  # pragma: no cover - depends on the environment
            raise MofglassError(
                f"this lab library needs {module}: pip install 'mofglass[{extra}]'"
            ) from None
        self.path = Path(path) if self.url is None else Path(_safe_url(self.url))
        self.timeout_s = timeout_s
        self._con: Any = None  # kept open inside ``with Library(...)`` (batch appends)

    def __enter__(self) -> Library:
        self._con = self._open()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None

    @contextlib.contextmanager
    def _lock(self) -> Iterator[None]:
        if self.url is not None:  # the server serialises appends (advisory lock in append)
            yield
            return
        lock_path = self.path.with_name(self.path.name + ".lock")
        with open(lock_path, "a+") as fh:
            start = time.monotonic()
            while True:
                try:
                    fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() - start > self.timeout_s:
                        raise MofglassError(
                            f"{self.path}: another mofglass is writing to the library "
                            f"(waited {self.timeout_s:.0f} s)"
                        ) from None
                    time.sleep(0.05)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    @contextlib.contextmanager
    def _connection(self) -> Iterator[Any]:
        if self._con is not None:
            yield self._con
            return
        con = self._open()
        try:
            yield con
        finally:
            con.close()

    def _open(self) -> Any:
        return self._connect()

    def _connect(self, *, read_only: bool = False) -> Any:
        if self.url is not None:
            return _pg_connect(self.url, read_only=read_only)
        import duckdb

        try:
            con = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.Error as exc:
            raise MofglassError(f"{self.path}: not a usable DuckDB library ({exc})") from None
        if not read_only:
            for stmt in _SCHEMA:
                con.execute(stmt)
        return con

    def append(self, results_dir: str | Path) -> Appended:
        """Append the study in ``results_dir`` (its ``results.json``); idempotent."""
        from mofglass.study.tables import tidy_records

        file = Path(results_dir)
        file = file / "results.json" if file.is_dir() else file
        try:
            raw = file.read_bytes()
            doc = json.loads(raw)
            rows_doc = doc["results"]
        except FileNotFoundError:
            raise InputFormatError(file, expected="a mofglass results.json") from None
        except (OSError, json.JSONDecodeError, UnicodeDecodeError, KeyError, TypeError) as exc:
            raise InputFormatError(
                file, expected="a mofglass results.json", got=type(exc).__name__
            ) from None
        from mofglass.results import ResultRow

        study_id = hashlib.sha256(raw).hexdigest()
        rows = tidy_records([ResultRow.from_dict(d) for d in rows_doc])
        prov = doc.get("provenance", {})
        with self._lock(), self._connection() as con:
            if con.execute("SELECT 1 FROM studies WHERE study_id = ?", [study_id]).fetchone():
                return Appended(study_id, False, len(rows))
            con.execute("BEGIN TRANSACTION")
            try:
                if self.url is not None:  # one writer at a time; then look again
                    con.execute("SELECT pg_advisory_xact_lock(?)", [_PG_LOCK])
                    if con.execute(
                        "SELECT 1 FROM studies WHERE study_id = ?", [study_id]
                    ).fetchone():
                        con.execute("ROLLBACK")
                        return Appended(study_id, False, len(rows))
                _insert(
                    con,
                    "studies",
                    [
                        (
                            study_id,
                            str(doc.get("study", {}).get("title", "")),
                            str(prov.get("manifest", {}).get("sha256", "")),
                            str(prov.get("mofglass_version", "")),
                            len(doc.get("samples", [])),
                            len(rows),
                        )
                    ],
                )
                _insert(
                    con,
                    "samples",
                    [
                        (
                            study_id,
                            s.get("id"),
                            s.get("label"),
                            s.get("phase"),
                            s.get("formula"),
                            bool(s.get("simulated", False)),
                        )
                        for s in doc.get("samples", [])
                    ],
                )
                _insert(
                    con,
                    "results",
                    [
                        (
                            study_id,
                            r["sample_id"],
                            r["quantity"],
                            r["segment"],
                            r["value"],
                            r["stderr"],
                            r["unit"],
                            r["technique"],
                            r["method"],
                            r["file"],
                            r["role"],
                        )
                        for r in rows
                    ],
                )
                _insert(
                    con,
                    "files",
                    [
                        (study_id, name, v.get("sha256"), v.get("bytes"))
                        for name, v in prov.get("inputs", {}).items()
                    ],
                )
                _insert(con, "provenance", [(study_id, json.dumps(prov))])
                con.execute("COMMIT")
            except Exception:
                with contextlib.suppress(Exception):
                    con.execute("ROLLBACK")
                raise
        return Appended(study_id, True, len(rows))

    def query(self, sql: str, params: list[Any] | None = None) -> tuple[list[str], list[tuple]]:
        """Run SQL; return (column names, rows). Read-only: statements that write fail."""
        if self.url is None and not self.path.is_file():
            raise MofglassError(f"{self.path}: no such library (append a study first)")
        con = self._connect(read_only=True)
        try:
            cur = con.execute(sql, params)
            names = [d[0] for d in cur.description] if cur.description else []
            return names, cur.fetchall()
        except _db_errors() as exc:
            raise MofglassError(f"{self.path}: {exc}") from None
        finally:
            con.close()

    def export(self, target: str | Path, *, table_or_query: str = "results") -> Path:
        """Write a table (or a SELECT) to CSV or Parquet, by the target's extension."""
        import duckdb

        target = Path(target)
        fmt = {".csv": "CSV, HEADER", ".parquet": "PARQUET"}.get(target.suffix.lower())
        if fmt is None:
            raise MofglassError(f"{target}: export writes .csv or .parquet")
        src = table_or_query
        if not src.lstrip().lower().startswith("select"):
            if src not in {"studies", "samples", "results", "files", "provenance"}:
                raise MofglassError(f"unknown table {src!r}")
        select = src if " " in src.strip() else f"SELECT * FROM {src}"
        if self.url is not None:  # COPY TO writes on the server: fetch and write here
            names, rows = self.query(select)
            return _write_table(target, names, rows)
        quoted = str(target).replace("'", "''")
        con = self._connect(read_only=True)
        try:
            con.execute(f"COPY ({select}) TO '{quoted}' (FORMAT {fmt})")
        except duckdb.Error as exc:
            raise MofglassError(f"{self.path}: {exc}") from None
        finally:
            con.close()
        return target

    def trend(self, quantity: str) -> tuple[list[str], list[tuple]]:
        """One quantity across studies: study title, sample, formula, phase, value, s.u., unit."""
        return self.query(
            """SELECT st.title, r.sample_id, s.formula, s.phase, r.value, r.stderr, r.unit,
                      r.file
               FROM results r
               JOIN studies st USING (study_id)
               LEFT JOIN samples s ON s.study_id = r.study_id AND s.sample_id = r.sample_id
               WHERE r.quantity = ? AND r.segment IS NULL
               ORDER BY s.formula, st.title, r.sample_id""",
            [quantity],
        )


def _insert(con: Any, table: str, rows: list[tuple[Any, ...]], *, chunk: int = 500) -> None:
    """Multi-row INSERTs (one statement per ``chunk`` rows: far faster than executemany)."""
    for k in range(0, len(rows), chunk):
        part = rows[k : k + chunk]
        marks = "(" + ", ".join("?" * len(part[0])) + ")"
        con.execute(
            f"INSERT INTO {table} VALUES " + ", ".join([marks] * len(part)),
            [v for r in part for v in r],
        )


_PG_LOCK = 0x6D6F66676C617373  # "mofglass": the advisory-lock key of library appends


def is_postgres_url(path: str | Path) -> bool:
    """Whether ``path`` names a PostgreSQL library (``postgresql://`` or ``postgres://``)."""
    return str(path).startswith(("postgresql://", "postgres://"))


def _safe_url(url: str) -> str:
    """Return the URL without its password, for messages."""
    head, sep, tail = url.partition("@")
    if not sep or ":" not in head.split("//", 1)[-1]:
        return url
    scheme, _, user = head.partition("//")
    return f"{scheme}//{user.split(':', 1)[0]}:***@{tail}"


class _PgConnection:
    """A psycopg connection that takes DuckDB-style ``?`` placeholders (our own SQL)."""

    def __init__(self, con: Any) -> None:
        self._con = con

    def execute(self, sql: str, params: list[Any] | None = None) -> Any:
        if params is not None:
            sql = sql.replace("%", "%%").replace("?", "%s")
        return self._con.execute(sql, params)

    def close(self) -> None:
        self._con.close()


def _pg_connect(url: str, *, read_only: bool) -> _PgConnection:
    import psycopg

    try:
        con = psycopg.connect(url, autocommit=True)
    except psycopg.Error as exc:
        raise MofglassError(f"{_safe_url(url)}: cannot connect ({exc})") from None
    pg = _PgConnection(con)
    if read_only:  # every statement of this session: autocommit issues no BEGIN READ ONLY
        pg.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
    else:
        for stmt in _SCHEMA:
            pg.execute(stmt.replace("DOUBLE,", "DOUBLE PRECISION,"))
    return pg


def _db_errors() -> tuple[type[Exception], ...]:
    errors: list[type[Exception]] = []
    for module in ("duckdb", "psycopg"):
        with contextlib.suppress(ImportError):
            errors.append(__import__(module).Error)
    return tuple(errors)


def _write_table(target: Path, names: list[str], rows: list[tuple]) -> Path:
    """Write a query's rows as CSV (with a header) or Parquet (pyarrow)."""
    if target.suffix.lower() == ".csv":
        import csv

        with open(target, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(names)
            w.writerows(rows)
        return target
    import pyarrow as pa
    import pyarrow.parquet as pq

    columns = list(zip(*rows, strict=True)) if rows else [() for _ in names]
    pq.write_table(pa.table({n: list(c) for n, c in zip(names, columns, strict=True)}), target)
    return target


def append_study(db: str | Path, results_dir: str | Path) -> Appended:
    """Append one study's output folder to the library ``db`` (see :class:`Library`)."""
    return Library(db).append(results_dir)
