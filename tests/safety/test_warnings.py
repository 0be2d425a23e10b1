"""A DataWarning raised anywhere in a technique reaches results.json and the CLI."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

from typer.testing import CliRunner

from mofglass.cli import app
from mofglass.errors import DataWarning
from mofglass.study.technique import Task, TechniqueOutput
from tests.study.technique_for_tests import LineCount
from tests.study.test_pipeline import _write_study


class _Warns(LineCount):
    def run(self, task: Task) -> TechniqueOutput:
        out = super().run(task)
        if out.rows[0].value > 1:
            warnings.warn(f"{task.source}: suspicious line count", DataWarning, stacklevel=2)
        return out


def test_data_warning_is_recorded_with_its_output(tmp_path: Path, monkeypatch):
    import mofglass.study.technique as tech

    manifest = _write_study(tmp_path / "in", 2)  # s000 has 1 line, s001 has 2
    monkeypatch.setitem(tech._REGISTRY, "linecount", _Warns())
    r = CliRunner().invoke(app, ["run", str(manifest), "--out", str(tmp_path / "o")])
    assert r.exit_code == 0, r.output
    doc = json.loads((tmp_path / "o" / "results.json").read_text())
    by = {d["sample_id"]: d["warnings"] for d in doc["details"]}
    assert by == {"s000": [], "s001": ["data/s001.txt: suspicious line count"]}
    assert "suspicious line count" in r.output  # the summary shows it too
