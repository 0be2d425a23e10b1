"""The ``pdf`` study technique: ``[[samples.pdf]] file = "glass.int01"`` plus options.

Per file: read -> :func:`mofglass.totalscattering.sample.analyse_sample` (reduce to F(Q) and
G(r)/D(r) with Keen 2001 conventions, fit the first peaks; with a crystal / glass reference
pair, the crystalline fraction; with a structure model ``phase``, its partials and the
features below 8 Å labelled by their dominant pairs) -> :meth:`TechniqueOutput.from_result`.
Figures: all PDFs stacked by sample, a heat map of a variable-temperature series when three
or more files carry a temperature (GudrunX names ``..._T.dofr``), and the paper's Figure 4
view (crystal, glass-ceramic and glass side by side, model partials under them) for the
files analysed with a model. The study also writes every reduced curve as .gr/.fq/.sq
(PDFgetX3 headers) and CSV (:meth:`PDFTechnique.write_files`).

The demo's inputs (simulated S(Q) of the built Cd(im)2 model, its glass-ceramic and glass)
come from :mod:`mofglass.demo.total_scattering`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from mofglass.study.technique import Task, Technique, TechniqueOutput, register

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from mofglass.structure.crystal import Crystal
    from mofglass.totalscattering.data import TotalScatteringData
    from mofglass.totalscattering.sample import PDFSampleResult

__all__ = ["PDFOptions", "PDFTechnique"]


class PDFOptions(BaseModel):
    """Options of one ``[[samples.pdf]]`` entry (paths relative to the manifest)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["auto", "intensity", "S", "i", "F", "G", "D"] = "auto"
    qmax_invA: float | None = Field(None, gt=0)
    lorch: bool = True
    formula: str | None = Field(None, description="default: the sample's formula")
    density_g_cm3: float | None = Field(None, gt=0)
    background: str | None = None
    background_scale: float = Field(1.0, ge=0)
    r_max_A: float = Field(30.0, gt=0, le=200)
    wavelength_A: float | None = Field(None, gt=0, description="for 2θ data (e.g. Fit2D .chi)")
    x_kind: Literal["auto", "q_invA", "q_invnm", "two_theta_deg"] = Field(
        "auto", description="x of .xy/.chi files without a column header (auto: header, else range)"
    )
    crystal_reference: str | None = None
    glass_reference: str | None = None
    mixture_r_range_A: tuple[float, float] = (1.0, 20.0)
    compton: bool = Field(True, description="subtract Compton scattering from raw intensities")
    breit_dirac_exponent: float = Field(2.0, ge=0, le=3, description="2 integrating, 3 counting")
    phase: str | None = Field(
        None, description="structure model (CIF) whose partials label the features below 8 Å"
    )
    probe: Literal["xray", "neutron"] = "xray"


def _rel(base: str, name: str) -> str:
    p = Path(name)
    return str(p if p.is_absolute() else Path(base).parent / p)


#: Order of the Figure 4 panels: crystal, glass-ceramic, glass, then anything else.
_PHASE_ORDER = {"crystal": 0, "glass-ceramic": 1, "glass": 2}


@register
class PDFTechnique(Technique):
    """Reduce a total-scattering file; fit its crystalline fraction; label it by a model."""

    key: ClassVar[str] = "pdf"
    title: ClassVar[str] = "Total scattering and PDF"
    Options: ClassVar[type[BaseModel]] = PDFOptions
    order: ClassVar[int] = 35

    def read(self, task: Task, opts: PDFOptions) -> _Inputs:
        """Read the file (with the options' overrides), references, background, model."""
        return _read_inputs(task.file, opts)

    def analyse(self, data: _Inputs, task: Task, opts: PDFOptions) -> PDFSampleResult:
        """Reduce, fit the first peaks, the crystalline fraction and the model's labels."""
        from mofglass.totalscattering.sample import analyse_sample

        sample, refs, model = data
        return analyse_sample(
            sample,
            crystal_reference=refs.get("crystal"),
            glass_reference=refs.get("glass"),
            mixture_r_range_A=opts.mixture_r_range_A,
            model=model,
            probe=opts.probe,
            qmax_invA=opts.qmax_invA,
            lorch=opts.lorch,
            formula=opts.formula or task.sample.formula,
            density_g_cm3=opts.density_g_cm3,
            background=refs.get("background"),
            background_scale=opts.background_scale,
            r_max_A=opts.r_max_A,
            compton=opts.compton,
            breit_dirac_exponent=opts.breit_dirac_exponent,
        )

    def details(
        self, result: PDFSampleResult, data: _Inputs, task: Task, opts: PDFOptions
    ) -> dict[str, Any]:
        """Return the label, phase, kind and temperature the figures group the curves by."""
        source = task.source or Path(task.file).name
        return {
            "label": f"{task.sample.id}: {Path(source).stem}",
            "phase": task.sample.phase,
            "pdf_kind": result.summary.pdf_kind,
            "temperature_C": result.temperature_C,
        }

    def figures(self, outputs: Sequence[TechniqueOutput]) -> dict[str, Figure]:
        """All PDFs stacked, a VT heat map (≥ 3 temperatures), the Figure 4 view with a model."""
        from mofglass.plotting.totalscattering import series_heatmap_figure, stacked_figure

        curves = [_curve(o) for o in outputs if "curves" in o.details]
        figs: dict[str, Figure] = {}
        if not curves:
            return figs
        if len(curves) <= 12:
            figs["pdf_stacked"] = stacked_figure(curves, title="Measured total scattering")
        vt = [c for c in curves if c.get("temperature_C") is not None]
        if len(vt) >= 3:
            r = np.asarray(vt[0]["r_A"])
            z = np.array([np.interp(r, c["r_A"], c["pdf"]) for c in vt])
            figs["pdf_vt_series"] = series_heatmap_figure(
                [c["temperature_C"] for c in vt], r, z, kind=str(vt[0]["pdf_kind"])
            )
        panels = _feature_panels(outputs)
        if panels:
            from mofglass.plotting.totalscattering import features_figure

            figs["pdf_features"] = features_figure(panels)
        return figs

    def write_files(self, outputs: Sequence[TechniqueOutput], folder: Path) -> list[Path]:
        """Each reduced curve as .gr/.fq/.sq (PDFgetX3 headers) and CSV into ``folder``."""
        from mofglass.totalscattering.outputs import write_reduction
        from mofglass.totalscattering.sample import PDFSampleResult

        written: list[Path] = []
        for o in self.analysed(outputs):
            res = PDFSampleResult.from_dict(o.details["result"])
            meta: dict[str, Any] = {"source": o.source}
            if res.temperature_C is not None:
                meta["temperature_C"] = res.temperature_C
            stem = f"{o.sample_id}_{Path(o.source).stem}"
            written += write_reduction(res.summary, folder, stem, metadata=meta, figure=False)
        return written


