# ruff: noqa: NPY002  (numba compiles only the legacy np.random API; seeded in the kernel)
"""numba kernels of the reverse Monte Carlo loop: cell lists, pair histograms, moves.

Atoms live in fractional coordinates of a periodic box (any cell shape) and in a cell list of
``ncell`` cells per axis with a fixed capacity per cell. A neighbour search visits the cells
``offs`` (integer offsets, unwrapped): the image of each neighbour cell is its own lattice
shift, so every pair closer than ``rmax`` is seen exactly once as long as ``rmax`` is below half
the box's smallest perpendicular width. A move scans the neighbours of each moved atom before
and after (cost O(neighbours), flat in the box size), collects the histogram changes as events
and the change of each data set's model curve on the touched bins only, and is accepted by the
Metropolis rule on χ² (McGreevy & Pusztai 1988).

References
----------
.. [1] R. L. McGreevy, L. Pusztai, Mol. Simul. 1 (1988) 359 (reverse Monte Carlo).
.. [2] M. P. Allen, D. J. Tildesley, Computer Simulation of Liquids (1987), cell lists.
"""

from __future__ import annotations

import numpy as np

from mofglass._numba import njit

__all__ = ["build_cells", "full_histogram", "run_moves"]


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
    """Index of the cell at unwrapped offset ``off`` from ``ca``; its lattice shift into ``sh``."""
    c = 0
    for d in range(3):
        u = ca[d] + off[d]
        w = u % ncell[d]
        sh[d] = (u - w) // ncell[d]
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


@njit(cache=True, inline="always")
def _event(tp, b, sign, coef, dT, touched, tlist, nt, ev_tp, ev_bin, ev_sign, nev):
    """Record one histogram change (pair type, bin, ±1) and its effect on every channel."""
    ev_tp[nev] = tp
    ev_bin[nev] = b
    ev_sign[nev] = sign
    for c in range(coef.shape[0]):
        dT[c, b] += sign * coef[c, tp]
    if not touched[b]:
        touched[b] = True
        tlist[nt] = b
        nt += 1
    return nt


@njit(cache=True, inline="always")
def _sq_dist(x, y, z, p):
    """Squared distance from (x, y, z) to point ``p``, Å²."""
    dx = x - p[0]
    dy = y - p[1]
    dz = z - p[2]
    return dx * dx + dy * dy + dz * dz


@njit(cache=True)
def _scan(
    a, fhome, p_old, p_new, mode, cell_pos, cell_type, lat, types, tp_table, group_of, ncell,
    offs, cell_atoms, cell_count, bmark, bstamp, dmin2, rmax, dr, coef, dT, touched, tlist, nt,
    ev_tp, ev_bin, ev_sign, nev,
):  # fmt: skip
    """Events of atom ``a`` against unmoved neighbours; nev -1 on a closest approach.

    ``mode`` 0: pairs at ``p_old`` leave; 1: pairs at ``p_new`` enter (closest approaches
    checked against every atom that is not a window partner, in its molecule or not); 2: both in one pass (both positions in the home cell of ``fhome``; a pair whose
    bin does not change is no event). Positions are Cartesian, Å, read from the cell list's
    own copy ``cell_pos`` (contiguous per cell; the moved atoms are parked far away there
    during the scan); the image of a neighbour cell is one lattice shift for all its atoms.
    """
    rmax2 = rmax * rmax
    inv_dr = 1.0 / dr
    ca = np.empty(3, np.int64)
    _home_cell(fhome, ncell, ca)
    ta = types[a]
    sh = np.empty(3)
    sv = np.empty(3)
    cap_ev = ev_tp.shape[0] - 2
    dmin_a = 0.0
    for t in range(dmin2.shape[1]):
        dmin_a = max(dmin_a, dmin2[ta, t])
    for o in range(offs.shape[0]):
        c = _image_cell(ca, offs[o], ncell, sh)
        for d in range(3):
            sv[d] = sh[0] * lat[0, d] + sh[1] * lat[1, d] + sh[2] * lat[2, d]
        for s in range(cell_count[c]):
            xj = cell_pos[c, s, 0] + sv[0]
            yj = cell_pos[c, s, 1] + sv[1]
            zj = cell_pos[c, s, 2] + sv[2]
            bo = -1
            bn = -1
            if mode != 1:
                r2 = _sq_dist(xj, yj, zj, p_old)
                if r2 < rmax2:
                    bo = int(np.sqrt(r2) * inv_dr)
            if mode != 0:
                r2 = _sq_dist(xj, yj, zj, p_new)
                if r2 < dmin_a:
                    j = cell_atoms[c, s]
                    if bmark[j] != bstamp and r2 < dmin2[ta, types[j]]:
                        return -1, nt
                if r2 < rmax2:
                    bn = int(np.sqrt(r2) * inv_dr)
            if bo == bn:
                continue
            if nev >= cap_ev:
                return -1, nt
            tp = tp_table[ta, cell_type[c, s]]
            if bo >= 0:
                nt = _event(tp, bo, -1.0, coef, dT, touched, tlist, nt, ev_tp, ev_bin, ev_sign, nev)
                nev += 1
            if bn >= 0:
                nt = _event(tp, bn, 1.0, coef, dT, touched, tlist, nt, ev_tp, ev_bin, ev_sign, nev)
                nev += 1
    return nev, nt


