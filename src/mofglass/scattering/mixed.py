"""Finite models that mix crystallites with other atoms (e.g. nanocrystals in a glass).

The pair histogram of such a model splits exactly into: the pairs inside each crystallite (by
lattice sums, :func:`~mofglass.scattering.crystallites.lattice_pair_histogram`), the pairs among
the other atoms (the all-pairs engine) and the cross pairs between the parts (crystallite-other
and crystallite-crystallite, all pairs, one type pair at a time). Only the first term, which
dominates for large crystallites, avoids the N² pair loop.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from mofglass.scattering import _engine
from mofglass.scattering.crystallites import Crystallite, lattice_pair_histogram
from mofglass.scattering.pairs import PairHistogram, _class_table, _result, pair_histogram
from mofglass.structure import Crystal

__all__ = ["MixedPart", "mixed_pair_histogram"]

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
    keys: list[tuple[str, float]] = []
    for cr, _ in parts:
        keys += _type_keys(cr.crystal.species, cr.crystal.uiso_A2)
    if others is not None:
        if others.lattice_A is not None:
            raise ValueError("the other atoms must form a finite model (lattice_A None)")
        keys += _type_keys(others.species, others.uiso_A2)
    types = sorted(set(keys))
    index = {k: n for n, k in enumerate(types)}
    n_types = len(types)
    _, class_types = _class_table(n_types)
    # every atom of every part as (positions, types, weights), for the cross terms and the size
    sets: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    for cr, shift in parts:
        c = cr.crystal
        t = np.array([index[k] for k in _type_keys(c.species, c.uiso_A2)], dtype=np.int64)
        counts = cr.site_counts
        pos = np.vstack([cr.positions_of(i) for i in range(c.n_atoms)]) + np.asarray(shift)
        sets.append((pos, np.repeat(t, counts), np.repeat(c.occupancy, counts)))
    if others is not None:
        t = np.array([index[k] for k in _type_keys(others.species, others.uiso_A2)], dtype=np.int64)
        sets.append((others.positions_A, t, others.occupancy))
    allpos = np.vstack([s[0] for s in sets])
    ext = float(np.linalg.norm(allpos.max(axis=0) - allpos.min(axis=0)))
    nb = int(np.ceil(ext / dr_A)) + 3
    mode = 0 if spread == "bin" else 1
    counts_all = np.zeros((len(class_types), 3, nb))
    type_weight = np.zeros(n_types)
    for (cr, _), (_, t_at, w_at) in zip(parts, sets, strict=False):
        c = cr.crystal
        t = np.array([index[k] for k in _type_keys(c.species, c.uiso_A2)], dtype=np.int64)
        h = lattice_pair_histogram(cr, dr_A=dr_A, types=t, spread=spread, n_bins=nb)
        counts_all += _expand(h, class_types, t.max() + 1)
        type_weight += np.bincount(t_at, weights=w_at, minlength=n_types)
    if others is not None:
        pos, t_at, w_at = sets[-1]
        h = pair_histogram(pos, rmax_A=None, dr_A=dr_A, types=t_at, weights=w_at, spread=spread)
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


def _expand(h: PairHistogram, class_types: np.ndarray, n_local: int) -> np.ndarray:
    """Counts of a histogram over types 0..n_local-1 placed in the classes of all types."""
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


def _n_chunks() -> int:
    import numba

    return int(numba.get_num_threads())
