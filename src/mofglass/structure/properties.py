"""Densities, pair distances split by network, d-spacings and cell comparisons.

References
----------
.. [1] IZA Structure Commission, framework density FD = T-atoms per 1000 Å^3 (Baerlocher,
   McCusker, Olson, Atlas of Zeolite Framework Types, 6th ed., 2007).
.. [2] JCGM 100:2008 (GUM), propagation of uncertainty (first order).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from mofglass.composition import molar_mass
from mofglass.crystallography.reflections import Reflection, reflection_list
from mofglass.errors import AnalysisError
from mofglass.results import Measured
from mofglass.structure.bonds import is_metal
from mofglass.structure.crystal import Crystal
from mofglass.structure.framework import Framework
from mofglass.structure.periodic_graph import once_per_pair

__all__ = [
    "AVOGADRO",
    "MetalMetalDistance",
    "PairDistances",
    "Reflection",
    "cell_volume",
    "crystal_density_g_cm3",
    "d_spacings",
    "fringe_reflections",
    "metal_metal_distances",
    "nearest_reflections",
    "pair_distances",
    "volume_change_percent",
]

AVOGADRO = 6.02214076e23  # mol^-1 (SI 2019, exact)


def cell_volume(crystal: Crystal) -> Measured:
    """Cell volume in Å^3 with its standard uncertainty from the cell s.u.s (if the CIF had them).

    ``V = abc sqrt(1 - cos²α - cos²β - cos²γ + 2 cosα cosβ cosγ)``; the s.u. is propagated to first
    order (GUM) from the independent cell parameters of the crystal system (a = b in tetragonal,
    trigonal and hexagonal cells, a = b = c in cubic ones, also α = β = γ in rhombohedral axes:
    constrained lengths count once, with the s.u. the CIF gives them).
    """
    v = crystal.cell_volume_A3
    cell = crystal.metadata.get("cell_A_deg")
    su = crystal.metadata.get("cell_su")
    if not isinstance(cell, dict) or not isinstance(su, dict) or not any(su.values()):
        return Measured(v, None, "Å^3")
    keys = ("a", "b", "c", "alpha", "beta", "gamma")
    system = str(crystal.metadata.get("crystal_system", ""))
    groups: list[tuple[str, ...]]
    if system == "cubic":
        groups = [("a", "b", "c"), ("alpha",), ("beta",), ("gamma",)]
    elif system == "trigonal" and crystal.metadata.get("rhombohedral_axes"):
        groups = [("a", "b", "c"), ("alpha", "beta", "gamma")]
    elif system in ("tetragonal", "trigonal", "hexagonal"):
        groups = [("a", "b"), ("c",), ("alpha",), ("beta",), ("gamma",)]
    else:
        groups = [(k,) for k in keys]
    x = np.array([cell[k] for k in keys], dtype=float)

    def vol(p: np.ndarray) -> float:
        a, b, c = p[:3]
        ca, cb, cg = np.cos(np.radians(p[3:]))
        return float(a * b * c * math.sqrt(1 - ca**2 - cb**2 - cg**2 + 2 * ca * cb * cg))

    var = 0.0
    for grp in groups:
        s = max((su.get(k) or 0.0) for k in grp)
        if not s:
            continue
        h = np.zeros(6)
        step = 1e-6 * max(1.0, abs(x[keys.index(grp[0])]))
        for k in grp:
            h[keys.index(k)] = step
        grad = (vol(x + h) - vol(x - h)) / (2 * step)
        var += (grad * s) ** 2
    return Measured(vol(x), math.sqrt(var), "Å^3")


def volume_change_percent(new: Measured, reference: Measured) -> Measured:
    """Relative volume change ``100 (V/V_ref - 1)`` in percent, s.u. propagated (GUM, independent).

    Examples
    --------
    >>> str(volume_change_percent(Measured(1611, 2, "Å^3"), Measured(1565.4, 0.2, "Å^3")))
    '2.91(13) %'
    """
    ratio = new.value / reference.value
    rel = 0.0
    for m in (new, reference):
        if m.stderr:
            rel += (m.stderr / m.value) ** 2
    err = 100 * ratio * math.sqrt(rel) if rel else None
    return Measured(100 * (ratio - 1), err, "%")


def crystal_density_g_cm3(crystal: Crystal) -> float:
    """Density from the cell content (occupancy-weighted IUPAC masses) and the cell volume."""
    counts: dict[str, float] = {}
    for s, o in zip(crystal.species, crystal.occupancy, strict=True):
        el = "H" if s in ("D", "T") else s
        counts[el] = counts.get(el, 0.0) + float(o)
    mass_g = molar_mass(counts) / AVOGADRO
    return mass_g / (crystal.cell_volume_A3 * 1e-24)


@dataclass(frozen=True)
class MetalMetalDistance:
    """A shell of metal-metal distances.

    ``count`` is the mean number of such neighbours per metal atom; ``linkers_between`` the number
    of linkers on the shortest path through the net (intra-network pairs; 0 within one cluster),
    None for inter-network pairs.
    """

    r_A: float
    kind: str  # "intra" | "inter"
    count: float
    linkers_between: int | None
    pair: str


def metal_metal_distances(
    fw: Framework, *, r_max_A: float = 8.0, tol_A: float = 0.05
) -> list[MetalMetalDistance]:
    """Metal-metal distances up to ``r_max_A``, split into intra- and inter-network shells.

    Distances within ``tol_A`` of each other (same kind, pair and linker count) form one shell.
    """
    from ase.neighborlist import primitive_neighbor_list

    cr = fw.crystal
    metals = np.array(
        [a for a in range(cr.n_atoms) if is_metal(cr.species[a]) and fw.network_labels[a] >= 0]
    )
    if metals.size == 0:
        return []
    i, j, d, s = primitive_neighbor_list(
        "ijdS", (True,) * 3, cr.lattice_A, cr.positions_A[metals], r_max_A
    )
    unit_hops = _metal_unit_graph(fw)
    rows = []
    cache: dict[tuple[int, int, tuple[int, int, int]], int | None] = {}
    for a, b, r, cell in zip(i.tolist(), j.tolist(), d.tolist(), s.tolist(), strict=True):
        ai, bj = int(metals[a]), int(metals[b])
        na, nb = fw.network_of(ai, (0, 0, 0)), fw.network_of(bj, tuple(cell))
        pair = "-".join(sorted((cr.species[ai], cr.species[bj])))
        if na == nb:
            ua, ub = fw.atom_unit[ai], fw.atom_unit[bj]
            uc = tuple(np.array(cell) + fw.atom_cells[ai] - fw.atom_cells[bj])
            key = (int(ua), int(ub), (int(uc[0]), int(uc[1]), int(uc[2])))
            if key not in cache:
                cache[key] = _hops(unit_hops, key[0], key[1], key[2])
            rows.append((r, "intra", cache[key], pair))
        else:
            rows.append((r, "inter", None, pair))
    rows.sort(key=lambda t: (t[1], t[3], -1 if t[2] is None else t[2], t[0]))
    shells: list[list[tuple[float, str, int | None, str]]] = []
    for row in rows:
        if shells and shells[-1][-1][1:] == row[1:] and row[0] - shells[-1][-1][0] <= tol_A:
            shells[-1].append(row)
        else:
            shells.append([row])
    out = [
        MetalMetalDistance(
            float(np.mean([x[0] for x in sh])), sh[0][1], len(sh) / len(metals), sh[0][2], sh[0][3]
        )
        for sh in shells
    ]
    return sorted(out, key=lambda m: m.r_A)


def _metal_unit_graph(fw: Framework) -> dict[int, list[tuple[int, tuple[int, int, int]]]]:
    """Metal units joined through one linker (or directly): unit -> [(unit, cell)]."""
    adj: dict[int, list[tuple[int, tuple[int, int, int]]]] = {}
    ug = fw.unit_graph
    nbrs = ug.neighbours()
    is_metal_unit = [u.kind == "metal" for u in fw.units]
    for m in range(ug.n_vertices):
        if not is_metal_unit[m]:
            continue
        out = adj.setdefault(m, [])
        for w, s in nbrs[m]:
            if is_metal_unit[w]:
                out.append((w, s))
                continue
            for w2, s2 in nbrs[w]:
                t = (s[0] + s2[0], s[1] + s2[1], s[2] + s2[2])
                if is_metal_unit[w2] and not (w2 == m and t == (0, 0, 0)):
                    out.append((w2, t))
    return adj


def _hops(adj: dict, a: int, b: int, cell: tuple[int, int, int], max_hops: int = 6) -> int | None:
    if a == b and cell == (0, 0, 0):
        return 0
    start = (a, 0, 0, 0)
    goal = (b, *cell)
    seen = {start}
    frontier = [start]
    for hop in range(1, max_hops + 1):
        nxt = []
        for u, x, y, z in frontier:
            for w, s in adj.get(u, ()):
                st = (w, x + s[0], y + s[1], z + s[2])
                if st == goal:
                    return hop
                if st not in seen:
                    seen.add(st)
                    nxt.append(st)
        frontier = nxt
    return None


@dataclass(frozen=True, eq=False)
class PairDistances:
    """All atom pairs up to a cutoff (each unordered pair once), with their network relation.

    Attributes
    ----------
    i, j : ndarray
        Atom indices (``j`` in cell ``cell``).
    cell : ndarray, shape (P, 3)
    r_A : ndarray
        Distances, Å.
    pair : ndarray of str
        Element pair, alphabetical (``"Cd-N"``).
    intra : ndarray of bool
        Both atoms in the same network.
    framework : ndarray of bool
        Both atoms in the framework (not guests).
    weight : ndarray
        Product of occupancies.
    """

    i: np.ndarray
    j: np.ndarray
    cell: np.ndarray
    r_A: np.ndarray
    pair: np.ndarray
    intra: np.ndarray
    framework: np.ndarray
    weight: np.ndarray

    def select(self, pair: str | None = None, *, intra: bool | None = None) -> np.ndarray:
        """Distances of one element pair (either order) and/or one network relation."""
        m = np.ones(len(self.r_A), dtype=bool)
        if pair is not None:
            m &= self.pair == "-".join(sorted(pair.split("-")))
        if intra is not None:
            m &= self.intra == intra
        return self.r_A[m]


def pair_distances(fw: Framework, *, r_max_A: float = 8.0) -> PairDistances:
    """Every atom pair up to ``r_max_A`` split by element pair and intra/inter network.

    This is the table that network-resolved partial PDFs are built on.
    """
    from ase.neighborlist import primitive_neighbor_list

    cr = fw.crystal
    i, j, d, s = primitive_neighbor_list("ijdS", (True,) * 3, cr.lattice_A, cr.positions_A, r_max_A)
    keep = once_per_pair(i, j, s)
    i, j, d, s = i[keep], j[keep], d[keep], s[keep]
    spec = np.array(cr.species)
    a, b = spec[i], spec[j]
    lo = np.where(a <= b, a, b)
    hi = np.where(a <= b, b, a)
    pair = np.char.add(np.char.add(lo.astype(str), "-"), hi.astype(str))
    na = fw.networks_of(i, np.zeros_like(s))
    nb = fw.networks_of(j, s)
    framework = (na >= 0) & (nb >= 0)
    intra = framework & (na == nb)
    w = cr.occupancy[i] * cr.occupancy[j]
    return PairDistances(i, j, s, d, pair, intra, framework, w)


def d_spacings(
    lattice_A: np.ndarray,
    *,
    d_min_A: float = 1.0,
    wavelength_A: float | None = None,
    spacegroup: str | None = None,
) -> list[Reflection]:
    """List all reflections with ``d >= d_min_A``, largest d first.

    A thin call of :func:`mofglass.crystallography.reflection_list` (the one generator: its
    docstring states the family representative). A space group unknown to gemmi is ignored
    (Friedel pairs merged only), as without one.

    Parameters
    ----------
    lattice_A : ndarray (3, 3)
        Direct lattice vectors as rows, Å.
    d_min_A : float
        Smallest d-spacing, Å.
    wavelength_A : float, optional
        When given, each reflection gets its 2θ (degrees; None where d < λ/2).
    spacegroup : str, optional
        Hermann-Mauguin symbol: absent reflections dropped, equivalents merged.

    Returns
    -------
    list of Reflection
        One per family, with its multiplicity; by decreasing d, then increasing hkl.

    References
    ----------
    .. [1] International Tables for Crystallography Vol. B (2008), ch. 1.1 (metric tensor).
    """
    import gemmi

    known = spacegroup if spacegroup and gemmi.find_spacegroup_by_name(spacegroup) else None
    refl = reflection_list(np.asarray(lattice_A, dtype=float), d_min_A=d_min_A, spacegroup=known)
    # equal d: increasing hkl, the order the zone indexing breaks its ties by
    return sorted(refl.as_tuple(wavelength_A), key=lambda r: (-round(r.d_A, 10), r.hkl))


def nearest_reflections(
    lattice_A: np.ndarray, d_A: float, *, n: int = 3, spacegroup: str | None = None
) -> list[Reflection]:
    """Find the ``n`` reflections with d-spacings closest to a measured spacing (a TEM fringe)."""
    d_min = max(0.5 * d_A, 0.2)
    refl = d_spacings(lattice_A, d_min_A=d_min, spacegroup=spacegroup)
    return sorted(refl, key=lambda r: abs(r.d_A - d_A))[:n]


def fringe_reflections(crystal: Crystal, fringe_nm: float, *, n: int = 3) -> list[Reflection]:
    """Find the ``n`` reflections of a periodic structure closest to a lattice fringe (nm).

    :func:`nearest_reflections` of the crystal's cell and space group at d = 10 · fringe Å.

    Raises
    ------
    AnalysisError
        A finite model (no cell, so no d-spacings).
    """
    if crystal.lattice_A is None:
        raise AnalysisError("a finite model has no cell: no d-spacings")
    return nearest_reflections(
        np.asarray(crystal.lattice_A), 10 * fringe_nm, n=n, spacegroup=crystal.spacegroup
    )
