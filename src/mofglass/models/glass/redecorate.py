"""Re-decoration of a metal net with rigid linkers, free of clashes: the atoms of a CRN model.

:func:`decorate` puts the crystal's rigid linker on every metal-metal link of a relaxed net:
links the bond switches left alone keep their crystal linker's orientation, switched links are
turned about their axis to the clearest angle, then metals and rigid linkers relax together
(:func:`.unclash.unclash`: both metal-donor bonds at the crystal's length, the metal on each
donor's lone pair) until no two atoms of different units are closer than the bond graph's own
cutoff (covalent radii + tolerance, :func:`mofglass.structure.bonds.find_bonds`) plus a margin,
so the bond graph of the model is the intended one: every metal bonded to its four donors and
every linker to its two metals.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from mofglass.models.glass.net import MetalNet
from mofglass.models.glass.unclash import lone_pair_sites, unclash
from mofglass.structure.bonds import DONORS, covalent_radius_A, is_metal
from mofglass.structure.crystal import Crystal

__all__ = ["CRNModel", "contact_limits", "decorate"]


@dataclass(frozen=True, eq=False)
class CRNModel:
    """A continuous-random-network model in a periodic P1 box.

    Attributes
    ----------
    crystal : Crystal
        All atoms: metals first (index = metal index), then the linkers in link order.
    atom_network : ndarray of int
        Original network of every atom (a linker takes the network of its first metal).
    atom_link : ndarray of int
        Link (linker) index of every linker atom, -1 for metals.
    metal_network : ndarray of int
        Original network of every metal.
    edges, offsets : ndarray
        The metal net of the model (metal pairs per linker, lattice offset of the second).
    link_joins_networks : ndarray of bool
        Whether each link now joins two different original networks.
    reference : MetalNet
        The crystal supercell net it started from (same metal order).
    stats : dict
        Attempted / accepted switches, energies, temperatures, seed.
    """

    crystal: Crystal
    atom_network: np.ndarray
    atom_link: np.ndarray
    metal_network: np.ndarray
    edges: np.ndarray
    offsets: np.ndarray
    link_joins_networks: np.ndarray
    reference: MetalNet
    stats: dict[str, float] = field(default_factory=dict)

    @property
    def n_metals(self) -> int:
        """Number of metals."""
        return len(self.metal_network)

    def fraction_first_inter_neighbour_changed(self) -> float:
        """Fraction of metals whose nearest other-network metal changed.

        A metal counts when its nearest metal of another original network is none of the
        nearest ones it had in the crystal (NaN without interpenetration).
        """
        from mofglass.models.glass.analysis import nearest_other_network

        if len(np.unique(self.metal_network)) < 2:
            return float("nan")
        lat = self.crystal.lattice_A
        assert lat is not None
        ref = self.reference
        before = nearest_other_network(ref.positions_A, ref.network, ref.lattice_A)
        after = nearest_other_network(
            self.crystal.positions_A[: self.n_metals], self.metal_network, lat, tie_A=0.0
        )
        return float(np.mean([not (a & b) for a, b in zip(after, before, strict=True)]))

    def fraction_links_changed(self) -> float:
        """Fraction of the model's metal pairs that were not linked in the crystal."""
        old = {tuple(sorted(e)) for e in self.reference.edges.tolist()}
        new = [tuple(sorted(e)) for e in self.edges.tolist()]
        return float(np.mean([e not in old for e in new]))


def _rotate_about(p: np.ndarray, axis: np.ndarray, phi: np.ndarray) -> np.ndarray:
    """Rotate vectors ``p`` (..., 3) about the unit ``axis`` by every angle of ``phi`` (Rodrigues).

    Returns shape (len(phi), ..., 3).
    """
    c, s = np.cos(phi)[:, None, None], np.sin(phi)[:, None, None]
    p = p.reshape(1, -1, 3)
    along = (p @ axis)[..., None] * axis
    return p * c + np.cross(axis, p) * s + along * (1 - c)


