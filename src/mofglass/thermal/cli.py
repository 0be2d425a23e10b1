"""Command-line functions ``mofglass dsc``, ``mofglass tga`` and ``mofglass fragility``.

Plain functions with typer annotations; the main CLI registers them with
``app.command("dsc")(dsc_command)`` etc. Each prints a rich table, or JSON with ``--json``
(keys carry their units: ``onset_C``, ``enthalpy_kJ_mol``, ``tg_mid_C``, ``delta_cp_J_gK``, ...,
each as ``{"value", "stderr", "unit"}``). Errors are :class:`~mofglass.errors.MofglassError`
subclasses, which the main CLI prints as one red line (exit code 2).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from mofglass.cli_out import (
    JsonOpt,
    OutOpt,
    out_folder,
    print_json,
    print_warning,
    write_technique_outputs,
)
from mofglass.composition import Composition
from mofglass.results import Measured
from mofglass.thermal.analysis import (
    analyse_dsc,
    analyse_tga,
    calibration_option,
)
from mofglass.thermal.fragility_series import FragilitySeries, fragility_series
from mofglass.thermal.labels import LABELS, NamedWindow
from mofglass.thermal.readers import read_thermogram
from mofglass.thermal.summary import dsc_summary, tga_summary

__all__ = ["dsc_command", "fragility_command", "tga_command"]


def _fmt(d: dict[str, Any] | None) -> str:
    if not d:
        return ""
    return str(Measured(d["value"], d.get("stderr"), d.get("unit", "")))


def dsc_command(
    file: Annotated[
        Path,
        typer.Argument(
            help="DSC export (NETZSCH, TA, Mettler, Setaram or CSV).", exists=True, dir_okay=False
        ),
    ],
    mass_mg: Annotated[
        float | None,
        typer.Option("--mass-mg", help="Sample mass in mg (overrides the file header)."),
    ] = None,
    formula: Annotated[
        str | None, typer.Option("--formula", help="Formula unit for kJ/mol, e.g. 'Cd(im)2'.")
    ] = None,
    json_out: JsonOpt = False,
    exo_up: Annotated[
        bool | None,
        typer.Option("--exo-up/--exo-down", help="Exo direction when the file does not say."),
    ] = None,
    tg_window: Annotated[
        tuple[float, float] | None,
        typer.Option(
            "--tg-window", help="Window of the glass transition in °C (LO HI); default: searched."
        ),
    ] = None,
    phase: Annotated[
        str | None,
        typer.Option("--phase", help="'crystal': the first heating's endotherms are melting."),
    ] = None,
    td: Annotated[
        float | None,
        typer.Option("--td", help="Decomposition temperature (°C): events above it are named so."),
    ] = None,
    event: Annotated[
        list[str] | None,
        typer.Option("--event", help="Name an event: LO:HI:LABEL (°C window of its peak)."),
    ] = None,
    calibration_k: Annotated[
        float | None,
        typer.Option("--calibration-k", min=0, help="Temperature calibration uncertainty (K)."),
    ] = None,
    calibration_percent: Annotated[
        float | None,
        typer.Option("--calibration-percent", min=0, help="Enthalpy calibration uncertainty (%)."),
    ] = None,
    out: OutOpt = None,
) -> None:
    """Events, enthalpies, Tg, ΔCp and fictive temperature of every segment of a DSC run.

    Events are "endotherm"/"exotherm" unless the data give evidence for a name (melting,
    crystallisation, cold crystallisation, decomposition...; the evidence is in --json), or
    --phase / --td / --event say more. Uncertainties include the instrument calibration
    (--calibration-k / --calibration-percent; default: the file's records or 0.5 K and 2 %).

    Examples
    --------
    mofglass dsc run.txt --formula "Cd(im)2"

    mofglass dsc pmma.csv --mass-mg 4.0 --exo-down --json
    """
    target = out_folder(out, file)
    trace = read_thermogram(file, sample_mass_mg=mass_mg, exo_up=exo_up)
    M = Composition.from_formula(formula).molar_mass_g_mol if formula else None
    named = []
    for spec in event or []:
        try:
            lo, hi, label = spec.split(":")
            named.append(NamedWindow((float(lo), float(hi)), label))
        except ValueError:
            raise typer.BadParameter(f"--event {spec!r}: expected LO:HI:LABEL") from None
        if label not in LABELS:
            raise typer.BadParameter(f"--event label {label!r}: one of {', '.join(LABELS)}")
    res = analyse_dsc(
        trace,
        molar_mass_g_mol=M,
        tg_window_C=tg_window,
        named_events=tuple(named),
        sample_phase=phase,
        decomposition_C=td,
        calibration=calibration_option(trace, calibration_k, calibration_percent),
    )
    summary = dsc_summary(res)
    if target is not None:
        options = {
            "mass": None if mass_mg is None else f"{mass_mg} mg",
            "exo_up": exo_up,
            "tg_window_C": tg_window,
            "events": [{"window_C": w.window_C, "label": w.label} for w in named],
            "decomposition_C": td,
            "calibration_K": calibration_k,
            "calibration_percent": calibration_percent,
        }
        write_technique_outputs(
            target, "dsc", file, options, doc=summary, formula=formula, phase=phase
        )
    if json_out:
        print_json(summary)
        return
    table = Table(title=f"DSC: {file.name}" + (f"  ({formula}, M = {M:.1f} g/mol)" if M else ""))
    for col in ("seg", "event", "onset °C", "peak °C", "offset °C", "ΔH J/g", "ΔH kJ/mol"):
        table.add_column(col)
    for s in summary["segments"]:
        seg = f"{s['segment']} {s['kind']} {s['rate_K_min']['value']:+.1f} K/min"
        for e in s["events"]:
            if e.get("flag"):  # no result: the reason is among the warnings
                table.add_row(seg, e["label"], "left out (see warning)", "", "", "", "")
                continue
            table.add_row(
                seg,
                e["label"],
                _fmt(e["onset_C"]),
                _fmt(e["peak_C"]),
                _fmt(e["offset_C"]),
                _fmt(e["enthalpy_J_g"]),
                _fmt(e.get("enthalpy_kJ_mol")),
            )
        if "tg_mid_C" in s:
            table.add_row(
                seg,
                "glass transition",
                _fmt(s["tg_onset_C"]),
                _fmt(s["tg_mid_C"]),
                "",
                "ΔCp " + _fmt(s["delta_cp_J_gK"]),
                "Tf " + _fmt(s.get("fictive_C")),
            )
        if "crystallised_fraction" in s:
            table.add_row(
                seg, "crystallised fraction", "", "", "", _fmt(s["crystallised_fraction"]), ""
            )
    if "fragility_m" in summary:
        table.add_row("run", "fragility m", "", _fmt(summary["fragility_m"]), "", "", "")
    console = Console()
    console.print(table)
    for w in summary["warnings"]:
        print_warning(w)


def tga_command(
    file: Annotated[Path, typer.Argument(help="TG / STA export.", exists=True, dir_okay=False)],
    json_out: JsonOpt = False,
    threshold_percent: Annotated[
        float, typer.Option("--threshold", help="Mass loss (%) for the threshold onset.")
    ] = 5.0,
    out: OutOpt = None,
) -> None:
    """Decomposition onset (extrapolated, ASTM E2550, and at a mass-loss threshold), steps, DTA.

    Examples
    --------
    mofglass tga cdim2_tgdta.txt

    mofglass tga pmma_tga.csv --threshold 1 --json
    """
    target = out_folder(out, file)
    trace = read_thermogram(file)
    summary = tga_summary(analyse_tga(trace, threshold_percent=threshold_percent))
    if target is not None:
        opts = {"threshold_percent": threshold_percent}
        write_technique_outputs(target, "tga", file, opts, doc=summary)
    if json_out:
        print_json(summary)
        return
    table = Table(title=f"TG: {file.name}")
    table.add_column("quantity")
    table.add_column("value")
    cut = "left out (see warning)" if summary["onset_flag"] else ""
    table.add_row(
        "decomposition onset (extrapolated)", _fmt(summary["decomposition_onset_C"]) or cut
    )
    table.add_row(
        f"T at {threshold_percent:g} % loss", _fmt(summary[f"t{threshold_percent:g}_percent_C"])
    )
    table.add_row("DTG peak", _fmt(summary["dtg_peak_C"]) or cut)
    table.add_row("analysed", summary["segment"])
    for k, s in enumerate(summary["steps"], 1):
        table.add_row(
            f"step {k} ({s['start_C']:.0f}-{s['end_C']:.0f} °C)",
            "left out (see warning)" if s.get("flag") else _fmt(s["mass_loss_percent"]),
        )
    for k, e in enumerate(summary["dta_peaks"], 1):
        cut_e = "left out (see warning)" if e.get("flag") else ""
        table.add_row(f"DTA peak {k} ({e['kind']})", cut_e or _fmt(e["peak_C"]))
    console = Console()
    console.print(table)
    for w in summary["warnings"]:
        print_warning(w)


def fragility_command(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="Heating scans after different cooling (or heating) rates, "
            "or one run holding the series.",
            exists=True,
            dir_okay=False,
        ),
    ],
    json_out: JsonOpt = False,
    exo_up: Annotated[
        bool | None,
        typer.Option("--exo-up/--exo-down", help="Exo direction when the files do not say."),
    ] = None,
    use: Annotated[
        str, typer.Option("--use", help="'fictive' (Moynihan Tf) or 'tg' (midpoint Tg).")
    ] = "fictive",
    tg_window: Annotated[
        tuple[float, float] | None,
        typer.Option(
            "--tg-window", help="Window of the glass transition in °C (LO HI); default: searched."
        ),
    ] = None,
) -> None:
    """Fragility index m from the rate dependence of Tf (or Tg) over a series of scans.

    With several files, each file's first heating segment with a glass transition gives one
    point, at the measured mean rate through the transition of the cooling before it (or of the
    heating itself when there is none); the rate used is printed. With one file, its
    cooling/heating pairs are used.

    Examples
    --------
    mofglass fragility gcdim2_rates.txt

    mofglass fragility pmma_10K.csv pmma_20K.csv pmma_30K.csv --exo-down --use tg
    """
    runs = []
    out: dict[str, Any]
    for f in files:
        trace = read_thermogram(f, exo_up=exo_up)
        runs.append((trace, analyse_dsc(trace, tg_window_C=tg_window)))
    fr = runs[0][1].fragility
    if len(files) == 1 and fr is not None and use == "fictive":
        out = FragilitySeries(points=(), fragility=fr).summary()  # the file's own pairs
    else:
        out = fragility_series(runs, use=use).summary()
    if json_out:
        print_json(out)
        return
    table = Table(
        title="Fragility from the rate dependence of " + ("Tf" if use == "fictive" else "Tg")
    )
    table.add_column("file")
    table.add_column("rate K/min (measured, through the transition)")
    table.add_column("T °C")
    for p in out["points"]:
        t = next(v for k, v in p.items() if k.endswith("_C"))
        table.add_row(p["file"], _fmt(p["rate_K_min"]), _fmt(t))
    table.add_row("m", "", _fmt(out["fragility_m"]))
    table.add_row("Tg at 10 K/min", "", _fmt(out["tg_reference_C"]))
    Console().print(table)
