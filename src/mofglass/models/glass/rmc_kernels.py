# ruff: noqa: NPY002  (numba compiles only the legacy np.random API; seeded in the kernel)
"""numba kernels of the reverse Monte Carlo loop: pair histograms, moves, Metropolis.

Atoms live in fractional coordinates of a periodic box (any cell shape). The whole batch of
moves runs in one compiled call (:func:`run_moves`). A move scans the neighbours of each moved
atom on the sorted column lists of :mod:`.rmc_columns` (old and new position in one pass, cost
O(neighbours), flat in the box size), collects the net histogram change as counts per pair
type and bin (``dH``), turns it into the change of each data set's broadened model curve over
the changed bins only, and is accepted by the Metropolis rule on χ² (McGreevy & Pusztai 1988).
The from-scratch histogram (set up, verification) is :mod:`.rmc_recount`'s.

References
----------
.. [1] R. L. McGreevy, L. Pusztai, Mol. Simul. 1 (1988) 359 (reverse Monte Carlo).
.. [2] M. P. Allen, D. J. Tildesley, Computer Simulation of Liquids (1987), cell lists.
"""

from __future__ import annotations

import numpy as np

from mofglass._numba import njit
from mofglass.models.glass.rmc_columns import (
    build_columns,
    column_of,
    move_in_columns,
    scan_columns,
)

__all__ = ["BATCH", "WINDOW", "run_moves"]

WINDOW = 128
"""Atoms (groups) in the window a batch of moves draws from: ~2000 Å³ (a 13 Å cube) of a MOF
glass."""
BATCH = 512
"""Moves drawn from one window: they reuse each other's neighbours in the cache, so the cost
of a move does not grow with the box (the atoms are in space-filling-curve order)."""


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
    frac, lat, inv, grp_ptr, grp_atoms, movable, p_group, step_single, step, rot, atoms, newf,
    win,
):  # fmt: skip
    """Fill ``atoms``/``newf`` with a single-atom or rigid-group move; returns (n, is_group).

    The atom (group) is drawn from a window of ``WINDOW`` consecutive entries of ``movable``
    (the groups), which are in space-filling-curve order, starting at ``win[0]`` (``win[1]``):
    each draw is still uniform (the window's start is), and does not depend on the positions.
    """
    ng = grp_ptr.shape[0] - 1
    if ng > 0 and np.random.random() < p_group:
        g = (win[1] + np.random.randint(min(WINDOW, ng))) % ng
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
    nm = movable.shape[0]
    a = movable[(win[0] + np.random.randint(min(WINDOW, nm))) % nm]
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
    ncol, col_of, col_count, cap,
):  # fmt: skip
    """Distance windows of every moved atom and room in the columns they move to."""
    for k in range(m):
        if not _windows_ok(atoms[k], newf[k], frac, lat, bond_ptr, bond_j, bond_lo, bond_hi,
                           mark, stamp, bmark, bstamp + k + 1):  # fmt: skip
            return False
        c = column_of(newf[k], ncol)
        if c != col_of[atoms[k]] and col_count[c] >= cap - m:
            return False
    return True


