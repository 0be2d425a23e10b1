"""Named quantities of a DSC run for result tables: the headline picks and the per-segment rows.

Pure functions of a :class:`~mofglass.thermal.analysis.DSCAnalysis` (and its trace for rates),
used by the study technique, so that the plug-in only reads, analyses and outputs. The picks:

* melting: the largest event *labelled* melting (by evidence, :mod:`mofglass.thermal.labels`)
  of the first heating that has one - an unnamed endotherm is never a headline melting;
* glass transition, ΔCp, Tf: the first heating segment with one;
* cold crystallisation and the crystallised fraction: the first labelled one;
* the average cooling rate from Tm to Tg (the paper's -42 °C/min) of every cooling spanning both;
* the Tg range over heating scans: ``tg_cycle_range_C`` when the coolings before them ran at one
  rate (repeated cycles: the paper's 175-176 °C "cycle stability"), ``tg_range_over_rates_C``
  when the rates differ (a rate series, where Tg is expected to move);
* the fragility of a single run holding a rate series.

:func:`dsc_details` and :func:`tga_details` give the JSON-ready details of a run that the study
figures and report read (summary, per-segment curves in the table's rates, x of the colinker).
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from mofglass.errors import AnalysisError
from mofglass.results import Measured, thin_step
from mofglass.thermal.analysis import (
    DSCAnalysis,
    SegmentAnalysis,
    TGAAnalysis,
    transition_rate,
)
from mofglass.thermal.segments import average_rate
from mofglass.thermal.summary import dsc_summary, tga_curves, tga_summary
from mofglass.thermal.thermogram import Thermogram

__all__ = [
    "EVENT_METHOD",
    "TG_METHOD",
    "colinker_fraction",
    "dsc_details",
    "dsc_quantities",
    "tga_details",
]

EVENT_METHOD = "tangent onset/offset, baseline integration (ASTM E793/E794)"
TG_METHOD = "Tg step fit + E1356 construction; Moynihan Tf"

Quantity = tuple[str, Measured, str]  # name with unit suffix, value, method


def colinker_fraction(formula: str | None, colinker: str = "bim") -> float | None:
    """Return x of a mixed-linker formula M(im)2-x(bim)x written with the colinker count.

    ``Cd(im)1.75(bim)0.25`` -> 0.25; 0 without the colinker; None when not stated.
    """
    if not formula:
        return None
    if colinker not in formula:
        return 0.0
    m = re.search(rf"\({re.escape(colinker)}\)([\d.]+)", formula)
    return float(m.group(1)) if m else None


def _event_rows(s: SegmentAnalysis) -> list[Quantity]:
    """Rows of the events of one segment, numbered per label in temperature order."""
    rows: list[Quantity] = []
    seen: dict[str, int] = {}
    for e, lab in zip(s.events, s.labels, strict=True):
        if e.flag:  # cut by the segment's end: no result
            continue
        seen[lab.label] = k = seen.get(lab.label, 0) + 1
        name = f"seg{s.index}_{lab.label}{'' if k == 1 else k}"
        for f in ("onset_C", "peak_C", "offset_C", "enthalpy_J_g", "enthalpy_kJ_mol"):
            m = getattr(e, f)
            if m is not None:
                rows.append((f"{name}_{f}", m, EVENT_METHOD))
    return rows


def _glass_rows(s: SegmentAnalysis, head: dict[str, tuple[Measured, str]]) -> list[Quantity]:
    """Rows of the glass transition, Tf and crystallised fraction of one segment (and picks)."""
    rows: list[Quantity] = []
    if s.glass is not None:
        for f, key in (
            ("onset_C", "tg_onset_C"),
            ("midpoint_C", "tg_mid_C"),
            ("delta_cp_J_gK", "delta_cp_J_gK"),
        ):
            rows.append((f"seg{s.index}_{key}", getattr(s.glass, f), TG_METHOD))
            head.setdefault(key, (getattr(s.glass, f), TG_METHOD))
        if s.tg_rate is not None:
            rows.append((f"seg{s.index}_tg_rate_K_min", s.tg_rate, "mean rate through Tg ± 20 K"))
    if s.fictive is not None:
        rows.append((f"seg{s.index}_fictive_C", s.fictive.fictive_C, TG_METHOD))
        head.setdefault("fictive_C", (s.fictive.fictive_C, TG_METHOD))
    if s.crystallised_fraction is not None:
        m = s.crystallised_fraction
        rows.append((f"seg{s.index}_crystallised_fraction", m, "|ΔHrc|/ΔHm"))
        head.setdefault("crystallised_fraction", (m, "|ΔHrc|/ΔHm"))
    return rows


def _heating_picks(s: SegmentAnalysis, head: dict[str, tuple[Measured, str]]) -> None:
    """Headline melting and cold crystallisation: the largest labelled event of a heating."""
    named = [(e, b) for e, b in zip(s.events, s.labels, strict=True) if not e.flag]
    melts = [e for e, b in named if b.label == "melting"]
    if melts:
        big = max(melts, key=lambda e: e.enthalpy_J_g.value)
        head.setdefault("melting_offset_C", (big.offset_C, EVENT_METHOD))
        head.setdefault("melting_enthalpy_J_g", (big.enthalpy_J_g, EVENT_METHOD))
        if big.enthalpy_kJ_mol is not None:
            head.setdefault("melting_enthalpy_kJ_mol", (big.enthalpy_kJ_mol, EVENT_METHOD))
    cold = [e for e, b in named if b.label == "cold_crystallisation"]
    if cold:
        big = max(cold, key=lambda e: abs(e.enthalpy_J_g.value))
        if big.enthalpy_kJ_mol is not None:
            head.setdefault(
                "cold_crystallisation_enthalpy_kJ_mol", (big.enthalpy_kJ_mol, EVENT_METHOD)
            )


def _tm_to_tg_rates(
    trace: Thermogram, res: DSCAnalysis, head: dict[str, tuple[Measured, str]]
) -> list[Quantity]:
    """Return the average cooling rate Tm -> Tg of every cooling spanning both (and the pick)."""
    rows: list[Quantity] = []
    if "melting_offset_C" not in head or "tg_mid_C" not in head:
        return rows
    tm, tg = head["melting_offset_C"][0].value, head["tg_mid_C"][0].value
    for s in res.segments:
        if s.segment.kind == "cooling" and s.segment.start_C > tm and s.segment.end_C < tg:
            try:
                r = average_rate(trace, from_C=tm, to_C=tg, segment=s.segment)
            except AnalysisError:
                continue
            rows.append((f"seg{s.index}_rate_Tm_to_Tg_K_min", r, "average rate Tm -> Tg"))
            head.setdefault("cooling_rate_Tm_to_Tg_K_min", (r, "average rate Tm -> Tg"))
    return rows


def _tg_range(trace: Thermogram, res: DSCAnalysis, head: dict[str, tuple[Measured, str]]) -> None:
    """Add the Tg range over heatings, named by what varied (module docstring)."""
    tg_rows = [(s.index, s.glass.midpoint_C.value) for s in res.segments if s.glass is not None]
    if len(tg_rows) < 2:
        return
    tgs = [t for _, t in tg_rows]
    span = Measured(max(tgs) - min(tgs), None, "°C")
    rates = []
    by_index = {s.index: s for s in res.segments}
    for i, t in tg_rows:
        prev = by_index.get(i - 1)
        if prev is not None and prev.segment.kind == "cooling":
            rates.append(abs(transition_rate(trace, prev.segment, t).value))
    if len(rates) >= 2 and max(rates) > 1.1 * min(rates):
        head["tg_range_over_rates_C"] = (
            span,
            f"max - min of Tg over upscans after coolings at {min(rates):.1f}-"
            f"{max(rates):.1f} K/min (a rate series, not cycle stability)",
        )
    else:
        head["tg_cycle_range_C"] = (span, "max - min of Tg over repeated upscans")


def dsc_quantities(trace: Thermogram, res: DSCAnalysis) -> tuple[list[Quantity], list[Quantity]]:
    """Headline quantities and per-segment quantities of one run (module docstring).

    Parameters
    ----------
    trace : Thermogram
        The run (for the rates between temperatures).
    res : DSCAnalysis
        Its analysis.

    Returns
    -------
    headline, per_segment : list of (name, Measured, method)
    """
    head: dict[str, tuple[Measured, str]] = {}
    rows: list[Quantity] = []
    for s in res.segments:
        rows.append(
            (f"seg{s.index}_rate_K_min", s.segment.mean_rate, "mean ΔT/Δt over the segment")
        )
        rows += _event_rows(s)
        rows += _glass_rows(s, head)
        if s.segment.kind == "heating":
            _heating_picks(s, head)
    rows += _tm_to_tg_rates(trace, res, head)
    _tg_range(trace, res, head)
    if res.fragility is not None:
        head["fragility_m"] = (res.fragility.fragility_m, res.fragility.method)
        head["fragility_tg_C"] = (res.fragility.tg_reference_C, res.fragility.method)
    return [(k, m, meth) for k, (m, meth) in head.items()], rows


def _down(max_points: int, *arrays: np.ndarray) -> list[list[float]]:
    """Every array thinned by one common step to at most ``max_points`` values, rounded."""
    step = thin_step(len(arrays[0]), max_points)
    return [np.round(np.asarray(a)[::step], 5).tolist() for a in arrays]


def dsc_details(
    trace: Thermogram,
    res: DSCAnalysis,
    *,
    formula: str | None = None,
    label: str = "",
    max_points: int = 1500,
) -> dict[str, Any]:
    """Return the details of a DSC run for study figures and reports.

    Parameters
    ----------
    trace : Thermogram
        The run analysed.
    res : DSCAnalysis
        Its analysis.
    formula : str, optional
        The sample formula (for x of a mixed-linker series, :func:`colinker_fraction`).
    label : str
        Legend label of the run.
    max_points : int
        Points per curve at most.

    Returns
    -------
    dict
        ``summary`` (:func:`~mofglass.thermal.analysis.dsc_summary`), ``curves`` (one per
        segment: heat flow in W/g endothermic up against °C, its events, and in the label the
        segment's measured mean rate, the rate of the table), ``x_bim``, ``label`` and
        ``headline`` (name -> Measured dict).
    """
    summary = dsc_summary(res)
    y_all = trace.endo_positive()
    curves = []
    for s, summ in zip(res.segments, summary["segments"], strict=True):
        sl = s.segment.slice()
        T, y = _down(max_points, trace.temperature_C[sl], y_all[sl])
        curve: dict[str, Any] = {
            "label": f"{s.index}: {s.segment.kind} {s.segment.mean_rate.value:+.1f} K/min",
            "kind": s.segment.kind,
            "temperature_C": T,
            "heat_flow_W_g": y,
            "events": summ["events"],
        }
        if "tg_mid_C" in summ:
            curve["tg_mid_C"] = summ["tg_mid_C"]
        curves.append(curve)
    return {
        "summary": summary,
        "curves": curves,
        "x_bim": colinker_fraction(formula),
        "label": label,
        "headline": {q.name: q.value.to_dict() for q in res.headline},
    }


def tga_details(
    trace: Thermogram, res: TGAAnalysis, *, label: str = "", max_points: int = 1500
) -> dict[str, Any]:
    """Return the details of a TG run for study figures: summary, T, mass %, DTG and DTA curves.

    Parameters
    ----------
    trace : Thermogram
        The run analysed (with a mass channel).
    res : TGAAnalysis
        Its analysis.
    label : str
        Legend label of the run.
    max_points : int
        Points per curve at most.

    Returns
    -------
    dict
        ``summary``, ``temperature_C``, ``mass_percent``, ``dtg_percent_K`` (%/K), ``dta`` (as
        exported, or None), ``dta_unit``, ``dta_exo_up`` and ``label``.
    """
    c = tga_curves(trace)
    cols = [c["temperature_C"], c["mass_percent"], c["dtg_percent_K"]]
    down = _down(max_points, *cols, *([c["dta"]] if "dta" in c else []))
    return {
        "summary": tga_summary(res),
        "temperature_C": down[0],
        "mass_percent": down[1],
        "dtg_percent_K": down[2],
        "dta": down[3] if trace.dta is not None else None,
        "dta_unit": trace.dta_unit,
        "dta_exo_up": trace.exo_up,
        "label": label,
    }
