"""Pawley whole-pattern refinement of the unit cell (structure-free profile fit).

Every allowed reflection of the starting cell gets a free, non-negative integrated intensity;
the cell (free parameters of its crystal system), a 2θ zero shift and optionally a crystallite
size are refined by nonlinear least squares. Because the pattern is linear in the intensities
and in the background (Chebyshev polynomial), these are solved exactly at every step (bounded
linear least squares: "variable projection"), so the nonlinear problem has only a handful of
parameters and converges robustly. Peak shapes: Voigt with the instrument's breadths plus the
Lorentzian size breadth K λ / (D cos θ), with the Kα2 doublet when the radiation has one.

Uncertainties of the refined parameters come from the Jacobian of the projected residual,
scaled by the reduced χ² (as in Rietveld programs).

References
----------
.. [1] G. S. Pawley, J. Appl. Cryst. 14 (1981) 357-361.
.. [2] G. H. Golub, V. Pereyra, SIAM J. Numer. Anal. 10 (1973) 413 (variable projection).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, ClassVar

import numpy as np
from scipy.optimize import least_squares, nnls
from scipy.special import voigt_profile

from mofglass.diffraction.cell import Cell, reflections
from mofglass.diffraction.conversions import d_to_two_theta
from mofglass.diffraction.pattern import Pattern
from mofglass.diffraction.size import InstrumentProfile
from mofglass.errors import AnalysisError
from mofglass.results import Measured, Result

__all__ = ["PawleyResult", "free_cell_parameters", "pawley_refine"]

_FREE = {
    "cubic": ("a",),
    "tetragonal": ("a", "c"),
    "hexagonal": ("a", "c"),
    "trigonal": ("a", "c"),
    "orthorhombic": ("a", "b", "c"),
    "monoclinic": ("a", "b", "c", "beta"),
    "triclinic": ("a", "b", "c", "alpha", "beta", "gamma"),
}


def free_cell_parameters(cell: Cell) -> tuple[str, ...]:
    """Names of the cell parameters free in the crystal system of ``cell``'s space group."""
    system = cell.gemmi_spacegroup().crystal_system_str()
    if system == "trigonal" and cell.gemmi_spacegroup().hm.startswith("R") and cell.alpha != 90:
        return ("a", "alpha")  # rhombohedral axes
    return _FREE[system]


def _apply(cell: Cell, names: tuple[str, ...], values: np.ndarray) -> Cell:
    kw: dict[str, Any] = dict(zip(names, map(float, values), strict=True))
    if "a" in kw and names in (("a",), ("a", "c"), ("a", "alpha")):
        kw["b"] = kw["a"]
        if names == ("a",) or names == ("a", "alpha"):
            kw["c"] = kw["a"]
        if names == ("a", "alpha"):
            kw["beta"] = kw["gamma"] = kw["alpha"]
    return replace(cell, **kw)


