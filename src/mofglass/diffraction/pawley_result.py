"""Result of a whole-pattern fit (:func:`mofglass.diffraction.pawley.pawley_refine`): the cell
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

from mofglass.crystallography.broadening import size_from_breadth_nm
from mofglass.crystallography.cell import Cell
from mofglass.diffraction._wholepattern import profile_matrix, profile_sum
from mofglass.diffraction.size import InstrumentProfile
from mofglass.results import Measured, Result

if TYPE_CHECKING:
    from mofglass.diffraction.pawley import _Problem

__all__ = ["UNEXPLAINED_LIMIT", "PawleyResult", "build_result"]

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
class PawleyResult(Result):
    """Refined cell, profile and agreement of a Pawley / Le Bail fit.

    Lattice parameters in Å and degrees with standard uncertainties (those tied by symmetry
    carry the s.u. of the parameter they follow; None when fixed). ``profile`` holds the
    refined profile parameters (U, V, W in deg², X, Y in deg, asymmetry, zero and
    displacement in degrees 2θ). ``size_nm`` / ``size_lower_bound_nm`` and ``microstrain``
    are set only with a fixed instrument profile. ``flags`` lists every reason not to trust
    the fit (did not converge, parameter at a bound, ...); ``ok`` is True when it is empty.
    """

    cell: Cell
    a_A: Measured
    b_A: Measured
    c_A: Measured
    alpha_deg: Measured
    beta_deg: Measured
    gamma_deg: Measured
    volume_A3: Measured
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
        """The refined profile as an :class:`InstrumentProfile` (fit of a standard)."""
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
        ]
        if self.size_nm is not None:
            lines.append(f"  crystallite size (LVol-IB) = {self.size_nm}")
        elif self.size_lower_bound_nm is not None:
            lines.append(
                f"  crystallite size instrument-limited: > {self.size_lower_bound_nm.value:.0f} nm"
            )
        if self.microstrain is not None:
            lines.append(f"  microstrain = {self.microstrain}")
        lines.append(
            f"  Rwp {100 * self.rwp:.2f} %  Rp {100 * self.rp:.2f} %  "
            f"Rexp {100 * self.rexp:.2f} %  GOF {self.gof:.2f}"
        )
        lines += [f"  WARNING: {f}" for f in self.flags]
        return "\n".join(lines)


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
) -> PawleyResult:
    """Assemble the :class:`PawleyResult` of a finished fit."""
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
    rwp = float(np.sqrt(chi2 / sw))
    rexp = float(np.sqrt(nu / sw))
    cov = _cov(prob, free, inten, vals) * redchi
    err = dict(zip(free, np.sqrt(np.clip(np.diag(cov), 0, None)), strict=True))
    cell = prob.cell(vals)
    tied = {"b": "a", "c": "a", "beta": "alpha", "gamma": "alpha"}

    def cell_m(name: str, unit: str) -> Measured:
        src = name if name in err else tied.get(name)
        if src in err and (name in err or getattr(cell, name) == getattr(cell, str(src))):
            return Measured(getattr(cell, name), float(err[str(src)]), unit)
        return Measured(getattr(cell, name), None, unit)

    cfree = [n for n in free if n in ("a", "b", "c", "alpha", "beta", "gamma")]
    vol_err = None
    if cfree:
        jv = np.zeros(len(free))
        for i, n in enumerate(free):
            if n in cfree:
                h = 1e-6 * max(abs(vals[n]), 1.0)
                vp, vm = dict(vals), dict(vals)
                vp[n] += h
                vm[n] -= h
                jv[i] = (prob.cell(vp).volume_A3 - prob.cell(vm).volume_A3) / (2 * h)
        vol_err = float(np.sqrt(max(float(jv @ cov @ jv), 0.0)))

    def meas(n: str) -> Measured:
        return Measured(vals.get(n, 0.0), float(err[n]) if n in err else None, _UNITS[n])

    for n in free:
        lo = {"u": 0.0, "x": 0.0, "y": 0.0, "inv_size_per_nm": 0.0, "strain": 0.0}.get(n)
        at_lo = lo is not None and vals[n] <= lo + 1e-12 and n not in ("inv_size_per_nm",)
        if at_lo and n not in ("u", "x", "y", "strain"):
            flags.append(f"parameter {n} at its bound {lo}")
        if n in ("asym1", "asym2") and abs(vals[n]) >= 2.0 - 1e-9:
            flags.append(f"parameter {n} at its bound ±2")
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
    size = lower = strain = None
    if instrument is not None:
        lam = prob.lines[0][0]
        inv, s_inv = vals["inv_size_per_nm"], float(err.get("inv_size_per_nm", np.nan))
        if np.isfinite(s_inv) and inv > 2 * s_inv and inv > 0:
            size = Measured(1 / inv, s_inv / inv**2, "nm")
        else:
            bound = inv + 2 * (s_inv if np.isfinite(s_inv) else 0.0)
            lower = Measured(1 / bound if bound > 0 else np.inf, None, "nm")
        strain = meas("strain")
        _ = size_from_breadth_nm, lam
    tt = np.rad2deg(2 * np.arcsin(np.clip(prob.lines[0][0] * np.sqrt(inv_d2) / 2, -1, 1)))
    tt = tt + st.zero + st.displacement * np.cos(np.deg2rad(tt) / 2)
    prof_names = [n for n in ("u", "v", "w", "x", "y", "asym1", "asym2") if n in vals]
    return PawleyResult(
        cell=cell,
        a_A=cell_m("a", "Å"),
        b_A=cell_m("b", "Å"),
        c_A=cell_m("c", "Å"),
        alpha_deg=cell_m("alpha", "deg"),
        beta_deg=cell_m("beta", "deg"),
        gamma_deg=cell_m("gamma", "deg"),
        volume_A3=Measured(cell.volume_A3, vol_err, "Å^3"),
        zero_shift_deg=meas("zero"),
        displacement_deg=meas("displacement") if geometry == "bragg-brentano" else None,
        size_nm=size,
        size_lower_bound_nm=lower,
        microstrain=strain,
        profile={n: meas(n) for n in prof_names},
        rwp=rwp,
        rp=float(np.sum(np.abs(y - calc)) / np.sum(np.abs(y))),
        unexplained_fraction=unexplained,
        rexp=rexp,
        gof=float(np.sqrt(redchi)),
        reduced_chi_square=redchi,
        n_reflections=int(prob.hkl.shape[0]),
        converged=not any("max_nfev" in f for f in flags),
        flags=tuple(flags),
        fit_method=method,
        geometry=geometry,
        hkl=prob.hkl,
        tick_two_theta_deg=tt,
        two_theta_deg=x,
        observed=y,
        calculated=calc,
        background=bgc,
    )
