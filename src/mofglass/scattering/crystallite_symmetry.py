"""Symmetry of a crystallite: basis-atom pairs that give the same pair histogram.

A symmetry operation g = (W, w) of the crystal that fixes the crystallite's centre and maps the
crystallite's atoms onto themselves sends every pair (i in cell n, j in cell m) to a pair
(π(i), π(j)) at the same distance. The histogram of basis pair {i, j} therefore equals that of
{π(i), π(j)}, and one representative of each orbit of basis pairs, counted with the orbit's size,
gives the whole histogram. Operations are found by spglib on the basis with atoms told apart by
(type, occupancy, network label); each is kept only if it maps every occupied cell of every
basis atom onto an occupied cell of its image (checked exactly on the masks), so the result is
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
    """The crystal with exactly symmetric positions (spglib's standardised conventional cell).

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


def _permutation(
    frac: np.ndarray, rot: np.ndarray, trans: np.ndarray, numbers: np.ndarray
) -> tuple[np.ndarray, np.ndarray] | None:
    """π(i) and integer shift s_i with W f_i + w = f_π(i) + s_i, or None."""
    img = frac @ rot.T + trans
    diff = img[:, None, :] - frac[None, :, :]
    near = np.all(np.abs(diff - np.round(diff)) < EXACT_FRAC, axis=2) & (
        numbers[:, None] == numbers[None, :]
    )
    if not np.all(near.sum(axis=1) == 1):
        return None
    perm = np.argmax(near, axis=1)
    if np.unique(perm).size != perm.size:
        return None
    shift = np.round(img - frac[perm]).astype(np.int64)
    # the shift must be exact: the image sits on the site itself, not merely close to it
    return perm, shift


def pair_orbits(
    masks: np.ndarray,
    origin: np.ndarray,
    frac: np.ndarray,
    lat: np.ndarray,
    centre_frac: np.ndarray,
    numbers: np.ndarray,
    pairs_i: np.ndarray,
    pairs_j: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, int]:
    """Orbit representatives among the basis pairs (i <= j) and their orbit sizes.

    Returns
    -------
    keep : ndarray of int
        Indices into ``pairs_i``/``pairs_j`` of one representative per orbit.
    multiplicity : ndarray of float
        Orbit size of each representative.
    n_ops : int
        Number of symmetry operations of the crystallite used (1: none but the identity).
    """
    n_b = frac.shape[0]
    g = np.array(masks.shape[1:])
    rots, trans = _operations(frac, lat, numbers)
    perms = []
    occupied = [np.argwhere(masks[i]) for i in range(n_b)]
    for rot, tr in zip(rots, trans, strict=True):
        moved = rot @ centre_frac + tr - centre_frac
        if np.any(np.abs(moved - np.round(moved)) > 1e-6):
            continue  # does not fix the centre
        tr = tr - np.round(moved)
        pm = _permutation(frac, rot, tr, numbers)
        if pm is None:
            continue
        perm, shift = pm
        if np.all(perm == np.arange(n_b)) and np.all(shift == 0) and np.all(rot == np.eye(3)):
            continue  # identity: added below
        if _maps_onto_itself(masks, origin, occupied, rot, perm, shift, g):
            perms.append(perm)
    ident = np.arange(n_b)
    perms = [ident, *perms]
    code = pairs_i * n_b + pairs_j
    best = code.copy()
    for perm in perms[1:]:
        a, b = perm[pairs_i], perm[pairs_j]
        best = np.minimum(best, np.minimum(a, b) * n_b + np.maximum(a, b))
    reps, mult = np.unique(best, return_counts=True)
    index = {int(c): k for k, c in enumerate(code)}
    keep = np.array([index[int(c)] for c in reps], dtype=np.int64)
    return keep, mult.astype(float), len(perms)


def _maps_onto_itself(
    masks: np.ndarray,
    origin: np.ndarray,
    occupied: list[np.ndarray],
    rot: np.ndarray,
    perm: np.ndarray,
    shift: np.ndarray,
    g: np.ndarray,
) -> bool:
    """Every occupied cell n of atom i goes to an occupied cell W (origin + n) + s_i of π(i)."""
    for i, cells in enumerate(occupied):
        j = perm[i]
        if occupied[j].shape[0] != cells.shape[0]:
            return False
        if cells.shape[0] == 0:
            continue
        img = (cells + origin) @ rot.T + shift[i] - origin
        if np.any(img < 0) or np.any(img >= g):
            return False
        if not masks[j][img[:, 0], img[:, 1], img[:, 2]].all():
            return False
    return True
