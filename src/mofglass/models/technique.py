"""Study technique ``predict``: calibrate the thermokinetic model of a sample and predict.

Each entry names a material file (:mod:`mofglass.models.material`: Tm, Tg, ΔHm, m and the
observations, in words or as measured DSC exotherms)::

    [[samples.predict]]
    file = "cdim2_material.toml"
    heat_treatments = ["465 -> 25 @ 42 -> 240 @ 10 -> hold 60"]

or gives the same material inline, validated by the same model (DSC files of ``exotherm``
observations are relative to the manifest)::

    predict = {material = {formula = "Cd(im)2", tm_C = 455.0, tg_C = 175.0,
               melting_enthalpy_kJ_mol = 16.6, fragility_m = 43.0}, observation = [
      {type = "bound", program = "465 -> 25 @ 42", at_most = 0.01},
      {type = "window", program = "465 -> 25 @ 42 -> 300 @ 10", start_C = 200.0, end_C = 260.0},
    ]}

(``predict = {file = "material.toml"}`` is the file form written inline.)

Rows: the critical cooling rate and the largest crystallisable fraction X∞, and the
crystallinity and crystallite size after each heat treatment, each with a standard uncertainty
taken as the half-width of the 95 % interval / 1.96. A calibration that misses an observation
gives no rows, only a warning and its details.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from mofglass.models.material import MaterialSpec, ObservationSpec
from mofglass.results import ResultRow
from mofglass.study.technique import DemoSample, Task, Technique, TechniqueOutput, register

if TYPE_CHECKING:
    from mofglass.models.calibration import Calibration
    from mofglass.models.material import Material

__all__ = ["PredictTechnique"]


class PredictOptions(BaseModel):
    """Options of a ``predict`` entry; ``material`` + ``observation`` replace the file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    threshold_fraction: Annotated[float, Field(gt=0.0, lt=1.0)] = 0.01
    n_samples: Annotated[int, Field(ge=8, le=1000)] = 48
    heat_treatments: list[str] = []
    material: MaterialSpec | None = Field(
        default=None, description="the material file's [material] table, inline"
    )
    observation: list[ObservationSpec] | None = Field(
        default=None, description="the material file's [[observation]] list, inline"
    )

    @model_validator(mode="after")
    def _inline_complete(self) -> PredictOptions:
        if (self.material is None) != (self.observation is None) or (
            self.observation is not None and not self.observation
        ):
            raise ValueError("an inline material needs both 'material' and 'observation' (>= 1)")
        return self


def _su(low: float, high: float) -> float | None:
    return (high - low) / (2 * 1.96) if math.isfinite(low) and math.isfinite(high) else None