@njit(cache=True)
def _scan_move(
    m, atoms, newf, frac, cart, cols, lat, types, tp_table, ncol, coffs, cdz, bmark, bstamp,
    bond_ptr, bond_j, dmin2, rmax2, inv_dr, dH, lohi, buf_o, buf_n, buf_r2,
):  # fmt: skip
    """Histogram change of a move into ``dH``; False on a closest approach.

    Pairs among the moved atoms are left out (parked far away during the scan: a rigid move
    keeps them; a single atom has none). An atom that stays in its column is scanned once
    for its old and new position together (unwrapped, so both see the same images).
    """
    pos, fz, typ, atom, count, col_of, slot_of = cols
    for k in range(m):
        for d in range(3):
            pos[col_of[atoms[k]], d, slot_of[atoms[k]]] = 1e30
    ok = True
    p_new = np.empty(3)
    df = np.empty(3)
    far = np.full(3, -1e30)  # "no position": far from everything, the parked atoms too
    span = 1.0 - 2.0 * cdz.max()
    for k in range(m):
        a = atoms[k]
        st = bstamp + k + 1
        for kk in range(bond_ptr[a], bond_ptr[a + 1]):
            bmark[bond_j[kk]] = st
        for d in range(3):
            df[d] = newf[k, d] - frac[a, d]
            df[d] -= np.floor(df[d] + 0.5)
        f_old = frac[a, 2]
        same = column_of(newf[k], ncol) == col_of[a] and abs(df[2]) < span
        for d in range(2):  # and the unwrapped position inside the box along a, b
            same = same and 0.0 <= frac[a, d] + df[d] < 1.0
        if same:  # unwrapped new position: the same images as the old one
            for d in range(3):
                p_new[d] = cart[a, d] + df[0] * lat[0, d] + df[1] * lat[1, d] + df[2] * lat[2, d]
            ok = scan_columns(
                a, frac[a], min(f_old, f_old + df[2]), max(f_old, f_old + df[2]), cart[a],
                p_new, pos, fz, typ, atom, count, lat, types, tp_table, ncol, coffs, cdz,
                bmark, st, dmin2, rmax2, inv_dr, dH, lohi, buf_o, buf_n, buf_r2,
            )  # fmt: skip
        else:
            for d in range(3):
                p_new[d] = newf[k, 0] * lat[0, d] + newf[k, 1] * lat[1, d] + newf[k, 2] * lat[2, d]
            ok = scan_columns(
                a, frac[a], f_old, f_old, cart[a], far, pos, fz, typ, atom, count, lat, types,
                tp_table, ncol, coffs, cdz, bmark, st, dmin2, rmax2, inv_dr, dH, lohi, buf_o,
                buf_n, buf_r2,
            )  # fmt: skip
            if ok:
                ok = scan_columns(
                    a, newf[k], newf[k, 2], newf[k, 2], far, p_new, pos, fz, typ, atom, count,
                    lat, types, tp_table, ncol, coffs, cdz, bmark, st, dmin2, rmax2, inv_dr, dH,
                    lohi, buf_o, buf_n, buf_r2,
                )  # fmt: skip
        if not ok:
            break
    for k in range(m):
        for d in range(3):
            pos[col_of[atoms[k]], d, slot_of[atoms[k]]] = cart[atoms[k], d]
    return ok


@njit(cache=True)
def _delta_chi2(
    lohi, dH, coef, chan, amp, kern, ktap, dT, u_pad, dconv, conv, extra, y, wgt, scale, lohi2
):  # fmt: skip
    """Δχ² of the histogram change ``dH`` on its bin range; the model change into ``dconv``.

    Over the changed bins only: the channel totals dT = coef dH, then each channel's
    change amp·dT convolved with its kernel (one vectorised multiply-add per kernel tap
    over the range widened by the kernel's half-width, written to ``lohi2``), then
    Δχ² = Σ wgt [(old + s dconv)² - old²] with old = s conv + extra - y. The kernels and
    the change are float32 (twice the numbers per vector instruction; the rounding of a
    move's small change, ~1e-7 of it, is what :meth:`RMCState.verify` bounds), the sums
    float64.
    """
    nch, ntp = coef.shape
    nsets, nbins = conv.shape
    lo, hi = lohi[0], lohi[1]
    if hi < lo:
        lohi2[0], lohi2[1] = 0, -1
        return 0.0
    kw = kern.shape[1]
    hw = (kw - 1) // 2
    ilo = max(0, lo - hw)
    ihi = min(nbins - 1, hi + hw)
    lohi2[0], lohi2[1] = ilo, ihi
    nb = hi + 1 - lo
    ni = ihi + 1 - ilo
    for c in range(nch):
        q = chan[c]
        dt = dT[c, lo : hi + 1]  # 1-d views indexed from 0: the loops vectorise
        for b in range(nb):
            dt[b] = 0.0
        for tp in range(ntp):
            cf = coef[c, tp]
            if cf == 0.0:
                continue
            dh = dH[tp, lo : hi + 1]
            for b in range(nb):
                dt[b] += cf * dh[b]
        up = u_pad[lo + hw : hi + 1 + hw]
        am = amp[q, lo : hi + 1]
        for b in range(nb):
            up[b] = am[b] * dt[b]
        dc = dconv[q, ilo : ihi + 1]
        for k in range(hw - ktap[c], hw + ktap[c] + 1):  # the channel's own taps
            w = kern[c, k]
            uk = u_pad[ilo + 2 * hw - k : ilo + 2 * hw - k + ni]
            for i in range(ni):
                dc[i] += w * uk[i]
        for b in range(nb):
            up[b] = 0.0
    dchi = 0.0
    for q in range(nsets):
        sq = scale[q]
        dc = dconv[q, ilo : ihi + 1]
        cv = conv[q, ilo : ihi + 1]
        ex = extra[q, ilo : ihi + 1]
        yq = y[q, ilo : ihi + 1]
        wq = wgt[q, ilo : ihi + 1]
        for i in range(ni):
            d = sq * dc[i]
            dchi += wq[i] * d * (2.0 * (sq * cv[i] + ex[i] - yq[i]) + d)
    return dchi


