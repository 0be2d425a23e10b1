"""Steps of the interface healing of :mod:`mofglass.models.glass.ceramic_heal`.

The local system of the interfaces (glass region, crystal surface and its fixed environment),
the pairing of under-coordinated metals and the placement of the crystal's rigid linker on
each new link, the rigid following of linkers when their metals move, and the contact
relaxation of the interface linkers.

References
----------
.. [1] F. Wooten, K. Winer, D. Weaire, Phys. Rev. Lett. 54 (1985) 1392 (rigid units relaxed
   in a continuous random network).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.spatial import cKDTree

from mofglass.models.glass.ceramic import GlassCeramic
from mofglass.models.glass.ceramic_interface import (
    _depth,
    _groups,
    _linker_blocks,
    _mic,
    _units,
)
from mofglass.models.glass.ceramic_surface import CrystalSide
from mofglass.models.glass.net import LinkerTemplate
from mofglass.models.glass.redecorate import contact_limits
from mofglass.models.glass.rigid_linkers import relax_contacts
from mofglass.models.glass.vff import ForceField
from mofglass.structure import Crystal
from mofglass.structure.bonds import is_metal


@dataclass
class _System:
    """The local atoms of the interfaces: glass region, crystal explicit, crystal fixed."""

    pos: np.ndarray
    species: list[str]
    side: np.ndarray  # 0 glass, 1 crystal explicit, 2 crystal fixed, 3/4 inserted: glass/crystal
    label: np.ndarray
    donor: np.ndarray
    bonds: np.ndarray
    depth: np.ndarray  # outside the nearest sphere, Å (negative inside)


def _assemble(
    g_pos: np.ndarray, g_sp: list[str], region: np.ndarray, keep: np.ndarray, cs: CrystalSide,
    model: GlassCeramic, box: np.ndarray,
) -> _System:  # fmt: skip
    """Glass region atoms (kept) then the crystal side's atoms, with units and bonds."""
    gi = region[keep]
    pos_g = g_pos[gi]
    sp_g = [g_sp[i] for i in gi]
    bonds_g, label_g, donor_g = _units(pos_g, sp_g, box)
    n_g = len(gi)
    side = np.concatenate([np.zeros(n_g, int), np.ones(cs.n_explicit, int),
                           np.full(len(cs.positions_A) - cs.n_explicit, 2)])  # fmt: skip
    pos = np.vstack([pos_g, cs.positions_A])
    return _System(
        pos,
        sp_g + list(cs.species),
        side,
        np.concatenate([label_g, cs.label + int(label_g.max()) + 1]),
        np.concatenate([donor_g, cs.donor]),
        np.vstack([bonds_g, cs.bonds + n_g]),
        _depth(pos, model, box),
    )


def _links(s: _System, n_tpl: int) -> tuple[list[np.ndarray], np.ndarray]:
    """Every whole linker bridging two metals: atom order (donors first) and its two metals."""
    groups = _groups(s.label)
    metal = np.array([is_metal(e) for e in s.species])
    organic = [lab for lab, g in groups.items() if not metal[g[0]] and len(g) == n_tpl]
    blocks, ends = _linker_blocks(groups, s.donor, s.bonds, organic)
    return blocks, np.array(ends, dtype=np.int64).reshape(-1, 2)


def _force_field(tpl: LinkerTemplate, glass_cell: Crystal, crystal: Crystal) -> ForceField:
    """Make the CRN builder's force field for this crystal (repulsion below the glass's pairs)."""
    d0 = tpl.m_m_A
    nearest = []
    for c in (glass_cell, crystal):
        lat = np.diag(np.asarray(c.lattice_A)).copy()
        m = np.array([is_metal(e) for e in c.species])
        pos = np.asarray(c.positions_A)[m]
        tree = cKDTree(np.mod(pos, lat), boxsize=lat)
        d, _ = tree.query(np.mod(pos, lat), k=min(6, len(pos)))
        nearest.append(float(d[:, 1:].min()))
    return ForceField(
        d0_A=d0, k_bond=50.0, k_angle=0.25 * d0**2, r_rep_A=min(0.8 * d0, 0.95 * min(nearest)),
        k_rep=50.0, cos_wall=math.cos(math.radians(75.0)), k_wall=10.0 * d0**2,
    )  # fmt: skip


