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
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from mofglass.crystallography.conversions import d_to_two_theta
from mofglass.diffraction.analysis_result import PatternAnalysis, whole_pattern_quantities
from mofglass.diffraction.background import estimate_background
from mofglass.diffraction.cell import REFERENCE_PHASES, Cell, reflections
from mofglass.diffraction.kalpha2 import strip_ka2
from mofglass.diffraction.pawley import pawley_refine
from mofglass.diffraction.peaks import fit_peaks
from mofglass.diffraction.phases import bragg_peak_test, crystalline_fraction, match_phase
from mofglass.diffraction.sanity import axis_warnings
from mofglass.diffraction.size import scherrer_size
from mofglass.diffraction.strain import williamson_hall
from mofglass.errors import AnalysisError

if TYPE_CHECKING:  # types of the steps' results (annotations only)
    from mofglass.diffraction.pattern import Pattern
    from mofglass.diffraction.pawley import PawleyResult
    from mofglass.diffraction.peakfit_result import PeakFit
    from mofglass.diffraction.phases import Crystallinity, PhaseMatch
    from mofglass.diffraction.size import InstrumentProfile, ScherrerResult
    from mofglass.diffraction.strain import WilliamsonHallResult

__all__ = ["PatternAnalysis", "analyse_pattern", "analyze_pattern", "whole_pattern_quantities"]


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
        if pattern.radiation is not None and pattern.radiation.has_ka2:
            work = strip_ka2(pattern)
        ka2_fit = "none"
    else:
        ka2_fit = ka2
    if work.radiation is None:
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
            warnings.append(
                f"peak fit: {fit.message}; the peaks of those windows are flagged and kept "
                "out of the sizes and strain"
            )
        on_bound = (
            [q for q in fit.peaks if q.flags and "did not converge" not in q.flags[0]]
            if fit is not None
            else []
        )
        if on_bound:
            where = ", ".join(
                f"{q.center_deg.value:.2f}° ({q.flags[0].removeprefix('peak fit: ')})"
                for q in on_bound
            )
            warnings.append(f"peaks at 2θ {where} kept out of the sizes and strain")
    lam = None if work.radiation is None else work.radiation.ka1_A
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
        source=work.source,
        radiation=work.radiation,
        two_theta_deg=work.two_theta_deg,
        intensity=work.intensity,
        background=background.values,
        bragg_test=test,
        peak_fit=fit,
        scherrer=scherrer,
        williamson_hall=wh,
        crystallinity=crys,
        impurities=tuple(matches),
        instrument=instrument,
        whole_pattern=whole,
        background_fit=background.to_dict(),
        k_factor=k_factor,
        warnings=tuple(warnings),
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
    good = [p for p in fit.peaks if p.ok]  # peaks of windows whose fit failed never count
    try:
        scherrer = scherrer_size(good, lam, instrument=instrument, k_factor=k_factor)
    except AnalysisError as exc:
        warnings.append(f"Scherrer analysis failed: {exc}")
    else:
        warnings += [f"Scherrer: {f}" for f in scherrer.flags]
    if len(good) >= 3:
        try:
            wh = williamson_hall(good, lam, instrument=instrument, k_factor=k_factor)
        except AnalysisError as exc:
            warnings.append(f"Williamson-Hall failed: {exc}")
        else:
            warnings += [f"Williamson-Hall: {f}" for f in wh.flags]
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


def analyze_pattern(*args: Any, **kwargs: Any) -> PatternAnalysis:
    """Call :func:`analyse_pattern` (deprecated spelling; mofglass spells it "analyse")."""
    warnings.warn(
        "analyze_pattern is deprecated; use analyse_pattern", DeprecationWarning, stacklevel=2
    )
    return analyse_pattern(*args, **kwargs)
