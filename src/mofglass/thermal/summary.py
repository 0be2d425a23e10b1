"""JSON-ready summaries of thermal analyses, as printed by ``mofglass dsc/tga --json``.

Flat dictionaries with unit-suffixed keys (``onset_C``, ``enthalpy_J_g``) of a
:class:`~mofglass.thermal.analysis.DSCAnalysis` or
:class:`~mofglass.thermal.analysis.TGAAnalysis`, and the TG curves for figures.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from mofglass.errors import AnalysisError
from mofglass.thermal.analysis import DSCAnalysis, TGAAnalysis
from mofglass.thermal.events import ThermalEvent
from mofglass.thermal.labels import EventLabel
from mofglass.thermal.segments import Segment
from mofglass.thermal.tga import dtg
from mofglass.thermal.thermogram import Thermogram

__all__ = ["dsc_summary", "event_label", "tga_curves", "tga_summary"]


def event_label(ev: ThermalEvent, seg: Segment) -> str:
    """Return the neutral name of an event: "endotherm" or "exotherm".

    Labels need evidence (:mod:`mofglass.thermal.labels`).
    """
    del seg
    return "endotherm" if ev.kind == "endo" else "exotherm"


def tga_curves(trace: Thermogram) -> dict[str, np.ndarray]:
    """Curves of a TG run for figures: temperature, mass %, DTG (%/K) and the DTA as exported."""
    mp = trace.mass_percent
    if mp is None:
        raise AnalysisError(f"{trace.source}: no mass channel")
    T = np.asarray(trace.temperature_C)
    d = dtg(T, mp, time_s=np.asarray(trace.time_s))
    out = {"temperature_C": T, "mass_percent": np.asarray(mp), "dtg_percent_K": d}
    if trace.dta is not None:
        out["dta"] = np.asarray(trace.dta)
    return out


def dsc_summary(result: DSCAnalysis) -> dict[str, Any]:
    """Flat JSON-ready summary with unit-suffixed keys (as printed by ``mofglass dsc --json``)."""
    segs = []
    for s in result.segments:
        d: dict[str, Any] = {
            "segment": s.index,
            "kind": s.segment.kind,
            "start_C": s.segment.start_C,
            "end_C": s.segment.end_C,
            "rate_K_min": s.segment.mean_rate.to_dict(),
            "events": [],
        }
        labs = s.labels or tuple(EventLabel(event_label(e, s.segment), "") for e in s.events)
        for e, lab in zip(s.events, labs, strict=True):
            ev = {
                "label": lab.label,
                "evidence": lab.evidence,
                "kind": e.kind,
                "onset_C": e.onset_C.to_dict(),
                "peak_C": e.peak_C.to_dict(),
                "offset_C": e.offset_C.to_dict(),
                "enthalpy_J_g": e.enthalpy_J_g.to_dict(),
                "flag": e.flag,
            }
            if e.enthalpy_kJ_mol is not None:
                ev["enthalpy_kJ_mol"] = e.enthalpy_kJ_mol.to_dict()
            d["events"].append(ev)
        if s.glass is not None:
            if s.tg_rate is not None:
                d["tg_rate_K_min"] = s.tg_rate.to_dict()
            d["tg_onset_C"] = s.glass.onset_C.to_dict()
            d["tg_mid_C"] = s.glass.midpoint_C.to_dict()
            d["delta_cp_J_gK"] = s.glass.delta_cp_J_gK.to_dict()
            d["tg_evidence"] = s.glass_evidence
        if s.fictive is not None:
            d["fictive_C"] = s.fictive.fictive_C.to_dict()
        if s.crystallised_fraction is not None:
            d["crystallised_fraction"] = s.crystallised_fraction.to_dict()
        segs.append(d)
    out: dict[str, Any] = {
        "source": result.source,
        "segments": segs,
        "warnings": list(result.warnings),
    }
    if result.fragility is not None:
        out["fragility_m"] = result.fragility.fragility_m.to_dict()
        out["tg_reference_C"] = result.fragility.tg_reference_C.to_dict()
    return out


def tga_summary(result: TGAAnalysis) -> dict[str, Any]:
    """Flat JSON-ready summary (as printed by ``mofglass tga --json``)."""
    o = result.onset
    return {
        "source": result.source,
        # a flagged onset (the step is cut by the ramp's end) is no result: None, with the reason
        "decomposition_onset_C": None if o.flag else o.decomposition_onset_C.to_dict(),
        f"t{o.threshold_percent:g}_percent_C": o.threshold_onset_C.to_dict(),
        "dtg_peak_C": None if o.flag else o.dtg_peak_C.to_dict(),
        "onset_flag": o.flag,
        "dtg_window_C": o.smooth_C,
        "mass_gain_percent": o.mass_gain_percent,
        "segment": o.segment,
        "steps": [
            {
                "start_C": s.start_C,
                "end_C": s.end_C,
                "dtg_peak_C": s.dtg_peak_C.to_dict(),
                "mass_loss_percent": s.mass_loss_percent.to_dict(),
                "flag": s.flag,
            }
            for s in result.steps
        ],
        "dta_peaks": [
            {
                "onset_C": e.onset_C.to_dict(),
                "peak_C": e.peak_C.to_dict(),
                "kind": e.kind,
                "flag": e.flag,
            }
            for e in result.dta_events
        ],
        "warnings": list(result.warnings),
    }
