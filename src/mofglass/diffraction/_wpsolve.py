"""Linear sub-problems of the whole-pattern fit.

Linear sub-problems of the whole-pattern fit: Pawley intensities (non-negative least squares
with a free Chebyshev background eliminated by its Schur complement) and Le Bail partitioning.

References
----------
.. [1] G. H. Golub, V. Pereyra, SIAM J. Numer. Anal. 10 (1973) 413-432 (variable projection).
.. [2] A. Le Bail, H. Duroy, J. L. Fourquet, Mater. Res. Bull. 23 (1988) 447-452.
.. [3] C. L. Lawson, R. J. Hanson, Solving Least Squares Problems (1974), ch. 23 (active set).
"""

from __future__ import annotations

import numpy as np
import scipy.linalg as sla
import scipy.sparse as sp
from scipy.optimize import nnls

__all__ = ["chebyshev_basis", "lebail_intensities", "pawley_linear"]


def chebyshev_basis(x: np.ndarray, n: int) -> np.ndarray:
    """Chebyshev polynomials T_0..T_{n-1} on x mapped to [-1, 1], shape (len(x), n)."""
    t = 2 * (x - x[0]) / (x[-1] - x[0]) - 1
    return np.polynomial.chebyshev.chebvander(t, max(n - 1, 0))[:, :n]


def _active_set(
    s: np.ndarray, r: np.ndarray, start: np.ndarray, max_iter: int = 25
) -> np.ndarray | None:
    """Solve the non-negative quadratic problem by an active-set method.

    Minimise ½ Iᵀ S I - rᵀ I, I >= 0, by an active-set method started from the free set
    ``start`` (the previous solution's positive intensities); None if it does not settle.
    """
    free = start.copy()
    sol = np.zeros(r.size)
    for _ in range(max_iter):
        idx = np.nonzero(free)[0]
        sol[:] = 0.0
        if idx.size:
            try:
                sol[idx] = sla.cho_solve(
                    sla.cho_factor(s[np.ix_(idx, idx)], check_finite=False), r[idx]
                )
            except np.linalg.LinAlgError:
                return None
        neg = sol < 0
        if np.any(neg):
            free &= ~neg
            continue
        grad = r - s @ sol
        want = (~free) & (grad > 1e-10 * (np.abs(r).max() + 1e-300))
        if not np.any(want):
            return sol
        free |= want
    return None


def pawley_linear(
    a: sp.csc_matrix,
    b: np.ndarray,
    y: np.ndarray,
    sigma: np.ndarray,
    start: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Intensities I >= 0 and background coefficients c minimising Σ ((y - A I - B c)/σ)².

    ``start`` (previous intensities) warm-starts an active-set solve from its positive set;
    Lawson-Hanson NNLS is the fallback. The background is eliminated exactly (Schur
    complement), the non-negative intensity
    problem by Lawson-Hanson NNLS on the Cholesky factor of the column-scaled normal
    equations.
    """
    w = 1.0 / sigma
    aw = sp.diags(w) @ a
    bw = b * w[:, None]
    yw = y * w
    m11 = (aw.T @ aw).toarray()
    m12 = np.asarray(aw.T @ bw)
    m22 = bw.T @ bw
    r1 = np.asarray(aw.T @ yw).ravel()
    r2 = bw.T @ yw
    diag = np.diag(m11).copy()
    live = diag > 1e-300 * max(float(diag.max(initial=0.0)), 1e-300)
    d = np.where(live, 1 / np.sqrt(np.where(live, diag, 1.0)), 0.0)
    m22c = sla.cho_factor(m22 + 1e-12 * np.trace(m22) * np.eye(m22.shape[0]))
    x21 = sla.cho_solve(m22c, m12.T)  # M22⁻¹ M21
    s = (m11 - m12 @ x21) * d[:, None] * d[None, :]
    rr = (r1 - m12 @ sla.cho_solve(m22c, r2)) * d
    sol = np.zeros(d.size)
    idx = np.nonzero(live)[0]
    ss = s[np.ix_(idx, idx)]
    ss[np.diag_indices_from(ss)] += 1e-10
    warm = None if start is None else _active_set(ss, rr[idx], start[idx] > 0)
    if warm is None:
        # ½ Iᵀ S I - rᵀ I with I >= 0  <=>  min |R I - R⁻ᵀ r|, S = RᵀR (Lawson-Hanson NNLS)
        rt = np.linalg.cholesky(ss)
        q = sla.solve_triangular(rt, rr[idx], lower=True)
        warm = nnls(rt.T, q, maxiter=20 * idx.size)[0]
    sol[idx] = warm
    inten = sol * d
    coef = sla.cho_solve(m22c, r2 - m12.T @ inten)
    return inten, coef


def lebail_intensities(
    a: sp.csc_matrix,
    b: np.ndarray,
    y: np.ndarray,
    sigma: np.ndarray,
    start: np.ndarray,
    *,
    n_iter: int = 5,
) -> tuple[np.ndarray, np.ndarray]:
    """Extract intensities by Le Bail partitioning.

    Le Bail extraction: I_k ← Σ_i A_ik I_k (y_i - b_i) / (A I)_i / Σ_i A_ik, iterated,
    with the background refitted by weighted least squares each time.
    """
    w = 1.0 / sigma
    colsum = np.asarray(a.sum(axis=0)).ravel()
    inten = np.maximum(start, 0.0)
    coef = np.zeros(b.shape[1])
    for _ in range(n_iter):
        peaks = a @ inten
        coef = np.linalg.lstsq(b * w[:, None], (y - peaks) * w, rcond=None)[0]
        net = np.maximum(y - b @ coef, 0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(peaks > 0, net / peaks, 0.0)
        inten = np.where(colsum > 0, inten * (a.T @ ratio) / np.where(colsum > 0, colsum, 1), 0)
    peaks = a @ inten
    coef = np.linalg.lstsq(b * w[:, None], (y - peaks) * w, rcond=None)[0]
    return inten, coef
