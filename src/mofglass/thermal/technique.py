"""Study techniques ``dsc`` and ``tga``: per-file analysis, figures and the demo's simulated runs.

``run`` reads one export, analyses it (:func:`mofglass.thermal.analysis.analyse_dsc` /
:func:`~mofglass.thermal.analysis.analyse_tga`) and returns rows with unit-suffixed names plus
downsampled curves for the figures. ``demo_inputs`` simulates the paper's Cd(im)2 runs with the
package's own forward model (:mod:`mofglass.thermal.synthetic`) and writes NETZSCH- and TA-style
exports.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from mofglass.composition import Composition
from mofglass.results import Measured, ResultRow
from mofglass.study.technique import DemoSample, Task, Technique, TechniqueOutput, register
from mofglass.thermal import demo as _demo
from mofglass.thermal.analysis import (
    analyse_dsc,
    analyse_tga,
    calibration_option,
    dsc_summary,
    tga_curves,
    tga_summary,
)
from mofglass.thermal.labels import LABELS, NamedWindow
from mofglass.thermal.quantities import colinker_fraction, dsc_quantities
from mofglass.thermal.readers import read_thermogram
from mofglass.units import parse_quantity

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["DSCOptions", "DSCTechnique", "TGAOptions", "TGATechnique"]

_MAX_POINTS = 1500


class NamedEvent(BaseModel):
    """A user's name for the event whose peak lies in ``window_C`` (wins over the evidence)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    window_C: tuple[float, float]
    label: Literal[LABELS]  # type: ignore[valid-type]


class DSCOptions(BaseModel):
    """Options of a ``[[samples.dsc]]`` entry."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    mass: str | None = None
    exo_up: bool | None = None
    fmt: str = "auto"
    tg_window_C: tuple[float, float] | None = None
    label: str | None = None
    events: tuple[NamedEvent, ...] = ()
    decomposition_C: float | None = None
    calibration_K: float | None = Field(default=None, ge=0, le=50)
    calibration_percent: float | None = Field(default=None, ge=0, le=50)


class TGAOptions(BaseModel):
    """Options of a ``[[samples.tga]]`` entry."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    mass: str | None = None
    fmt: str = "auto"
    threshold_percent: float = 5.0
    label: str | None = None


def _mass_mg(text: str | None) -> float | None:
    return (
        None if text is None else parse_quantity(text, dimension="mass", default_unit="mg").to("mg")
    )


def _molar_mass(task: Task) -> float | None:
    if task.sample.molar_mass_g_mol:
        return task.sample.molar_mass_g_mol
    if task.sample.formula:
        return Composition.from_formula(task.sample.formula).molar_mass_g_mol
    return None


def _row(task: Task, name: str, m: Measured, method: str, source: str) -> ResultRow:
    return ResultRow(
        task.sample.id, name, m.value, m.stderr, m.unit, task.technique, method, source
    )


def _down(*arrays: np.ndarray) -> list[list[float]]:
    n = len(arrays[0])
    step = max(1, int(np.ceil(n / _MAX_POINTS)))
    return [np.round(np.asarray(a)[::step], 5).tolist() for a in arrays]


@register
class DSCTechnique(Technique):
    """Differential scanning calorimetry: events, enthalpies, Tg, ΔCp, Tf, fragility."""

    key: ClassVar[str] = "dsc"
    title: ClassVar[str] = "Differential scanning calorimetry"
    Options: ClassVar[type[BaseModel]] = DSCOptions
    order: ClassVar[int] = 30

    def run(self, task: Task) -> TechniqueOutput:
        opts = DSCOptions(**task.options)
        assert task.path is not None
        trace = read_thermogram(
            task.path, opts.fmt, sample_mass_mg=_mass_mg(opts.mass), exo_up=opts.exo_up
        )
        M = _molar_mass(task)
        res = analyse_dsc(
            trace,
            molar_mass_g_mol=M,
            tg_window_C=opts.tg_window_C,
            named_events=tuple(NamedWindow(e.window_C, e.label) for e in opts.events),
            sample_phase=task.sample.phase,
            decomposition_C=opts.decomposition_C,
            calibration=calibration_option(trace, opts.calibration_K, opts.calibration_percent),
        )
        source = Path(task.path).name
        head, per_segment = dsc_quantities(trace, res)
        rows = [_row(task, k, m, meth, source) for k, m, meth in (*head, *per_segment)]
        summary = dsc_summary(res)
        y_all = trace.endo_positive()
        curves = []
        for s, summ in zip(res.segments, summary["segments"], strict=True):
            sl = s.segment.slice()
            T, y = _down(trace.temperature_C[sl], y_all[sl])
            # the rate in the legend is the one in the table: the segment's measured mean
            curve: dict[str, Any] = {
                "label": f"{s.index}: {s.segment.kind} {s.segment.mean_rate.value:+.1f} K/min",
                "kind": s.segment.kind,
                "temperature_C": T,
                "heat_flow_W_g": y,
                "events": summ["events"],
            }
            if "tg_mid_C" in summ:
                curve["tg_mid_C"] = summ["tg_mid_C"]
            curves.append(curve)
        details = {
            "summary": summary,
            "curves": curves,
            "x_bim": colinker_fraction(task.sample.formula),
            "label": opts.label or source,
            "headline": {k: m.to_dict() for k, m, _ in head},
        }
        return TechniqueOutput(task.sample.id, source, tuple(rows), details, tuple(res.warnings))

    def figures(self, outputs: Sequence[TechniqueOutput]) -> dict[str, Figure]:
        from mofglass.plotting.thermal import series_figure, thermogram_figure

        figs: dict[str, Figure] = {}
        series: dict[str, dict[str, Any]] = {}
        for out in outputs:
            d = out.details
            if "curves" not in d:  # a failed task kept by --keep-going: nothing to draw
                continue
            stem = f"dsc_{out.sample_id}_{Path(out.source).stem}"
            figs[stem] = thermogram_figure(
                d["curves"], exo_up=True, title=f"{out.sample_id}: {d['label']}"
            )
            x = d.get("x_bim")
            h = d.get("headline", {})
            if x is not None and "melting_offset_C" in h:
                p = series.setdefault(out.sample_id, {"x": x})
                for key, name in (
                    ("tm_C", "melting_offset_C"),
                    ("dhm_kJ_mol", "melting_enthalpy_kJ_mol"),
                    ("tg_C", "tg_mid_C"),
                ):
                    if name in h and key not in p:
                        p[key] = h[name]["value"]
                        p[f"{key}_stderr"] = h[name].get("stderr")
        if len({p["x"] for p in series.values()}) >= 2:
            figs["dsc_series_x"] = series_figure(
                list(series.values()), title="Tm, ΔHm, Tg against x"
            )
        return figs

    def demo_inputs(
        self, samples: Sequence[DemoSample], folder: Path, *, seed: int
    ) -> dict[str, list[dict[str, Any]]]:
        return _demo.write_dsc_demo(samples, folder, seed=seed)