def _place(tpl: LinkerTemplate, a: np.ndarray, b: np.ndarray, phi: float, ref: np.ndarray):
    """Place the template's atoms with its metals on a and b, turned by phi about the link."""
    v = b - a
    x = v / np.linalg.norm(v)
    y0 = ref - np.dot(ref, x) * x
    if np.linalg.norm(y0) < 1e-6:
        y0 = np.cross(x, [0.0, 0.0, 1.0] if abs(x[2]) < 0.9 else [1.0, 0.0, 0.0])
    y0 /= np.linalg.norm(y0)
    z0 = np.cross(x, y0)
    y = math.cos(phi) * y0 + math.sin(phi) * z0
    frame = np.array([x, y, np.cross(x, y)])
    m = tpl.metals_local_A if tpl.metals_local_A is not None else np.zeros((2, 3))
    return 0.5 * (a + b) + (tpl.local_A - m.mean(axis=0)) @ frame


def _follow(atoms: np.ndarray, a0, b0, a1, b1, box) -> np.ndarray:
    """Move a rigid linker with its two metals (a0, b0 -> a1, b1; smallest rotation)."""
    u0 = _mic(b0 - a0, box)
    u1 = _mic(b1 - a1, box)
    m0 = a0 + 0.5 * u0
    m1 = a1 + 0.5 * u1
    u0 = u0 / np.linalg.norm(u0)
    u1 = u1 / np.linalg.norm(u1)
    axis = np.cross(u0, u1)
    s, c = float(np.linalg.norm(axis)), float(np.dot(u0, u1))
    rel = _mic(atoms - m0, box)
    if s < 1e-12:
        return m1 + rel
    k = axis / s
    kx = np.array([[0, -k[2], k[1]], [k[2], 0, -k[0]], [-k[1], k[0], 0]])
    rot = np.eye(3) + s * kx + (1 - c) * (kx @ kx)
    return m1 + rel @ rot.T


def _glass_cut(
    pos: np.ndarray, sp: list[str], dep: np.ndarray, box: np.ndarray, n_tpl: int, shell_A: float
) -> tuple[np.ndarray, int]:
    """Keep-mask of the glass region without its cut linkers, and how many were removed.

    Cut: pieces of linkers, and whole linkers not bonded to two metals (a metal went with the
    sphere), with an atom within ``shell_A + 2`` of a sphere (the region's own outer edge
    cuts linkers too: those stay).
    """
    bonds, label, _ = _units(pos, sp, box)
    metal = np.array([is_metal(e) for e in sp])
    partners = np.zeros(len(pos), dtype=np.int64)
    np.add.at(partners, bonds.ravel(), 1)
    keep = np.ones(len(pos), dtype=bool)
    n_cut = 0
    for g in _groups(label).values():
        if metal[g[0]] or (len(g) == n_tpl and int(partners[g].sum()) == 2):
            continue
        if float(dep[g].min()) < shell_A + 2.0:
            keep[g] = False
            n_cut += 1
    return keep, n_cut


