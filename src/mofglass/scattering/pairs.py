"""Pair-distance histograms of periodic or finite atom sets, by atom-type pair and network kind.

This is the public face of the pair engine (:mod:`mofglass.scattering._engine`): one pass over
all pairs up to ``r_max_A`` fills a histogram per (type pair, network kind), with a cell list whose
cost is linear in N at fixed ``r_max_A`` and whose memory is linear in N plus the histogram.
Periodic boxes may be triclinic and smaller than ``2 r_max_A``: every periodic image within
``r_max_A`` is counted.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from mofglass._renamed import renamed_keywords
from mofglass.scattering import _engine

__all__ = ["KINDS", "PairHistogram", "pair_histogram"]

KINDS = ("intra", "inter", "other")
"""Network kinds of a pair: same network, different networks, at least one non-framework atom."""


@dataclass(frozen=True, eq=False)
class PairHistogram:
    """Weighted counts of unordered atom pairs by distance.

    Attributes
    ----------
    r_A : ndarray, shape (n_bins,)
        Bin centres (``spread="bin"``) or grid nodes (``spread="linear"``), Å.
    dr_A : float
        Bin width, Å.
    counts : ndarray, shape (n_classes, 3, n_bins)
        Σ w_i w_j over unordered pairs (each pair and each periodic image once), by type-pair
        class and network kind (:data:`KINDS`), summed over frames.
    class_types : ndarray, shape (n_classes, 2)
        The two atom types (a <= b) of each class.
    type_weight : ndarray, shape (n_types,)
        Σ w over the atoms of each type, per frame (averaged over frames).
    volume_A3 : float or None
        Box volume (periodic), per frame average; None for finite models.
    n_frames : int
        Number of frames summed into ``counts``.
    spread : str
        ``"bin"`` or ``"linear"``.
    """

    r_A: np.ndarray
    dr_A: float
    counts: np.ndarray
    class_types: np.ndarray
    type_weight: np.ndarray
    volume_A3: float | None
    n_frames: int = 1
    spread: str = "bin"

    @property
    def n_atoms(self) -> float:
        """Σ w over all atoms (per frame)."""
        return float(self.type_weight.sum())

    def per_frame(self) -> np.ndarray:
        """Return the counts per frame, shape (n_classes, 3, n_bins)."""
        return self.counts / self.n_frames

    def combine(self, other: PairHistogram) -> PairHistogram:
        """Sum of two histograms on the same grid and types (frame averaging)."""
        if other.counts.shape != self.counts.shape or other.dr_A != self.dr_A:
            raise ValueError("histograms differ in grid or classes")
        n = self.n_frames + other.n_frames
        vol = None
        if self.volume_A3 is not None and other.volume_A3 is not None:
            vol = (self.volume_A3 * self.n_frames + other.volume_A3 * other.n_frames) / n
        tw = (self.type_weight * self.n_frames + other.type_weight * other.n_frames) / n
        return PairHistogram(
            self.r_A,
            self.dr_A,
            self.counts + other.counts,
            self.class_types,
            tw,
            vol,
            n,
            self.spread,
        )


def _class_table(n_types: int) -> tuple[np.ndarray, np.ndarray]:
    ctab = np.zeros((n_types, n_types), dtype=np.int64)
    pairs = []
    for c, (a, b) in enumerate(itertools.combinations_with_replacement(range(n_types), 2)):
        ctab[a, b] = ctab[b, a] = c
        pairs.append((a, b))
    return ctab, np.array(pairs, dtype=np.int64).reshape(-1, 2)


def _perp_widths(lat: np.ndarray) -> np.ndarray:
    vol = abs(np.linalg.det(lat))
    return np.array(
        [vol / np.linalg.norm(np.cross(lat[(k + 1) % 3], lat[(k + 2) % 3])) for k in range(3)]
    )


def _cell_offsets(lat: np.ndarray, grid: np.ndarray, rmax: float, periodic: bool) -> np.ndarray:
    """Half-shell of cell offsets whose cells can hold a pair closer than rmax; (0,0,0) first."""
    cell = lat / grid[:, None]
    widths = _perp_widths(cell)
    diag = max(
        np.linalg.norm(s0 * cell[0] + s1 * cell[1] + cell[2]) for s0 in (-1, 1) for s1 in (-1, 1)
    )
    m = np.ceil(rmax / widths).astype(int) + 1
    if not periodic:
        m = np.minimum(m, grid - 1)
    axes = [np.arange(-k, k + 1) for k in m]
    d = np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, 3)
    half = (d[:, 2] > 0) | ((d[:, 2] == 0) & ((d[:, 1] > 0) | ((d[:, 1] == 0) & (d[:, 0] > 0))))
    d = d[half]
    near = np.linalg.norm(d @ cell, axis=1) - diag < rmax
    d = d[near]
    return np.vstack([np.zeros((1, 3), dtype=np.int64), d.astype(np.int64)])


def _strips(offsets: np.ndarray) -> np.ndarray:
    """Group half-shell offsets (first row (0,0,0)) into x-strips (dy, dz, dx_min, dx_max)."""
    rows = [(0, 0, 0, 0)]
    rest = offsets[1:]
    keys = rest[:, 1:]
    for dy, dz in np.unique(keys, axis=0):
        dx = rest[(keys[:, 0] == dy) & (keys[:, 1] == dz), 0]
        rows.append((int(dy), int(dz), int(dx.min()), int(dx.max())))
    return np.array(rows, dtype=np.int64)


@renamed_keywords(rmax_A="r_max_A")
def pair_histogram(
    positions_A: np.ndarray,
    *,
    r_max_A: float | None,
    dr_A: float = 0.01,
    types: np.ndarray | None = None,
    labels: np.ndarray | None = None,
    weights: np.ndarray | None = None,
    lattice_A: np.ndarray | None = None,
    spread: str = "bin",
    atoms_per_cell: float | None = None,
    groups: np.ndarray | None = None,
) -> PairHistogram:
    """Histogram all pair distances below ``r_max_A`` in one pass.

    Parameters
    ----------
    positions_A : ndarray, shape (N, 3)
        Cartesian positions, Å.
    r_max_A : float or None
        Largest distance. None (finite models only): all pairs.
    dr_A : float
        Bin width, Å.
    types : ndarray of int, shape (N,), optional
        Atom type 0..n_types-1 (e.g. element index); pairs are split by unordered type pair.
    labels : ndarray of int, shape (N,), optional
        Network index per atom, -1 for atoms outside any network (see
        ``mofglass.structure.network_labels``). Labels must be the same for an atom and its
        periodic images.
    weights : ndarray, shape (N,), optional
        Occupancy per atom; a pair counts w_i w_j.
    lattice_A : ndarray, shape (3, 3), optional
        Periodic box vectors as rows; None for an open (finite) model.
    spread : {"bin", "linear"}
        Count each pair in its bin, or spread it linearly onto the two nearest nodes k·dr
        (used by the histogram Debye route, error O((Q dr)²)).
    atoms_per_cell : float, optional
        Target mean occupancy of a cell-list cell (speed only); default 24 for orthogonal
        boxes (whose strips are trimmed per atom) and 6 otherwise.
    groups : ndarray of int, shape (N,), optional
        Pairs of two atoms in the same group >= 0 are left out (-1: no group), e.g. the pairs
        inside a crystallite that lattice sums give (cell-list route, finite ``r_max_A`` only).

    Returns
    -------
    PairHistogram

    Notes
    -----
    Cost is O(N ρ rmax³) with a cell list (cells of edge ≈ (atoms_per_cell/ρ)^(1/3)); the half
    shell of cell offsets visits every unordered pair once. Finite models with ``r_max_A=None``
    go through a row-balanced all-pairs loop, O(N²). Memory is O(N) plus
    n_threads x n_classes x 3 x n_bins.

    References
    ----------
    .. [1] M. P. Allen, D. J. Tildesley, Computer Simulation of Liquids, 2nd ed. (2017), §5.3
       (cell lists) and §8.2 (pair distribution functions).
    """
    pos = np.ascontiguousarray(positions_A, dtype=float).reshape(-1, 3)
    n = pos.shape[0]
    t = np.zeros(n, dtype=np.int64) if types is None else np.asarray(types, dtype=np.int64)
    lab = np.zeros(n, dtype=np.int64) if labels is None else np.asarray(labels, dtype=np.int64)
    w = np.ones(n) if weights is None else np.asarray(weights, dtype=float)
    if t.shape != (n,) or lab.shape != (n,) or w.shape != (n,):
        raise ValueError("types, labels and weights need one value per atom")
    if spread not in ("bin", "linear"):
        raise ValueError("spread must be 'bin' or 'linear'")
    grp = np.full(n, -1, dtype=np.int64) if groups is None else np.asarray(groups, np.int64)
    if grp.shape != (n,):
        raise ValueError("groups need one value per atom")
    if groups is not None and r_max_A is None:
        raise ValueError("groups need a finite r_max_A (cell-list route)")
    mode = 0 if spread == "bin" else 1
    n_types = int(t.max()) + 1 if n else 1
    ctab, class_types = _class_table(n_types)
    type_weight = np.bincount(t, weights=w, minlength=n_types).astype(float)
    periodic = lattice_A is not None

    if r_max_A is None:
        if periodic:
            raise ValueError("a periodic box needs a finite r_max_A")
        ext = float(np.linalg.norm(pos.max(axis=0) - pos.min(axis=0))) if n else 0.0
        nb = int(np.ceil(ext / dr_A)) + 3
        # spatial order (cells of 4 Å): consecutive j have similar distances from i, so the
        # histogram writes stay in cache
        cell = np.floor((pos - pos.min(axis=0)) / 4.0).astype(np.int64) if n else np.zeros((0, 3))
        order = np.lexsort((cell[:, 0], cell[:, 1], cell[:, 2])) if n else np.arange(0)
        if labels is None:
            # one type pair at a time: its histogram stays in cache
            counts = np.zeros((len(class_types), 3, nb))
            sets = [order[t[order] == k] for k in range(n_types)]
            for c, (a, b) in enumerate(class_types):
                xa, ya, za = (np.ascontiguousarray(pos[sets[a], k]) for k in range(3))
                xb, yb, zb = (np.ascontiguousarray(pos[sets[b], k]) for k in range(3))
                counts[c, 0] = _engine.hist_cross(
                    xa,
                    ya,
                    za,
                    w[sets[a]],
                    xb,
                    yb,
                    zb,
                    w[sets[b]],
                    bool(a == b),
                    float(dr_A),
                    nb,
                    mode,
                    _n_chunks(),
                )
            return _result(counts, dr_A, class_types, type_weight, None, spread)
        x, y, z = (np.ascontiguousarray(pos[order, k]) for k in range(3))
        counts = _engine.hist_all(
            x,
            y,
            z,
            t[order],
            lab[order],
            w[order],
            ctab,
            float(dr_A),
            nb,
            mode,
            len(class_types),
            _n_chunks(),
        )
        return _result(counts, dr_A, class_types, type_weight, None, spread)

    rmax = float(r_max_A)
    nb = int(np.ceil(rmax / dr_A)) + (1 if mode else 0)
    if periodic:
        lat = np.asarray(lattice_A, dtype=float).reshape(3, 3)
        frac = pos @ np.linalg.inv(lat)
        frac -= np.floor(frac)
        frac[frac >= 1.0] = 0.0
        volume = float(abs(np.linalg.det(lat)))
        origin = np.zeros(3)
    else:
        lo = pos.min(axis=0)
        ext = np.maximum(pos.max(axis=0) - lo, 1e-6) * (1 + 1e-9)
        lat = np.diag(ext)
        frac = (pos - lo) / ext
        volume = None
        origin = lo.astype(float)
    box_vol = float(abs(np.linalg.det(lat)))
    rho = max(n / box_vol, 1e-12)
    scale = float(np.abs(lat).max())
    trim = bool(np.allclose(lat, np.diag(np.diag(lat)), rtol=0.0, atol=1e-12 * scale))
    apc = atoms_per_cell if atoms_per_cell is not None else (24.0 if trim else 6.0)
    h = max((apc / rho) ** (1.0 / 3.0), rmax / 12.0)
    grid = np.maximum(1, np.floor(_perp_widths(lat) / h)).astype(np.int64)
    idx = np.minimum((frac * grid).astype(np.int64), grid - 1)
    lin = (idx[:, 2] * grid[1] + idx[:, 1]) * grid[0] + idx[:, 0]
    order = np.argsort(lin, kind="stable")
    cell_start = np.zeros(int(grid.prod()) + 1, dtype=np.int64)
    np.cumsum(np.bincount(lin, minlength=int(grid.prod())), out=cell_start[1:])
    spos = np.ascontiguousarray((frac @ lat)[order] if periodic else pos[order])
    strips = _strips(_cell_offsets(lat, grid, rmax, periodic))
    x, y, z = (np.ascontiguousarray(spos[:, k]) for k in range(3))
    max_cell = int(np.diff(cell_start).max()) if n else 1
    longest = int((strips[:, 3] - strips[:, 2]).max()) + 1
    max_run = max(1, max_cell * min(int(grid[0]), longest))
    sg = grp[order]
    g_lo = np.full(int(grid.prod()), -1, dtype=np.int64)
    g_hi = np.full(int(grid.prod()), -2, dtype=np.int64)
    if n:
        np.maximum.at(g_hi, lin[order], sg)
        g_lo[:] = g_hi
        np.minimum.at(g_lo, lin[order], sg)
    cell_group = np.where((g_lo == g_hi) & (g_lo >= 0), g_lo, -1)
    counts = _engine.hist_cells(
        x,
        y,
        z,
        cell_start,
        grid,
        lat,
        periodic,
        strips,
        t[order],
        lab[order],
        w[order],
        ctab,
        rmax,
        float(dr_A),
        nb,
        mode,
        len(class_types),
        _n_chunks(),
        max_run,
        origin,
        trim,
        sg,
        cell_group,
    ).reshape(len(class_types), 3, nb)
    return _result(counts, dr_A, class_types, type_weight, volume, spread)


def _n_chunks() -> int:
    """Give a fixed number of partial histograms, summed in a fixed order.

    The result then does not depend on how many threads numba runs (serial, Dask workers,
    OMP_NUM_THREADS=1 give the same bytes); the threads share the chunks.
    """
    return _N_CHUNKS


_N_CHUNKS = 8


def _result(
    counts: np.ndarray,
    dr: float,
    class_types: np.ndarray,
    type_weight: np.ndarray,
    volume: float | None,
    spread: str,
) -> PairHistogram:
    nb = counts.shape[-1]
    k = np.arange(nb, dtype=float)
    r = k * dr if spread == "linear" else (k + 0.5) * dr
    return PairHistogram(r, float(dr), counts, class_types, type_weight, volume, 1, spread)
