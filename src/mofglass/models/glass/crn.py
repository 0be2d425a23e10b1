"""Continuous random networks of tetrahedral M(L)2 frameworks by bond switching.

:func:`build_crn` starts from a crystal supercell's metal net (:mod:`.net`), randomises it by
bond switches under the valence force field of :mod:`.vff` with Metropolis acceptance at a
decreasing temperature and a local L-BFGS relaxation after every switch, then puts the
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

import numpy as np

from mofglass.errors import AnalysisError
from mofglass.models.glass.net import MetalNet
from mofglass.models.glass.redecorate import CRNModel, decorate
from mofglass.models.glass.vff import (
    ForceField,
    _incidence,
    lbfgs_relax,
    min_image_pairs,
)
from mofglass.structure.crystal import Crystal
from mofglass.structure.properties import crystal_density_g_cm3

__all__ = ["CRNModel", "build_crn", "decorate"]


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
    relax_steps: int = 100,
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
        Metropolis switch attempts per link after that. Switch attempts are the trials that pass
        the topology, angle and clearance checks; at most 20 relaxed trials per wanted attempt
        are spent (an interpenetrated net refuses most), ``stats["refused_*"]`` counts why.
    t_start, t_end : float
        Metropolis temperature (force-field unit), decreasing geometrically.
    relax_steps : int
        L-BFGS iterations of the local relaxation after each switch (the switched metals and
        their neighbours up to two links away move).
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
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):  # many small L-BFGS solves: BLAS threads only cost here
        return _build_crn(
            net,
            seed=seed,
            randomise=randomise,
            sweeps=sweeps,
            t_start=t_start,
            t_end=t_end,
            relax_steps=relax_steps,
            switch_radius_A=switch_radius_A,
            min_angle_deg=min_angle_deg,
            density_g_cm3=density_g_cm3,
            ff=ff,
        )


def _build_crn(
    net: MetalNet,
    *,
    seed: int,
    randomise: float,
    sweeps: float,
    t_start: float,
    t_end: float,
    relax_steps: int,
    switch_radius_A: float | None,
    min_angle_deg: float,
    density_g_cm3: float | None,
    ff: ForceField | None,
) -> CRNModel:
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
    crystal_min = math.degrees(math.acos(_max_cos(pos, lat, net.edges, net.offsets)))
    if ff is None:
        i, j, s = min_image_pairs(net.positions_A, net.lattice_A, 1.2 * d0, _pairs(net.edges))
        r = np.linalg.norm(net.positions_A[j] + s @ net.lattice_A - net.positions_A[i], axis=1)
        r_rep = min(0.8 * d0, 0.95 * float(r.min())) if len(r) else 0.8 * d0
        wall = math.radians(min(min_angle_deg + 15.0, crystal_min))
        ff = ForceField(
            d0_A=d0,
            k_bond=50.0,
            k_angle=0.25 * d0**2,
            r_rep_A=r_rep,
            k_rep=50.0,
            cos_wall=math.cos(wall),
            k_wall=10.0 * d0**2,
        )
    radius = switch_radius_A if switch_radius_A is not None else 1.3 * d0
    edges, offsets = net.edges.copy(), net.offsets.copy()
    r_list = ff.r_rep_A + 1.5
    rep = min_image_pairs(pos, lat, r_list, _pairs(edges))
    pos, energy = lbfgs_relax(pos, lat, edges, offsets, ff, rep, max_iter=500)
    energy0 = energy
    inv = np.linalg.inv(lat)
    n_random = int(randomise * len(edges))
    n_try = n_random + max(1, int(sweeps * len(edges)))
    min_clear = tuple(min(0.9 * c, 0.5 * d0) for c in _clearance(pos, lat, edges, offsets))
    cos_max = math.cos(math.radians(min(min_angle_deg, crystal_min)))
    cos_pre = math.cos(math.radians(max(min_angle_deg - 40.0, 0.0)))
    accepted = attempted = draws = relaxed = 0
    refused = dict.fromkeys(("topology", "angle_pre", "angle", "clearance"), 0)
    # the cap counts relaxed trials (the cost), not cheap draws refused on topology: an
    # interpenetrated net refuses most draws before relaxing them
    while attempted < n_try and relaxed < 20 * n_try and draws < 200 * n_try:
        draws += 1
        anneal = attempted - n_random
        temp = t_start * (t_end / t_start) ** (max(anneal, 0) / max(n_try - n_random - 1, 1))
        if draws % 25 == 0:
            rep = min_image_pairs(pos, lat, r_list, _pairs(edges))
        if draws % max(1, len(edges) // 2) == 0:
            pos, energy = lbfgs_relax(pos, lat, edges, offsets, ff, rep, max_iter=100)
        proposal = _propose(rng, pos, lat, inv, edges, offsets, radius, ff.d0_A)
        if proposal is None:
            refused["topology"] += 1
            continue
        new_edges, new_offsets, broken = proposal
        moved = np.unique(edges[list(broken)])
        if _max_cos(pos, lat, new_edges, new_offsets, moved) > cos_pre:
            refused["angle_pre"] += 1
            continue  # hopeless before relaxation
        rep_new = _with_broken(_drop_bonded(rep, new_edges), edges, offsets, broken)
        free = _shell(new_edges, moved, 2)
        relaxed += 1
        trial, e_new = lbfgs_relax(
            pos, lat, new_edges, new_offsets, ff, rep_new, max_iter=relax_steps, free=free
        )
        if _max_cos(trial, lat, new_edges, new_offsets, moved) > cos_max:
            refused["angle"] += 1
            continue  # a metal-metal-metal angle below min_angle_deg: linkers would clash
        clear = _clearance(trial, lat, new_edges, new_offsets, free, within_A=d0)
        if clear[0] < min_clear[0] or clear[1] < min_clear[1]:
            refused["clearance"] += 1
            continue  # a link would pass through a metal or cross another link
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
        "switch_relaxed": float(relaxed),
        "switch_accepted": float(accepted),
        **{f"refused_{k}": float(v) for k, v in refused.items()},
        "energy_start": float(energy0),
        "energy_end": float(energy),
        "t_start": t_start,
        "t_end": t_end,
        "d0_A": d0,
    }
    return decorate(net, pos, lat, edges, offsets, rng=rng, stats=stats)


def _shell(edges: np.ndarray, centre: np.ndarray, depth: int) -> np.ndarray:
    """Metals within ``depth`` links of ``centre`` (the region a local relaxation moves)."""
    inside = set(centre.tolist())
    frontier = set(inside)
    for _ in range(depth):
        hit = np.isin(edges, list(frontier)).any(axis=1)
        frontier = set(edges[hit].ravel().tolist()) - inside
        inside |= frontier
    return np.array(sorted(inside), dtype=np.int64)


def _clearance(
    pos: np.ndarray,
    lat: np.ndarray,
    edges: np.ndarray,
    offsets: np.ndarray,
    metals: np.ndarray | None = None,
    within_A: float | None = None,
) -> tuple[float, float]:
    """Smallest metal-to-link and link-to-link distances (Å), links sampled at 1/4, 1/2, 3/4.

    The samples stand for the linker ring. A metal is not compared with the links it ends, nor
    a link with the links it shares a metal with. Given ``metals``, only the links touching
    them are compared (with every metal and link); given ``within_A`` too, distances beyond it
    may come out as larger ones (only those below it are exact: enough for a threshold).
    """
    near = np.ones(len(edges), bool) if metals is None else np.isin(edges, metals).any(axis=1)
    t = np.array([0.25, 0.5, 0.75])
    v = pos[edges[:, 1]] + offsets @ lat - pos[edges[:, 0]]
    pts = (pos[edges[:, 0]][:, None, :] + t[None, :, None] * v[:, None, :]).reshape(-1, 3)
    owner = np.repeat(np.arange(len(edges)), 3)
    mine = np.flatnonzero(np.repeat(near, 3))
    inv = np.linalg.inv(lat)

    def dist(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        d = b[None, :, :] - a[:, None, :]
        d -= np.rint(d @ inv) @ lat
        return np.linalg.norm(d, axis=2)

    metal_idx = np.arange(len(pos))
    pt_idx = np.arange(len(pts))
    if within_A is not None and len(mine):
        # only what lies within within_A of a sample of the links compared can count
        centre = pts[mine[0]]
        reach = float(np.linalg.norm(dist(centre[None], pts[mine]), axis=None).max()) + within_A
        metal_idx = metal_idx[dist(centre[None], pos)[0] < reach]
        pt_idx = pt_idx[dist(centre[None], pts)[0] < reach]
    r = dist(pts[mine], pos[metal_idx])
    ends = edges[owner[mine]]
    col = metal_idx[None, :]
    r[(col == ends[:, :1]) | (col == ends[:, 1:])] = np.inf
    metal_link = float(r.min()) if r.size else np.inf
    r = dist(pts[mine], pts[pt_idx])
    other = edges[owner[pt_idx]]
    shares = (
        (ends[:, :1] == other[None, :, 0])
        | (ends[:, :1] == other[None, :, 1])
        | (ends[:, 1:] == other[None, :, 0])
        | (ends[:, 1:] == other[None, :, 1])
    )
    r[shares] = np.inf
    link_link = float(r.min()) if r.size else np.inf
    return metal_link, link_link


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
    """Draw a bond switch: (new edges, offsets, the two links), or None if the pair cannot switch.

    Of the two ways to reconnect the pair, the valid one with the wider smallest
    metal-metal-metal angle at the four metals is taken (fewer trials refused on the angle).
    """
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
    best: tuple[float, np.ndarray, np.ndarray] | None = None
    for c, dd in (edges[e2], edges[e2][::-1]):
        trial = _reconnect(pos, lat, inv, edges, offsets, (e1, e2), (a, b, c, dd), d0)
        if trial is None:
            continue
        cos = _max_cos(pos, lat, trial[0], trial[1], np.array([a, b, c, dd]))
        if best is None or cos < best[0]:
            best = (cos, *trial)
    if best is None:
        return None
    return best[1], best[2], (e1, e2)


def _reconnect(
    pos: np.ndarray,
    lat: np.ndarray,
    inv: np.ndarray,
    edges: np.ndarray,
    offsets: np.ndarray,
    links: tuple[int, int],
    metals: tuple[int, int, int, int],
    d0: float,
) -> tuple[np.ndarray, np.ndarray] | None:
    """Reconnect links a-b, c-d as a-c, b-d: (new edges, offsets).

    None if that makes a double link, a 3-ring or a link longer than 1.6 d0.
    """
    a, b, c, dd = metals
    bonded = _pairs(edges)
    new = [(a, c), (b, dd)]
    if any((min(p, q), max(p, q)) in bonded for p, q in new):
        return None
    nbrs = _neighbour_sets(edges, len(pos))
    for p, q in ((a, b), (b, a), (c, dd), (dd, c)):
        nbrs[p].discard(q)
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
    out_e[links[0]], out_s[links[0]] = new[0], new_offsets[0]
    out_e[links[1]], out_s[links[1]] = new[1], new_offsets[1]
    return out_e, out_s


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
