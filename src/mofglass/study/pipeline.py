"""The study pipeline: manifest -> tasks -> outputs -> results table, figures and report.

It only orchestrates: every number comes from a technique's :meth:`~Technique.run`.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import mofglass
from mofglass.errors import MofglassError
from mofglass.results import ResultRow, to_jsonable
from mofglass.study.manifest import Manifest
from mofglass.study.provenance import sha256_file, software_versions
from mofglass.study.technique import (
    SampleInfo,
    Task,
    TechniqueOutput,
    get_technique,
    registered_techniques,
)

__all__ = ["StudyResult", "build_tasks", "run_study", "write_outputs"]

OUTPUT_MARKER = ".mofglass-output"


@dataclass(frozen=True)
class StudyResult:
    """Everything a study run produced, before it is written anywhere."""

    manifest: Manifest
    samples: tuple[SampleInfo, ...]
    tasks: tuple[Task, ...]
    outputs: tuple[TechniqueOutput, ...]
    elapsed_s: float = 0.0
    run_started: str = ""
    meta: Mapping[str, Any] = field(default_factory=dict)

    @property
    def rows(self) -> list[ResultRow]:
        return [r for o in self.outputs for r in o.rows]

    def outputs_by_technique(self) -> dict[str, list[TechniqueOutput]]:
        by: dict[str, list[TechniqueOutput]] = {}
        for t, o in zip(self.tasks, self.outputs, strict=True):
            by.setdefault(t.technique, []).append(o)
        order = list(registered_techniques())
        return dict(
            sorted(by.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 999)
        )

    def provenance(self) -> dict[str, Any]:
        m = self.manifest
        inputs = {}
        for t in self.tasks:
            if t.path is not None and t.source not in inputs:
                inputs[t.source] = {
                    "sha256": sha256_file(t.path),
                    "bytes": Path(t.path).stat().st_size,
                }
        return {
            "mofglass_version": mofglass.__version__,
            "software": software_versions(),
            "manifest": {
                "file": m.path.name,
                "sha256": _sha256_text(m.text),
                "content": to_jsonable(m.data),
            },
            "inputs": dict(sorted(inputs.items())),
            "parameters": [
                {
                    "sample_id": t.sample.id,
                    "technique": t.technique,
                    "file": t.source,
                    "options": to_jsonable(t.options),
                }
                for t in self.tasks
            ],
        }

    def to_json_dict(self) -> dict[str, Any]:
        """The content of results.json: no timestamps, so identical inputs give identical bytes."""
        return {
            "study": to_jsonable(self.manifest.study.model_dump()),
            "samples": [to_jsonable(s) for s in self.samples],
            "results": [r.to_dict() for r in self.rows],
            "details": [
                {
                    "sample_id": o.sample_id,
                    "technique": t.technique,
                    "source": o.source,
                    "warnings": list(o.warnings),
                    "details": to_jsonable(o.details),
                }
                for t, o in zip(self.tasks, self.outputs, strict=True)
            ],
            "provenance": self.provenance(),
        }


def _sha256_text(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode("utf-8")).hexdigest()


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
    """The tidy ``results.csv`` (see :mod:`mofglass.study.tables`)."""
    from mofglass.study.tables import tidy_csv

    return tidy_csv(rows)


def write_outputs(
    results: Sequence[StudyResult], out_dir: str | Path, *, figures: bool = True
) -> Path:
    """Write results.json, results.csv, figures/ and report.html atomically.

    With one study the files go into ``out_dir``; with several, into ``out_dir/<manifest stem>/``.
    Everything is written to a temporary sibling folder, which is renamed into place at the end;
    on failure nothing is left behind. An existing ``out_dir`` is replaced only if it is empty or
    an earlier mofglass output.
    """
    out = Path(out_dir).resolve()
    if out.exists() and not _replaceable(out):
        raise MofglassError(
            f"{out} exists and is not a mofglass output folder; choose another --out"
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    try:
        names = _folder_names(results)
        for res, name in zip(results, names, strict=True):
            _write_one(res, tmp if len(results) == 1 else tmp / name, figures=figures)
        (tmp / OUTPUT_MARKER).write_text(f"mofglass {mofglass.__version__}\n", encoding="utf-8")
        if out.exists():
            old = out.with_name(f".{out.name}.old-{time.time_ns()}")
            out.rename(old)
            tmp.rename(out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out


def _replaceable(out: Path) -> bool:
    return out.is_dir() and (not any(out.iterdir()) or (out / OUTPUT_MARKER).is_file())


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
