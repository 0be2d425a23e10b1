"""The shared pair engine: private numba kernels on flat arrays.

Every pair sum in :mod:`mofglass.scattering` runs through the kernels in this module:

* :func:`hist_cells` - histogram of all pair distances up to ``rmax`` with a cell list, in a
  periodic (triclinic, any number of images) or open box, by pair class and network kind in one
  pass. Each unordered pair (i, j, image) is visited once (half shell of cell offsets).
* :func:`hist_all` - the same for all pairs of a finite model (no cut-off), rows balanced.
* :func:`debye_exact` - exact Debye sums Σ w sinc(Q r) per pair class on a uniform Q grid.

Positions come as three contiguous coordinate arrays. Each row of pairs is done in two loops: a
SIMD-vectorised loop computing the scaled distances r/dr into a buffer, then a scalar scatter
into the histogram (this is about three times faster than one fused loop). Histograms are kept
per chunk of work (one chunk per thread), so memory is
``n_threads x n_classes x 3 x n_bins`` and never ``N x N``. Distances are binned to their bin
(``mode=0``: bin k holds k·dr <= r < (k+1)·dr) or spread linearly onto the nodes k·dr
(``mode=1``, cloud-in-cell), which the histogram Debye route uses.

Network kinds: 0 = both atoms in the same network, 1 = in different networks, 2 = at least one
atom outside any network (label < 0).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

__all__ = ["debye_exact", "hist_all", "hist_cells", "hist_cross", "warm_up"]


@njit(inline="always", cache=True)
def _kind(la: int, lb: int) -> int:
    if la < 0 or lb < 0:
        return 2
    return 0 if la == lb else 1


@njit(inline="always", cache=True)
def _deposit(row, b, u, w, mode):
    """Add a pair's weight ``w`` at distance ``u`` (in bins) to the histogram ``row``.

    Mode 0 puts it all in bin ``b``; mode 1 splits it linearly between ``b`` and ``b + 1``.
    ``b`` is the flat index of bin ``int(u)``.
    """
    if mode == 0:
        row[b] += w
    else:
        fr = u - int(u)
        row[b] += w * (1.0 - fr)
        row[b + 1] += w * fr


@njit(inline="always", cache=True)
def _distances(buf, x, y, z, j0, m, xi, yi, zi, inv_dr):
    """Fill ``buf[:m]`` with the distances (in bins) of atoms j0 .. j0 + m - 1 from (xi, yi, zi)."""
    for k in range(m):
        dx = x[j0 + k] - xi
        dy = y[j0 + k] - yi
        dz = z[j0 + k] - zi
        buf[k] = math.sqrt(dx * dx + dy * dy + dz * dz) * inv_dr


@njit(cache=True, fastmath=True)
def _row(hist, tid, xi, yi, zi, ti, li, wi, j0, j1, x, y, z, ptype, label, weight, ctab, rmax_u,
    inv_dr, nb, mode, buf):  # fmt: skip
    """Pairs (i, j) for j in [j0, j1) with i at (xi, yi, zi); adds to hist[tid]."""
    m = j1 - j0
    _distances(buf, x, y, z, j0, m, xi, yi, zi, inv_dr)
    for k in range(m):
        u = buf[k]
        if u < rmax_u and u > 0.0:
            j = j0 + k
            c = ctab[ti, ptype[j]]
            kd = _kind(li, label[j])
            w = wi * weight[j]
            b = int(u)
            if mode == 0:
                if b < nb:
                    hist[tid, c, kd, b] += w
            else:
                s = u - b
                if b + 1 < nb:
                    hist[tid, c, kd, b] += w * (1.0 - s)
                    hist[tid, c, kd, b + 1] += w * s


@njit(cache=True, fastmath=True)
def _segment(hist, tid, s0, e0, j_lo, j_hi, same, tx, ty, tz, x, y, z, ptype, label, weight, ctab,
    rmax_u, inv_dr, mode, buf, idx, nb, uni, group):  # fmt: skip
    """Atoms i in [s0, e0) against the contiguous atoms [j_lo, j_hi) shifted by -T.

    ``hist[tid]`` is flat: pair class c, kind k and bin b sit at (3 c + k) nb + b. The pairs
    inside rmax are first gathered without a branch (a cut-off test in the scatter loop is
    mispredicted about half of the time), then scattered. ``uni``: all labels equal (kind 0).
    Pairs of two atoms with the same ``group`` >= 0 are left out (their pairs are summed
    elsewhere, e.g. by lattice sums).
    """
    for i in range(s0, e0):
        j0 = i + 1 if same else j_lo
        m = j_hi - j0
        if m <= 0:
            continue
        xi = x[i] - tx
        yi = y[i] - ty
        zi = z[i] - tz
        _distances(buf, x, y, z, j0, m, xi, yi, zi, inv_dr)
        cnt = 0
        gi = group[i]
        if gi < 0:
            for k in range(m):
                u = buf[k]
                idx[cnt] = k
                cnt += (u < rmax_u) & (u > 0.0)
        else:
            for k in range(m):
                u = buf[k]
                idx[cnt] = k
                cnt += (u < rmax_u) & (u > 0.0) & (group[j0 + k] != gi)
        ti = ptype[i]
        li = label[i]
        wi = weight[i]
        for q in range(cnt):
            k = idx[q]
            u = buf[k]
            j = j0 + k
            bb = int(u)
            kd = 0 if uni else _kind(li, label[j])
            off = (3 * ctab[ti, ptype[j]] + kd) * nb + bb
            _deposit(hist[tid], off, u, wi * weight[j], mode)


@njit(cache=True)
def _cell_pairs(hist, tid, a, x, y, z, cell_start, grid, lat, periodic, strips, ptype, label,
    weight, ctab, rmax_u, inv_dr, mode, buf, idx, nb, uni, origin, trim, group,
    cell_group):  # fmt: skip
    """Cell a against its half shell, given as x-strips (dy, dz, dx_min, dx_max).

    Cells along x are contiguous in memory, so a strip of cells is one run of atoms (split only
    where it wraps around the box); strip 0 is the cell itself (pairs j > i). With ``trim``
    (orthogonal boxes) each atom takes from a strip only the cells that can hold a partner
    within rmax: the strip's y-z distance d leaves |Δx| < sqrt(rmax² - d²), which cuts the
    pairs evaluated from about twice to about 1.3 times those counted. Cells whose atoms all
    share one ``group`` >= 0 (``cell_group``) are not paired with each other at all.
    """
    n0 = grid[0]
    n1 = grid[1]
    n2 = grid[2]
    az = a // (n0 * n1)
    ay = (a // n0) % n1
    ax = a % n0
    s0 = cell_start[a]
    e0 = cell_start[a + 1]
    if e0 == s0:
        return
    ga = cell_group[a]
    if ga < 0:
        _segment(hist, tid, s0, e0, s0, e0, True, 0.0, 0.0, 0.0, x, y, z, ptype, label, weight,
            ctab, rmax_u, inv_dr, mode, buf, idx, nb, uni, group)  # fmt: skip
    cw = np.empty(3)
    for k in range(3):
        cw[k] = lat[k, k] / grid[k]
    rc = rmax_u / inv_dr * (1.0 + 1e-9) + 1e-9
    n_pass = e0 - s0 if trim else 1
    for ip in range(n_pass):
        i_lo = s0 + ip if trim else s0
        i_hi = i_lo + 1 if trim else e0
        for m in range(1, strips.shape[0]):
            by = ay + strips[m, 0]
            bz = az + strips[m, 1]
            bx_lo = ax + strips[m, 2]
            bx_hi = ax + strips[m, 3]
            if trim:
                bx_lo, bx_hi = _trim_strip(x, y, z, i_lo, origin, by, bz, cw, rc, bx_lo, bx_hi)
            sy = by // n1 if periodic else 0
            sz = bz // n2 if periodic else 0
            by -= sy * n1
            bz -= sz * n2
            if not periodic:
                if by < 0 or bz < 0 or by >= n1 or bz >= n2:
                    continue
                bx_lo = max(bx_lo, 0)
                bx_hi = min(bx_hi, n0 - 1)
            row = (bz * n1 + by) * n0
            bx = bx_lo
            while bx <= bx_hi:
                sx = bx // n0 if periodic else 0
                lo = bx - sx * n0
                hi = min(n0 - 1, lo + (bx_hi - bx))
                tx = sx * lat[0, 0] + sy * lat[1, 0] + sz * lat[2, 0]
                ty = sx * lat[0, 1] + sy * lat[1, 1] + sz * lat[2, 1]
                tz = sx * lat[0, 2] + sy * lat[1, 2] + sz * lat[2, 2]
                _row_runs(hist, tid, i_lo, i_hi, row, lo, hi, ga, cell_group, cell_start, tx,
                          ty, tz, x, y, z, ptype, label, weight, ctab, rmax_u, inv_dr, mode,
                          buf, idx, nb, uni, group)  # fmt: skip
                bx += hi - lo + 1


@njit(cache=True)
def _trim_strip(x, y, z, i, origin, by, bz, cw, rc, bx_lo, bx_hi):
    """Cells of strip (by, bz) along x that can hold a partner of atom i within rc.

    The strip's y-z distance d from the atom leaves |Δx| < sqrt(rc² - d²); an empty range comes
    back as bx_hi < bx_lo.
    """
    yi = y[i] - origin[1]
    zi = z[i] - origin[2]
    ey = max(0.0, by * cw[1] - yi, yi - (by + 1) * cw[1])
    ez = max(0.0, bz * cw[2] - zi, zi - (bz + 1) * cw[2])
    rem = rc * rc - ey * ey - ez * ez
    if rem <= 0.0:
        return 1, 0
    hx = math.sqrt(rem)
    xi = x[i] - origin[0]
    return max(bx_lo, math.floor((xi - hx) / cw[0])), min(bx_hi, math.floor((xi + hx) / cw[0]))


@njit(cache=True)
def _row_runs(hist, tid, i_lo, i_hi, row, lo, hi, ga, cell_group, cell_start, tx, ty, tz, x, y,
              z, ptype, label, weight, ctab, rmax_u, inv_dr, mode, buf, idx, nb, uni,
              group):  # fmt: skip
    """Atoms [i_lo, i_hi) against the cells lo..hi of one row shifted by -T.

    Runs of cells of the atoms' own group ``ga`` >= 0 are skipped.
    """
    c = lo
    while c <= hi:
        d = hi
        if ga >= 0:
            while c <= hi and cell_group[row + c] == ga:
                c += 1
            if c > hi:
                break
            d = c
            while d < hi and cell_group[row + d + 1] != ga:
                d += 1
        _segment(hist, tid, i_lo, i_hi, cell_start[row + c], cell_start[row + d + 1], False, tx,
                 ty, tz, x, y, z, ptype, label, weight, ctab, rmax_u, inv_dr, mode, buf, idx, nb,
                 uni, group)  # fmt: skip
        c = d + 1


@njit(parallel=True, cache=True)
def hist_cells(
    x,
    y,
    z,  # (N,) Cartesian coordinates, atoms sorted by cell
    cell_start,  # (n_cells + 1,) start of each cell in the sorted atoms
    grid,  # (3,) cells per axis
    lat,  # (3, 3) box vectors as rows (periodic image shifts)
    periodic,  # bool
    strips,  # (M, 4) half shell as x-strips (dy, dz, dx_min, dx_max); row 0 = the cell itself
    ptype,
    label,
    weight,  # (N,) type, network label (-1 none), occupancy
    ctab,  # (n_types, n_types) pair class index
    rmax,
    dr,
    nb,
    mode,
    n_classes,
    nchunk,
    max_run,
    origin,  # (3,) Cartesian position of the corner of cell (0, 0, 0)
    trim,  # bool: orthogonal box, trim strips per atom
    group,  # (N,) pairs within one group >= 0 are left out; -1: none
    cell_group,  # (n_cells,) the group shared by every atom of the cell, else -1
):
    """Flat histogram (n_classes * 3 * nb,) of all pairs below rmax (see :func:`_segment`)."""
    hist = np.zeros((nchunk, n_classes * 3 * nb))
    ncell = grid[0] * grid[1] * grid[2]
    inv_dr = 1.0 / dr
    rmax_u = rmax * inv_dr
    uni = True
    for k in range(label.shape[0]):
        if label[k] != label[0] or label[k] < 0:
            uni = False
            break
    for tid in prange(nchunk):
        buf = np.empty(max_run)
        idx = np.empty(max_run, dtype=np.int64)
        for a in range(tid, ncell, nchunk):
            _cell_pairs(hist, tid, a, x, y, z, cell_start, grid, lat, periodic, strips, ptype,
                label, weight, ctab, rmax_u, inv_dr, mode, buf, idx, nb, uni, origin, trim, group,
                cell_group)  # fmt: skip
    return hist.sum(axis=0)


@njit(parallel=True, cache=True)
def hist_all(x, y, z, ptype, label, weight, ctab, dr, nb, mode, n_classes, nchunk):
    """All pairs i < j of a finite model; rows i and N-1-i go together to balance threads."""
    hist = np.zeros((nchunk, n_classes, 3, nb))
    n = x.shape[0]
    inv_dr = 1.0 / dr
    big = 1e300
    for tid in prange(nchunk):
        buf = np.empty(n)
        for p in range(tid, (n + 1) // 2, nchunk):
            for side in range(2):
                q = p if side == 0 else n - 1 - p
                if side == 1 and q == p:
                    continue
                _row(hist, tid, x[q], y[q], z[q], ptype[q], label[q], weight[q], q + 1, n, x, y, z,
                     ptype, label, weight, ctab, big, inv_dr, nb, mode, buf)  # fmt: skip
    return hist.sum(axis=0)


@njit(parallel=True, cache=True, fastmath=True)
def hist_cross(xa, ya, za, wa, xb, yb, zb, wb, same, dr, nb, mode, nchunk):
    """Histogram of pairs (i in set a, j in set b), all j > i when a and b are the same set.

    One pair class at a time keeps its histogram in cache (the Debye route of finite models).
    """
    hist = np.zeros((nchunk, nb))
    na = xa.shape[0]
    nbt = xb.shape[0]
    inv_dr = 1.0 / dr
    for tid in prange(nchunk):
        buf = np.empty(nbt)
        for p in range(tid, na, nchunk):
            # interleave rows from both ends so that triangular work is balanced
            i = p // 2 if p % 2 == 0 else na - 1 - p // 2
            j0 = i + 1 if same else 0
            m = nbt - j0
            xi = xa[i]
            yi = ya[i]
            zi = za[i]
            _distances(buf, xb, yb, zb, j0, m, xi, yi, zi, inv_dr)
            wi = wa[i]
            for k in range(m):
                u = buf[k]
                if u > 0.0:
                    _deposit(hist[tid], int(u), u, wi * wb[j0 + k], mode)
    return hist.sum(axis=0)


@njit(cache=True)
def _debye_row(acc, tid, i, x, y, z, ptype, weight, ctab, q0, dq, nq):
    n = x.shape[0]
    for j in range(i + 1, n):
        dx = x[j] - x[i]
        dy = y[j] - y[i]
        dz = z[j] - z[i]
        r = math.sqrt(dx * dx + dy * dy + dz * dz)
        if r == 0.0:
            continue
        w = weight[i] * weight[j]
        c = ctab[ptype[i], ptype[j]]
        s = math.sin(q0 * r)
        co = math.cos(q0 * r)
        sd = math.sin(dq * r)
        cd = math.cos(dq * r)
        for k in range(nq):
            q = q0 + k * dq
            if q == 0.0:
                acc[tid, c, k] += w
            else:
                acc[tid, c, k] += w * s / (q * r)
            s, co = s * cd + co * sd, co * cd - s * sd


@njit(parallel=True, cache=True)
def debye_exact(x, y, z, ptype, weight, ctab, q0, dq, nq, n_classes, nchunk):
    """Σ_{i<j} w_i w_j sin(Q r_ij)/(Q r_ij) per pair class on Q_k = q0 + k dq.

    sin(Q_k r) is advanced by the rotation recurrence, so each pair costs one sin/cos pair.
    """
    acc = np.zeros((nchunk, n_classes, nq))
    n = x.shape[0]
    for tid in prange(nchunk):
        for p in range(tid, (n + 1) // 2, nchunk):
            _debye_row(acc, tid, p, x, y, z, ptype, weight, ctab, q0, dq, nq)
            if n - 1 - p != p:
                _debye_row(acc, tid, n - 1 - p, x, y, z, ptype, weight, ctab, q0, dq, nq)
    return acc.sum(axis=0)


def warm_up() -> None:
    """Compile (or load from the on-disk cache) the kernels on a tiny input."""
    c = np.random.default_rng(0).random(8)
    t = np.zeros(8, dtype=np.int64)
    w = np.ones(8)
    ctab = np.zeros((1, 1), dtype=np.int64)
    hist_all(c, c, c, t, t, w, ctab, 0.1, 20, 0, 1, 2)
    hist_cross(c, c, c, w, c, c, c, w, True, 0.1, 20, 1, 2)
    debye_exact(c, c, c, t, w, ctab, 0.0, 0.1, 4, 1, 2)
    grid = np.ones(3, dtype=np.int64)
    start = np.array([0, 8], dtype=np.int64)
    strips = np.zeros((1, 4), dtype=np.int64)
    lat = np.eye(3)
    none = np.full(8, -1, dtype=np.int64)
    for trim in (False, True):
        hist_cells(c, c, c, start, grid, lat, True, strips, t, t, w, ctab, 0.5, 0.1, 6, 1, 1, 2,
                   8, np.zeros(3), trim, none, none[:1])  # fmt: skip
