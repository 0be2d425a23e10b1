"""The crystallite side of a glass-ceramic interface: surface metals and linkers made explicit.

A sphere cut from the crystal leaves, near its surface, linkers cut in pieces and whole
linkers that lost one of their metals. :func:`split_surfaces` removes those (the crystal's
"cut linkers") and takes the surface metals (within ``surface_A`` of the sphere, or short of
one of their 4 links) and every whole linker bonded to one of them out of the crystallite's
occupancy masks, as explicit atoms
that the interface relaxation may move; the rest of the crystallite stays a perfect cut
(lattice sums). Crystallites with the same masks (rotated copies) get the same cut, so they
stay congruent and their lattice sums are computed once
(:func:`~mofglass.scattering.mixed.periodic_mixed_pair_histogram`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from mofglass.models.glass.ceramic import GlassCeramic, _diameter
from mofglass.scattering.crystallites import Crystallite
from mofglass.scattering.mixed import _congruence_key
from mofglass.structure.bonds import is_metal

__all__ = ["CrystalSide", "split_surfaces"]

#: Crystal atoms this far inside the surface layer are kept as a fixed environment, Å.
ENVIRONMENT_A = 12.0

#: Farthest reach of a linker's atoms from its metal (M-N + the ring + H), Å.
LINKER_REACH_A = 8.0


@dataclass(frozen=True)
class _Cut:
    """Which atoms of a crystallite (rows of ``positions_of`` stacked by basis atom) do what."""

    explicit: np.ndarray  # the surface metals and their linkers (moved out of the masks)
    removed: np.ndarray  # cut linkers (pieces, or whole but bonded to one metal)
    fixed: np.ndarray  # the rest of the layer, a fixed environment (stays in the masks)
    bonds: np.ndarray  # metal-donor bonds among explicit + fixed atoms (indices into rows)
    label: np.ndarray  # unit label of every row (-1 outside the layer)
    donor: np.ndarray  # donor flag of every row


@dataclass(frozen=True)
class CrystalSide:
    """The crystallites' atoms an interface relaxation sees (Cartesian, in the box).

    Attributes
    ----------
    parts : tuple
        The crystallites with the explicit and removed atoms taken out of their masks.
    positions_A : ndarray, shape (n, 3)
        Explicit atoms first (``n_explicit``), then the fixed environment layer, Å.
    species, uiso_A2, occupancy : arrays of the same atoms
    n_explicit : int
    label : ndarray of int
        Unit of every atom (a metal alone, a linker molecule), unique across crystallites.
    bonds : ndarray, shape (b, 2)
        Metal-donor bonds between these atoms.
    donor : ndarray of bool
        Atoms bonded to a metal.
    removed_linkers : int
        Cut linkers removed (pieces and half-bonded whole linkers).
    removed_atoms : int
    """

    parts: tuple
    positions_A: np.ndarray
    species: list[str]
    uiso_A2: np.ndarray
    occupancy: np.ndarray
    n_explicit: int
    label: np.ndarray
    bonds: np.ndarray
    donor: np.ndarray
    removed_linkers: int
    removed_atoms: int


def _rows(cr: Crystallite) -> tuple[np.ndarray, np.ndarray]:
    """Positions (relative to the centre) and basis index of every atom of a crystallite."""
    nb = cr.crystal.n_atoms
    pos = np.vstack([cr.positions_of(i) for i in range(nb)])
    return pos, np.repeat(np.arange(nb), cr.site_counts)


def _cut(cr: Crystallite, surface_A: float, n_tpl: int, box: np.ndarray) -> tuple[_Cut, int]:
    """Classify the atoms of the crystallite's outer layer (in its own frame)."""
    from mofglass.models.glass.ceramic_interface import _groups, _units

    pos, basis = _rows(cr)
    species = np.asarray(cr.crystal.species, dtype=object)[basis]
    radius = 0.5 * _diameter(cr)
    r = np.linalg.norm(pos, axis=1)
    layer = np.nonzero(r > radius - surface_A - ENVIRONMENT_A)[0]
    bonds, label, donor = _units(pos[layer] + 0.5 * box, list(species[layer]), box)
    metal = np.array([is_metal(e) for e in species[layer]])
    partners = np.zeros(len(layer), dtype=np.int64)
    np.add.at(partners, bonds.ravel(), 1)
    removed, linked = [], []
    for g in _groups(label).values():
        if metal[g[0]]:
            continue
        whole = len(g) == n_tpl and int(partners[g].sum()) == 2
        touches_surface = float(r[layer[g]].max()) > radius - 2.5
        if not whole and touches_surface:
            removed.append(g)
        elif whole:
            linked.append(g)
    metal_of = {int(d): int(m) for d, m in (sorted(b, key=lambda x: metal[x]) for b in bonds)}
    deg = np.zeros(len(layer), dtype=np.int64)
    for g in linked:
        for a in g:
            if int(a) in metal_of:
                deg[metal_of[int(a)]] += 1
    # surface metals: near the surface, or short of a link (their linkers all lie in the layer)
    r_l = r[layer]
    inner = radius - surface_A - ENVIRONMENT_A + LINKER_REACH_A
    surface_metal = metal & ((r_l > radius - surface_A) | ((deg < 4) & (r_l > inner)))
    explicit = [np.nonzero(surface_metal)[0]]
    for g in linked:
        ends = [metal_of[int(a)] for a in g if int(a) in metal_of]
        if any(surface_metal[e] for e in ends):
            explicit.append(g)
    exp = np.unique(np.concatenate(explicit)).astype(np.int64)
    rem = np.concatenate(removed).astype(np.int64) if removed else np.zeros(0, np.int64)
    fixed = np.setdiff1d(np.arange(len(layer)), np.concatenate([exp, rem]))
    full_label = -np.ones(len(pos), dtype=np.int64)
    full_label[layer] = label
    full_donor = np.zeros(len(pos), dtype=bool)
    full_donor[layer] = donor
    keep_bond = ~np.isin(bonds, rem).any(axis=1)
    cut = _Cut(layer[exp], layer[rem], layer[fixed], layer[bonds[keep_bond]], full_label,
               full_donor)  # fmt: skip
    return cut, len(removed)


