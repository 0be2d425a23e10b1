"""From atoms to a framework: bonds, metal nodes, linkers, guests, the underlying net, networks.

The rule (the "standard representation" of Alexandrov et al. 2011, as in ToposPro and
CrystalNets.jl):

1. Bond graph by covalent radii, wider for metal-donor bonds
   (:func:`mofglass.structure.bonds.find_bonds`); its connected
   components with dimension 0 are guests (solvent, counter-ions, unbonded atoms), reported
   and excluded from the net; the others form the framework.
2. Metal nodes: metal atoms joined by bonds and by bridging atoms (an O, N, S, Se or halide
   bonded to at least two metals: mu-oxo, mu-OH, mu-F, and the mu-O of a bridging carboxylate);
   each finite cluster is one node (a polynuclear SBU). An infinite inorganic chain or layer
   (rod MOFs) is split into its single metal atoms.
3. Linkers: the connected pieces of the remaining framework atoms (infinite organic pieces are
   split into single atoms, so purely covalent nets such as diamond work atom by atom).
4. The net: one vertex per node and per linker, edges where they bond, with lattice offsets;
   then vertices of degree 1 are removed and vertices of degree 2 contracted, repeatedly - so a
   ditopic linker becomes an edge between two metal nodes and a tritopic linker a 3-c vertex.
5. Networks: each 3-periodic component of the bond graph splits into ``|det L|`` interpenetrated
   copies, L its translation sublattice; every atom gets the index of its copy.

References
----------
.. [1] E. V. Alexandrov, V. A. Blatov, A. V. Kochetkov, D. M. Proserpio, "Underlying nets in
   three-periodic coordination polymers: topology, taxonomy and prediction from a computer-aided
   analysis of the Cambridge Structural Database", CrystEngComm 13 (2011) 3947.
.. [2] L. Zoubritzky, F.-X. Coudert, "CrystalNets.jl: identification of crystal topologies",
   SciPost Chem. 1 (2022) 005.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from mofglass.structure.bonds import Bonds, find_bonds, is_metal
from mofglass.structure.crystal import Crystal
from mofglass.structure.periodic_graph import Component, PeriodicGraph
from mofglass.structure.simplify import simplify_net

__all__ = ["Framework", "Unit", "build_framework", "network_labels"]

_BRIDGING = frozenset("O N F Cl Br I S Se".split())


@dataclass(frozen=True)
class Unit:
    """A building unit: a metal node (cluster), a linker, a guest molecule or a single atom.

    ``atoms`` are atom indices; ``cells`` the cell of each atom's image in this unit (so the
    unit is whole); ``frac`` its centroid in fractional coordinates.
    """

    kind: str  # "metal", "linker", "atom", "guest"
    atoms: tuple[int, ...]
    cells: tuple[tuple[int, int, int], ...]
    frac: tuple[float, float, float]
    formula: str


@dataclass(frozen=True, eq=False)
class Framework:
    """A framework analysed into units, its net and its interpenetrated networks.

    Attributes
    ----------
    crystal : Crystal
    bonds : Bonds
    units : tuple of Unit
        Metal nodes, linkers and split atoms of the framework (vertices of ``unit_graph``).
    guests : tuple of Unit
        Solvent, counter-ions and unbonded atoms (finite components), not part of the net.
    unit_graph : PeriodicGraph
        Units joined where they bond, with lattice offsets.
    net : PeriodicGraph
        The underlying net (degree-1 removed, degree-2 contracted).
    net_units : ndarray of int
        The unit behind each net vertex.
    components : tuple of Component
        Connected components of the bond graph.
    atom_component : ndarray
        Component index of every atom.
    network_labels : ndarray of int
        Index of the interpenetrated network of every atom, -1 for guests.
    copy_keys : tuple
        ``(component, coset key)`` of each network index.
    atom_unit : ndarray of int
        Framework unit of every atom (-1 for guests).
    atom_cells : ndarray, shape (N, 3)
        Cell of each atom's image in its unit (so that the unit is whole).
    """

    crystal: Crystal
    bonds: Bonds
    units: tuple[Unit, ...]
    guests: tuple[Unit, ...]
    unit_graph: PeriodicGraph
    net: PeriodicGraph
    net_units: np.ndarray
    components: tuple[Component, ...]
    atom_component: np.ndarray
    network_labels: np.ndarray
    copy_keys: tuple[tuple[int, tuple[int, ...]], ...]
    atom_unit: np.ndarray
    atom_cells: np.ndarray

    @property
    def metal_nodes(self) -> tuple[Unit, ...]:
        """Return the metal units."""
        return tuple(u for u in self.units if u.kind == "metal")

    @property
    def linkers(self) -> tuple[Unit, ...]:
        """Return the linker units."""
        return tuple(u for u in self.units if u.kind == "linker")

    @property
    def framework_atoms(self) -> np.ndarray:
        """Boolean mask of atoms in the framework (not guests)."""
        return self.network_labels >= 0

    @property
    def dimension(self) -> int:
        """Largest periodicity among the framework components (0 if there is no framework)."""
        dims = [c.dimension for c in self.components if c.dimension > 0]
        return max(dims) if dims else 0

    @property
    def interpenetration(self) -> int:
        """Number of interpenetrated 3-periodic networks (0 without a 3-periodic framework)."""
        return sum(c.n_copies or 0 for c in self.components if c.dimension == 3)

    def network_of(self, atom: int, cell: tuple[int, int, int] | np.ndarray = (0, 0, 0)) -> int:
        """Network index of the image of ``atom`` in ``cell``; -1 for guests.

        Images of one atom in other cells may belong to other networks (that is what
        interpenetration by translation means); -2 for a copy of a layer or chain that has no
        atom in the home cell.
        """
        c = int(self.atom_component[atom])
        comp = self.components[c]
        if comp.dimension == 0:
            return -1
        key = (c, comp.copy_key(atom, cell))
        return self._key_index.get(key, -2)

    def networks_of(self, atoms: np.ndarray, cells: np.ndarray) -> np.ndarray:
        """Vectorised :meth:`network_of` for many (atom, cell) images (-1 guests, -2 unseen)."""
        atoms = np.asarray(atoms, dtype=np.int64).reshape(-1)
        cells = np.asarray(cells, dtype=np.int64).reshape(-1, 3)
        comp = self.atom_component[atoms]
        out = np.full(len(atoms), -1, dtype=np.int64)
        unwrap = self._atom_unwrap
        for c in np.unique(comp).tolist():
            lattice = self.components[c].lattice
            if lattice.shape[0] == 0:
                continue
            m = comp == c
            t = cells[m] - unwrap[atoms[m]]
            for row in lattice:  # reduce modulo the Hermite basis, pivot column by column
                pc = int(np.flatnonzero(row)[0])
                t = t - np.floor_divide(t[:, pc], row[pc])[:, None] * row[None, :]
            keys, inv = np.unique(t, axis=0, return_inverse=True)
            idx = np.array([self._key_index.get((c, tuple(int(x) for x in k)), -2) for k in keys])
            out[m] = idx[inv.reshape(-1)]
        return out

    @property
    def _atom_unwrap(self) -> np.ndarray:
        cache = self.__dict__.get("_unwrap_cache")
        if cache is None:
            cache = np.zeros((len(self.atom_component), 3), dtype=np.int64)
            for comp in self.components:
                for v, u in comp.unwrap.items():
                    cache[v] = u
            self.__dict__["_unwrap_cache"] = cache
        return cache

    @property
    def _key_index(self) -> dict[tuple[int, tuple[int, ...]], int]:
        cache = self.__dict__.get("_key_index_cache")
        if cache is None:
            cache = {k: i for i, k in enumerate(self.copy_keys)}
            self.__dict__["_key_index_cache"] = cache
        return cache


def network_labels(crystal: Crystal, **options: object) -> np.ndarray:
    """Index (0, 1, ...) of the interpenetrated network each atom belongs to; -1 for guests.

    Parameters
    ----------
    crystal : Crystal
        A periodic structure.
    **options
        Passed to :func:`build_framework` (``tolerance_A``, ``metal_tolerance_A``, ``radii_A``).

    Returns
    -------
    ndarray of int, shape (N,)

    Examples
    --------
    >>> labels = network_labels(read_structure("cdim2.cif"))  # doctest: +SKIP
    >>> sorted(set(labels))  # dia-c: two networks
    [0, 1]

    References
    ----------
    .. [1] V. A. Blatov et al., CrystEngComm 6 (2004) 377 (interpenetration from the translation
       sublattice of each connected component).
    """
    return build_framework(crystal, **options).network_labels  # type: ignore[arg-type]


def build_framework(
    crystal: Crystal,
    *,
    tolerance_A: float = 0.4,
    metal_tolerance_A: float = 0.6,
    radii_A: Mapping[str, float] | None = None,
    metals: frozenset[str] | set[str] | None = None,
) -> Framework:
    """Analyse a structure into a :class:`Framework` (see the module docstring for the rule).

    Parameters
    ----------
    crystal : Crystal
        Periodic structure (hydrogen atoms optional).
    tolerance_A : float
        Bond tolerance added to the sum of covalent radii, Å.
    metal_tolerance_A : float
        Bond tolerance between a metal and a donor atom (N, O, P, S, Se, halogen), Å.
    radii_A : mapping, optional
        Covalent-radius overrides by element, Å.
    metals : set of str, optional
        Elements to treat as metal nodes (default: every metal element).

    Returns
    -------
    Framework

    References
    ----------
    .. [1] E. V. Alexandrov et al., CrystEngComm 13 (2011) 3947.
    """
    bonds = find_bonds(
        crystal, tolerance_A=tolerance_A, metal_tolerance_A=metal_tolerance_A, radii_A=radii_A
    )
    graph = bonds.graph
    comps = tuple(graph.components())
    n = crystal.n_atoms
    atom_comp = np.empty(n, dtype=np.int64)
    for ci, c in enumerate(comps):
        atom_comp[c.vertices] = ci
    in_fw = np.array([comps[atom_comp[a]].dimension > 0 for a in range(n)], dtype=bool)
    species = crystal.species
    metal_mask = np.array(
        [(s in metals) if metals is not None else is_metal(s) for s in species], dtype=bool
    )
    adj = graph.neighbours()

    # metal clusters: metals + bridging inorganic atoms
    cluster_mask = metal_mask & in_fw
    for a in np.flatnonzero(in_fw & ~metal_mask):
        if species[a] not in _BRIDGING:
            continue
        n_metal = sum(bool(metal_mask[v]) for v, _ in adj[a])
        if n_metal >= 2:
            cluster_mask[a] = True
    units: list[Unit] = []
    atom_unit = -np.ones(n, dtype=np.int64)
    atom_cell = np.zeros((n, 3), dtype=np.int64)

    def add_units(mask: np.ndarray, kind: str) -> np.ndarray:
        """Units from the finite pieces of ``mask``; returns atoms of infinite pieces."""
        sub, old = graph.subgraph(np.flatnonzero(mask))
        leftover = []
        for c in sub.components():
            atoms = old[c.vertices]
            if c.dimension > 0:
                leftover.extend(atoms.tolist())
                continue
            cells = np.array([c.unwrap[int(v)] for v in c.vertices], dtype=np.int64)
            _add(atoms, cells, kind)
        return np.array(sorted(leftover), dtype=np.int64)

    def _add(atoms: np.ndarray, cells: np.ndarray, kind: str) -> None:
        idx = len(units)
        atom_unit[atoms] = idx
        atom_cell[atoms] = cells
        frac = (crystal.frac[atoms] + cells).mean(axis=0) if crystal.periodic else np.zeros(3)
        units.append(
            Unit(
                kind,
                tuple(int(a) for a in atoms),
                tuple((int(x), int(y), int(z)) for x, y, z in cells.tolist()),
                (float(frac[0]), float(frac[1]), float(frac[2])),
                _formula(species[a] for a in atoms),
            )
        )

    rods = add_units(cluster_mask, "metal")
    rest = in_fw & ~cluster_mask
    rest[rods] = True
    rest[rods[metal_mask[rods]]] = False
    for a in rods[metal_mask[rods]]:
        _add(np.array([a]), np.zeros((1, 3), dtype=np.int64), "metal")
    infinite = add_units(rest, "linker")
    for a in infinite:
        _add(np.array([a]), np.zeros((1, 3), dtype=np.int64), "atom")
    n_fw_units = len(units)
    guests: list[Unit] = []
    for c in comps:
        if c.dimension == 0:
            cells = np.array([c.unwrap[int(v)] for v in c.vertices], dtype=np.int64)
            frac = (
                (crystal.frac[c.vertices] + cells).mean(axis=0) if crystal.periodic else np.zeros(3)
            )
            guests.append(
                Unit(
                    "guest",
                    tuple(int(a) for a in c.vertices),
                    tuple((int(x), int(y), int(z)) for x, y, z in cells.tolist()),
                    (float(frac[0]), float(frac[1]), float(frac[2])),
                    _formula(species[a] for a in c.vertices),
                )
            )

    # unit graph: bonds between different units (or images of one unit)
    ui = atom_unit[bonds.i]
    uj = atom_unit[bonds.j]
    ok = (ui >= 0) & (uj >= 0)
    shift = bonds.offsets + atom_cell[bonds.i] - atom_cell[bonds.j]
    unit_graph = PeriodicGraph.simple(n_fw_units, np.stack([ui[ok], uj[ok]], axis=1), shift[ok])
    net, net_units = simplify_net(unit_graph)

    labels, keys = _label_networks(comps, atom_comp)
    return Framework(
        crystal=crystal,
        bonds=bonds,
        units=tuple(units),
        guests=tuple(guests),
        unit_graph=unit_graph,
        net=net,
        net_units=net_units,
        components=comps,
        atom_component=atom_comp,
        network_labels=labels,
        copy_keys=tuple(keys),
        atom_unit=atom_unit,
        atom_cells=atom_cell,
    )


def _label_networks(
    comps: tuple[Component, ...], atom_comp: np.ndarray
) -> tuple[np.ndarray, list[tuple[int, tuple[int, ...]]]]:
    n = len(atom_comp)
    labels = -np.ones(n, dtype=np.int64)
    keys: list[tuple[int, tuple[int, ...]]] = []
    index: dict[tuple[int, tuple[int, ...]], int] = {}
    for ci, comp in enumerate(comps):
        if comp.dimension == 0:
            continue
        home = {int(v): (ci, comp.copy_key(int(v), (0, 0, 0))) for v in comp.vertices}
        for v in sorted(home):
            key = home[v]
            if key not in index:
                index[key] = len(keys)
                keys.append(key)
            labels[v] = index[key]
        if comp.dimension == 3:
            for ck in comp.all_copy_keys():
                key = (ci, ck)
                if key not in index:
                    index[key] = len(keys)
                    keys.append(key)
    return labels, keys


def _formula(symbols: object) -> str:
    counts = Counter(symbols)  # type: ignore[call-overload]
    order = sorted(counts, key=lambda s: (s != "C", s != "H", s))
    if "C" not in counts:
        order = sorted(counts)
    return "".join(f"{s}{counts[s] if counts[s] > 1 else ''}" for s in order)