@register
class TGATechnique(Technique):
    """Thermogravimetry (with DTA when present): decomposition onset, steps, DTA peaks."""

    key: ClassVar[str] = "tga"
    title: ClassVar[str] = "Thermogravimetry / DTA"
    Options: ClassVar[type[BaseModel]] = TGAOptions
    order: ClassVar[int] = 31

    def run(self, task: Task) -> TechniqueOutput:
        opts = TGAOptions(**task.options)
        assert task.path is not None
        trace = read_thermogram(task.path, opts.fmt, sample_mass_mg=_mass_mg(opts.mass))
        res = analyse_tga(trace, threshold_percent=opts.threshold_percent)
        source = Path(task.path).name
        o = res.onset
        rows = [
            _row(task, "decomposition_onset_C", o.decomposition_onset_C, o.method, source),
            _row(
                task, f"t{o.threshold_percent:g}_percent_C", o.threshold_onset_C, o.method, source
            ),
            _row(task, "dtg_peak_C", o.dtg_peak_C, o.method, source),
        ]
        for k, s in enumerate(res.steps, 1):
            rows.append(
                _row(task, f"step{k}_mass_loss_percent", s.mass_loss_percent, s.method, source)
            )
            rows.append(_row(task, f"step{k}_dtg_peak_C", s.dtg_peak_C, s.method, source))
        for k, e in enumerate(res.dta_events, 1):
            rows.append(
                _row(task, f"dta{k}_{e.kind}_peak_C", e.peak_C, "DTA peak (tangent onset)", source)
            )
            rows.append(
                _row(
                    task, f"dta{k}_{e.kind}_onset_C", e.onset_C, "DTA peak (tangent onset)", source
                )
            )
        c = tga_curves(trace)
        cols = [c["temperature_C"], c["mass_percent"], c["dtg_percent_K"]]
        down = _down(*cols, *([c["dta"]] if "dta" in c else []))
        details: dict[str, Any] = {
            "summary": tga_summary(res),
            "temperature_C": down[0],
            "mass_percent": down[1],
            "dtg_percent_K": down[2],
            "dta": down[3] if trace.dta is not None else None,
            "dta_unit": trace.dta_unit,
            "dta_exo_up": trace.exo_up,
            "label": opts.label or source,
        }
        return TechniqueOutput(task.sample.id, source, tuple(rows), details, tuple(res.warnings))

    def figures(self, outputs: Sequence[TechniqueOutput]) -> dict[str, Figure]:
        from mofglass.plotting.thermal import tga_figure

        figs: dict[str, Figure] = {}
        for out in outputs:
            d = out.details
            if "temperature_C" not in d:  # a failed task kept by --keep-going
                continue
            dta = d.get("dta")
            figs[f"tga_{out.sample_id}_{Path(out.source).stem}"] = tga_figure(
                d["temperature_C"],
                d["mass_percent"],
                dtg_percent_K=d["dtg_percent_K"],
                onset_C=d["summary"]["decomposition_onset_C"]["value"],
                dta=dta,
                dta_exo_up=d.get("dta_exo_up"),
                dta_unit=d.get("dta_unit") or "µV",
                title=f"{out.sample_id}: {d['label']}",
            )
        return figs

    def demo_inputs(
        self, samples: Sequence[DemoSample], folder: Path, *, seed: int
    ) -> dict[str, list[dict[str, Any]]]:
        return _demo.write_tga_demo(samples, folder, seed=seed)


# the rate-series technique registers itself on import (technique discovery imports this module)
from mofglass.thermal import fragility_technique as _fragility_technique  # noqa: E402,F401