@register
class PredictTechnique(Technique):
    """Nucleation-and-growth kinetics calibrated on a sample's observations, run forward."""

    key = "predict"
    title = "Prediction (thermokinetic model)"
    Options = PredictOptions
    inline_input = "material"
    order = 90

    def read(self, task: Task, opts: PredictOptions) -> Material:
        """Read the material file, or build the material from the inline tables."""
        from mofglass.models.material import MaterialFile, load_material, material_from_spec

        if task.path is not None:
            return load_material(task.path)
        # inline: exotherm files were resolved against the manifest
        assert opts.material is not None and opts.observation is not None
        spec = MaterialFile(material=opts.material, observation=opts.observation)
        return material_from_spec(spec, source=f"{task.sample.id} predict (inline)")

    def analyse(self, data: Material, task: Task, opts: PredictOptions) -> Calibration:
        """Calibrate the nucleation and growth model on the material's observations."""
        from mofglass.models.calibration import calibrate

        return calibrate(data.base, data.observations, free=data.free)

    def output(
        self, result: Calibration, data: Material, task: Task, opts: PredictOptions
    ) -> TechniqueOutput:
        """Return the predictions (qc, X∞, heat treatments) as rows, unless the fit missed."""
        from mofglass.models.material import parse_program
        from mofglass.models.predictions import critical_cooling_rate_interval, heat_treatment

        cal = result
        details: dict[str, Any] = {
            "observations": [
                {"label": c.label, "observed": c.observed, "model": c.model, "ok": c.satisfied}
                for c in cal.checks
            ],
            "parameters": [
                {
                    k: (v if not isinstance(v, float) or math.isfinite(v) else None)
                    for k, v in r.items()
                }
                for r in cal.rows()
            ],
            "message": cal.message,
        }
        sid, src = task.sample.id, task.source
        if not cal.converged:
            return TechniqueOutput(
                sid,
                src,
                (),
                details,
                (
                    f"{src}: the calibration does not honour every observation ({cal.message}); "
                    "no predictions reported",
                ),
            )
        method = "JMAK nucleation and growth calibrated on the sample's observations; 95 % interval"
        qc = critical_cooling_rate_interval(
            cal, threshold_fraction=opts.threshold_fraction, n_samples=opts.n_samples
        )
        rows = [
            ResultRow(
                sid,
                "critical_cooling_rate_K_min",  # a rate: K/min (= °C/min), issue 11
                qc.value,
                _su(qc.low, qc.high),
                "K/min",
                self.key,
                f"{method}; X < {opts.threshold_fraction:g}",
                src,
            ),
        ]
        if "max_fraction" in cal.free:
            k = cal.free.index("max_fraction")
            rows.append(
                ResultRow(
                    sid,
                    "max_crystallisable_fraction",
                    cal.values[k],
                    cal.standard_errors[k],
                    "",
                    self.key,
                    method,
                    src,
                )
            )
        for i, text in enumerate(opts.heat_treatments, start=1):
            ht = heat_treatment(cal, parse_program(text, source=src), n_samples=opts.n_samples)
            rows.append(
                ResultRow(
                    sid,
                    f"treatment{i}_crystallised_fraction",
                    ht.fraction.value,
                    _su(ht.fraction.low, ht.fraction.high),
                    "",
                    self.key,
                    f"{method}; {text}",
                    src,
                )
            )
            rows.append(
                ResultRow(
                    sid,
                    f"treatment{i}_crystallite_diameter_nm",
                    ht.diameter_nm.value,
                    _su(ht.diameter_nm.low, ht.diameter_nm.high),
                    "nm",
                    self.key,
                    f"{method}; {text}",
                    src,
                )
            )
        details["critical_cooling_rate_95_K_min"] = [qc.low, qc.high]
        # a prediction that is not a number (never a glass: qc = inf; nothing crystallised:
        # no size) or a parameter at its bound is stated, never tabulated
        warnings = []
        kept = []
        for r in rows:
            if not math.isfinite(r.value):
                warnings.append(f"{src}: {r.quantity} is not finite ({r.value}); not reported")
            elif r.quantity == "max_crystallisable_fraction" and "max_fraction" in cal.at_bound:
                warnings.append(f"{src}: X∞ sits at its bound ({r.value:.3g}); not reported")
            else:
                kept.append(r)
        return TechniqueOutput(sid, src, tuple(kept), details, tuple(warnings))

    def report_html(self, outputs: Sequence[TechniqueOutput]) -> str:
        """Return the observations beside the calibrated model, as HTML tables."""
        from html import escape

        parts = []
        for o in outputs:
            rows = "".join(
                f"<tr><td>{escape(c['label'])}</td><td>{escape(c['observed'])}</td>"
                f"<td>{escape(c['model'])}</td><td>{'ok' if c['ok'] else 'missed'}</td></tr>"
                for c in o.details.get("observations", [])
            )
            parts.append(
                f"<h4>{escape(o.sample_id)}: observations beside the calibrated model</h4>"
                "<table><tr><th>observation</th><th>observed</th><th>model</th><th></th></tr>"
                f"{rows}</table>"
            )
        return "\n".join(parts)

    def demo_inputs(
        self, samples: Sequence[DemoSample], folder: Path, *, seed: int
    ) -> dict[str, list[dict[str, Any]]]:
        """Write the paper material of the demo Cd(im)2 sample and its entry."""
        from mofglass.models.reference import CD_IM2_MATERIAL

        out: dict[str, list[dict[str, Any]]] = {}
        for s in samples:
            if s.formula == "Cd(im)2" and s.phase == "crystal":
                path = folder / "predict" / f"{s.id}_material.toml"
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(CD_IM2_MATERIAL, encoding="utf-8")
                out[s.id] = [
                    {
                        "file": f"predict/{s.id}_material.toml",
                        "heat_treatments": ["465 -> 25 @ 42 -> 300 @ 10"],
                    }
                ]
                break  # one calibration per material is enough
        return out