#: What the ``pdf`` technique reads: the sample, its references by role, the structure model.
_Inputs = tuple["TotalScatteringData", dict[str, "TotalScatteringData"], "Crystal | None"]


def _read_inputs(path: str, opts: PDFOptions) -> _Inputs:
    """Read the sample file (with the options' overrides), references, background, model."""
    from mofglass.totalscattering.readers import read_total_scattering

    axis: dict[str, Any] = {"x_kind": None if opts.x_kind == "auto" else opts.x_kind}
    if Path(path).suffix.lower() in (".xy", ".chi"):  # readers that take the unit
        axis["wavelength_A"] = opts.wavelength_A
        data = read_total_scattering(path, **axis)
    else:
        data = read_total_scattering(path)
    if opts.kind != "auto":
        data = data.replace(kind=opts.kind)
    if axis["x_kind"] in ("q_invA", "two_theta_deg"):
        data = data.replace(x_kind=axis["x_kind"])
    if opts.wavelength_A is not None:
        data = data.replace(wavelength_A=opts.wavelength_A)
    refs = {}
    for key, name in (
        ("background", opts.background),
        ("crystal", opts.crystal_reference if opts.glass_reference else None),
        ("glass", opts.glass_reference if opts.crystal_reference else None),
    ):
        if name:
            refs[key] = read_total_scattering(_rel(path, name))
    model = None
    if opts.phase:
        from mofglass.structure import read_structure

        model = read_structure(_rel(path, opts.phase))
    return data, refs, model


def _curve(o: TechniqueOutput) -> dict[str, Any]:
    """Make the stacked-figure curve of one output (label, kind, temperature, curves)."""
    c = dict(o.details["curves"])
    c.update(
        label=o.details.get("label", o.sample_id),
        pdf_kind=o.details.get("pdf_kind", "G"),
        temperature_C=o.details.get("temperature_C"),
    )
    return c


def _feature_panels(outputs: Sequence[TechniqueOutput]) -> list[dict[str, Any]]:
    """Figure 4 panels (crystal, glass-ceramic, glass) of the outputs analysed with a model."""
    from mofglass.totalscattering.sample import PDFSampleResult

    panels = []
    for o in outputs:
        res = o.details.get("result", {})
        if not res.get("model"):
            continue
        r = PDFSampleResult.from_dict(res)
        assert r.model is not None
        s = r.summary
        panels.append(
            {
                "label": f"{o.details.get('phase') or 'sample'}: {o.details.get('label', '')}",
                "phase": o.details.get("phase", ""),
                "r_A": s.r_A,
                "pdf": s.pdf,
                "pdf_kind": s.pdf_kind,
                "model_r_A": r.model.r_A,
                "partials": r.model.pairs,
                "network": r.model.network,
                "features": [{**f.to_dict(), "label": f.label} for f in r.features],
            }
        )
    panels.sort(key=lambda p: _PHASE_ORDER.get(str(p["phase"]), 9))
    return panels


# the ``pdf_fit`` technique lives next door; importing it registers it with the study
from mofglass.totalscattering import fit_technique as _fit_technique  # noqa: E402,F401
