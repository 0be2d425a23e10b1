"""Study technique ``tem``: lattice fringes of HR-TEM images, indexed against a phase.

Manifest entries::

    [[samples.tem]]
    file = "tem/prccdim2_hrtem.tif"   # .dm3/.dm4/.emi/.ser/.emd/.tif with calibration
    pixel_size_A = 0.35               # only if the file has no calibration
    roi = [0, 0, 512, 512]            # x0, y0, width, height (px)
    phase = "cdim2.cif"               # CIF, relative to the image's folder
    domain_map = true                 # local-FFT crystalline-domain map

Rows: ``fringe_d1_A``, ``fringe_d2_A`` (Å), ``fringe_angle_deg`` (°) of the basis spots and, with a
domain map, ``crystalline_fraction``. The report lists the indexing (zone axis, (hkl), mismatch).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from mofglass.microscopy.lattice import NOMINAL_CALIBRATION_REL_ERR
from mofglass.study.technique import DemoSample, Task, Technique, TechniqueOutput, register

if TYPE_CHECKING:
    import numpy as np
    from matplotlib.figure import Figure

    from mofglass.microscopy.analysis import MicrographAnalysis
    from mofglass.microscopy.micrograph import Micrograph

#: What the ``tem`` technique reads: the image, the phase's lattice (Å) and space group.
_Inputs = tuple["Micrograph", "np.ndarray | None", "str | None"]

__all__ = ["TemOptions", "TemTechnique"]


class TemOptions(BaseModel):
    """Options of one ``[[samples.tem]]`` entry."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    pixel_size_A: float | None = Field(default=None, gt=0)
    roi: tuple[int, int, int, int] | None = None
    phase: str | None = None
    domain_map: bool = False
    tile_px: int | None = Field(default=None, ge=16)
    threshold: float = Field(default=5.0, gt=0)
    d_min_A: float = Field(default=1.0, gt=0)
    d_max_A: float = Field(default=30.0, gt=0)
    calibration_rel_err: float = Field(default=NOMINAL_CALIBRATION_REL_ERR, ge=0, lt=0.5)
    d_tol: float = Field(default=0.05, gt=0, lt=0.5)
    angle_tol_deg: float = Field(default=3.0, gt=0, le=30)


@register
class TemTechnique(Technique):
    """HR-TEM lattice fringes: FFT spots, spacings, angles, indexing, filtered image."""

    key = "tem"
    title = "HR-TEM lattice fringes"
    order = 72
    Options = TemOptions

    def read(self, task: Task, opts: TemOptions) -> _Inputs:
        """Read the image and, when a phase is named, its CIF's lattice and space group."""
        from mofglass.microscopy.readers import read_micrograph

        mg = read_micrograph(task.file, pixel_size_A=opts.pixel_size_A)
        if not opts.phase:
            return mg, None, None
        from mofglass.structure.cif import read_structure

        cif = Path(opts.phase)
        if not cif.is_absolute():
            cif = Path(task.file).parent / cif
        crystal = read_structure(cif)
        return mg, crystal.lattice_A, crystal.spacegroup

    def analyse(self, data: _Inputs, task: Task, opts: TemOptions) -> MicrographAnalysis:
        """Find the fringes' FFT spots, measure them and index them against the phase."""
        from mofglass.microscopy.analysis import analyse_micrograph

        mg, lattice_A, sg = data
        return analyse_micrograph(
            mg,
            roi=opts.roi,
            lattice_A=lattice_A,
            spacegroup=sg,
            phase=opts.phase or "",
            domain_map=opts.domain_map,
            tile_px=opts.tile_px,
            threshold=opts.threshold,
            d_min_A=opts.d_min_A,
            d_max_A=opts.d_max_A,
            calibration_rel_err=opts.calibration_rel_err,
            d_tol=opts.d_tol,
            angle_tol_deg=opts.angle_tol_deg,
        )

    def details(
        self, result: MicrographAnalysis, data: _Inputs, task: Task, opts: TemOptions
    ) -> dict[str, Any]:
        """Return the sample's phase and whether the image was simulated (for the report)."""
        return {"phase": task.sample.phase, "simulated": task.sample.simulated or data[0].simulated}

    def figures(self, outputs: Sequence[TechniqueOutput]) -> dict[str, Figure]:
        """Draw each image with its power spectrum, spots and filtered image."""
        from mofglass.microscopy.analysis import MicrographAnalysis
        from mofglass.plotting.microscopy import analysis_figure

        figs: dict[str, Figure] = {}
        for out in self.analysed(outputs):
            res = MicrographAnalysis.from_dict(out.details["result"])
            if res.view is None:
                continue
            stem = "tem_" + "".join(
                c if c.isalnum() or c in "-_" else "_"
                for c in f"{out.sample_id}_{Path(out.source).stem}"
            )
            figs[stem] = analysis_figure(res, title=f"{out.sample_id}: {out.source}")
        return figs

    def report_html(self, outputs: Sequence[TechniqueOutput]) -> str:
        """List the indexing of every image: zone axis, (hkl) and mismatch."""
        from mofglass.microscopy.analysis import MicrographAnalysis

        parts = []
        for o in self.analysed(outputs):
            text = MicrographAnalysis.from_dict(o.details["result"]).report()
            parts.append(f"<h4>{html.escape(o.sample_id)}</h4><pre>{html.escape(text)}</pre>")
        return "".join(parts)

    def demo_inputs(
        self, samples: Sequence[DemoSample], folder: Path, *, seed: int
    ) -> dict[str, list[dict[str, Any]]]:
        """Write the demo micrographs (see :func:`mofglass.microscopy.demo.write_demo_micrographs`)."""
        from mofglass.microscopy.demo import write_demo_micrographs

        return write_demo_micrographs(samples, folder, seed=seed)