@dataclass(frozen=True)
class PawleyResult(Result):
    """Refined cell of a Pawley fit.

    Lattice parameters in Å and degrees with standard uncertainties (None for those fixed by
    symmetry); ``rwp`` is the weighted profile R factor, ``redchi`` χ²/ν.
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
    size_nm: Measured | None
    rwp: float
    redchi: float
    n_reflections: int
    converged: bool
    two_theta_deg: np.ndarray
    observed: np.ndarray
    calculated: np.ndarray
    method: ClassVar[str] = "Pawley (1981) profile fit, free intensities, refined cell"


def _design(
    x: np.ndarray,
    d_A: np.ndarray,
    lines: list[tuple[float, float]],
    zero: float,
    size_nm: float | None,
    k_factor: float,
    instrument: InstrumentProfile,
    n_bg: int,
) -> np.ndarray:
    cols = np.zeros((x.size, d_A.size + n_bg))
    step = float(np.median(np.diff(x)))
    for lam, weight in lines:
        c = d_to_two_theta(d_A, lam) + zero  # all reflections at once
        ok = np.isfinite(c)
        j_ok = np.nonzero(ok)[0]
        c = c[ok]
        if c.size == 0:
            continue
        bl, bg = (np.asarray(v, dtype=float) for v in instrument.breadths_deg(c))
        if size_nm is not None:
            th = np.deg2rad(c) / 2
            bl = bl + np.rad2deg(k_factor * lam / (size_nm * 10.0 * np.cos(th)))
        # each line on a window of ± (15 breadths + 0.3°), evaluated in one vectorised call
        half_pts = int(np.ceil(float(np.max(15 * (bl + bg) + 0.3)) / step))
        i0 = np.searchsorted(x, c)
        idx = i0[:, None] + np.arange(-half_pts, half_pts + 1)[None, :]
        valid = (idx >= 0) & (idx < x.size)
        idx_c = np.clip(idx, 0, x.size - 1)
        prof = voigt_profile(
            x[idx_c] - c[:, None],
            np.maximum(bg, 1e-6)[:, None] / np.sqrt(2 * np.pi),
            (bl / np.pi)[:, None],
        )
        prof = np.where(valid, weight * prof, 0.0)
        jj = np.broadcast_to(j_ok[:, None], idx.shape)
        np.add.at(cols, (idx_c[valid], jj[valid]), prof[valid])
    t = 2 * (x - x[0]) / (x[-1] - x[0]) - 1
    for k in range(n_bg):
        cols[:, d_A.size + k] = np.polynomial.chebyshev.chebval(t, [0] * k + [1])
    return cols


def pawley_refine(
    pattern: Pattern,
    start: Cell,
    *,
    instrument: InstrumentProfile,
    size_nm: float | None = 100.0,
    refine_size: bool = True,
    k_factor: float = 1.0,
    n_background: int = 20,
    max_nfev: int = 100,
) -> PawleyResult:
    """Refine the unit cell of ``start`` against ``pattern`` by a Pawley fit.

    Parameters
    ----------
    pattern : Pattern
        The scan (crop it to the range to fit); needs a wavelength.
    start : Cell
        Starting cell and space group (extinctions from gemmi).
    instrument : InstrumentProfile
        Instrumental breadths (fixed).
    size_nm : float or None
        Starting crystallite size (Lorentzian size broadening); None for none.
    refine_size : bool
        Refine the size too.
    k_factor : float
        Scherrer constant used for the size term.
    n_background : int
        Number of Chebyshev background terms (20 by default: flexible enough to follow broad
        amorphous humps across the range, far too stiff to follow Bragg peaks).
    max_nfev : int
        Maximum evaluations of the projected residual.

    Returns
    -------
    PawleyResult
    """
    wl = pattern.wavelength
    if wl is None:
        raise AnalysisError(f"{pattern.source}: a Pawley fit needs the wavelength")
    lines = [(wl.ka1_A, 1.0)]
    if wl.has_ka2 and wl.ka2_A is not None:
        r = wl.ka2_ratio
        lines = [(wl.ka1_A, 1 / (1 + r)), (wl.ka2_A, r / (1 + r))]
    x, y = pattern.two_theta_deg, pattern.intensity
    sig = pattern.sigma()
    all_refl = reflections(
        start, wavelength_A=wl.ka1_A, two_theta_max_deg=min(float(x[-1]) + 1.0, 179.0)
    )
    refl = [r for r in all_refl if r.two_theta_deg is not None and r.two_theta_deg > x[0] - 1.0]
    if not refl:
        raise AnalysisError("no allowed reflection of the starting cell in the 2θ range")
    hkls = [list(r.hkl) for r in refl]
    names = free_cell_parameters(start)
    p0 = [getattr(start, n) for n in names] + [0.0]
    if size_nm is not None and refine_size:
        p0.append(np.log(size_nm))
    n_bg = n_background

    def unpack(p: np.ndarray) -> tuple[Cell, float, float | None]:
        cell = _apply(start, names, p[: len(names)])
        zero = float(p[len(names)])
        size = (
            float(np.exp(p[len(names) + 1])) if (size_nm is not None and refine_size) else size_nm
        )
        return cell, zero, size

    def solve(p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        cell, zero, size = unpack(p)
        uc = cell.gemmi_cell()
        d = np.array([uc.calculate_d(h) for h in hkls])
        a = _design(x, d, lines, zero, size, k_factor, instrument, n_bg)
        # intensities >= 0, background free: split each background column into +/- parts so a
        # plain NNLS (Lawson-Hanson) applies; reduce to the normal equations' Cholesky factor
        # (n_cols x n_cols) first (same minimiser, much cheaper than NNLS on the full design)
        aw = a / sig[:, None]
        aw = np.hstack([aw, -aw[:, len(refl) :]])
        ata = aw.T @ aw
        ata[np.diag_indices_from(ata)] += 1e-12 * np.trace(ata) / ata.shape[0]
        rr = np.linalg.cholesky(ata).T  # ata = rr.T @ rr
        rhs = np.linalg.solve(rr.T, aw.T @ (y / sig))
        coef, _ = nnls(rr, rhs, maxiter=50 * aw.shape[1])
        xs = coef[: a.shape[1]].copy()
        xs[len(refl) :] -= coef[a.shape[1] :]
        return a @ xs, xs

    def resid(p: np.ndarray) -> np.ndarray:
        return (y - solve(p)[0]) / sig

    steps = np.array([1e-4 * abs(v) if v else 1e-3 for v in p0])
    res = least_squares(
        resid, np.asarray(p0, float), x_scale=steps * 10, diff_step=1e-6, max_nfev=max_nfev
    )
    calc, _ = solve(res.x)
    nu = max(x.size - len(p0) - len(refl) - n_bg, 1)
    chi2 = float(np.sum(res.fun**2))
    redchi = chi2 / nu
    try:
        cov = np.linalg.inv(res.jac.T @ res.jac) * max(redchi, 1.0)
        err = np.sqrt(np.clip(np.diag(cov), 0, None))
    except np.linalg.LinAlgError:
        cov = None
        err = np.full(len(p0), np.nan)
    cell, zero, size = unpack(res.x)
    e = dict(zip(names, err[: len(names)], strict=True))

    def meas(name: str, unit: str) -> Measured:
        val = float(getattr(cell, name))
        if name in e:
            return Measured(val, float(e[name]) if np.isfinite(e[name]) else None, unit)
        tied = {"b": "a", "c": "a"}.get(name) if names in (("a",), ("a", "alpha")) else None
        if name == "b" and "a" in e and names in (("a", "c"),):
            tied = "a"
        if tied and tied in e:
            return Measured(val, float(e[tied]), unit)
        return Measured(val, None, unit)

    vol_err = None
    if cov is not None:
        jv = np.zeros(len(p0))
        for i in range(len(names)):
            h = 1e-6 * max(abs(res.x[i]), 1e-6)
            pp, pm = res.x.copy(), res.x.copy()
            pp[i] += h
            pm[i] -= h
            jv[i] = (unpack(pp)[0].volume_A3 - unpack(pm)[0].volume_A3) / (2 * h)
        vol_err = float(np.sqrt(max(float(jv @ cov @ jv), 0.0)))
    size_m = None
    if size is not None:
        s_err = None
        if refine_size and np.isfinite(err[-1]):
            s_err = float(size * err[-1])
        size_m = Measured(size, s_err, "nm")
    rwp = float(np.sqrt(chi2 / np.sum((y / sig) ** 2)))
    return PawleyResult(
        cell=cell,
        a_A=meas("a", "Å"),
        b_A=meas("b", "Å"),
        c_A=meas("c", "Å"),
        alpha_deg=meas("alpha", "deg"),
        beta_deg=meas("beta", "deg"),
        gamma_deg=meas("gamma", "deg"),
        volume_A3=Measured(cell.volume_A3, vol_err, "Å^3"),
        zero_shift_deg=Measured(
            zero, float(err[len(names)]) if np.isfinite(err[len(names)]) else None, "deg"
        ),
        size_nm=size_m,
        rwp=rwp,
        redchi=redchi,
        n_reflections=len(refl),
        converged=bool(res.success),
        two_theta_deg=x,
        observed=y,
        calculated=calc,
    )
