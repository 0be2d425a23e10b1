"""One call from indentation tests to the numbers a paper reports: Er, H (and E) over indents.

:func:`analyse_indentations` runs Oliver-Pharr on every indent (or CSM profiles when the tests
carry a harmonic stiffness channel), averages over indents (and a depth window), and converts
Er to Young's modulus with both the full relation and the Cd(im)2 paper's E = (1 - ν²)·Er.
It is the shared core of the study technique and the ``mofglass indent`` command.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Literal

import numpy as np

from mofglass.errors import AnalysisError
from mofglass.mechanics.area import AreaFunction
from mofglass.mechanics.csm import (
    DepthProfile,
    ProfileAverage,
    average_profiles,
    csm_profile,
    window_average,
)
from mofglass.mechanics.data import Indentation
from mofglass.mechanics.modulus import youngs_modulus, youngs_modulus_rigid_indenter
from mofglass.mechanics.oliver_pharr import OliverPharrResult, oliver_pharr
from mofglass.mechanics.options import OliverPharrKeywords, OliverPharrOptions
from mofglass.mechanics.result import IndentationAnalysis, IndentCurve
from mofglass.mechanics.segments import detect_cycles
from mofglass.mechanics.summary import average_indents
from mofglass.results import Measured

if TYPE_CHECKING:
    from typing_extensions import Unpack

__all__ = [
    "IndentCurve",
    "IndentationAnalysis",
    "analyse_indentations",
    "area_for",
    "frame_compliance_for",
    "indent_curve",
]

Mode = Literal["auto", "oliver-pharr", "csm"]
_MAX_POINTS = 2000  # points of all displayed load-displacement curves together
_MAX_CURVES = 12  # displayed curves


#: unloading fit windows (fractions of Pmax): the G200 "upper half", and the wider one used when a
#: fit over the upper half ends on a bound of the exponent (no optimum; viscoelastic unloading)
DEFAULT_FIT_WINDOW = (0.5, 1.0)
WIDE_FIT_WINDOW = (0.2, 0.95)


def area_for(test: Indentation, coefficients: Sequence[float] | None = None) -> AreaFunction:
    """Choose the area function: given coefficients, else the file's, else ideal Berkovich."""
    if coefficients:
        return AreaFunction(tuple(coefficients))
    from_file = test.metadata.get("area_coefficients")
    return AreaFunction(tuple(from_file)) if from_file else AreaFunction.berkovich()


def frame_compliance_for(test: Indentation, value: float | None = None) -> float:
    """Frame compliance in nm/mN: given, else the G200's ``Frame Stiffness Correction``, else 0.

    The Hysitron ``Machine Comp`` header value (``metadata["frame_compliance_nm_mN"]``) is not
    applied by default: whether the exported depth is already corrected depends on the
    TriboScan settings (on the shared .hld it would remove 330 of 570 nm). Pass it explicitly.
    """
    if value is not None:
        return float(value)
    k = float(test.metadata.get("frame_stiffness_N_m", 0.0) or 0.0)
    return 1e6 / k if k > 0 else 0.0  # N/m -> nm/mN: 1 N/m = 1e-6 mN/nm


