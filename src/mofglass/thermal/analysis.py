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
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

import numpy as np

from mofglass.errors import AnalysisError
from mofglass.results import Measured, Result
from mofglass.thermal.calibration import (
    Calibration,
    add_calibration,
    calibrate_event,
    calibrate_glass,
    calibration_option,
)
from mofglass.thermal.events import ThermalEvent, crystallised_fraction, find_events, noise_level
from mofglass.thermal.glass import (
    FictiveTemperature,
    Fragility,
    GlassTransition,
    fictive_temperature,
    fragility,
    glass_transition,
)
from mofglass.thermal.glass_search import find_glass_transition
from mofglass.thermal.labels import EventLabel, NamedWindow, label_events
from mofglass.thermal.segments import Segment, average_rate, find_segments
from mofglass.thermal.tga import (
    DecompositionOnset,
    MassLossStep,
    decomposition_onset,
    dtg,
    mass_loss_steps,
)
from mofglass.thermal.thermogram import Thermogram

__all__ = [
    "Calibration",
    "DSCAnalysis",
    "SegmentAnalysis",
    "TGAAnalysis",
    "analyse_dsc",
    "analyse_tga",
    "calibration_option",
    "tga_curves",
    "transition_rate",
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
    labels: tuple[EventLabel, ...] = ()
    glass_evidence: str = ""
    tg_rate: Measured | None = None
    method: ClassVar[str] = "segment analysis"


@dataclass(frozen=True)
class DSCAnalysis(Result):
    """Everything found in one DSC run."""

    source: str
    segments: tuple[SegmentAnalysis, ...]
    fragility: Fragility | None = None
    warnings: tuple[str, ...] = field(default=())
    method: ClassVar[str] = "mofglass.thermal.analyse_dsc"
    headline_paths: ClassVar[tuple[str, ...]] = (
        "segments[*].glass.midpoint_C",
        "segments[*].glass.delta_cp_J_gK",
        "segments[*].events[*].peak_C",
        "segments[*].events[*].enthalpy_J_g",
    )


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
    """Neutral name of an event: "endotherm" or "exotherm" (labels need evidence, see
    :mod:`mofglass.thermal.labels`)."""
    del seg
    return "endotherm" if ev.kind == "endo" else "exotherm"


#: an endotherm this large (J/g) is melting or decomposition: no Tg of the material lies above
_BIG_J_G = 50.0


def transition_rate(
    trace: Thermogram, segment: Segment, around_C: float, *, half_width_C: float = 20.0
) -> Measured:
    """The scan rate that sets Tf or Tg: the measured mean rate of ``segment`` through the
    transition range ``around_C ± half_width_C`` (K/min, signed).

    One rule for every rate reported with a glass transition (``mofglass dsc``, ``mofglass
    fragility``, the study's fragility series): a controlled cooling often lags the programme
    at low temperature, so the whole segment's mean rate would not be the rate at Tg. Falls back
    to the segment's mean rate when the segment does not span the range.
    """
    lo = max(around_C - half_width_C, min(segment.start_C, segment.end_C) + 0.5)
    hi = min(around_C + half_width_C, max(segment.start_C, segment.end_C) - 0.5)
    if hi - lo < 5.0:
        return segment.mean_rate
    a, b = (lo, hi) if segment.kind == "heating" else (hi, lo)
    try:
        return average_rate(trace, from_C=a, to_C=b, segment=segment)
    except AnalysisError:
        return segment.mean_rate


def exo_direction_check(trace: Thermogram, segments: Sequence[Segment]) -> str:
    """A warning when the data contradict the exo direction, else "".

    Going from an isothermal or cooling segment into heating, the heat flow must move in the
    endothermic direction by about Cp·(q_after - q_before) (the sample takes heat to warm up:
    Höhne et al. 2003, sec. 3.2). The level after the start-up (10-30 % into the heating) is
    compared with the end of the segment before; a move exothermic by more than 10 times the
    noise and more than 0.3 J/(g K) times the rate change contradicts the declared direction.
    """
    y = trace.endo_positive()
    for prev, cur in itertools.pairwise(segments):
        if cur.kind != "heating" or prev.kind == "heating" or cur.stop - cur.start < 50:
            continue
        if prev.stop - prev.start < 10:
            continue
        n = cur.stop - cur.start
        before = y[prev.stop - max((prev.stop - prev.start) // 5, 3) : prev.stop]
        after = y[cur.start + n // 10 : cur.start + 3 * n // 10]
        noise = max(noise_level(before), noise_level(after), 1e-9)
        shift = float(np.median(after) - np.median(before))
        dq_s = (cur.mean_rate.value - (prev.mean_rate.value if prev.kind == "cooling" else 0)) / 60
        if shift < -10 * noise and -shift > 0.3 * dq_s:  # > a third of 1 J/(g K) times Δq
            return (
                f"the exo direction contradicts the data: entering the heating at "
                f"{cur.start_C:.0f} °C the signal moved {abs(shift):.3g} W/g exothermic (a heating "
                "scan shifts endothermic by Cp·q); check the file's exo flag / --exo-up"
            )
    return ""


def analyse_dsc(
    trace: Thermogram,
    *,
    molar_mass_g_mol: float | None = None,
    tg_window_C: tuple[float, float] | None = None,
    find_tg: bool = True,
    baseline: str = "linear",
    named_events: Sequence[NamedWindow] = (),
    sample_phase: str | None = None,
    decomposition_C: float | None = None,
    calibration: Calibration | None = None,
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
        (:func:`mofglass.thermal.glass_search.find_glass_transition`).
    find_tg : bool
        Look for a glass transition at all.
    baseline : str
        Peak baseline (see :mod:`mofglass.thermal.baselines`).
    named_events, sample_phase, decomposition_C
        Evidence for event names (:func:`mofglass.thermal.labels.label_events`).
    calibration : Calibration, optional
        Instrument calibration uncertainty added to every temperature and enthalpy (default
        :class:`Calibration`: 0.5 K, 2 %).
    """
    cal = calibration if calibration is not None else Calibration.from_trace(trace)
    all_segs = find_segments(trace)
    segs = [s for s in all_segs if s.kind != "isothermal" and s.stop - s.start > 20]
    warnings: list[str] = list(trace.warnings)
    exo_check = exo_direction_check(trace, all_segs)
    if exo_check:
        warnings.append(exo_check)
    found: list[tuple[Segment, tuple[ThermalEvent, ...], GlassTransition | None, Any, str]] = []
    for k, seg in enumerate(segs):
        events = find_events(
            trace,
            segment=seg,
            molar_mass_g_mol=molar_mass_g_mol,
            baseline=baseline,
            exclude_C=tg_window_C,
        )
        glass = fictive = None
        evidence = ""
        if seg.kind == "heating" and find_tg:
            win = tg_window_C
            if win is None:
                search = find_glass_transition(
                    trace,
                    segment=seg,
                    exclude_C=tuple((e.onset_C.value, e.offset_C.value) for e in events),
                    below_C=min(
                        (e.onset_C.value for e in events if e.enthalpy_J_g.value > _BIG_J_G),
                        default=None,
                    ),
                )
                glass, win, evidence = search.glass, search.window_C, search.evidence
            elif min(win) > seg.start_C and max(win) < seg.end_C:
                try:
                    glass = glass_transition(trace, window_C=win, segment=seg)
                    evidence = f"step fitted in the given window {win[0]:g}-{win[1]:g} °C"
                except AnalysisError as exc:
                    warnings.append(f"segment {k + 1}: no glass transition ({exc})")
            if glass is not None and win is not None:
                try:
                    fictive = fictive_temperature(trace, window_C=win, segment=seg)
                except AnalysisError as exc:
                    warnings.append(f"segment {k + 1}: no fictive temperature ({exc})")
        events = tuple(calibrate_event(e, cal) for e in events)
        if glass is not None:
            glass = calibrate_glass(glass, cal)
        if fictive is not None:
            fictive = replace(
                fictive, fictive_C=add_calibration(fictive.fictive_C, cal.temperature_K)
            )
        found.append((seg, events, glass, fictive, evidence))
    labels = label_events(
        trace,
        [(s, ev, None if g is None else g.midpoint_C.value) for s, ev, g, _, _ in found],
        named=named_events,
        sample_phase=sample_phase,
        decomposition_C=decomposition_C,
    )
    out: list[SegmentAnalysis] = []
    first_melting: ThermalEvent | None = None
    for k, ((seg, events, glass, fictive, evidence), labs) in enumerate(
        zip(found, labels, strict=True)
    ):
        frac = None
        melts = [e for e, lab in zip(events, labs, strict=True) if lab.label == "melting"]
        cold = [
            e for e, lab in zip(events, labs, strict=True) if lab.label == "cold_crystallisation"
        ]
        if seg.kind == "heating" and first_melting is not None and cold:
            big = max(cold, key=lambda e: abs(e.enthalpy_J_g.value))
            frac = crystallised_fraction(big.enthalpy_J_g, first_melting.enthalpy_J_g)
        if seg.kind == "heating" and melts and first_melting is None:
            first_melting = max(melts, key=lambda e: e.enthalpy_J_g.value)
        out.append(SegmentAnalysis(k + 1, seg, events, glass, fictive, frac, tuple(labs), evidence))
    frag = None
    pairs = []
    for prev, cur in itertools.pairwise(out):
        if prev.segment.kind == "cooling" and cur.fictive is not None:
            q = transition_rate(trace, prev.segment, cur.fictive.fictive_C.value)
            pairs.append((abs(q.value), cur.fictive.fictive_C))
    if len(pairs) >= 2 and len({round(q, 1) for q, _ in pairs}) >= 2:
        try:
            frag = fragility([q for q, _ in pairs], [tf for _, tf in pairs])
        except AnalysisError as exc:
            warnings.append(f"no fragility: {exc}")
    return DSCAnalysis(
        source=trace.source, segments=tuple(out), fragility=frag, warnings=tuple(warnings)
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
        # a DTA channel (µV) in the file's exo direction; analysed as a signal in its unit
        exo = trace.exo_up
        if exo is None:
            exo = True
            warnings.append("DTA exo direction unknown: taken as exothermic up")
        dta_trace = replace(trace, heat_flow_W_g=np.asarray(trace.dta), exo_up=exo)
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


def tga_curves(trace: Thermogram) -> dict[str, np.ndarray]:
    """Curves of a TG run for figures: temperature, mass %, DTG (%/K) and the DTA as exported."""
    mp = trace.mass_percent
    if mp is None:
        raise AnalysisError(f"{trace.source}: no mass channel")
    T = np.asarray(trace.temperature_C)
    out = {"temperature_C": T, "mass_percent": np.asarray(mp), "dtg_percent_K": dtg(T, mp)}
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
