"""Temperature programmes: piecewise-linear heat / cool / hold segments sampled in time."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from mofglass._renamed import renamed_attribute, renamed_keywords

__all__ = ["Segment", "TemperatureProgram"]


@dataclass(frozen=True)
class Segment:
    """One segment: ramp to ``end_C`` at ``rate_K_min`` (sign ignored), or hold for ``hold_min``."""

    end_C: float
    rate_K_min: float = 10.0
    hold_min: float = 0.0

    rate_C_min = renamed_attribute("rate_C_min", "rate_K_min")

    @property
    def is_hold(self) -> bool:
        """Return True for an isothermal hold."""
        return self.hold_min > 0


@dataclass(frozen=True)
class TemperatureProgram:
    """A programme starting at ``start_C`` and running through ``segments``.

    Examples
    --------
    The paper's glass-forming run: heat to 465 °C at 10 K/min, cool at 42 K/min, reheat.

    >>> p = TemperatureProgram(25.0, (Segment(465, 10), Segment(25, 42), Segment(465, 10)))
    >>> round(p.duration_min, 2)
    98.48
    """

    start_C: float
    segments: tuple[Segment, ...]

    @property
    def duration_min(self) -> float:
        """Return the programme duration in min."""
        t, temp = 0.0, self.start_C
        for s in self.segments:
            if s.is_hold:
                t += s.hold_min
            else:
                t += abs(s.end_C - temp) / abs(s.rate_K_min)
                temp = s.end_C
        return t

    def sample(
        self, *, step_C: float = 0.5, hold_step_min: float = 0.1
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Time (min), temperature (°C) and segment index at steps of about ``step_C``.

        Returns arrays of equal length starting at t = 0; each segment contributes its end point.
        Holds are sampled every ``hold_step_min`` for their first 20 minutes (at least 50
        points), then geometrically (200 points per decade), so that a hold of years costs a
        few thousand points and keeps a relative time resolution of about 1 %.
        """
        times = [0.0]
        temps = [self.start_C]
        index = [0]
        t, temp = 0.0, self.start_C
        for k, s in enumerate(self.segments):
            if s.is_hold:
                ts = t + _hold_times(s.hold_min, hold_step_min)
                n = ts.size
                times += ts.tolist()
                temps += [temp] * n
                t += s.hold_min
            else:
                if s.rate_K_min == 0:
                    raise ValueError(f"segment {k + 1}: a ramp needs a non-zero rate")
                span = s.end_C - temp
                n = max(1, int(np.ceil(abs(span) / step_C)))
                frac = np.linspace(0, 1, n + 1)[1:]
                times += (t + frac * abs(span) / abs(s.rate_K_min)).tolist()
                temps += (temp + frac * span).tolist()
                t += abs(span) / abs(s.rate_K_min)
                temp = s.end_C
            index += [k] * (len(times) - len(index))
        return np.asarray(times), np.asarray(temps), np.asarray(index)

    @classmethod
    @renamed_keywords(rate_C_min="rate_K_min")
    def linear(cls, start_C: float, end_C: float, rate_K_min: float) -> TemperatureProgram:
        """Return a single ramp."""
        return cls(start_C, (Segment(end_C, rate_K_min),))

    @classmethod
    def from_steps(cls, start_C: float, steps: Sequence[tuple[float, float]]) -> TemperatureProgram:
        """From ``[(end_C, rate_K_min), ...]``; a rate of 0 with end = hold minutes is not allowed."""
        return cls(start_C, tuple(Segment(e, r) for e, r in steps))


def _hold_times(hold_min: float, step_min: float) -> np.ndarray:
    """Return the times within a hold (excluding 0, including the end): linear, then geometric."""
    linear_end = min(hold_min, max(20.0, 50 * step_min))
    n = max(50, int(np.ceil(linear_end / step_min)))
    ts = np.linspace(0.0, linear_end, n + 1)[1:]
    if hold_min > linear_end:
        decades = np.log10(hold_min / linear_end)
        m = max(2, int(np.ceil(200 * decades)))
        ts = np.concatenate([ts, np.geomspace(linear_end, hold_min, m + 1)[1:]])
    return ts
