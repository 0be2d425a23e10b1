"""Fragility from a series of runs, one file per rate (the usual lab practice).

Each run gives one point: its first heating segment with a glass transition gives Tf (Moynihan)
or the midpoint Tg; the rate is the measured mean rate through the transition range
(:func:`mofglass.thermal.analysis.transition_rate`) of the cooling just before that heating when
the run has one (Tf is set on cooling), else of the heating itself. The same rule serves
``mofglass dsc``, ``mofglass fragility`` and the study's ``fragility = {files = [...]}``, and the
rate used for every file is reported with it. The fragility fit is
:func:`mofglass.thermal.glass.fragility`.

References
----------
.. [1] C. T. Moynihan et al., J. Am. Ceram. Soc. 59, 12 (1976); R. Böhmer et al., J. Chem.
   Phys. 99, 4201 (1993).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from mofglass.errors import AnalysisError
from mofglass.results import Measured, Result
from mofglass.thermal.analysis import DSCAnalysis, transition_rate
from mofglass.thermal.glass import Fragility, fragility
from mofglass.thermal.thermogram import Thermogram

__all__ = ["FragilityPoint", "FragilitySeries", "fragility_point", "fragility_series"]


@dataclass(frozen=True)
class FragilityPoint(Result):
    """One run's point: the rate used (and how), and Tf or Tg."""

    source: str
    rate_K_min: Measured
    rate_rule: str
    temperature_C: Measured
    quantity: str  # "fictive" or "tg"
    segment: int
    method: ClassVar[str] = "measured mean rate through the transition"


@dataclass(frozen=True)
class FragilitySeries(Result):
    """Points of a series and the fragility fitted through them."""

    points: tuple[FragilityPoint, ...]
    fragility: Fragility
    method: ClassVar[str] = "m = -dlog10|q|/d(Tg/Tf) (Böhmer 1993) over runs at several rates"

    def summary(self) -> dict[str, Any]:
        """JSON-ready, unit-suffixed (as printed by ``mofglass fragility --json``)."""
        fr = self.fragility
        return {
            "fragility_m": fr.fragility_m.to_dict(),
            "activation_enthalpy_kJ_mol": fr.activation_enthalpy_kJ_mol.to_dict(),
            "tg_reference_C": fr.tg_reference_C.to_dict(),
            "reference_rate_K_min": fr.reference_rate_K_min,
            "r_squared": fr.r_squared,
            "points": [
                {
                    "file": p.source,
                    "segment": p.segment,
                    "rate_K_min": p.rate_K_min.to_dict(),
                    "rate_rule": p.rate_rule,
                    f"{p.quantity}_C": p.temperature_C.to_dict(),
                }
                for p in self.points
            ],
        }


def fragility_point(
    trace: Thermogram, result: DSCAnalysis, *, use: str = "fictive"
) -> FragilityPoint | None:
    """Return the point of one run (None when no heating segment has a glass transition)."""
    prev = None
    for s in result.segments:
        if s.segment.kind == "heating" and s.glass is not None:
            if use == "fictive" and s.fictive is not None:
                temp, quantity = s.fictive.fictive_C, "fictive"
            else:
                temp, quantity = s.glass.midpoint_C, "tg"
            if prev is not None and prev.segment.kind == "cooling":
                seg, rule = prev.segment, f"cooling segment {prev.index}"
            else:
                seg, rule = s.segment, f"heating segment {s.index}"
            q = transition_rate(trace, seg, temp.value)
            rule += f", mean rate from {temp.value - 20:.0f} to {temp.value + 20:.0f} °C"
            return FragilityPoint(result.source, q, rule, temp, quantity, s.index)
        prev = s
    return None


def fragility_series(
    runs: Sequence[tuple[Thermogram, DSCAnalysis]], *, use: str = "fictive"
) -> FragilitySeries:
    """Fragility over runs at different rates, one point per run (see module docstring).

    Raises
    ------
    AnalysisError
        Fewer than two runs with a glass transition, or fewer than two distinct rates.
    """
    pts = [p for tr, res in runs if (p := fragility_point(tr, res, use=use)) is not None]
    if len(pts) < 2:
        raise AnalysisError(
            f"fragility needs at least two runs with a glass transition, got {len(pts)}"
        )
    fr = fragility([abs(p.rate_K_min.value) for p in pts], [p.temperature_C for p in pts])
    return FragilitySeries(tuple(pts), fr)
