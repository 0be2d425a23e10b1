"""Study technique ``pxrd``: measured powder patterns -> size, amorphous test, crystallinity.

Manifest entries::

    [[samples.pxrd]]
    file = "pxrd/sucrose.fxye"
    radiation = "CuKa12"             # or wavelength_A = 1.5406; only when the file does not say
    two_theta_range = [2.0, 20.0]    # degrees
    instrument = "inst.json"         # or a GSAS .prm/.instprm, or {u=..., v=..., w=..., x=..., y=...}
                                     # default: a .prm/.instprm beside the pattern
    phase = "sucrose.cif"            # start of a Pawley fit; or cell = [a, b, c, al, be, ga]
    space_group = "P 1 21 1"         #   with space_group
    method = "pawley"                # or "lebail"
    impurities = ["CdO.cif"]         # CIFs (relative to the manifest) of phases to look for
    amorphous_component = false      # true: also the crystalline fraction
    k_factor = 1.0                   # integral-breadth Scherrer constant

Rows: ``crystallite_size_nm`` (or ``crystallite_size_lower_bound_nm``), Williamson-Hall size and
microstrain, ``amorphous`` (1 = no Bragg peaks), ``n_bragg_peaks``, ``crystalline_fraction``
(only with ``amorphous_component``); with a start cell also ``cell_a_A`` ... ``cell_gamma_deg``,
``cell_volume_A3``, ``pawley_rwp`` and, with an instrument, ``pawley_size_nm``. A flagged
whole-pattern fit gives no rows, only its warnings. Details: ``result``, the
:class:`~mofglass.diffraction.analysis_result.PatternAnalysis` (``to_dict``; the figures are
drawn from ``PatternAnalysis.from_dict`` of it) and ``curves`` (<= 2000 points a curve).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, field_validator

from mofglass.crystallography.radiation import radiation
from mofglass.diffraction.analysis import PatternAnalysis, analyse_pattern
from mofglass.diffraction.cell import REFERENCE_PHASES, Cell
from mofglass.diffraction.readers import read_pattern
from mofglass.diffraction.setup import (
    InstrumentChoice,
    choose_instrument,
    phase_cell,
    prepare_pattern,
    start_cell,
)
from mofglass.diffraction.size import InstrumentProfile
from mofglass.study.technique import DemoSample, Task, Technique, TechniqueOutput, register

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from mofglass.diffraction.pattern import Pattern

__all__ = ["PxrdOptions", "PxrdTechnique"]


class InstrumentOptions(BaseModel):
    """Instrument profile given in the manifest.

    Instrument profile: Gaussian FWHM² = U tan²θ + V tanθ + W (deg²), Lorentzian FWHM =
    X tanθ + Y / cosθ (deg).
    """

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
    radiation: str | None = None
    two_theta_range: tuple[float, float] | None = None
    instrument: InstrumentOptions | str | None = None
    phase: str | None = None
    cell: list[float] | None = None
    space_group: str | None = None
    method: Literal["pawley", "lebail"] = "pawley"
    amorphous_component: bool = False
    k_factor: float = Field(default=1.0, gt=0)
    shape: Literal["voigt", "pseudo_voigt"] = "voigt"
    ka2: Literal["auto", "model", "strip", "none"] = "auto"
    background: Literal["snip", "arpls", "asls", "modpoly", "imodpoly"] = "snip"
    min_snr: float = Field(default=6.0, gt=0)
    max_peaks: int = Field(default=40, ge=1)
    impurities: list[str] = Field(default_factory=list)
    main_phase_d_A: list[float] | None = None
    pawley_start_cell: CellOptions | None = None

    @field_validator("impurities")
    @classmethod
    def _known(cls, v: list[str]) -> list[str]:
        unknown = [p for p in v if p not in REFERENCE_PHASES and not p.lower().endswith(".cif")]
        if unknown:
            raise ValueError(
                f"impurity phase(s) {unknown}: expected CIF files (or the demo's "
                f"{sorted(REFERENCE_PHASES)})"
            )
        return v

    @field_validator("radiation")
    @classmethod
    def _radiation(cls, v: str | None) -> str | None:
        if v is not None:
            radiation(v)  # ValueError lists the known names
        return v

    @field_validator("two_theta_range")
    @classmethod
    def _ordered(cls, v: tuple[float, float] | None) -> tuple[float, float] | None:
        if v is not None and not v[0] < v[1]:
            raise ValueError("two_theta_range must be [min, max] with min < max")
        return v


def _start_cell(opts: PxrdOptions, base: Path) -> Cell | None:
    if opts.pawley_start_cell is not None:
        return Cell(**opts.pawley_start_cell.model_dump())
    return start_cell(
        phase=None if opts.phase is None else base / opts.phase,
        cell=opts.cell,
        space_group=opts.space_group,
    )


def _instrument(opts: PxrdOptions, task: Task, base: Path) -> InstrumentChoice:
    if isinstance(opts.instrument, InstrumentOptions):
        prof = InstrumentProfile(**opts.instrument.model_dump(), source="manifest")
        return InstrumentChoice(prof, None, "")
    spec = None if opts.instrument is None else str(base / opts.instrument)
    return choose_instrument(spec, task.file)


def _floats(values: Sequence[float | None]) -> np.ndarray:
    """Return JSON curve values as an array (None -> NaN)."""
    return np.asarray([np.nan if v is None else v for v in values], dtype=float)


@register
class PxrdTechnique(Technique):
    """Powder X-ray diffraction of each sample (see module docstring)."""

    key = "pxrd"
    title = "Powder X-ray diffraction"
    Options = PxrdOptions
    order = 30

    def read(self, task: Task, opts: PxrdOptions) -> tuple[Pattern, InstrumentChoice]:
        """Read the pattern (radiation and range as the options say) and its instrument."""
        choice = _instrument(opts, task, task.manifest_dir)
        pattern = prepare_pattern(
            read_pattern(task.file, opts.format),
            radiation=opts.radiation,
            wavelength_A=opts.wavelength_A,
            instrument_radiation=choice.radiation,
            two_theta_range=opts.two_theta_range,
        )
        # name the file as the manifest does (results must not depend on where it lives)
        return pattern.replace(source=task.source or Path(task.file).name), choice

    def analyse(
        self, data: tuple[Pattern, InstrumentChoice], task: Task, opts: PxrdOptions
    ) -> PatternAnalysis:
        """Analyse the pattern (:func:`analyse_pattern`) with the entry's phases and options."""
        base = task.manifest_dir
        pattern, choice = data
        return analyse_pattern(
            pattern,
            instrument=choice.profile,
            k_factor=opts.k_factor,
            shape=opts.shape,
            ka2=opts.ka2,
            background_method=opts.background,
            min_snr=opts.min_snr,
            max_peaks=opts.max_peaks,
            impurities=[
                phase_cell(base / p) if p.lower().endswith(".cif") else p for p in opts.impurities
            ],
            main_phase=opts.main_phase_d_A,
            amorphous_component=opts.amorphous_component,
            phase=_start_cell(opts, base),
            method=opts.method,
        )

    def figures(self, outputs: Sequence[TechniqueOutput]) -> dict[str, Figure]:
        """Make one figure per pattern (peaks), one per whole-pattern fit and an overview.

        Each is drawn from the output's :class:`PatternAnalysis` (``details["result"]``).
        """
        from mofglass.plotting.diffraction import analysis_figures, patterns_overview_figure

        figs: dict[str, Figure] = {}
        overview = []
        for out in self.analysed(outputs):
            res = PatternAnalysis.from_dict(out.details["result"])
            stem = f"pxrd_{out.sample_id}_{Path(out.source).stem or out.sample_id}"
            for suffix, fig in analysis_figures(res, title=out.sample_id).items():
                figs[stem + suffix] = fig
            c = res.curves(2000)
            overview.append((out.sample_id, _floats(c["two_theta_deg"]), _floats(c["intensity"])))
        if len(overview) > 1:
            figs["pxrd_overview"] = patterns_overview_figure(overview)
        return figs

    def demo_inputs(
        self, samples: Sequence[DemoSample], folder: Path, *, seed: int
    ) -> dict[str, list[dict[str, Any]]]:
        """Write the demo's simulated patterns (Cd(im)2 series) and their manifest entries."""
        from mofglass.diffraction.demo_files import write_demo_patterns

        return write_demo_patterns(samples, folder, seed=seed)