@njit(cache=True)
def _apply_model(lohi, lohi2, dH, hist, dT, total, dconv, conv):
    """Add an accepted move's histogram, channel and model changes."""
    lo, hi, ilo, ihi = lohi[0], lohi[1] + 1, lohi2[0], lohi2[1] + 1
    for tp in range(hist.shape[0]):
        hist[tp, lo:hi] += dH[tp, lo:hi]
    for c in range(total.shape[0]):
        total[c, lo:hi] += dT[c, lo:hi]
    for q in range(conv.shape[0]):
        conv[q, ilo:ihi] += dconv[q, ilo:ihi]


@njit(cache=True)
def _move_atoms(m, atoms, newf, frac, cart, lat, types, ncol, cols):
    """Apply an accepted move to the positions and the column lists."""
    pos, fz, typ, atom, count, col_of, slot_of = cols
    for k in range(m):
        a = atoms[k]
        for d in range(3):
            frac[a, d] = newf[k, d]
            cart[a, d] = newf[k, 0] * lat[0, d] + newf[k, 1] * lat[1, d] + newf[k, 2] * lat[2, d]
        move_in_columns(a, frac[a], cart[a], types[a], ncol, pos, fz, typ, atom, count, col_of,
                        slot_of)  # fmt: skip


@njit(cache=True)
def _reset(lohi, lohi2, dH, dconv):
    """Clear the scratch arrays of a move (its bin ranges and the spare bin)."""
    nb = dH.shape[1] - 1
    for tp in range(dH.shape[0]):
        dH[tp, nb] = 0.0
        dH[tp, lohi[0] : lohi[1] + 1] = 0.0
    for q in range(dconv.shape[0]):
        dconv[q, lohi2[0] : lohi2[1] + 1] = 0.0
    lohi[0], lohi[1] = nb, -1
    lohi2[0], lohi2[1] = 0, -1