@njit(cache=True)
def _windows_ok(a, fa, frac, lat, bond_ptr, bond_j, bond_lo, bond_hi, mark, stamp, bmark, bstamp):
    """Distance windows (bonds, 1-3 pairs) of atom ``a`` at ``fa``; marks its bonded atoms."""
    for k in range(bond_ptr[a], bond_ptr[a + 1]):
        j = bond_j[k]
        bmark[j] = bstamp
        if mark[j] == stamp:
            continue
        r2 = 0.0
        for d in range(3):
            x = 0.0
            for e in range(3):
                df = frac[j, e] - fa[e]
                df -= np.floor(df + 0.5)
                x += df * lat[e, d]
            r2 += x * x
        r = np.sqrt(r2)
        if r < bond_lo[k] or r > bond_hi[k]:
            return False
    return True


@njit(cache=True)
def _propose(
    frac, lat, inv, grp_ptr, grp_atoms, movable, p_group, step_single, step, rot, atoms, newf
):  # fmt: skip
    """Fill ``atoms``/``newf`` with a single-atom or rigid-group move; returns (n, is_group)."""
    ng = grp_ptr.shape[0] - 1
    if ng > 0 and np.random.random() < p_group:
        g = np.random.randint(ng)
        n = grp_ptr[g + 1] - grp_ptr[g]
        cart = np.empty((n, 3))
        cen = np.zeros(3)
        f0 = frac[grp_atoms[grp_ptr[g]]]
        for k in range(n):
            a = grp_atoms[grp_ptr[g] + k]
            atoms[k] = a
            for d in range(3):
                x = 0.0
                for e in range(3):
                    df = frac[a, e] - f0[e]
                    df -= np.floor(df + 0.5)
                    x += (f0[e] + df) * lat[e, d]
                cart[k, d] = x
                cen[d] += x / n
        u = np.random.normal(0.0, 1.0, 3)
        u /= np.sqrt(np.sum(u * u))
        th = (2.0 * np.random.random() - 1.0) * rot
        cs, sn = np.cos(th), np.sin(th)
        t = (2.0 * np.random.random(3) - 1.0) * step
        for k in range(n):
            v = cart[k] - cen
            cr = np.array(
                [u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]]
            )
            dot = u[0] * v[0] + u[1] * v[1] + u[2] * v[2]
            p = cen + v * cs + cr * sn + u * dot * (1.0 - cs) + t
            for d in range(3):
                x = 0.0
                for e in range(3):
                    x += p[e] * inv[e, d]
                newf[k, d] = x - np.floor(x)
        return n, True
    a = movable[np.random.randint(movable.shape[0])]
    atoms[0] = a
    t = (2.0 * np.random.random(3) - 1.0) * step_single
    for d in range(3):
        x = frac[a, d]
        for e in range(3):
            x += t[e] * inv[e, d]
        newf[0, d] = x - np.floor(x)
    return 1, False


