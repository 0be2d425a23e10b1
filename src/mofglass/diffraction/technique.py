"""Study technique ``pxrd``: measured powder patterns -> size, amorphous test, crystallinity.

Manifest entries::

    [[samples.pxrd]]
    file = "pxrd/cdim2.xye"
    wavelength_A = 1.5406            # only when the file does not say
    two_theta_range = [5.0, 50.0]    # degrees
    instrument = {u = 0.004, v = -0.002, w = 0.0025, x = 0.0, y = 0.02}   # Caglioti + Lorentz
    k_factor = 1.0                   # integral-breadth Scherrer constant
    impurities = ["Cd", "CdO"]
    pawley_start_cell = {a = 8.95, b = 8.95, c = 19.54, spacegroup = "I 41/a"}   # optional

Rows: ``crystallite_size_nm`` (or ``crystallite_size_lower_bound_nm``), Williamson-Hall size and
microstrain, ``amorphous`` (1 = no Bragg peaks), ``n_bragg_peaks``, ``crystalline_fraction``;
with ``pawley_start_cell`` also ``cell_a_A``, ``cell_b_A``, ``cell_c_A``, ``cell_volume_A3``.
Details: the peak list, curves for the figure (<= 2000 points), impurity matches.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, field_validator

from mofglass.diffraction.analysis import analyze_pattern, downsample
from mofglass.diffraction.cell import REFERENCE_PHASES, Cell
from mofglass.diffraction.pattern import Pattern, Wavelength
from mofglass.diffraction.pawley import pawley_refine
from mofglass.diffraction.readers import read_pattern
from mofglass.diffraction.size import InstrumentProfile
from mofglass.errors import AnalysisError
from mofglass.results import ResultRow
from mofglass.study.technique import DemoSample, Task, Technique, TechniqueOutput, register

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["PxrdOptions", "PxrdTechnique"]


class InstrumentOptions(BaseModel):
    """Instrument profile: Gaussian FWHM² = U tan²θ + V tanθ + W (deg²), Lorentzian FWHM =
    X tanθ + Y / cosθ (deg)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    u: float = 0.0
    v: float = 0.0
    w: float = 0.0
    x: float = 0.0
    y: float = 0.0


class CellOptions(BaseModel):
    """Starting cell (Å, degrees) and space group for a Pawley refinement."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    a: float = Field(gt=0)
    b: float = Field(gt=0)
    c: float = Field(gt=0)
    alpha: float = 90.0
    beta: float = 90.0
    gamma: float = 90.0
    spacegroup: str = "P 1"


class PxrdOptions(BaseModel):
    """Options of one ``[[samples.pxrd]]`` entry."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    format: str = "auto"
    wavelength_A: float | None = Field(default=None, gt=0)
    radiation: Literal["CuKa1", "CuKa12"] | None = None
    two_theta_range: tuple[float, float] | None = None
    instrument: InstrumentOptions | None = None
    k_factor: float = Field(default=1.0, gt=0)
    shape: Literal["voigt", "pseudo_voigt"] = "voigt"
    ka2: Literal["auto", "model", "strip", "none"] = "auto"
    background: Literal["snip", "arpls", "asls", "modpoly", "imodpoly"] = "snip"
    min_snr: float = Field(default=6.0, gt=0)
    max_peaks: int = Field(default=40, ge=1)
    impurities: list[str] = Field(default_factory=lambda: ["Cd", "CdO"])
    main_phase_d_A: list[float] | None = None
    pawley_start_cell: CellOptions | None = None

    @field_validator("impurities")
    @classmethod
    def _known(cls, v: list[str]) -> list[str]:
        unknown = [p for p in v if p not in REFERENCE_PHASES]
        if unknown:
            raise ValueError(
                f"unknown impurity phase(s) {unknown}; known: {sorted(REFERENCE_PHASES)}"
            )
        return v

    @field_validator("two_theta_range")
    @classmethod
    def _ordered(cls, v: tuple[float, float] | None) -> tuple[float, float] | None:
        if v is not None and not v[0] < v[1]:
            raise ValueError("two_theta_range must be [min, max] with min < max")
        return v


def _prepare(pattern: Pattern, opts: PxrdOptions) -> Pattern:
    if opts.radiation is not None:
        pattern = pattern.with_wavelength(Wavelength.copper(ka2=opts.radiation == "CuKa12"))
    if opts.wavelength_A is not None:
        pattern = pattern.with_wavelength(opts.wavelength_A)
    if opts.two_theta_range is not None:
        pattern = pattern.crop(*opts.two_theta_range)
    return pattern


def _jsonable(a: np.ndarray) -> list[float | None]:
    return [None if not np.isfinite(v) else round(float(v), 4) for v in a]