@njit(cache=True)
def run_moves(
    n_moves, seed, p_group, step_single, step_group, rot_group,
    frac, lat, inv, types, tp_table, group_of, grp_ptr, grp_atoms, movable,
    bond_ptr, bond_j, bond_lo, bond_hi, dmin2,
    ncol, coffs, cdz, rmax, dr, hist, coef, chan, amp, kern, ktap, extra, y, wgt, scale, total,
    conv, stats,
):  # fmt: skip
    """Attempt ``n_moves`` RMC moves in place; returns the summed χ² change of accepted moves.

    ``stats``: [single tried, single accepted, group tried, group accepted, refused by a
    constraint]. With channel totals total[c, k] = Σ_tp coef[c, tp] hist[tp, k], the model
    curve of data set q is scale[q] conv[q] + extra[q], conv[q] = Σ_{c: chan[c] = q}
    kern[c] ⊛ (amp[q] total[c]) + base[q] (kernels of half-width (len(kern) - 1) / 2 bins,
    :mod:`.rmc_weights`; base is constant and only enters ``conv``); χ² = Σ wgt (model - y)².
    ``conv`` is kept up to date: a move costs one neighbour scan per moved atom (O(pairs
    within rmax)) and O(changed bins × (pair types + kernel taps)) for the model.
    """
    np.random.seed(seed)
    n = frac.shape[0]
    cart = frac @ lat
    cols = build_columns(frac, cart, types, ncol)
    nch, nbins = total.shape
    nsets = conv.shape[0]
    cap = cols[1].shape[1]
    hw = (kern.shape[1] - 1) // 2
    mark = np.zeros(n, np.int64)
    bmark = np.zeros(n, np.int64)
    dH = np.zeros((hist.shape[0], nbins + 1))
    dT = np.zeros((nch, nbins))
    u_pad = np.zeros(nbins + 2 * hw, np.float32)
    dconv = np.zeros((nsets, nbins), np.float32)
    kern32 = kern.astype(np.float32)  # a move's model change in float32 (see _delta_chi2)
    buf_o = np.empty(cap, np.int64)
    buf_n = np.empty(cap, np.int64)
    buf_r2 = np.empty(cap)
    lohi = np.array([nbins, -1], np.int64)
    lohi2 = np.array([0, -1], np.int64)
    rmax2 = rmax * rmax
    inv_dr = 1.0 / dr
    gmax = 1
    for g in range(grp_ptr.shape[0] - 1):
        gmax = max(gmax, grp_ptr[g + 1] - grp_ptr[g])
    atoms = np.empty(gmax, np.int64)
    newf = np.empty((gmax, 3))
    stamp = 0
    bstamp = 0
    dchi_total = 0.0
    win = np.zeros(2, np.int64)
    for move in range(n_moves):
        if move % BATCH == 0:  # a new window: the next moves stay near each other
            win[0] = np.random.randint(movable.shape[0])
            win[1] = np.random.randint(max(grp_ptr.shape[0] - 1, 1))
        m, is_group = _propose(
            frac, lat, inv, grp_ptr, grp_atoms, movable, p_group,
            step_single, step_group, rot_group, atoms, newf, win,
        )  # fmt: skip
        stats[2 if is_group else 0] += 1
        stamp += 1
        for k in range(m):
            mark[atoms[k]] = stamp
        ok = _constraints_ok(
            m, atoms, newf, frac, lat, bond_ptr, bond_j, bond_lo, bond_hi, mark, stamp, bmark,
            bstamp, ncol, cols[5], cols[4], cap,
        )  # fmt: skip
        bstamp += m
        if ok:
            ok = _scan_move(
                m, atoms, newf, frac, cart, cols, lat, types, tp_table, ncol, coffs, cdz, bmark,
                bstamp, bond_ptr, bond_j, dmin2, rmax2, inv_dr, dH, lohi, buf_o, buf_n, buf_r2,
            )  # fmt: skip
            bstamp += m
        if not ok:
            stats[4] += 1
        dchi = 0.0
        if ok:
            dchi = _delta_chi2(
                lohi, dH, coef, chan, amp, kern32, ktap, dT, u_pad, dconv, conv, extra, y, wgt,
                scale, lohi2,
            )  # fmt: skip
            if dchi > 0.0 and np.random.random() >= np.exp(-0.5 * dchi):
                ok = False
        if ok:
            dchi_total += dchi
            stats[3 if is_group else 1] += 1
            _apply_model(lohi, lohi2, dH, hist, dT, total, dconv, conv)
            _move_atoms(m, atoms, newf, frac, cart, lat, types, ncol, cols)
        _reset(lohi, lohi2, dH, dconv)
    return dchi_total