@njit(cache=True)
def _constraints_ok(
    m, atoms, newf, frac, lat, bond_ptr, bond_j, bond_lo, bond_hi, mark, stamp, bmark, bstamp,
    ncell, cell_of, cell_count, cap,
):  # fmt: skip
    """Distance windows of every moved atom and room in the cells they move to."""
    for k in range(m):
        if not _windows_ok(atoms[k], newf[k], frac, lat, bond_ptr, bond_j, bond_lo, bond_hi,
                           mark, stamp, bmark, bstamp + k + 1):  # fmt: skip
            return False
        c = _cell_index(newf[k], ncell)
        if c != cell_of[atoms[k]] and cell_count[c] >= cap - m:
            return False
    return True


@njit(cache=True)
def _scan_move(
    m, atoms, newf, frac, cart, cell_pos, cell_type, lat, types, tp_table, group_of, ncell,
    offs, cell_atoms, cell_count, cell_of, slot_of, bmark, bstamp, bond_ptr, bond_j, dmin2,
    rmax, dr, coef, dT, touched, tlist, ev_tp, ev_bin, ev_sign,
):  # fmt: skip
    """Histogram events of a move (old pairs out, new pairs in); nev -1 on a closest approach.

    Pairs among the moved atoms are left out (a rigid move keeps them; a single atom has none).
    """
    for k in range(m):
        for d in range(3):
            cell_pos[cell_of[atoms[k]], slot_of[atoms[k]], d] = 1e30
    nev = 0
    nt = 0
    p_new = np.empty(3)
    for k in range(m):
        a = atoms[k]
        st = bstamp + k + 1
        for kk in range(bond_ptr[a], bond_ptr[a + 1]):
            bmark[bond_j[kk]] = st
        for d in range(3):
            p_new[d] = newf[k, 0] * lat[0, d] + newf[k, 1] * lat[1, d] + newf[k, 2] * lat[2, d]
        p_old = cart[a]
        if _cell_index(frac[a], ncell) == _cell_index(newf[k], ncell):
            nev, nt = _scan(a, frac[a], p_old, p_new, 2, cell_pos, cell_type, lat, types,
                            tp_table, group_of, ncell, offs, cell_atoms, cell_count, bmark, st,
                            dmin2, rmax, dr, coef, dT, touched, tlist, nt, ev_tp, ev_bin,
                            ev_sign, nev)  # fmt: skip
        else:
            nev, nt = _scan(a, frac[a], p_old, p_new, 0, cell_pos, cell_type, lat, types,
                            tp_table, group_of, ncell, offs, cell_atoms, cell_count, bmark, st,
                            dmin2, rmax, dr, coef, dT, touched, tlist, nt, ev_tp, ev_bin,
                            ev_sign, nev)  # fmt: skip
            if nev >= 0:
                nev, nt = _scan(a, newf[k], p_old, p_new, 1, cell_pos, cell_type, lat, types,
                                tp_table, group_of, ncell, offs, cell_atoms, cell_count, bmark,
                                st, dmin2, rmax, dr, coef, dT, touched, tlist, nt, ev_tp,
                                ev_bin, ev_sign, nev)  # fmt: skip
        if nev < 0:
            break
    for k in range(m):
        for d in range(3):
            cell_pos[cell_of[atoms[k]], slot_of[atoms[k]], d] = cart[atoms[k], d]
    return nev, nt


