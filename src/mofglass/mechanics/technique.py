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
from mofglass.mechanics.csm import average_profiles
from mofglass.mechanics.readers import format_hysitron_txt, read_indentations
from mofglass.mechanics.synthetic import max_load_for_depth_mN, synthetic_indentation
from mofglass.results import ResultRow
from mofglass.study.technique import DemoSample, Task, Technique, TechniqueOutput, register

if TYPE_CHECKING:
    from matplotlib.figure import Figure

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
        """The options :func:`analyse_indentations` takes (the calibration is done first)."""
        return self.model_dump(exclude={"calibration_file", "reference_er_GPa"})


def analysis_rows(a: IndentationAnalysis, *, sample_id: str, source: str) -> list[ResultRow]:
    """Results-table rows of one analysis (shared with the CLI's table)."""
    method = f"{a.method}; {a.mode}"
    key = NanoindentationTechnique.key
    rows = [
        ResultRow(sample_id, "reduced_modulus_GPa", a.reduced_modulus_GPa.value,
                  a.reduced_modulus_GPa.stderr, "GPa", key, method, source),
        ResultRow(sample_id, "hardness_GPa", a.hardness_GPa.value, a.hardness_GPa.stderr,
                  "GPa", key, method, source),
        ResultRow(sample_id, "hardness_MPa", a.hardness_GPa.value * 1e3,
                  None if a.hardness_GPa.stderr is None else a.hardness_GPa.stderr * 1e3,
                  "MPa", key, method, source),
        ResultRow(sample_id, "n_indents", float(a.n_indents), None, "", key, method, source),
    ]  # fmt: skip
    nu = a.poisson_ratio
    for name, m, how in (
        ("youngs_modulus_GPa", a.youngs_modulus_GPa, f"1/Er = (1-ν²)/E + (1-νi²)/Ei, ν = {nu}"),
        (
            "youngs_modulus_rigid_indenter_GPa",
            a.youngs_modulus_rigid_indenter_GPa,
            f"E = (1-ν²)·Er (the paper's), ν = {nu}",
        ),
    ):
        if m is not None:
            rows.append(ResultRow(sample_id, name, m.value, m.stderr, "GPa", key, how, source))
    return rows


