"""The result of a study run (what the pipeline produced, before it is written anywhere).

Kept apart from :mod:`mofglass.study.pipeline` so that the report can import it without the
pipeline (which imports the report): no import cycle.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import mofglass
from mofglass.results import ResultRow, to_jsonable
from mofglass.study.manifest import Manifest
from mofglass.study.provenance import sha256_file, software_versions
from mofglass.study.technique import SampleInfo, Task, TechniqueOutput, registered_techniques

__all__ = ["StudyResult"]


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
        """Every result row of every output, in task order."""
        return [r for o in self.outputs for r in o.rows]

    def outputs_by_technique(self) -> dict[str, list[TechniqueOutput]]:
        """Return the outputs grouped by technique, in the registry's order."""
        by: dict[str, list[TechniqueOutput]] = {}
        for t, o in zip(self.tasks, self.outputs, strict=True):
            by.setdefault(t.technique, []).append(o)
        order = list(registered_techniques())
        return dict(
            sorted(by.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 999)
        )

    def provenance(self) -> dict[str, Any]:
        """Return the manifest, the inputs' SHA-256 and the software versions of the run."""
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
        """Return the content of results.json (no timestamps: same inputs, same bytes)."""
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

    return hashlib.sha256(text.encode("utf-8")).hexdigest()
