"""One-call analyses of a whole run, used by the CLI and the study technique.

:func:`analyse_dsc` splits a DSC run into segments, finds the events of every heating and
cooling segment, the glass transition (and fictive temperature) of every heating segment, the
crystallised fraction of cold crystallisations against the first melting, and the fragility
when the run holds heating scans after coolings at several rates. :func:`analyse_tga` gives the
decomposition onset, mass-loss steps and DTA peaks of a TG / STA run. Both only call the public
functions of the method modules.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
from scipy.signal import savgol_filter

from mofglass.errors import AnalysisError
from mofglass.results import Measured, Result
from mofglass.thermal.events import ThermalEvent, crystallised_fraction, find_events
from mofglass.thermal.glass import (
    FictiveTemperature,
    Fragility,
    GlassTransition,
    fictive_temperature,
    fragility,
    glass_transition,
)
from mofglass.thermal.segments import Segment, find_segments
from mofglass.thermal.tga import (
    DecompositionOnset,
    MassLossStep,
    decomposition_onset,
    mass_loss_steps,
)
from mofglass.thermal.thermogram import Thermogram

__all__ = [
    "DSCAnalysis",
    "SegmentAnalysis",
    "TGAAnalysis",
    "analyse_dsc",
    "analyse_tga",
    "find_glass_window",
]


@dataclass(frozen=True)
class SegmentAnalysis(Result):
    """Events and glass transition of one segment."""

    index: int
    segment: Segment
    events: tuple[ThermalEvent, ...]
    glass: GlassTransition | None = None
    fictive: FictiveTemperature | None = None
    crystallised_fraction: Measured | None = None
    method: ClassVar[str] = "segment analysis"


@dataclass(frozen=True)
class DSCAnalysis(Result):
    """Everything found in one DSC run."""

    source: str
    segments: tuple[SegmentAnalysis, ...]
    fragility: Fragility | None = None
    warnings: tuple[str, ...] = field(default=())
    method: ClassVar[str] = "mofglass.thermal.analyse_dsc"


@dataclass(frozen=True)
class TGAAnalysis(Result):
    """Decomposition onset, mass-loss steps and DTA peaks of one TG run."""

    source: str
    onset: DecompositionOnset
    steps: tuple[MassLossStep, ...]
    dta_events: tuple[ThermalEvent, ...] = ()
    warnings: tuple[str, ...] = field(default=())
    method: ClassVar[str] = "mofglass.thermal.analyse_tga"


def event_label(ev: ThermalEvent, seg: Segment) -> str:
    """ "melting", "crystallisation", "cold_crystallisation" or "endotherm" / "exotherm"."""
    if seg.kind == "heating":
        return "melting" if ev.kind == "endo" else "cold_crystallisation"
    if seg.kind == "cooling":
        return "crystallisation" if ev.kind == "exo" else "endotherm"
    return "endotherm" if ev.kind == "endo" else "exotherm"


def find_glass_window(
    trace: Thermogram,
    segment: Segment,
    *,
    exclude: tuple[tuple[float, float], ...] = (),
    half_width_C: float = 30.0,
    edge_C: float = 15.0,
) -> tuple[float, float] | None:
    """Window around the largest heat-capacity step of a heating segment, or None.

    The step is the largest maximum of the smoothed slope d(heat flow)/dT (endothermic up), away
    from the segment ends and from event windows (``exclude``), that stands above 5 times the
    slope noise.
    """
    sl = segment.slice()
    T = np.asarray(trace.temperature_C[sl], float)
    y = trace.endo_positive()[sl]
    if len(T) < 50:
        return None
    dT = float(np.median(np.abs(np.diff(T)))) or 1e-3
    # a 12 K derivative window: the +/- slopes of narrow peaks cancel, a step's slope remains
    w = max(7, int(np.rint(12.0 / dT)) | 1)
    if w >= len(y):
        return None
    d = savgol_filter(y, w, 2, deriv=1) / dT
    d = d - np.median(d)
    ok = (T > T.min() + edge_C) & (T < T.max() - edge_C)
    for lo, hi in exclude:
        pad = 0.25 * (hi - lo) + 5.0
        ok &= (T < lo - pad) | (T > hi + pad)
    if not ok.any():
        return None
    noise = 1.4826 * float(np.median(np.abs(np.diff(d)))) * np.sqrt(w)
    cand = np.where(ok, d, -np.inf)
    i = int(np.argmax(cand))
    if not np.isfinite(cand[i]) or cand[i] < 5 * max(noise, 1e-12):
        return None
    lo, hi = T[i] - half_width_C, T[i] + half_width_C
    for elo, ehi in exclude:
        if ehi < T[i]:
            lo = max(lo, ehi + 2.0)
        elif elo > T[i]:
            hi = min(hi, elo - 2.0)
    lo = max(lo, T.min() + 2.0)
    hi = min(hi, T.max() - 2.0)
    if hi - lo < 20.0:
        return None
    return float(lo), float(hi)


def analyse_dsc(
    trace: Thermogram,
    *,
    molar_mass_g_mol: float | None = None,
    tg_window_C: tuple[float, float] | None = None,
    find_tg: bool = True,
    baseline: str = "linear",
) -> DSCAnalysis:
    """Analyse every segment of a DSC run (see module docstring).

    Parameters
    ----------
    trace : Thermogram
        Heat flow in W/g with a known exo direction.
    molar_mass_g_mol : float, optional
        For enthalpies in kJ/mol.
    tg_window_C : (float, float), optional
        Window of the glass transition; by default searched in each heating segment
        (:func:`find_glass_window`).
    find_tg : bool
        Look for a glass transition at all.
    baseline : str
        Peak baseline (see :mod:`mofglass.thermal.baselines`).
    """
    segs = [s for s in find_segments(trace) if s.kind != "isothermal" and s.stop - s.start > 20]
    warnings: list[str] = list(trace.warnings)
    out: list[SegmentAnalysis] = []
    first_melting: ThermalEvent | None = None
    for k, seg in enumerate(segs):
        exclude = tg_window_C if tg_window_C is not None else None
        events = find_events(
            trace,
            segment=seg,
            molar_mass_g_mol=molar_mass_g_mol,
            baseline=baseline,
            exclude_C=exclude,
        )
        glass = fictive = frac = None
        if seg.kind == "heating" and find_tg:
            win = tg_window_C
            if win is None:
                win = find_glass_window(trace, seg, exclude=tuple(e.window_C for e in events))
            if win is not None and min(win) > seg.start_C and max(win) < seg.end_C:
                try:
                    glass = glass_transition(trace, window_C=win, segment=seg)
                    fictive = fictive_temperature(trace, window_C=win, segment=seg)
                except AnalysisError as exc:
                    warnings.append(f"segment {k + 1}: no glass transition ({exc})")
                    glass = fictive = None
                if glass is not None and not _significant(glass, win):
                    glass = fictive = None
        if seg.kind == "heating":
            melts = [e for e in events if e.kind == "endo"]
            if melts and first_melting is None:
                first_melting = max(melts, key=lambda e: e.enthalpy_J_g.value)
            elif first_melting is not None:
                cold = [e for e in events if e.kind == "exo"]
                if cold:
                    big = max(cold, key=lambda e: abs(e.enthalpy_J_g.value))
                    frac = crystallised_fraction(big.enthalpy_J_g, first_melting.enthalpy_J_g)
        out.append(SegmentAnalysis(k + 1, seg, events, glass, fictive, frac))
    frag = None
    pairs = []
    for prev, cur in itertools.pairwise(out):
        if prev.segment.kind == "cooling" and cur.fictive is not None:
            pairs.append((abs(prev.segment.nominal_rate_K_min), cur.fictive.fictive_C))
    if len(pairs) >= 2 and len({round(q, 1) for q, _ in pairs}) >= 2:
        try:
            frag = fragility([q for q, _ in pairs], [tf for _, tf in pairs])
        except AnalysisError as exc:
            warnings.append(f"no fragility: {exc}")
    return DSCAnalysis(
        source=trace.source, segments=tuple(out), fragility=frag, warnings=tuple(warnings)
    )


def _significant(g: GlassTransition, win: tuple[float, float]) -> bool:
    d = g.delta_cp_J_gK
    width = g.endset_C.value - g.onset_C.value
    return bool(
        g.step_W_g > 0
        and (d.stderr is None or d.value > 3 * d.stderr)
        and min(win) < g.midpoint_C.value < max(win)
        and 0 < width < 0.8 * (max(win) - min(win))
    )


def analyse_tga(
    trace: Thermogram, *, threshold_percent: float = 5.0, molar_mass_g_mol: float | None = None
) -> TGAAnalysis:
    """Decomposition onset (extrapolated and threshold), mass-loss steps and DTA peaks."""
    onset = decomposition_onset(trace, threshold_percent=threshold_percent)
    steps = mass_loss_steps(trace)
    dta_events: tuple[ThermalEvent, ...] = ()
    warnings = list(trace.warnings)
    if trace.dta is not None:
        # a DTA channel in µV: endothermic down (NETZSCH, TA); analysed as a signal in its unit
        from dataclasses import replace

        dta_trace = replace(trace, heat_flow_W_g=np.asarray(trace.dta), exo_up=True)
        heats = [s for s in find_segments(dta_trace) if s.kind == "heating"]
        if heats:
            seg = max(heats, key=lambda s: s.end_C - s.start_C)
            dta_events = find_events(dta_trace, segment=seg, min_enthalpy_J_g=0.0)
            warnings.append(f"DTA peaks integrated in {trace.dta_unit}·s (uncalibrated), not J/g")
    return TGAAnalysis(
        source=trace.source,
        onset=onset,
        steps=steps,
        dta_events=dta_events,
        warnings=tuple(warnings),
    )


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
        for e in s.events:
            ev = {
                "label": event_label(e, s.segment),
                "kind": e.kind,
                "onset_C": e.onset_C.to_dict(),
                "peak_C": e.peak_C.to_dict(),
                "offset_C": e.offset_C.to_dict(),
                "enthalpy_J_g": e.enthalpy_J_g.to_dict(),
            }
            if e.enthalpy_kJ_mol is not None:
                ev["enthalpy_kJ_mol"] = e.enthalpy_kJ_mol.to_dict()
            d["events"].append(ev)
        if s.glass is not None:
            d["tg_onset_C"] = s.glass.onset_C.to_dict()
            d["tg_mid_C"] = s.glass.midpoint_C.to_dict()
            d["delta_cp_J_gK"] = s.glass.delta_cp_J_gK.to_dict()
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
        "decomposition_onset_C": o.decomposition_onset_C.to_dict(),
        f"t{o.threshold_percent:g}_percent_C": o.threshold_onset_C.to_dict(),
        "dtg_peak_C": o.dtg_peak_C.to_dict(),
        "steps": [
            {
                "start_C": s.start_C,
                "end_C": s.end_C,
                "dtg_peak_C": s.dtg_peak_C.to_dict(),
                "mass_loss_percent": s.mass_loss_percent.to_dict(),
            }
            for s in result.steps
        ],
        "dta_peaks": [
            {"onset_C": e.onset_C.to_dict(), "peak_C": e.peak_C.to_dict(), "kind": e.kind}
            for e in result.dta_events
        ],
        "warnings": list(result.warnings),
    }