def _details(a: IndentationAnalysis, tests: Sequence[Any]) -> dict[str, Any]:
    per_curve = max(50, _MAX_POINTS // max(1, min(len(tests), 12)))
    curves = []
    for t, r in zip(tests[:12], a.indents[:12], strict=False):
        step = max(1, len(t) // per_curve)
        hf, hmax = r.final_depth_nm.value, r.max_depth_nm.value
        lo = max(r.fit_window[0] * r.max_load_mN.value, 0.0)
        x_lo = hf + (hmax - hf) * (lo / r.fit_p0_mN) ** (1 / r.unloading_exponent.value)
        fit_h = np.linspace(x_lo, hmax, 30)
        fit_p = r.fit_p0_mN * ((fit_h - hf) / (hmax - hf)) ** r.unloading_exponent.value
        curves.append(
            {
                "label": t.name or t.label,
                "depth_nm": t.depth_nm[::step] - r.frame_compliance_nm_mN * t.load_mN[::step],
                "load_mN": t.load_mN[::step],
                "fit_depth_nm": fit_h,
                "fit_load_mN": fit_p,
            }
        )
    out: dict[str, Any] = {
        "mode": a.mode,
        "analysis": {k: v for k, v in a.to_dict().items() if k not in ("indents", "profiles")},
        "indents": [
            {
                "name": r.name,
                "contact_depth_nm": r.contact_depth_nm.value,
                "max_depth_nm": r.max_depth_nm.value,
                "reduced_modulus_GPa": r.reduced_modulus_GPa.value,
                "hardness_GPa": r.hardness_GPa.value,
                "converged": r.converged,
            }
            for r in a.indents
        ],
        "curves": curves,
    }
    if a.profiles:
        top = max(float(p.depth_nm.max()) for p in a.profiles)
        grid = np.linspace(50.0, top, 200)
        avg = average_profiles(a.profiles, depth_grid_nm=grid)
        out["profile"] = {
            "depth_nm": grid,
            "reduced_modulus_GPa": avg.reduced_modulus_mean_GPa,
            "reduced_modulus_std_GPa": avg.reduced_modulus_std_GPa,
            "hardness_GPa": avg.hardness_mean_GPa,
            "hardness_std_GPa": avg.hardness_std_GPa,
        }
    from mofglass.results import to_jsonable

    return dict(to_jsonable(out))


@register
class NanoindentationTechnique(Technique):
    """Oliver-Pharr / CSM nanoindentation: Er, H and E with mean ± SD over indents."""

    key = "nanoindentation"
    title = "Nanoindentation"
    Options = NanoindentationOptions
    order = 70

    def run(self, task: Task) -> TechniqueOutput:
        opts = NanoindentationOptions(**task.options)
        assert task.path is not None
        tests = read_indentations(task.path)
        kw = opts.analysis_options()
        if opts.calibration_file is not None:
            from mofglass.mechanics.calibration import calibrate_on_reference

            # relative to the manifest, like `file`: strip the entry's own relative path
            base = (
                Path(task.path).parents[len(Path(task.source).parts) - 1]
                if task.source
                else Path(task.path).parent
            )
            cal = calibrate_on_reference(
                read_indentations(base / opts.calibration_file),
                reduced_modulus_GPa=opts.reference_er_GPa,
                frame_compliance_nm_mN=opts.frame_compliance_nm_mN or 0.0,
            )
            kw["area_coefficients"] = list(cal.area.coefficients)
        a = analyse_indentations(tests, **kw)
        source = task.source or Path(task.path).name
        return TechniqueOutput(
            sample_id=task.sample.id,
            source=source,
            rows=tuple(analysis_rows(a, sample_id=task.sample.id, source=source)),
            details=_details(a, tests),
            warnings=a.warnings,
        )

    def figures(self, outputs: Sequence[TechniqueOutput]) -> dict[str, Figure]:
        from mofglass.plotting.mechanics import load_displacement, modulus_hardness_vs_depth

        figs: dict[str, Figure] = {}
        series: dict[str, dict[str, Any]] = {}
        for o in outputs:
            stem = Path(o.source).name.split(".")[0] or "indents"
            if not stem.startswith(o.sample_id):
                stem = f"{o.sample_id}_{stem}"
            d = o.details
            figs[f"indentation_{stem}"] = load_displacement(
                d.get("curves", []), title=f"{o.sample_id}: {o.source}"
            )
            if "profile" in d:
                series[o.sample_id] = dict(d["profile"])
            elif d.get("indents"):
                ind = d["indents"]
                series.setdefault(
                    o.sample_id,
                    {"depth_nm": [], "reduced_modulus_GPa": [], "hardness_GPa": []},
                )
                for r in ind:
                    series[o.sample_id]["depth_nm"].append(r["max_depth_nm"])
                    series[o.sample_id]["reduced_modulus_GPa"].append(r["reduced_modulus_GPa"])
                    series[o.sample_id]["hardness_GPa"].append(r["hardness_GPa"])
        if series:
            figs["indentation_modulus_hardness_vs_depth"] = modulus_hardness_vs_depth(series)
        return figs

    def report_html(self, outputs: Sequence[TechniqueOutput]) -> str:
        """Per-indent table (contact depth, Er, H) and the analysis settings of every file."""
        parts = []
        for o in outputs:
            d = o.details
            a = d.get("analysis", {})
            coeffs = ", ".join(f"{c:.6g}" for c in a.get("area_coefficients", []))
            parts.append(
                f"<h4>{escape(o.sample_id)}: {escape(o.source)}</h4>"
                f"<p>{escape(str(d.get('mode', '')))}; area function C = [{escape(coeffs)}]; "
                f"frame compliance {a.get('frame_compliance_nm_mN', 0.0):.4g} nm/mN</p>"
            )
            rows = "".join(
                f"<tr><td>{escape(str(r['name']))}</td><td>{r['contact_depth_nm']:.1f}</td>"
                f"<td>{r['reduced_modulus_GPa']:.3f}</td><td>{r['hardness_GPa'] * 1e3:.0f}</td></tr>"
                for r in d.get("indents", [])
            )
            parts.append(
                "<table><thead><tr><th>indent</th><th>h<sub>c</sub> / nm</th>"
                "<th>E<sub>r</sub> / GPa</th><th>H / MPa</th></tr></thead>"
                f"<tbody>{rows}</tbody></table>"
            )
        return "\n".join(parts)

    def demo_inputs(
        self, samples: Sequence[DemoSample], folder: Path, *, seed: int
    ) -> dict[str, list[dict[str, Any]]]:
        """Simulated Hysitron-text indents, zipped per sample, from the paper's Er and H.

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


def _standardised(rng: np.random.Generator, mean: float, sd: float) -> np.ndarray:
    """DEMO_INDENTS values with exactly this sample mean and standard deviation (ddof 1)."""
    z = rng.standard_normal(DEMO_INDENTS)
    z = (z - z.mean()) / z.std(ddof=1)
    return np.asarray(mean + sd * z)
