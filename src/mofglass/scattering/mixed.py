"""Models that mix crystallites with other atoms (e.g. nanocrystals in a glass).

The pair histogram of such a model splits exactly into the pairs inside each crystallite (by
lattice sums, :func:`~mofglass.scattering.crystallites.lattice_pair_histogram`) and all other
pairs. For a finite model (:func:`mixed_pair_histogram`) the others are the pairs among the
other atoms (the all-pairs engine) and the cross pairs between the parts (all pairs, one type
pair at a time). For a periodic box (:func:`periodic_mixed_pair_histogram`, pairs up to rmax)
the others come from one cell-list pass over all atoms that leaves out the pairs inside one
crystallite (and skips whole cells of one crystallite), with the periodic boundary.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from mofglass._renamed import renamed_keywords
from mofglass.scattering import _engine
from mofglass.scattering.crystallites import Crystallite, _n_chunks, lattice_pair_histogram
from mofglass.scattering.pairs import PairHistogram, _class_table, _result, pair_histogram
from mofglass.structure import Crystal

__all__ = ["MixedPart", "mixed_pair_histogram", "periodic_mixed_pair_histogram"]

MixedPart = tuple[Crystallite, np.ndarray]
"""A crystallite and the shift (Å) that moves its atoms (relative to its centre) into place."""


def _type_keys(species: Sequence[str], uiso: np.ndarray) -> list[tuple[str, float]]:
    return [(str(s), round(float(u), 8)) for s, u in zip(species, uiso, strict=True)]


def mixed_pair_histogram(
    parts: Sequence[MixedPart],
    others: Crystal | None = None,
    *,
    dr_A: float = 0.01,
    spread: str = "bin",
) -> tuple[PairHistogram, list[tuple[str, float]]]:
    """All pair distances of crystallites placed among other atoms (a finite model).

    Parameters
    ----------
    parts : sequence of (Crystallite, shift)
        Each crystallite's atoms sit at ``positions_of(i) + shift`` (Å).
    others : Crystal, optional
        The remaining atoms (finite model, ``lattice_A`` None), e.g. a glass.
    dr_A, spread
        As :func:`mofglass.scattering.pairs.pair_histogram`.

    Returns
    -------
    PairHistogram
        Counts by type pair (network kind 0 only).
    list of (element, Uiso)
        The atom type of each type index.
    """
    if others is not None and others.lattice_A is not None:
        raise ValueError("the other atoms must form a finite model (lattice_A None)")
    types, sets = _atom_sets(parts, others)
    index = {k: n for n, k in enumerate(types)}
    n_types = len(types)
    _, class_types = _class_table(n_types)
    allpos = np.vstack([s[0] for s in sets])
    ext = float(np.linalg.norm(allpos.max(axis=0) - allpos.min(axis=0)))
    nb = int(np.ceil(ext / dr_A)) + 3
    mode = 0 if spread == "bin" else 1
    counts_all = np.zeros((len(class_types), 3, nb))
    type_weight = np.zeros(n_types)
    for (cr, _), (_, t_at, w_at) in zip(parts, sets, strict=False):
        t = _basis_types(cr.crystal, index)
        h = lattice_pair_histogram(cr, dr_A=dr_A, types=t, spread=spread, n_bins=nb)
        counts_all += _expand(h, class_types, t.max() + 1)
        type_weight += np.bincount(t_at, weights=w_at, minlength=n_types)
    if others is not None:
        pos, t_at, w_at = sets[-1]
        h = pair_histogram(pos, r_max_A=None, dr_A=dr_A, types=t_at, weights=w_at, spread=spread)
        m = min(nb, h.counts.shape[-1])
        counts_all[..., :m] += _expand(h, class_types, int(t_at.max()) + 1)[..., :m]
        type_weight += np.bincount(t_at, weights=w_at, minlength=n_types)
    # cross pairs between different parts
    for a in range(len(sets)):
        for b in range(a + 1, len(sets)):
            for c_idx, (ta, tb) in enumerate(class_types):
                for t1, t2 in {(ta, tb), (tb, ta)}:
                    counts_all[c_idx, 0] += _cross(sets[a], sets[b], t1, t2, dr_A, nb, mode)
    return _result(counts_all, dr_A, class_types, type_weight, None, spread), types


def _atom_sets(
    parts: Sequence[MixedPart], others: Crystal | None
) -> tuple[list[tuple[str, float]], list[tuple[np.ndarray, np.ndarray, np.ndarray]]]:
    """Atom types (element, Uiso) of all parts, and each part's (positions, types, weights)."""
    keys: list[tuple[str, float]] = []
    for cr, _ in parts:
        keys += _type_keys(cr.crystal.species, cr.crystal.uiso_A2)
    if others is not None:
        keys += _type_keys(others.species, others.uiso_A2)
    types = sorted(set(keys))
    index = {k: n for n, k in enumerate(types)}
    sets: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    for cr, shift in parts:
        c = cr.crystal
        t = _basis_types(c, index)
        counts = cr.site_counts
        pos = np.vstack([cr.positions_of(i) for i in range(c.n_atoms)]) + np.asarray(shift)
        sets.append((pos, np.repeat(t, counts), np.repeat(c.occupancy, counts)))
    if others is not None:
        sets.append((others.positions_A, _basis_types(others, index), others.occupancy))
    return types, sets


def _basis_types(c: Crystal, index: dict[tuple[str, float], int]) -> np.ndarray:
    return np.array([index[k] for k in _type_keys(c.species, c.uiso_A2)], dtype=np.int64)


