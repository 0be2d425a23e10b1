"""Rigid-body relaxation of clashing linkers around fixed atoms.

Each linker with an atom closer to another unit than :func:`.redecorate.contact_limits`
is rotated and translated (L-BFGS on a rotation vector and a translation) while its two
metal-donor bonds keep their length; Gauss-Seidel passes run until no contact is left. The
metals and every other atom stay fixed, which is what a glass-ceramic interface needs (the
crystallite must not move). The CRN builder relaxes metals and linkers jointly instead
(:func:`.unclash.unclash`).

References
----------
.. [1] F. Wooten, K. Winer, D. Weaire, Phys. Rev. Lett. 54, 1392 (1985) (rigid units relaxed
   in a continuous random network).
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize
from scipy.spatial import cKDTree
from scipy.spatial.transform import Rotation

from mofglass.models.glass.redecorate import contact_limits
from mofglass.models.glass.unclash import contact_pairs

__all__ = ["relax_contacts"]


def relax_contacts(
    xyz: np.ndarray,
    species: list[str],
    n_metals: int,
    n_tpl: int,
    edges: np.ndarray,
    lat: np.ndarray,
    *,
    d_mn_A: float,
    donors: tuple[int, int] | None = None,
    passes: int = 8,
    env_A: float = 7.0,
) -> tuple[int, int] | None:
    """Move clashing rigid linkers (rotation + translation) until no contact is left.

    For each linker with an atom closer to another unit than :func:`contact_limits`, minimise
    Σ (limit - d)²₊ over its environment plus 100 Σ (|M-N| - d_MN)² over its two metal-donor
    bonds (L-BFGS on a rotation vector and a translation); Gauss-Seidel passes until no
    contact remains. Works in place on ``xyz``; needs an orthogonal box (else returns None).

    Returns
    -------
    (linkers moved, contacts left) or None.
    """
    if np.abs(lat - np.diag(np.diag(lat))).max() > 1e-6:
        return None
    box = np.diag(lat).copy()
    n = len(xyz)
    idx = np.arange(n)
    unit = np.where(idx >= n_metals, n_metals + (idx - n_metals) // n_tpl, idx)
    types, limit = contact_limits(species)
    donor_atoms = _donor_atoms(species, n_metals, n_tpl, edges, donors)
    bonded = set()
    for k, (a, b) in enumerate(edges.tolist()):
        for m, atom in ((a, donor_atoms[k, 0]), (b, donor_atoms[k, 1])):
            bonded.add((min(m, atom), max(m, atom)))
    moved: set[int] = set()
    pairs = contact_pairs(xyz, unit, types, limit, box, bonded, 0.0)
    for _ in range(passes):
        links = np.unique(unit[pairs.ravel()] - n_metals) if len(pairs) else pairs
        links = links[links >= 0]
        if not len(links):
            break
        tree = cKDTree(np.mod(xyz, box), boxsize=box)
        for k in links.tolist():
            _relax_linker(
                xyz,
                k,
                tree,
                box,
                unit,
                types,
                limit,
                edges,
                donor_atoms,
                n_metals,
                n_tpl,
                d_mn_A,
                env_A,
            )
            moved.add(k)
        pairs = contact_pairs(xyz, unit, types, limit, box, bonded, 0.0)
    return len(moved), len(pairs)


def _donor_atoms(
    species: list[str], n_metals: int, n_tpl: int, edges: np.ndarray, donors: tuple[int, int] | None
) -> np.ndarray:
    """Atom index of the donor bonded to each end of every link, shape (E, 2)."""
    if donors is None:
        raise ValueError("the template's donor indices are needed")
    base = n_metals + n_tpl * np.arange(len(edges))
    return np.stack([base + donors[0], base + donors[1]], axis=1)


def _relax_linker(
    xyz: np.ndarray,
    k: int,
    tree: cKDTree,
    box: np.ndarray,
    unit: np.ndarray,
    types: np.ndarray,
    limit: np.ndarray,
    edges: np.ndarray,
    donor_atoms: np.ndarray,
    n_metals: int,
    n_tpl: int,
    d_mn: float,
    env_A: float,
) -> None:
    own = np.arange(n_metals + k * n_tpl, n_metals + (k + 1) * n_tpl)
    centre = xyz[own].mean(axis=0)
    env = np.array(tree.query_ball_point(np.mod(centre, box), env_A), dtype=np.int64)
    env = env[unit[env] != unit[own[0]]]
    ends = edges[k]
    env = env[~np.isin(env, ends)]
    rel_env = xyz[env] - centre
    rel_env -= np.rint(rel_env / box) * box
    rel_own = xyz[own] - centre
    metal_rel = xyz[ends] - centre
    metal_rel -= np.rint(metal_rel / box) * box
    lim = limit[types[own][:, None], types[env][None, :]] + 0.05  # aim past the limit
    don = donor_atoms[k] - own[0]

    def cost(p: np.ndarray) -> float:
        at = Rotation.from_rotvec(p[:3]).apply(rel_own) + p[3:]
        d = np.linalg.norm(at[:, None, :] - rel_env[None, :, :], axis=2)
        over = np.clip(lim - d, 0.0, None)
        bond = np.linalg.norm(at[don] - metal_rel, axis=1) - d_mn
        return float(np.sum(over**2) + 100.0 * np.sum(bond**2))

    best = minimize(cost, np.zeros(6), method="L-BFGS-B")
    axis = metal_rel[1] - metal_rel[0]
    axis /= np.linalg.norm(axis)
    for phi in np.linspace(0.0, 2 * np.pi, 8, endpoint=False)[1:]:
        if best.fun < 1e-6:
            break  # clear (and bonds kept)
        res = minimize(cost, np.r_[phi * axis, 0.0, 0.0, 0.0], method="L-BFGS-B")
        if res.fun < best.fun:
            best = res
    xyz[own] = centre + Rotation.from_rotvec(best.x[:3]).apply(rel_own) + best.x[3:]
