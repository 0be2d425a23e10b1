"""The lab library on PostgreSQL (same schema as DuckDB, by URL), against a pgserver instance.

Skipped when pgserver (a self-contained PostgreSQL in a wheel) or psycopg is not installed.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from pathlib import Path

import pytest

pgserver = pytest.importorskip("pgserver")
pytest.importorskip("psycopg")
pytest.importorskip("duckdb")

from mofglass.study.library import Library  # noqa: E402

from .test_library import _study  # noqa: E402


@pytest.fixture(scope="module")
def pg_url():
    # a folder the server's own (non-root) user can reach, unlike pytest's 0700 tmp_path
    folder = Path(tempfile.mkdtemp(prefix="mofglass-pg-"))
    folder.chmod(0o755)
    server = pgserver.get_server(folder, cleanup_mode="stop")
    try:
        yield server.get_uri()
    finally:
        server.cleanup()
        shutil.rmtree(folder, ignore_errors=True)


def test_postgres_library_gives_what_duckdb_gives(pg_url: str, tmp_path: Path):
    pg, duck = Library(pg_url), Library(tmp_path / "lab.duckdb")
    for k in range(30):
        folder = _study(tmp_path / f"r{k}", k)
        assert pg.append(folder).added and duck.append(folder).added
    assert not pg.append(tmp_path / "r3").added  # idempotent: keyed by the results' SHA-256
    sql = "SELECT study_id, quantity, segment, value, stderr FROM results ORDER BY 1, 2, 3"
    assert pg.query(sql)[1] == duck.query(sql)[1]
    names, rows = pg.trend("tg_onset_C")
    assert names == duck.trend("tg_onset_C")[0]
    assert sorted(r[4] for r in rows) == [100.0 + k for k in range(30)]
    out = pg.export(tmp_path / "pg.csv")
    assert out.read_text().count("\n") == 30 * 20 + 1
    with pytest.raises(Exception, match="read-only"):
        pg.query("DELETE FROM results")


def test_concurrent_appends_of_one_study_add_it_once(pg_url: str, tmp_path: Path):
    # two writers race on the same study: the advisory lock lets exactly one add it
    folder = _study(tmp_path / "race", 5000)
    added: list[bool] = []
    threads = [
        threading.Thread(target=lambda: added.append(Library(pg_url).append(folder).added))
        for _ in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(added) == [False, False, False, True]
    _, ((n,),) = Library(pg_url).query("SELECT count(*) FROM studies WHERE title = 'study 5000'")
    assert n == 1