def analyse_indentations(
    tests: Sequence[Indentation],
    *,
    mode: Mode = "auto",
    poisson_ratio: float | None = None,
    depth_window_nm: tuple[float, float] | None = None,
    area_coefficients: Sequence[float] | None = None,
    options: OliverPharrOptions | None = None,
    fit_window: tuple[float, float] = DEFAULT_FIT_WINDOW,
    drift_rate_nm_s: float = 0.0,
    all_cycles: bool = False,
    **keywords: Unpack[OliverPharrKeywords],
) -> IndentationAnalysis:
    """Analyse a set of indents and average them.

    Parameters
    ----------
    tests : sequence of Indentation
        The indents (e.g. everything :func:`~mofglass.mechanics.readers.read_indentations`
        returned for a file).
    mode : {"auto", "oliver-pharr", "csm"}
        ``"auto"``: CSM profiles when every test has a harmonic stiffness channel, else
        Oliver-Pharr on each unloading curve.
    poisson_ratio : float, optional
        Sample's ν for Young's modulus.
    depth_window_nm : (float, float), optional
        Oliver-Pharr: keep indents whose contact depth lies in the window; CSM: average each
        profile over this range of depth h (default: depths >= 100 nm).
    area_coefficients : sequence of float, optional
        C0, C1, ... of the tip area function; default the file's, else 24.5 (ideal Berkovich).
    options : OliverPharrOptions, optional
        Oliver-Pharr constants (ε = 0.75; β = 1.0 as vendor software, 1.034 per Oliver-Pharr
        2004), the tip area function (overrides ``area_coefficients``) and the load-frame
        compliance in nm/mN (default see :func:`frame_compliance_for`).
    fit_window : (float, float)
        Unloading fit range as fractions of Pmax. With the default (0.5-1.0), an indent whose
        fit ends on a bound of the power-law exponent (no optimum) is refitted over 0.2-0.95
        (warned); a fit that still fails is left out of the averages (warned).
    drift_rate_nm_s : float
        Thermal drift rate in nm/s subtracted from the depth (Oliver-Pharr only).
    all_cycles : bool
        Multi-cycle (load-partial-unload) tests: analyse every cycle (each counts as one
        entry of the average; combine with ``depth_window_nm``) instead of the last, deepest.
    **keywords
        ``area``, ``epsilon``, ``beta``, ``frame_compliance_nm_mN`` as keywords (override
        ``options``; see :class:`~mofglass.mechanics.options.OliverPharrOptions`).

    Returns
    -------
    IndentationAnalysis

    Raises
    ------
    AnalysisError
        No indent could be analysed.
    """
    if not tests:
        raise AnalysisError("no indentation tests to analyse")
    use_csm = mode == "csm" or (mode == "auto" and all(t.has_csm for t in tests))
    given = OliverPharrOptions.resolve(options, keywords)
    if given.area is not None:
        area_coefficients = given.area.coefficients
    area = area_for(tests[0], area_coefficients)
    cf = frame_compliance_for(tests[0], given.frame_compliance_nm_mN)
    warnings = _assumption_warnings(tests[0], area_coefficients, cf, given.frame_compliance_nm_mN)
    indents, profiles, curves = _analyse_each(
        tests,
        replace(given, area=area, frame_compliance_nm_mN=cf),
        use_csm=use_csm,
        all_cycles=all_cycles,
        fit_window=fit_window,
        drift_rate_nm_s=drift_rate_nm_s,
        warnings=warnings,
    )
    bad = [r for r in indents if not r.converged]
    if bad:
        why = "; ".join(sorted({r.message for r in bad if r.message}))
        warnings.append(
            "unloading fit failed for "
            + (", ".join(r.name for r in bad) if len(bad) <= 3 else f"{len(bad)} indents")
            + f" of {len(indents)} (left out)"
            + (f": {why}" if why else "")
        )
    try:
        er, hard, n = _average(indents, profiles, use_csm, depth_window_nm, warnings)
    except AnalysisError as exc:
        if not bad:
            raise
        raise AnalysisError(f"{exc}: {warnings[-1]}") from exc
    e_full = e_rigid = None
    if poisson_ratio is not None:
        e_rigid = youngs_modulus_rigid_indenter(er, poisson_ratio=poisson_ratio)
        try:
            e_full = youngs_modulus(er, poisson_ratio=poisson_ratio)
        except ValueError as exc:
            warnings.append(str(exc))
    return IndentationAnalysis(
        reduced_modulus_GPa=er,
        hardness_GPa=hard,
        youngs_modulus_GPa=e_full,
        youngs_modulus_rigid_indenter_GPa=e_rigid,
        n_indents=n,
        mode="csm" if use_csm else "oliver-pharr",
        poisson_ratio=poisson_ratio,
        depth_window_nm=depth_window_nm,
        area_coefficients=area.coefficients,
        frame_compliance_nm_mN=cf,
        indents=tuple(indents),
        profiles=tuple(profiles),
        warnings=tuple(warnings),
        load_curves=tuple(curves),
        mean_profile=_mean_profile(profiles),
    )


def _assumption_warnings(
    test: Indentation,
    area_coefficients: Sequence[float] | None,
    cf: float,
    frame_compliance_nm_mN: float | None,
) -> list[str]:
    """Warnings for the defaults that bias the result: ideal tip, zero frame compliance."""
    warnings: list[str] = []
    if not area_coefficients and not test.metadata.get("area_coefficients"):
        warnings.append(
            "ideal Berkovich tip assumed (A = 24.5 hc², no area function in the file or given): "
            "moduli and hardness of shallow indents are biased; calibrate the tip on fused "
            "silica (mofglass indent --calibration FS.xls) or give the area coefficients"
        )
    if cf == 0.0 and frame_compliance_nm_mN is None:
        warnings.append(
            "zero load-frame compliance assumed (none in the file or given): "
            "give --frame-compliance-nm-mN from the instrument's calibration"
        )
    return warnings


