"""Distance least squares (DLS) in the asymmetric unit, symmetry kept.

Positions are refined so that prescribed interatomic distances (bonds, and 1,3 distances that
stand for angles) are met in the least-squares sense, the classical DLS of Meier & Villiger
[1]_ as used to build and regularise framework models (Baerlocher et al. [2]_). The space group
is the template's, found by spglib [3]_ on the full cell (so a P 1 DFT cell keeps its hidden
symmetry): every atom is a symmetry image ``R f_a + t + n`` of a representative ``a``, whose
shift is confined to its site symmetry (the null space of ``R_g - 1`` over the stabiliser
``g``); distances are computed from the metric tensor ``G`` (``d² = Δf G Δfᵀ``), which is
either fixed or refined within the subspace invariant under the point group (the crystal
system's cell constraints, found from the rotations rather than from a table).

References
----------
.. [1] W. M. Meier, H. Villiger, "Die Methode der Abstandsverfeinerung zur Bestimmung der
   Atomkoordinaten idealisierter Gerüststrukturen", Z. Kristallogr. 129 (1969) 411-423.
.. [2] Ch. Baerlocher, A. Hepp, W. M. Meier, "DLS-76, a program for the simulation of crystal
   structures by geometric refinement", ETH Zürich (1977).
.. [3] A. Togo, K. Shinohara, I. Tanaka, "Spglib: a software library for crystal symmetry
   search", Sci. Technol. Adv. Mater. Meth. 4 (2024) 2384822.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.linalg import null_space
from scipy.optimize import least_squares

from mofglass.errors import AnalysisError

__all__ = ["Restraints", "SymmetryMap", "metric_from_cell", "refine", "symmetry_map"]


@dataclass(frozen=True, eq=False)
class SymmetryMap:
    """How the full cell follows from the representatives.

    Attributes
    ----------
    rep : ndarray of int
        Representative atom of every atom.
    rot, trans : ndarray
        Operation taking the representative to the atom: ``f_i = rot_i @ f_rep + trans_i``
        (``trans`` includes the lattice translation that keeps the template's wrapping).
    basis : list of ndarray
        Allowed shift directions (3 x k, fractional) of every representative (indexed by atom).
    metric_basis : ndarray, shape (m, 3, 3)
        Basis of the metric tensors invariant under the point group.
    spacegroup : str
        International symbol found by spglib.
    """

    rep: np.ndarray
    rot: np.ndarray
    trans: np.ndarray
    basis: dict[int, np.ndarray]
    metric_basis: np.ndarray
    spacegroup: str
    number: int
    symop_triplets: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class Restraints:
    """Distance restraints ``|f_j + n - f_i|_G = target ± sigma``, one row each."""

    i: np.ndarray
    j: np.ndarray
    offset: np.ndarray
    target_A: np.ndarray
    sigma_A: np.ndarray
    kind: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.i)


def metric_from_cell(a: float, b: float, c: float, al: float, be: float, ga: float) -> np.ndarray:
    """Metric tensor from cell lengths (Å) and angles (degrees)."""
    ca, cb, cg = (np.cos(np.radians(x)) for x in (al, be, ga))
    return np.array(
        [
            [a * a, a * b * cg, a * c * cb],
            [a * b * cg, b * b, b * c * ca],
            [a * c * cb, b * c * ca, c * c],
        ]
    )


def cell_from_metric(g: np.ndarray) -> tuple[float, float, float, float, float, float]:
    """Cell lengths (Å) and angles (degrees) from a metric tensor."""
    a, b, c = np.sqrt(np.diag(g))
    al = np.degrees(np.arccos(g[1, 2] / (b * c)))
    be = np.degrees(np.arccos(g[0, 2] / (a * c)))
    ga = np.degrees(np.arccos(g[0, 1] / (a * b)))
    return float(a), float(b), float(c), float(al), float(be), float(ga)


def symmetry_map(
    frac: np.ndarray, lattice: np.ndarray, numbers: np.ndarray, *, symprec_A: float = 0.02
) -> SymmetryMap:
    """Find the space group of a full cell (spglib) and the representative of every atom."""
    import spglib

    cell = (np.asarray(lattice), np.asarray(frac) % 1.0, np.asarray(numbers))
    import warnings

    with warnings.catch_warnings():  # spglib 2.5+ deprecation notice on every call
        warnings.simplefilter("ignore", DeprecationWarning)
        ds = spglib.get_symmetry_dataset(cell, symprec=symprec_A)  # type: ignore[arg-type]
    if ds is None:
        raise AnalysisError("spglib found no symmetry for the template (is the cell valid?)")
    rots, trs = np.asarray(ds.rotations, float), np.asarray(ds.translations, float)
    f = np.asarray(frac, float)
    n = len(f)
    rep = np.asarray(ds.equivalent_atoms, dtype=np.int64)
    rot = np.zeros((n, 3, 3))
    trans = np.zeros((n, 3))
    tol = 4 * symprec_A / np.min(np.linalg.norm(lattice, axis=1))
    basis: dict[int, np.ndarray] = {}
    for a in np.unique(rep):
        img = f[a] @ rots.transpose(0, 2, 1) + trs  # (ops, 3)
        stab = [k for k in range(len(rots)) if np.all(np.abs(_wrap(img[k] - f[a])) < tol)]
        m = np.vstack([rots[k] - np.eye(3) for k in stab])
        basis[int(a)] = null_space(m, rcond=1e-8)
        for i in np.flatnonzero(rep == a):
            dev = _wrap(img - f[i])
            k = int(np.argmin(np.abs(dev).max(axis=1)))
            if np.abs(dev[k]).max() > tol:
                raise AnalysisError(f"atom {i} is not a symmetry image of its representative")
            rot[i] = rots[k]
            trans[i] = f[i] - rots[k] @ f[a]  # exact: keeps the template's position
    # metric tensors invariant under every rotation: R^T G R = G
    sym = [np.eye(3)[:, [p]] @ np.eye(3)[[q], :] for p, q in _UPPER]
    sym = [0.5 * (s + s.T) for s in sym]
    rows = [np.array([(r.T @ s @ r - s).ravel() for s in sym]).T for r in rots]
    coef = null_space(np.vstack(rows), rcond=1e-8)
    mbasis = np.array([sum(c * s for c, s in zip(col, sym, strict=True)) for col in coef.T])
    ops = tuple(_triplet(r, t) for r, t in zip(rots, trs, strict=True))
    return SymmetryMap(rep, rot, trans, basis, mbasis, str(ds.international), int(ds.number), ops)


def _triplet(rot: np.ndarray, trans: np.ndarray) -> str:
    """Write a symmetry operation as a CIF ``x,y,z`` triplet (``-x+1/2,y,-z`` ...)."""
    from fractions import Fraction

    parts = []
    for row, t in zip(rot, trans, strict=True):
        s = ""
        for coef, name in zip(row, "xyz", strict=True):
            c = round(coef)
            if c:
                s += ("+" if c > 0 and s else "-" if c < 0 else "") + (
                    name if abs(c) == 1 else f"{abs(c)}*{name}"
                )
        frac = Fraction(float(t) % 1.0).limit_denominator(12)
        if frac not in (0, 1):
            s += f"+{frac}"
        parts.append(s)
    return ",".join(parts)


_UPPER = ((0, 0), (1, 1), (2, 2), (0, 1), (0, 2), (1, 2))


#: Above this many parameters the dense Levenberg-Marquardt is replaced by sparse LSMR steps.
_DENSE_MAX_PARAMETERS = 300


def _wrap(x: np.ndarray) -> np.ndarray:
    return x - np.round(x)


@dataclass(frozen=True, eq=False)
class Refinement:
    """Result of :func:`refine`: the new full-cell coordinates and metric."""

    frac: np.ndarray
    metric: np.ndarray
    distances_A: np.ndarray
    success: bool
    message: str
    n_iterations: int
    chi2: float


def refine(
    frac0: np.ndarray,
    metric0: np.ndarray,
    symmetry: SymmetryMap,
    restraints: Restraints,
    *,
    free_cell: bool = False,
    max_evaluations: int = 200,
    anchor_A: float = 2.0,
) -> Refinement:
    """Distance least squares (Levenberg-Marquardt/trust region, analytic Jacobian).

    Parameters
    ----------
    frac0 : ndarray, shape (N, 3)
        Starting fractional coordinates of the full cell (symmetric).
    metric0 : ndarray, shape (3, 3)
        Starting (or fixed) metric tensor, Å².
    symmetry : SymmetryMap
        From :func:`symmetry_map`.
    restraints : Restraints
        Target distances with their weights ``1/sigma``.
    free_cell : bool
        Also refine the metric tensor within the crystal system's constraints.
    max_evaluations : int
        Bound on residual evaluations (the fit is reported as failed when it is reached).
    anchor_A : float
        Every representative's shift from the template also enters as a residual
        ``shift / anchor_A`` (Å): the smallest change that meets the targets is taken where
        the restraints leave a direction free (rings turning about M-N bonds, a P 1 cell's
        translation). With the default 2 Å a 0.5 Å shift costs as much as 0.0025 Å off a
        0.01 Å restraint.
    """
    reps = sorted(symmetry.basis)
    cols: dict[int, slice] = {}
    k = 0
    for a in reps:
        w = symmetry.basis[a].shape[1]
        cols[a] = slice(k, k + w)
        k += w
    n_pos = k
    mb = symmetry.metric_basis
    c0 = np.array([np.sum(m * metric0) / np.sum(m * m) for m in mb]) if free_cell else np.zeros(0)
    rest = restraints
    sig = rest.sigma_A
    # anchor rows: Cartesian shift of each representative, in units of anchor_A
    anchor = _anchor_rows(symmetry, reps, cols, n_pos, metric0, anchor_A)

    def unpack(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        shift = np.zeros((len(frac0), 3))
        for a in reps:
            if symmetry.basis[a].shape[1]:
                shift[a] = symmetry.basis[a] @ x[cols[a]]
        rep_pos = frac0 + shift
        f = np.einsum("nij,nj->ni", symmetry.rot, rep_pos[symmetry.rep]) + symmetry.trans
        g = np.tensordot(x[n_pos:], mb, axes=1) if free_cell else metric0
        return f, g

    def geometry(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        f, g = unpack(x)
        df = f[rest.j] + rest.offset - f[rest.i]
        d = np.sqrt(np.einsum("ni,ij,nj->n", df, g, df))
        return df, d, g

    def resid(x: np.ndarray) -> np.ndarray:
        _, d, _ = geometry(x)
        return np.concatenate([(d - rest.target_A) / sig, anchor @ x[:n_pos]])

    def jac(x: np.ndarray) -> np.ndarray:
        df, d, g = geometry(x)
        grad = (df @ g) / d[:, None]  # dd/d(df)
        jm = np.zeros((len(d), n_pos + (len(mb) if free_cell else 0)))
        for end, sign in ((rest.j, 1.0), (rest.i, -1.0)):
            reps_e = symmetry.rep[end]
            v = np.einsum("ni,nij->nj", grad, symmetry.rot[end])  # d/d f_rep
            for a in reps:
                rows = np.flatnonzero(reps_e == a)
                if rows.size and symmetry.basis[a].shape[1]:
                    jm[rows, cols[a]] += sign * v[rows] @ symmetry.basis[a]
        if free_cell:
            for m_i, m in enumerate(mb):
                jm[:, n_pos + m_i] = np.einsum("ni,ij,nj->n", df, m, df) / (2 * d)
        extra = np.zeros((len(anchor), jm.shape[1]))
        extra[:, :n_pos] = anchor
        return np.vstack([jm / sig[:, None], extra])

    x0 = np.concatenate([np.zeros(n_pos), c0])
    if n_pos + len(c0) == 0:
        raise AnalysisError("nothing to refine: every atom sits on a fixed special position")
    res, bound = _solve(resid, jac, x0, max_evaluations)
    f, g = unpack(res.x)
    _, d, _ = geometry(res.x)
    ok = bool(res.success) and res.nfev < bound
    return Refinement(f, g, d, ok, str(res.message), int(res.nfev), float(2 * res.cost))


def _anchor_rows(
    symmetry: SymmetryMap,
    reps: list[int],
    cols: dict[int, slice],
    n_pos: int,
    metric0: np.ndarray,
    anchor_A: float,
) -> np.ndarray:
    """Rows giving each representative's Cartesian shift from the template, in anchor_A."""
    lat0 = np.linalg.cholesky(metric0).T  # rows: a lattice with this metric (orientation free)
    anchor = np.zeros((3 * len(reps), n_pos))
    for r_i, a in enumerate(reps):
        if symmetry.basis[a].shape[1]:
            anchor[3 * r_i : 3 * r_i + 3, cols[a]] = (symmetry.basis[a].T @ lat0).T / anchor_A
    return anchor


def _solve(
    resid: Callable[[np.ndarray], np.ndarray],
    jac: Callable[[np.ndarray], np.ndarray],
    x0: np.ndarray,
    max_evaluations: int,
) -> tuple[Any, int]:
    """Run the least squares (dense LM, or sparse LSMR trust region for many parameters).

    Returns the scipy result and the evaluation bound that applied.
    """
    if len(x0) <= _DENSE_MAX_PARAMETERS:
        res = least_squares(
            resid, x0, jac=jac, method="lm", max_nfev=max_evaluations, x_scale="jac"
        )
        return res, max_evaluations
    # large P 1 cells: sparse trust-region steps (LSMR), the Jacobian is mostly zeros;
    # cheap steps but more of them (5x the bound)
    from scipy.sparse import csr_matrix

    bound = 5 * max_evaluations
    res = least_squares(
        resid,
        x0,
        jac=lambda x: csr_matrix(jac(x)),
        method="trf",
        tr_solver="lsmr",
        max_nfev=bound,
        x_scale="jac",
        ftol=1e-8,
    )
    return res, bound
