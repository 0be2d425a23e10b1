"""The :class:`PatternAnalysis` result of :func:`~mofglass.diffraction.analysis.analyse_pattern`.

A frozen :class:`~mofglass.results.Result`: it keeps the analysed curves (2θ, intensity,
background) and the result of every step, serialises to plain JSON (:meth:`Result.to_dict`)
and reads back (:meth:`Result.from_dict`); the figures of the ``pxrd`` technique are drawn
from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from mofglass.crystallography.radiation import Radiation
from mofglass.diffraction.pattern import HasRadiation, Pattern
from mofglass.diffraction.pawley_result import PawleyResult
from mofglass.diffraction.peakfit_result import PeakFit
from mofglass.diffraction.phases import BraggPeakTest, Crystallinity, PhaseMatch
from mofglass.diffraction.size import InstrumentProfile, ScherrerResult
from mofglass.diffraction.strain import WilliamsonHallResult
from mofglass.results import Measured, Result, ResultRow, thin

__all__ = ["PatternAnalysis", "whole_pattern_quantities"]

_CELL_NAMES = ("a_A", "b_A", "c_A", "alpha_deg", "beta_deg", "gamma_deg", "volume_A3")

#: The method of each headline quantity (the ``method`` column of results.csv).
_METHODS = {
    "crystallite_size_nm": ScherrerResult.method,
    "crystallite_size_lower_bound_nm": ScherrerResult.method,
    "wh_crystallite_size_nm": WilliamsonHallResult.method,
    "wh_microstrain": WilliamsonHallResult.method,
    "wh_microstrain_upper_bound": WilliamsonHallResult.method,
    "crystalline_fraction": Crystallinity.method,
    "amorphous": BraggPeakTest.method,
    "n_bragg_peaks": BraggPeakTest.method,
}


@dataclass(frozen=True, eq=False)
class PatternAnalysis(HasRadiation, Result):
    """Everything :func:`~mofglass.diffraction.analysis.analyse_pattern` found.

    Attributes
    ----------
    source : str
        The pattern's file name (as the manifest or the user gave it).
    radiation : Radiation or None
        Radiation of the analysed pattern (Kα1, Kα2 and ratio, Å).
    two_theta_deg, intensity, background : ndarray
        The analysed pattern (after any Kα2 stripping; degrees 2θ, counts) and its
        background on the same grid.
    bragg_test : BraggPeakTest
        The "no Bragg peaks" test.
    peak_fit, scherrer, williamson_hall, crystallinity : optional
        The results of these steps; ``None`` where a step did not apply or failed (the
        ``warnings`` say why).
    impurities : tuple of PhaseMatch
        Impurity phases matched against the fitted peaks.
    instrument : InstrumentProfile or None
        The instrumental profile removed from the breadths.
    whole_pattern : PawleyResult or None
        The whole-pattern (Pawley / Le Bail) fit, when a start cell was given.
    background_fit : dict
        How the background was made: pybaselines method, parameters, convergence.
    k_factor : float
        Scherrer constant used for the integral breadths.
    warnings : tuple of str
        What the user should know (failed steps, flagged fits, missing instrument).
    """

    source: str
    radiation: Radiation | None
    two_theta_deg: np.ndarray
    intensity: np.ndarray
    background: np.ndarray
    bragg_test: BraggPeakTest
    peak_fit: PeakFit | None = None
    scherrer: ScherrerResult | None = None
    williamson_hall: WilliamsonHallResult | None = None
    crystallinity: Crystallinity | None = None
    impurities: tuple[PhaseMatch, ...] = ()
    instrument: InstrumentProfile | None = None
    whole_pattern: PawleyResult | None = None
    background_fit: dict[str, Any] = field(default_factory=dict)
    k_factor: float = 1.0
    warnings: tuple[str, ...] = ()
    method: ClassVar[str] = (
        "Bragg-peak test, background, peak fit, Scherrer / Williamson-Hall, crystalline "
        "fraction, phase match, whole-pattern fit (mofglass.diffraction)"
    )

    @property
    def amorphous(self) -> bool:
        """True when no Bragg peak was found."""
        return self.bragg_test.amorphous

    @property
    def pattern(self) -> Pattern:
        """The analysed curve as a :class:`Pattern` (without the file's σ and metadata)."""
        return Pattern(
            self.two_theta_deg, self.intensity, radiation=self.radiation, source=self.source
        )

    def quantities(self) -> dict[str, Measured]:
        """Return the headline numbers by name (for tables and ``--json``)."""
        q: dict[str, Measured] = {
            "amorphous": Measured(1.0 if self.amorphous else 0.0, None, ""),
            "n_bragg_peaks": Measured(float(self.bragg_test.n_peaks), None, ""),
        }
        if self.crystallinity is not None:
            q["crystalline_fraction"] = self.crystallinity.crystalline_fraction
        s = self.scherrer
        if s is not None:
            if s.crystallite_size_nm is not None:
                q["crystallite_size_nm"] = s.crystallite_size_nm
            elif s.size_lower_bound_nm is not None:
                q["crystallite_size_lower_bound_nm"] = s.size_lower_bound_nm
        w = self.williamson_hall
        if w is not None:
            if w.crystallite_size_nm is not None:
                q["wh_crystallite_size_nm"] = w.crystallite_size_nm
            if w.microstrain is not None:
                q["wh_microstrain"] = w.microstrain
            elif w.microstrain_upper_bound is not None:
                q["wh_microstrain_upper_bound"] = w.microstrain_upper_bound
        return q

    def headline_values(self, limit: int = 4) -> list[tuple[str, Measured]]:
        """Return the first ``limit`` rows' quantities as (name, Measured) pairs."""
        found = list(self.quantities().items())
        pw = self.whole_pattern
        if pw is not None and pw.ok:
            found += list(whole_pattern_quantities(pw).items())
        return found[:limit]

    def rows(self, *, sample_id: str, technique: str = "pxrd", source: str = "") -> list[ResultRow]:
        """One :class:`ResultRow` per headline quantity, then the whole-pattern fit's."""
        src = source or self.source
        rows = [
            ResultRow(sample_id, k, m.value, m.stderr, m.unit, technique, _METHODS[k], src)
            for k, m in self.quantities().items()
        ]
        pw = self.whole_pattern
        if pw is not None and pw.ok:
            rows += [
                ResultRow(sample_id, n, m.value, m.stderr, m.unit, technique, pw.method, src)
                for n, m in whole_pattern_quantities(pw).items()
            ]
        return rows

    def peak_table(self) -> list[dict[str, Any]]:
        """Fitted peaks with their breadths and per-peak sizes (JSON-ready)."""
        if self.peak_fit is None:
            return []
        sizes = (
            {}
            if self.scherrer is None
            else {round(p.two_theta_deg, 6): p for p in self.scherrer.peaks}
        )
        out = []
        for pk in self.peak_fit.peaks:
            row: dict[str, Any] = {
                "two_theta_deg": pk.center_deg.to_dict(),
                "fwhm_deg": pk.fwhm_deg.to_dict(),
                "integral_breadth_deg": pk.integral_breadth_deg.to_dict(),
                "lorentz_breadth_deg": pk.lorentz_breadth_deg.value,
                "gauss_breadth_deg": pk.gauss_breadth_deg.value,
                "area": pk.area.to_dict(),
            }
            ps = sizes.get(round(pk.center_deg.value, 6))
            if ps is not None:
                row["sample_breadth_deg"] = ps.beta_sample_deg.to_dict()
                row["size_nm"] = None if ps.size_nm is None else ps.size_nm.to_dict()
            out.append(row)
        return out

    def model(self) -> np.ndarray:
        """Return the peak-fit model on the pattern's grid (NaN outside the fitted windows)."""
        x = self.two_theta_deg
        model = np.full(x.shape, np.nan)
        if self.peak_fit is not None and self.peak_fit.two_theta_deg.size:
            idx = np.clip(np.searchsorted(x, self.peak_fit.two_theta_deg), 0, x.size - 1)
            model[idx] = self.peak_fit.model
        return model

    def curves(self, max_points: int = 2000) -> dict[str, Any]:
        """Return the figure's curves, each thinned to at most ``max_points`` values.

        ``two_theta_deg``, ``intensity``, ``background``, ``model`` (the peak fit; NaN
        outside its windows), ``peak_two_theta_deg`` (fitted centres),
        ``impurity_two_theta_deg`` (matched impurity reflections) and, with a whole-pattern
        fit, ``whole_pattern`` (observed, calculated, background, a tick list per phase, Rwp).
        """
        out: dict[str, Any] = {
            "two_theta_deg": thin(self.two_theta_deg, max_points),
            "intensity": thin(self.intensity, max_points),
            "background": thin(self.background, max_points),
            "model": thin(self.model(), max_points),
            "peak_two_theta_deg": []
            if self.peak_fit is None
            else [p.center_deg.value for p in self.peak_fit.peaks],
            "impurity_two_theta_deg": [
                row[5] for m in self.impurities if m.present for row in m.matched
            ],
        }
        if self.whole_pattern is not None:
            out["whole_pattern"] = whole_pattern_curves(self.whole_pattern, max_points)
        return out

    def summary(self) -> str:
        """Return a few lines of plain text for the terminal."""
        x = self.two_theta_deg
        lam = "unknown" if self.radiation is None else f"{self.radiation.ka1_A:.5f} Å"
        lines = [f"{self.source}: {x.size} points, 2θ {x[0]:.2f}-{x[-1]:.2f}°, λ {lam}"]
        if self.amorphous:
            lines.append(
                f"no Bragg peaks (amorphous): no sharp feature above {self.bragg_test.min_snr:g} σ"
            )
        else:
            lines.append(f"{self.bragg_test.n_peaks} Bragg peaks; {self._size_text()}")
            if self.williamson_hall is not None:
                lines.append(str(self.williamson_hall))
        if self.crystallinity is not None:
            lines.append(f"crystalline fraction {self.crystallinity.crystalline_fraction}")
        for m in self.impurities:
            if m.present:
                hkls = ", ".join(f"({h}{k}{i})" for h, k, i, *_ in m.matched)
                lines.append(f"impurity {m.phase}: {m.n_matched}/{m.n_expected} reflections {hkls}")
        lines += [f"warning: {w}" for w in self.warnings]
        return "\n".join(lines)

    def _size_text(self) -> str:
        """Scherrer size as printed, or why there is none."""
        if self.scherrer is not None:
            if self.instrument is None and self.scherrer.crystallite_size_nm is not None:
                # observed breadths include the instrument's: the size is at least this
                return (
                    f"apparent {self.scherrer} - a lower bound: the instrument broadening is "
                    "not removed (--instrument)"
                )
            return str(self.scherrer)
        if self.radiation is None:
            return "wavelength unknown: sizes and d-spacings need --radiation/--wavelength"
        if self.peak_fit is None:
            return "no size (peak fit failed)"
        return "no size (Scherrer analysis failed)"

    def report(self) -> str:
        """Return the summary and, with one, the whole-pattern fit's report (plain text)."""
        text = self.summary()
        if self.whole_pattern is not None:
            text += "\n" + self.whole_pattern.report()
        return text


def whole_pattern_quantities(pw: PawleyResult) -> dict[str, Measured]:
    """Headline numbers of a whole-pattern fit by name: cell, Rwp, size, detected phases."""
    q = {f"cell_{n}": getattr(pw, n) for n in _CELL_NAMES}
    q["pawley_rwp"] = Measured(pw.rwp, None, "")
    if pw.size_nm is not None:
        q["pawley_size_nm"] = pw.size_nm
    elif pw.size_lower_bound_nm is not None:
        q["pawley_size_lower_bound_nm"] = pw.size_lower_bound_nm
    for i, ph in enumerate(pw.phases[1:], 1):
        q[f"phase{i}_intensity_share"] = Measured(ph.intensity_share, None, "")
        if ph.detected:
            q.update({f"phase{i}_cell_{n}": getattr(ph, n) for n in _CELL_NAMES})
    return q


def whole_pattern_curves(pw: PawleyResult, max_points: int = 4000) -> dict[str, Any]:
    """Observed, calculated and background of a whole-pattern fit, ticks per phase, Rwp."""
    ticks = {pw.cell.name or "phase": thin(pw.tick_two_theta_deg, pw.tick_two_theta_deg.size)}
    ticks.update(
        {ph.name: thin(ph.tick_two_theta_deg, ph.tick_two_theta_deg.size) for ph in pw.phases[1:]}
    )
    return {
        "two_theta_deg": thin(pw.two_theta_deg, max_points),
        "observed": thin(pw.observed, max_points),
        "calculated": thin(pw.calculated, max_points),
        "background": thin(pw.background, max_points),
        "ticks": ticks,
        "rwp": pw.rwp,
    }
