"""One call from indentation tests to the numbers a paper reports: Er, H (and E) over indents.

:func:`analyse_indentations` runs Oliver-Pharr on every indent (or CSM profiles when the tests
carry a harmonic stiffness channel), averages over indents (and a depth window), and converts
Er to Young's modulus with both the full relation and the Cd(im)2 paper's E = (1 - ν²)·Er.
It is the shared core of the study technique and the ``mofglass indent`` command.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from mofglass.errors import AnalysisError
from mofglass.mechanics.area import AreaFunction
from mofglass.mechanics.csm import DepthProfile, csm_profile, window_average
from mofglass.mechanics.data import Indentation
from mofglass.mechanics.modulus import youngs_modulus, youngs_modulus_rigid_indenter
from mofglass.mechanics.oliver_pharr import OliverPharrResult, oliver_pharr
from mofglass.mechanics.segments import detect_cycles
from mofglass.mechanics.summary import average_indents
from mofglass.results import Measured, Result

__all__ = ["IndentationAnalysis", "analyse_indentations", "area_for", "frame_compliance_for"]

Mode = Literal["auto", "oliver-pharr", "csm"]


@dataclass(frozen=True)
class IndentationAnalysis(Result):
    """Er, H and E of a set of indents: mean ± standard deviation over ``n_indents``.

    ``youngs_modulus_GPa`` uses the full relation with a diamond indenter;
    ``youngs_modulus_rigid_indenter_GPa`` the paper's E = (1 - ν²)·Er. Both are None without
    a Poisson's ratio.
    """

    reduced_modulus_GPa: Measured
    hardness_GPa: Measured
    youngs_modulus_GPa: Measured | None
    youngs_modulus_rigid_indenter_GPa: Measured | None
    n_indents: int
    mode: str
    poisson_ratio: float | None
    depth_window_nm: tuple[float, float] | None
    area_coefficients: tuple[float, ...]
    frame_compliance_nm_mN: float
    indents: tuple[OliverPharrResult, ...] = ()
    profiles: tuple[DepthProfile, ...] = ()
    warnings: tuple[str, ...] = ()
    method: str = "Oliver-Pharr (J. Mater. Res. 7 (1992) 1564; 19 (2004) 3); mean ± SD over indents"


def area_for(test: Indentation, coefficients: Sequence[float] | None = None) -> AreaFunction:
    """The area function to use: given coefficients, else the file's, else ideal Berkovich."""
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
    epsilon: float = 0.75,
    beta: float = 1.0,
    fit_window: tuple[float, float] = (0.5, 1.0),
    frame_compliance_nm_mN: float | None = None,
    drift_rate_nm_s: float = 0.0,
    all_cycles: bool = False,
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
    epsilon, beta : float
        Oliver-Pharr constants (0.75; β = 1.0 as vendor software, 1.034 per Oliver-Pharr 2004).
    fit_window : (float, float)
        Unloading fit range as fractions of Pmax.
    frame_compliance_nm_mN : float, optional
        Load-frame compliance in nm/mN; default see :func:`frame_compliance_for`.
    drift_rate_nm_s : float
        Thermal drift rate in nm/s subtracted from the depth (Oliver-Pharr only).
    all_cycles : bool
        Multi-cycle (load-partial-unload) tests: analyse every cycle (each counts as one
        entry of the average; combine with ``depth_window_nm``) instead of the last, deepest.

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
    area = area_for(tests[0], area_coefficients)
    cf = frame_compliance_for(tests[0], frame_compliance_nm_mN)
    warnings: list[str] = []
    if not area_coefficients and not tests[0].metadata.get("area_coefficients"):
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
    indents: list[OliverPharrResult] = []
    profiles: list[DepthProfile] = []
    kw = {"area": area, "epsilon": epsilon, "beta": beta, "frame_compliance_nm_mN": cf}
    for t in tests:
        try:
            cycles = detect_cycles(t.load_mN) if all_cycles else [None]
            for k, seg in enumerate(cycles):
                r = oliver_pharr(
                    t,
                    fit_window=fit_window,
                    drift_rate_nm_s=drift_rate_nm_s,
                    segments=seg,
                    **kw,  # type: ignore[arg-type]
                )
                indents.append(replace(r, name=f"{r.name} cycle {k + 1}") if len(cycles) > 1 else r)
            if use_csm:
                profiles.append(csm_profile(t, **kw))  # type: ignore[arg-type]
        except AnalysisError as exc:
            warnings.append(f"{t.label}: {exc}")
    bad = [r.name for r in indents if not r.converged]
    if bad:
        warnings.append(f"unloading fit did not converge for {', '.join(bad)}")
    if use_csm:
        window = depth_window_nm or (100.0, float("inf"))
        if not profiles:
            raise AnalysisError("no CSM profile could be computed: " + "; ".join(warnings))
        w = window_average(profiles, depth_window_nm=window)
        er, hard, n = w.reduced_modulus_GPa, w.hardness_GPa, w.n_indents
    else:
        if not indents:
            raise AnalysisError("no indent could be analysed: " + "; ".join(warnings))
        avg = average_indents(indents, depth_window_nm=depth_window_nm)
        er, hard, n = avg.reduced_modulus_GPa, avg.hardness_GPa, avg.n_indents
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
    )
