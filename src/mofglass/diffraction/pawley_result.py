"""Result of a whole-pattern fit.

Result of a whole-pattern fit (:func:`mofglass.diffraction.pawley.pawley_refine`): the cell
with standard uncertainties, profile, shifts, agreement factors and the curves for the figure.

Agreement factors [1]_: Rwp = √(Σ w (y - yc)² / Σ w y²), Rp = Σ |y - yc| / Σ |y|,
Rexp = √(ν / Σ w y²) with ν = points - parameters, GOF = Rwp / Rexp = √(χ²/ν). A fit is
flagged when more than 15 % of the diffracted intensity (observed above background) exceeds
the calculated pattern by over 3σ: peaks the cell does not index (measured on the shared
files: 0.7-0.8 % for the right cells of LaB6, PbSO4 and sucrose, 70-75 % for wrong ones).

References
----------
.. [1] R. A. Young (ed.), The Rietveld Method (1993), ch. 1.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import scipy.sparse as sp

from mofglass.crystallography.cell import Cell
from mofglass.diffraction._wholepattern import profile_matrix, profile_sum
from mofglass.diffraction.phase_evidence import (
    IDENTIFICATION_RULE,
    PhaseContribution,
    phase_contributions,
)
from mofglass.diffraction.size import InstrumentProfile
from mofglass.results import Measured, Result

if TYPE_CHECKING:
    from mofglass.diffraction.pawley import _Problem

__all__ = [
    "UNEXPLAINED_LIMIT",
    "CellParameters",
    "PawleyResult",
    "PhaseFit",
    "build_result",
]

#: Share of the diffracted intensity a fit may leave unexplained before it is flagged.
UNEXPLAINED_LIMIT = 0.15

_UNITS = {
    "zero": "deg",
    "displacement": "deg",
    "u": "deg^2",
    "v": "deg^2",
    "w": "deg^2",
    "x": "deg",
    "y": "deg",
    "asym1": "",
    "asym2": "",
    "inv_size_per_nm": "1/nm",
    "strain": "",
}


@dataclass(frozen=True)
class CellParameters(Result):
    """Lattice parameters (Å, degrees) and cell volume (Å³) with standard uncertainties."""

    a_A: Measured
    b_A: Measured
    c_A: Measured
    alpha_deg: Measured
    beta_deg: Measured
    gamma_deg: Measured
    volume_A3: Measured
    method: ClassVar[str] = "lattice parameters of a whole-pattern fit"


@dataclass(frozen=True)
class PhaseFit(CellParameters):
    """One phase of a multi-phase whole-pattern fit: its cell and what it explains.

    ``intensity_share`` is the phase's share of the calculated Bragg intensity;
    ``rwp_without`` the Rwp of the best fit of the other phases (intensities and background
    re-solved, profile and cells kept) without it, so ``rwp_without - rwp`` is the phase's
    Rwp contribution. ``detected`` (identified) applies the rule of
    :mod:`mofglass.diffraction.phase_evidence` (cell within 1 % of the cell given, ≥ 0.5 % of
    the intensity, Δχ² without it beyond noise); ``reason`` says why not. The cell of a phase
    not identified is no result (kept out of the headline rows).
    """

    name: str
    n_reflections: int
    intensity_share: float
    rwp_without: float
    detected: bool
    tick_two_theta_deg: np.ndarray
    cell_drift: float = 0.0
    reason: str = ""
    method: ClassVar[str] = "phase of a multi-phase whole-pattern fit"


@dataclass(frozen=True)
class PawleyResult(CellParameters):
    """Refined cell, profile and agreement of a Pawley / Le Bail fit.

    Lattice parameters in Å and degrees with standard uncertainties (those tied by symmetry
    carry the s.u. of the parameter they follow; None when fixed). ``profile`` holds the
    refined profile parameters (U, V, W in deg², X, Y in deg, asymmetry, zero and
    displacement in degrees 2θ). ``size_nm`` / ``size_lower_bound_nm`` and ``microstrain`` /
    ``microstrain_upper_bound`` are set only with a fixed instrument profile, a value only
    when it exceeds 2σ (else the bound; never an infinite one). ``flags`` lists every reason not to trust
    the fit (did not converge, parameter at a bound, ...); ``ok`` is True when it is empty.
    ``noise_model`` says how the points were weighted (file esds, counting statistics or a
    noise estimated from the data: :mod:`mofglass.diffraction.noise`); Rexp, GOF and the
    s.u.s (scaled by the reduced χ²) depend on it.
    """

    cell: Cell
    zero_shift_deg: Measured
    displacement_deg: Measured | None
    size_nm: Measured | None
    size_lower_bound_nm: Measured | None
    microstrain: Measured | None
    profile: dict[str, Measured]
    rwp: float
    rp: float
    rexp: float
    unexplained_fraction: float
    gof: float
    reduced_chi_square: float
    n_reflections: int
    converged: bool
    flags: tuple[str, ...]
    fit_method: str
    geometry: str
    hkl: np.ndarray
    tick_two_theta_deg: np.ndarray
    two_theta_deg: np.ndarray
    observed: np.ndarray
    calculated: np.ndarray
    background: np.ndarray
    phases: tuple[PhaseFit, ...] = ()
    zero_displacement_correlation: float | None = None
    zero_refined: bool = False
    asymmetry_model: str = ""
    microstrain_upper_bound: Measured | None = None
    noise_model: str = ""
    method: ClassVar[str] = (
        "whole-pattern fit (Pawley 1981 / Le Bail 1988), TCH pseudo-Voigt, refined profile"
    )

    @property
    def ok(self) -> bool:
        """True when the fit converged and nothing was flagged."""
        return self.converged and not self.flags

    @property
    def redchi(self) -> float:
        """Deprecated alias of :attr:`reduced_chi_square` (one name per concept)."""
        warnings.warn(
            "redchi is deprecated; use reduced_chi_square", DeprecationWarning, stacklevel=2
        )
        return self.reduced_chi_square

    def instrument(self, *, source: str = "") -> InstrumentProfile:
        """Return the refined profile as an :class:`InstrumentProfile` (fit of a standard)."""
        p = {k: m.value for k, m in self.profile.items()}
        return InstrumentProfile(
            u=p["u"],
            v=p["v"],
            w=p["w"],
            x=p["x"],
            y=p["y"],
            asym1=p.get("asym1", 0.0),
            asym2=p.get("asym2", 0.0),
            zero_deg=self.zero_shift_deg.value,
            source=source or f"{self.fit_method} fit, Rwp {100 * self.rwp:.2f} %",
        )

    def report(self) -> str:
        """Text summary: cell with s.u.s, shifts, agreement factors, flags."""
        lines = [
            f"{self.fit_method.capitalize()} fit, {self.n_reflections} reflections, "
            f"{self.cell.spacegroup}",
            f"  a = {self.a_A}  b = {self.b_A}  c = {self.c_A}",
            f"  alpha = {self.alpha_deg}  beta = {self.beta_deg}  gamma = {self.gamma_deg}",
            f"  V = {self.volume_A3}",
            f"  zero = {self.zero_shift_deg}"
            + (
                "" if self.displacement_deg is None else f"  displacement = {self.displacement_deg}"
            ),
            f"  {self.shift_choice()}",
        ]
        if self.asymmetry_model:
            lines.append(f"  asymmetry: {self.asymmetry_model}")
        if self.size_nm is not None:
            lines.append(f"  crystallite size (LVol-IB) = {self.size_nm}")
        elif self.size_lower_bound_nm is not None:
            lines.append(
                f"  crystallite size instrument-limited: > {self.size_lower_bound_nm.value:.0f} nm"
            )
        if self.microstrain is not None:
            lines.append(f"  microstrain = {self.microstrain}")
        elif self.microstrain_upper_bound is not None:
            lines.append(
                f"  microstrain not resolved: < {self.microstrain_upper_bound.value:.2g} (2σ bound)"
            )
        lines.append(
            f"  Rwp {100 * self.rwp:.2f} %  Rp {100 * self.rp:.2f} %  "
            f"Rexp {100 * self.rexp:.2f} %  GOF {self.gof:.2f}"
        )
        if self.noise_model:
            lines.append(f"  {self.noise_model}")
        if self.phases:
            lines.append(f"  rule: {IDENTIFICATION_RULE}")
        for ph in self.phases:
            state = "identified" if ph.detected else f"NOT identified ({ph.reason})"
            lines.append(
                f"  phase {ph.name}: {state}, {100 * ph.intensity_share:.1f} % of the Bragg "
                f"intensity, Rwp without it {100 * ph.rwp_without:.2f} % "
                f"(+{100 * (ph.rwp_without - self.rwp):.2f}), a = {ph.a_A}  b = {ph.b_A}  "
                f"c = {ph.c_A}"
            )
        lines += [f"  WARNING: {f}" for f in self.flags]
        return "\n".join(lines)

    def shift_choice(self) -> str:
        """How the peak shift was modelled: zero and displacement, and their correlation."""
        if self.displacement_deg is None:
            return "2θ zero refined (Debye-Scherrer geometry: no specimen displacement)"
        if self.zero_refined:
            rho = self.zero_displacement_correlation
            txt = "n/a" if rho is None else f"{rho:+.3f}"
            return f"zero and displacement both refined: correlation {txt}" + (
                " (strongly correlated: prefer a fixed zero)" if rho and abs(rho) > 0.9 else ""
            )
        return (
            f"zero fixed at {self.zero_shift_deg.value:g}° (an instrument constant), "
            "displacement refined (zero and displacement are nearly collinear over a "
            "laboratory range; refine_zero=True refines both)"
        )


def _cov(prob: _Problem, free: list[str], inten: np.ndarray, st_values: dict[str, float]) -> Any:
    """Covariance (unscaled) of the nonlinear parameters from the full Jacobian."""
    x, sig = prob.x, prob.sigma
    inv_d2, st = prob.state(st_values)
    jn = prob.jacobian(st_values, free, inten) / sig[:, None]
    a = profile_matrix(x, inv_d2, prob.lines, st)[:, inten > 0]
    aw = sp.diags(1 / sig) @ a
    bw = prob.bg / sig[:, None]
    blocks = [
        [jn.T @ jn, np.asarray(aw.T @ jn).T, jn.T @ bw],
        [np.asarray(aw.T @ jn), (aw.T @ aw).toarray(), np.asarray(aw.T @ bw)],
        [bw.T @ jn, np.asarray(aw.T @ bw).T, bw.T @ bw],
    ]
    m = np.block(blocks)
    d = 1 / np.sqrt(np.where(np.diag(m) > 0, np.diag(m), 1.0))
    cov = np.linalg.pinv(m * d[:, None] * d[None, :], rcond=1e-13) * d[:, None] * d[None, :]
    return cov[: len(free), : len(free)]


_TIED = {"b": "a", "c": "a", "beta": "alpha", "gamma": "alpha"}
_CELL_UNITS = (
    ("a", "a_A", "Å"),
    ("b", "b_A", "Å"),
    ("c", "c_A", "Å"),
    ("alpha", "alpha_deg", "deg"),
    ("beta", "beta_deg", "deg"),
    ("gamma", "gamma_deg", "deg"),
)


def _cell_measured(
    prob: _Problem, free: list[str], err: dict[str, float], cov: np.ndarray, index: int
) -> dict[str, Measured]:
    """Return the lattice parameters and volume of a phase with s.u.s.

    Lattice parameters and volume of phase ``index`` with s.u.s (parameters tied by
    symmetry carry the s.u. of the one they follow; fixed ones have none).
    """
    vals = prob.values
    pre = "" if index == 0 else f"p{index}."
    cell = prob.cell(vals, index)
    out: dict[str, Measured] = {}
    for name, field, unit in _CELL_UNITS:
        src = pre + name if pre + name in err else pre + _TIED.get(name, name)
        same = getattr(cell, name) == getattr(cell, src[len(pre) :])
        if src in err and (pre + name in err or same):
            out[field] = Measured(getattr(cell, name), float(err[src]), unit)
        else:
            out[field] = Measured(getattr(cell, name), None, unit)
    jv = np.zeros(len(free))
    for i, n in enumerate(free):
        if n.startswith(pre) and n[len(pre) :] in _TIED.keys() | {"a", "alpha"}:
            h = 1e-6 * max(abs(vals[n]), 1.0)
            vp, vm = dict(vals), dict(vals)
            vp[n] += h
            vm[n] -= h
            jv[i] = (prob.cell(vp, index).volume_A3 - prob.cell(vm, index).volume_A3) / (2 * h)
    vol_err = float(np.sqrt(max(float(jv @ cov @ jv), 0.0))) if jv.any() else None
    out["volume_A3"] = Measured(cell.volume_A3, vol_err, "Å^3")
    return out


def _ticks(prob: _Problem, inv_d2: np.ndarray, st: Any, index: int) -> np.ndarray:
    """Return the observed-scale 2θ (deg, Kα1) of the reflections of a phase.

    Observed-scale 2θ (deg, Kα1) of the reflections of phase ``index`` (zero and
    displacement applied).
    """
    s = prob.lines[0][0] * np.sqrt(inv_d2[prob.slices[index]]) / 2
    tt = np.rad2deg(2 * np.arcsin(np.clip(s, -1, 1)))
    return tt + st.zero + st.displacement * np.cos(np.deg2rad(tt) / 2)


def _bound_flags(vals: dict[str, float], free: list[str]) -> list[str]:
    """List flags for parameters that ended on a bound that is not physical (asymmetry ±2, ...)."""
    flags = []
    for n in free:
        if n in ("v", "w", "zero", "displacement"):
            continue
        if n in ("asym1", "asym2") and abs(vals[n]) >= 2.0 - 1e-9:
            flags.append(f"parameter {n} at its bound ±2")
    return flags


def _size_strain(
    vals: dict[str, float], err: dict[str, float]
) -> tuple[Measured | None, Measured | None, Measured | None, Measured | None]:
    """Split the refined size and strain broadening into values or bounds.

    The same 2σ rule as :func:`~mofglass.diffraction.strain.williamson_hall`: the LVol-IB
    size (nm) is a value when 1/D exceeds 2σ, else a lower bound 1/(1/D + 2σ), and nothing
    at all when that bound is not finite (no s.u.: a parameter stuck at its bound). The
    microstrain is a value when it exceeds 2σ, else an upper bound max(ε, 0) + 2σ, else
    nothing.

    Returns
    -------
    tuple
        (size_nm, size_lower_bound_nm, microstrain, microstrain_upper_bound), each a
        :class:`Measured` or None.
    """
    inv, s_inv = vals["inv_size_per_nm"], float(err.get("inv_size_per_nm", np.nan))
    size = lower = None
    if np.isfinite(s_inv) and s_inv > 0 and inv > 2 * s_inv:
        size = Measured(1 / inv, s_inv / inv**2, "nm")
    elif np.isfinite(s_inv) and s_inv > 0:
        lower = Measured(1 / (max(inv, 0.0) + 2 * s_inv), None, "nm")
    eps, s_eps = vals.get("strain", 0.0), float(err.get("strain", np.nan))
    strain = upper = None
    if np.isfinite(s_eps) and s_eps > 0 and eps > 2 * s_eps:
        strain = Measured(eps, s_eps, "")
    elif np.isfinite(s_eps) and s_eps > 0:
        upper = Measured(max(eps, 0.0) + 2 * s_eps, None, "")
    return size, lower, strain, upper


def _meas(vals: dict[str, float], err: dict[str, float], n: str) -> Measured:
    return Measured(vals.get(n, 0.0), float(err[n]) if n in err else None, _UNITS[n])


def _correlation(cov: np.ndarray, free: list[str], p: str, q: str) -> float | None:
    """Correlation coefficient of two refined parameters (None unless both are refined)."""
    if p not in free or q not in free:
        return None
    i, j = free.index(p), free.index(q)
    den = np.sqrt(cov[i, i] * cov[j, j])
    return float(cov[i, j] / den) if den > 0 else None


def _phase_fits(
    prob: _Problem,
    cons: list[PhaseContribution],
    free: list[str],
    err: dict[str, float],
    cov: np.ndarray,
    inv_d2: np.ndarray,
    st: Any,
    sw: float,
) -> tuple[PhaseFit, ...]:
    """One :class:`PhaseFit` per phase of a multi-phase fit (none for a single phase)."""
    if len(prob.phases) < 2:
        return ()
    out = []
    for i, con in enumerate(cons):
        out.append(
            PhaseFit(
                name=prob.phases[i].name or f"phase {i + 1}",
                **_cell_measured(prob, free, err, cov, i),
                n_reflections=int(prob.phase_hkl[i].shape[0]),
                intensity_share=con.intensity_share,
                rwp_without=float(np.sqrt(con.chi2_without / sw)),
                detected=con.detected,
                tick_two_theta_deg=_ticks(prob, inv_d2, st, i),
                cell_drift=con.cell_drift,
                reason=con.reason,
            )
        )
    return tuple(out)


def _main_phase_flag(prob: _Problem, con: PhaseContribution) -> list[str]:
    """Flag the fit when its main phase is not identified (its cell is then no result)."""
    if con.detected:
        return []
    name = prob.phases[0].name or "main phase"
    return [f"main phase {name} not identified: {con.reason} ({IDENTIFICATION_RULE})"]


def build_result(
    prob: _Problem,
    free: list[str],
    inten: np.ndarray,
    coef: np.ndarray,
    *,
    method: str,
    geometry: str,
    flags: list[str],
    instrument: InstrumentProfile | None,
    asymmetry_model: str = "",
) -> PawleyResult:
    """Assemble the :class:`PawleyResult` of a finished fit.

    Parameters
    ----------
    prob : _Problem
        The fitted problem (data, phases, refined values).
    free : list of str
        Names of the refined nonlinear parameters.
    inten, coef : ndarray
        Reflection intensities (all phases) and Chebyshev background coefficients.
    method, geometry : str
        Fit method and diffraction geometry (reported).
    flags : list of str
        Reasons not to trust the fit found so far (extended here).
    instrument : InstrumentProfile, optional
        Fixed instrument profile: sizes and strain are then the sample's.
    asymmetry_model : str
        How the peak asymmetry was modelled (for the report).

    Returns
    -------
    PawleyResult
    """
    vals = prob.values
    inv_d2, st = prob.state(vals)
    x, y, sig = prob.x, prob.y, prob.sigma
    bgc = prob.bg @ coef
    calc = profile_sum(x, inv_d2, prob.lines, st, inten) + bgc
    n_par = len(free) + int(np.sum(inten > 0)) + coef.size
    nu = max(x.size - n_par, 1)
    chi2 = float(np.sum(((y - calc) / sig) ** 2))
    redchi = chi2 / nu
    sw = float(np.sum((y / sig) ** 2))
    cov = _cov(prob, free, inten, vals) * redchi
    err = dict(zip(free, np.sqrt(np.clip(np.diag(cov), 0, None)), strict=True))
    cons = phase_contributions(prob, inten, coef)
    flags = flags + _bound_flags(vals, free) + _main_phase_flag(prob, cons[0])
    # intensity the cell leaves unexplained (observed above calculated by > 3σ), as a share of
    # the diffracted intensity above background: ~1 % for a right cell, > 50 % for a wrong one
    unexplained = float(
        np.sum(np.clip(y - calc - 3 * sig, 0, None))
        / max(np.sum(np.clip(y - bgc, 0, None)), 1e-300)
    )
    if unexplained > UNEXPLAINED_LIMIT:
        flags.append(
            f"{100 * unexplained:.0f} % of the diffracted intensity is not described by the cell "
            "(wrong cell or space group, or a missing phase)"
        )
    size = lower = strain = strain_upper = None
    if instrument is not None:
        size, lower, strain, strain_upper = _size_strain(vals, err)
    prof_names = [n for n in ("u", "v", "w", "x", "y", "asym1", "asym2") if n in vals]
    return PawleyResult(
        cell=prob.cell(vals),
        **_cell_measured(prob, free, err, cov, 0),
        zero_shift_deg=_meas(vals, err, "zero"),
        displacement_deg=_meas(vals, err, "displacement") if geometry == "bragg-brentano" else None,
        size_nm=size,
        size_lower_bound_nm=lower,
        microstrain=strain,
        microstrain_upper_bound=strain_upper,
        profile={n: _meas(vals, err, n) for n in prof_names},
        rwp=float(np.sqrt(chi2 / sw)),
        rp=float(np.sum(np.abs(y - calc)) / np.sum(np.abs(y))),
        unexplained_fraction=unexplained,
        rexp=float(np.sqrt(nu / sw)),
        gof=float(np.sqrt(redchi)),
        reduced_chi_square=redchi,
        n_reflections=int(prob.hkl.shape[0]),
        converged=not any("max_nfev" in f for f in flags),
        flags=tuple(flags),
        fit_method=method,
        geometry=geometry,
        hkl=prob.hkl,
        tick_two_theta_deg=_ticks(prob, inv_d2, st, 0),
        two_theta_deg=x,
        observed=y,
        calculated=calc,
        background=bgc,
        phases=_phase_fits(prob, cons, free, err, cov, inv_d2, st, sw),
        zero_displacement_correlation=_correlation(cov, free, "zero", "displacement"),
        zero_refined="zero" in free,
        asymmetry_model=asymmetry_model,
        noise_model=prob.noise.describe(),
    )
