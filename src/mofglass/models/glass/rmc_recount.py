"""From-scratch RMC pair histograms on a cubic cell list: the set-up and the independent check.

Atoms are binned in ``ncell`` cells per axis with a fixed capacity per cell; each atom visits
the cells ``offs`` (integer offsets, unwrapped: the image of each neighbour cell is its own
lattice shift), so every pair closer than ``rmax`` is counted once while ``rmax`` is below half
the box's smallest perpendicular width. The moves (:mod:`.rmc_kernels`) keep the histograms on
other data structures (:mod:`.rmc_columns`); this count is what they are checked against.

References
----------
.. [1] M. P. Allen, D. J. Tildesley, Computer Simulation of Liquids (1987), cell lists.
"""

from __future__ import annotations

import numpy as np

from mofglass._numba import njit

__all__ = ["build_cells", "full_histogram"]


@njit(cache=True)
def _cell_index(f, ncell):
    c = np.empty(3, np.int64)
    for d in range(3):
        k = int(np.floor(f[d] * ncell[d]))
        if k >= ncell[d]:
            k = ncell[d] - 1
        if k < 0:
            k = 0
        c[d] = k
    return (c[0] * ncell[1] + c[1]) * ncell[2] + c[2]


@njit(cache=True)
def build_cells(frac, ncell, cap):
    """Cell list: (cell_atoms, cell_count, cell_of, slot_of, ok); ok False if a cell overflows."""
    n = frac.shape[0]
    nc = ncell[0] * ncell[1] * ncell[2]
    cell_atoms = -np.ones((nc, cap), np.int64)
    cell_count = np.zeros(nc, np.int64)
    cell_of = np.empty(n, np.int64)
    slot_of = np.empty(n, np.int64)
    ok = True
    for a in range(n):
        c = _cell_index(frac[a], ncell)
        if cell_count[c] >= cap:
            ok = False
            continue
        cell_atoms[c, cell_count[c]] = a
        slot_of[a] = cell_count[c]
        cell_of[a] = c
        cell_count[c] += 1
    return cell_atoms, cell_count, cell_of, slot_of, ok


@njit(cache=True)
def _home_cell(fa, ncell, ca):
    """Cell coordinates of fractional position ``fa`` (into ``ca``)."""
    for d in range(3):
        k = int(np.floor(fa[d] * ncell[d]))
        ca[d] = min(max(k, 0), ncell[d] - 1)


@njit(cache=True, inline="always")
def _image_cell(ca, off, ncell, sh):
    """Index of the cell at unwrapped offset ``off`` from ``ca``; its lattice shift into ``sh``.

    Wrapped by adding or subtracting ``ncell`` (an offset rarely spans more than one box):
    integer division would cost more than the rest of a short cell's scan.
    """
    c = 0
    for d in range(3):
        w = ca[d] + off[d]
        k = 0
        while w < 0:
            w += ncell[d]
            k -= 1
        while w >= ncell[d]:
            w -= ncell[d]
            k += 1
        sh[d] = k
        c = c * ncell[d] + w
    return c


@njit(cache=True)
def _dist2(frac, j, sh, fa, lat):
    """Squared distance from ``fa`` to atom ``j`` shifted by ``sh`` cells, Å²."""
    r2 = 0.0
    for d in range(3):
        x = 0.0
        for e in range(3):
            x += (frac[j, e] + sh[e] - fa[e]) * lat[e, d]
        r2 += x * x
    return r2


@njit(cache=True)
def full_histogram(frac, lat, types, tp_table, ncell, offs, cell_atoms, cell_count, rmax, dr, hist):
    """Add every pair (i < j) closer than ``rmax`` to ``hist[pair type, bin]``."""
    rmax2 = rmax * rmax
    inv_dr = 1.0 / dr
    ca = np.empty(3, np.int64)
    sh = np.empty(3)
    for a in range(frac.shape[0]):
        fa = frac[a]
        _home_cell(fa, ncell, ca)
        for o in range(offs.shape[0]):
            c = _image_cell(ca, offs[o], ncell, sh)
            for s in range(cell_count[c]):
                j = cell_atoms[c, s]
                if j <= a:
                    continue
                r2 = _dist2(frac, j, sh, fa, lat)
                if r2 < rmax2:
                    hist[tp_table[types[a], types[j]], int(np.sqrt(r2) * inv_dr)] += 1.0
