"""Study technique ``nanoindentation``: Er, H and E of a sample from its indentation files.

Manifest entry (one per file; a file may hold many indents)::

    [[samples.nanoindentation]]
    file = "nanoindentation/prccdim2_indents.zip"
    poisson_ratio = 0.2                 # optional: adds E rows
    depth_window_nm = [200.0, 2000.0]   # optional
    area_coefficients = [24.5]          # optional: C0, C1, ... (default: the file's, else 24.5)
    # further options: mode ("auto" | "oliver-pharr" | "csm"), epsilon (0.75), beta (1.0),
    # fit_window ([0.5, 1.0] of Pmax), frame_compliance_nm_mN, drift_rate_nm_s,
    # all_cycles (every cycle of a load-partial-unload test as one depth point),
    # calibration_file = "fs.xls" (indents on fused silica, relative to the manifest: the
    # area function is fitted on them first) with reference_er_GPa (69.6)

Rows: ``reduced_modulus_GPa``, ``hardness_GPa``, ``hardness_MPa`` (mean ± standard deviation
over indents, as the paper reports them), ``n_indents``, and with a Poisson's ratio
``youngs_modulus_GPa`` (full relation, diamond indenter) and
``youngs_modulus_rigid_indenter_GPa`` (the paper's E = (1 - ν²)·Er).
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from mofglass.mechanics.analysis import IndentationAnalysis, analyse_indentations
from mofglass.mechanics.readers import format_hysitron_txt, read_indentations
from mofglass.mechanics.synthetic import max_load_for_depth_mN, synthetic_indentation
from mofglass.study.technique import DemoSample, Task, Technique, TechniqueOutput, register

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from mofglass.mechanics.data import Indentation

__all__ = ["NanoindentationOptions", "NanoindentationTechnique"]

DEMO_INDENTS = 8
DEMO_DEPTHS_NM = (200.0, 2000.0)  # the paper's plotted depth range
_MAX_POINTS = 2000


class NanoindentationOptions(BaseModel):
    """Per-file options of the ``nanoindentation`` technique."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    poisson_ratio: float | None = Field(default=None, gt=-1.0, le=0.5)
    depth_window_nm: tuple[float, float] | None = None
    area_coefficients: list[float] | None = None
    mode: Literal["auto", "oliver-pharr", "csm"] = "auto"
    epsilon: float = Field(default=0.75, gt=0, le=1)
    beta: float = Field(default=1.0, gt=0.5, le=1.5)
    fit_window: tuple[float, float] = (0.5, 1.0)
    frame_compliance_nm_mN: float | None = Field(default=None, ge=0)
    drift_rate_nm_s: float = 0.0
    all_cycles: bool = False
    calibration_file: str | None = None
    reference_er_GPa: float = Field(default=69.6, gt=0, le=2000)

    @model_validator(mode="after")
    def _one_area_source(self) -> NanoindentationOptions:
        if self.calibration_file is not None and self.area_coefficients:
            raise ValueError("give either area_coefficients or calibration_file, not both")
        return self

    def analysis_options(self) -> dict[str, Any]:
        """Return the options :func:`analyse_indentations` takes (the calibration is done first)."""
        return self.model_dump(exclude={"calibration_file", "reference_er_GPa"})


