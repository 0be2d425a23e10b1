"""Study techniques ``dsc`` and ``tga``: per-file analysis, figures and the demo's simulated runs.

``run`` reads one export, analyses it (:func:`mofglass.thermal.analysis.analyse_dsc` /
:func:`~mofglass.thermal.analysis.analyse_tga`) and returns rows with unit-suffixed names plus
downsampled curves for the figures. ``demo_inputs`` simulates the paper's Cd(im)2 runs with the
package's own forward model (:mod:`mofglass.thermal.synthetic`) and writes NETZSCH- and TA-style
exports.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from mofglass.composition import Composition
from mofglass.study.technique import DemoSample, Task, Technique, TechniqueOutput, register
from mofglass.thermal import demo as _demo
from mofglass.thermal.analysis import (
    DSCAnalysis,
    TGAAnalysis,
    analyse_dsc,
    analyse_tga,
    calibration_option,
)
from mofglass.thermal.labels import LABELS, NamedWindow
from mofglass.thermal.quantities import dsc_details, tga_details
from mofglass.thermal.readers import read_thermogram
from mofglass.thermal.thermogram import Thermogram
from mofglass.units import parse_quantity

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["DSCOptions", "DSCTechnique", "TGAOptions", "TGATechnique"]


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


class _ThermalTechnique(Technique):
    """The seam both thermal techniques share: read one export; outputs named by the file name."""

    def read(self, task: Task, opts: DSCOptions | TGAOptions) -> Thermogram:
        """Read the export (mass given in the options wins over the file's)."""
        return read_thermogram(
            task.file,
            opts.fmt,
            sample_mass_mg=_mass_mg(opts.mass),
            exo_up=getattr(opts, "exo_up", None),
        )

    def output(
        self, result: DSCAnalysis | TGAAnalysis, data: Thermogram, task: Task, opts: Any
    ) -> TechniqueOutput:
        """:meth:`Technique.output` with rows and output named by the file's name."""
        return super().output(result, data, replace(task, source=Path(task.file).name), opts)


@register
class DSCTechnique(_ThermalTechnique):
    """Differential scanning calorimetry: events, enthalpies, Tg, ΔCp, Tf, fragility."""

    key: ClassVar[str] = "dsc"
    title: ClassVar[str] = "Differential scanning calorimetry"
    Options: ClassVar[type[BaseModel]] = DSCOptions
    order: ClassVar[int] = 30

    def analyse(self, data: Thermogram, task: Task, opts: DSCOptions) -> DSCAnalysis:
        """Analyse every segment: events, enthalpies, Tg, ΔCp, Tf."""
        trace = data
        return analyse_dsc(
            trace,
            molar_mass_g_mol=_molar_mass(task),
            tg_window_C=opts.tg_window_C,
            named_events=tuple(NamedWindow(e.window_C, e.label) for e in opts.events),
            sample_phase=task.sample.phase,
            decomposition_C=opts.decomposition_C,
            calibration=calibration_option(trace, opts.calibration_K, opts.calibration_percent),
        )

    def details(
        self, result: DSCAnalysis, data: Thermogram, task: Task, opts: DSCOptions
    ) -> dict[str, Any]:
        """Return the headline, curves and labels the DSC figures and series read."""
        label = opts.label or Path(task.file).name
        return dsc_details(data, result, formula=task.sample.formula, label=label)

    def figures(self, outputs: Sequence[TechniqueOutput]) -> dict[str, Figure]:
        """Return one thermogram figure per run and the Tm/ΔHm/Tg-against-x series figure."""
        from mofglass.plotting.thermal import series_figure, thermogram_figure

        figs: dict[str, Figure] = {}
        series: dict[str, dict[str, Any]] = {}
        for out in self.analysed(outputs):
            d = out.details
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
        """Write the demo DSC runs (simulated, NETZSCH- and TA-style exports)."""
        return _demo.write_dsc_demo(samples, folder, seed=seed)


@register
class TGATechnique(_ThermalTechnique):
    """Thermogravimetry (with DTA when present): decomposition onset, steps, DTA peaks."""

    key: ClassVar[str] = "tga"
    title: ClassVar[str] = "Thermogravimetry / DTA"
    Options: ClassVar[type[BaseModel]] = TGAOptions
    order: ClassVar[int] = 31

    def analyse(self, data: Thermogram, task: Task, opts: TGAOptions) -> TGAAnalysis:
        """Find the decomposition onset, the mass-loss steps and the DTA peaks."""
        return analyse_tga(data, threshold_percent=opts.threshold_percent)

    def details(
        self, result: TGAAnalysis, data: Thermogram, task: Task, opts: TGAOptions
    ) -> dict[str, Any]:
        """Return the TG/DTG (and DTA) curves and summary the TGA figure reads."""
        return tga_details(data, result, label=opts.label or Path(task.file).name)

    def figures(self, outputs: Sequence[TechniqueOutput]) -> dict[str, Figure]:
        """Return one TG/DTG (and DTA) figure per run."""
        from mofglass.plotting.thermal import tga_figure

        figs: dict[str, Figure] = {}
        for out in self.analysed(outputs):
            d = out.details
            dta = d.get("dta")
            figs[f"tga_{out.sample_id}_{Path(out.source).stem}"] = tga_figure(
                d["temperature_C"],
                d["mass_percent"],
                dtg_percent_K=d["dtg_percent_K"],
                onset_C=(d["summary"]["decomposition_onset_C"] or {}).get("value"),
                dta=dta,
                dta_exo_up=d.get("dta_exo_up"),
                dta_unit=d.get("dta_unit") or "µV",
                title=f"{out.sample_id}: {d['label']}",
            )
        return figs

    def demo_inputs(
        self, samples: Sequence[DemoSample], folder: Path, *, seed: int
    ) -> dict[str, list[dict[str, Any]]]:
        """Write the demo TG/DTA runs (simulated, NETZSCH-style exports)."""
        return _demo.write_tga_demo(samples, folder, seed=seed)


# the rate-series technique registers itself on import (technique discovery imports this module)
from mofglass.thermal import fragility_technique as _fragility_technique  # noqa: E402,F401
