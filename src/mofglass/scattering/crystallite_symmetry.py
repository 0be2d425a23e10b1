"""Symmetry of a crystallite: basis-atom pairs that give the same pair histogram.

A symmetry operation g = (W, w) of the lattice that fixes the crystallite's centre sends every
pair (i in cell n, j in cell m) to a pair at the same distance. When g maps basis atoms i and j
exactly onto basis atoms π(i) and π(j), and the crystallite's copies of each onto the copies of
its image (checked exactly on the masks), the histogram of basis pair {i, j} equals that of
{π(i), π(j)}: g need not be a symmetry of the whole basis. Pairs linked this way form classes,
and one representative of each class, counted with the class size, gives the whole histogram.
Candidate operations come from spglib on the basis (atoms told apart by type, occupancy and
network label) and on its heavy atoms (without H), so a few symmetry-breaking atoms (ordered
methyl H of ZIF-8) cost only the pairs they take part in. Nothing is symmetrised: the result is
the same as summing all pairs.

References
----------
.. [1] A. Togo, I. Tanaka, spglib, arXiv:1808.01590 (2018).
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from mofglass.structure import Crystal

__all__ = ["EXACT_FRAC", "pair_orbits", "symmetrized"]

#: An operation is used only if it maps every basis atom onto another to this many fractional
#: units (about 1e-12 Å): a pair distance then moves by far less than the round-off of the
#: all-pairs route's own distances, so the histogram stays the same to round-off.
EXACT_FRAC = 1e-13


def _operations(
    frac: np.ndarray, lat: np.ndarray, numbers: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    import spglib

    cell: Any = (lat, frac % 1.0, numbers)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        sym = spglib.get_symmetry(cell, symprec=1e-4)
    if sym is None:
        return np.eye(3, dtype=int)[None], np.zeros((1, 3))
    return np.asarray(sym["rotations"]), np.asarray(sym["translations"])


def symmetrized(crystal: Crystal, *, symprec_A: float = 1e-3) -> Crystal:
    """Return the crystal with exactly symmetric positions (spglib's standardised conventional cell).

    Files with rounded coordinates (e.g. P1 exports) are symmetric only to ~1e-3 Å, which the
    exact pair-orbit test rejects; this gives the ideal structure (rotated to the standard
    setting; occupancy, Uiso and labels taken from the first atom of each species).
    """
    import spglib

    lat = crystal.lattice_A
    if lat is None:
        raise ValueError("symmetrized needs a periodic structure")
    el, numbers = np.unique(np.asarray(crystal.species, dtype=str), return_inverse=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        cell: Any = (lat, crystal.frac % 1.0, numbers.ravel() + 1)
        out = spglib.standardize_cell(cell, to_primitive=False, symprec=symprec_A)
    if out is None:
        raise ValueError("spglib found no symmetry")
    new_lat, new_frac, new_num = (np.asarray(v) for v in out)
    first = {int(k): int(np.argmax(numbers.ravel() == k)) for k in range(el.size)}
    idx = [first[int(k) - 1] for k in new_num]
    species = [str(el[int(k) - 1]) for k in new_num]
    return Crystal.from_fractional(
        species,
        new_frac,
        new_lat,
        occupancy=crystal.occupancy[idx],
        uiso_A2=crystal.uiso_A2[idx],
        source=f"{crystal.source} (symmetrized)",
    )


def _partial_permutation(
    frac: np.ndarray, rot: np.ndarray, trans: np.ndarray, numbers: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """π(i) and integer shift s_i with W f_i + w = f_π(i) + s_i exactly; π(i) = -1 where none.

    Parameters
    ----------
    frac : ndarray, shape (n_basis, 3)
        Fractional positions of the basis atoms.
    rot, trans : ndarray
        Rotation (3, 3, integer) and translation (3,) of the operation, fractional.
    numbers : ndarray of int, shape (n_basis,)
        Kind of each basis atom (an atom maps only onto one of the same kind).

    Returns
    -------
    perm : ndarray of int
        Image of each basis atom, -1 when its image is no basis atom (to ``EXACT_FRAC``).
    shift : ndarray of int, shape (n_basis, 3)
        Lattice shift of each image.
    """
    img = frac @ rot.T + trans
    diff = img[:, None, :] - frac[None, :, :]
    near = np.all(np.abs(diff - np.round(diff)) < EXACT_FRAC, axis=2) & (
        numbers[:, None] == numbers[None, :]
    )
    perm = np.where(near.sum(axis=1) == 1, np.argmax(near, axis=1), -1)
    shift = np.round(img - frac[np.maximum(perm, 0)]).astype(np.int64)
    return perm, shift


def _candidate_operations(
    frac: np.ndarray, lat: np.ndarray, numbers: np.ndarray, heavy: np.ndarray | None
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Operations of the basis and, when it has fewer, of its heavy-atom part (no H)."""
    ops = list(zip(*_operations(frac, lat, numbers), strict=True))
    if heavy is not None and 0 < heavy.sum() < heavy.size:
        sub = list(zip(*_operations(frac[heavy], lat, numbers[heavy]), strict=True))
        if len(sub) > len(ops):
            ops = sub
    return ops


def pair_orbits(
    masks: np.ndarray,
    origin: np.ndarray,
    frac: np.ndarray,
    lat: np.ndarray,
    centre_frac: np.ndarray,
    numbers: np.ndarray,
    pairs_i: np.ndarray,
    pairs_j: np.ndarray,
    *,
    heavy: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, int]:
    """Orbit representatives among the basis pairs (i <= j) and their orbit sizes.

    An operation g (W, w) of the lattice that fixes the centre need not be a symmetry of the
    whole basis: whenever it maps basis atom i exactly onto a basis atom π(i) and the
    crystallite's copies of i onto those of π(i) (checked on the masks), and the same for j, the
    isometry g maps every pair (copy of i, copy of j) onto a pair (copy of π(i), copy of π(j))
    at the same distance, so the two basis pairs have the same histogram. Pairs linked by such
    maps form classes (connected components); one representative per class, counted with the
    class size, gives the exact histogram. This keeps most of the reduction for a basis whose
    symmetry is broken by a few atoms (e.g. ordered methyl H in ZIF-8).

    Parameters
    ----------
    masks : ndarray of bool, shape (n_basis, g1, g2, g3)
        Occupancy masks of the crystallite.
    origin : ndarray of int, shape (3,)
        Lattice index of mask cell (0, 0, 0).
    frac : ndarray, shape (n_basis, 3)
        Fractional positions of the basis atoms.
    lat : ndarray, shape (3, 3)
        Lattice vectors as rows, Å.
    centre_frac : ndarray, shape (3,)
        Centre of the crystallite, fractional.
    numbers : ndarray of int, shape (n_basis,)
        Kind of each basis atom (type, network, occupancy): atoms map only within a kind.
    pairs_i, pairs_j : ndarray of int
        The basis pairs (i <= j, sorted by i n_basis + j) to reduce.
    heavy : ndarray of bool, optional
        Atoms whose symmetry also gives candidate operations (default: all).

    Returns
    -------
    keep : ndarray of int
        Indices into ``pairs_i``/``pairs_j`` of one representative per class.
    multiplicity : ndarray of float
        Class size of each representative.
    n_ops : int
        Number of operations that map at least one basis atom (1: the identity only).
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    n_b = frac.shape[0]
    g = np.array(masks.shape[1:])
    occupied = [np.argwhere(masks[i]) for i in range(n_b)]
    code = pairs_i * n_b + pairs_j
    if np.any(np.diff(code) <= 0):
        raise ValueError("pairs must be sorted and unique")
    src: list[np.ndarray] = []
    dst: list[np.ndarray] = []
    n_ops = 1
    for rot, tr in _candidate_operations(frac, lat, numbers, heavy):
        moved = rot @ centre_frac + tr - centre_frac
        if np.any(np.abs(moved - np.round(moved)) > 1e-6):
            continue  # does not fix the centre
        if np.all(rot == np.eye(3)):
            continue  # the identity (a pure translation does not fix the centre)
        perm, shift = _partial_permutation(frac, rot, tr - np.round(moved), numbers)
        for i in np.nonzero(perm >= 0)[0]:
            if not _maps_atom(masks, origin, occupied, rot, int(i), int(perm[i]), shift[i], g):
                perm[i] = -1
        a, b = perm[pairs_i], perm[pairs_j]
        ok = (a >= 0) & (b >= 0)
        if not ok.any():
            continue
        n_ops += 1
        img = np.minimum(a[ok], b[ok]) * n_b + np.maximum(a[ok], b[ok])
        pos = np.searchsorted(code, img)
        found = (pos < code.size) & (code[np.minimum(pos, code.size - 1)] == img)
        src.append(np.nonzero(ok)[0][found])
        dst.append(pos[found])
    m = code.size
    if not src:
        return np.arange(m), np.ones(m), 1
    s, d = np.concatenate(src), np.concatenate(dst)
    graph = coo_matrix((np.ones(s.size), (s, d)), shape=(m, m))
    _, comp = connected_components(graph, directed=False)
    # representative: the first pair of each class
    reps, first, mult = np.unique(comp, return_index=True, return_counts=True)
    del reps
    return first.astype(np.int64), mult.astype(float), n_ops


def _maps_atom(
    masks: np.ndarray,
    origin: np.ndarray,
    occupied: list[np.ndarray],
    rot: np.ndarray,
    i: int,
    j: int,
    shift: np.ndarray,
    g: np.ndarray,
) -> bool:
    """Every occupied cell n of atom i goes to an occupied cell W (origin + n) + s_i of atom j."""
    cells = occupied[i]
    if occupied[j].shape[0] != cells.shape[0]:
        return False
    if cells.shape[0] == 0:
        return True
    img = (cells + origin) @ rot.T + shift - origin
    if np.any(img < 0) or np.any(img >= g):
        return False
    return bool(masks[j][img[:, 0], img[:, 1], img[:, 2]].all())
