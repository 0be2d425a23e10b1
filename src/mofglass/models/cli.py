"""``mofglass predict``: a thermokinetic model calibrated on observations, run forward."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import numpy as np
import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from mofglass.cli_out import JsonOpt, print_json

if TYPE_CHECKING:
    from mofglass.models.calibration import Calibration
    from mofglass.models.dsc import PredictedDSC
    from mofglass.models.predictions import TransformationDiagram

__all__ = ["predict_command"]


def _finite(v: float) -> float | None:
    return float(v) if math.isfinite(v) else None


def predict_command(
    cooling_rate: Annotated[
        list[float] | None,
        typer.Option(
            "--cooling-rate", "-q", help="Cooling rate from the melt, K/min (repeatable)."
        ),
    ] = None,
    heating_rate: Annotated[float, typer.Option(help="Rate of the reheating scan, K/min.")] = 10.0,
    threshold: Annotated[
        float,
        typer.Option(help="Largest crystallised fraction still called a glass (critical rate)."),
    ] = 0.01,
    material: Annotated[
        Path | None,
        typer.Option(
            "--material",
            "-m",
            help="Material TOML (Tm, Tg, ΔHm, m and observations); default: the paper's Cd(im)2.",
        ),
    ] = None,
    heat_treatment: Annotated[
        list[str] | None,
        typer.Option(
            "--heat-treatment",
            help="Programme to predict crystallinity and size for, e.g. "
            "'465 -> 25 @ 42 -> 240 @ 10 -> hold 60' (°C, K/min, min; repeatable).",
        ),
    ] = None,
    samples: Annotated[
        int, typer.Option(help="Parameter draws for the 95 % intervals (0: none).")
    ] = 64,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Write traces, TTT/CCT tables and figures here."),
    ] = None,
    json_out: JsonOpt = False,
    unreliable: Annotated[
        bool,
        typer.Option(
            "--unreliable",
            help="Print the predictions even when the calibration did not converge or misses "
            "an observation (marked 'reliable: false'); default: refuse them.",
        ),
    ] = False,
) -> None:
    """Calibrate nucleation-and-growth kinetics on observations and predict what follows.

    Without --material the observations are the paper's on Cd(im)2 (glass at -42 °C/min,
    partial recrystallisation at -10 °C/min, cold crystallisation between 200 and 260 °C that
    stops at 59 %, 19 nm crystallites); glass relaxation is TNM with the material's Tg and m.
    Prints each observation beside the model, the fitted parameters with uncertainties, the
    critical cooling rate with its 95 % interval, and predicted runs.

    Examples
    --------
        mofglass predict

        mofglass predict -q 5 -q 10 -q 20 -q 42 --out prediction/

        mofglass predict --heat-treatment "465 -> 25 @ 42 -> 240 @ 10 -> hold 60"

        mofglass predict --material my_zif.toml --json

    A calibration that did not converge or misses an observation gives no predictions: the
    observations are printed beside the model, then one line says why, exit code 2
    (``--unreliable`` prints them anyway, marked as such).
    """
    from mofglass.errors import AnalysisError, MofglassError
    from mofglass.models.calibration import calibrate
    from mofglass.models.dsc import GlassFormer, predict_dsc
    from mofglass.models.material import load_material, parse_program
    from mofglass.models.predictions import (
        cct_diagram,
        critical_cooling_rate_interval,
        ttt_diagram,
    )
    from mofglass.models.predictions import (
        heat_treatment as predict_treatment,
    )
    from mofglass.models.program import Segment, TemperatureProgram
    from mofglass.models.reference import calibrate_cd_im2
    from mofglass.models.relaxation import TNMParameters
    from mofglass.outputs import OutputFolder

    target = None if out is None else OutputFolder(out)  # refused now, not after the work
    rates = cooling_rate or [10.0, 42.0]
    if any(not (r > 0 and math.isfinite(r)) for r in rates) or not heating_rate > 0:
        raise MofglassError("rates are given as positive numbers of K/min")
    if not 0 < threshold < 1:
        raise MofglassError(f"--threshold is a fraction between 0 and 1, got {threshold}")
    if samples < 0:
        raise MofglassError(f"--samples is a number of draws >= 0, got {samples}")
    treatments = [
        (text, parse_program(text, source="--heat-treatment")) for text in heat_treatment or []
    ]
    console = Console(stderr=True)
    with console.status("calibrating on the observations ..."):
        if material is None:
            cal, formula = calibrate_cd_im2(), "Cd(im)2"
        else:
            mat = load_material(material)
            try:
                cal = calibrate(mat.base, mat.observations, free=mat.free)
            except ValueError as exc:
                raise MofglassError(f"{material}: {exc}") from None
            formula = mat.formula
        if not cal.converged and not unreliable:
            if not json_out:
                _print_observations(cal)
            raise AnalysisError(_refusal(material, cal))
        p = cal.parameters
        melt_C = p.tm_C + 10.0
        glass = GlassFormer(formula, TNMParameters.from_fragility(p.tg_C, p.fragility_m), p)
        runs = []
        for q in rates:
            prog = TemperatureProgram(
                melt_C, (Segment(p.tg_C - 150.0, q), Segment(melt_C, heating_rate))
            )
            runs.append((q, predict_dsc(glass, prog)))
    identifiable = bool(np.all(np.isfinite(cal.covariance))) and cal.covariance.size > 0
    with console.status("propagating the parameter uncertainties ..."):
        if samples and identifiable:
            qc = critical_cooling_rate_interval(
                cal, threshold_fraction=threshold, n_samples=samples
            )
            treated = [
                (text, predict_treatment(cal, prog, n_samples=samples)) for text, prog in treatments
            ]
        else:
            from mofglass.models.crystallisation import critical_cooling_rate_K_min

            qc_value = critical_cooling_rate_K_min(p, threshold_fraction=threshold)
            from mofglass.models.predictions import HeatTreatment, Interval

            qc = Interval(qc_value, math.nan, math.nan, 0.95, 0, "K/min")
            treated = []
            for text, prog in treatments:
                from mofglass.models.crystallisation import simulate_crystallisation

                tr = simulate_crystallisation(p, prog)
                treated.append(
                    (
                        text,
                        HeatTreatment(
                            Interval(tr.final_fraction, math.nan, math.nan, 0.95, 0, ""),
                            Interval(tr.mean_grain_diameter_nm, math.nan, math.nan, 0.95, 0, "nm"),
                        ),
                    )
                )
    summary = _summary(cal, qc, threshold, runs, treated)
    if out is not None:
        ttt = ttt_diagram(p, fractions=(threshold, 0.5 * p.max_fraction))
        cct = cct_diagram(
            p, cooling_rates_K_min=np.geomspace(0.1, 1000.0, 17).tolist(), fractions=(threshold,)
        )
        assert target is not None
        with target.writing() as tmp:
            _write(tmp, runs, ttt, cct, summary)
    if json_out:
        print_json(summary)
        return
    _print(console, cal, summary, threshold)


def _refusal(material: Path | None, cal: Calibration) -> str:
    """One line: why a calibration's predictions are not printed."""
    missed = [c.label for c in cal.checks if not c.satisfied]
    why = (
        f"misses {len(missed)} of {len(cal.checks)} observations ({'; '.join(missed)})"
        if missed
        else f"did not converge ({cal.message})"
    )
    src = "the Cd(im)2 observations" if material is None else str(material)
    return (
        f"{src}: the calibration {why}; no predictions printed "
        "(--unreliable prints them, marked unreliable)"
    )


