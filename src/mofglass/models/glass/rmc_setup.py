"""Set up an RMC refinement: topology, constraints, cell lists and targets on the model grid.

See :mod:`mofglass.models.glass.rmc` for the method and the references.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from mofglass.errors import AnalysisError
from mofglass.models.glass.redecorate import contact_limits
from mofglass.models.glass.rmc import RMCState, RMCTarget
from mofglass.models.glass.rmc_columns import box_widths, neighbour_offsets
from mofglass.models.glass.rmc_weights import pair_kernels, pair_weights, shared_channels
from mofglass.results import Result
from mofglass.structure.bonds import DONORS, find_bonds, is_metal
from mofglass.structure.crystal import Crystal

__all__ = ["RMCSummary", "prepare_rmc", "summarise_rmc"]


def _windows(
    crystal: Crystal,
    bond_tol_A: float,
    pair13_tol_A: float,
    metal_angle_deg: tuple[float, float],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Bond and 1-3 distance windows as CSR (ptr, partner, lo, hi) and the bond list (i, j)."""
    b = find_bonds(crystal)
    n = crystal.n_atoms
    species = crystal.species
    nb: list[list[tuple[int, float]]] = [[] for _ in range(n)]
    pairs: dict[tuple[int, int], tuple[float, float]] = {}
    for i, j, d in zip(b.i.tolist(), b.j.tolist(), b.length_A.tolist(), strict=True):
        nb[i].append((j, d))
        nb[j].append((i, d))
        pairs[(min(i, j), max(i, j))] = (d - bond_tol_A, d + bond_tol_A)
    frac = crystal.frac
    lat = crystal.lattice_A
    assert lat is not None
    lo_a, hi_a = (math.radians(x) for x in metal_angle_deg)
    for c in range(n):
        for (j, dj), (k, dk) in itertools.combinations(nb[c], 2):
            key = (min(j, k), max(j, k))
            if key in pairs or j == k:
                continue
            df = frac[k] - frac[j]
            d = float(np.linalg.norm((df - np.rint(df)) @ lat))
            if is_metal(species[c]):
                lo = math.sqrt(2 * (min(dj, dk) - bond_tol_A) ** 2 * (1 - math.cos(lo_a)))
                hi = math.sqrt(2 * (max(dj, dk) + bond_tol_A) ** 2 * (1 - math.cos(hi_a)))
                pairs[key] = (min(lo, d), max(hi, d))
            else:
                tol = (
                    2 * pair13_tol_A
                    if is_metal(species[j]) or is_metal(species[k])
                    else pair13_tol_A
                )
                pairs[key] = (d - tol, d + tol)
    rows = sorted(
        [(i, j, lo, hi) for (i, j), (lo, hi) in pairs.items()]
        + [(j, i, lo, hi) for (i, j), (lo, hi) in pairs.items()]
    )
    arr = np.array([r[:2] for r in rows], dtype=np.int64).reshape(-1, 2)
    ptr = np.searchsorted(arr[:, 0], np.arange(n + 1)).astype(np.int64)
    lo_arr = np.array([r[2] for r in rows], dtype=float)
    hi_arr = np.array([r[3] for r in rows], dtype=float)
    return ptr, arr[:, 1].copy(), lo_arr, hi_arr, b.i, b.j