def _analyse_each(
    tests: Sequence[Indentation],
    opts: OliverPharrOptions,
    *,
    use_csm: bool,
    all_cycles: bool,
    fit_window: tuple[float, float],
    drift_rate_nm_s: float,
    warnings: list[str],
) -> tuple[list[OliverPharrResult], list[DepthProfile], list[IndentCurve]]:
    """Oliver-Pharr on every test (every cycle with ``all_cycles``), CSM profiles, curves.

    A test that cannot be analysed adds a line to ``warnings`` and is left out.
    """
    indents: list[OliverPharrResult] = []
    profiles: list[DepthProfile] = []
    curves: list[IndentCurve] = []
    widened = 0
    per_curve = max(50, _MAX_POINTS // max(1, min(len(tests), _MAX_CURVES)))
    for t in tests:
        try:
            cycles = detect_cycles(t.load_mN) if all_cycles else [None]
            for k, seg in enumerate(cycles):
                r = oliver_pharr(
                    t, options=opts, fit_window=fit_window, drift_rate_nm_s=drift_rate_nm_s,
                    segments=seg,
                )  # fmt: skip
                if not r.converged and fit_window == DEFAULT_FIT_WINDOW:
                    wide = oliver_pharr(
                        t, options=opts, fit_window=WIDE_FIT_WINDOW,
                        drift_rate_nm_s=drift_rate_nm_s, segments=seg,
                    )  # fmt: skip
                    if wide.converged:
                        r, widened = wide, widened + 1
                indents.append(replace(r, name=f"{r.name} cycle {k + 1}") if len(cycles) > 1 else r)
            if use_csm:
                profiles.append(csm_profile(t, options=opts))
        except AnalysisError as exc:
            warnings.append(f"{t.label}: {exc}")
            continue
        if len(curves) < _MAX_CURVES:
            curves.append(indent_curve(t, indents[-1], max_points=per_curve))
    if widened:
        warnings.append(
            f"{widened} unloading fit(s) ended on a bound of the exponent over "
            f"{DEFAULT_FIT_WINDOW[0]:.0%}-{DEFAULT_FIT_WINDOW[1]:.0%} of Pmax (no optimum): "
            f"fitted over {WIDE_FIT_WINDOW[0]:.0%}-{WIDE_FIT_WINDOW[1]:.0%} instead"
        )
    return indents, profiles, curves


def _average(
    indents: Sequence[OliverPharrResult],
    profiles: Sequence[DepthProfile],
    use_csm: bool,
    depth_window_nm: tuple[float, float] | None,
    warnings: list[str],
) -> tuple[Measured, Measured, int]:
    """Er, H (mean ± SD over indents) and n: CSM window averages, else Oliver-Pharr ones."""
    if use_csm:
        if not profiles:
            raise AnalysisError("no CSM profile could be computed: " + "; ".join(warnings))
        w = window_average(profiles, depth_window_nm=depth_window_nm or (100.0, float("inf")))
        return w.reduced_modulus_GPa, w.hardness_GPa, w.n_indents
    if not indents:
        raise AnalysisError("no indent could be analysed: " + "; ".join(warnings))
    avg = average_indents(indents, depth_window_nm=depth_window_nm)
    return avg.reduced_modulus_GPa, avg.hardness_GPa, avg.n_indents


def _mean_profile(profiles: Sequence[DepthProfile]) -> ProfileAverage | None:
    """Mean ± SD of the CSM profiles on 200 depths from 50 nm to the deepest (None if none)."""
    if not profiles:
        return None
    top = max(float(p.depth_nm.max()) for p in profiles)
    return average_profiles(profiles, depth_grid_nm=np.linspace(50.0, top, 200))


def indent_curve(
    test: Indentation, result: OliverPharrResult, *, max_points: int = 2000
) -> IndentCurve:
    """Build the load-displacement curve of ``test`` and its fitted unloading power law.

    Depth is corrected for the frame compliance of ``result`` (h - Cf·P); the fit
    P = P0 ((h - hf)/(hmax - hf))^m is drawn over the fit window (from its lower load bound
    to hmax, 30 points). The curve is thinned to about ``max_points`` points.
    """
    step = max(1, len(test) // max_points)
    hf, hmax = result.final_depth_nm.value, result.max_depth_nm.value
    m = result.unloading_exponent.value
    lo = max(result.fit_window[0] * result.max_load_mN.value, 0.0)
    x_lo = hf + (hmax - hf) * (lo / result.fit_p0_mN) ** (1 / m)
    fit_h = np.linspace(x_lo, hmax, 30)
    fit_p = result.fit_p0_mN * ((fit_h - hf) / (hmax - hf)) ** m
    load = test.load_mN[::step]
    return IndentCurve(
        label=test.name or test.label,
        depth_nm=test.depth_nm[::step] - result.frame_compliance_nm_mN * load,
        load_mN=load,
        fit_depth_nm=fit_h,
        fit_load_mN=fit_p,
    )
