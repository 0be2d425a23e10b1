"""Relax the crystal-glass interfaces of a glass-ceramic model (rigid linkers, local).

:func:`relax_interfaces` works on the glass within ``shell_A`` of each crystallite's sphere:

1. the glass's bond graph there (covalent radii + tolerance, the cutoffs of
   :func:`~mofglass.models.glass.redecorate.contact_limits`) splits it into metals and linker
   molecules; linkers the sphere cut (fewer atoms than the glass's own linkers) are removed
   (``drop_fragments``), their metals stay under-coordinated;
2. every whole linker in the shell bridging two metals is a rigid body that
   :func:`~mofglass.models.glass.rigid_linkers.relax_contacts` (rigid linkers around fixed atoms)
   rotates and translates off its close contacts - with the crystallite's atoms, fixed, and
   with other glass units - while keeping its two metal-donor bonds at the glass's length;
3. close contacts (atoms of different units nearer than the bond graph's cutoff + 0.1 Å) are
   counted before and after, crystal-glass and glass-glass separately.

The crystallites do not move and the glass metals only step off them. For a chemically
connected interface (under-coordinated metals bridged by new linkers, glass and crystal-surface
metals relaxed by the metal-net valence force field of :mod:`mofglass.models.glass.vff`) use
:func:`mofglass.models.glass.ceramic_heal.heal_interfaces`.

References
----------
.. [1] F. Wooten, K. Winer, D. Weaire, Phys. Rev. Lett. 54, 1392 (1985) (rigid units relaxed
   in a continuous random network).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

from mofglass.errors import MofglassError
from mofglass.models.glass.ceramic import GlassCeramic, _diameter
from mofglass.models.glass.redecorate import contact_limits
from mofglass.models.glass.rigid_linkers import relax_contacts
from mofglass.structure import Crystal
from mofglass.structure.bonds import DONORS, is_metal

__all__ = [
    "INSERTED",
    "MAX_PUSH_A",
    "InterfaceRelaxation",
    "interface_contacts",
    "relax_interfaces",
]

#: Label suffix of the atoms of linkers inserted at an interface (bonded across it).
INSERTED = "_heal"

#: Largest move of a glass metal off a crystallite, Å.
MAX_PUSH_A = 2.0


@dataclass(frozen=True)
class InterfaceRelaxation:
    """A glass-ceramic model with relaxed interfaces, and the record of the relaxation.

    Attributes
    ----------
    model : GlassCeramic
        The relaxed model.
    shell_A : float
        Width of the relaxed glass shell outside each sphere, Å.
    contacts_built, contacts_unfragmented, contacts_relaxed : tuple of int
        (crystal-glass, glass-glass) close contacts in the shell: as built, after the cut
        linkers were removed, after the relaxation.
    fragment_atoms_removed : int
        Atoms of cut linkers removed.
    metals_moved : int
        Glass metals pushed off a crystallite along its normal.
    linkers_moved : int
        Rigid linkers moved.
    max_shift_A : float
        Largest displacement of a glass atom, Å.
    """

    model: GlassCeramic
    shell_A: float
    contacts_built: tuple[int, int]
    contacts_unfragmented: tuple[int, int]
    contacts_relaxed: tuple[int, int]
    fragment_atoms_removed: int
    metals_moved: int
    linkers_moved: int
    max_shift_A: float

    def report(self) -> str:
        """One line per stage: close contacts (crystal-glass, glass-glass)."""
        b, u, r = self.contacts_built, self.contacts_unfragmented, self.contacts_relaxed
        return (
            f"interface shell {self.shell_A:g} Å: close contacts crystal-glass / glass-glass "
            f"{b[0]} / {b[1]} as built, {u[0]} / {u[1]} after removing "
            f"{self.fragment_atoms_removed} atoms of cut linkers, {r[0]} / {r[1]} after moving "
            f"{self.metals_moved} metals and {self.linkers_moved} rigid linkers (largest shift {self.max_shift_A:.2f} Å)"
        )


def _box(model: GlassCeramic) -> np.ndarray:
    lat = np.asarray(model.lattice_A)
    if np.abs(lat - np.diag(np.diag(lat))).max() > 1e-6:
        raise MofglassError("interface relaxation needs an orthogonal box")
    return np.diag(lat).copy()


def _depth(pos: np.ndarray, model: GlassCeramic, box: np.ndarray) -> np.ndarray:
    """Distance of each point outside the nearest crystallite's sphere surface, Å."""
    out = np.full(len(pos), np.inf)
    for cr, c in model.parts:
        d = pos - c
        d -= np.rint(d / box) * box
        r = np.sqrt(np.einsum("ij,ij->i", d, d)) - 0.5 * _diameter(cr)
        out = np.minimum(out, r)
    return out


