"""A valence force field on a metal net (Keating-like), its gradient and L-BFGS relaxation.

E = k_b Σ_links (r - d0)² + k_θ Σ_metals Σ_pairs [(cos θ - cos θ0)² + (k_w/k_θ)(cos θ - cos θ_w)²₊]
  + k_r Σ_nonbonded (r_rep - r)²₊

where the angle sum runs over the pairs of links of each metal, whatever its number of links
(a compressed-sparse-row incidence, :func:`incidence`): a 4-connected CRN metal has 6 angles, a
3-connected one 3, a 2-connected one 1 (the cut metals of a glass-ceramic interface).

with d0 the crystal's metal···metal distance through one linker, θ0 the tetrahedral angle
(cos θ0 = -1/3), a wall below the smallest metal-metal-metal angle θ_w two linkers on one metal
allow (off by default, k_w = 0) and a soft repulsion between non-bonded metals closer than
``r_rep``.
Energies are in the force field's own unit (k_b = 1 Å⁻²): only their differences over the
Metropolis temperature matter.

References
----------
.. [1] P. N. Keating, Phys. Rev. 145 (1966) 637 (valence force field of tetrahedral networks).
.. [2] D. C. Liu, J. Nocedal, Math. Program. 45 (1989) 503 (L-BFGS).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mofglass._numba import njit

__all__ = ["ForceField", "incidence", "lbfgs_relax", "min_image_pairs", "net_energy"]


@dataclass(frozen=True)
class ForceField:
    """Parameters of the metal-net force field (lengths in Å)."""

    d0_A: float
    k_bond: float = 1.0
    k_angle: float = 10.0
    cos0: float = -1.0 / 3.0
    r_rep_A: float = 5.0
    k_rep: float = 1.0
    cos_wall: float = 1.0
    k_wall: float = 0.0


def min_image_pairs(
    pos: np.ndarray, lat: np.ndarray, r_cut: float, exclude: set[tuple[int, int]]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Metal pairs (i < j) closer than ``r_cut`` by minimum image, with the offset of j."""
    inv = np.linalg.inv(lat)
    n = len(pos)
    out_i, out_j, out_s = [], [], []
    step = max(1, 2_000_000 // max(n, 1))
    for start in range(0, n, step):
        idx = np.arange(start, min(n, start + step))
        d = pos[None, :, :] - pos[idx, None, :]
        s = -np.rint(d @ inv)
        v = d + s @ lat
        r = np.linalg.norm(v, axis=2)
        ii, jj = np.nonzero((r < r_cut) & (idx[:, None] < np.arange(n)[None, :]))
        out_i.append(idx[ii])
        out_j.append(jj)
        out_s.append(s[ii, jj].astype(np.int64))
    i = np.concatenate(out_i)
    j = np.concatenate(out_j)
    s = np.concatenate(out_s).reshape(-1, 3)
    keep = np.array([(a, b) not in exclude for a, b in zip(i.tolist(), j.tolist(), strict=True)])
    keep = keep.astype(bool) if len(keep) else np.zeros(0, dtype=bool)
    return i[keep], j[keep], s[keep]


def _incidence(edges: np.ndarray, n: int, z: int) -> tuple[np.ndarray, np.ndarray]:
    """(n, z) edge index and sign (+1: metal is end 0) of every metal's links (all z-connected)."""
    ends = np.concatenate([edges[:, 0], edges[:, 1]])
    eid = np.concatenate([np.arange(len(edges)), np.arange(len(edges))])
    sign = np.concatenate([np.ones(len(edges)), -np.ones(len(edges))]).astype(np.int64)
    order = np.argsort(ends, kind="stable")
    return eid[order].reshape(n, z).astype(np.int64), sign[order].reshape(n, z)


def incidence(edges: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every metal's links as compressed sparse rows: (ptr, edge index, sign).

    The links of metal c are ``eid[ptr[c]:ptr[c + 1]]``, in edge order (the order of
    :func:`_incidence` for a net of one coordination); ``sign`` is +1 where the metal is the
    edge's first end.

    Parameters
    ----------
    edges : ndarray of int, shape (E, 2)
        The two metals of every link.
    n : int
        Number of metals (metals without links get an empty row).
    """
    edges = np.asarray(edges, dtype=np.int64).reshape(-1, 2)
    ends = np.concatenate([edges[:, 0], edges[:, 1]])
    eid = np.concatenate([np.arange(len(edges)), np.arange(len(edges))])
    sign = np.concatenate([np.ones(len(edges)), -np.ones(len(edges))]).astype(np.int64)
    order = np.argsort(ends, kind="stable")
    ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(ends, minlength=n), out=ptr[1:])
    return ptr, eid[order].astype(np.int64), sign[order]


def net_energy(
    pos: np.ndarray,
    lat: np.ndarray,
    edges: np.ndarray,
    offsets: np.ndarray,
    ff: ForceField,
    rep: tuple[np.ndarray, np.ndarray, np.ndarray],
    incidence_csr: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
) -> tuple[float, np.ndarray]:
    """Energy and gradient (shape of ``pos``) of the metal net; metals of any coordination.

    Parameters
    ----------
    pos : ndarray, shape (M, 3)
        Metal positions, Å.
    lat : ndarray, shape (3, 3)
        Box vectors as rows, Å.
    edges, offsets : ndarray of int, shapes (E, 2) and (E, 3)
        The two metals of every link and the lattice offset of the second.
    ff : ForceField
    rep : tuple of ndarray
        Non-bonded pairs (i, j, lattice offset of j) of the repulsion.
    incidence_csr : tuple of ndarray, optional
        :func:`incidence` of the edges, when the caller has it already.

    Returns
    -------
    (float, ndarray)
        Energy (force-field unit) and its gradient (per Å).
    """
    ptr, eid, sign = incidence(edges, len(pos)) if incidence_csr is None else incidence_csr
    grad = np.zeros_like(pos)
    energy = _energy_grad(
        np.ascontiguousarray(pos, dtype=np.float64),
        np.asarray(edges, dtype=np.int64).reshape(-1, 2),
        (np.asarray(offsets).reshape(-1, 3) @ lat).astype(np.float64),
        ptr,
        eid,
        sign,
        rep[0].astype(np.int64),
        rep[1].astype(np.int64),
        (np.asarray(rep[2]).reshape(-1, 3) @ lat).astype(np.float64).reshape(-1, 3),
        np.array(
            [ff.d0_A, ff.k_bond, ff.k_angle, ff.cos0, ff.r_rep_A, ff.k_rep, ff.cos_wall, ff.k_wall]
        ),
        grad,
    )
    return float(energy), grad


@njit(cache=True)
def _energy_grad(pos, edges, shift, ptr, eid, sign, ri, rj, rshift, par, grad):
    d0, kb, ka, cos0, rrep, kr = par[0], par[1], par[2], par[3], par[4], par[5]
    cw, kw = par[6], par[7]
    n_e = edges.shape[0]
    vec = np.empty((n_e, 3))
    rlen = np.empty(n_e)
    energy = 0.0
    for e in range(n_e):
        i, j = edges[e, 0], edges[e, 1]
        r2 = 0.0
        for d in range(3):
            vec[e, d] = pos[j, d] + shift[e, d] - pos[i, d]
            r2 += vec[e, d] ** 2
        r = np.sqrt(r2)
        rlen[e] = r
        dr = r - d0
        energy += kb * dr * dr
        f = 2.0 * kb * dr / r
        for d in range(3):
            grad[j, d] += f * vec[e, d]
            grad[i, d] -= f * vec[e, d]
    n = ptr.shape[0] - 1
    a = np.empty(3)
    b = np.empty(3)
    for c in range(n):
        for k in range(ptr[c], ptr[c + 1]):
            ek = eid[k]
            sk = sign[k]
            nk = edges[ek, 1] if sk > 0 else edges[ek, 0]
            for m in range(k + 1, ptr[c + 1]):
                em = eid[m]
                sm = sign[m]
                nm = edges[em, 1] if sm > 0 else edges[em, 0]
                dot = 0.0
                for d in range(3):
                    a[d] = sk * vec[ek, d]
                    b[d] = sm * vec[em, d]
                    dot += a[d] * b[d]
                ra, rb = rlen[ek], rlen[em]
                cs = dot / (ra * rb)
                dc = cs - cos0
                energy += ka * dc * dc
                pre = 2.0 * ka * dc
                if cs > cw:
                    energy += kw * (cs - cw) ** 2
                    pre += 2.0 * kw * (cs - cw)
                for d in range(3):
                    ga = pre * (b[d] / (ra * rb) - cs * a[d] / (ra * ra))
                    gb = pre * (a[d] / (ra * rb) - cs * b[d] / (rb * rb))
                    grad[nk, d] += ga
                    grad[nm, d] += gb
                    grad[c, d] -= ga + gb
    w = np.empty(3)
    for p in range(ri.shape[0]):
        i, j = ri[p], rj[p]
        r2 = 0.0
        for d in range(3):
            w[d] = pos[j, d] + rshift[p, d] - pos[i, d]
            r2 += w[d] ** 2
        r = np.sqrt(r2)
        if r < rrep:
            over = rrep - r
            energy += kr * over * over
            g = -2.0 * kr * over / max(r, 1e-9)
            for d in range(3):
                grad[j, d] += g * w[d]
                grad[i, d] -= g * w[d]
    return energy


def lbfgs_relax(
    pos: np.ndarray,
    lat: np.ndarray,
    edges: np.ndarray,
    offsets: np.ndarray,
    ff: ForceField,
    rep: tuple[np.ndarray, np.ndarray, np.ndarray],
    *,
    max_iter: int = 500,
    free: np.ndarray | None = None,
) -> tuple[np.ndarray, float]:
    """Relax the metal positions by L-BFGS (scipy); returns (pos, energy).

    Parameters
    ----------
    max_iter : int
        Largest number of L-BFGS iterations.
    free : ndarray of int, optional
        Metals free to move (a local relaxation); default: all.
    """
    from scipy.optimize import minimize

    x_all = np.array(pos, dtype=float)
    idx = np.arange(len(pos)) if free is None else np.asarray(free, dtype=np.int64)

    inc = incidence(edges, len(pos))

    def fun(x: np.ndarray) -> tuple[float, np.ndarray]:
        x_all[idx] = x.reshape(-1, 3)
        e, g = net_energy(x_all, lat, edges, offsets, ff, rep, inc)
        return e, g[idx].ravel()

    res = minimize(
        fun, x_all[idx].ravel(), jac=True, method="L-BFGS-B", options={"maxiter": max_iter}
    )
    x_all[idx] = res.x.reshape(-1, 3)
    return x_all, float(res.fun)
