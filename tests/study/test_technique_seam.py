"""The technique seam: ``Technique.run`` is read -> analyse -> ``TechniqueOutput.from_result``.

Plumbing tests (no science): a plug-in that writes only ``read``/``analyse``/``details`` gets the
options validated, its result's rows, dict, curves and warnings, and its extra details.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pytest
from pydantic import BaseModel, ConfigDict, ValidationError

from mofglass.results import Measured, Result
from mofglass.study.technique import SampleInfo, Task, Technique, TechniqueOutput


@dataclass(frozen=True)
class _Mean(Result):
    mean: Measured
    values: np.ndarray
    warnings: tuple[str, ...] = ()
    method: ClassVar[str] = "arithmetic mean"


class _Opts(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    scale: float = 1.0


class _MeanTechnique(Technique):
    key = "mean_test"
    title = "Mean (test)"
    Options = _Opts

    def read(self, task: Task, opts: _Opts) -> np.ndarray:
        return np.loadtxt(task.file, ndmin=1)

    def analyse(self, data: np.ndarray, task: Task, opts: _Opts) -> _Mean:
        v = data * opts.scale
        return _Mean(Measured(float(v.mean()), None, ""), v, ("a note",))

    def details(self, result: _Mean, data: Any, task: Task, opts: _Opts) -> dict[str, Any]:
        return {"n": int(data.size)}


def _task(path: Path, **options: Any) -> Task:
    return Task("mean_test", SampleInfo("s1", "S1", "crystal"), str(path), options, "x.txt")


def test_template_run_reads_analyses_and_outputs_the_result(tmp_path: Path) -> None:
    f = tmp_path / "x.txt"
    f.write_text("1\n2\n6\n")
    out = _MeanTechnique().run(_task(f, scale=2.0))
    expected = TechniqueOutput.from_result(
        _Mean(Measured(6.0, None, ""), np.array([2.0, 4.0, 12.0]), ("a note",)),
        _task(f, scale=2.0),
        details={"n": 3},
        warnings=("a note",),
    )
    assert out == expected
    assert [(r.quantity, r.value, r.source, r.technique) for r in out.rows] == [
        ("mean", 6.0, "x.txt", "mean_test")
    ]
    assert out.details["curves"]["values"] == [2.0, 4.0, 12.0]
    assert out.warnings == ("a note",)


def test_template_run_validates_the_options_first(tmp_path: Path) -> None:
    f = tmp_path / "x.txt"
    f.write_text("1\n")
    with pytest.raises(ValidationError):
        _MeanTechnique().run(_task(f, scael=2.0))


def test_a_technique_without_steps_says_so(tmp_path: Path) -> None:
    class _Bare(Technique):
        key = "bare_test"
        title = "Bare"

    with pytest.raises(NotImplementedError):
        _Bare().run(_task(tmp_path / "x.txt"))


def test_a_failed_task_is_told_apart_and_left_out_of_figures(tmp_path: Path) -> None:
    f = tmp_path / "x.txt"
    f.write_text("1\n2\n")
    ok = _MeanTechnique().run(_task(f))
    bad = TechniqueOutput.failure(_task(tmp_path / "y.txt"), ValueError("y.txt: line 3: junk"))
    assert bad.rows == () and bad.warnings == ("not analysed: y.txt: line 3: junk",)
    assert bad.failed and not ok.failed
    assert Technique.analysed([bad, ok, bad]) == [ok]