def _crystal_layer(model: GlassCeramic, depth_A: float) -> tuple[np.ndarray, list[str]]:
    """Atoms of the crystallites within ``depth_A`` of their sphere surface (Cartesian, Å).

    The explicit surface atoms (:attr:`GlassCeramic.surface`) come first.
    """
    pos, species = [], []
    if model.surface is not None:
        pos.append(np.asarray(model.surface.positions_A, dtype=float))
        species += list(model.surface.species)
    for cr, c in model.parts:
        radius = 0.5 * _diameter(cr)
        for i in range(cr.crystal.n_atoms):
            p = cr.positions_of(i)
            keep = np.linalg.norm(p, axis=1) > radius - depth_A
            pos.append(p[keep] + c)
            species += [cr.crystal.species[i]] * int(keep.sum())
    return np.vstack(pos), species


def _units(
    pos: np.ndarray, species: list[str], box: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Bonded pairs, unit label of each atom (metals alone) and donor flag (bonded to a metal)."""
    types, limit = contact_limits(species)
    bond_cut = limit - 0.1  # the bond graph's cutoff (contact_limits adds a 0.1 Å margin)
    tree = cKDTree(np.mod(pos, box), boxsize=box)
    pairs = tree.query_pairs(float(bond_cut.max()), output_type="ndarray")
    d = pos[pairs[:, 1]] - pos[pairs[:, 0]]
    d -= np.rint(d / box) * box
    pairs = pairs[np.linalg.norm(d, axis=1) < bond_cut[types[pairs[:, 0]], types[pairs[:, 1]]]]
    metal = np.array([is_metal(e) for e in species])
    mixed = metal[pairs[:, 0]] != metal[pairs[:, 1]]
    organic = pairs[~metal[pairs[:, 0]] & ~metal[pairs[:, 1]]]
    n = len(pos)
    graph = coo_matrix((np.ones(len(organic)), (organic[:, 0], organic[:, 1])), shape=(n, n))
    _, label = connected_components(graph, directed=False)
    donor = np.zeros(n, dtype=bool)
    donor[pairs[mixed].ravel()] = True
    donor &= ~metal
    return pairs[mixed], label, donor


def interface_contacts(model: GlassCeramic, *, shell_A: float = 6.0) -> tuple[int, int]:
    """Close contacts (crystal-glass, glass-glass) within ``shell_A`` of the crystallites.

    A close contact is a pair of atoms of different units (metal atoms, linker molecules, the
    crystallite) nearer than the bond graph's cutoff + 0.1 Å
    (:func:`~mofglass.models.glass.redecorate.contact_limits`), metal-donor bonds excepted: those
    within the glass, and the bond of each donor of a linker inserted by
    :func:`~mofglass.models.glass.ceramic_heal.heal_interfaces` (label ending in
    :data:`INSERTED`) to its nearest crystallite metal.
    """
    box = _box(model)
    g_pos = np.asarray(model.glass.positions_A, dtype=float)
    g_sp = list(model.glass.species)
    near = _depth(g_pos, model, box) < shell_A + 3.0
    pos, sp = g_pos[near], [g_sp[i] for i in np.nonzero(near)[0]]
    bonds, label, _ = _units(pos, sp, box)
    labels = np.asarray(model.glass.labels, dtype=object)[near]
    inserted = np.array(
        [str(x).endswith(INSERTED) and e in DONORS for x, e in zip(labels, sp, strict=True)]
    )
    cross, glass = _close_pairs(pos, sp, label, bonds, model, box, shell_A, inserted)
    return len(cross), len(glass)


def _close_pairs(
    pos: np.ndarray,
    sp: list[str],
    label: np.ndarray,
    bonds: np.ndarray,
    model: GlassCeramic,
    box: np.ndarray,
    shell_A: float,
    inserted: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Close contacts in the shell: the glass atom of every crystal-glass one, glass-glass pairs.

    ``pos``/``sp``: glass atoms near the spheres, ``label`` their units, ``bonds`` their
    metal-donor bonds, ``inserted`` the donors of inserted linkers (their bond to the nearest
    crystal metal is no contact). Returns (indices into ``pos``, one per crystal-glass
    contact; glass-glass pairs, shape (k, 2)).
    """
    c_pos, c_sp = _crystal_layer(model, 4.0)
    c_metal = np.array([is_metal(e) for e in c_sp])
    types, limit = contact_limits(sp + c_sp)
    tg, tc = types[: len(sp)], types[len(sp) :]
    in_shell = _depth(pos, model, box) < shell_A
    tree_g = cKDTree(np.mod(pos, box), boxsize=box)
    tree_c = cKDTree(np.mod(c_pos, box), boxsize=box)
    cross: list[int] = []
    for i, js in enumerate(tree_g.query_ball_tree(tree_c, float(limit.max()))):
        if not js or not in_shell[i]:
            continue
        d = c_pos[js] - pos[i]
        d -= np.rint(d / box) * box
        r = np.linalg.norm(d, axis=1)
        close = r < limit[tg[i], tc[js]]
        if inserted is not None and inserted[i] and (close & c_metal[js]).any():
            close[np.argmin(np.where(c_metal[js], r, np.inf))] = False  # its bond
        cross += [i] * int(np.sum(close))
    pairs = tree_g.query_pairs(float(limit.max()), output_type="ndarray")
    pairs = pairs[(label[pairs[:, 0]] != label[pairs[:, 1]]) & in_shell[pairs].any(axis=1)]
    d = pos[pairs[:, 1]] - pos[pairs[:, 0]]
    d -= np.rint(d / box) * box
    close = pairs[np.linalg.norm(d, axis=1) < limit[tg[pairs[:, 0]], tg[pairs[:, 1]]]]
    bonded = {(min(a, b), max(a, b)) for a, b in bonds.tolist()}
    glass = [(a, b) for a, b in close.tolist() if (a, b) not in bonded]
    return np.array(cross, dtype=np.int64), np.array(glass, dtype=np.int64).reshape(-1, 2)


def _template_size(cell: Crystal) -> int:
    """Atoms in the glass's own linkers (the most common organic unit of the tile)."""
    lat = np.asarray(cell.lattice_A)
    _, label, _ = _units(np.asarray(cell.positions_A), list(cell.species), np.diag(lat).copy())
    organic = ~np.array([is_metal(e) for e in cell.species])
    sizes = np.bincount(label[organic])
    return int(np.argmax(np.bincount(sizes[sizes > 0])))


def _groups(label: np.ndarray) -> dict[int, np.ndarray]:
    """Atom indices of every unit label."""
    order = np.argsort(label, kind="stable")
    cuts = np.nonzero(np.diff(label[order]))[0] + 1
    return {int(label[g[0]]): g for g in np.split(order, cuts)}


def _linker_blocks(
    groups: dict[int, np.ndarray],
    donor: np.ndarray,
    bonds: np.ndarray,
    movable: list[int],
) -> tuple[list[np.ndarray], list[tuple[int, int]]]:
    """Atom order of each movable linker (its two donors first) and its two metals."""
    metal_of: dict[int, list[int]] = {}
    for a, b in bonds.tolist():
        d, m = (a, b) if donor[a] else (b, a)
        metal_of.setdefault(d, []).append(m)
    blocks, ends = [], []
    for lab in movable:
        atoms = groups[lab]
        dn = atoms[donor[atoms]]
        if len(dn) != 2 or any(len(metal_of.get(int(x), [])) != 1 for x in dn):
            continue
        m0, m1 = metal_of[int(dn[0])][0], metal_of[int(dn[1])][0]
        if m0 == m1:
            continue
        blocks.append(np.concatenate([dn, atoms[~donor[atoms]]]))
        ends.append((m0, m1))
    return blocks, ends


def relax_interfaces(
    model: GlassCeramic, *, shell_A: float = 6.0, drop_fragments: bool = True, passes: int = 4
) -> InterfaceRelaxation:
    """Remove cut linkers and move whole glass linkers off the crystallites (rigid bodies).

    Parameters
    ----------
    model : GlassCeramic
        The model (orthogonal box).
    shell_A : float
        Glass linkers with an atom within this distance of a sphere's surface move, Å.
    drop_fragments : bool
        Remove the glass's linkers cut by a sphere (fewer atoms than the tile's linkers).
    passes : int
        Gauss-Seidel passes of :func:`~mofglass.models.glass.rigid_linkers.relax_contacts`.

    Returns
    -------
    InterfaceRelaxation
    """
    box = _box(model)
    n_tpl = _template_size(model.glass_cell)
    built = interface_contacts(model, shell_A=shell_A)
    g_pos = np.array(model.glass.positions_A, dtype=float)
    g_sp = list(model.glass.species)
    depth = _depth(g_pos, model, box)
    region = np.nonzero(depth < shell_A + 10.0)[0]
    pos, sp, dep = g_pos[region], [g_sp[i] for i in region], depth[region]
    bonds, label, donor = _units(pos, sp, box)
    groups = _groups(label)
    metal = np.array([is_metal(e) for e in sp])
    cut = [g for g in groups.values() if not metal[g[0]] and len(g) != n_tpl]
    cut = [g for g in cut if dep[g].min() < shell_A + 2.0] if drop_fragments else []
    drop = np.concatenate(cut) if cut else np.zeros(0, dtype=np.int64)
    keep_local = np.ones(len(pos), dtype=bool)
    keep_local[drop] = False
    movable = [
        lab
        for lab, g in groups.items()
        if not metal[g[0]] and len(g) == n_tpl and dep[g].min() < shell_A
    ]
    blocks, ends = _linker_blocks(groups, donor, bonds, movable)
    pos = pos.copy()
    pushed = _push_metals(pos, sp, metal & keep_local & (dep < shell_A), model, box)
    in_block = np.zeros(len(pos), dtype=bool)
    for b in blocks:
        in_block[b] = True
    fixed = np.nonzero(keep_local & ~in_block)[0]
    c_pos, c_sp = _crystal_layer(model, 8.0)
    where = np.full(len(pos), -1)
    where[fixed] = np.arange(len(fixed))
    xyz = [pos[fixed], c_pos]
    for b in blocks:
        rel = pos[b] - pos[b[0]]
        xyz.append(pos[b[0]] + rel - np.rint(rel / box) * box)
    xyz_all = np.vstack(xyz)
    n_fixed = len(fixed) + len(c_pos)
    species = [sp[i] for i in fixed] + c_sp + [sp[i] for b in blocks for i in b]
    edges = np.array([(where[a], where[b]) for a, b in ends], dtype=np.int64).reshape(-1, 2)
    d_mn = float(np.median(np.linalg.norm(_mic(pos[bonds[:, 1]] - pos[bonds[:, 0]], box), axis=1)))
    moved = (0, 0)
    if len(blocks):
        res = relax_contacts(
            xyz_all, species, n_fixed, n_tpl, edges, np.diag(box), d_mn_A=d_mn,
            donors=(0, 1), passes=passes,
        )  # fmt: skip
        moved = res if res is not None else (0, 0)
    new_local = pos.copy()
    pos = g_pos[region]  # the positions as built, for the shifts and the counts before
    for k, b in enumerate(blocks):
        new_local[b] = xyz_all[n_fixed + k * n_tpl : n_fixed + (k + 1) * n_tpl]
    shift = np.linalg.norm(_mic(new_local - pos, box), axis=1)
    keep = np.ones(len(g_pos), dtype=bool)
    keep[region[drop]] = False
    unfragmented = interface_contacts(_with_glass(model, g_pos, keep), shell_A=shell_A)
    g_pos[region] = np.mod(new_local, box)
    relaxed = _with_glass(
        model,
        g_pos,
        keep,
        f"relaxed in a {shell_A:g} Å shell ({len(drop)} atoms of cut linkers removed, "
        f"{pushed} metals and {moved[0]} rigid linkers moved)",
    )
    return InterfaceRelaxation(
        relaxed,
        float(shell_A),
        built,
        unfragmented,
        interface_contacts(relaxed, shell_A=shell_A),
        len(drop),
        pushed,
        int(moved[0]),
        float(shift.max()) if len(shift) else 0.0,
    )


def _push_metals(
    pos: np.ndarray, sp: list[str], which: np.ndarray, model: GlassCeramic, box: np.ndarray
) -> int:
    """Move glass metals in contact with a crystallite outwards along its normal (in place).

    Each metal steps by the largest overlap (contact limit - distance + 0.05 Å) until clear,
    at most ``MAX_PUSH_A`` in all (a local move: a metal wedged between two crystallites
    stays, counted as a contact); its linkers follow in the rigid-linker relaxation that comes
    next. Returns the number of metals moved.
    """
    c_pos, c_sp = _crystal_layer(model, 4.0)
    types, limit = contact_limits([sp[i] for i in np.nonzero(which)[0]] + c_sp)
    tree = cKDTree(np.mod(c_pos, box), boxsize=box)
    tc = types[int(which.sum()) :]
    centres = np.array([c for _, c in model.parts])
    moved = 0
    for k, i in enumerate(np.nonzero(which)[0].tolist()):
        near = np.linalg.norm(_mic(centres - pos[i], box), axis=1).argmin()
        normal = _mic(pos[i] - centres[near], box)
        normal /= np.linalg.norm(normal)
        start = pos[i].copy()
        for step in range(10):
            js = tree.query_ball_point(np.mod(pos[i], box), float(limit.max()))
            if not js:
                break
            d = np.linalg.norm(_mic(c_pos[js] - pos[i], box), axis=1)
            over = float(np.max(limit[types[k], tc[js]] - d))
            if over <= 0:
                break
            if np.linalg.norm(pos[i] + (over + 0.05) * normal - start) > MAX_PUSH_A:
                break
            pos[i] += (over + 0.05) * normal
            moved += step == 0
    return moved


def _mic(d: np.ndarray, box: np.ndarray) -> np.ndarray:
    return d - np.rint(d / box) * box


def _with_glass(
    model: GlassCeramic, pos: np.ndarray, keep: np.ndarray, relaxed: str = ""
) -> GlassCeramic:
    g = model.glass
    idx = np.nonzero(keep)[0]
    glass = Crystal(
        tuple(np.asarray(g.species, dtype=object)[idx].tolist()),
        pos[idx],
        None,
        g.occupancy[idx],
        g.uiso_A2[idx],
        tuple(np.asarray(g.labels, dtype=object)[idx].tolist()),
        source=g.source,
    )
    return dataclasses.replace(model, glass=glass, relaxed=relaxed or model.relaxed)
