"""Whole-pattern profile fit (Pawley or Le Bail) that refines its own profile.

Every allowed reflection of the starting cell (extinctions from the space group) gets a free
intensity: non-negative least squares (Pawley [1]_, solved exactly at every step: variable
projection [2]_) or iterative partitioning of the observed pattern (Le Bail [3]_). The
nonlinear parameters - cell (free parameters of its crystal system), 2θ zero, specimen
displacement (Bragg-Brentano), Caglioti U, V, W and Lorentzian X, Y, Bérar-Baldinozzi
asymmetry, or, with a fixed instrument profile, the sample's size and strain - are refined by
trust-region least squares with a finite-difference Jacobian of the model at fixed intensities
(Kaufman's approximation). The Chebyshev background is linear and eliminated exactly. The fit
starts with every width ×3 (so a start cell a few 0.1 % off still overlaps its peaks) and then
refines at true widths. Standard uncertainties come from the full Jacobian (intensities and
background included) scaled by the reduced χ², as in Rietveld programs. Profile conventions:
:mod:`mofglass.diffraction._wholepattern`.

Geometry ``"auto"`` refines the displacement when the radiation is a tube's Kα doublet
(laboratory Bragg-Brentano) and only the zero otherwise (synchrotron Debye-Scherrer).

References
----------
.. [1] G. S. Pawley, J. Appl. Cryst. 14 (1981) 357-361.
.. [2] L. Kaufman, BIT 15 (1975) 49-57; G. H. Golub, V. Pereyra, Inverse Probl. 19 (2003) R1.
.. [3] A. Le Bail, H. Duroy, J. L. Fourquet, Mater. Res. Bull. 23 (1988) 447-452.
.. [4] R. A. Young (ed.), The Rietveld Method (1993), ch. 1 (Rwp, Rp, Rexp, GOF).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Literal, ParamSpec, TypeVar

import numpy as np
from scipy.optimize import least_squares
from threadpoolctl import threadpool_limits

from mofglass.crystallography.cell import Cell, free_cell_parameters
from mofglass.crystallography.reflections import reflection_list
from mofglass.diffraction._wholepattern import (
    ProfileState,
    inverse_d_squared,
    model_jacobian,
    profile_matrix,
)
from mofglass.diffraction._wpsolve import chebyshev_basis, lebail_intensities, pawley_linear
from mofglass.diffraction.noise import pattern_noise
from mofglass.diffraction.pattern import Pattern
from mofglass.diffraction.pawley_result import PawleyResult, build_result
from mofglass.diffraction.phase_evidence import phase_contributions
from mofglass.diffraction.size import InstrumentProfile
from mofglass.errors import AnalysisError

__all__ = ["PawleyResult", "free_cell_parameters", "pawley_refine"]

P = ParamSpec("P")
R = TypeVar("R")
_CELL = ("a", "b", "c", "alpha", "beta", "gamma")
_PROFILE = ("u", "v", "w", "x", "y")
_ASYM = ("asym1", "asym2")
_LOWER = {"u": 0.0, "x": 0.0, "y": 0.0, "inv_size_per_nm": 0.0, "strain": 0.0}
_BOUND = {"asym1": 2.0, "asym2": 2.0}


def _lines(pattern: Pattern) -> tuple[tuple[float, float], ...]:
    wl = pattern.radiation
    if wl is None:
        raise AnalysisError(f"{pattern.source}: a whole-pattern fit needs the wavelength")
    if wl.has_ka2 and wl.ka2_A is not None:
        r = wl.ka2_ratio
        return ((wl.ka1_A, 1 / (1 + r)), (wl.ka2_A, r / (1 + r)))
    return ((wl.ka1_A, 1.0),)


def _estimate_fwhm(x: np.ndarray, y: np.ndarray) -> float:
    """FWHM (deg) of the strongest peak above the 20th-percentile level."""
    net = y - np.percentile(y, 20)
    i = int(np.argmax(net))
    half = net[i] / 2
    lo = i
    while lo > 0 and net[lo] > half:
        lo -= 1
    hi = i
    while hi < x.size - 1 and net[hi] > half:
        hi += 1
    step = float(np.median(np.diff(x)))
    return float(max(x[hi] - x[lo], 3 * step))


def _cell_name(name: str) -> str | None:
    """Return the lattice parameter a value name stands for (``"p1.beta"`` -> ``"beta"``)."""
    base = name.rpartition(".")[2]
    return base if base in _CELL else None


def _prefix(index: int) -> str:
    """Prefix of the cell-parameter names of phase ``index`` (0: the main phase, none)."""
    return "" if index == 0 else f"p{index}."


class _Problem:
    """Data, reflections of every phase and parameter bookkeeping of one fit.

    Phase 0 is the main phase (its cell parameters are named ``a``, ``b``, ...); impurity phase
    i has ``p{i}.a``, ... . The reflections of all phases are one vector (``slices`` says
    which belong to which phase); the profile is shared.
    """

    def __init__(
        self,
        pattern: Pattern,
        phases: list[Cell],
        names: list[str],
        values: dict[str, float],
        n_background: int,
        max_reflections: int,
    ) -> None:
        self.lines = _lines(pattern)
        self.start = phases[0]
        self.phases = phases
        self.warnings: list[str] = []
        x = pattern.two_theta_deg
        lam_max = max(lam for lam, _ in self.lines)
        lam_min = min(lam for lam, _ in self.lines)
        d_min = lam_min / (2 * np.sin(np.deg2rad(min(float(x[-1]) + 0.5, 179.0)) / 2))
        d_max = lam_max / (2 * np.sin(np.deg2rad(max(float(x[0]) - 0.5, 0.05)) / 2))
        refl = reflection_list(self.start, d_min_A=d_min, d_max_A=d_max)
        if len(refl) == 0:
            raise AnalysisError("no allowed reflection of the starting cell in the 2θ range")
        if len(refl) > max_reflections:
            d_min = float(refl.d_A[max_reflections - 1]) * (1 - 1e-9)
            tt_cut = float(np.rad2deg(2 * np.arcsin(lam_min / (2 * d_min))))
            self.warnings.append(
                f"{len(refl)} reflections in the range; fitted up to 2θ = {tt_cut:.2f}° "
                f"({max_reflections} reflections, max_reflections)"
            )
            keep = x <= tt_cut - 0.5
            pattern = pattern.crop(float(x[0]), float(x[keep][-1]))
        self.pattern = pattern
        self.noise = pattern_noise(pattern)
        self.x, self.y, self.sigma = pattern.two_theta_deg, pattern.intensity, self.noise.sigma
        hkls, mults, self.slices = [], [], []
        n = 0
        for cell in phases:
            hkl, mult = _unique_reflections(cell, d_min, d_max)
            hkls.append(hkl)
            mults.append(mult)
            self.slices.append(slice(n, n + hkl.shape[0]))
            n += hkl.shape[0]
        self.phase_hkl = hkls
        self.hkl = hkls[0]
        self.mult = mults[0]
        self.bg = chebyshev_basis(self.x, n_background)
        self.names = names
        self.values = dict(values)

    def state(self, values: dict[str, float]) -> tuple[np.ndarray, ProfileState]:
        return self.inv_d2(values), self.profile_state(values)

    def inv_d2(self, values: dict[str, float]) -> np.ndarray:
        """1/d² (Å⁻²) of the reflections of every phase, in phase order."""
        return np.concatenate(
            [
                inverse_d_squared(hkl, self.cell(values, i).parameters)
                for i, hkl in enumerate(self.phase_hkl)
            ]
        )

    def profile_state(self, values: dict[str, float]) -> ProfileState:
        return ProfileState(**{k: v for k, v in values.items() if _cell_name(k) is None})

    def jacobian(
        self, values: dict[str, float], free: list[str], inten: np.ndarray, broaden: float = 1.0
    ) -> np.ndarray:
        """∂model/∂p (not yet divided by σ) at fixed intensities."""
        steps = {n: _step(n, values[n]) for n in free}
        return model_jacobian(
            self.x,
            self.inv_d2,
            self.profile_state,
            values,
            free,
            steps,
            self.lines,
            inten,
            broaden=broaden,
        )

    def cell(self, values: dict[str, float], index: int = 0) -> Cell:
        pre = _prefix(index)
        free = tuple(n for n in _CELL if pre + n in values)
        return self.phases[index].with_free(free, [values[pre + n] for n in free])


def _unique_reflections(cell: Cell, d_min: float, d_max: float) -> tuple[np.ndarray, np.ndarray]:
    """List the hkl and multiplicities of the reflections of ``cell``.

    List hkl and multiplicity of the reflections of ``cell`` in [d_min, d_max] (Å); reflections
    of equal d (e.g. Laue m-3 hkl/khl pairs) share one intensity.
    """
    refl = reflection_list(cell, d_min_A=d_min, d_max_A=d_max)
    if len(refl) == 0:
        return np.zeros((0, 3), dtype=int), np.zeros(0, dtype=int)
    d_key = np.round(refl.d_A, 9)
    _, first, inverse = np.unique(-d_key, return_index=True, return_inverse=True)
    return refl.hkl[first], np.bincount(inverse, weights=refl.multiplicity).astype(int)


def _fit(
    prob: _Problem,
    free: list[str],
    *,
    method: str,
    broaden: float,
    max_nfev: int,
    intensities: np.ndarray | None,
) -> tuple[object, np.ndarray, np.ndarray]:
    """One least-squares stage over the ``free`` names; returns (scipy result, I, c)."""
    x, y, sig, bg = prob.x, prob.y, prob.sigma, prob.bg
    base = dict(prob.values)
    cache: dict[str, object] = {}

    def unpack(p: np.ndarray) -> dict[str, float]:
        v = dict(base)
        v.update(zip(free, map(float, p), strict=True))
        return v

    inten0 = np.full(prob.slices[-1].stop, 1.0) if intensities is None else intensities
    if method == "lebail":
        inv_d2, st = prob.state(base)
        a = profile_matrix(x, inv_d2, prob.lines, st, broaden=broaden)
        if intensities is None:
            colsum = np.asarray(a.sum(axis=0)).ravel()
            inten0 = np.where(colsum > 0, float(np.median(y)) * np.diff(x).mean() * 10, 0.0)
        inten0, _ = lebail_intensities(a, bg, y, sig, inten0, n_iter=8)

    def linear(p: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        key = p.tobytes()
        if cache.get("key") == key:
            return cache["val"]  # type: ignore[return-value]
        inv_d2, st = prob.state(unpack(p))
        a = profile_matrix(x, inv_d2, prob.lines, st, broaden=broaden)
        if method == "pawley":
            prev = cache.get("inten")
            inten, coef = pawley_linear(a, bg, y, sig, prev)  # type: ignore[arg-type]
            cache["inten"] = inten
        else:
            inten = inten0
            coef = np.linalg.lstsq(bg / sig[:, None], (y - a @ inten) / sig, rcond=None)[0]
        calc = a @ inten + bg @ coef
        cache["key"], cache["val"] = key, (calc, inten, coef)
        return calc, inten, coef

    def resid(p: np.ndarray) -> np.ndarray:
        return (y - linear(p)[0]) / sig

    def jac(p: np.ndarray) -> np.ndarray:
        _, inten, _ = linear(p)
        return -prob.jacobian(unpack(p), free, inten, broaden) / sig[:, None]

    lo = np.array([_LOWER.get(n, -_BOUND.get(n, np.inf)) for n in free])
    hi = np.array([_BOUND.get(n, np.inf) for n in free])
    p0 = np.clip(np.array([prob.values[n] for n in free]), lo, hi)
    # x_scale="jac": parameters scaled by their column norms, so weights of any magnitude (σ of
    # scaled intensities can be 1e-3, of counts 1e2) give the same steps (fixed steps in degrees
    # stalled on the CeO2 lab .xy with data-estimated weights)
    res = least_squares(
        resid, p0, jac=jac, bounds=(lo, hi), x_scale="jac", max_nfev=max_nfev, method="trf"
    )
    prob.values.update(unpack(res.x))
    _, inten, coef = linear(res.x)
    return res, inten, coef


def _scale_search(prob: _Problem, fwhm_deg: float, span: float = 0.02) -> float:
    """Isotropic cell scale (1 ± ``span``) whose reflections sit best on the observed peaks.

    Score: mean √ of the smoothed, baseline-removed pattern at the predicted 2θ of every
    reflection, on a grid fine enough to move the last peak by a third of its FWHM.
    """
    from scipy.ndimage import gaussian_filter1d, minimum_filter1d

    x, y = prob.x, prob.y
    step = float(np.median(np.diff(x)))
    n_w = max(round(fwhm_deg / step), 1)
    base = gaussian_filter1d(minimum_filter1d(y, 20 * n_w + 1), 10 * n_w)
    net = np.sqrt(np.maximum(gaussian_filter1d(y - base, n_w / 2), 0.0))
    lam = prob.lines[0][0]
    inv_d2 = prob.inv_d2(prob.values)[prob.slices[0]]
    th_max = np.deg2rad(float(x[-1])) / 2
    d_eps = np.deg2rad(fwhm_deg / 3) / (2 * np.tan(th_max))
    scales = np.arange(1 - span, 1 + span + d_eps / 2, d_eps)
    best, best_score = 1.0, -np.inf
    for sc in scales:
        arg = lam * np.sqrt(inv_d2) / (2 * sc)
        tt = np.rad2deg(2 * np.arcsin(arg[arg < 1]))
        tt = tt[(tt > x[0]) & (tt < x[-1])]
        if tt.size == 0:
            continue
        score = float(np.mean(np.interp(tt, x, net)))
        if score > best_score:
            best, best_score = float(sc), score
    return best


def _step(name: str, value: float) -> float:
    name = _cell_name(name) or name
    if name in ("a", "b", "c"):
        return 1e-5 * max(abs(value), 1.0)
    if name in ("alpha", "beta", "gamma"):
        return 1e-4
    return {
        "zero": 1e-4,
        "displacement": 1e-4,
        "u": 1e-5,
        "v": 1e-5,
        "w": 1e-6,
        "x": 1e-5,
        "y": 1e-5,
        "asym1": 1e-3,
        "asym2": 1e-3,
        "inv_size_per_nm": 1e-5,
        "strain": 1e-6,
    }[name]


def _single_thread(func: Callable[P, R]) -> Callable[P, R]:
    """Run ``func`` with BLAS limited to one thread.

    Run ``func`` with BLAS limited to one thread: the normal-equation matrices are a few
    hundred wide, where threads cost more than they gain (and the machine is shared).
    """

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with threadpool_limits(limits=1):
            return func(*args, **kwargs)

    return wrapper


@_single_thread
def pawley_refine(
    pattern: Pattern,
    start: Cell,
    *,
    method: Literal["pawley", "lebail"] = "pawley",
    instrument: InstrumentProfile | None = None,
    geometry: Literal["auto", "bragg-brentano", "debye-scherrer"] = "auto",
    refine_cell: bool = True,
    refine_zero: bool | None = None,
    asymmetry: bool = True,
    k_factor: float = 1.0,
    n_background: int = 12,
    max_reflections: int = 1500,
    max_nfev: int = 150,
    scale_search: bool = True,
    impurities: Sequence[Cell] = (),
) -> PawleyResult:
    """Refine the cell and profile of ``start`` against ``pattern`` (whole-pattern fit).

    Parameters
    ----------
    pattern : Pattern
        The scan (crop it to the range to fit); needs a wavelength (Kα2 used when present).
    start : Cell
        Starting cell and space group.
    method : {"pawley", "lebail"}
        Intensity extraction.
    instrument : InstrumentProfile, optional
        Fixed instrument profile (U, V, W, X, Y, asymmetry, zero as start); the sample's
        Lorentzian size and strain are refined on top. Without it U, V, W, X, Y and the
        asymmetry are refined (the profile then includes the sample's broadening).
    geometry : {"auto", "bragg-brentano", "debye-scherrer"}
        Bragg-Brentano refines the specimen displacement besides the zero.
    refine_cell : bool
        False keeps the cell fixed (a certified standard fitted for its instrument profile).
    refine_zero : bool, optional
        Refine the 2θ zero; default: yes in Debye-Scherrer geometry, no in Bragg-Brentano,
        where zero (kept at 0 or the instrument's value), displacement and cell are nearly
        collinear over a laboratory range and the displacement alone carries the sample's
        shift (as in TOPAS practice: the zero is an instrument constant).
    asymmetry : bool
        Refine the Bérar-Baldinozzi asymmetry (from zero) without an instrument, or when the
        instrument has no Bérar-Baldinozzi terms. False with such an instrument applies its
        GSAS Finger-Cox-Jephcoat S/L + H/L, converted (:mod:`mofglass.diffraction.fcj`), fixed.
    k_factor : float
        Scherrer constant of the size breadth (1: LVol-IB).
    n_background : int
        Chebyshev background terms.
    max_reflections : int
        Upper 2θ limit is lowered so that at most this many reflections are fitted.
    max_nfev : int
        Evaluations per least-squares stage (a stage that stops there is flagged).
    scale_search : bool
        Before refining, scan an isotropic scale of the start cell (± 2 %) for the best
        overlap of reflections and peaks (thermal expansion, a room-temperature start cell).
    impurities : sequence of Cell
        Further phases fitted together with ``start`` (multi-phase Pawley / Le Bail: each its
        own cell and intensities, one shared profile). Their cells start at the given values
        and are refined once the phase is detected (see
        :mod:`~mofglass.diffraction.phase_evidence`); an undetected phase keeps its cell and
        is reported as not identified, as is one whose cell then drifts more than 1 %.

    Returns
    -------
    PawleyResult
    """
    wl = pattern.radiation
    if geometry == "auto":
        geometry = "bragg-brentano" if (wl is not None and wl.has_ka2) else "debye-scherrer"
    cell_free = list(free_cell_parameters(start)) if refine_cell else []
    values: dict[str, float] = {n: float(getattr(start, n)) for n in cell_free}
    values.update(zero=0.0, displacement=0.0, k_factor=k_factor)
    prof, asym_note = _profile_start(pattern, instrument, values, asymmetry=asymmetry)
    if refine_zero is None:
        refine_zero = geometry == "debye-scherrer"
    shift = (["zero"] if refine_zero else []) + (
        ["displacement"] if geometry == "bragg-brentano" else []
    )
    prob = _Problem(pattern, [start, *impurities], cell_free, values, n_background, max_reflections)
    if refine_cell and scale_search:
        fw0 = _estimate_fwhm(prob.x, prob.y)
        sc = _scale_search(prob, fw0)
        for n in ("a", "b", "c"):
            if n in prob.values:
                prob.values[n] *= sc
    inten = None
    stages = [(3.0, cell_free + shift[:1]), (1.0, cell_free + shift + prof)]
    if not refine_cell and not shift:
        stages = [(1.0, prof)]
    flags = list(prob.warnings)
    res = None
    for broaden, free in stages:
        res, inten, coef = _fit(
            prob, free, method=method, broaden=broaden, max_nfev=max_nfev, intensities=inten
        )
        if method == "lebail":  # alternate extraction and refinement until stable
            for _ in range(3):
                res, inten, coef = _fit(
                    prob,
                    free,
                    method=method,
                    broaden=broaden,
                    max_nfev=max_nfev,
                    intensities=inten,
                )
    assert res is not None and inten is not None
    if impurities and refine_cell:
        found = phase_contributions(prob, inten, coef)
        extra = [
            _prefix(i) + n
            for i, ph in enumerate(found)
            if i > 0 and ph.detected
            for n in free_cell_parameters(prob.phases[i])
        ]
        if extra:
            for n in extra:
                index = int(n[1 : n.index(".")])
                prob.values[n] = float(getattr(prob.phases[index], str(_cell_name(n))))
            free = free + extra
            res, inten, coef = _fit(
                prob, free, method=method, broaden=1.0, max_nfev=max_nfev, intensities=inten
            )
    if res.status == 0:  # type: ignore[attr-defined]
        flags.append(f"least squares stopped at max_nfev={max_nfev} without converging")
    return build_result(
        prob,
        free,
        inten,
        coef,
        method=method,
        geometry=geometry,
        flags=flags,
        instrument=instrument,
        asymmetry_model=asym_note,
    )


def _profile_start(
    pattern: Pattern,
    instrument: InstrumentProfile | None,
    values: dict[str, float],
    *,
    asymmetry: bool,
) -> tuple[list[str], str]:
    """Set the start values of the profile and choose what to refine.

    Start values of the profile (into ``values``), the profile names to refine and the
    asymmetry model used (for the report).

    With a fixed instrument only the sample's size and strain are refined, and its
    Bérar-Baldinozzi asymmetry is used as given. An instrument without one has its asymmetry
    refined from zero (``asymmetry``) or, with ``asymmetry=False``, a GSAS
    Finger-Cox-Jephcoat S/L + H/L converted (:func:`~mofglass.diffraction.fcj.fcj_to_berar_baldinozzi`)
    and kept fixed. Measured on the shared files: the converted FCJ lowers Rwp against no
    asymmetry (PbSO4 8.85 -> 8.77 %, 11-BM sucrose 2-12° 11.0 -> 10.7 %), a refined asymmetry
    more (7.39 %, 8.45 % over 2-20°); starting the refinement from the converted FCJ instead of
    zero ended in higher minima (7.58 %, 8.75 %), so the refinement starts from zero.
    """
    if instrument is None:
        fw = _estimate_fwhm(pattern.two_theta_deg, pattern.intensity)
        values.update(u=0.0, v=0.0, w=(0.8 * fw) ** 2, x=0.0, y=0.3 * fw, asym1=0.0, asym2=0.0)
        names = list(_PROFILE) + (list(_ASYM) if asymmetry else [])
        return names, "Bérar-Baldinozzi, refined" if asymmetry else "none"
    values.update(
        u=instrument.u,
        v=instrument.v,
        w=instrument.w,
        x=instrument.x,
        y=instrument.y,
        asym1=instrument.asym1,
        asym2=instrument.asym2,
        zero=instrument.zero_deg,
        inv_size_per_nm=1e-3,
        strain=1e-4,
    )
    names = ["inv_size_per_nm", "strain"]
    if instrument.asym1 != 0 or instrument.asym2 != 0:
        return names, "Bérar-Baldinozzi, from the instrument"
    if asymmetry:  # from zero: the files' FCJ terms as start gave higher Rwp (see docstring)
        note = "Bérar-Baldinozzi, refined"
        if instrument.fcj_shl > 0:
            note += f" (the instrument's FCJ S/L+H/L = {instrument.fcj_shl:g} not used)"
        return names + list(_ASYM), note
    if instrument.fcj_shl > 0:
        from mofglass.diffraction.fcj import fcj_to_berar_baldinozzi

        x = pattern.two_theta_deg
        assert pattern.radiation is not None
        conv = fcj_to_berar_baldinozzi(
            instrument.fcj_shl,
            (float(x[0]), float(x[-1])),
            ProfileState(**{k: values[k] for k in _PROFILE}),
            pattern.radiation.ka1_A,
        )
        values.update(asym1=conv.asym1, asym2=conv.asym2)
        return names, f"{conv.describe()}; fixed"
    return names, "none"


def refined_cell(result: PawleyResult) -> Cell:
    """Return the refined :class:`Cell` (alias of ``result.cell``)."""
    return replace(result.cell)
