"""Bonds from covalent radii, and which elements count as metals.

Two atoms are bonded when their distance is below ``r_i + r_j + tolerance_A`` (covalent radii of
Cordero et al. 2008 as tabulated by ASE, tolerance 0.4 Å as in the CSD's bond-assignment rule).
A metal and a donor atom (N, O, P, S, Se, halogen) get the wider ``metal_tolerance_A`` (0.6 Å):
coordination bonds spread further than covalent ones - the long arm of an anisobidentate
carboxylate or a mu-O bridge (Cd-O 2.6-2.7 Å, beyond Cd 1.44 + O 0.66 + 0.4 = 2.50 Å) is a
bond that joins metal clusters, and CrystalNets.jl likewise widens metal radii (x1.5) for MOFs.
Metal-C and metal-H contacts keep ``tolerance_A`` (a chelating carboxylate puts its C 2.7 Å from
Cd without a bond). The neighbour search is ASE's cell-list ``primitive_neighbor_list``, linear
in the number of atoms.

References
----------
.. [1] B. Cordero et al., "Covalent radii revisited", Dalton Trans. (2008) 2832-2838.
.. [2] F. H. Allen et al., "Tables of bond lengths determined by X-ray and neutron diffraction",
   J. Chem. Soc. Perkin Trans. 2 (1987) S1 (CSD connectivity: d < r_i + r_j + 0.4 Å).
.. [3] L. Zoubritzky, F.-X. Coudert, SciPost Chem. 1 (2022) 005 (CrystalNets.jl: metal radii
   widened for MOFs).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from ase.data import atomic_numbers, covalent_radii

from mofglass.errors import AnalysisError
from mofglass.structure.crystal import Crystal
from mofglass.structure.periodic_graph import PeriodicGraph, once_per_pair

__all__ = ["DONORS", "NON_METALS", "Bonds", "find_bonds", "is_metal"]

#: Elements that are never metal nodes (non-metals, noble gases and the common metalloids).
NON_METALS = frozenset("H He B C N O F Ne Si P S Cl Ar Ge As Se Br Kr Sb Te I Xe At Rn D".split())

#: Donor atoms whose bonds to metals get ``metal_tolerance_A`` in :func:`find_bonds`.
DONORS = frozenset("N O P S Se F Cl Br I".split())


def is_metal(symbol: str) -> bool:
    """Whether an element symbol is a metal (a possible node of a framework)."""
    return symbol not in NON_METALS and symbol in atomic_numbers


@dataclass(frozen=True, eq=False)
class Bonds:
    """Bonds of a structure, each listed once.

    Attributes
    ----------
    i, j : ndarray of int
        Bonded atoms: atom ``i`` in cell 0 and atom ``j`` in cell ``offsets``.
    offsets : ndarray, shape (B, 3)
        Lattice offset of ``j``.
    length_A : ndarray
        Bond lengths in Å.
    n_atoms : int
        Number of atoms of the structure.
    """

    i: np.ndarray
    j: np.ndarray
    offsets: np.ndarray
    length_A: np.ndarray
    n_atoms: int

    @property
    def graph(self) -> PeriodicGraph:
        """The bond graph as a periodic graph over the atoms."""
        return PeriodicGraph(self.n_atoms, np.stack([self.i, self.j], axis=1), self.offsets)

    def degree(self) -> np.ndarray:
        """Count the bonds of every atom."""
        deg = np.zeros(self.n_atoms, dtype=np.int64)
        np.add.at(deg, self.i, 1)
        np.add.at(deg, self.j, 1)
        return deg


def covalent_radius_A(symbol: str, overrides: Mapping[str, float] | None = None) -> float:
    """Covalent radius in Å (Cordero 2008), or the user's override."""
    if overrides and symbol in overrides:
        return float(overrides[symbol])
    z = atomic_numbers.get("H" if symbol in ("D", "T") else symbol)
    if z is None:
        raise AnalysisError(f"unknown element {symbol!r}: no covalent radius")
    return float(covalent_radii[z])


def find_bonds(
    crystal: Crystal,
    *,
    tolerance_A: float = 0.4,
    metal_tolerance_A: float = 0.6,
    radii_A: Mapping[str, float] | None = None,
    min_distance_A: float = 0.5,
) -> Bonds:
    """Bonds by covalent radii: ``d < r_i + r_j + tolerance_A``.

    Parameters
    ----------
    crystal : Crystal
        Periodic structure (or finite model).
    tolerance_A : float
        Added to the sum of covalent radii, Å.
    metal_tolerance_A : float
        Used instead of ``tolerance_A`` between a metal and a donor atom (:data:`DONORS`), Å;
        set it equal to ``tolerance_A`` for the plain CSD rule.
    radii_A : mapping, optional
        Covalent radii overriding the Cordero values, by element, Å.
    min_distance_A : float
        Two atoms closer than this are "on top of each other" (unresolved disorder or duplicated
        sites): an :class:`AnalysisError` is raised rather than guessing bonds.

    Returns
    -------
    Bonds

    References
    ----------
    .. [1] B. Cordero et al., Dalton Trans. (2008) 2832.
    """
    from ase.neighborlist import primitive_neighbor_list

    n = crystal.n_atoms
    radii = np.array([covalent_radius_A(s, radii_A) for s in crystal.species])
    if crystal.lattice_A is not None:
        cell, pbc = crystal.lattice_A, (True, True, True)
        pos = crystal.positions_A
    else:
        pos = crystal.positions_A
        span = pos.max(axis=0) - pos.min(axis=0) + 10.0 if n else np.ones(3)
        cell, pbc = np.diag(span), (False, False, False)
    if n == 0:
        empty = np.zeros(0, dtype=np.int64)
        return Bonds(empty, empty, np.zeros((0, 3), dtype=np.int64), np.zeros(0), 0)
    cut = radii + 0.5 * max(tolerance_A, metal_tolerance_A)
    i, j, d, s = primitive_neighbor_list("ijdS", pbc, cell, pos, cut)
    metal = np.array([is_metal(x) for x in crystal.species], dtype=bool)
    donor = np.array([x in DONORS for x in crystal.species], dtype=bool)
    coord = (metal[i] & donor[j]) | (donor[i] & metal[j])
    tol = np.where(coord, metal_tolerance_A, tolerance_A)
    within = d < radii[i] + radii[j] + tol
    i, j, d, s = i[within], j[within], d[within], s[within]
    close = d < min_distance_A
    if close.any():
        k = int(np.argmax(close))
        a, b = int(i[k]), int(j[k])
        raise AnalysisError(
            f"atoms {crystal.labels[a]} and {crystal.labels[b]} are {d[k]:.2f} Å apart "
            f"(< {min_distance_A} Å): overlapping sites from unresolved disorder or duplicated "
            "atoms; resolve the disorder (read_structure(..., disorder=...)) first"
        )
    keep = once_per_pair(i, j, s)
    return Bonds(
        i[keep].astype(np.int64),
        j[keep].astype(np.int64),
        s[keep].astype(np.int64),
        d[keep],
        n,
    )
