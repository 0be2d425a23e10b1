"""Joint relaxation of metals and linkers of a decorated net until no contact is left.

The contacts a rigid-linker relaxation with fixed metals cannot remove (a linker passing a
metal of another link, two linkers on a narrow metal-metal-metal angle) go when the metals move
too. :func:`unclash` relaxes every atom at once under pair terms only:

E = Σ_contacts (l_ij + δ - r_ij)²₊ + k Σ_springs (r_ij - r⁰_ij)²

where the contacts are the pairs of atoms of different units closer than their
:func:`~mofglass.models.glass.redecorate.contact_limits` (the bond graph's own cutoff plus a
margin; the metal-donor bonds excepted) and the springs hold every linker's internal distances
(all pairs: rigid and planar) and each metal where it sits on its linkers in the crystal (its
distances to the donor and the donor's two ring neighbours: the crystal's M-N length and M-N-C
angles). L-BFGS on all coordinates; then every linker is put back exactly rigid by the best
rotation and translation of its template (Kabsch 1976), and the rounds repeat while contacts
remain. The first round also moves the linkers whose metals sit off their crystal site (the
decoration keeps the M-N lengths, not the M-N-C angles) and these metals by a little.

References
----------
.. [1] W. Kabsch, Acta Cryst. A 32 (1976) 922 (best rotation of a rigid body onto points).
.. [2] D. C. Liu, J. Nocedal, Math. Program. 45 (1989) 503 (L-BFGS).
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize
from scipy.spatial import cKDTree

__all__ = ["contact_pairs", "kabsch_fit", "lattice_of", "lone_pair_sites", "unclash"]


def kabsch_fit(template: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Put a rigid template on each set of points by the best rotation and translation.

    Parameters
    ----------
    template : ndarray, shape (n, 3)
        The rigid body's coordinates, Å.
    points : ndarray, shape (m, n, 3)
        Target coordinates of m copies, Å.

    Returns
    -------
    ndarray, shape (m, n, 3)
        The template placed on every copy (least squares, proper rotations only).
    """
    t0 = template - template.mean(axis=0)
    centre = points.mean(axis=1, keepdims=True)
    h = np.einsum("na,mnb->mab", t0, points - centre)
    u, _, vt = np.linalg.svd(h)
    d = np.sign(np.linalg.det(np.einsum("mab,mbc->mac", u, vt)))
    flip = np.ones((len(points), 3))
    flip[:, 2] = d
    rot = np.einsum("mab,mb,mbc->mac", u, flip, vt)  # template -> points: x @ rot
    return centre + np.einsum("na,mab->mnb", t0, rot)


def lattice_of(box: np.ndarray) -> np.ndarray:
    """Return the 3x3 lattice (rows a, b, c; Å) of a box given as edges (3,) or as a lattice."""
    box = np.asarray(box, dtype=float)
    return np.diag(box) if box.ndim == 1 else box


def _minimum_image(d: np.ndarray, box: np.ndarray) -> np.ndarray:
    """Wrap difference vectors (Å) to the nearest image in a periodic box (edges or lattice)."""
    lat = lattice_of(box)
    f = d @ np.linalg.inv(lat)
    return (f - np.rint(f)) @ lat


def _pair_energy(
    x: np.ndarray,
    box: np.ndarray,
    i: np.ndarray,
    j: np.ndarray,
    r0: np.ndarray,
    k: np.ndarray,
    one_sided: np.ndarray,
) -> tuple[float, np.ndarray]:
    """Energy and gradient of harmonic pair terms (one-sided ones act only below r0)."""
    d = _minimum_image(x[j] - x[i], box)
    r = np.maximum(np.linalg.norm(d, axis=1), 1e-9)
    dr = r - r0
    dr = np.where(one_sided & (dr > 0), 0.0, dr)
    e = float(np.sum(k * dr * dr))
    f = (2.0 * k * dr / r)[:, None] * d
    g = np.zeros_like(x)
    np.add.at(g, j, f)
    np.add.at(g, i, -f)
    return e, g


def lone_pair_sites(template: np.ndarray, donors: tuple[int, int], d_mn_A: float) -> np.ndarray:
    """Metal sites on the donors' lone pairs: ``d_mn_A`` from each donor, away from its ring."""
    sites = []
    for donor in donors:
        near = np.linalg.norm(template - template[donor], axis=1)
        ring = (near > 0.5) & (near < 1.6)  # the donor's bonded ring atoms
        lone_pair = template[donor] - template[ring].mean(axis=0)
        sites.append(template[donor] + d_mn_A * lone_pair / np.linalg.norm(lone_pair))
    return np.array(sites)


