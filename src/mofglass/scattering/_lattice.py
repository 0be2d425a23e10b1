"""Private numba kernel of the lattice-sum route: pair histograms of crystallites.

A crystallite holds basis atom i in the cells n of its occupancy mask M_i (cells n whose atom
(n + f_i) L lies inside the shape). The number of pairs (i in cell n, j in cell n + R) is the
overlap count C_ij(R) = Σ_n M_i[n] M_j[n + R], and every such pair has the one distance
|R L + (f_j - f_i) L|. The histogram is therefore Σ_(i, j, R) C_ij(R) w_i w_j δ(r - r_ijR).

Each mask is stored as runs along the first lattice axis (one or more [lo, hi] intervals per
row (n2, n3)). The overlap count of two runs as a function of R1 is a trapezoid whose second
difference has four unit spikes, so for fixed (R2, R3) the counts over all R1 come from four
writes per pair of overlapping rows and two running sums; the work per basis pair is about
(rows of the mask)² + (cells of the difference body), instead of (atoms per basis site)² for
the pairs themselves.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

__all__ = ["lattice_hist"]


@njit(cache=True)
def _r2_range(i, j, r3, n3a, n3b, lo2, hi2):
    """Range of R2 over which some row of slab n3 of atom i meets a row of slab n3 + R3 of j."""
    r2_lo = 1 << 40
    r2_hi = -(1 << 40)
    for n3 in range(n3a, n3b + 1):
        if hi2[i, n3] < lo2[i, n3] or hi2[j, n3 + r3] < lo2[j, n3 + r3]:
            continue
        r2_lo = min(r2_lo, lo2[j, n3 + r3] - hi2[i, n3])
        r2_hi = max(r2_hi, hi2[j, n3 + r3] - lo2[i, n3])
    return r2_lo, r2_hi


@njit(inline="always", cache=True)
def _spike4(ebuf, off, la, ha, lb, hb):
    """Second difference of the trapezoid overlap(R1) of runs [la, ha] and [lb, hb]."""
    ebuf[lb - ha + off] += 1
    ebuf[lb - la + 1 + off] -= 1
    ebuf[hb - ha + 1 + off] -= 1
    ebuf[hb - la + 2 + off] += 1


@njit(cache=True)
def _spikes_dense(ebuf, off, i, j, r2, r3, n3a, n3b, lo2, hi2, dlo, dhi):
    """Spikes of every row pair at (R2, R3) when each row holds one run; R1 range touched."""
    p_lo = 1 << 40
    p_hi = -(1 << 40)
    for n3 in range(n3a, n3b + 1):
        m3 = n3 + r3
        rlo_i = dlo[i, n3]
        rhi_i = dhi[i, n3]
        rlo_j = dlo[j, m3]
        rhi_j = dhi[j, m3]
        for n2 in range(max(lo2[i, n3], lo2[j, m3] - r2), min(hi2[i, n3], hi2[j, m3] - r2) + 1):
            la = rlo_i[n2]
            ha = rhi_i[n2]
            lb = rlo_j[n2 + r2]
            hb = rhi_j[n2 + r2]
            if ha < la or hb < lb:
                continue
            _spike4(ebuf, off, la, ha, lb, hb)
            p_lo = min(p_lo, lb - ha)
            p_hi = max(p_hi, hb - la + 2)
    return p_lo, p_hi


@njit(cache=True)
def _spikes_runs(ebuf, off, i, j, r2, r3, n3a, n3b, lo2, hi2, run_lo, run_hi, row_ptr, g2):
    """Spikes of every pair of runs of the rows at (R2, R3) (rows with several runs)."""
    p_lo = 1 << 40
    p_hi = -(1 << 40)
    for n3 in range(n3a, n3b + 1):
        m3 = n3 + r3
        for n2 in range(max(lo2[i, n3], lo2[j, m3] - r2), min(hi2[i, n3], hi2[j, m3] - r2) + 1):
            ka = n3 * g2 + n2
            kb = m3 * g2 + n2 + r2
            for a in range(row_ptr[i, ka], row_ptr[i, ka + 1]):
                for b in range(row_ptr[j, kb], row_ptr[j, kb + 1]):
                    _spike4(ebuf, off, run_lo[a], run_hi[a], run_lo[b], run_hi[b])
                    p_lo = min(p_lo, run_lo[b] - run_hi[a])
                    p_hi = max(p_hi, run_hi[b] - run_lo[a] + 2)
    return p_lo, p_hi


@njit(cache=True)
def _scan(hist, tid, row, ebuf, off, p_lo, p_hi, base, lat, r1_min, rb, inv_dr, rmax_u, wij,
          nb, mode):  # fmt: skip
    """Integrate the spikes twice along R1 (clearing them) and histogram the counts.

    ``base`` is the vector R2 a2 + R3 a3 + d_ij; lattice vectors with R1 < ``r1_min`` (the
    other half space of a basis atom with itself) or outside ``rb[0]`` are not counted.
    """
    slope = 0
    cnt = 0
    for r1 in range(p_lo, p_hi + 1):
        slope += ebuf[r1 + off]
        ebuf[r1 + off] = 0
        cnt += slope
        if cnt <= 0 or r1 < r1_min or r1 < rb[0, 0] or r1 > rb[0, 1]:
            continue
        x = base[0] + r1 * lat[0, 0]
        y = base[1] + r1 * lat[0, 1]
        z = base[2] + r1 * lat[0, 2]
        u = math.sqrt(x * x + y * y + z * z) * inv_dr
        if u >= rmax_u:
            continue
        w = cnt * wij
        bb = int(u)
        if mode == 0:
            if bb < nb:
                hist[tid, row, bb] += w
        elif bb + 1 < nb:
            fr = u - bb
            hist[tid, row, bb] += w * (1.0 - fr)
            hist[tid, row, bb + 1] += w * fr


@njit(cache=True)
def _pair(hist, tid, i, j, row, wij, lat, dvec, run_lo, run_hi, row_ptr, dense, dlo, dhi, lo2,
          hi2, lo3, hi3, g1, g2, inv_dr, nb, mode, ebuf, rb, rmax_u):  # fmt: skip
    """Histogram of the pairs (basis atom i in cell n, basis atom j in cell n + R).

    For i == j only the half space R > 0 (lexicographic in R3, R2, R1) is summed, so that every
    unordered pair is counted once. ``rb[k]`` bounds R_k to the lattice vectors that can give
    a distance below ``rmax_u`` (in bins).
    """
    same = i == j
    off = g1
    base = np.empty(3)
    r3_lo = max(lo3[j] - hi3[i], rb[2, 0])
    if same:
        r3_lo = max(r3_lo, 0)
    for r3 in range(r3_lo, min(hi3[j] - lo3[i], rb[2, 1]) + 1):
        n3a = max(lo3[i], lo3[j] - r3)
        n3b = min(hi3[i], hi3[j] - r3)
        if n3a > n3b:
            continue
        r2_lo, r2_hi = _r2_range(i, j, r3, n3a, n3b, lo2, hi2)
        r2_lo = max(r2_lo, rb[1, 0], 0 if same and r3 == 0 else -(1 << 40))
        for r2 in range(r2_lo, min(r2_hi, rb[1, 1]) + 1):
            if dense:  # one run per row: dense row tables, no indirection
                p_lo, p_hi = _spikes_dense(ebuf, off, i, j, r2, r3, n3a, n3b, lo2, hi2, dlo, dhi)
            else:
                p_lo, p_hi = _spikes_runs(
                    ebuf, off, i, j, r2, r3, n3a, n3b, lo2, hi2, run_lo, run_hi, row_ptr, g2
                )
            if p_hi < p_lo:
                continue
            for k in range(3):
                base[k] = r2 * lat[1, k] + r3 * lat[2, k] + dvec[k]
            r1_min = 1 if same and r3 == 0 and r2 == 0 else -(1 << 40)
            _scan(hist, tid, row, ebuf, off, p_lo, p_hi, base, lat, r1_min, rb, inv_dr, rmax_u,
                  wij, nb, mode)  # fmt: skip


@njit(parallel=True, cache=True)
def lattice_hist(
    pair_i,  # (P,) basis atom i of each basis pair (i <= j)
    pair_j,  # (P,)
    pair_row,  # (P,) histogram row of the pair (class and network kind)
    pair_w,  # (P,) w_i w_j
    frac,  # (n_basis, 3) fractional positions of the basis atoms
    lat,  # (3, 3) lattice vectors as rows, Å
    run_lo,  # (n_runs,) first cell index n1 of each run
    run_hi,  # (n_runs,) last cell index n1 of each run
    row_ptr,  # (n_basis, g2 * g3 + 1) runs of row (n2, n3) of atom b: row_ptr[b, k]..[b, k+1]
    dense,  # bool: every row has at most one run (convex shapes)
    dlo,  # (n_basis, g3, g2) the run of each row when dense (dlo > dhi: empty row)
    dhi,  # (n_basis, g3, g2)
    lo2,  # (n_basis, g3) smallest n2 of a non-empty row in slab n3 (> hi2 when empty)
    hi2,  # (n_basis, g3)
    lo3,  # (n_basis,) smallest non-empty slab n3
    hi3,  # (n_basis,)
    g1,
    g2,
    n_rows,
    dr,
    nb,
    mode,  # 0: counts in bins, 1: linear spread onto the nodes k dr
    nchunk,
    rmax,  # largest pair distance, Å (inf: all pairs)
):
    """Histogram (n_rows, nb) of all pairs of a crystallite, one basis pair at a time."""
    hist = np.zeros((nchunk, n_rows, nb))
    inv_dr = 1.0 / dr
    rmax_u = rmax * inv_dr
    # |R_k + f_jk - f_ik| <= rmax |b_k| (b_k: column k of the inverse lattice)
    inv = np.linalg.inv(lat)
    reach = np.empty(3)
    for k in range(3):
        reach[k] = rmax * math.sqrt(inv[0, k] ** 2 + inv[1, k] ** 2 + inv[2, k] ** 2)
    npair = pair_i.shape[0]
    for tid in prange(nchunk):
        ebuf = np.zeros(2 * g1 + 4, dtype=np.int64)
        dvec = np.empty(3)
        rb = np.empty((3, 2), dtype=np.int64)
        for p in range(tid, npair, nchunk):
            i = pair_i[p]
            j = pair_j[p]
            if hi3[i] < lo3[i] or hi3[j] < lo3[j]:
                continue
            for k in range(3):
                dvec[k] = (
                    (frac[j, 0] - frac[i, 0]) * lat[0, k]
                    + (frac[j, 1] - frac[i, 1]) * lat[1, k]
                    + (frac[j, 2] - frac[i, 2]) * lat[2, k]
                )
                df = frac[j, k] - frac[i, k]
                big = 1 << 40
                rb[k, 0] = -big if reach[k] > big else math.floor(-df - reach[k])
                rb[k, 1] = big if reach[k] > big else math.ceil(-df + reach[k])
            _pair(
                hist,
                tid,
                i,
                j,
                pair_row[p],
                pair_w[p],
                lat,
                dvec,
                run_lo,
                run_hi,
                row_ptr,
                dense,
                dlo,
                dhi,
                lo2,
                hi2,
                lo3,
                hi3,
                g1,
                g2,
                inv_dr,
                nb,
                mode,
                ebuf,
                rb,
                rmax_u,
            )
    return hist.sum(axis=0)
