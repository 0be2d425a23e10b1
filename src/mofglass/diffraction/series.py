"""Sequential whole-pattern refinement of a variable-temperature (or any) series of patterns.

Each pattern is fitted starting from the cell of the last *successful* fit (the first from
the user's start cell). A fit that raises, does not converge or is flagged is kept in the
result with its reason but not carried forward, and its cell is left out of the expansion
tensor (:func:`mofglass.diffraction.expansion.thermal_expansion`), computed when at least
three fits with temperatures succeeded.

References
----------
.. [1] M. J. Cliffe, A. L. Goodwin, J. Appl. Cryst. 45 (2012) 1321-1329 (PASCal).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from mofglass.crystallography.cell import Cell
from mofglass.diffraction.expansion import ExpansionResult, thermal_expansion
from mofglass.diffraction.pattern import Pattern
from mofglass.diffraction.pawley import PawleyResult, pawley_refine
from mofglass.diffraction.temperature import pattern_temperature
from mofglass.errors import AnalysisError
from mofglass.results import Result
from mofglass.units import kelvin_to_celsius

__all__ = ["SeriesResult", "refine_series"]

_CELL_NAMES = ("a_A", "b_A", "c_A", "alpha_deg", "beta_deg", "gamma_deg", "volume_A3")


@dataclass(frozen=True)
class SeriesResult(Result):
    """Per-pattern fits (None when the fit raised), their problems, and the expansion tensor.

    ``problems[i]`` is empty for a good fit; ``expansion`` is None with fewer than three
    good fits or without temperatures.
    """

    sources: tuple[str, ...]
    temperature_K: tuple[float | None, ...]
    fits: tuple[PawleyResult | None, ...]
    problems: tuple[tuple[str, ...], ...]
    expansion: ExpansionResult | None
    temperature_origin: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    method: ClassVar[str] = "sequential whole-pattern fits; PASCal principal-axis expansion"

    @property
    def good(self) -> list[int]:
        """Indices of the successful fits."""
        return [i for i, p in enumerate(self.problems) if not p]

    def table(self) -> list[dict[str, Any]]:
        """One JSON-ready row per pattern: temperature, cell with s.u.s, Rwp, problems."""
        rows = []
        for i, src in enumerate(self.sources):
            fit = self.fits[i]
            t = self.temperature_K[i]
            row: dict[str, Any] = {
                "source": src,
                "temperature_K": t,
                "temperature_C": None if t is None else round(kelvin_to_celsius(t), 6),
                "temperature_origin": self.temperature_origin[i]
                if i < len(self.temperature_origin)
                else "",
            }
            if fit is not None and not self.problems[i]:
                row.update({n: getattr(fit, n).to_dict() for n in _CELL_NAMES})
                row["rwp"] = fit.rwp
            row["problems"] = list(self.problems[i])
            rows.append(row)
        return rows

    def report(self) -> str:
        """Text table of the series and the expansion tensor."""
        out = []
        for i, src in enumerate(self.sources):
            t = self.temperature_K[i]
            head = f"{src}" + ("" if t is None else f" ({t:g} K)")
            fit = self.fits[i]
            if self.problems[i] or fit is None:
                out.append(f"{head}: FAILED - {'; '.join(self.problems[i])}")
                continue
            out.append(
                f"{head}: a {fit.a_A} b {fit.b_A} c {fit.c_A} "
                f"al {fit.alpha_deg.value:.4f} be {fit.beta_deg} ga {fit.gamma_deg.value:.4f} "
                f"V {fit.volume_A3}  Rwp {100 * fit.rwp:.2f} %"
            )
        if self.expansion is not None:
            out.append(self.expansion.report())
        out += [f"warning: {w}" for w in self.warnings]
        return "\n".join(out)


def refine_series(
    patterns: Sequence[Pattern],
    start: Cell,
    *,
    temperatures_K: Sequence[float] | None = None,
    **fit_options: Any,
) -> SeriesResult:
    """Sequential Pawley / Le Bail refinement of ``patterns`` from ``start``.

    Parameters
    ----------
    patterns : sequence of Pattern
        In the order to refine (e.g. increasing temperature).
    start : Cell
        Start cell and space group of the first fit.
    temperatures_K : sequence of float, optional
        One per pattern (K); default: read from each file (header or metadata, else a
        temperature in the file name, with a warning). Needed for the expansion tensor.
    **fit_options
        Passed to :func:`~mofglass.diffraction.pawley.pawley_refine`.
    """
    if temperatures_K is not None and len(temperatures_K) != len(patterns):
        raise AnalysisError(
            f"{len(temperatures_K)} temperatures for {len(patterns)} patterns (one each)"
        )
    temps, origins, warnings = _temperatures(patterns, temperatures_K)
    current = start
    fits: list[PawleyResult | None] = []
    problems: list[tuple[str, ...]] = []
    for p in patterns:
        try:
            fit = pawley_refine(p, current, **fit_options)
        except AnalysisError as exc:
            fits.append(None)
            problems.append((f"fit failed: {exc}",))
            continue
        fits.append(fit)
        if fit.ok:
            problems.append(())
            current = fit.cell
        else:
            problems.append(tuple(fit.flags) or ("fit did not converge",))
    good = [i for i, pr in enumerate(problems) if not pr]
    expansion = None
    with_t = [i for i in good if temps[i] is not None]
    if len(with_t) < len(good) and len(with_t) >= 3:
        warnings.append(f"{len(good) - len(with_t)} good fit(s) without a temperature left out")
    good = with_t
    if len(good) >= 3:
        cells = np.array([fits[i].cell.parameters for i in good])  # type: ignore[union-attr]
        t = np.array([temps[i] for i in good], dtype=float)
        order = np.argsort(t)
        expansion = thermal_expansion(t[order], cells[order])
    return SeriesResult(
        sources=tuple(p.source for p in patterns),
        temperature_K=tuple(temps),
        fits=tuple(fits),
        problems=tuple(problems),
        expansion=expansion,
        temperature_origin=tuple(origins),
        warnings=tuple(warnings),
    )


def _temperatures(
    patterns: Sequence[Pattern], given: Sequence[float] | None
) -> tuple[list[float | None], list[str], list[str]]:
    """Return the temperatures (K) of the patterns and where they came from.

    Temperatures (K) of the patterns: the user's, else each file's (header, metadata, else
    its name, with a warning: :func:`~mofglass.diffraction.temperature.pattern_temperature`).
    """
    if given is not None:
        return [float(t) for t in given], ["given"] * len(patterns), []
    temps: list[float | None] = []
    origins: list[str] = []
    warnings: list[str] = []
    for p in patterns:
        found = pattern_temperature(p.metadata, p.source)
        temps.append(None if found is None else found.temperature_K)
        origins.append("" if found is None else found.origin)
        if found is not None and found.warning:
            warnings.append(found.warning)
    missing = [p.source for p, t in zip(patterns, temps, strict=True) if t is None]
    if missing and len(missing) < len(patterns):
        warnings.append(f"no temperature in {len(missing)} file(s): {', '.join(missing[:3])}")
    return temps, origins, warnings
