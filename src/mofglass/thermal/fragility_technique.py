"""Study technique ``fragility``: Tf (or Tg) against rate from one file per rate.

Manifest: ``fragility = {files = ["dsc/q5.txt", "dsc/q10.txt", "dsc/q20.txt"], use = "fictive"}``
in a sample table (paths relative to the manifest). Each file is read and analysed like a DSC
entry; :func:`mofglass.thermal.fragility_series.fragility_series` gives one point per file with
the rate used for it (measured mean rate through the transition) and the fragility; the figure
is the paper's Figure S50 (log10 q against 1000/Tf with the fit).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from mofglass.results import ResultRow
from mofglass.study.technique import Task, Technique, TechniqueOutput, register
from mofglass.thermal.analysis import analyse_dsc
from mofglass.thermal.fragility_series import FragilitySeries, fragility_series
from mofglass.thermal.readers import read_thermogram
from mofglass.thermal.thermogram import Thermogram

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["FragilityOptions", "FragilityTechnique"]


class FragilityOptions(BaseModel):
    """Options of a ``fragility = {files = [...]}`` entry."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    files: tuple[str, ...] = Field(min_length=2)
    use: Literal["fictive", "tg"] = "fictive"
    exo_up: bool | None = None
    fmt: str = "auto"
    tg_window_C: tuple[float, float] | None = None
    label: str | None = None


@register
class FragilityTechnique(Technique):
    """Kinetic fragility from the rate dependence of Tf or Tg over one file per rate."""

    key: ClassVar[str] = "fragility"
    title: ClassVar[str] = "Fragility (rate series)"
    Options: ClassVar[type[BaseModel]] = FragilityOptions
    order: ClassVar[int] = 32

    def read(self, task: Task, opts: FragilityOptions) -> list[Thermogram]:
        """Read every run of the series."""
        return [read_thermogram(f, opts.fmt, exo_up=opts.exo_up) for f in opts.files]

    def analyse(
        self, data: list[Thermogram], task: Task, opts: FragilityOptions
    ) -> FragilitySeries:
        """Find Tf (or Tg) and the rate of each run, fit the fragility."""
        runs = [(trace, analyse_dsc(trace, tg_window_C=opts.tg_window_C)) for trace in data]
        return fragility_series(runs, use=opts.use)

    def output(
        self, result: FragilitySeries, data: list[Thermogram], task: Task, opts: FragilityOptions
    ) -> TechniqueOutput:
        """Return m and Tg of the fit, then Tf (or Tg) and the rate of each run, as rows."""
        fr, method = result.fragility, result.method
        cells = [
            ("fragility_m", fr.fragility_m, "", method, "series"),
            ("fragility_tg_C", fr.tg_reference_C, "°C", method, "series"),
        ]
        for p in result.points:
            cells.append((f"{p.quantity}_C", p.temperature_C, "°C", method, p.source))
            cells.append(("rate_K_min", p.rate_K_min, "K/min", p.rate_rule, p.source))
        rows = [
            ResultRow(task.sample.id, name, m.value, m.stderr, unit, self.key, how, src)
            for name, m, unit, how, src in cells
        ]
        details: dict[str, Any] = {
            "summary": result.summary(),
            "label": opts.label or f"{len(opts.files)} files",
            "use": opts.use,
        }
        source = ", ".join(Path(f).name for f in opts.files)
        return TechniqueOutput(task.sample.id, source, tuple(rows), details)

    def figures(self, outputs: Sequence[TechniqueOutput]) -> dict[str, Figure]:
        """Return the Tf-vs-rate figure of each series (the paper's Figure S50)."""
        from mofglass.plotting.thermal import fragility_figure

        figs: dict[str, Figure] = {}
        for out in self.analysed(outputs):
            d = out.details
            figs[f"fragility_{out.sample_id}"] = fragility_figure(
                d["summary"], title=f"{out.sample_id}: {d['label']}"
            )
        return figs
