"""Tidy and wide tables of a study's results, and reading them back.

``results.csv`` is tidy: one row per observation, keyed by (sample_id, quantity, file,
segment), so it pivots without duplicate keys. The per-segment quantities of a DSC run
(``seg3_tg_mid_C``) are split into ``quantity = tg_mid_C`` and ``segment = 3``; a quantity
without a segment is the technique's pick for the whole file and has ``role = headline`` when
it is one of the paper's headline quantities (:data:`mofglass.report.headline.HEADLINE`),
``summary`` otherwise; per-segment values have ``role = detail``. ``results_wide.csv`` has one
row per sample and a value and an uncertainty column per headline quantity (the report's first
table). :func:`read_results` reads an output folder (or its ``results.json``) back into a
:class:`ResultsTable` with ``to_dataframe(wide=...)`` (pandas, an optional dependency) and
``to_parquet``.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mofglass.errors import InputFormatError
from mofglass.results import ResultRow

__all__ = [
    "TIDY_HEADER",
    "ResultsTable",
    "read_results",
    "tidy_csv",
    "tidy_records",
    "wide_csv",
    "wide_records",
]

TIDY_HEADER = (
    "sample_id",
    "quantity",
    "segment",
    "temperature_C",
    "value",
    "stderr",
    "unit",
    "technique",
    "method",
    "file",
    "role",
)

_SEGMENT = re.compile(r"^seg(\d+)_(.+)$")


def _headline_names() -> set[str]:
    from mofglass.report.headline import HEADLINE

    return {q for col in HEADLINE for q in col.quantities}


def tidy_records(rows: Sequence[ResultRow]) -> list[dict[str, Any]]:
    """One dict per row with the columns of :data:`TIDY_HEADER`."""
    headline = _headline_names()
    out = []
    for r in rows:
        m = _SEGMENT.match(r.quantity)
        quantity, segment = (m.group(2), int(m.group(1))) if m else (r.quantity, None)
        role = "detail" if m else ("headline" if quantity in headline else "summary")
        out.append(
            {
                "sample_id": r.sample_id,
                "quantity": quantity,
                "segment": segment,
                "temperature_C": None,
                "value": r.value,
                "stderr": r.stderr,
                "unit": r.unit,
                "technique": r.technique,
                "method": r.method,
                "file": r.source,
                "role": role,
            }
        )
    return out


def _csv(header: Sequence[str], records: Sequence[dict[str, Any]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for rec in records:
        w.writerow(
            [
                ""
                if rec.get(k) is None
                else (repr(rec[k]) if isinstance(rec[k], float) else rec[k])
                for k in header
            ]
        )
    return buf.getvalue()


def tidy_csv(rows: Sequence[ResultRow]) -> str:
    """Return the text of ``results.csv``."""
    return _csv(TIDY_HEADER, tidy_records(rows))


def wide_records(sample_ids: Sequence[str], rows: Sequence[ResultRow]) -> list[dict[str, Any]]:
    """One dict per sample: ``<quantity>`` and ``<quantity>_stderr`` per headline column."""
    from mofglass.report.headline import HEADLINE

    out = []
    for sid in sample_ids:
        rec: dict[str, Any] = {"sample_id": sid}
        mine = [r for r in rows if r.sample_id == sid]
        for col in HEADLINE:
            name = col.quantities[0]
            hit = next((r for q in col.quantities for r in mine if r.quantity == q), None)
            rec[name] = None if hit is None else hit.value
            rec[f"{name}_stderr"] = None if hit is None else hit.stderr
        out.append(rec)
    return out


def wide_csv(sample_ids: Sequence[str], rows: Sequence[ResultRow]) -> str:
    """Return the text of ``results_wide.csv``."""
    records = wide_records(sample_ids, rows)
    header = list(records[0]) if records else ["sample_id"]
    return _csv(header, records)


@dataclass(frozen=True)
class ResultsTable:
    """The results of one study, read back from its output folder.

    Attributes
    ----------
    rows : tuple of ResultRow
        Every quantity as written.
    sample_ids : tuple of str
        Samples in manifest order.
    title : str
        The study's title.
    """

    rows: tuple[ResultRow, ...]
    sample_ids: tuple[str, ...]
    title: str

    def records(self, *, wide: bool = False) -> list[dict[str, Any]]:
        """Plain dicts: tidy (one per observation) or wide (one per sample)."""
        if wide:
            return wide_records(self.sample_ids, self.rows)
        return tidy_records(self.rows)

    def to_dataframe(self, *, wide: bool = False) -> Any:
        """Return a pandas DataFrame (tidy, or ``wide=True``: one row per sample).

        The tidy frame pivots on (sample_id, quantity, file, segment) without duplicates::

            df.pivot_table(index="sample_id", columns="quantity", values="value", aggfunc="first")
        """
        try:
            import pandas as pd
        except ImportError:  # pragma: no cover - depends on the environment
            from mofglass.errors import MofglassError

            raise MofglassError(
                "pandas is needed for DataFrames: pip install 'mofglass[tables]'"
            ) from None
        frame = pd.DataFrame.from_records(
            self.records(wide=wide), columns=None if wide else list(TIDY_HEADER)
        )
        if not wide:
            frame["segment"] = frame["segment"].astype("Int64")
        return frame

    def to_parquet(self, path: str | Path, *, wide: bool = False) -> Path:
        """Write the table as Parquet (pandas + pyarrow); return the path."""
        path = Path(path)
        self.to_dataframe(wide=wide).to_parquet(path, index=False)
        return path


def read_results(path: str | Path) -> ResultsTable:
    """Read a study's results from its output folder (or its ``results.json``).

    Raises
    ------
    InputFormatError
        If the folder has no ``results.json`` or the file is not a mofglass result.
    """
    p = Path(path)
    file = p / "results.json" if p.is_dir() else p
    try:
        doc = json.loads(file.read_text(encoding="utf-8"))
        rows = tuple(ResultRow.from_dict(d) for d in doc["results"])
        samples = tuple(s["id"] for s in doc.get("samples", []))
        title = str(doc.get("study", {}).get("title", ""))
    except FileNotFoundError:
        raise InputFormatError(
            file, expected="a mofglass results.json (run `mofglass run`)"
        ) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as exc:
        raise InputFormatError(
            file, expected="a mofglass results.json", got=type(exc).__name__
        ) from None
    if not samples:
        samples = tuple(dict.fromkeys(r.sample_id for r in rows))
    return ResultsTable(rows, samples, title)