@njit(cache=True)
def _delta_chi2(
    nt, tlist, dT, chan, amp, kern, hw, dconv, tlist2, conv, extra, y, wgt, scale
):  # fmt: skip
    """Convolve the change of every channel on the touched bins; return (bins reached, Δχ²).

    The bins reached are the contiguous range from the lowest touched bin - hw to the highest
    + hw (written to ``tlist2``): the touched bins of a move in a dense box are nearly
    contiguous, so a range costs less than marking each.
    """
    nch, nbins = dT.shape
    nsets = conv.shape[0]
    if nt == 0:
        return 0, 0.0
    bmin = nbins
    bmax = -1
    for i in range(nt):
        b = tlist[i]
        bmin = min(bmin, b)
        bmax = max(bmax, b)
        lo = max(0, b - hw)
        hi = min(nbins, b + hw + 1)
        for c in range(nch):
            q = chan[c]
            du = amp[q, b] * dT[c, b]
            if du == 0.0:
                continue
            for k in range(lo, hi):
                dconv[q, k] += du * kern[c, k - b + hw]
    lo2 = max(0, bmin - hw)
    nt2 = min(nbins, bmax + hw + 1) - lo2
    for i in range(nt2):
        tlist2[i] = lo2 + i
    dchi = 0.0
    for q in range(nsets):
        sq = scale[q]
        for k in range(lo2, lo2 + nt2):
            if wgt[q, k] == 0.0:
                continue
            old = sq * conv[q, k] + extra[q, k] - y[q, k]
            new = old + sq * dconv[q, k]
            dchi += wgt[q, k] * (new * new - old * old)
    return nt2, dchi


@njit(cache=True)
def _accept(
    m, atoms, newf, frac, nev, ev_tp, ev_bin, ev_sign, hist, nt, tlist, dT, total, nt2, tlist2,
    dconv, conv, ncell, cell_atoms, cell_count, cell_of, slot_of, cart, lat, cell_pos, cell_type,
    types,
):  # fmt: skip
    """Apply an accepted move: histograms, model totals, positions and cell lists."""
    for e in range(nev):
        hist[ev_tp[e], ev_bin[e]] += ev_sign[e]
    for c in range(total.shape[0]):
        for i in range(nt):
            total[c, tlist[i]] += dT[c, tlist[i]]
    for q in range(conv.shape[0]):
        for i in range(nt2):
            conv[q, tlist2[i]] += dconv[q, tlist2[i]]
    for k in range(m):
        a = atoms[k]
        c_new = _cell_index(newf[k], ncell)
        c_old = cell_of[a]
        if c_new != c_old:
            last = cell_atoms[c_old, cell_count[c_old] - 1]
            sl = slot_of[a]
            cell_atoms[c_old, sl] = last
            cell_type[c_old, sl] = cell_type[c_old, cell_count[c_old] - 1]
            for d in range(3):
                cell_pos[c_old, sl, d] = cell_pos[c_old, cell_count[c_old] - 1, d]
            slot_of[last] = sl
            cell_count[c_old] -= 1
            cell_atoms[c_new, cell_count[c_new]] = a
            cell_type[c_new, cell_count[c_new]] = types[a]
            slot_of[a] = cell_count[c_new]
            cell_count[c_new] += 1
            cell_of[a] = c_new
        for d in range(3):
            frac[a, d] = newf[k, d]
        for d in range(3):
            cart[a, d] = newf[k, 0] * lat[0, d] + newf[k, 1] * lat[1, d] + newf[k, 2] * lat[2, d]
            cell_pos[cell_of[a], slot_of[a], d] = cart[a, d]


@njit(cache=True)
def _reset(nt, tlist, dT, touched, nt2, tlist2, dconv):
    """Clear the scratch arrays of a move."""
    for c in range(dT.shape[0]):
        for i in range(nt):
            dT[c, tlist[i]] = 0.0
    for q in range(dconv.shape[0]):
        for i in range(nt2):
            dconv[q, tlist2[i]] = 0.0
    for i in range(nt):
        touched[tlist[i]] = False


