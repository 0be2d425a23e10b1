"""Names of DSC events, given only with evidence.

An event found by :func:`mofglass.thermal.events.find_events` is an "endotherm" or an "exotherm"
(with onset, peak, offset and area) until the data or the user say more. A label is given only
with evidence, and the evidence is returned with it for the report:

* the user names it: a window of the manifest (``events = [{window_C = [440, 460], label =
  "melting"}]``) or ``--event``; this wins over everything else;
* "decomposition": a mass channel of the same run (TG / STA) loses more than 1 % over the event
  (endothermic or exothermic), or the event starts above a decomposition temperature the user
  gives; an endotherm with mass loss below 150 °C is "evaporation" (water / solvent);
* "cold_crystallisation" and "melting" as a pair on heating: an exotherm above a glass transition
  detected in this or an earlier heating, followed in the same scan by an endotherm whose area
  matches (|ΔHc| / ΔHm between 0.1 and 1.25: the crystals formed melt again);
* "crystallisation" and "melting" as a pair between a cooling and a heating: an exotherm on cooling
  and an endotherm on heating, peaks within 60 K (supercooling) and areas within a factor 1.5;
* "melting": an endotherm on the first heating of a sample declared crystalline, or an endotherm
  whose peak recurs within 5 K of an event already labelled melting in another scan;
* "glass transition" is not an event here: it is a step (:mod:`mofglass.thermal.glass_search`).

PMMA's decomposition endotherm (≈ 700 J/g, no crystallisation before it, no crystalline phase) is
therefore an "endotherm" - or "decomposition" when its TG channel or Td is given.

References
----------
.. [1] G. W. H. Höhne, W. F. Hemminger, H.-J. Flammersheim, *Differential Scanning Calorimetry*,
   2nd ed., Springer 2003, ch. 7 (interpretation of DSC curves).
.. [2] ICTAC nomenclature: J. Therm. Anal. Calorim. 2014 (terms for thermal events).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from mofglass.thermal.events import ThermalEvent
from mofglass.thermal.segments import Segment
from mofglass.thermal.thermogram import Thermogram

__all__ = ["LABELS", "EventLabel", "NamedWindow", "label_events"]

#: labels an event may carry
LABELS = (
    "endotherm",
    "exotherm",
    "melting",
    "crystallisation",
    "cold_crystallisation",
    "decomposition",
    "solid_solid",
    "evaporation",
)


@dataclass(frozen=True)
class NamedWindow:
    """A user's name for the event whose peak lies in ``window_C``."""

    window_C: tuple[float, float]
    label: str


@dataclass(frozen=True)
class EventLabel:
    """The label of one event and the evidence for it."""

    label: str
    evidence: str


def _neutral(ev: ThermalEvent) -> EventLabel:
    return EventLabel(
        "endotherm" if ev.kind == "endo" else "exotherm", "no evidence for a name (neutral)"
    )


def label_events(
    trace: Thermogram,
    segments: Sequence[tuple[Segment, Sequence[ThermalEvent], float | None]],
    *,
    named: Sequence[NamedWindow] = (),
    sample_phase: str | None = None,
    decomposition_C: float | None = None,
) -> list[list[EventLabel]]:
    """Label the events of every segment (see module docstring).

    Parameters
    ----------
    trace : Thermogram
        The run (its mass channel, when present, is evidence for decomposition).
    segments : sequence of (Segment, events, tg_mid_C or None)
        Segments in time order with their events and detected glass-transition midpoint.
    named : sequence of NamedWindow
        The user's names; an event whose peak lies in a window takes its label.
    sample_phase : str, optional
        "crystal" makes the endotherms of the first heating melting events.
    decomposition_C : float, optional
        Events starting above this temperature are decomposition.

    Returns
    -------
    list of list of EventLabel
        One list per segment, parallel to its events.
    """
    out = [[_neutral(e) for e in evs] for _, evs, _ in segments]
    mp = trace.mass_percent
    tg_seen: float | None = None
    first_heating = next((k for k, (s, _, _) in enumerate(segments) if s.kind == "heating"), None)
    for k, (seg, evs, tg) in enumerate(segments):
        if seg.kind == "heating" and tg is not None:
            tg_seen = tg if tg_seen is None else min(tg_seen, tg)
        for j, ev in enumerate(evs):
            lab = _mass_loss_label(trace, seg, ev) if mp is not None else None
            if lab is None and decomposition_C is not None:
                if ev.onset_C.value >= decomposition_C - 5.0:
                    lab = EventLabel(
                        "decomposition",
                        f"above the given decomposition temperature {decomposition_C:g} °C",
                    )
            if lab is not None:
                out[k][j] = lab
        if seg.kind == "heating" and tg_seen is not None:
            _pair_cold(evs, out[k], tg_seen)
        if k == first_heating and sample_phase == "crystal":
            for j, ev in enumerate(evs):
                if ev.kind == "endo" and out[k][j].label == "endotherm":
                    out[k][j] = EventLabel(
                        "melting", "first heating of a sample declared crystalline"
                    )
    _pair_cooling(segments, out)
    _recurring(segments, out)
    for k, (_, evs, _) in enumerate(segments):
        for j, ev in enumerate(evs):
            for nw in named:
                if min(nw.window_C) <= ev.peak_C.value <= max(nw.window_C):
                    out[k][j] = EventLabel(nw.label, "named by the user (manifest / option)")
    return out


