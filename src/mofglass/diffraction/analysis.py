"""One call from a pattern to the quantities a materials scientist asks of it.

:func:`analyse_pattern` chains the pure steps of this package - "no Bragg peaks" test,
background, peak fit (with Kα2), Scherrer size (or a lower bound) and Williamson-Hall with
instrumental correction, crystalline fraction, impurity-phase check and, given a start cell,
the whole-pattern (Pawley / Le Bail) fit with the user's impurity phases - and returns a
:class:`PatternAnalysis`. The study technique and the CLI both call it; it adds no science of
its own.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from mofglass.crystallography.conversions import d_to_two_theta
from mofglass.diffraction.background import Background, estimate_background
from mofglass.diffraction.cell import REFERENCE_PHASES, Cell, reflections
from mofglass.diffraction.kalpha2 import strip_ka2
from mofglass.diffraction.pattern import Pattern
from mofglass.diffraction.pawley import PawleyResult, pawley_refine
from mofglass.diffraction.peakfit_result import PeakFit
from mofglass.diffraction.peaks import fit_peaks
from mofglass.diffraction.phases import (
    BraggPeakTest,
    Crystallinity,
    PhaseMatch,
    bragg_peak_test,
    crystalline_fraction,
    match_phase,
)
from mofglass.diffraction.sanity import axis_warnings
from mofglass.diffraction.size import (
    InstrumentProfile,
    ScherrerResult,
    WilliamsonHallResult,
    scherrer_size,
    williamson_hall,
)
from mofglass.errors import AnalysisError
from mofglass.results import Measured, ResultRow

__all__ = ["PatternAnalysis", "analyse_pattern", "analyze_pattern", "whole_pattern_quantities"]


@dataclass(frozen=True, eq=False)
class PatternAnalysis:
    """Everything :func:`analyse_pattern` found; ``None`` where a step did not apply."""

    pattern: Pattern
    bragg_test: BraggPeakTest
    background: Background
    peak_fit: PeakFit | None
    scherrer: ScherrerResult | None
    williamson_hall: WilliamsonHallResult | None
    crystallinity: Crystallinity | None
    impurities: tuple[PhaseMatch, ...]
    instrument: InstrumentProfile | None
    warnings: tuple[str, ...] = field(default_factory=tuple)
    whole_pattern: PawleyResult | None = None

    @property
    def amorphous(self) -> bool:
        """True when no Bragg peak was found."""
        return self.bragg_test.amorphous

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
            q["wh_microstrain"] = w.microstrain
        return q

    def rows(self, *, sample_id: str, technique: str, source: str) -> list[ResultRow]:
        """One :class:`ResultRow` per headline quantity."""
        methods = {
            "crystallite_size_nm": ScherrerResult.method,
            "crystallite_size_lower_bound_nm": ScherrerResult.method,
            "wh_crystallite_size_nm": WilliamsonHallResult.method,
            "wh_microstrain": WilliamsonHallResult.method,
            "crystalline_fraction": Crystallinity.method,
            "amorphous": BraggPeakTest.method,
            "n_bragg_peaks": BraggPeakTest.method,
        }
        rows = [
            ResultRow(sample_id, k, m.value, m.stderr, m.unit, technique, methods[k], source)
            for k, m in self.quantities().items()
        ]
        pw = self.whole_pattern
        if pw is not None and pw.ok:
            rows += [
                ResultRow(sample_id, n, m.value, m.stderr, m.unit, technique, pw.method, source)
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

    def details(self, *, k_factor: float = 1.0) -> dict[str, Any]:
        """Return JSON-ready details for results.json and the figures.

        JSON-ready details for results.json and the figures: summary, peaks, impurity
        matches, background, the whole-pattern fit (report and curves) and the curves of the
        pattern (at most 2000 points; the fit's 4000).
        """
        x = self.pattern.two_theta_deg
        model = np.full(x.shape, np.nan)
        if self.peak_fit is not None:
            idx = np.searchsorted(x, self.peak_fit.two_theta_deg)
            model[idx] = self.peak_fit.model
        keep = downsample(x.size)
        return {
            "summary": self.summary(),
            "wavelength_A": self.pattern.wavelength_A,
            "peaks": self.peak_table(),
            "impurities": [m.to_dict() for m in self.impurities],
            "background": self.background.to_dict(),
            "crystallinity_background": None
            if self.crystallinity is None
            else self.crystallinity.background_method,
            "k_factor": k_factor,
            "pawley": None if self.whole_pattern is None else _fit_details(self.whole_pattern),
            "williamson_hall": None
            if self.williamson_hall is None
            else self.williamson_hall.to_dict(),
            "curves": {
                "two_theta_deg": _jsonable(x[keep]),
                "intensity": _jsonable(self.pattern.intensity[keep]),
                "background": _jsonable(self.background.intensity[keep]),
                "model": _jsonable(model[keep]),
                "impurity_two_theta_deg": [
                    row[5] for m in self.impurities if m.present for row in m.matched
                ],
            },
        }

    def summary(self) -> str:
        """Return a few lines of plain text for the terminal."""
        p = self.pattern
        lam = "unknown" if p.wavelength is None else f"{p.wavelength.ka1_A:.5f} Å"
        lines = [
            f"{p.source}: {len(p)} points, 2θ {p.two_theta_deg[0]:.2f}-{p.two_theta_deg[-1]:.2f}°, λ {lam}",
        ]
        if self.amorphous:
            lines.append(
                f"no Bragg peaks (amorphous): no sharp feature above {self.bragg_test.min_snr:g} σ"
            )
        else:
            lines.append(f"{self.bragg_test.n_peaks} Bragg peaks; {self.scherrer}")
            if self.williamson_hall is not None:
                w = self.williamson_hall
                size = (
                    str(w.crystallite_size_nm)
                    if w.crystallite_size_nm is not None
                    else f"> {w.size_lower_bound_nm.value:.0f} nm"  # type: ignore[union-attr]
                )
                lines.append(f"Williamson-Hall: size {size}, microstrain {w.microstrain}")
        if self.crystallinity is not None:
            lines.append(f"crystalline fraction {self.crystallinity.crystalline_fraction}")
        for m in self.impurities:
            if m.present:
                hkls = ", ".join(f"({h}{k}{i})" for h, k, i, *_ in m.matched)
                lines.append(f"impurity {m.phase}: {m.n_matched}/{m.n_expected} reflections {hkls}")
        lines += [f"warning: {w}" for w in self.warnings]
        return "\n".join(lines)


def analyse_pattern(
    pattern: Pattern,
    *,
    instrument: InstrumentProfile | None = None,
    k_factor: float = 1.0,
    shape: str = "voigt",
    ka2: str = "auto",
    background_method: str = "snip",
    background_params: dict[str, Any] | None = None,
    min_snr: float = 6.0,
    max_peaks: int = 40,
    impurities: Sequence[str | Cell] = (),
    main_phase: Cell | Sequence[float] | None = None,
    amorphous_component: bool = False,
    phase: Cell | None = None,
    method: Literal["pawley", "lebail"] = "pawley",
    refine_cell: bool = True,
    fit_profile: bool = False,
) -> PatternAnalysis:
    """Analyse one powder pattern end to end (see module docstring).

    Parameters
    ----------
    pattern : Pattern
        The scan (crop it first to the wanted 2θ range).
    instrument : InstrumentProfile, optional
        Instrumental broadening; without it sizes are lower estimates (a warning says so).
    k_factor : float
        Scherrer constant for integral breadths (1: volume-weighted column length).
    shape, ka2 : str
        Profile and Kα2 handling for :func:`~mofglass.diffraction.peaks.fit_peaks`; ``ka2 =
        "strip"`` applies Rachinger stripping first instead of fitting doublets.
    background_method, background_params
        Background for the figure and the peak search (default SNIP, 1.5° half-window).
    min_snr : float
        Peak-detection threshold (noise σ), also for the "no Bragg peaks" test.
    max_peaks : int
        Fit at most this many of the most prominent peaks.
    impurities : sequence of str or Cell
        Phases to look for: cells (from the user's CIFs) or names of the Cd(im)2 demo's
        :data:`~mofglass.diffraction.cell.REFERENCE_PHASES`. None by default. With ``phase``,
        the cells are refined in the whole-pattern fit (their own cells and intensities, one
        shared profile) and reported as detected or not; otherwise (and names always) their
        reflections are matched against the fitted peaks.
    main_phase : Cell or sequence of float, optional
        The expected main phase (a cell, or its d-spacings in Å); a peak nearer to one of its
        reflections than to an impurity reflection is not counted for the impurity.
    amorphous_component : bool
        The sample has an amorphous (glass) component: only then is the crystalline fraction
        (Bragg area over total scattered area) computed; a fully crystalline pattern has no
        amorphous background to compare with.
    phase : Cell, optional
        Start cell and space group of the main phase: a whole-pattern fit
        (:func:`~mofglass.diffraction.pawley.pawley_refine`) of a pattern with Bragg peaks.
        A failed fit is a warning; a flagged one gives no rows (its flags become warnings).
    method : {"pawley", "lebail"}
        Intensity extraction of the whole-pattern fit.
    refine_cell : bool
        False keeps the cell fixed (a certified standard fitted for its profile).
    fit_profile : bool
        Refine the profile in the whole-pattern fit even when ``instrument`` is given (the fit
        of a standard whose profile is to be saved).

    Returns
    -------
    PatternAnalysis
    """
    warnings: list[str] = axis_warnings(pattern)
    # the user's impurity cells go into the whole-pattern fit when there is one
    fitted = [imp for imp in impurities if isinstance(imp, Cell)] if phase is not None else []
    work = pattern
    if ka2 == "strip":
        if pattern.wavelength is not None and pattern.wavelength.has_ka2:
            work = strip_ka2(pattern)
        ka2_fit = "none"
    else:
        ka2_fit = ka2
    if work.wavelength is None:
        warnings.append("no wavelength known: sizes and phase matching need one")
    bparams = {"max_half_window_deg": 1.5} if background_method == "snip" else {}
    bparams.update(background_params or {})
    background = estimate_background(work, method=background_method, **bparams)
    test = bragg_peak_test(work, min_snr=min_snr)
    fit = scherrer = wh = None
    matches: list[PhaseMatch] = []
    if not test.amorphous:
        try:
            fit = fit_peaks(work, shape=shape, ka2=ka2_fit, min_snr=min_snr, max_peaks=max_peaks)
        except AnalysisError as exc:
            warnings.append(f"peak fit failed: {exc}")
        if fit is not None and not fit.converged:
            warnings.append(f"peak fit did not converge: {fit.message}")
    lam = None if work.wavelength is None else work.wavelength.ka1_A
    if fit is not None and lam is not None:
        scherrer, wh = _sizes(fit, lam, instrument, k_factor, warnings)
        others = [i for i in impurities if not any(i is f for f in fitted)]
        matches = _match_impurities(work, fit, lam, others, main_phase, warnings)
    crys = _crystallinity(work, fit, warnings) if amorphous_component else None
    whole = None
    if phase is not None and not test.amorphous:
        whole = _whole_pattern(
            work,
            phase,
            fitted,
            method=method,
            instrument=None if fit_profile else instrument,
            refine_cell=refine_cell,
            warnings=warnings,
        )
    return PatternAnalysis(
        pattern=work,
        bragg_test=test,
        background=background,
        peak_fit=fit,
        scherrer=scherrer,
        williamson_hall=wh,
        crystallinity=crys,
        impurities=tuple(matches),
        instrument=instrument,
        warnings=tuple(warnings),
        whole_pattern=whole,
    )


def _sizes(
    fit: PeakFit,
    lam: float,
    instrument: InstrumentProfile | None,
    k_factor: float,
    warnings: list[str],
) -> tuple[ScherrerResult | None, WilliamsonHallResult | None]:
    """Scherrer and (with >= 3 peaks) Williamson-Hall step; failures become ``warnings``."""
    scherrer = wh = None
    if instrument is None:
        warnings.append("no instrument profile: sizes include instrumental broadening")
    try:
        scherrer = scherrer_size(fit.peaks, lam, instrument=instrument, k_factor=k_factor)
    except AnalysisError as exc:
        warnings.append(f"Scherrer analysis failed: {exc}")
    if len(fit.peaks) >= 3:
        try:
            wh = williamson_hall(fit.peaks, lam, instrument=instrument, k_factor=k_factor)
        except AnalysisError as exc:
            warnings.append(f"Williamson-Hall failed: {exc}")
    return scherrer, wh


def _match_impurities(
    work: Pattern,
    fit: PeakFit,
    lam: float,
    impurities: Sequence[str | Cell],
    main_phase: Cell | Sequence[float] | None,
    warnings: list[str],
) -> list[PhaseMatch]:
    """Match each impurity's reflections against the fitted peaks (not the main phase's)."""
    x0, x1 = float(work.two_theta_deg[0]), float(work.two_theta_deg[-1])
    exclude: list[float] = []
    if isinstance(main_phase, Cell):
        exclude = [
            r.two_theta_deg
            for r in reflections(main_phase, wavelength_A=lam, two_theta_max_deg=x1)
            if r.two_theta_deg is not None
        ]
    elif main_phase is not None:
        tt = d_to_two_theta(np.asarray(main_phase, dtype=float), lam)
        exclude = [float(t) for t in tt if np.isfinite(t)]
    centers = [p.center_deg.value for p in fit.peaks]
    matches = []
    for imp in impurities:
        cell = REFERENCE_PHASES[imp] if isinstance(imp, str) else imp
        m = match_phase(
            centers,
            cell,
            lam,
            two_theta_range_deg=(x0, x1),
            exclude_two_theta_deg=exclude,
            name=imp if isinstance(imp, str) else "",
        )
        matches.append(m)
        if m.present:
            warnings.append(f"impurity phase {m.phase}: {m.n_matched} reflections match")
    return matches


def _crystallinity(work: Pattern, fit: PeakFit | None, warnings: list[str]) -> Crystallinity | None:
    """Crystalline-fraction step; an implausible or failed value becomes a warning."""
    try:
        crys = crystalline_fraction(work, fit)
    except AnalysisError as exc:
        warnings.append(f"crystalline fraction not determined: {exc}")
        return None
    cf = crys.crystalline_fraction
    if not -0.05 <= cf.value <= 1.1 or (cf.stderr or 0.0) > 0.25:
        warnings.append(
            f"crystalline fraction {cf} is outside [0, 1] or too uncertain (background or"
            " peak areas ill-determined for this pattern); not reported"
        )
        return None
    return crys


def _whole_pattern(
    pattern: Pattern,
    phase: Cell,
    impurities: Sequence[Cell],
    *,
    method: Literal["pawley", "lebail"],
    instrument: InstrumentProfile | None,
    refine_cell: bool,
    warnings: list[str],
) -> PawleyResult | None:
    """Return the whole-pattern fit step: its failure and its flags become ``warnings``."""
    try:
        pw = pawley_refine(
            pattern,
            phase,
            method=method,
            instrument=instrument,
            refine_cell=refine_cell,
            impurities=impurities,
        )
    except AnalysisError as exc:
        warnings.append(f"whole-pattern fit failed: {exc}")
        return None
    if not pw.ok:
        warnings.extend(f"whole-pattern fit flagged (no cell rows): {f}" for f in pw.flags)
    for ph in pw.phases[1:]:
        if not ph.detected:
            warnings.append(
                f"impurity phase {ph.name} not identified in the whole-pattern fit "
                f"({ph.reason}; {100 * ph.intensity_share:.1f} % of the Bragg intensity)"
            )
    return pw


def whole_pattern_quantities(pw: PawleyResult) -> dict[str, Measured]:
    """Headline numbers of a whole-pattern fit by name: cell, Rwp, size, detected phases."""
    names = ["a_A", "b_A", "c_A", "alpha_deg", "beta_deg", "gamma_deg", "volume_A3"]
    q = {f"cell_{n}": getattr(pw, n) for n in names}
    q["pawley_rwp"] = Measured(pw.rwp, None, "")
    if pw.size_nm is not None:
        q["pawley_size_nm"] = pw.size_nm
    elif pw.size_lower_bound_nm is not None:
        q["pawley_size_lower_bound_nm"] = pw.size_lower_bound_nm
    for i, ph in enumerate(pw.phases[1:], 1):
        q[f"phase{i}_intensity_share"] = Measured(ph.intensity_share, None, "")
        if ph.detected:
            q.update({f"phase{i}_cell_{n}": getattr(ph, n) for n in names})
    return q


def _jsonable(a: np.ndarray) -> list[float | None]:
    return [None if not np.isfinite(v) else round(float(v), 4) for v in a]


def _fit_details(pw: PawleyResult) -> dict[str, Any]:
    """Return the whole-pattern fit as JSON-ready details.

    JSON-ready whole-pattern fit: cell, agreement, report, phases and curves (≤ 4000
    points; one tick list per phase).
    """
    keep = downsample(pw.two_theta_deg.size, 4000)
    ticks = {pw.cell.name or "phase": _jsonable(pw.tick_two_theta_deg)}
    ticks.update({ph.name: _jsonable(ph.tick_two_theta_deg) for ph in pw.phases[1:]})
    return {
        "cell": pw.cell.__dict__,
        "rwp": pw.rwp,
        "gof": pw.gof,
        "redchi": pw.reduced_chi_square,
        "n_reflections": pw.n_reflections,
        "zero_shift_deg": pw.zero_shift_deg.to_dict(),
        "size_nm": None if pw.size_nm is None else pw.size_nm.to_dict(),
        "converged": pw.converged,
        "flags": list(pw.flags),
        "report": pw.report(),
        "curves": {
            "two_theta_deg": _jsonable(pw.two_theta_deg[keep]),
            "observed": _jsonable(pw.observed[keep]),
            "calculated": _jsonable(pw.calculated[keep]),
            "background": _jsonable(pw.background[keep]),
            "ticks": ticks,
            "rwp": pw.rwp,
        },
    }


def downsample(n: int, max_points: int = 2000) -> np.ndarray:
    """Return the indices keeping at most ``max_points`` of ``n`` (every k-th point)."""
    step = max(1, int(np.ceil(n / max_points)))
    return np.arange(0, n, step)


def analyze_pattern(*args: Any, **kwargs: Any) -> PatternAnalysis:
    """Call :func:`analyse_pattern` (deprecated spelling; mofglass spells it "analyse")."""
    warnings.warn(
        "analyze_pattern is deprecated; use analyse_pattern", DeprecationWarning, stacklevel=2
    )
    return analyse_pattern(*args, **kwargs)
