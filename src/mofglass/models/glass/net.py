"""The metal net of a tetrahedral M(L)2 framework: metals, the linker on every metal-metal link.

:func:`metal_net` reads a :class:`~mofglass.structure.Framework` into a :class:`MetalNet`: one
vertex per single-metal node, one edge per ditopic linker (the two metals it bonds, with lattice
offsets), the network index of each metal and a rigid template of the linker in the frame of
its two metals (taken from the crystal's own linkers). :func:`supercell_net` repeats it.

The net is the "standard representation" of Alexandrov et al. (2011) restricted to ditopic
linkers, so it keeps metals of any coordination (a glass model's 3-c metals stay vertices).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from mofglass.errors import AnalysisError
from mofglass.structure.bonds import is_metal
from mofglass.structure.framework import Framework

__all__ = ["LinkerTemplate", "MetalNet", "metal_net", "supercell_net"]


@dataclass(frozen=True)
class LinkerTemplate:
    """A rigid linker in the frame of its two metals.

    Frame: origin at the midpoint of the two donor atoms, x along donor 1 -> donor 2, y
    perpendicular to x towards the linker centroid (in the ring plane), z = x × y.

    Attributes
    ----------
    species : tuple of str
    local_A : ndarray, shape (n, 3)
        Atom coordinates in the frame, Å.
    donors : tuple of int
        Indices (into ``species``) of the atom bonded to metal 1 and to metal 2.
    m_m_A : float
        Metal-metal distance across this linker in the crystal, Å.
    metals_local_A : ndarray, shape (2, 3), optional
        Where the linker's two metals sit in the frame, Å (mean over the crystal's linkers):
        the M-N bond length and M-N-C angles of the crystal.
    """

    @property
    def donor_distance_A(self) -> float:
        """Distance between the two donor atoms, Å."""
        return float(np.linalg.norm(self.local_A[self.donors[1]] - self.local_A[self.donors[0]]))

    species: tuple[str, ...]
    local_A: np.ndarray
    donors: tuple[int, int]
    m_m_A: float
    metals_local_A: np.ndarray | None = None


@dataclass(frozen=True)
class MetalNet:
    """Metals and the linkers joining them, periodic.

    Attributes
    ----------
    metal_species : tuple of str
    positions_A : ndarray, shape (M, 3)
        Cartesian metal positions, Å.
    lattice_A : ndarray, shape (3, 3)
        Box vectors as rows, Å.
    edges : ndarray, shape (E, 2)
        Metal pairs joined by one linker.
    offsets : ndarray, shape (E, 3)
        Lattice offset of the second metal.
    network : ndarray, shape (M,)
        Original network index of every metal.
    template : LinkerTemplate
        The crystal's linker (the first one; all linkers of an M(im)2 are alike).
    m_n_A : float
        Mean metal-donor bond length in the crystal, Å.
    n_skipped_linkers : int
        Linkers left out because they do not bridge two metals (``strict=False``).
    linker_y : ndarray, shape (E, 3), optional
        Orientation of every crystal linker: the unit vector in its ring plane, perpendicular
        to its donor-donor axis, towards its centroid (the template frame's y).
    """

    metal_species: tuple[str, ...]
    positions_A: np.ndarray
    lattice_A: np.ndarray
    edges: np.ndarray
    offsets: np.ndarray
    network: np.ndarray
    template: LinkerTemplate
    m_n_A: float
    n_skipped_linkers: int = 0
    linker_y: np.ndarray | None = None

    @property
    def n_metals(self) -> int:
        """Number of metals."""
        return len(self.metal_species)

    def bond_vectors(self) -> np.ndarray:
        """Metal 1 -> metal 2 vector of every edge, Å."""
        p = self.positions_A
        return p[self.edges[:, 1]] + self.offsets @ self.lattice_A - p[self.edges[:, 0]]

    def degrees(self) -> np.ndarray:
        """Count the links of every metal."""
        return np.bincount(self.edges.ravel(), minlength=self.n_metals)


def _frame(x: np.ndarray, atoms_rel: np.ndarray) -> np.ndarray:
    """Rows x, y, z of the template frame (x along the donors, y in-plane towards the centroid)."""
    x = x / np.linalg.norm(x)
    c = atoms_rel.mean(axis=0)
    normal = np.linalg.svd(atoms_rel - c)[2][-1]
    y = np.cross(normal, x)
    y = y / np.linalg.norm(y)
    if np.dot(y, c) < 0:
        y = -y
    return np.array([x, y, np.cross(x, y)])


def metal_net(fw: Framework, *, strict: bool = True) -> MetalNet:
    """Metal net of a framework whose metal nodes are single atoms and linkers ditopic.

    Parameters
    ----------
    strict : bool
        Raise on a linker that does not bridge exactly two metals; else leave it out (a glass
        model's dangling linker), counted in ``MetalNet.n_skipped_linkers``.

    Raises
    ------
    AnalysisError
        If a metal node holds several metal atoms, or (strict) a linker does not bridge two
        metals.
    """
    crystal = fw.crystal
    if crystal.lattice_A is None:
        raise AnalysisError("a metal net needs a periodic structure")
    lat = crystal.lattice_A
    metal_units = [i for i, u in enumerate(fw.units) if u.kind == "metal"]
    if not metal_units:
        raise AnalysisError(f"{crystal.source}: no metal nodes")
    index: dict[int, int] = {}
    for k, ui in enumerate(metal_units):
        atoms = fw.units[ui].atoms
        if sum(is_metal(crystal.species[a]) for a in atoms) != 1:
            raise AnalysisError(f"{crystal.source}: metal node {k} is a cluster, not one metal")
        index[atoms[0]] = k
    adj = fw.bonds.graph.neighbours()
    frac = crystal.frac
    edges, offsets, bond_lengths = [], [], []
    orient: list[np.ndarray] = []
    metals_local: list[np.ndarray] = []
    skipped = 0
    template: LinkerTemplate | None = None
    for u in fw.linkers:
        ends: list[tuple[int, int, np.ndarray]] = []  # (metal, donor position in unit, cell)
        for pos, (a, ca) in enumerate(zip(u.atoms, u.cells, strict=True)):
            for v, s in adj[a]:
                if v in index:
                    cell = np.asarray(ca) + np.asarray(s)
                    ends.append((index[v], pos, cell))
                    d = (frac[v] + cell - frac[a] - ca) @ lat
                    bond_lengths.append(float(np.linalg.norm(d)))
        if len(ends) != 2 and not strict:
            skipped += 1
            continue
        if len(ends) != 2:
            raise AnalysisError(
                f"{crystal.source}: a linker ({u.formula}) bonds {len(ends)} metals, not 2"
            )
        (m1, p1, c1), (m2, p2, c2) = ends
        edges.append((m1, m2))
        offsets.append(c2 - c1)
        atoms_xyz = (frac[list(u.atoms)] + np.asarray(u.cells)) @ lat
        mid = 0.5 * (atoms_xyz[p1] + atoms_xyz[p2])
        rel = atoms_xyz - mid
        frame = _frame(rel[p2] - rel[p1], rel)
        orient.append(frame[1])
        ends_xyz = np.array(
            [frac[metal_atom(fw, metal_units[m])] + c for m, c in ((m1, c1), (m2, c2))]
        )
        metals_local.append((ends_xyz @ lat - mid) @ frame.T)
        if template is None:
            a1 = (frac[metal_atom(fw, metal_units[m1])] + c1) @ lat
            a2 = (frac[metal_atom(fw, metal_units[m2])] + c2) @ lat
            atoms_cart = (frac[list(u.atoms)] + np.asarray(u.cells)) @ lat
            cart = atoms_cart - 0.5 * (atoms_cart[p1] + atoms_cart[p2])
            rot = _frame(cart[p2] - cart[p1], cart)
            template = LinkerTemplate(
                tuple(crystal.species[a] for a in u.atoms),
                cart @ rot.T,
                (p1, p2),
                float(np.linalg.norm(a2 - a1)),
            )
    if template is None:
        raise AnalysisError(f"{crystal.source}: no linkers")
    template = replace(template, metals_local_A=np.mean(metals_local, axis=0))
    metal_atoms_idx = [metal_atom(fw, ui) for ui in metal_units]
    return MetalNet(
        tuple(crystal.species[a] for a in metal_atoms_idx),
        crystal.positions_A[metal_atoms_idx].copy(),
        lat.copy(),
        np.array(edges, dtype=np.int64).reshape(-1, 2),
        np.array(offsets, dtype=np.int64).reshape(-1, 3),
        np.array([fw.network_labels[a] for a in metal_atoms_idx], dtype=np.int64),
        template,
        float(np.mean(bond_lengths)),
        skipped,
        np.array(orient, dtype=float).reshape(-1, 3),
    )


def metal_atom(fw: Framework, unit: int) -> int:
    """Return the metal atom of a single-metal node."""
    return fw.units[unit].atoms[0]


def supercell_net(
    net: MetalNet, reps: tuple[int, int, int], fw: Framework | None = None
) -> MetalNet:
    """Repeat a metal net ``reps`` times along the three cell vectors.

    Network labels follow each image (an image of a metal in another cell may belong to another
    network: interpenetration by translation); pass the framework to resolve them.
    """
    r = np.asarray(reps, dtype=np.int64)
    if (r < 1).any():
        raise AnalysisError(f"supercell repetitions must be >= 1, got {tuple(reps)}")
    m = net.n_metals
    cells = np.array([(i, j, k) for i in range(r[0]) for j in range(r[1]) for k in range(r[2])])
    n_cells = len(cells)
    pos = (net.positions_A[None, :, :] + (cells @ net.lattice_A)[:, None, :]).reshape(-1, 3)
    cell_id = {tuple(c): n for n, c in enumerate(cells.tolist())}
    edges, offsets = [], []
    for n, c in enumerate(cells):
        target = c[None, :] + net.offsets
        wrapped = np.mod(target, r)
        sup = np.floor_divide(target, r)
        ids = np.array([cell_id[tuple(t)] for t in wrapped.tolist()])
        edges.append(np.stack([net.edges[:, 0] + n * m, net.edges[:, 1] + ids * m], axis=1))
        offsets.append(sup)
    if fw is not None:
        metal_units = [i for i, u in enumerate(fw.units) if u.kind == "metal"]
        atoms = np.array([metal_atom(fw, ui) for ui in metal_units])
        network = fw.networks_of(np.tile(atoms, n_cells), np.repeat(cells, m, axis=0))
    else:
        network = np.tile(net.network, n_cells)
    return MetalNet(
        net.metal_species * n_cells,
        pos,
        net.lattice_A * r[:, None],
        np.concatenate(edges),
        np.concatenate(offsets),
        network,
        net.template,
        net.m_n_A,
        0,
        None if net.linker_y is None else np.tile(net.linker_y, (n_cells, 1)),
    )
