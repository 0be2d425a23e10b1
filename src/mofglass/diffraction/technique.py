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
whole-pattern fit gives no rows, only its warnings. Details: the peak list, curves for the
figure (<= 2000 points), impurity matches, the whole-pattern fit.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, field_validator

from mofglass.crystallography.radiation import radiation
from mofglass.diffraction.analysis import analyze_pattern, downsample
from mofglass.diffraction.cell import REFERENCE_PHASES, Cell
from mofglass.diffraction.pawley import PawleyResult, pawley_refine
from mofglass.diffraction.readers import read_pattern
from mofglass.diffraction.setup import (
    InstrumentChoice,
    choose_instrument,
    phase_cell,
    prepare_pattern,
    start_cell,
)
from mofglass.diffraction.size import InstrumentProfile
from mofglass.errors import AnalysisError
from mofglass.results import Measured, ResultRow
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


def _manifest_dir(task: Task) -> Path:
    return task.manifest_dir


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
    return choose_instrument(spec, task.path)


def _fit_curves(pw: PawleyResult, label: str) -> dict[str, Any]:
    keep = downsample(pw.two_theta_deg.size, 4000)
    return {
        "two_theta_deg": _jsonable(pw.two_theta_deg[keep]),
        "observed": _jsonable(pw.observed[keep]),
        "calculated": _jsonable(pw.calculated[keep]),
        "background": _jsonable(pw.background[keep]),
        "ticks": {label: _jsonable(pw.tick_two_theta_deg)},
        "rwp": pw.rwp,
    }


def _fit_rows(pw: PawleyResult, task: Task, key: str) -> list[ResultRow]:
    names = ["a_A", "b_A", "c_A", "alpha_deg", "beta_deg", "gamma_deg", "volume_A3"]
    items = [(f"cell_{n}", getattr(pw, n)) for n in names]
    items.append(("pawley_rwp", Measured(pw.rwp, None, "")))
    if pw.size_nm is not None:
        items.append(("pawley_size_nm", pw.size_nm))
    elif pw.size_lower_bound_nm is not None:
        items.append(("pawley_size_lower_bound_nm", pw.size_lower_bound_nm))
    return [
        ResultRow(task.sample.id, n, m.value, m.stderr, m.unit, key, pw.method, task.source)
        for n, m in items
    ]


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
        base = _manifest_dir(task)
        choice = _instrument(opts, task, base)
        inst = choice.profile
        pattern = prepare_pattern(
            read_pattern(task.path, opts.format),
            radiation=opts.radiation,
            wavelength_A=opts.wavelength_A,
            instrument_wavelength=choice.wavelength,
            two_theta_range=opts.two_theta_range,
        )
        # name the file as the manifest does (results must not depend on where it lives)
        pattern = pattern.replace(source=task.source or Path(task.path).name)
        impurities: list[str | Cell] = [
            phase_cell(base / p) if p.lower().endswith(".cif") else p for p in opts.impurities
        ]
        res = analyze_pattern(
            pattern,
            instrument=inst,
            k_factor=opts.k_factor,
            shape=opts.shape,
            ka2=opts.ka2,
            background_method=opts.background,
            min_snr=opts.min_snr,
            max_peaks=opts.max_peaks,
            impurities=impurities,
            main_phase=opts.main_phase_d_A,
            amorphous_component=opts.amorphous_component,
        )
        rows = res.rows(sample_id=task.sample.id, technique=self.key, source=task.source)
        warnings = list(res.warnings)
        pawley_details = None
        start = _start_cell(opts, base)
        if start is not None and not res.amorphous:
            try:
                pw = pawley_refine(res.pattern, start, method=opts.method, instrument=inst)
            except AnalysisError as exc:
                warnings.append(f"whole-pattern fit failed: {exc}")
            else:
                if pw.ok:
                    rows += _fit_rows(pw, task, self.key)
                else:
                    warnings += [f"whole-pattern fit flagged (no cell rows): {f}" for f in pw.flags]
                pawley_details = {
                    "cell": pw.cell.__dict__,
                    "rwp": pw.rwp,
                    "gof": pw.gof,
                    "redchi": pw.reduced_chi_square,
                    "n_reflections": pw.n_reflections,
                    "zero_shift_deg": pw.zero_shift_deg.to_dict(),
                    "size_nm": None if pw.size_nm is None else pw.size_nm.to_dict(),
                    "converged": pw.converged,
                    "flags": list(pw.flags),
                    "report": pw.report(),
                    "curves": _fit_curves(pw, start.name or "phase"),
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
        from mofglass.plotting.diffraction import (
            pattern_fit_figure,
            patterns_overview_figure,
            whole_pattern_figure,
        )

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
            fit = (out.details.get("pawley") or {}).get("curves")
            if fit:

                def arr(key: str, c: dict[str, Any] = fit) -> np.ndarray:
                    return np.asarray([np.nan if v is None else v for v in c[key]], dtype=float)

                figs[f"pxrd_{out.sample_id}_{stem}_wholepattern"] = whole_pattern_figure(
                    arr("two_theta_deg"),
                    arr("observed"),
                    arr("calculated"),
                    background=arr("background"),
                    ticks=[(k, np.asarray(v, dtype=float)) for k, v in fit["ticks"].items()],
                    rwp=fit["rwp"],
                    title=out.sample_id,
                    wavelength_A=out.details.get("wavelength_A"),
                )
        if len(overview) > 1:
            figs["pxrd_overview"] = patterns_overview_figure(overview)
        return figs

    def demo_inputs(
        self, samples: Sequence[DemoSample], folder: Path, *, seed: int
    ) -> dict[str, list[dict[str, Any]]]:
        from mofglass.diffraction.demo_files import write_demo_patterns

        return write_demo_patterns(samples, folder, seed=seed)