@register
class PxrdTechnique(Technique):
    """Powder X-ray diffraction of each sample (see module docstring)."""

    key = "pxrd"
    title = "Powder X-ray diffraction"
    Options = PxrdOptions
    order = 30

    def run(self, task: Task) -> TechniqueOutput:
        assert task.path is not None
        opts = PxrdOptions(**task.options)
        pattern = _prepare(read_pattern(task.path, opts.format), opts)
        # name the file as the manifest does (results must not depend on where it lives)
        pattern = pattern.replace(source=task.source or Path(task.path).name)
        inst = None
        if opts.instrument is not None:
            inst = InstrumentProfile(**opts.instrument.model_dump(), source="manifest")
        res = analyze_pattern(
            pattern,
            instrument=inst,
            k_factor=opts.k_factor,
            shape=opts.shape,
            ka2=opts.ka2,
            background_method=opts.background,
            min_snr=opts.min_snr,
            max_peaks=opts.max_peaks,
            impurities=opts.impurities,
            main_phase=opts.main_phase_d_A,
        )
        rows = res.rows(sample_id=task.sample.id, technique=self.key, source=task.source)
        warnings = list(res.warnings)
        pawley_details = None
        if opts.pawley_start_cell is not None and not res.amorphous:
            if inst is None:
                warnings.append("Pawley refinement skipped: it needs an instrument profile")
            else:
                start = Cell(**opts.pawley_start_cell.model_dump())
                size0 = 100.0
                if res.scherrer is not None and res.scherrer.crystallite_size_nm is not None:
                    size0 = res.scherrer.crystallite_size_nm.value
                try:
                    pw = pawley_refine(res.pattern, start, instrument=inst, size_nm=size0)
                except AnalysisError as exc:
                    warnings.append(f"Pawley refinement failed: {exc}")
                else:
                    for name in ("a_A", "b_A", "c_A", "volume_A3"):
                        m = getattr(pw, name)
                        rows.append(
                            ResultRow(
                                task.sample.id,
                                f"cell_{name}",
                                m.value,
                                m.stderr,
                                m.unit,
                                self.key,
                                pw.method,
                                task.source,
                            )
                        )
                    pawley_details = {
                        "cell": pw.cell.__dict__,
                        "rwp": pw.rwp,
                        "redchi": pw.redchi,
                        "n_reflections": pw.n_reflections,
                        "zero_shift_deg": pw.zero_shift_deg.to_dict(),
                        "size_nm": None if pw.size_nm is None else pw.size_nm.to_dict(),
                        "converged": pw.converged,
                    }
        x = res.pattern.two_theta_deg
        model = np.full(x.shape, np.nan)
        if res.peak_fit is not None:
            idx = np.searchsorted(x, res.peak_fit.two_theta_deg)
            model[idx] = res.peak_fit.model
        keep = downsample(x.size)
        impurity_tt = [row[5] for m in res.impurities if m.present for row in m.matched]
        details: dict[str, Any] = {
            "summary": res.summary(),
            "wavelength_A": res.pattern.wavelength_A,
            "peaks": res.peak_table(),
            "impurities": [m.to_dict() for m in res.impurities],
            "background": res.background.to_dict(),
            "crystallinity_background": None
            if res.crystallinity is None
            else res.crystallinity.background_method,
            "k_factor": opts.k_factor,
            "pawley": pawley_details,
            "williamson_hall": None
            if res.williamson_hall is None
            else res.williamson_hall.to_dict(),
            "curves": {
                "two_theta_deg": _jsonable(x[keep]),
                "intensity": _jsonable(res.pattern.intensity[keep]),
                "background": _jsonable(res.background.intensity[keep]),
                "model": _jsonable(model[keep]),
                "impurity_two_theta_deg": impurity_tt,
            },
        }
        return TechniqueOutput(
            sample_id=task.sample.id,
            source=task.source,
            rows=tuple(rows),
            details=details,
            warnings=tuple(warnings),
        )

    def figures(self, outputs: Sequence[TechniqueOutput]) -> dict[str, Figure]:
        from mofglass.plotting.diffraction import pattern_fit_figure, patterns_overview_figure

        figs: dict[str, Figure] = {}
        overview = []
        for out in outputs:
            c = out.details.get("curves")
            if not c:
                continue
            x = np.asarray(c["two_theta_deg"], dtype=float)
            y = np.asarray(c["intensity"], dtype=float)
            bg = np.asarray([np.nan if v is None else v for v in c["background"]], dtype=float)
            mod = np.asarray([np.nan if v is None else v for v in c["model"]], dtype=float)
            peaks = [p["two_theta_deg"]["value"] for p in out.details.get("peaks", [])]
            stem = Path(out.source).stem or out.sample_id
            figs[f"pxrd_{out.sample_id}_{stem}"] = pattern_fit_figure(
                x,
                y,
                background=bg,
                model=mod,
                peak_positions_deg=peaks,
                impurity_positions_deg=c.get("impurity_two_theta_deg", []),
                title=out.sample_id,
                wavelength_A=out.details.get("wavelength_A"),
            )
            overview.append((out.sample_id, x, y))
        if len(overview) > 1:
            figs["pxrd_overview"] = patterns_overview_figure(overview)
        return figs

    def demo_inputs(
        self, samples: Sequence[DemoSample], folder: Path, *, seed: int
    ) -> dict[str, list[dict[str, Any]]]:
        from mofglass.diffraction.demo_files import write_demo_patterns

        return write_demo_patterns(samples, folder, seed=seed)
