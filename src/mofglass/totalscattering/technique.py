"""The ``pdf`` study technique: ``[[samples.pdf]] file = "glass.int01"`` plus options.

Per file: read, reduce to F(Q) and G(r)/D(r) (Keen 2001 conventions), fit the first peaks,
and, when a crystal / glass reference pair is given, fit the crystalline fraction. Figures:
all PDFs stacked by sample, and a heat map of a variable-temperature series when three or
more files carry a temperature (GudrunX names ``..._T.dofr``).

There are no demo inputs: no measured Cd(im)2 total-scattering data exist for the demo and the
simulated Cd(im)2 PDF belongs to the ``simulate`` technique.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from mofglass.results import Measured, ResultRow
from mofglass.study.technique import Task, Technique, TechniqueOutput, register

if TYPE_CHECKING:
    from matplotlib.figure import Figure

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
    x_kind: Literal["auto", "q_invA", "two_theta_deg"] = "auto"
    crystal_reference: str | None = None
    glass_reference: str | None = None
    mixture_r_range_A: tuple[float, float] = (1.0, 20.0)
    compton: bool = Field(True, description="subtract Compton scattering from raw intensities")
    breit_dirac_exponent: float = Field(2.0, ge=0, le=3, description="2 integrating, 3 counting")


def _thin(x: Any, n: int = 2000) -> list[float]:
    a = np.asarray(x, dtype=float)
    step = max(1, int(np.ceil(a.size / n)))
    return [float(v) for v in a[::step]]


def _rel(base: str, name: str) -> str:
    p = Path(name)
    return str(p if p.is_absolute() else Path(base).parent / p)


def _real_space(path: str, opts: PDFOptions, formula: str | None) -> tuple[np.ndarray, np.ndarray]:
    from mofglass.totalscattering.analysis import analyse
    from mofglass.totalscattering.readers import read_total_scattering

    s = analyse(
        read_total_scattering(path),
        qmax_invA=opts.qmax_invA,
        lorch=opts.lorch,
        formula=formula,
        r_max_A=opts.r_max_A,
        compton=opts.compton,
        breit_dirac_exponent=opts.breit_dirac_exponent,
    )
    return s.r_A, s.pdf


@register
class PDFTechnique(Technique):
    key: ClassVar[str] = "pdf"
    title: ClassVar[str] = "Total scattering and PDF"
    Options: ClassVar[type[BaseModel]] = PDFOptions
    order: ClassVar[int] = 35

    def run(self, task: Task) -> TechniqueOutput:
        from mofglass.totalscattering.analysis import analyse
        from mofglass.totalscattering.compare import fit_mixture
        from mofglass.totalscattering.readers import read_total_scattering

        opts = PDFOptions(**dict(task.options))
        if task.path is None:
            raise ValueError("the pdf technique needs a file")
        data = read_total_scattering(task.path)
        if opts.kind != "auto":
            data = data.replace(kind=opts.kind)
        if opts.x_kind != "auto":
            data = data.replace(x_kind=opts.x_kind)
        if opts.wavelength_A is not None:
            data = data.replace(wavelength_A=opts.wavelength_A)
        formula = opts.formula or task.sample.formula
        bg = None
        if opts.background:
            bg = read_total_scattering(_rel(task.path, opts.background))
        summ = analyse(
            data,
            qmax_invA=opts.qmax_invA,
            lorch=opts.lorch,
            formula=formula if data.kind == "intensity" or opts.density_g_cm3 else None,
            density_g_cm3=opts.density_g_cm3,
            background=bg,
            background_scale=opts.background_scale,
            r_max_A=opts.r_max_A,
            compton=opts.compton,
            breit_dirac_exponent=opts.breit_dirac_exponent,
        )
        sid = task.sample.id
        source = task.source or Path(task.path).name
        rows: list[ResultRow] = []
        method = summ.method + (f", Qmax {summ.qmax_invA:.2f} Å⁻¹" if summ.qmax_invA else "")
        for i, p in enumerate(summ.peaks, start=1):
            m = p.position_A
            rows.append(
                ResultRow(sid, f"pdf_peak{i}_r", m.value, m.stderr, "Å", self.key, method, source)
            )
        if summ.number_density_invA3 is not None:
            m = summ.number_density_invA3
            how = "composition and density" if opts.density_g_cm3 else "low-r slope -4πρ0 r"
            rows.append(
                ResultRow(sid, "number_density", m.value, m.stderr, "Å⁻³", self.key, how, source)
            )
        details: dict[str, Any] = {
            "label": f"{sid}: {Path(source).stem}",
            "r_A": _thin(summ.r_A),
            "pdf": _thin(summ.pdf),
            "pdf_kind": summ.pdf_kind,
            "temperature_C": data.metadata.get("temperature_C"),
        }
        if summ.q_invA is not None and summ.fq is not None:
            details["q_invA"] = _thin(summ.q_invA)
            details["fq"] = _thin(summ.fq)
        if opts.crystal_reference and opts.glass_reference:
            rc, yc = _real_space(_rel(task.path, opts.crystal_reference), opts, formula)
            rg, yg = _real_space(_rel(task.path, opts.glass_reference), opts, formula)
            fit = fit_mixture(
                summ.r_A,
                summ.pdf,
                np.interp(summ.r_A, rc, yc),
                np.interp(summ.r_A, rg, yg),
                r_range_A=opts.mixture_r_range_A,
            )
            x: Measured = fit.crystalline_fraction
            rows.append(
                ResultRow(
                    sid,
                    "crystalline_fraction",
                    x.value,
                    x.stderr,
                    "",
                    self.key,
                    f"{fit.method}, Rw {fit.rw:.3f}",
                    source,
                )
            )
            details["mixture"] = fit.to_dict()
        return TechniqueOutput(sid, source, tuple(rows), details)

    def figures(self, outputs: Sequence[TechniqueOutput]) -> dict[str, Figure]:
        from mofglass.plotting.totalscattering import series_heatmap_figure, stacked_figure

        if not outputs:
            return {}
        curves = [dict(o.details) for o in outputs if "r_A" in o.details]
        figs: dict[str, Figure] = {}
        if len(curves) <= 12:
            figs["pdf_stacked"] = stacked_figure(curves, title="Measured total scattering")
        vt = [c for c in curves if c.get("temperature_C") is not None]
        if len(vt) >= 3:
            r = np.asarray(vt[0]["r_A"])
            z = np.array([np.interp(r, c["r_A"], c["pdf"]) for c in vt])
            figs["pdf_vt_series"] = series_heatmap_figure(
                [c["temperature_C"] for c in vt], r, z, kind=str(vt[0]["pdf_kind"])
            )
        return figs


# the ``pdf_fit`` technique lives next door; importing it registers it with the study
from mofglass.totalscattering import fit_technique as _fit_technique  # noqa: E402,F401