def _tetrahedral_turn(
    xyz: np.ndarray, edges: np.ndarray, mids: np.ndarray, v: np.ndarray, *, donors: tuple[int, int]
) -> None:
    """Turn every linker about its link to the angle that makes its metals' N-M-N tetrahedral.

    The donors sit off the metal-metal line (the linker is bent), so the turn of each linker
    about its link sets the directions of its two M-N bonds; Gauss-Seidel sweeps choose, link
    by link, the angle minimising Σ (cos θ_NMN + 1/3)² over the N-M-N angles at both metals.
    """
    sweeps, n_angles = 4, 36
    n_tpl = (len(xyz) - len(np.unique(edges))) // len(edges)
    n_m = len(xyz) - n_tpl * len(edges)
    phis = np.linspace(0.0, 2 * np.pi, n_angles, endpoint=False)
    axes = v / np.linalg.norm(v, axis=1)[:, None]
    base = n_m + n_tpl * np.arange(len(edges))
    metal_xyz = np.stack([mids - 0.5 * v, mids + 0.5 * v], axis=1)  # (E, 2, 3)
    unit = np.empty((len(edges), n_angles, 2, 3))
    for k in range(len(edges)):
        rel = xyz[base[k] + np.array(donors)] - mids[k]
        d = mids[k] + _rotate_about(rel, axes[k], phis) - metal_xyz[k][None]
        unit[k] = d / np.linalg.norm(d, axis=-1, keepdims=True)
    ends: list[list[tuple[int, int]]] = [[] for _ in range(n_m)]
    for k, (a, b) in enumerate(edges.tolist()):
        ends[a].append((k, 0))
        ends[b].append((k, 1))
    choice = np.zeros(len(edges), dtype=np.int64)
    for _ in range(sweeps):
        for k, (a, b) in enumerate(edges.tolist()):
            cost = np.zeros(n_angles)
            for end, metal in ((0, a), (1, b)):
                others = [unit[j, choice[j], e] for j, e in ends[metal] if (j, e) != (k, end)]
                if others:
                    cost += np.sum((unit[k, :, end] @ np.array(others).T + 1.0 / 3.0) ** 2, axis=1)
            choice[k] = int(np.argmin(cost))
    for t in np.flatnonzero(choice).tolist():
        own = slice(base[t], base[t] + n_tpl)
        xyz[own] = (
            mids[t] + _rotate_about(xyz[own] - mids[t], axes[t], phis[choice[t] : choice[t] + 1])[0]
        )


