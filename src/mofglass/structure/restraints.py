"""Target distances for distance-least-squares model building (bonds and 1,3 distances).

Restraints are made from the template's bond graph (after element substitution):

- metal-donor bonds: :data:`METAL_DONOR_A` where tabulated, else the template's own length
  changed by the difference of the Cordero covalent radii of the new and the old metal;
- imidazolate rings (a C between two N in a C3N2 five-ring): a rigid planar ring with standard
  bond lengths (:data:`IMIDAZOLATE_A`) - all ten ring distances, C-H and the H 1,3 distances
  - with the metal on the external bisector of the C-N-C angle (in the ring plane);
- cyanide C≡N (C and N bonded only to each other and to metals): 1.15 Å, M-C≡N-M linear;
- N-M-N (X-M-X) around a four-coordinate metal: tetrahedral (109.47°), weakly;
- every other bond and 1,3 distance: the template's own (a straight one kept straight).

Angles enter as 1,3 distances, as in DLS-76 (Baerlocher et al. 1977).

References
----------
.. [1] F. H. Allen, O. Kennard, D. G. Watson, L. Brammer, A. G. Orpen, R. Taylor, "Tables of
   bond lengths determined by X-ray and neutron diffraction. Part 1", J. Chem. Soc. Perkin
   Trans. 2 (1987) S1-S19 (imidazole ring bonds; nitrile/cyanide C≡N 1.14-1.16 Å).
.. [2] K. S. Park et al., "Exceptional chemical and thermal stability of zeolitic imidazolate
   frameworks", PNAS 103 (2006) 10186 (tetrahedral Zn-N 1.98-2.00 Å in ZIFs).
.. [3] G. M. Sheldrick, SHELXL riding model: aromatic C-H 0.93 Å (X-ray, room temperature).
.. [4] B. Cordero et al., "Covalent radii revisited", Dalton Trans. (2008) 2832.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterator

import numpy as np

from mofglass.structure.bonds import Bonds, covalent_radius_A, is_metal
from mofglass.structure.dls import Restraints

__all__ = ["IMIDAZOLATE_A", "METAL_DONOR_A", "imidazolate_geometry", "make_restraints"]

#: Metal-donor bond lengths for tetrahedral MX4 nodes, Å. Zn-N 2.00 and Cd-N 2.20 are the values
#: of Zn(im)2 / Cd(im)2 nodes (Park et al. 2006: Zn-N 1.98-2.00 in ZIFs; the ZIF-4-hPT-II
#: template's Zn-N 1.98-2.02; Cd-N 2.20 = Zn-N + Cordero r(Cd) - r(Zn) = 2.00 + 0.22); Co-N
#: 1.99 (ZIF-67, Park 2006 / CCDC), Fe-N 2.04 (Fe(im)2, high-spin tetrahedral). For cyanides
#: the C/N end is head-to-tail disordered in M(CN)2, so M-C = M-N.
METAL_DONOR_A: dict[tuple[str, str], float] = {
    ("Zn", "N"): 2.00,
    ("Zn", "C"): 2.00,
    ("Cd", "N"): 2.20,
    ("Cd", "C"): 2.20,
    ("Co", "N"): 1.99,
    ("Co", "C"): 1.99,
    ("Fe", "N"): 2.04,
}

#: Imidazolate ring bonds (Allen et al. 1987, imidazole N-C2/C2=N averaged for the symmetric
#: anion), N-C2-N angle, and the X-ray riding C-H (SHELXL), Å and degrees.
IMIDAZOLATE_A = {"N-C2": 1.336, "N-C4": 1.375, "C4-C5": 1.358, "C-H": 0.93, "N-C2-N_deg": 113.0}

CYANIDE_CN_A = 1.15

SIGMA_A = {
    "metal-donor": 0.01,
    "ring bond": 0.005,
    "ring 1,3": 0.005,
    "C-H": 0.01,
    "H 1,3": 0.02,
    "M-N-C 1,3": 0.02,
    "X-M-X 1,3": 0.10,
    "C#N": 0.005,
    "linear 1,3": 0.02,
    "template bond": 0.02,
    "template 1,3": 0.05,
    "M-M edge": 0.02,
    "M-M-M 1,3": 0.05,
}


def imidazolate_geometry() -> dict[str, np.ndarray]:
    """Planar imidazolate in its plane: C2, N1, N3, C4, C5 and H2, H4, H5 (Å, 2D).

    Built from the bond lengths of :data:`IMIDAZOLATE_A` with the mirror through C2 and the
    C4-C5 midpoint (exact lengths; the ring angles follow).
    """
    g = IMIDAZOLATE_A
    half = math.radians(g["N-C2-N_deg"] / 2)
    c2 = np.array([0.0, 0.0])
    n1 = np.array([-g["N-C2"] * math.sin(half), -g["N-C2"] * math.cos(half)])
    n3 = n1 * np.array([-1.0, 1.0])
    x5 = -g["C4-C5"] / 2
    y5 = n1[1] - math.sqrt(g["N-C4"] ** 2 - (x5 - n1[0]) ** 2)
    c5 = np.array([x5, y5])
    c4 = c5 * np.array([-1.0, 1.0])
    ring = {"C2": c2, "N1": n1, "N3": n3, "C4": c4, "C5": c5}
    centre = np.mean(list(ring.values()), axis=0)
    out = dict(ring)
    for c, h in (("C2", "H2"), ("C4", "H4"), ("C5", "H5")):
        # H on the external bisector of the ring angle at C (= away from the ring's middle
        # for C2; for C4/C5 the bisector of the two ring bonds)
        out[h] = ring[c] + g["C-H"] * _external_bisector(ring, c, centre)
    return out


_RING_NEIGHBOURS = {
    "C2": ("N1", "N3"),
    "N1": ("C2", "C5"),
    "N3": ("C2", "C4"),
    "C4": ("N3", "C5"),
    "C5": ("N1", "C4"),
}


def _external_bisector(ring: dict[str, np.ndarray], atom: str, centre: np.ndarray) -> np.ndarray:
    p, q = (ring[x] - ring[atom] for x in _RING_NEIGHBOURS[atom])
    v = -(p / np.linalg.norm(p) + q / np.linalg.norm(q))
    return v / np.linalg.norm(v)


Site = tuple[int, tuple[int, ...]]


def bond_adjacency(bonds: Bonds) -> dict[int, list[Site]]:
    """Neighbours of every atom as (atom, cell offset), both directions of each bond."""
    adj: dict[int, list[Site]] = defaultdict(list)
    for a, b, s in zip(bonds.i.tolist(), bonds.j.tolist(), bonds.offsets.tolist(), strict=True):
        adj[a].append((b, tuple(s)))
        adj[b].append((a, tuple(-x for x in s)))
    return adj


def imidazolate_rings(species: list[str], adj: dict[int, list[Site]]) -> Iterator[dict[str, Site]]:
    """Every imidazolate ring (C2/N1/N3/C4/C5 sites, offsets relative to C2), once each."""
    for c2 in range(len(species)):
        if species[c2] != "C":
            continue
        ring = _imidazolate_ring(c2, adj, species)
        if ring is not None:
            yield ring


def make_restraints(
    species: list[str],
    template_species: list[str],
    cart_A: np.ndarray,
    lattice_A: np.ndarray,
    bonds: Bonds,
    *,
    metal_donor_A: dict[tuple[str, str], float] | None = None,
    keep_net_angles: bool = False,
) -> tuple[Restraints, list[str]]:
    """Restraints for a substituted template (full cell, bonds from the template).

    With ``keep_net_angles`` (for a refined cell, whose size the bonds alone do not fix: the
    rings can turn about the M-N bonds), the metal-metal distances across one linker
    (imidazolate, cyanide) get their exact targets and the distances between two metals
    bonded through a third get the template's, scaled by the mean change of the first (the
    template's M-M-M angles kept, as the T-T-T geometry in DLS zeolite models).

    Parameters
    ----------
    species, template_species : list of str
        Elements of every atom after and before the substitution.
    cart_A : ndarray
        Cartesian positions of the template, Å.
    lattice_A : ndarray
        Lattice vectors of the template as rows, Å.
    bonds : Bonds
        Bonds of the template.
    metal_donor_A : dict, optional
        Metal-donor targets overriding :data:`METAL_DONOR_A`, Å.
    keep_net_angles : bool
        Add the M-M edge and M-M-M 1,3 restraints (for a refined cell).

    Returns
    -------
    tuple
        (:class:`Restraints`, notes on where each metal-donor target came from).
    """
    table = dict(METAL_DONOR_A)
    if metal_donor_A:
        table.update(metal_donor_A)
    rb = _RestraintSet(species, cart_A, lattice_A, bond_adjacency(bonds))
    notes = rb.metal_donor(bonds, template_species, table)
    in_ring, edges = rb.rings()
    edges += rb.other_bonds(bonds, in_ring)
    rb.angles(in_ring)
    if keep_net_angles and edges:
        _net_restraints(edges, rb.pos, rb.add)
    return rb.restraints(), notes


class _RestraintSet:
    """The restraints being collected for one structure (each atom pair once)."""

    def __init__(
        self,
        species: list[str],
        cart_A: np.ndarray,
        lattice_A: np.ndarray,
        adj: dict[int, list[Site]],
    ) -> None:
        self.species, self.cart, self.lattice, self.adj = species, cart_A, lattice_A, adj
        self.metal = [is_metal(s) for s in species]
        self.rows: dict[tuple[int, int, tuple[int, ...]], tuple[float, float, str]] = {}
        self.bond_target: dict[tuple[int, int, tuple[int, ...]], float] = {}

    def pos(self, site: Site) -> np.ndarray:
        """Cartesian position of an atom in a given cell, Å."""
        return self.cart[site[0]] + np.asarray(site[1]) @ self.lattice

    def add(self, p: Site, q: Site, target: float, kind: str) -> None:
        """Restrain the distance p-q to ``target`` (first restraint of a pair wins)."""
        off = tuple(int(x) for x in np.subtract(q[1], p[1]))
        key = (p[0], q[0], off)
        rkey = (q[0], p[0], tuple(-x for x in off))
        if p[0] == q[0] and off == (0, 0, 0):
            return
        if key in self.rows or rkey in self.rows:
            return
        self.rows[key] = (target, SIGMA_A[kind], kind)

    @staticmethod
    def shift(site: Site, by: tuple[int, ...]) -> Site:
        """Return the same atom in the cell moved by ``by``."""
        return (site[0], tuple(int(x) for x in np.add(site[1], by)))

    def metal_donor(
        self, bonds: Bonds, template_species: list[str], table: dict[tuple[str, str], float]
    ) -> list[str]:
        """Metal-donor bond targets (table, else template + radius change); return notes."""
        species, metal = self.species, self.metal
        seen_src: dict[tuple[str, str], str] = {}
        for a, b, s, d in zip(bonds.i, bonds.j, bonds.offsets, bonds.length_A, strict=True):
            a, b, s = int(a), int(b), tuple(int(x) for x in s)
            if metal[a] == metal[b]:
                continue
            m, x = (a, b) if metal[a] else (b, a)
            pair = (species[m], species[x])
            if pair in table:
                t = table[pair]
                seen_src.setdefault(pair, f"{pair[0]}-{pair[1]} {t:.2f} Å (table)")
            else:
                t = (
                    float(d)
                    + covalent_radius_A(species[m])
                    - covalent_radius_A(template_species[m])
                )
                seen_src.setdefault(
                    pair,
                    f"{pair[0]}-{pair[1]} from the template's {template_species[m]}-{pair[1]} "
                    "+ covalent-radius difference",
                )
            self.bond_target[(a, b, s)] = t
            self.add((a, (0, 0, 0)), (b, s), t, "metal-donor")
        return list(seen_src.values())

    def mx_target(self, m: int, x: Site) -> float:
        """Target of the bond from metal m to the donor site x (else its length now)."""
        for (a, b, s), t in self.bond_target.items():
            if (a == m and b == x[0] and s == x[1]) or (
                b == m and a == x[0] and s == tuple(-v for v in x[1])
            ):
                return t
        return float(np.linalg.norm(self.pos(x) - self.cart[m]))

    def rings(self) -> tuple[set[int], list[tuple[Site, Site, float]]]:
        """Rigid planar imidazolates with their H and metals; return ring atoms, M-M edges."""
        ideal = imidazolate_geometry()
        in_ring: set[int] = set()
        edges: list[tuple[Site, Site, float]] = []
        for ring in imidazolate_rings(self.species, self.adj):
            in_ring.update(site[0] for site in ring.values())
            names = list(ring)
            for k, pn in enumerate(names):
                for qn in names[k + 1 :]:
                    kind = "ring bond" if qn in _RING_NEIGHBOURS[pn] else "ring 1,3"
                    self.add(ring[pn], ring[qn], float(np.linalg.norm(ideal[pn] - ideal[qn])), kind)
            in_ring.update(self._ring_hydrogens(ring, ideal))
            edges += self._ring_metals(ring, ideal)
        return in_ring, edges

    def _ring_hydrogens(self, ring: dict[str, Site], ideal: dict[str, np.ndarray]) -> set[int]:
        """C-H and H 1,3 targets of one ring; return the H atoms."""
        hs_all: set[int] = set()
        for c, h in (("C2", "H2"), ("C4", "H4"), ("C5", "H5")):
            for hx in self.adj[ring[c][0]]:
                if self.species[hx[0]] != "H":
                    continue
                hs = self.shift(hx, ring[c][1])
                hs_all.add(hs[0])
                self.add(ring[c], hs, IMIDAZOLATE_A["C-H"], "C-H")
                for nb in _RING_NEIGHBOURS[c]:
                    self.add(hs, ring[nb], float(np.linalg.norm(ideal[h] - ideal[nb])), "H 1,3")
        return hs_all

    def _ring_metals(
        self, ring: dict[str, Site], ideal: dict[str, np.ndarray]
    ) -> list[tuple[Site, Site, float]]:
        """M-N-C 1,3 targets (metal on the N's external bisector); return the M-M edges."""
        m_at: dict[str, list[tuple[Site, np.ndarray]]] = {"N1": [], "N3": []}
        centre = np.mean([ideal[x] for x in ("C2", "N1", "N3", "C4", "C5")], axis=0)
        for n_name in ("N1", "N3"):
            out = _external_bisector(ideal, n_name, centre)
            for mx in self.adj[ring[n_name][0]]:
                if not self.metal[mx[0]]:
                    continue
                ms = self.shift(mx, ring[n_name][1])
                d_mn = self.mx_target(ms[0], (ring[n_name][0], tuple(-v for v in mx[1])))
                m_pos = ideal[n_name] + d_mn * out
                m_at[n_name].append((ms, m_pos))
                for c in _RING_NEIGHBOURS[n_name]:
                    self.add(ms, ring[c], float(np.linalg.norm(m_pos - ideal[c])), "M-N-C 1,3")
        return [
            (m1, m3, float(np.linalg.norm(p1 - p3)))
            for m1, p1 in m_at["N1"]
            for m3, p3 in m_at["N3"]
        ]

    def other_bonds(self, bonds: Bonds, in_ring: set[int]) -> list[tuple[Site, Site, float]]:
        """Cyanide C#N (linear M-C#N-M) and the template's other bonds; return M-M edges."""
        adj, metal = self.adj, self.metal
        edges: list[tuple[Site, Site, float]] = []
        for a, b, s, d in zip(bonds.i, bonds.j, bonds.offsets, bonds.length_A, strict=True):
            a, b, s = int(a), int(b), tuple(int(x) for x in s)
            if metal[a] != metal[b] or (a in in_ring and b in in_ring):
                continue
            if not _is_cyanide(a, b, adj, self.species, metal):
                self.add((a, (0, 0, 0)), (b, s), float(d), "template bond")
                continue
            self.add((a, (0, 0, 0)), (b, s), CYANIDE_CN_A, "C#N")
            for ma in (x for x in adj[a] if metal[x[0]]):
                for mb in (x for x in adj[b] if metal[x[0]]):
                    mbs = self.shift(mb, s)
                    d_a = self.mx_target(ma[0], (a, tuple(-v for v in ma[1])))
                    d_b = self.mx_target(mbs[0], (b, tuple(-v for v in mb[1])))
                    edges.append((ma, mbs, d_a + CYANIDE_CN_A + d_b))
        return edges

    def angles(self, in_ring: set[int]) -> None:
        """1,3 distances: tetrahedral X-M-X, straight chains kept straight, others kept."""
        for centre in range(len(self.species)):
            nbs = self.adj[centre]
            if len(nbs) < 2:
                continue
            if self.metal[centre]:
                self._metal_angles(centre, [x for x in nbs if not self.metal[x[0]]])
            elif centre not in in_ring or self.species[centre] == "N":
                self._ligand_angles(centre, nbs, in_ring)

    def _metal_angles(self, centre: int, donors: list[Site]) -> None:
        """X-M-X 1,3 targets: tetrahedral for four donors, else the template's angle."""
        for k, p in enumerate(donors):
            for q in donors[k + 1 :]:
                d1, d2 = self.mx_target(centre, p), self.mx_target(centre, q)
                if len(donors) == 4:
                    cosang = -1.0 / 3.0
                else:
                    u, v = self.pos(p) - self.cart[centre], self.pos(q) - self.cart[centre]
                    cosang = float(u @ v / np.linalg.norm(u) / np.linalg.norm(v))
                self.add(p, q, math.sqrt(d1 * d1 + d2 * d2 - 2 * d1 * d2 * cosang), "X-M-X 1,3")

    def _ligand_angles(self, centre: int, nbs: list[Site], in_ring: set[int]) -> None:
        """1,3 targets about a non-metal: a straight pair kept straight, others as found."""
        for k, p in enumerate(nbs):
            for q in nbs[k + 1 :]:
                if centre in in_ring and (
                    (p[0] in in_ring and q[0] in in_ring) or self.metal[p[0]] or self.metal[q[0]]
                ):
                    continue
                u, v = self.pos(p) - self.cart[centre], self.pos(q) - self.cart[centre]
                cosang = float(u @ v / np.linalg.norm(u) / np.linalg.norm(v))
                if len(nbs) == 2 and cosang < math.cos(math.radians(165)):
                    d1 = _target_of(self.rows, centre, p)
                    d2 = _target_of(self.rows, centre, q)
                    self.add(p, q, d1 + d2, "linear 1,3")
                else:
                    self.add(p, q, float(np.linalg.norm(self.pos(p) - self.pos(q))), "template 1,3")

    def restraints(self) -> Restraints:
        """Return the collected rows as a :class:`Restraints`."""
        rows = self.rows
        keys = list(rows)
        return Restraints(
            i=np.array([k[0] for k in keys], dtype=np.int64),
            j=np.array([k[1] for k in keys], dtype=np.int64),
            offset=np.array([k[2] for k in keys], dtype=float).reshape(-1, 3),
            target_A=np.array([rows[k][0] for k in keys]),
            sigma_A=np.array([rows[k][1] for k in keys]),
            kind=tuple(rows[k][2] for k in keys),
        )


def _net_restraints(edges: list, pos: Callable, add: Callable) -> None:
    """M-M edge targets and the template's M-M-M 1,3 distances scaled by the edge change."""
    ratios = []
    incident: dict[int, list[Site]] = defaultdict(list)
    for p, q, target in edges:
        add(p, q, target, "M-M edge")
        ratios.append(target / float(np.linalg.norm(pos(q) - pos(p))))
        # the far end relative to each end in its home cell
        incident[p[0]].append((q[0], tuple(int(x) for x in np.subtract(q[1], p[1]))))
        incident[q[0]].append((p[0], tuple(int(x) for x in np.subtract(p[1], q[1]))))
    scale = float(np.mean(ratios))
    for ends in incident.values():
        uniq = list(dict.fromkeys(ends))
        for k, a in enumerate(uniq):
            for b in uniq[k + 1 :]:
                add(a, b, scale * float(np.linalg.norm(pos(b) - pos(a))), "M-M-M 1,3")


def _target_of(rows: dict, centre: int, site: Site) -> float:
    for key in ((centre, site[0], site[1]), (site[0], centre, tuple(-x for x in site[1]))):
        if key in rows:
            return float(rows[key][0])
    raise KeyError(site)


def _is_cyanide(a: int, b: int, adj: dict, species: list[str], metal: list[bool]) -> bool:
    if {species[a], species[b]} != {"C", "N"}:
        return False
    for x in (a, b):
        if sum(1 for n in adj[x] if not metal[n[0]]) != 1:
            return False
    return True


def _imidazolate_ring(c2: int, adj: dict, species: list[str]) -> dict[str, Site] | None:
    """Find the C2/N1/N3/C4/C5 sites (offsets relative to C2) of the ring through C2, if any."""
    ns = [x for x in adj[c2] if species[x[0]] == "N"]
    if len(ns) != 2:
        return None
    n1, n3 = ns
    c5s = [(x[0], tuple(np.add(x[1], n1[1]))) for x in adj[n1[0]] if species[x[0]] == "C"]
    c4s = [(x[0], tuple(np.add(x[1], n3[1]))) for x in adj[n3[0]] if species[x[0]] == "C"]
    for c5 in c5s:
        if c5[0] == c2 and c5[1] == (0, 0, 0):
            continue
        for c4 in c4s:
            if c4[0] == c2 and c4[1] == (0, 0, 0):
                continue
            for nb in adj[c4[0]]:
                if nb[0] == c5[0] and tuple(np.add(nb[1], c4[1])) == tuple(c5[1]):
                    return {
                        "C2": (c2, (0, 0, 0)),
                        "N1": (n1[0], tuple(int(v) for v in n1[1])),
                        "N3": (n3[0], tuple(int(v) for v in n3[1])),
                        "C4": (c4[0], tuple(int(v) for v in c4[1])),
                        "C5": (c5[0], tuple(int(v) for v in c5[1])),
                    }
    return None
