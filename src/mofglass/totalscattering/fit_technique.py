"""The ``pdf_fit`` study technique: small-box refinement of structure models against a G(r).

Manifest entry::

    [[samples.pdf_fit]]
    file = "ni.gr"
    phases = ["ni.cif"]
    shape = "none"            # or "sphere" / "spheroid"
    fit_range_A = [1.5, 30.0]
    start = {qdamp = 0.04}    # starting values by parameter name
    refine = ["scale", "lattice", "Uiso", "Uaniso", "delta2", "qdamp"]

A CIF with ``_atom_site_aniso_U_ij`` gives anisotropic sites whose free components
(``U11_Cd1``, ``U33_Cd1``, ...; the site symmetry ties the others) form the group ``Uaniso``.

Rows: each well-determined refined parameter (``pdf_fit.a``, ``pdf_fit.Uiso_Ni``,
``pdf_fit.diameter_A``, ...) and Rw; parameters at a bound, undetermined or from a failed fit
are kept out of the rows and named in the details.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from mofglass.study.technique import Task, Technique, TechniqueOutput, register

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from mofglass.structure.crystal import Crystal
    from mofglass.totalscattering.data import TotalScatteringData
    from mofglass.totalscattering.refine import PDFFitResult

__all__ = ["PDFFitOptions", "PDFFitTechnique"]


class PDFFitOptions(BaseModel):
    """Options of one ``[[samples.pdf_fit]]`` entry (paths relative to the manifest)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    phases: tuple[str, ...] = Field(..., min_length=1, description="structure models (CIF)")
    shape: Literal["none", "sphere", "spheroid"] = "none"
    probe: Literal["xray", "neutron"] = "xray"
    qmax_invA: float | None = Field(None, gt=0, le=100)
    fit_range_A: tuple[float, float] = (1.5, 30.0)
    refine: tuple[str, ...] | None = None
    start: dict[str, float] = Field(default_factory=dict)
    constraints: dict[str, str] = Field(default_factory=dict)


@register
class PDFFitTechnique(Technique):
    """Refine structure models against a measured G(r) (``[[samples.pdf_fit]]``)."""

    key: ClassVar[str] = "pdf_fit"
    title: ClassVar[str] = "PDF refinement (small box)"
    Options: ClassVar[type[BaseModel]] = PDFFitOptions
    order: ClassVar[int] = 36

    def read(self, task: Task, opts: PDFFitOptions) -> tuple[TotalScatteringData, list[Crystal]]:
        """Read the G(r) and the phases (relative to the G(r)'s folder)."""
        from mofglass.totalscattering.adp import load_phase
        from mofglass.totalscattering.readers import read_total_scattering

        base = Path(task.file).parent
        crystals = [load_phase(p if Path(p).is_absolute() else base / p) for p in opts.phases]
        return read_total_scattering(task.file), crystals

    def analyse(
        self,
        data: tuple[TotalScatteringData, list[Crystal]],
        task: Task,
        opts: PDFFitOptions,
    ) -> PDFFitResult:
        """Refine the phases against the G(r) (default groups: scale to delta2, qdamp, size)."""
        from mofglass.totalscattering.refine import refine_pdf

        refine = opts.refine or (
            ("scale", "lattice", "Uiso", "Uaniso", "delta2")
            + (() if "qdamp" in opts.start else ("qdamp",))
            + (("diameter",) if opts.shape != "none" else ())
        )
        gr, crystals = data
        return refine_pdf(
            gr,
            crystals,
            probe=opts.probe,
            qmax_invA=opts.qmax_invA,
            fit_range_A=opts.fit_range_A,
            refine=refine,
            start=opts.start,
            constraints=opts.constraints,
            shape=opts.shape,
        )

    def output(
        self, result: PDFFitResult, data: object, task: Task, opts: PDFFitOptions
    ) -> TechniqueOutput:
        """Return the well-determined parameters and Rw as rows; the fit and curves as details."""
        from mofglass.totalscattering.refine import result_summary

        res = result
        source = task.source or Path(task.file).name
        rows = tuple(res.rows(sample_id=task.sample.id, technique=self.key, source=source))
        curves = {k: [float(v) for v in np.asarray(c)] for k, c in res.curves().items()}
        details = {
            "label": f"{task.sample.id}: {Path(source).stem}",
            "fit": result_summary(res),
            "curves": {**curves, "rw": res.rw},
        }
        return TechniqueOutput(task.sample.id, source, rows, details)

    def figures(self, outputs: Sequence[TechniqueOutput]) -> dict[str, Figure]:
        """One observed / calculated / difference figure per refinement."""
        from mofglass.plotting.totalscattering import fit_figure

        figs: dict[str, Figure] = {}
        for k, o in enumerate(outputs):
            if "curves" in o.details:
                figs[f"pdf_fit_{k + 1}"] = fit_figure(o.details["curves"], title=o.details["label"])
        return figs