def _kept_orientation(net: MetalNet, edges: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Return the crystal linker's in-plane direction of every link left alone (NaN else)."""
    out = np.full((len(edges), 3), np.nan)
    if net.linker_y is None:
        return out
    ref: dict[tuple[int, ...], int] = {}
    for k, ((a, b), s) in enumerate(zip(net.edges.tolist(), net.offsets.tolist(), strict=True)):
        ref[(a, b, *s)] = k
        ref[(b, a, *(-x for x in s))] = k
    for k, ((a, b), s) in enumerate(zip(edges.tolist(), offsets.tolist(), strict=True)):
        j = ref.get((a, b, *s))
        if j is not None:
            out[k] = net.linker_y[j]
    return out


def _axis_rotation(axis: np.ndarray, phi: float) -> np.ndarray:
    """Rotation matrix by ``phi`` about the unit vector ``axis`` (Rodrigues)."""
    k = np.array([[0, -axis[2], axis[1]], [axis[2], 0, -axis[0]], [-axis[1], axis[0], 0]])
    return np.eye(3) + math.sin(phi) * k + (1 - math.cos(phi)) * (k @ k)


def decorate(
    net: MetalNet,
    pos: np.ndarray,
    lat: np.ndarray,
    edges: np.ndarray,
    offsets: np.ndarray,
    *,
    rng: np.random.Generator,
    stats: dict[str, float] | None = None,
) -> CRNModel:
    """Put the crystal's rigid linker on every link with both metal-donor bonds at the crystal's.

    The donors lie on a line parallel to the link, displaced from it by
    h = sqrt(d_MN² - ((L - d_NN)/2)²) towards the ring (so both M-N bonds keep the crystal's
    mean length and the M-L-M angle takes up the change of the link length L; h = 0 and
    stretched M-N bonds only when L > d_NN + 2 d_MN). The ring plane contains the link; its
    side points away from the sum of the unit vectors of the two metals' other links (a random
    side when that sum vanishes). Links the switches left alone keep the crystal linker's
    orientation (:attr:`MetalNet.linker_y`); clashing switched linkers are turned about their
    link to the clearest angle, then :func:`.unclash.unclash` relaxes metals and linkers
    together until no contact is left (``stats["contacts_below_bond_cutoff"]``: 0).
    """
    tpl = net.template
    d_nn = tpl.donor_distance_A
    n_m = len(pos)
    v = pos[edges[:, 1]] + offsets @ lat - pos[edges[:, 0]]
    r = np.linalg.norm(v, axis=1)
    unit = v / r[:, None]
    crowd = np.zeros((n_m, 3))
    np.add.at(crowd, edges[:, 0], unit)
    np.add.at(crowd, edges[:, 1], -unit)
    species = list(net.metal_species)
    cart = [pos]
    atom_network = [net.network.copy()]
    atom_link = [-np.ones(n_m, dtype=np.int64)]
    kept = _kept_orientation(net, edges, offsets)
    for k, (a, b) in enumerate(edges.tolist()):
        x = unit[k]
        s = (crowd[a] - x) + (crowd[b] + x)
        if np.isfinite(kept[k]).all():
            s = -kept[k]
        s -= np.dot(s, x) * x
        if np.linalg.norm(s) < 1e-3:
            s = np.cross(x, rng.normal(size=3))
        y = -s / np.linalg.norm(s)
        frame = np.array([x, y, np.cross(x, y)])
        mid = pos[a] + 0.5 * v[k]
        h2 = net.m_n_A**2 - (0.5 * (r[k] - d_nn)) ** 2
        cart.append(mid + math.sqrt(max(h2, 0.0)) * y + tpl.local_A @ frame)
        species.extend(tpl.species)
        atom_network.append(np.full(len(tpl.species), net.network[a]))
        atom_link.append(np.full(len(tpl.species), k))
    xyz = np.vstack(cart)
    mids = pos[edges[:, 0]] + 0.5 * v
    _tetrahedral_turn(xyz, edges, mids, v, donors=tpl.donors)
    stats = dict(stats or {})
    types, limit = contact_limits(species)
    left = unclash(
        xyz,
        types,
        limit,
        n_metals=n_m,
        template=tpl.local_A,
        donors=tpl.donors,
        edges=edges,
        box_A=np.asarray(lat, dtype=float),
        metal_sites_A=tpl.metals_local_A
        if tpl.metals_local_A is not None
        else lone_pair_sites(tpl.local_A, tpl.donors, net.m_n_A),
    )
    stats["contacts_below_bond_cutoff"] = float(left)
    frac = (xyz @ np.linalg.inv(lat)) % 1.0
    crystal = Crystal.from_fractional(species, frac, lat, source="continuous random network model")
    shift = np.floor(xyz[:n_m] @ np.linalg.inv(lat)).astype(np.int64)  # metals wrapped
    offsets = offsets + shift[edges[:, 1]] - shift[edges[:, 0]]
    joins = net.network[edges[:, 0]] != net.network[edges[:, 1]]
    return CRNModel(
        crystal,
        np.concatenate(atom_network),
        np.concatenate(atom_link),
        net.network.copy(),
        edges,
        offsets,
        joins,
        net,
        stats,
    )


def contact_limits(
    species: list[str] | tuple[str, ...],
    *,
    tolerance_A: float = 0.4,
    metal_tolerance_A: float = 0.6,
    margin_A: float = 0.1,
) -> tuple[np.ndarray, np.ndarray]:
    """Closest distance allowed between atoms of different units, per element pair.

    The bond graph's own cutoff (covalent radii + tolerance, metal-donor pairs with the metal
    tolerance, as :func:`mofglass.structure.bonds.find_bonds`) plus ``margin_A``: no two atoms
    that should not be bonded come close enough to be read as bonded. C···C 2.02 Å, N···C
    1.97 Å, H···H 1.12 Å, Zn···N 2.63 Å with the defaults.

    Returns
    -------
    type_index : ndarray of int
        Element index of every atom.
    limit_A : ndarray, shape (n_elements, n_elements)
        Smallest allowed distance, Å.
    """
    elements = sorted(set(species))
    index = {e: k for k, e in enumerate(elements)}
    radius = np.array([covalent_radius_A(e) for e in elements])
    metal = np.array([is_metal(e) for e in elements])
    donor = np.array([e in DONORS for e in elements])
    md = (metal[:, None] & donor[None, :]) | (donor[:, None] & metal[None, :])
    tol = np.where(md, metal_tolerance_A, tolerance_A)
    limit = radius[:, None] + radius[None, :] + tol + margin_A
    return np.array([index[e] for e in species], dtype=np.int64), limit