def _print_observations(cal: Calibration) -> None:
    """Print the observations beside the calibrated model (also when it is refused)."""
    t = Table(title="Observations and the calibrated model")
    for name in ("observation", "observed", "model", ""):
        t.add_column(name)
    for c in cal.checks:
        mark = "[green]ok[/]" if c.satisfied else "[red]missed[/]"
        t.add_row(escape(c.label), escape(c.observed), escape(c.model), mark)
    Console().print(t)


def _summary(
    cal: Calibration,
    qc: Any,
    threshold: float,
    runs: list[tuple[float, PredictedDSC]],
    treated: list[tuple[str, Any]],
) -> dict[str, Any]:
    return {
        "reliable": cal.converged,
        "calibration_converged": cal.converged,
        "calibration_message": cal.message,
        "observations": [
            {
                "observation": c.label,
                "observed": c.observed,
                "model": c.model,
                "satisfied": c.satisfied,
            }
            for c in cal.checks
        ],
        "parameters": [
            {
                "parameter": r["coordinate"],
                "value": _finite(float(r["value"])),  # type: ignore[arg-type]
                "standard_error": _finite(float(r["standard_error"])),  # type: ignore[arg-type]
            }
            for r in cal.rows()
        ],
        "max_fraction": cal.parameters.max_fraction,
        "critical_cooling_rate_K_min": {
            "value": _finite(qc.value),
            "low_95": _finite(qc.low),
            "high_95": _finite(qc.high),
            "threshold_fraction": threshold,
        },
        "runs": [
            {
                "cooling_rate_K_min": q,
                "crystallised_on_cooling": float(r.crystallised_fraction[r.segment == 0][-1]),
                "fictive_C": float(r.fictive_C[r.segment == 0][-1]),
                "max_crystallised_on_reheating": float(
                    r.crystallised_fraction[r.segment == 1].max()
                ),
            }
            for q, r in runs
        ],
        "heat_treatments": [
            {
                "programme": text,
                "crystallised_fraction": _finite(h.fraction.value),
                "crystallised_fraction_95": [_finite(h.fraction.low), _finite(h.fraction.high)],
                "diameter_nm": _finite(h.diameter_nm.value),
                "diameter_nm_95": [_finite(h.diameter_nm.low), _finite(h.diameter_nm.high)],
            }
            for text, h in treated
        ],
    }