@register
class NanoindentationTechnique(Technique):
    """Oliver-Pharr / CSM nanoindentation: Er, H and E with mean ± SD over indents."""

    key = "nanoindentation"
    title = "Nanoindentation"
    Options = NanoindentationOptions
    order = 70

    def read(self, task: Task, opts: NanoindentationOptions) -> list[Indentation]:
        """Read the file's indents."""
        return read_indentations(task.file)

    def analyse(
        self, data: list[Indentation], task: Task, opts: NanoindentationOptions
    ) -> IndentationAnalysis:
        """Calibrate the tip on the reference file if one is given, then analyse the indents."""
        kw = opts.analysis_options()
        if opts.calibration_file is not None:
            kw["area_coefficients"] = _calibrated_area(task, opts)
        return analyse_indentations(data, **kw)

    def figures(self, outputs: Sequence[TechniqueOutput]) -> dict[str, Figure]:
        """Draw load-displacement curves per file and Er, H against depth per sample."""
        from mofglass.plotting.mechanics import load_displacement, modulus_hardness_vs_depth

        figs: dict[str, Figure] = {}
        series: dict[str, dict[str, Any]] = {}
        for o in self.analysed(outputs):
            curves = IndentationAnalysis.from_dict(o.details["result"]).curves(_MAX_POINTS)
            stem = Path(o.source).name.split(".")[0] or "indents"
            if not stem.startswith(o.sample_id):
                stem = f"{o.sample_id}_{stem}"
            figs[f"indentation_{stem}"] = load_displacement(
                curves["indents"], title=f"{o.sample_id}: {o.source}"
            )
            if "profile" in curves:
                series[o.sample_id] = curves["profile"]
            elif "points" in curves:
                s = series.setdefault(
                    o.sample_id, {"depth_nm": [], "reduced_modulus_GPa": [], "hardness_GPa": []}
                )
                for key, values in curves["points"].items():
                    s[key].extend(values)
        if series:
            figs["indentation_modulus_hardness_vs_depth"] = modulus_hardness_vs_depth(series)
        return figs

    def report_html(self, outputs: Sequence[TechniqueOutput]) -> str:
        """Per-indent table (contact depth, Er, H) and the analysis settings of every file."""
        return "\n".join(
            f"<h4>{escape(o.sample_id)}: {escape(o.source)}</h4>"
            + IndentationAnalysis.from_dict(o.details["result"])._repr_html_()
            for o in self.analysed(outputs)
        )

    def demo_inputs(
        self, samples: Sequence[DemoSample], folder: Path, *, seed: int
    ) -> dict[str, list[dict[str, Any]]]:
        """Simulate Hysitron-text indents, zipped per sample, from the paper's Er and H.

        For each sample with indentation values (its ``reduced_modulus_GPa``, ... parameters,
        the paper's values in :mod:`mofglass.demo.samples`) :data:`DEMO_INDENTS` indents are simulated by
        :func:`~mofglass.mechanics.synthetic.synthetic_indentation` at peak depths spread over
        200-2000 nm; their Er and H are drawn around the paper's mean and rescaled so that the
        set has exactly the paper's mean and standard deviation (so the demo reproduces
        6.45 ± 0.45 GPa, not a random draw from it). Small noise is added to load and depth.
        """
        out: dict[str, list[dict[str, Any]]] = {}
        for k, s in enumerate(samples):
            values = {
                key: float(v) for key, v in s.parameters.items()
                if key in ("reduced_modulus_GPa", "reduced_modulus_sd_GPa",
                           "hardness_GPa", "hardness_sd_GPa")
            }  # fmt: skip
            if "reduced_modulus_GPa" not in values or "hardness_GPa" not in values:
                continue
            rel = Path("nanoindentation") / f"{s.id}_indents.zip"
            path = folder / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            rng = np.random.default_rng([seed, k, 4242])
            er = _standardised(
                rng, values["reduced_modulus_GPa"], values.get("reduced_modulus_sd_GPa", 0.0)
            )
            hard = _standardised(rng, values["hardness_GPa"], values.get("hardness_sd_GPa", 0.0))
            depths = np.geomspace(*DEMO_DEPTHS_NM, DEMO_INDENTS)
            with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
                for i in range(DEMO_INDENTS):
                    pmax = max_load_for_depth_mN(
                        depths[i], reduced_modulus_GPa=er[i], hardness_GPa=hard[i]
                    )
                    ind = synthetic_indentation(
                        reduced_modulus_GPa=er[i], hardness_GPa=hard[i], max_load_mN=pmax,
                        unloading_exponent=1.35, n_loading=120, n_hold=10, n_unloading=60,
                        noise_load_mN=2e-4 * pmax, noise_depth_nm=0.2,
                        seed=int(rng.integers(2**31)), name=f"{s.id}_{i + 1:02d}",
                    )  # fmt: skip
                    info = zipfile.ZipInfo(
                        f"{s.id}_{i + 1:02d}.txt", date_time=(2025, 1, 1, 0, 0, 0)
                    )
                    z.writestr(info, format_hysitron_txt(ind), compress_type=zipfile.ZIP_DEFLATED)
            out[s.id] = [{"file": rel.as_posix(), "poisson_ratio": 0.2}]
        return out


def _calibrated_area(task: Task, opts: NanoindentationOptions) -> list[float]:
    """Area coefficients fitted on the entry's ``calibration_file`` (fused-silica indents).

    The file name is relative to the manifest, like ``file`` (:attr:`Task.manifest_dir`).
    """
    from mofglass.mechanics.calibration import calibrate_on_reference

    assert opts.calibration_file is not None
    cal = calibrate_on_reference(
        read_indentations(task.manifest_dir / opts.calibration_file),
        reduced_modulus_GPa=opts.reference_er_GPa,
        frame_compliance_nm_mN=opts.frame_compliance_nm_mN,
    )
    return list(cal.area.coefficients)


def _standardised(rng: np.random.Generator, mean: float, sd: float) -> np.ndarray:
    """DEMO_INDENTS values with exactly this sample mean and standard deviation (ddof 1)."""
    z = rng.standard_normal(DEMO_INDENTS)
    z = (z - z.mean()) / z.std(ddof=1)
    return np.asarray(mean + sd * z)