def _without(cr: Crystallite, rows: np.ndarray) -> Crystallite:
    """Take the given atoms (rows of :func:`_rows`) out of the crystallite's masks."""
    masks = cr.masks.copy()
    start = np.concatenate([[0], np.cumsum(cr.site_counts)])
    for i in range(cr.crystal.n_atoms):
        mine = rows[(rows >= start[i]) & (rows < start[i + 1])] - start[i]
        if len(mine):
            cells = np.argwhere(cr.masks[i])[mine]
            masks[i][tuple(cells.T)] = False
    return dataclasses.replace(cr, masks=masks)


def split_surfaces(
    model: GlassCeramic, *, surface_A: float, n_tpl: int, explicit: bool = True
) -> CrystalSide:
    """Remove the crystallites' cut linkers and make their surface metals and linkers explicit.

    Parameters
    ----------
    model : GlassCeramic
        A model as built (no explicit surface yet).
    surface_A : float
        Crystal metals within this distance of their sphere's surface are surface metals, Å
        (and so are the metals that lost a link to the cut).
    n_tpl : int
        Atoms of a whole linker.
    explicit : bool
        Take the surface metals and their linkers out of the masks (they will move); False
        leaves them in (a fixed crystal surface: only the cut linkers leave the masks), and
        they are still listed first, for the healing to see.

    Returns
    -------
    CrystalSide
    """
    box = np.diag(np.asarray(model.lattice_A)).copy()
    cache: dict[str, tuple[_Cut, int, Crystallite]] = {}
    parts: list = []
    pos: list = []
    sp: list = []
    uiso: list = []
    occ: list = []
    labels: list[np.ndarray] = []
    bonds: list[np.ndarray] = []
    donor: list[np.ndarray] = []
    fixed_parts: list[int] = []
    n_removed_linkers = n_removed_atoms = 0
    offset = 0
    for cr, centre in model.parts:
        key = _congruence_key(cr, np.zeros(cr.crystal.n_atoms, dtype=np.int64))
        if key not in cache:
            c, n_rm = _cut(cr, surface_A, n_tpl, box)
            out = np.concatenate([c.explicit, c.removed]) if explicit else c.removed
            cache[key] = (c, n_rm, _without(cr, out))
        c, n_rm, trimmed = cache[key]
        # the same cut in this crystallite's own orientation
        rel, basis = _rows(cr)
        parts.append((trimmed, centre))
        n_removed_linkers += n_rm
        n_removed_atoms += len(c.removed)
        rows = np.concatenate([c.explicit, c.fixed])
        where = -np.ones(len(rel), dtype=np.int64)
        where[rows] = offset + np.arange(len(rows))
        pos.append((rel[c.explicit] + centre, rel[c.fixed] + centre))
        for part_rows, bucket in ((c.explicit, 0), (c.fixed, 1)):
            b = basis[part_rows]
            sp.append((bucket, [cr.crystal.species[i] for i in b]))
            uiso.append((bucket, cr.crystal.uiso_A2[b]))
            occ.append((bucket, cr.crystal.occupancy[b]))
        labels.append(c.label[rows] + (0 if not labels else 1 + max(int(x.max()) for x in labels)))
        bonds.append(where[c.bonds])
        donor.append(c.donor[rows])
        fixed_parts.append(len(c.explicit))
        offset += len(rows)
    # reorder: every crystallite's explicit atoms first, then every fixed layer
    n_exp = int(sum(fixed_parts))
    sizes = [len(p[0]) + len(p[1]) for p in pos]
    starts = np.concatenate([[0], np.cumsum(sizes)])
    order = np.concatenate(
        [starts[k] + np.arange(fixed_parts[k]) for k in range(len(pos))]
        + [starts[k] + np.arange(fixed_parts[k], sizes[k]) for k in range(len(pos))]
    ).astype(np.int64)
    inv = np.empty_like(order)
    inv[order] = np.arange(len(order))
    flat_pos = np.vstack([np.vstack(p) for p in pos])[order]
    flat_sp = [e for k in range(len(pos)) for bucket in (0, 1)
               for e in sp[2 * k + bucket][1]]  # fmt: skip
    flat_sp = [flat_sp[i] for i in order]
    flat_u = np.concatenate([u for _, u in uiso])[order]
    flat_o = np.concatenate([o for _, o in occ])[order]
    return CrystalSide(
        tuple(parts),
        flat_pos,
        flat_sp,
        flat_u,
        flat_o,
        n_exp,
        np.concatenate(labels)[order],
        inv[np.concatenate(bonds)] if bonds else np.zeros((0, 2), np.int64),
        np.concatenate(donor)[order],
        n_removed_linkers,
        n_removed_atoms,
    )