def _mass_loss_label(trace: Thermogram, seg: Segment, ev: ThermalEvent) -> EventLabel | None:
    """Evaporation or decomposition when the mass channel loses > 1 % over the event."""
    mp = trace.mass_percent
    if mp is None:
        return None
    lo, hi = sorted(ev.window_C)
    sl = seg.slice()
    T = np.asarray(trace.temperature_C[sl])
    m = np.asarray(mp[sl])
    inside = (T >= lo) & (T <= hi)
    if inside.sum() < 2:
        return None
    loss = float(m[inside][0] - m[inside][-1])
    if loss > 1.0 and ev.kind == "endo" and ev.peak_C.value < 150.0:
        return EventLabel(
            "evaporation",
            f"mass falls {loss:.1f} % over an endotherm below 150 °C (water / solvent release)",
        )
    if loss > 1.0:
        return EventLabel("decomposition", f"mass falls {loss:.1f} % over the event")
    return None


def _free(lab: EventLabel) -> bool:
    return lab.label in ("endotherm", "exotherm")


def _pair_cold(evs: Sequence[ThermalEvent], labs: list[EventLabel], tg: float) -> None:
    for i, ex in enumerate(evs):
        if ex.kind != "exo" or not _free(labs[i]) or ex.peak_C.value <= tg:
            continue
        hc = abs(ex.enthalpy_J_g.value)
        for j in range(i + 1, len(evs)):
            en = evs[j]
            if en.kind != "endo" or en.peak_C.value <= ex.peak_C.value or not _free(labs[j]):
                continue
            hm = en.enthalpy_J_g.value
            if hm > 0 and 0.1 <= hc / hm <= 1.25:
                labs[i] = EventLabel(
                    "cold_crystallisation",
                    f"exotherm above Tg {tg:.0f} °C whose crystals melt at {en.peak_C.value:.0f} °C"
                    f" (|ΔHc|/ΔHm = {hc / hm:.2f})",
                )
                labs[j] = EventLabel(
                    "melting",
                    f"endotherm after the cold crystallisation at {ex.peak_C.value:.0f} °C "
                    f"(|ΔHc|/ΔHm = {hc / hm:.2f})",
                )
                break


def _pair_cooling(
    segments: Sequence[tuple[Segment, Sequence[ThermalEvent], float | None]],
    out: list[list[EventLabel]],
) -> None:
    for k, (seg, evs, _) in enumerate(segments):
        if seg.kind != "cooling":
            continue
        for i, ex in enumerate(evs):
            if ex.kind != "exo" or not _free(out[k][i]):
                continue
            hc = abs(ex.enthalpy_J_g.value)
            for k2, (s2, ev2, _) in enumerate(segments):
                if s2.kind != "heating":
                    continue
                for j, en in enumerate(ev2):
                    hm = en.enthalpy_J_g.value
                    if (
                        en.kind != "endo"
                        or out[k2][j].label not in ("endotherm", "melting")
                        or not 0.0 <= en.peak_C.value - ex.peak_C.value <= 60.0
                        or not hm > 0
                        or not 1 / 1.5 <= hc / hm <= 1.5
                    ):
                        continue
                    out[k][i] = EventLabel(
                        "crystallisation",
                        f"exotherm on cooling matching the endotherm at {en.peak_C.value:.1f} °C "
                        f"(segment {k2 + 1}, |ΔHc|/ΔHm = {hc / hm:.2f})",
                    )
                    if out[k2][j].label == "endotherm":
                        out[k2][j] = EventLabel(
                            "melting",
                            f"endotherm matched by the crystallisation at {ex.peak_C.value:.1f} °C "
                            f"on cooling (segment {k + 1}, |ΔHc|/ΔHm = {hc / hm:.2f})",
                        )
                    break
                if not _free(out[k][i]):
                    break


def _recurring(
    segments: Sequence[tuple[Segment, Sequence[ThermalEvent], float | None]],
    out: list[list[EventLabel]],
) -> None:
    melts = [
        (k, ev.peak_C.value)
        for k, (_, evs, _) in enumerate(segments)
        for j, ev in enumerate(evs)
        if out[k][j].label == "melting"
    ]
    for k, (seg, evs, _) in enumerate(segments):
        if seg.kind != "heating":
            continue
        for j, ev in enumerate(evs):
            if ev.kind != "endo" or out[k][j].label != "endotherm":
                continue
            for k2, tp in melts:
                if k2 != k and abs(ev.peak_C.value - tp) <= 5.0:
                    out[k][j] = EventLabel(
                        "melting", f"recurs at the melting of segment {k2 + 1} ({tp:.0f} °C)"
                    )
                    break