def _repulsion_pairs(
    mpos: np.ndarray, box: np.ndarray, r_A: float, edges: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Non-bonded metal pairs within ``r_A`` (minimum image): i, j, lattice offset of j."""
    tree = cKDTree(np.mod(mpos, box), boxsize=box)
    p = tree.query_pairs(r_A, output_type="ndarray")
    linked = {(min(a, b), max(a, b)) for a, b in edges.tolist()}
    keep = np.array([(a, b) not in linked for a, b in p.tolist()], dtype=bool)
    p = p[keep] if len(p) else p.reshape(0, 2)
    d = mpos[p[:, 1]] - mpos[p[:, 0]]
    return p[:, 0], p[:, 1], -np.rint(d / box).astype(np.int64)


def _unit_links(pos: np.ndarray, ends: np.ndarray, n: int, box: np.ndarray) -> list[list]:
    """List the unit vectors of every metal's links (from the metal outwards)."""
    out: list[list] = [[] for _ in range(n)]
    for a, b in ends.tolist():
        u = _mic(pos[b] - pos[a], box)
        u = u / np.linalg.norm(u)
        out[a].append(u)
        out[b].append(-u)
    return out


def _best_turn(
    tpl: LinkerTemplate, a: np.ndarray, b: np.ndarray, crowd: np.ndarray, env: np.ndarray,
    env_types: np.ndarray, types: np.ndarray, limit: np.ndarray,
    donor_dirs: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[np.ndarray, float]:  # fmt: skip
    """Place the template on metals a, b at its turn of least cost; its smallest d / limit.

    The cost is Σ (limit - d)²₊ over the environment, plus, given the unit vectors from each
    metal to its other donors, Σ (cos θ_NMN + 1/3)² over the new N-M-N angles (the turn of
    :func:`.redecorate.decorate`: tetrahedral metals).
    """
    best, best_cost, best_ratio = None, np.inf, 0.0
    for phi in np.linspace(0.0, 2 * np.pi, 24, endpoint=False):
        at = _place(tpl, a, b, float(phi), -crowd)
        tet = 0.0
        if donor_dirs is not None:
            for metal, dn, dirs in ((a, tpl.donors[0], donor_dirs[0]),
                                    (b, tpl.donors[1], donor_dirs[1])):  # fmt: skip
                if len(dirs):
                    u = at[dn] - metal
                    tet += float(np.sum((dirs @ (u / np.linalg.norm(u)) + 1.0 / 3.0) ** 2))
        if len(env):
            d = np.linalg.norm(at[:, None, :] - env[None, :, :], axis=2)
            lim = limit[types[:, None], env_types[None, :]]
            cost = float(np.sum(np.clip(lim - d, 0.0, None) ** 2)) + tet
            ratio = float((d / lim).min())
        else:
            cost, ratio = tet, np.inf
        if cost < best_cost:
            best, best_cost, best_ratio = at, cost, ratio
    assert best is not None
    return best, best_ratio


def _pair(
    s: _System, iface: np.ndarray, deg: np.ndarray, ends: np.ndarray, tpl: LinkerTemplate,
    d0: float, window_A: float, min_angle_deg: float, box: np.ndarray,
) -> np.ndarray:  # fmt: skip
    """Choose the metal pairs to link: greedy, closest to d0 first (see the module docstring).

    Returns the new links.
    """
    deg = np.concatenate([deg, np.full(len(s.pos) - len(deg), 4)])
    under, cand, d = _candidates(s, iface, deg, d0, window_A, box)
    links = _unit_links(s.pos, ends, len(s.pos), box)
    linked = {(min(a, b), max(a, b)) for a, b in ends.tolist()}
    cos_max = math.cos(math.radians(min_angle_deg))
    types, limit = contact_limits(list(s.species) + list(tpl.species))
    t_new = types[len(s.species) :]
    all_tree = cKDTree(np.mod(s.pos, box), boxsize=box)
    placed: list[np.ndarray] = []
    out: list[tuple[int, int]] = []
    for k in np.argsort(np.abs(d - d0), kind="stable").tolist():
        a, b = int(under[cand[k, 0]]), int(under[cand[k, 1]])
        if deg[a] >= 4 or deg[b] >= 4 or (min(a, b), max(a, b)) in linked:
            continue
        u = _mic(s.pos[b] - s.pos[a], box)
        u = u / np.linalg.norm(u)
        if any(float(u @ w) > cos_max for w in links[a]) or any(
            float(-u @ w) > cos_max for w in links[b]
        ):
            continue
        pb = s.pos[a] + _mic(s.pos[b] - s.pos[a], box)
        mid = s.pos[a] + 0.5 * (pb - s.pos[a])
        near = np.array(all_tree.query_ball_point(np.mod(mid, box), 9.0), dtype=np.int64)
        near = near[(near != a) & (near != b)]
        env = s.pos[a] + _mic(s.pos[near] - s.pos[a], box)
        env_t = types[near]
        for q in placed:
            if np.linalg.norm(_mic(q.mean(axis=0) - mid, box)) < 12.0:
                env = np.vstack([env, s.pos[a] + _mic(q - s.pos[a], box)])
                env_t = np.concatenate([env_t, t_new])
        crowd = np.zeros(3)
        for w in links[a] + links[b]:
            crowd += w  # the metals' links point this way: the ring goes the other
        at, ratio = _best_turn(tpl, s.pos[a], pb, crowd, env, env_t, t_new, limit)
        if ratio < 0.6:
            continue  # no room for a linker: the relaxations would not clear it
        placed.append(at)
        out.append((a, b))
        linked.add((min(a, b), max(a, b)))
        deg[a] += 1
        deg[b] += 1
        links[a].append(u)
        links[b].append(-u)
    return np.array(out, dtype=np.int64).reshape(-1, 2)


def _candidates(
    s: _System, iface: np.ndarray, deg: np.ndarray, d0: float, window_A: float, box: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Under-coordinated interface metals, their pairs within d0 ± window_A and distances."""
    under = np.nonzero(iface[: len(deg)] & (deg[: len(iface)] < 4))[0]
    tree = cKDTree(np.mod(s.pos[under], box), boxsize=box)
    cand = tree.query_pairs(d0 + window_A, output_type="ndarray")
    d = np.linalg.norm(_mic(s.pos[under[cand[:, 1]]] - s.pos[under[cand[:, 0]]], box), axis=1)
    ok = d >= d0 - window_A
    return under, cand[ok], d[ok]


def _no_partner(
    s: _System, iface: np.ndarray, deg: np.ndarray, d0: float, window_A: float, box: np.ndarray
) -> tuple[int, int]:
    """(glass, crystal) under-coordinated interface metals with no such metal in the window."""
    under, cand, _ = _candidates(s, iface, deg, d0, window_A, box)
    has = np.zeros(len(under), dtype=bool)
    has[cand.ravel()] = True
    alone = under[~has]
    return int((s.side[alone] == 0).sum()), int((s.side[alone] > 0).sum())


def _insert(
    s: _System, new_ends: np.ndarray, ends: np.ndarray, tpl: LinkerTemplate, box: np.ndarray
) -> np.ndarray:
    """Place the crystal's linker on every new link (final metal positions), shape (k, n, 3)."""
    types, limit = contact_limits(list(s.species) + list(tpl.species))
    t_new = types[len(s.species) :]
    tree = cKDTree(np.mod(s.pos, box), boxsize=box)
    links = _unit_links(s.pos, np.vstack([ends, new_ends]), len(s.pos), box)
    out = np.zeros((len(new_ends), len(tpl.species), 3))
    metal = np.array([is_metal(e) for e in s.species])
    donors_of: dict[int, list[int]] = {}
    for x, y in s.bonds.tolist():
        m, dn = (x, y) if metal[x] else (y, x)
        donors_of.setdefault(m, []).append(dn)
    for k, (a, b) in enumerate(new_ends.tolist()):
        pb = s.pos[a] + _mic(s.pos[b] - s.pos[a], box)
        mid = 0.5 * (s.pos[a] + pb)
        near = np.array(tree.query_ball_point(np.mod(mid, box), 9.0), dtype=np.int64)
        near = near[(near != a) & (near != b)]
        env = [s.pos[a] + _mic(s.pos[near] - s.pos[a], box)]
        env_t = [types[near]]
        for q in out[:k]:
            if np.linalg.norm(_mic(q.mean(axis=0) - mid, box)) < 12.0:
                env.append(s.pos[a] + _mic(q - s.pos[a], box))
                env_t.append(t_new)
        crowd = np.zeros(3)
        for w in links[a] + links[b]:
            crowd += w
        dirs = tuple(
            _donor_dirs(s, donors_of.get(m, []), p, box) for m, p in ((a, s.pos[a]), (b, pb))
        )
        out[k], _ = _best_turn(tpl, s.pos[a], pb, crowd, np.vstack(env), np.concatenate(env_t),
                               t_new, limit, dirs)  # type: ignore[arg-type]  # fmt: skip
    return out


def _donor_dirs(s: _System, donors: list[int], at: np.ndarray, box: np.ndarray) -> np.ndarray:
    """Return the unit vectors from a metal at ``at`` to its donors (minimum image)."""
    if not donors:
        return np.zeros((0, 3))
    v = _mic(s.pos[donors] - at, box)
    return v / np.linalg.norm(v, axis=1)[:, None]


def _with_new(
    s: _System, new_atoms: np.ndarray, new_ends: np.ndarray, tpl: LinkerTemplate
) -> tuple[_System, list[np.ndarray]]:
    """Append the inserted linkers, donors bonded; return them as blocks too.

    A linker between two crystal metals restores the crystal's own linker: side 4 (it goes
    with the crystallite's explicit atoms); any other: side 3 (it goes with the glass).
    """
    n0, n_tpl = len(s.pos), len(tpl.species)
    k = len(new_ends)
    base = n0 + n_tpl * np.arange(k)
    donor = np.zeros(n_tpl * k, dtype=bool)
    for dn in tpl.donors:
        donor[n_tpl * np.arange(k) + dn] = True
    bonds = np.vstack(
        [s.bonds, np.stack([new_ends[:, 0], base + tpl.donors[0]], 1),
         np.stack([new_ends[:, 1], base + tpl.donors[1]], 1)]
    )  # fmt: skip
    rest = [i for i in range(n_tpl) if i not in tpl.donors]
    order = np.array([tpl.donors[0], tpl.donors[1], *rest])
    kind = np.where((s.side[new_ends] > 0).all(axis=1), 4, 3) if k else np.zeros(0, int)
    new_blocks = [n0 + n_tpl * j + order for j in range(k)]
    return _System(
        np.vstack([s.pos, new_atoms.reshape(-1, 3)]),
        list(s.species) + list(tpl.species) * k,
        np.concatenate([s.side, np.repeat(kind, n_tpl)]),
        np.concatenate([s.label, int(s.label.max()) + 1 + np.repeat(np.arange(k), n_tpl)]),
        np.concatenate([s.donor, donor]),
        bonds,
        np.concatenate([s.depth, np.zeros(n_tpl * k)]),
    ), new_blocks


def _relax_linkers(
    s: _System, blocks: list[np.ndarray], ends: np.ndarray, iface: np.ndarray, n_tpl: int,
    tpl: LinkerTemplate, box: np.ndarray, passes: int, move_crystal: bool = True,
) -> int:  # fmt: skip
    """Move the interface's rigid linkers off their close contacts (in place); how many moved.

    The crystal's own linkers stay unless ``move_crystal``; inserted ones always move.
    """
    pick = [
        k
        for k, (a, c) in enumerate(ends.tolist())
        if (iface[a] or iface[c]) and (move_crystal or s.side[blocks[k][0]] in (0, 3, 4))
    ]
    if not pick:
        return 0
    mov = [blocks[k] for k in pick]
    in_block = np.zeros(len(s.pos), dtype=bool)
    for b in mov:
        in_block[b] = True
    fixed = np.nonzero(~in_block)[0]
    where = -np.ones(len(s.pos), dtype=np.int64)
    where[fixed] = np.arange(len(fixed))
    xyz = np.vstack([s.pos[fixed]] + [s.pos[b[0]] + _mic(s.pos[b] - s.pos[b[0]], box) for b in mov])
    species = [s.species[i] for i in fixed] + [s.species[i] for b in mov for i in b]
    edges = where[ends[pick]]
    m = tpl.metals_local_A
    d_mn = float(np.linalg.norm(m[0] - tpl.local_A[tpl.donors[0]])) if m is not None else 2.0
    res = relax_contacts(xyz, species, len(fixed), n_tpl, edges, np.diag(box), d_mn_A=d_mn,
                         donors=(0, 1), passes=passes)  # fmt: skip
    for k, b in enumerate(mov):
        s.pos[b] = xyz[len(fixed) + k * n_tpl : len(fixed) + (k + 1) * n_tpl]
    return res[0] if res is not None else 0
