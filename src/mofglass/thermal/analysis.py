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
from mofglass.results import Measured, Result, ResultRow
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
    mass_loss_steps,
)
from mofglass.thermal.thermogram import Thermogram

__all__ = [
    "Calibration",
    "DSCAnalysis",
    "NamedQuantity",
    "SegmentAnalysis",
    "TGAAnalysis",
    "analyse_dsc",
    "analyse_tga",
    "calibration_option",
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
class NamedQuantity(Result):
    """One named quantity of a run for the results table (``name`` carries the unit)."""

    name: str
    value: Measured
    method: str


@dataclass(frozen=True)
class DSCAnalysis(Result):
    """Everything found in one DSC run.

    ``headline`` holds the run's picks (melting, Tg, ΔCp, Tf, the Tm -> Tg cooling rate, the Tg
    range, the fragility) and ``quantities`` every per-segment quantity
    (:func:`mofglass.thermal.quantities.dsc_quantities`); :meth:`rows` lists both.
    """

    source: str
    segments: tuple[SegmentAnalysis, ...]
    fragility: Fragility | None = None
    warnings: tuple[str, ...] = field(default=())
    headline: tuple[NamedQuantity, ...] = ()
    quantities: tuple[NamedQuantity, ...] = ()
    method: ClassVar[str] = "mofglass.thermal.analyse_dsc"
    headline_paths: ClassVar[tuple[str, ...]] = (
        "segments[*].glass.midpoint_C",
        "segments[*].glass.delta_cp_J_gK",
        "segments[*].events[*].peak_C",
        "segments[*].events[*].enthalpy_J_g",
    )

    def rows(self, *, sample_id: str, technique: str, source: str = "") -> list[ResultRow]:
        """Return the headline quantities, then the per-segment ones, as table rows."""
        return [
            ResultRow(
                sample_id,
                q.name,
                q.value.value,
                q.value.stderr,
                q.value.unit,
                technique,
                q.method,
                source,
            )
            for q in (*self.headline, *self.quantities)
        ]


@dataclass(frozen=True)
class TGAAnalysis(Result):
    """Decomposition onset, mass-loss steps and DTA peaks of one TG run."""

    source: str
    onset: DecompositionOnset
    steps: tuple[MassLossStep, ...]
    dta_events: tuple[ThermalEvent, ...] = ()
    warnings: tuple[str, ...] = field(default=())
    method: ClassVar[str] = "mofglass.thermal.analyse_tga"

    def rows(self, *, sample_id: str, technique: str, source: str = "") -> list[ResultRow]:
        """Onsets and DTG peak, then each mass-loss step and DTA peak, as table rows."""
        o = self.onset
        named = [(f"t{o.threshold_percent:g}_percent_C", o.threshold_onset_C, o.method)]
        if not o.flag:  # a flagged onset (cut step) is no result
            named[:0] = [("decomposition_onset_C", o.decomposition_onset_C, o.method)]
            named.append(("dtg_peak_C", o.dtg_peak_C, o.method))
        for k, s in enumerate((s for s in self.steps if not s.flag), 1):
            named.append((f"step{k}_mass_loss_percent", s.mass_loss_percent, s.method))
            named.append((f"step{k}_dtg_peak_C", s.dtg_peak_C, s.method))
        for k, e in enumerate((e for e in self.dta_events if not e.flag), 1):
            named.append((f"dta{k}_{e.kind}_peak_C", e.peak_C, _DTA_METHOD))
            named.append((f"dta{k}_{e.kind}_onset_C", e.onset_C, _DTA_METHOD))
        return [
            ResultRow(sample_id, name, m.value, m.stderr, m.unit, technique, method, source)
            for name, m, method in named
        ]


_DTA_METHOD = "DTA peak (tangent onset)"


#: an endotherm this large (J/g) is melting or decomposition: no Tg of the material lies above
_BIG_J_G = 50.0


def transition_rate(
    trace: Thermogram, segment: Segment, around_C: float, *, half_width_C: float = 20.0
) -> Measured:
    """Return the scan rate that sets Tf or Tg (K/min, signed).

    It is the measured mean rate of ``segment`` through ``around_C ± half_width_C``.

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
    """Return a warning when the data contradict the exo direction, else "".

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


def _segment_glass(
    trace: Thermogram,
    seg: Segment,
    k: int,
    events: Sequence[ThermalEvent],
    tg_window_C: tuple[float, float] | None,
    warnings: list[str],
) -> tuple[GlassTransition | None, FictiveTemperature | None, str]:
    """Return the glass transition, fictive temperature and evidence of one heating segment."""
    glass = fictive = None
    evidence = ""
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
    return glass, fictive, evidence


def _run_fragility(
    trace: Thermogram, out: Sequence[SegmentAnalysis], warnings: list[str]
) -> Fragility | None:
    """Fragility from the Tf of heatings after coolings at two or more different rates."""
    pairs = []
    for prev, cur in itertools.pairwise(out):
        if prev.segment.kind == "cooling" and cur.fictive is not None:
            q = transition_rate(trace, prev.segment, cur.fictive.fictive_C.value)
            pairs.append((abs(q.value), cur.fictive.fictive_C))
    if len(pairs) >= 2 and len({round(q, 1) for q, _ in pairs}) >= 2:
        try:
            return fragility([q for q, _ in pairs], [tf for _, tf in pairs])
        except AnalysisError as exc:
            warnings.append(f"no fragility: {exc}")
    return None


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
        glass, fictive, evidence = (
            _segment_glass(trace, seg, k, events, tg_window_C, warnings)
            if seg.kind == "heating" and find_tg
            else (None, None, "")
        )
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
        for e, lab in zip(events, labs, strict=True):
            if e.flag:
                warnings.append(
                    f"segment {k + 1}: {lab.label} peaking at {e.peak_C.value:.0f} °C left out: "
                    f"{e.flag}"
                )
        kept = [(e, lab) for e, lab in zip(events, labs, strict=True) if not e.flag]
        melts = [e for e, lab in kept if lab.label == "melting"]
        cold = [e for e, lab in kept if lab.label == "cold_crystallisation"]
        if seg.kind == "heating" and first_melting is not None and cold:
            big = max(cold, key=lambda e: abs(e.enthalpy_J_g.value))
            frac = crystallised_fraction(big.enthalpy_J_g, first_melting.enthalpy_J_g)
        if seg.kind == "heating" and melts and first_melting is None:
            first_melting = max(melts, key=lambda e: e.enthalpy_J_g.value)
        out.append(SegmentAnalysis(k + 1, seg, events, glass, fictive, frac, tuple(labs), evidence))
    frag = _run_fragility(trace, out, warnings)
    res = DSCAnalysis(
        source=trace.source, segments=tuple(out), fragility=frag, warnings=tuple(warnings)
    )
    from mofglass.thermal.quantities import dsc_quantities  # it reads DSCAnalysis

    head, per_segment = dsc_quantities(trace, res)
    return replace(
        res,
        headline=tuple(NamedQuantity(*q) for q in head),
        quantities=tuple(NamedQuantity(*q) for q in per_segment),
    )


_DEFAULT_DTG_WINDOW_C = 5.0
#: an apparent mass gain above this (% of the initial mass) before the main loss is warned of
MASS_GAIN_WARN_PERCENT = 1.0
_NEGATIVE_MASS_PERCENT = 0.5  # a residue below -0.5 % of the initial mass is no residue


def _mass_gain_warning(onset: DecompositionOnset) -> list[str]:
    """Warn of an apparent mass gain before the fastest loss (uncorrected buoyancy)."""
    gain = onset.mass_gain_percent
    if gain <= MASS_GAIN_WARN_PERCENT:
        return []
    return [
        f"the mass rises by {gain:.1f} % of the initial mass before it falls (more than "
        f"{MASS_GAIN_WARN_PERCENT:g} %): buoyancy with no blank (correction) run subtracted, "
        "or a real uptake; mass losses are relative to the initial mass"
    ]


def analyse_tga(
    trace: Thermogram, *, threshold_percent: float = 5.0, molar_mass_g_mol: float | None = None
) -> TGAAnalysis:
    """Decomposition onset (extrapolated and threshold), mass-loss steps and DTA peaks."""
    onset = decomposition_onset(trace, threshold_percent=threshold_percent)
    steps = mass_loss_steps(trace, smooth_C=onset.smooth_C)
    dta_events: tuple[ThermalEvent, ...] = ()
    warnings = list(trace.warnings)
    if onset.flag:
        warnings.append(f"decomposition onset and DTG peak left out: {onset.flag}")
    for st in steps:
        if st.flag:
            warnings.append(
                f"mass-loss step {st.start_C:.0f}-{st.end_C:.0f} °C left out: {st.flag} (its "
                f"loss, at least {st.mass_loss_percent.value:.3g} %, is a lower bound)"
            )
    if onset.smooth_C > _DEFAULT_DTG_WINDOW_C:
        warnings.append(
            f"noisy balance: DTG smoothed over {onset.smooth_C:g} K (the window at which the "
            "DTG noise is <= 2 % of its maximum)"
        )
    warnings.extend(_mass_gain_warning(onset))
    mp = trace.mass_percent
    if mp is not None and float(np.min(mp)) < -_NEGATIVE_MASS_PERCENT:
        warnings.append(
            f"the mass falls to {float(np.min(mp)):.1f} % of the initial (below 0): balance "
            "drift or buoyancy with no blank (correction) run subtracted"
        )
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