@njit(cache=True)
def run_moves(
    n_moves, seed, p_group, step_single, step_group, rot_group,
    frac, lat, inv, types, tp_table, group_of, grp_ptr, grp_atoms, movable,
    bond_ptr, bond_j, bond_lo, bond_hi, dmin2,
    ncell, offs, cell_atoms, cell_count, cell_of, slot_of, rmax, dr, hist,
    coef, chan, amp, kern, extra, y, wgt, scale, total, conv, stats,
):  # fmt: skip
    """Attempt ``n_moves`` RMC moves in place; returns the summed χ² change of accepted moves.

    ``stats``: [single tried, single accepted, group tried, group accepted, refused by a
    constraint]. With channel totals total[c, k] = Σ_tp coef[c, tp] hist[tp, k], the model
    curve of data set q is scale[q] conv[q] + extra[q], conv[q] = Σ_{c: chan[c] = q}
    kern[c] ⊛ (amp[q] total[c]) + base[q] (kernels of half-width (len(kern) - 1) / 2 bins,
    :mod:`.rmc_weights`; base is constant and only enters ``conv``); χ² = Σ wgt (model - y)².
    ``conv`` is kept up to date.
    """
    np.random.seed(seed)
    n = frac.shape[0]
    cart = frac @ lat
    cell_pos = np.empty((cell_atoms.shape[0], cell_atoms.shape[1], 3))
    cell_type = np.zeros(cell_atoms.shape, np.int64)
    for c in range(cell_atoms.shape[0]):
        for s in range(cell_count[c]):
            j = cell_atoms[c, s]
            cell_type[c, s] = types[j]
            for d in range(3):
                cell_pos[c, s, d] = cart[j, d]
    nch, nbins = total.shape
    nsets = conv.shape[0]
    cap = cell_atoms.shape[1]
    mark = np.zeros(n, np.int64)
    bmark = np.zeros(n, np.int64)
    dT = np.zeros((nch, nbins))
    touched = np.zeros(nbins, np.bool_)
    tlist = np.empty(nbins, np.int64)
    hw = (kern.shape[1] - 1) // 2
    dconv = np.zeros((nsets, nbins))
    tlist2 = np.empty(nbins, np.int64)
    max_ev = 400000
    ev_tp = np.empty(max_ev, np.int64)
    ev_bin = np.empty(max_ev, np.int64)
    ev_sign = np.empty(max_ev, np.float64)
    gmax = 1
    for g in range(grp_ptr.shape[0] - 1):
        gmax = max(gmax, grp_ptr[g + 1] - grp_ptr[g])
    atoms = np.empty(gmax, np.int64)
    newf = np.empty((gmax, 3))
    stamp = 0
    bstamp = 0
    dchi_total = 0.0
    for _ in range(n_moves):
        m, is_group = _propose(
            frac, lat, inv, grp_ptr, grp_atoms, movable, p_group,
            step_single, step_group, rot_group, atoms, newf,
        )  # fmt: skip
        stats[2 if is_group else 0] += 1
        stamp += 1
        for k in range(m):
            mark[atoms[k]] = stamp
        ok = _constraints_ok(
            m, atoms, newf, frac, lat, bond_ptr, bond_j, bond_lo, bond_hi, mark, stamp, bmark,
            bstamp, ncell, cell_of, cell_count, cap,
        )  # fmt: skip
        bstamp += m
        nev = 0
        nt = 0
        if ok:
            nev, nt = _scan_move(
                m, atoms, newf, frac, cart, cell_pos, cell_type, lat, types, tp_table, group_of,
                ncell, offs, cell_atoms, cell_count, cell_of, slot_of, bmark, bstamp, bond_ptr,
                bond_j, dmin2, rmax, dr, coef, dT, touched, tlist, ev_tp, ev_bin, ev_sign,
            )  # fmt: skip
            bstamp += m
            ok = nev >= 0
        if not ok:
            stats[4] += 1
        dchi = 0.0
        nt2 = 0
        if ok:
            nt2, dchi = _delta_chi2(
                nt, tlist, dT, chan, amp, kern, hw, dconv, tlist2, conv, extra, y, wgt,
                scale,
            )  # fmt: skip
            if dchi > 0.0 and np.random.random() >= np.exp(-0.5 * dchi):
                ok = False
        if ok:
            dchi_total += dchi
            stats[3 if is_group else 1] += 1
            _accept(
                m, atoms, newf, frac, nev, ev_tp, ev_bin, ev_sign, hist, nt, tlist, dT, total,
                nt2, tlist2, dconv, conv, ncell, cell_atoms, cell_count, cell_of, slot_of, cart,
                lat, cell_pos, cell_type, types,
            )  # fmt: skip
        _reset(nt, tlist, dT, touched, nt2, tlist2, dconv)
    return dchi_total