def _fmt(v: float | None, spec: str = ".3g") -> str:
    return "—" if v is None else format(v, spec)


def _print(console: Console, cal: Calibration, s: dict[str, Any], threshold: float) -> None:
    out = Console()
    mark = "" if cal.converged else " [red](UNRELIABLE: calibration not converged)[/]"
    _print_observations(cal)
    tp = Table(title="Fitted parameters (standard uncertainties)")
    tp.add_column("parameter")
    tp.add_column("value", justify="right")
    tp.add_column("±", justify="right")
    for row in s["parameters"]:
        tp.add_row(row["parameter"], _fmt(row["value"], ".4g"), _fmt(row["standard_error"], ".2g"))
    out.print(tp)
    if not cal.converged:
        console.print(
            f"[red]UNRELIABLE:[/] the calibration did not converge or misses an observation "
            f"({escape(cal.message)}); every prediction below is marked 'reliable: false'"
        )
    qc = s["critical_cooling_rate_K_min"]
    interval = (
        f" (95 % interval {_fmt(qc['low_95'])}-{_fmt(qc['high_95'])})"
        if qc["low_95"] is not None
        else " (no interval: parameters not identifiable or --samples 0)"
    )
    out.print(
        f"critical cooling rate for X < {threshold:g}: {_fmt(qc['value'])} K/min{interval}{mark}"
    )
    t2 = Table(title=f"Predicted runs{mark}")
    for c in ("cooling rate / K/min", "X after cooling", "Tf' / °C", "X max on reheating"):
        t2.add_column(c, justify="right")
    for row in s["runs"]:
        t2.add_row(
            f"{row['cooling_rate_K_min']:g}",
            f"{row['crystallised_on_cooling']:.3f}",
            f"{row['fictive_C']:.1f}",
            f"{row['max_crystallised_on_reheating']:.3f}",
        )
    out.print(t2)
    if s["heat_treatments"]:
        t3 = Table(title=f"Heat treatments (95 % intervals){mark}")
        for c in ("programme", "X", "X 95 %", "d / nm", "d 95 %"):
            t3.add_column(c)
        for row in s["heat_treatments"]:
            lo, hi = row["crystallised_fraction_95"]
            dlo, dhi = row["diameter_nm_95"]
            t3.add_row(
                escape(row["programme"]),
                _fmt(row["crystallised_fraction"]),
                f"{_fmt(lo)}-{_fmt(hi)}",
                _fmt(row["diameter_nm"]),
                f"{_fmt(dlo)}-{_fmt(dhi)}",
            )
        out.print(t3)


def _write(
    out: Path,
    runs: list[tuple[float, PredictedDSC]],
    ttt: TransformationDiagram,
    cct: TransformationDiagram,
    summary: dict[str, Any],
) -> None:
    from mofglass.plotting.models import predicted_dsc_figure, transformation_figure

    out.mkdir(parents=True, exist_ok=True)
    for q, r in runs:
        data = np.column_stack(
            [
                r.time_min,
                r.temperature_C,
                r.heat_flow_W_g,
                r.crystallised_fraction,
                r.fictive_C,
                r.segment,
            ]
        )
        _columns(
            out / f"predicted_dsc_cool{q:g}.csv",
            data,
            "time_min,temperature_C,heat_flow_W_g_exo_up,crystallised_fraction,fictive_C,segment",
            "mofglass predicted DSC run (model, not a measurement)",
        )
    _columns(
        out / "ttt.csv",
        np.column_stack([ttt.temperature_C, *ttt.time_min]),
        "temperature_C," + ",".join(f"time_min_X{x:g}" for x in ttt.fractions),
        "mofglass TTT diagram (isothermal after an instant quench; inf: never)",
    )
    _columns(
        out / "cct.csv",
        np.column_stack([cct.cooling_rate_K_min, *cct.temperature_C]),
        "cooling_rate_K_min," + ",".join(f"temperature_C_X{x:g}" for x in cct.fractions),
        "mofglass CCT diagram (linear cooling from the melt; nan: not reached)",
    )
    (out / "prediction.json").write_text(json.dumps(summary, indent=1, allow_nan=False) + "\n")
    for name, fig in (
        ("predicted_dsc", predicted_dsc_figure(runs)),
        ("ttt_cct", transformation_figure(ttt, cct)),
    ):
        fig.savefig(out / f"{name}.png", dpi=200)
        fig.savefig(out / f"{name}.svg", metadata={"Date": None})


def _columns(path: Path, data: np.ndarray, header: str, comment: str) -> None:
    """Return a CSV of columns with a comment line and a header of unit-suffixed names."""
    np.savetxt(path, data, delimiter=",", header=header, comments=f"# {comment}\n", fmt="%.6g")
