"""The study pipeline: manifest -> tasks -> outputs -> results table, figures and report.

It only orchestrates: every number comes from a technique's :meth:`~Technique.run`.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from mofglass.outputs import OutputFolder
from mofglass.results import ResultRow
from mofglass.study.manifest import Manifest
from mofglass.study.result import StudyResult
from mofglass.study.technique import (
    Task,
    get_technique,
    registered_techniques,
)

__all__ = ["StudyResult", "build_tasks", "run_study", "write_outputs"]

# StudyResult lives in mofglass.study.result (the report imports it without the pipeline)


def build_tasks(manifest: Manifest) -> list[Task]:
    """One task per technique entry of each sample, plus file-less techniques once per sample."""
    tasks: list[Task] = []
    techniques = registered_techniques()
    for spec in manifest.samples:
        info = spec.info()
        entries = manifest.entries.get(spec.id, ())
        for key, technique in techniques.items():
            mine = [e for e in entries if e.technique == key]
            if not technique.needs_file and not mine:
                defaults = technique.Options().model_dump(mode="json")
                tasks.append(Task(key, info, None, defaults, "", 0))
            for i, e in enumerate(mine):
                tasks.append(
                    Task(
                        key,
                        info,
                        None if e.file is None else str(e.file),
                        dict(e.options),
                        e.file_as_written or "",
                        i,
                    )
                )
    return tasks


def run_study(
    manifest: Manifest,
    *,
    scheduler: str | None = None,
    progress: Callable[[int], None] | None = None,
    on_tasks: Callable[[int], None] | None = None,
    keep_going: bool = False,
) -> StudyResult:
    """Run every analysis of a manifest.

    Parameters
    ----------
    manifest : Manifest
        A validated manifest (:func:`mofglass.study.manifest.load_manifest`).
    scheduler : str, optional
        Where the per-file work runs (see :func:`mofglass.study.execute.execute`).
    progress : callable, optional
        Called with the number of tasks completed since the last call.
    on_tasks : callable, optional
        Called once with the total number of tasks before work starts.
    keep_going : bool
        A file that cannot be analysed becomes a warning instead of stopping the study.
    """
    from mofglass.study.execute import execute

    tasks = build_tasks(manifest)
    if on_tasks:
        on_tasks(len(tasks))
    t0 = time.perf_counter()
    started = time.strftime("%Y-%m-%d %H:%M:%S %Z")
    outputs = execute(tasks, scheduler=scheduler, progress=progress, keep_going=keep_going)
    samples = tuple(s.info() for s in manifest.samples)
    return StudyResult(
        manifest, samples, tuple(tasks), tuple(outputs), time.perf_counter() - t0, started
    )


def results_csv(rows: Sequence[ResultRow]) -> str:
    """Return the tidy ``results.csv`` text (see :mod:`mofglass.study.tables`)."""
    from mofglass.study.tables import tidy_csv

    return tidy_csv(rows)


def write_outputs(
    results: Sequence[StudyResult],
    out_dir: str | Path | OutputFolder,
    *,
    figures: bool = True,
) -> Path:
    """Write results.json, results.csv, curves/, figures/ and report.html atomically.

    With one study the files go into ``out_dir``; with several, into ``out_dir/<manifest stem>/``.
    Everything is written to a temporary sibling folder, which is renamed into place at the end;
    on failure nothing is left behind. An existing ``out_dir`` is replaced only if it is empty or
    holds exactly the files an earlier mofglass run wrote there (see :mod:`mofglass.outputs`).
    """
    folder = out_dir if isinstance(out_dir, OutputFolder) else OutputFolder(out_dir)
    with folder.writing() as tmp:
        names = _folder_names(results)
        for res, name in zip(results, names, strict=True):
            _write_one(res, tmp if len(results) == 1 else tmp / name, figures=figures)
    return folder.path


def _folder_names(results: Sequence[StudyResult]) -> list[str]:
    names = [r.manifest.path.stem for r in results]
    if len(set(names)) != len(names):
        names = [f"{r.manifest.path.parent.name}-{r.manifest.path.stem}" for r in results]
    if len(set(names)) != len(names):
        names = [f"{i + 1:03d}-{n}" for i, n in enumerate(names)]
    return names


def _write_one(res: StudyResult, folder: Path, *, figures: bool) -> None:
    from mofglass.report.html import render_report

    folder.mkdir(parents=True, exist_ok=True)
    payload = json.dumps(res.to_json_dict(), indent=1, ensure_ascii=False, allow_nan=False)
    (folder / "results.json").write_text(payload + "\n", encoding="utf-8")
    (folder / "results.csv").write_text(results_csv(res.rows), encoding="utf-8")
    from mofglass.study.tables import wide_csv

    (folder / "results_wide.csv").write_text(
        wide_csv([s.id for s in res.samples], res.rows), encoding="utf-8"
    )
    for key, outs in res.outputs_by_technique().items():
        get_technique(key).write_files(outs, folder / "curves")
    figs = _make_figures(res, folder / "figures") if figures else {}
    (folder / "report.html").write_text(render_report(res, figs), encoding="utf-8")


def _make_figures(res: StudyResult, folder: Path) -> dict[str, dict[str, Path]]:
    """Save every technique's figures as PNG and SVG; return PNG paths by technique and name."""
    from mofglass.plotting.style import save_figure

    folder.mkdir(parents=True, exist_ok=True)
    saved: dict[str, dict[str, Path]] = {}
    for key, outs in res.outputs_by_technique().items():
        figs = get_technique(key).figures(outs)
        for name, fig in figs.items():
            png = save_figure(fig, folder / name)["png"]
            saved.setdefault(key, {})[name] = png
    return saved
