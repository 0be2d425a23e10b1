"""Continuous random networks of tetrahedral M(L)2 frameworks by bond switching.

:func:`build_crn` starts from a crystal supercell's metal net (:mod:`.net`), randomises it by
bond switches under the valence force field of :mod:`.vff` with Metropolis acceptance at a
decreasing temperature and a few FIRE steps of relaxation after every switch, then puts the
crystal's own rigid linker back on every metal-metal link. A switch takes two links A-B and C-D
whose midpoints lie within ``switch_radius`` and reconnects them as A-C + B-D (or A-D + B-C):
every metal keeps its coordination and every linker still bridges two metals. When the links
share a neighbour (B-C bonded) this is the Wooten-Winer-Weaire move; the non-adjacent case is
needed for interpenetrated crystals, whose networks WWW switches alone never join.

References
----------
.. [1] F. Wooten, K. Winer, D. Weaire, Phys. Rev. Lett. 54 (1985) 1392.
.. [2] G. T. Barkema, N. Mousseau, Phys. Rev. B 62 (2000) 4985 (WWW with local relaxation).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy.spatial import cKDTree

from mofglass.errors import AnalysisError
from mofglass.models.glass.net import MetalNet
from mofglass.models.glass.vff import (
    ForceField,
    _incidence,
    fire_relax,
    lbfgs_relax,
    min_image_pairs,
)
from mofglass.structure.crystal import Crystal
from mofglass.structure.properties import crystal_density_g_cm3

__all__ = ["CRNModel", "build_crn", "decorate"]


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
        return len(self.metal_network)

    def fraction_first_inter_neighbour_changed(self) -> float:
        """Fraction of metals whose nearest metal of another original network is none of the
        nearest ones it had in the crystal (NaN without interpenetration)."""
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


def _pairs(edges: np.ndarray) -> set[tuple[int, int]]:
    return {(min(a, b), max(a, b)) for a, b in edges.tolist()}


def build_crn(
    net: MetalNet,
    *,
    seed: int = 0,
    randomise: float = 1.0,
    sweeps: float = 3.0,
    t_start: float = 30.0,
    t_end: float = 0.5,
    relax_steps: int = 15,
    switch_radius_A: float | None = None,
    min_angle_deg: float = 60.0,
    density_g_cm3: float | None = None,
    ff: ForceField | None = None,
) -> CRNModel:
    """Randomise a 4-connected metal net by bond switches and re-decorate it.

    Parameters
    ----------
    net : MetalNet
        Crystal supercell net (:func:`~mofglass.models.glass.net.supercell_net`); every metal
        must have the same coordination (4 for a tetrahedral framework).
    seed : int
        Random seed (the model is a deterministic function of the inputs and the seed).
    randomise : float
        Switches per link accepted unconditionally first (topological randomisation, as the
        "melting" stage of Wooten et al.), each followed by the local relaxation.
    sweeps : float
        Metropolis switch attempts per link after that.
    t_start, t_end : float
        Metropolis temperature (force-field unit), decreasing geometrically.
    relax_steps : int
        FIRE steps on all metal positions after each switch.
    min_angle_deg : float
        Switches that leave a metal-metal-metal angle at the switched metals below this (or
        below the crystal's smallest, if smaller) after relaxation are refused: two linkers on
        such an angle would overlap.
    switch_radius_A : float, optional
        Largest distance between the midpoints of two links to switch (default: 1.3 × d0).
    density_g_cm3 : float, optional
        Scale the box isotropically to this density before randomising (default: crystal's).
    ff : ForceField, optional
        Force field (default: d0 from the crystal, repulsion below 0.8 d0 or below the shortest
        non-bonded metal···metal distance of the crystal).
    """
    deg = net.degrees()
    if (deg != 4).any():
        raise AnalysisError(
            f"the metal net is not tetrahedral (metal coordination {sorted(set(deg.tolist()))})"
        )
    rng = np.random.default_rng(seed)
    lat = net.lattice_A.copy()
    pos = net.positions_A.copy()
    d0 = float(np.mean(np.linalg.norm(net.bond_vectors(), axis=1)))
    if density_g_cm3 is not None:
        rho0 = _density(net, pos, lat)
        scale = (rho0 / density_g_cm3) ** (1 / 3)
        lat, pos = lat * scale, pos * scale
    if ff is None:
        i, j, s = min_image_pairs(net.positions_A, net.lattice_A, 1.2 * d0, _pairs(net.edges))
        r = np.linalg.norm(net.positions_A[j] + s @ net.lattice_A - net.positions_A[i], axis=1)
        r_rep = min(0.8 * d0, 0.95 * float(r.min())) if len(r) else 0.8 * d0
        ff = ForceField(d0_A=d0, k_bond=50.0, k_angle=0.25 * d0**2, r_rep_A=r_rep)
    radius = switch_radius_A if switch_radius_A is not None else 1.3 * d0
    edges, offsets = net.edges.copy(), net.offsets.copy()
    r_list = ff.r_rep_A + 1.5
    rep = min_image_pairs(pos, lat, r_list, _pairs(edges))
    pos, energy = fire_relax(pos, lat, edges, offsets, ff, rep, steps=5 * relax_steps)
    energy0 = energy
    inv = np.linalg.inv(lat)
    n_random = int(randomise * len(edges))
    n_try = n_random + max(1, int(sweeps * len(edges)))
    crystal_min = math.degrees(math.acos(_max_cos(pos, lat, edges, offsets)))
    cos_max = math.cos(math.radians(min(min_angle_deg, crystal_min)))
    cos_pre = math.cos(math.radians(max(min_angle_deg - 40.0, 0.0)))
    accepted = attempted = draws = 0
    while attempted < n_try and draws < 20 * n_try:
        draws += 1
        anneal = attempted - n_random
        temp = t_start * (t_end / t_start) ** (max(anneal, 0) / max(n_try - n_random - 1, 1))
        if draws % 25 == 0:
            rep = min_image_pairs(pos, lat, r_list, _pairs(edges))
        if draws % max(1, len(edges) // 2) == 0:
            pos, energy = lbfgs_relax(pos, lat, edges, offsets, ff, rep, max_iter=100)
        proposal = _propose(rng, pos, lat, inv, edges, offsets, radius, ff.d0_A)
        if proposal is None:
            continue
        new_edges, new_offsets, broken = proposal
        moved = np.unique(edges[list(broken)])
        if _max_cos(pos, lat, new_edges, new_offsets, moved) > cos_pre:
            continue  # hopeless before relaxation
        rep_new = _with_broken(_drop_bonded(rep, new_edges), edges, offsets, broken)
        trial, e_new = fire_relax(pos, lat, new_edges, new_offsets, ff, rep_new, steps=relax_steps)
        if _max_cos(trial, lat, new_edges, new_offsets, moved) > cos_max:
            continue  # a metal-metal-metal angle below min_angle_deg: linkers would clash
        attempted += 1
        de = e_new - energy
        if anneal < 0 or de <= 0 or rng.random() < math.exp(-de / temp):
            pos, edges, offsets, energy, rep = trial, new_edges, new_offsets, e_new, rep_new
            accepted += 1
    for _ in range(3):
        rep = min_image_pairs(pos, lat, r_list, _pairs(edges))
        pos, energy = lbfgs_relax(pos, lat, edges, offsets, ff, rep)
    stats = {
        "seed": float(seed),
        "switch_attempts": float(attempted),
        "switch_draws": float(draws),
        "switch_accepted": float(accepted),
        "energy_start": float(energy0),
        "energy_end": float(energy),
        "t_start": t_start,
        "t_end": t_end,
        "d0_A": d0,
    }
    return decorate(net, pos, lat, edges, offsets, rng=rng, stats=stats)


def _max_cos(
    pos: np.ndarray,
    lat: np.ndarray,
    edges: np.ndarray,
    offsets: np.ndarray,
    metals: np.ndarray | None = None,
) -> float:
    """Largest cosine of a metal-metal-metal angle (the smallest angle), at ``metals`` or all."""
    eid, sign = _incidence(edges, len(pos), 4)
    if metals is not None:
        eid, sign = eid[metals], sign[metals]
    v = pos[edges[:, 1]] + offsets @ lat - pos[edges[:, 0]]
    u = v / np.linalg.norm(v, axis=1)[:, None]
    vec = u[eid] * sign[..., None]
    c = np.einsum("nkd,nld->nkl", vec, vec)
    c[:, np.arange(4), np.arange(4)] = -1.0
    return float(c.max())


def _drop_bonded(
    rep: tuple[np.ndarray, np.ndarray, np.ndarray], edges: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    bonded = _pairs(edges)
    i, j, s = rep
    keep = np.array([(a, b) not in bonded for a, b in zip(i.tolist(), j.tolist(), strict=True)])
    if not len(keep):
        return rep
    return i[keep], j[keep], s[keep]


def _with_broken(
    rep: tuple[np.ndarray, np.ndarray, np.ndarray],
    edges: np.ndarray,
    offsets: np.ndarray,
    broken: tuple[int, int],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Add the two links a switch breaks to the non-bonded (repulsion) pairs."""
    e = edges[list(broken)]
    s = offsets[list(broken)]
    return (
        np.concatenate([rep[0], e[:, 0]]),
        np.concatenate([rep[1], e[:, 1]]),
        np.concatenate([rep[2], s]),
    )


def _neighbour_sets(edges: np.ndarray, n: int) -> list[set[int]]:
    out: list[set[int]] = [set() for _ in range(n)]
    for a, b in edges.tolist():
        out[a].add(b)
        out[b].add(a)
    return out


def _propose(
    rng: np.random.Generator,
    pos: np.ndarray,
    lat: np.ndarray,
    inv: np.ndarray,
    edges: np.ndarray,
    offsets: np.ndarray,
    radius: float,
    d0: float,
) -> tuple[np.ndarray, np.ndarray, tuple[int, int]] | None:
    """A bond-switch proposal (new edges, offsets, the two links), or None if the drawn pair cannot switch."""
    e1 = int(rng.integers(len(edges)))
    v = pos[edges[:, 1]] + offsets @ lat - pos[edges[:, 0]]
    mid = pos[edges[:, 0]] + 0.5 * v
    d = mid - mid[e1]
    d -= np.rint(d @ inv) @ lat
    dist = np.linalg.norm(d, axis=1)
    a, b = edges[e1]
    shares = np.isin(edges[:, 0], (a, b)) | np.isin(edges[:, 1], (a, b))
    cand = np.flatnonzero((dist < radius) & ~shares)
    if not len(cand):
        return None
    e2 = int(cand[rng.integers(len(cand))])
    c, dd = edges[e2]
    if rng.random() < 0.5:
        c, dd = dd, c
    bonded = _pairs(edges)
    new = [(a, c), (b, dd)]
    if any((min(p, q), max(p, q)) in bonded for p, q in new):
        return None
    nbrs = _neighbour_sets(edges, len(pos))
    nbrs[a].discard(b), nbrs[b].discard(a), nbrs[c].discard(dd), nbrs[dd].discard(c)
    if any(nbrs[p] & nbrs[q] for p, q in new):  # a switch never makes a 3-ring
        return None
    new_offsets = []
    for p, q in new:
        w = pos[q] - pos[p]
        s = -np.rint(w @ inv)
        if np.linalg.norm(w + s @ lat) > 1.6 * d0:
            return None
        new_offsets.append(s.astype(np.int64))
    out_e, out_s = edges.copy(), offsets.copy()
    out_e[e1], out_s[e1] = new[0], new_offsets[0]
    out_e[e2], out_s[e2] = new[1], new_offsets[1]
    return out_e, out_s, (e1, e2)


def _density(net: MetalNet, pos: np.ndarray, lat: np.ndarray) -> float:
    species = list(net.metal_species) + list(net.template.species) * len(net.edges)
    dummy = Crystal(
        tuple(species),
        np.zeros((len(species), 3)),
        lat,
        np.ones(len(species)),
        np.zeros(len(species)),
        tuple(species),
    )
    return float(crystal_density_g_cm3(dummy))


def _untangle(
    xyz: np.ndarray,
    n_m: int,
    n_tpl: int,
    mids: np.ndarray,
    v: np.ndarray,
    lat: np.ndarray,
    *,
    clash_A: float = 2.0,
    passes: int = 4,
    n_angles: int = 24,
) -> None:
    """Turn clashing linkers about their metal-metal axis to the angle of largest clearance.

    Needs an orthogonal box (periodic k-d tree); other boxes keep the first placement.
    """
    if np.abs(lat - np.diag(np.diag(lat))).max() > 1e-6:
        return
    box = np.diag(lat).copy()
    n = len(xyz)
    link = np.where(np.arange(n) >= n_m, (np.arange(n) - n_m) // n_tpl, -1)
    phis = np.linspace(0.0, 2 * np.pi, n_angles, endpoint=False)
    for _ in range(passes):
        tree = cKDTree(np.mod(xyz, box), boxsize=box)
        pairs = tree.query_pairs(clash_A, output_type="ndarray")
        bad = link[pairs]
        bad = np.unique(bad[bad[:, 0] != bad[:, 1]].ravel())
        bad = bad[bad >= 0]
        if not len(bad):
            return
        for k in bad.tolist():
            own = np.arange(n_m + k * n_tpl, n_m + (k + 1) * n_tpl)
            x = v[k] / np.linalg.norm(v[k])
            rel = xyz[own] - mids[k]
            trials = np.stack([mids[k] + rel @ _axis_rotation(x, phi).T for phi in phis])
            dist, idx = tree.query(np.mod(trials.reshape(-1, 3), box), k=n_tpl + 6)
            dist = np.where(np.isin(idx, own) | (idx >= n), np.inf, dist)
            clear = dist.reshape(n_angles, -1).min(axis=1)
            xyz[own] = trials[int(np.argmax(clear))]


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
    side when that sum vanishes); clashing linkers are then turned about their link.
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
    for k, (a, b) in enumerate(edges.tolist()):
        x = unit[k]
        s = (crowd[a] - x) + (crowd[b] + x)
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
    n_tpl = len(tpl.species)
    _untangle(xyz, n_m, n_tpl, pos[edges[:, 0]] + 0.5 * v, v, lat)
    stats = dict(stats or {})
    contacts = _close_contacts(xyz, n_m, n_tpl, lat, 1.0)
    if contacts is not None:
        stats["atom_pairs_closer_than_1A"] = float(contacts)
    frac = (xyz @ np.linalg.inv(lat)) % 1.0
    crystal = Crystal.from_fractional(species, frac, lat, source="continuous random network model")
    shift = np.floor(pos @ np.linalg.inv(lat)).astype(np.int64)  # metals wrapped into the box
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


def _close_contacts(
    xyz: np.ndarray, n_m: int, n_tpl: int, lat: np.ndarray, limit_A: float
) -> int | None:
    """Pairs of atoms of different linkers (or metal and linker) closer than ``limit_A``."""
    if np.abs(lat - np.diag(np.diag(lat))).max() > 1e-6:
        return None
    box = np.diag(lat).copy()
    pairs = cKDTree(np.mod(xyz, box), boxsize=box).query_pairs(limit_A, output_type="ndarray")
    n = np.arange(len(xyz))
    unit = np.where(n >= n_m, n_m + (n - n_m) // n_tpl, n)
    return int(np.sum(unit[pairs[:, 0]] != unit[pairs[:, 1]]))
