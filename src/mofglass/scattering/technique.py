"""The ``simulate`` study technique: ``[[samples.simulate]] file = "x.cif"``.

Computes, from a sample's structure or atom model, the powder pattern (strongest reflection and
the full reflection list) and the X-ray PDF with its intra- / inter-network split, so that the
report shows what the instruments should see next to what they saw.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from mofglass.results import Measured, ResultRow, thin
from mofglass.study.technique import Task, Technique, TechniqueOutput, register

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from mofglass.scattering.pdf import PDFResult
    from mofglass.scattering.xrd import PowderPattern
    from mofglass.structure import Crystal

__all__ = ["SimulateOptions", "SimulateTechnique"]


class SimulateOptions(BaseModel):
    """Options of one ``[[samples.simulate]]`` entry."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    wavelength_A: float = Field(1.540593, gt=0, description="X-ray wavelength, Å")
    two_theta_max_deg: float = Field(60.0, gt=0, lt=180)
    crystallite_size_nm: float | None = Field(None, gt=0)
    r_max_A: float = Field(20.0, gt=0, le=100)
    q_max_invA: float | None = Field(None, gt=0)
    q_damp_invA: float = Field(0.0, ge=0)
    uiso_A2: float | None = Field(None, ge=0, description="override every Uiso, Å²")


@register
class SimulateTechnique(Technique):
    """Simulated powder patterns and PDFs of structure files (manifest technique ``simulate``)."""

    key: ClassVar[str] = "simulate"
    title: ClassVar[str] = "Simulated powder pattern and PDF"
    Options: ClassVar[type[BaseModel]] = SimulateOptions
    order: ClassVar[int] = 15

    def read(self, task: Task, opts: SimulateOptions) -> Crystal:
        """Read the structure or atom model (every Uiso set to ``uiso_A2`` when given)."""
        from mofglass.scattering.models_io import read_model

        model = read_model(task.file)
        return model if opts.uiso_A2 is None else model.with_uiso(opts.uiso_A2)

    def analyse(
        self, data: Crystal, task: Task, opts: SimulateOptions
    ) -> tuple[PowderPattern, PDFResult] | None:
        """Simulate the powder pattern and the X-ray PDF of a periodic model (None otherwise)."""
        from mofglass.scattering.cli import _labels
        from mofglass.scattering.pdf import crystal_pdf
        from mofglass.scattering.xrd import powder_pattern

        if data.lattice_A is None:
            return None
        pat = powder_pattern(
            data,
            radiation=opts.wavelength_A,
            two_theta_range_deg=(2.0, opts.two_theta_max_deg),
            crystallite_size_nm=opts.crystallite_size_nm,
        )
        pdf = crystal_pdf(
            data,
            r_max_A=opts.r_max_A,
            qmax_invA=opts.q_max_invA,
            q_damp_invA=opts.q_damp_invA,
            labels=_labels(data),
        )
        return pat, pdf

    def output(
        self,
        result: tuple[PowderPattern, PDFResult] | None,
        data: Crystal,
        task: Task,
        opts: SimulateOptions,
    ) -> TechniqueOutput:
        """Return the strongest reflection and the number density as rows, curves as details."""
        from mofglass.scattering.peaks import label_peaks

        source = Path(task.file).name
        sid = task.sample.id
        rows: list[ResultRow] = []
        details: dict[str, Any] = {}
        if result is None:
            return TechniqueOutput(sid, source, (), details)
        pat, res = result
        refl = pat.reflections
        k = int(np.argmax(refl.intensity))
        method = (
            f"powder pattern, λ = {opts.wavelength_A} Å, hkl {tuple(int(v) for v in refl.hkl[k])}"
        )
        for name, m in (
            ("strongest_reflection_two_theta_deg", Measured(refl.two_theta_deg[k], None, "°")),
            ("strongest_reflection_d_A", Measured(refl.d_A[k], None, "Å")),
        ):
            rows.append(ResultRow(sid, name, m.value, m.stderr, m.unit, self.key, method, source))
        details["pattern"] = {
            "two_theta_deg": thin(pat.two_theta_deg, decimals=None),
            "intensity": thin(pat.intensity / (pat.intensity.max() or 1) * 100, decimals=None),
            "ticks_deg": thin(refl.two_theta_deg, 400, decimals=None),
        }
        rows.append(
            ResultRow(
                sid,
                "number_density_invA3",
                res.number_density_invA3,
                None,
                "Å⁻³",
                self.key,
                "atoms per cell volume",
                source,
            )
        )
        details["pdf"] = {
            "r_A": thin(res.r_A, decimals=None),
            "G": thin(res.G, decimals=None),
            "kinds": {k: thin(v, decimals=None) for k, v in res.kind_partials.items()},
            "peaks": [p.to_dict() for p in label_peaks(res)],
        }
        return TechniqueOutput(sid, source, tuple(rows), details)

    def figures(self, outputs: Sequence[TechniqueOutput]) -> dict[str, Figure]:
        """Draw the simulated patterns and PDFs of all samples together."""
        from mofglass.plotting.scattering import curves_pattern_figure, curves_pdf_figure

        figs: dict[str, Figure] = {}
        for out in outputs:
            stem = Path(out.source).stem
            if "pattern" in out.details:
                figs[f"simulate_{out.sample_id}_{stem}_xrd"] = curves_pattern_figure(
                    out.details["pattern"], title=f"{out.sample_id}: simulated pattern"
                )
            if "pdf" in out.details:
                figs[f"simulate_{out.sample_id}_{stem}_pdf"] = curves_pdf_figure(
                    out.details["pdf"], title=f"{out.sample_id}: simulated PDF"
                )
        return figs