def _springs(
    template: np.ndarray,
    donors: tuple[int, int],
    n_metals: int,
    edges: np.ndarray,
    metal_sites: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(i, j, r0) of the springs: linker pairs, M-N bonds, M···donor ring neighbours."""
    n_tpl = len(template)
    ii, jj = np.triu_indices(n_tpl, 1)
    r_in = np.linalg.norm(template[jj] - template[ii], axis=1)
    base = n_metals + n_tpl * np.arange(len(edges))
    i = [(base[:, None] + ii[None, :]).ravel()]
    j = [(base[:, None] + jj[None, :]).ravel()]
    r0 = [np.tile(r_in, len(edges))]
    for end, donor in enumerate(donors):
        near = np.linalg.norm(template - template[donor], axis=1)
        ring = np.flatnonzero((near > 0.5) & (near < 1.6))
        for atom in (donor, *ring.tolist()):
            i.append(edges[:, end])
            j.append(base + atom)
            r0.append(np.full(len(edges), np.linalg.norm(template[atom] - metal_sites[end])))
    return np.concatenate(i), np.concatenate(j), np.concatenate(r0)


def unclash(
    xyz: np.ndarray,
    types: np.ndarray,
    limit_A: np.ndarray,
    *,
    n_metals: int,
    template: np.ndarray,
    donors: tuple[int, int],
    edges: np.ndarray,
    box_A: np.ndarray,
    metal_sites_A: np.ndarray,
    rounds: int = 12,
    margin_A: float = 0.05,
    k_spring: float = 100.0,
) -> int:
    """Relax metals and linkers jointly until no contact is left; return the contacts left.

    Parameters
    ----------
    xyz : ndarray, shape (N, 3)
        All atoms, metals first then the linkers in link order (changed in place), Å.
    types, limit_A : ndarray
        Element index of every atom and the smallest allowed distance between atoms of two
        different units per element pair, Å (:func:`.redecorate.contact_limits`).
    n_metals : int
        Number of metals.
    template : ndarray, shape (n, 3)
        The rigid linker, Å.
    donors : tuple of int
        Template indices of the atoms bonded to the link's first and second metal.
    edges : ndarray, shape (E, 2)
        The two metals of every linker.
    box_A : ndarray, shape (3,) or (3, 3)
        Edges of an orthogonal periodic box, or the lattice (rows a, b, c) of any cell, Å.
    metal_sites_A : ndarray, shape (2, 3)
        Where the two metals sit in the template's frame, Å (the crystal's
        :attr:`~.net.LinkerTemplate.metals_local_A`, or :func:`lone_pair_sites`).
    rounds : int
        Relaxation rounds (each: contact list, L-BFGS, rigid snap, count).
    margin_A : float
        The relaxation aims this far past each contact limit.
    k_spring : float
        Force constant of every term (springs and contacts alike).

    Returns
    -------
    int
        Contacts left (pairs of atoms of different units closer than their limit).
    """
    n_tpl = len(template)
    idx = np.arange(len(xyz))
    unit = np.where(idx >= n_metals, n_metals + (idx - n_metals) // n_tpl, idx)
    si, sj, sr = _springs(template, donors, n_metals, edges, metal_sites_A)
    own_bond = {(int(a), int(b)) for a, b in zip(si, sj, strict=True) if unit[a] != unit[b]}
    left = contact_pairs(xyz, unit, types, limit_A, box_A, own_bond, 0.0)
    for n in range(rounds):
        if n and not len(left):
            break  # the first round always runs: it puts every metal on its crystal site
        near = contact_pairs(xyz, unit, types, limit_A, box_A, own_bond, 0.6)
        ci, cj = near[:, 0], near[:, 1]
        i = np.concatenate([si, ci])
        j = np.concatenate([sj, cj])
        r0 = np.concatenate([sr, limit_A[types[ci], types[cj]] + margin_A])
        k = np.full(len(i), k_spring)
        one_sided = np.concatenate([np.zeros(len(si), bool), np.ones(len(ci), bool)])

        def fun(flat: np.ndarray) -> tuple[float, np.ndarray]:
            e, g = _pair_energy(flat.reshape(-1, 3), box_A, i, j, r0, k, one_sided)  # noqa: B023
            return e, g.ravel()

        res = minimize(fun, xyz.ravel(), jac=True, method="L-BFGS-B", options={"maxiter": 1000})
        xyz[:] = res.x.reshape(-1, 3)
        lk = xyz[n_metals:].reshape(len(edges), n_tpl, 3)
        xyz[n_metals:] = kabsch_fit(template, lk).reshape(-1, 3)
        left = contact_pairs(xyz, unit, types, limit_A, box_A, own_bond, 0.0)
    return len(left)


def contact_pairs(
    xyz: np.ndarray,
    unit: np.ndarray,
    types: np.ndarray,
    limit: np.ndarray,
    box: np.ndarray,
    bonded: set[tuple[int, int]],
    skin_A: float,
) -> np.ndarray:
    """Atom pairs of different units closer than their limit + ``skin_A`` (own bonds out).

    ``box`` is the orthogonal box's edges (3,) or any lattice (3, 3; rows a, b, c), Å. The
    periodic k-d tree searches the fractional coordinates scaled by the cell lengths; a radius
    divided by the smallest singular value of the unit cell vectors keeps every Cartesian pair
    within the cutoff (exact for an orthogonal box), then the exact minimum-image distances
    decide.
    """
    lat = lattice_of(box)
    length = np.linalg.norm(lat, axis=1)
    s_min = float(np.linalg.svd(lat / length[:, None], compute_uv=False).min())
    scaled = np.mod(xyz @ np.linalg.inv(lat), 1.0) * length
    tree = cKDTree(np.minimum(scaled, np.nextafter(length, 0.0)), boxsize=length)
    radius = (float(limit.max()) + skin_A) / s_min
    pairs = tree.query_pairs(radius, output_type="ndarray")
    pairs = pairs[unit[pairs[:, 0]] != unit[pairs[:, 1]]]
    d = _minimum_image(xyz[pairs[:, 1]] - xyz[pairs[:, 0]], lat)
    close = np.linalg.norm(d, axis=1) < limit[types[pairs[:, 0]], types[pairs[:, 1]]] + skin_A
    pairs = pairs[close]
    if not len(pairs):
        return pairs.reshape(0, 2)
    keep = np.array([(a, b) not in bonded and (b, a) not in bonded for a, b in pairs.tolist()])
    return pairs[keep]
