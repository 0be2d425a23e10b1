"""A tiny technique used by the study tests: counts the numeric lines of a file.

Truth: the number of lines and their sum are known for the files the tests write.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from mofglass.errors import InputFormatError
from mofglass.results import ResultRow
from mofglass.study.fields import quantity
from mofglass.study.technique import Task, Technique, TechniqueOutput, get_technique, register


class LineCountOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    mass_mg: quantity("mass", "mg") = Field(default=1.0, alias="mass")  # type: ignore[valid-type]


class LineCount(Technique):
    key = "linecount"
    title = "Line count (test technique)"
    Options = LineCountOptions

    def run(self, task: Task) -> TechniqueOutput:
        assert task.path is not None
        values = []
        for i, line in enumerate(Path(task.path).read_text().splitlines(), start=1):
            try:
                values.append(float(line))
            except ValueError:
                raise InputFormatError(task.source, line=i, expected="a number", got=line) from None
        rows = (
            ResultRow(
                task.sample.id,
                "n_lines",
                float(len(values)),
                None,
                "",
                self.key,
                "count",
                task.source,
            ),
            ResultRow(
                task.sample.id,
                "sum_per_mg",
                sum(values) / task.options["mass_mg"],
                0.1,
                "1/mg",
                self.key,
                "sum",
                task.source,
            ),
        )
        return TechniqueOutput(task.sample.id, task.source, rows, {"values": values})

    def figures(self, outputs: Sequence[TechniqueOutput]) -> dict:
        from matplotlib.figure import Figure

        fig = Figure(figsize=(3, 2))
        ax = fig.add_subplot()
        ax.plot([r.value for o in outputs for r in o.rows if r.quantity == "n_lines"], "o")
        return {"linecount_overview": fig}


def register_line_count() -> None:
    try:
        get_technique("linecount")
    except KeyError:
        register(LineCount)
