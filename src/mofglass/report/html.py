"""Render a study result and its figures into one self-contained HTML page (Jinja2)."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, PackageLoader, select_autoescape

import mofglass
from mofglass.report.headline import display_name, headline_table, label_html
from mofglass.results import format_value
from mofglass.study.technique import get_technique

if TYPE_CHECKING:
    from mofglass.study.pipeline import StudyResult

__all__ = ["render_report"]


def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("mofglass", "report/templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["measured"] = lambda r: format_value(r.value, r.stderr)
    env.filters["symbol"] = display_name
    env.filters["label_html"] = label_html
    return env


def _data_uri(path: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def render_report(result: StudyResult, figures: Mapping[str, Mapping[str, Path]]) -> str:
    """HTML text of the report.

    Parameters
    ----------
    result : StudyResult
        The study run.
    figures : mapping
        PNG files by technique key and figure name (embedded as data URIs, so the page needs
        no other file and no network).
    """
    sections: list[dict[str, Any]] = []
    for key, outs in result.outputs_by_technique().items():
        technique = get_technique(key)
        sections.append(
            {
                "key": key,
                "title": technique.title,
                "rows": [r for o in outs for r in o.rows],
                "warnings": [(o.sample_id, o.source, w) for o in outs for w in o.warnings],
                "figures": [
                    {"name": name, "src": _data_uri(p)} for name, p in figures.get(key, {}).items()
                ],
                "extra_html": technique.report_html(outs),
            }
        )
    simulated = [s for s in result.samples if s.simulated]
    simulated_files = sorted(
        {
            t.source
            for t in result.tasks
            if t.source and (t.sample.simulated or t.options.get("simulated"))
        }
    )
    prov = result.provenance()
    columns, headline = headline_table([s.id for s in result.samples], result.rows)
    labels = {s.id: s.label for s in result.samples}
    return (
        _env()
        .get_template("report.html.j2")
        .render(
            study=result.manifest.study,
            samples=result.samples,
            rows=result.rows,
            headline_columns=columns,
            headline=headline,
            labels=labels,
            sections=sections,
            simulated=simulated,
            simulated_files=simulated_files,
            provenance=prov,
            version=mofglass.__version__,
            run_started=result.run_started,
            elapsed_s=result.elapsed_s,
            manifest_name=result.manifest.path.name,
        )
    )