@renamed_keywords(rmax_A="r_max_A")
def periodic_mixed_pair_histogram(
    parts: Sequence[MixedPart],
    others: Crystal | None,
    lattice_A: np.ndarray,
    *,
    r_max_A: float,
    dr_A: float = 0.01,
    spread: str = "bin",
) -> tuple[PairHistogram, list[tuple[str, float]]]:
    """Pair distances below rmax of a periodic box holding crystallites among other atoms.

    Parameters
    ----------
    parts : sequence of (Crystallite, shift)
        Each crystallite's atoms sit at ``positions_of(i) + shift`` (Å, anywhere: they are
        wrapped into the box).
    others : Crystal, optional
        The remaining atoms (e.g. the glass), Cartesian positions in the same box.
    lattice_A : ndarray, shape (3, 3)
        Box vectors as rows, Å.
    r_max_A : float
        Largest distance, Å; it must be below the box's smallest width minus the largest
        crystallite diameter, so that no crystallite meets its own periodic image within rmax.
    dr_A, spread
        As :func:`mofglass.scattering.pairs.pair_histogram`.

    Returns
    -------
    PairHistogram
        Counts by type pair (network kind 0), per box, with the box volume: the same as
        ``pair_histogram(all atoms, r_max_A=r_max_A, lattice_A=lattice_A)``.
    list of (element, Uiso)
        The atom type of each type index.

    References
    ----------
    .. [1] M. P. Allen, D. J. Tildesley, Computer Simulation of Liquids, 2nd ed. (2017), §5.3
       (cell lists); P. Debye, Ann. Phys. 351, 809 (1915) and A. Guinier, X-Ray Diffraction
       (1963), §5 (pair counts of a crystallite as overlaps of its occupancy).
    """
    from mofglass.scattering.pairs import _perp_widths

    lat = np.asarray(lattice_A, dtype=float).reshape(3, 3)
    widest = max((2.0 * cr.shape.bounding_radius_A for cr, _ in parts), default=0.0)
    if not r_max_A < float(_perp_widths(lat).min()) - widest:
        raise ValueError(
            f"rmax {r_max_A:g} Å must be below the box width minus the largest crystallite "
            f"({float(_perp_widths(lat).min()):.1f} - {widest:.1f} Å)"
        )
    types, sets = _atom_sets(parts, others)
    index = {k: n for n, k in enumerate(types)}
    _, class_types = _class_table(len(types))
    pos = np.vstack([p for p, _, _ in sets])
    t_at = np.concatenate([t for _, t, _ in sets])
    w_at = np.concatenate([w for _, _, w in sets])
    groups = np.concatenate(
        [np.full(len(p), k if k < len(parts) else -1) for k, (p, _, _) in enumerate(sets)]
    )
    h = pair_histogram(
        pos, r_max_A=r_max_A, dr_A=dr_A, types=t_at, weights=w_at, lattice_A=lat,
        spread=spread, groups=groups,
    )  # fmt: skip
    counts = _expand(h, class_types, int(t_at.max()) + 1)
    done: dict[str, np.ndarray] = {}
    for cr, _ in parts:
        t = _basis_types(cr.crystal, index)
        key = _congruence_key(cr, t)
        if key not in done:
            # pairs below rmax are few per basis pair: symmetry classes would cost more
            lh = lattice_pair_histogram(
                cr, dr_A=dr_A, types=t, spread=spread, r_max_A=r_max_A,
                n_bins=counts.shape[-1], symmetry=False,
            )  # fmt: skip
            done[key] = _expand(lh, class_types, int(t.max()) + 1)
        counts += done[key]
    type_weight = np.bincount(t_at, weights=w_at, minlength=len(types)).astype(float)
    volume = float(abs(np.linalg.det(lat)))
    return _result(counts, dr_A, class_types, type_weight, volume, spread), types


def _congruence_key(cr: Crystallite, types: np.ndarray) -> str:
    """Key crystallites by masks, basis and lattice metric.

    Crystallites with the same key (e.g. rotated copies) have the same pair histogram.
    """
    import hashlib

    lat = np.asarray(cr.crystal.lattice_A)
    h = hashlib.blake2b(digest_size=16)
    for arr in (cr.masks, cr.origin, cr.crystal.frac, cr.crystal.occupancy, types):
        h.update(np.ascontiguousarray(arr).tobytes())
    h.update(np.round(lat @ lat.T, 9).tobytes())
    return h.hexdigest()


def _expand(h: PairHistogram, class_types: np.ndarray, n_local: int) -> np.ndarray:
    """Place the counts of a histogram over types 0..n_local-1 in the classes of all types."""
    out = np.zeros((len(class_types), 3, h.counts.shape[-1]))
    lookup = {(int(a), int(b)): k for k, (a, b) in enumerate(class_types)}
    for k, (a, b) in enumerate(h.class_types):
        if a < n_local and b < n_local:
            out[lookup[(int(a), int(b))]] += h.counts[k]
    return out


Atoms = tuple[np.ndarray, np.ndarray, np.ndarray]


def _cross(sa: Atoms, sb: Atoms, t1: int, t2: int, dr: float, nb: int, mode: int) -> np.ndarray:
    pa, ta, wa = sa
    pb, tb, wb = sb
    ia = np.nonzero(ta == t1)[0]
    ib = np.nonzero(tb == t2)[0]
    if ia.size == 0 or ib.size == 0:
        return np.zeros(nb)
    xa, ya, za = (np.ascontiguousarray(pa[ia, k]) for k in range(3))
    xb, yb, zb = (np.ascontiguousarray(pb[ib, k]) for k in range(3))
    return np.asarray(
        _engine.hist_cross(
            xa, ya, za, wa[ia], xb, yb, zb, wb[ib], False, float(dr), nb, mode, _n_chunks()
        )
    )