def _groups(
    species: Sequence[str], bi: np.ndarray, bj: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Molecule of every atom (bonds without metals) and the rigid groups (CSR ptr, atoms)."""
    n = len(species)
    metal = np.array([is_metal(s) for s in species])
    keep = ~metal[bi] & ~metal[bj]
    g = coo_matrix((np.ones(int(keep.sum())), (bi[keep], bj[keep])), shape=(n, n))
    _, label = connected_components(g, directed=False)
    order = np.argsort(label, kind="stable")
    counts = np.bincount(label)
    rigid = [k for k in range(len(counts)) if counts[k] >= 2]
    atoms = [
        order[np.searchsorted(label[order], k) : np.searchsorted(label[order], k) + counts[k]]
        for k in rigid
    ]
    ptr = np.concatenate([[0], np.cumsum([len(a) for a in atoms])]).astype(np.int64)
    flat = np.concatenate(atoms).astype(np.int64) if atoms else np.zeros(0, np.int64)
    return label.astype(np.int64), ptr, flat


def _curve_order(frac: np.ndarray, lat: np.ndarray, cell_A: float = 2.0) -> np.ndarray:
    """Atoms in Morton (Z-curve) order of a ~2 Å grid: neighbours in the list are near in space.

    The moves draw from windows of this list (:data:`.rmc_kernels.WINDOW`), so that a batch of
    moves works on one region of the box and finds its data in the cache (Morton 1966).
    """
    width = 1.0 / np.linalg.norm(np.linalg.inv(lat), axis=0)
    n = np.clip(np.ceil(width / cell_A), 1, 1023).astype(np.int64)
    grid = np.minimum((np.mod(frac, 1.0) * n).astype(np.uint64), (n - 1).astype(np.uint64))

    def spread(x: np.ndarray) -> np.ndarray:  # 10 bits -> every third of 30
        x = (x | (x << np.uint64(16))) & np.uint64(0x030000FF)
        x = (x | (x << np.uint64(8))) & np.uint64(0x0300F00F)
        x = (x | (x << np.uint64(4))) & np.uint64(0x030C30C3)
        return (x | (x << np.uint64(2))) & np.uint64(0x09249249)

    code = (
        spread(grid[:, 0]) | spread(grid[:, 1]) << np.uint64(1) | spread(grid[:, 2]) << np.uint64(2)
    )
    return np.argsort(code, kind="stable").astype(np.int64)


def _reorder_groups(
    ptr: np.ndarray, atoms: np.ndarray, order: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Sort the groups by the curve position of their first atom (CSR ptr, atoms)."""
    if len(ptr) < 2:
        return ptr, atoms
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    sizes = np.diff(ptr)
    g_order = np.argsort(rank[atoms[ptr[:-1]]], kind="stable")
    flat = np.concatenate([atoms[ptr[g] : ptr[g + 1]] for g in g_order])
    new_ptr = np.concatenate([[0], np.cumsum(sizes[g_order])]).astype(np.int64)
    return new_ptr, flat.astype(np.int64)


def _channels(
    t: RMCTarget,
    elements: Sequence[str],
    fractions: np.ndarray,
    pair_list: Sequence[tuple[int, int]],
    dr_A: float,
    half_width_A: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Channel coefficients (n_ch, n_pairs), shapes (n_ch, width) and n_ab of one target."""
    qmax = 40.0 if t.qmax_invA is None else float(t.qmax_invA)
    q = np.linspace(0.0, qmax, 1201)
    w = pair_weights(elements, fractions, pair_list, q, probe=t.probe, weighting=t.weighting)
    kern = pair_kernels(
        w, q, qmax_invA=t.qmax_invA, lorch=t.lorch, dr_A=dr_A, half_width_A=half_width_A
    )
    coef, shapes = shared_channels(kern)
    n_ab = np.array([fractions[a] * fractions[b] * (1 if a == b else 2) for a, b in pair_list])
    return coef, shapes, n_ab


def _cells(lat: np.ndarray, rmax: float, per_rmax: int = 4) -> tuple[np.ndarray, np.ndarray]:
    """Cells per axis (≈ rmax/``per_rmax`` wide) and the neighbour-cell offsets reaching rmax.

    Offsets whose cells cannot hold a point within rmax of any point of the home cell are
    dropped (a lower bound on the distance between the two cells: the gaps along the cell
    axes, combined in quadrature for a rectangular box, their largest otherwise), so the
    scanned volume stays close to the sphere's.
    """
    width = box_widths(lat, rmax)
    ncell = np.maximum(1, np.floor(width / (rmax / per_rmax))).astype(np.int64)
    offs, low, _ = neighbour_offsets(lat, width / ncell, rmax)
    return ncell, offs[low < rmax]


def prepare_rmc(
    crystal: Crystal,
    targets: Sequence[RMCTarget],
    *,
    seed: int = 0,
    dr_A: float = 0.02,
    p_group: float = 0.3,
    step_single_A: float = 0.05,
    step_group_A: float = 0.05,
    rot_group_deg: float = 3.0,
    bond_tol_A: float = 0.1,
    pair13_tol_A: float = 0.15,
    metal_angle_deg: tuple[float, float] = (80.0, 140.0),
    min_donor_donor_A: float = 2.8,
    fit_scale: bool = True,
    fit_slope: bool = False,
    kernel_tol: float = 1e-3,
) -> RMCState:
    """Prepare an RMC refinement of a periodic model against ``targets``.

    Parameters
    ----------
    crystal : Crystal
        The starting model (P1 box; rmax must stay below half its smallest width).
    targets : sequence of RMCTarget
        Measured curves (:func:`~mofglass.models.glass.rmc.rmc_target`).
    dr_A : float
        Histogram bin width, Å.
    p_group : float
        Fraction of moves that move a whole linker (rotation ≤ ``rot_group_deg`` about a
        random axis through its centroid, translation ≤ ``step_group_A`` per axis).
    bond_tol_A, pair13_tol_A : float
        Half-widths of the windows on bond lengths and on 1-3 distances (bond angles), Å;
        1-3 pairs through a metal keep its angle within ``metal_angle_deg``.
    min_donor_donor_A : float
        Closest approach of donor atoms of different linkers (2.8 Å ≈ N-M-N 90° at 2 Å).
    fit_scale, fit_slope : bool
        Refit, between chunks, a scale per target and (``fit_slope``) a term linear in r, the
        signature of a normalisation or density error in D(r)/G(r) (Keen 2001).
    kernel_tol : float
        Largest change of the model curve, relative to its largest value, that cutting the
        peak functions short may make (:func:`_truncate_kernels`; the measured value is
        ``state.params["kernel_error"]``).
    """
    lat = crystal.lattice_A
    if lat is None or not targets:
        raise AnalysisError("RMC needs a periodic model and at least one target")
    species = tuple(crystal.species)
    elements = sorted(set(species))
    types = np.array([elements.index(s) for s in species], dtype=np.int64)
    ne = len(elements)
    tp_table = np.zeros((ne, ne), dtype=np.int64)
    pair_list = list(itertools.combinations_with_replacement(range(ne), 2))
    for k, (a, b) in enumerate(pair_list):
        tp_table[a, b] = tp_table[b, a] = k
    ptr, partner, lo, hi, bi, bj = _windows(crystal, bond_tol_A, pair13_tol_A, metal_angle_deg)
    group_of, grp_ptr, grp_atoms = _groups(species, bi, bj)
    frac = np.mod(crystal.frac, 1.0)
    order = _curve_order(frac, lat)
    grp_ptr, grp_atoms = _reorder_groups(grp_ptr, grp_atoms, order)
    _, limit = contact_limits(species)
    donor = np.array([e in DONORS for e in elements])
    limit[np.ix_(donor, donor)] = np.maximum(limit[np.ix_(donor, donor)], min_donor_donor_A)
    rmax = max(t.r_range_A[1] for t in targets) + 2 * dr_A
    ncell, offs = _cells(lat, rmax)
    nbins = math.ceil(rmax / dr_A)
    r = (np.arange(nbins) + 0.5) * dr_A
    shell = 4.0 / 3.0 * np.pi * dr_A**3 * ((np.arange(nbins) + 1) ** 3 - np.arange(nbins) ** 3)
    n = len(species)
    rho = n / abs(float(np.linalg.det(lat)))
    fractions = np.bincount(types, minlength=ne) / n
    nt = len(targets)
    amp, base, y, wgt = (np.zeros((nt, nbins)) for _ in range(4))
    coefs, shapes, chan, flats, nabs = [], [], [], [], []
    for q, t in enumerate(targets):
        coef_q, shape_q, n_ab = _channels(
            t, elements, fractions, pair_list, dr_A, min(_KERNEL_MAX_A, 0.45 * rmax)
        )
        y[q] = np.interp(r, t.r_A, t.y)
        wgt[q] = np.where((r >= t.r_range_A[0]) & (r <= t.r_range_A[1]), 1.0 / t.sigma**2, 0.0)
        g_amp = 2.0 / (n * rho * shell)
        if t.kind in ("D", "G"):
            amp[q], flat = 4 * np.pi * rho * r * g_amp, -4 * np.pi * rho * r
        elif t.kind == "g":
            amp[q], flat = g_amp, np.zeros(nbins)
        else:  # GK = g - 1 (W = 1)
            amp[q], flat = g_amp, -np.ones(nbins)
        # a line (or a constant) convolved with a symmetric kernel: times the kernel's sum
        flats.append(flat)
        nabs.append(coef_q @ n_ab)
        coefs.append(coef_q)
        shapes.append(shape_q)
        chan += [q] * len(coef_q)
    width = max(s_.shape[1] for s_ in shapes)
    kern = np.zeros((len(chan), width))
    row = 0
    for s_ in shapes:
        pad = (width - s_.shape[1]) // 2
        kern[row : row + len(s_), pad : pad + s_.shape[1]] = s_
        row += len(s_)
    cell_idx = np.minimum((frac * ncell).astype(np.int64), ncell - 1)
    flat_cell = np.ravel_multi_index(tuple(cell_idx.T), tuple(int(c) for c in ncell))
    occupancy = np.bincount(flat_cell, minlength=int(np.prod(ncell)))
    arrays = {
        "types": types,
        "tp_table": tp_table,
        "group_of": group_of,
        "grp_ptr": grp_ptr,
        "grp_atoms": grp_atoms,
        "movable": order,
        "bond_ptr": ptr,
        "bond_j": partner,
        "bond_lo": lo,
        "bond_hi": hi,
        "dmin2": limit**2,
        "ncell": ncell,
        "offs": offs,
        "cap": np.array([2 * int(occupancy.max()) + 16]),
        "coef": np.concatenate(coefs),
        "chan": np.array(chan, dtype=np.int64),
        "amp": amp,
        "base": base,
        "y": y,
        "wgt": wgt,
        "scale": np.ones(nt),
        "kern": kern,
        "flat": np.array(flats),
        "chan_nab": np.concatenate(nabs),
        "ktap": np.full(len(chan), (kern.shape[1] - 1) // 2, dtype=np.int64),
        "extra": np.zeros((nt, nbins)),
        "hist": np.zeros((len(pair_list), nbins)),
    }
    params = {
        "seed": float(seed),
        "rmax_A": float(rmax),
        "dr_A": float(dr_A),
        "p_group": float(p_group if len(grp_ptr) > 1 else 0.0),
        "step_single_A": float(step_single_A),
        "step_group_A": float(step_group_A),
        "rot_group_deg": float(rot_group_deg),
        "fit_scale": float(fit_scale),
        "fit_slope": float(fit_slope),
        "kernel_tol": float(kernel_tol),
    }
    state = RMCState(species, lat.copy(), frac, arrays, list(targets), params)
    _set_base(state)
    state._rebuild()
    _truncate_kernels(state, kernel_tol)
    state.fit_scales()
    return state


_KERNEL_MAX_A = 6.0
"""Half-width of the peak functions before truncation, Å (capped at 0.45 rmax)."""


def _truncate_kernels(state: RMCState, tol: float) -> None:
    """Cut each channel's peak function to the shortest half-width meeting ``tol``.

    A Lorch-terminated peak function decays only as ~1/x² (its tail beyond 1 Å still holds
    ~4 % of its weight at Qmax 24 Å⁻¹), so the half-width is chosen on the model itself: for
    channel c the change of the model curve (its own peaks and its share of the constant
    term) between the full (``_KERNEL_MAX_A``) and the cut kernel must stay below
    tol / n_channels of the largest |model| of its data set in the fitted range. The
    measured error of the final model against the full one, relative to its largest value,
    is kept in ``params["kernel_error"]``; every move then costs 2 h_c + 1 taps per channel.
    """
    a = state.arrays
    kern, total, amp, flat, nab = a["kern"], a["total"], a["amp"], a["flat"], a["chan_nab"]
    hw = (kern.shape[1] - 1) // 2
    full = a["conv"].copy()
    taps = np.empty(len(a["chan"]), dtype=np.int64)
    per_set = np.bincount(a["chan"], minlength=len(state.targets))
    for c, q in enumerate(a["chan"]):
        sel = a["wgt"][q] > 0
        limit = tol / per_set[q] * float(np.abs(full[q][sel]).max())
        u = amp[q] * total[c]
        taps[c] = hw
        step = max(1, round(0.1 / state.params["dr_A"]))  # try every ~0.1 Å
        for h in range(step, hw, step):
            cut = kern[c].copy()
            cut[: hw - h] = 0.0
            cut[hw + h + 1 :] = 0.0
            rest = kern[c] - cut
            err = np.convolve(u, rest, mode="same") + flat[q] * nab[c] * rest.sum()
            if np.abs(err[sel]).max() <= limit:
                taps[c] = h
                break
    width = int(taps.max())
    kern = kern[:, hw - width : hw + width + 1].copy()
    for c, tap in enumerate(taps.tolist()):
        kern[c, : width - tap] = 0.0
        kern[c, width + tap + 1 :] = 0.0
    a["kern"], a["ktap"] = kern, taps
    _set_base(state)
    state._rebuild()
    rel = [
        float(np.abs(a["conv"][q] - full[q])[a["wgt"][q] > 0].max())
        / float(np.abs(full[q][a["wgt"][q] > 0]).max())
        for q in range(len(state.targets))
    ]
    state.params["kernel_error"] = max(rel)


def _set_base(state: RMCState) -> None:
    """Set the constant term of each model curve: its flat line times its kernel sums."""
    a = state.arrays
    base = np.zeros_like(a["base"])
    for c, q in enumerate(a["chan"]):
        # a line (or a constant) convolved with a symmetric kernel: times the kernel's sum
        base[q] += a["flat"][q] * a["chan_nab"][c] * a["kern"][c].sum()
    a["base"] = base


@dataclass(frozen=True)
class RMCSummary(Result):
    """Where an RMC refinement stands: agreement, acceptance, speed and chemistry kept."""

    source: str
    n_atoms: int
    moves: int
    chi2: float
    rw: float
    scale: float
    accept_single: float
    accept_group: float
    moves_per_s: float
    fraction_four_coordinated: float
    fraction_linkers_bridging: float
    method: ClassVar[str] = (
        "reverse Monte Carlo (McGreevy & Pusztai 1988) with RMCProfile-style constraints"
    )

    def report(self) -> str:
        """One paragraph for the console."""
        return (
            f"{self.source}: {self.n_atoms} atoms, {self.moves} moves, R_w {self.rw:.4f} "
            f"(χ² {self.chi2:.4g}, scale {self.scale:.4f}); acceptance single "
            f"{self.accept_single:.3f}, linker {self.accept_group:.3f}; {self.moves_per_s:.0f} "
            f"moves/s; 4-coordinated metals {self.fraction_four_coordinated:.3f}, linkers "
            f"bridging {self.fraction_linkers_bridging:.3f}"
        )


def summarise_rmc(state: RMCState, *, source: str = "RMC model") -> RMCSummary:
    """Summary of a state; coordination and bridging from an independent bond-graph analysis."""
    from mofglass.models.glass.analysis import analyse_model

    a = analyse_model(state.crystal(source))
    last = state.history[-1] if state.history else {}
    return RMCSummary(
        source=source,
        n_atoms=len(state.species),
        moves=state.moves_done,
        chi2=state.chi2(),
        rw=state.rw(0),
        scale=float(state.arrays["scale"][0]),
        accept_single=float(last.get("accept_single", float("nan"))),
        accept_group=float(last.get("accept_group", float("nan"))),
        moves_per_s=float(last.get("moves_per_s", float("nan"))),
        fraction_four_coordinated=float(a.fraction_four_coordinated.value),
        fraction_linkers_bridging=float(a.fraction_linkers_bridging.value),
    )
