"""Canonical key of a connected 3-periodic net by the Systre method, in exact rational arithmetic.

1. Barycentric placement: every vertex at the mean of its neighbours, one vertex fixed at the
   origin; a linear (Laplacian) system solved exactly with :class:`fractions.Fraction`.
2. Stability: two vertices at the same place (mod the lattice) are a *collision*; the key is then
   not defined (:class:`CollisionError`) and callers fall back to coordination sequences.
3. Minimal cell: translations ``p_w - p_v`` that map the net onto itself are added to the lattice,
   so any supercell of a net gives the same quotient graph.
4. Canonical form: for every start vertex of smallest degree and every ordered triple of linearly
   independent edge vectors at it (vectors to second neighbours where the edges are coplanar, as
   at any 3-c vertex; longer walks only if no start has a basis that way), a breadth-first
   traversal numbers the vertices (neighbours sorted by their edge vectors in that basis) and
   writes the edge list with each edge's translation in that basis; the lexicographically
   smallest list is the key. Isomorphic nets, in any cell, any vertex order and any basis, give
   the same key.
5. Symmetry: a traversal that reproduces the best list exactly is an automorphism; the vertex
   orbits of the automorphisms found so far are kept, and a start in the orbit of a finished
   start is skipped (its traversals are the same lists). This prunes without changing the
   minimum: vertex-transitive nets need one start instead of n.

References
----------
.. [1] O. Delgado-Friedrichs, M. O'Keeffe, "Identification of and symmetry computation for
   crystal nets", Acta Cryst. A59 (2003) 351-360.
.. [2] O. Delgado-Friedrichs, "Barycentric drawings of periodic graphs", Lecture Notes in
   Computer Science 2912 (2004) 178-189.
"""

from __future__ import annotations

import hashlib
import itertools
import math
from collections import deque
from fractions import Fraction

import numpy as np

from mofglass.errors import AnalysisError
from mofglass.structure.barycentric import CollisionError, barycentric_placement
from mofglass.structure.cell_reduction import _adj3, _mul, float_reduce, minimal_net
from mofglass.structure.periodic_graph import PeriodicGraph

__all__ = [
    "CollisionError",
    "barycentric_placement",
    "float_reduce",
    "key_hash",
    "minimal_net",
    "systre_key",
]


def systre_key(graph: PeriodicGraph) -> str:
    """Canonical key of a connected 3-periodic net (Delgado-Friedrichs & O'Keeffe 2003).

    Parameters
    ----------
    graph : PeriodicGraph
        A connected net whose offsets generate its translations (one copy; see
        :meth:`PeriodicGraph.to_component_basis`).

    Returns
    -------
    str
        ``"3 i j y1 y2 y3 ..."``: the smallest BFS edge list, vertices 1-based, translations as
        rationals in the basis of the three starting edges.

    Raises
    ------
    CollisionError
        If the barycentric placement has collisions (the key is then undefined).

    References
    ----------
    .. [1] O. Delgado-Friedrichs, M. O'Keeffe, Acta Cryst. A59 (2003) 351.
    """
    net, pos = minimal_net(graph)
    adj, den = _edge_vectors(net, pos)
    best = _search(adj, den)
    if best is None:
        raise AnalysisError("net is not 3-periodic: no three independent edge vectors")
    entries, det = best[0], best[1]
    parts = ["3"]
    for i, j, y in entries:
        parts.append(f"{i + 1} {j + 1} " + " ".join(str(Fraction(x, det)) for x in y))
    return " ".join(parts)


def _edge_vectors(net: PeriodicGraph, pos: list) -> tuple[list, int]:
    """Adjacency ``(w, offset, d)`` with ``d = den * (p_w + offset - p_v)`` integral."""
    n = net.n_vertices
    den = 1
    for p in pos:
        for x in p:
            den = den * x.denominator // math.gcd(den, x.denominator)
    ipos = [[int(x * den) for x in p] for p in pos]
    adj: list[list[tuple[int, tuple[int, int, int], tuple[int, int, int]]]] = [[] for _ in range(n)]
    for (u, v), s in zip(net.edges.tolist(), net.offsets.tolist(), strict=True):
        d = (
            ipos[v][0] + den * s[0] - ipos[u][0],
            ipos[v][1] + den * s[1] - ipos[u][1],
            ipos[v][2] + den * s[2] - ipos[u][2],
        )
        adj[u].append((v, (s[0], s[1], s[2]), d))
        adj[v].append((u, (-s[0], -s[1], -s[2]), (-d[0], -d[1], -d[2])))
    return adj, den


def _search(adj: list, den: int, *, orbits: bool = True) -> _Best | None:
    """Smallest traversal over the start vertices of smallest degree and their bases.

    Bases come from the edge vectors at the start, else from walks of length 2; only if no start
    has a basis that way (qzh: coplanar first and second neighbours), from longer walks.
    """
    best = _search_walks(adj, den, 2, orbits)
    if best is None:
        best = _search_walks(adj, den, len(adj) + 1, orbits)
    return best


def _search_walks(adj: list, den: int, max_walk: int, orbits: bool) -> _Best | None:
    n = len(adj)
    # start only from the vertices of smallest degree (an isomorphism invariant); a start in the
    # orbit of a finished one is skipped: automorphisms are found as traversals that reproduce
    # the best edge list exactly, and their vertex orbits are kept in a union-find (Systre's
    # use of the symmetry group, ref. [1] section 5)
    mindeg = min(len(a) for a in adj)
    best: _Best | None = None
    orbit = list(range(n))
    finished = [False] * n  # per union-find root: holds a fully processed start

    def find(x: int) -> int:
        while orbit[x] != x:
            orbit[x] = orbit[orbit[x]]
            x = orbit[x]
        return x

    def merge(order_a: list[int], order_b: list[int]) -> None:
        for a, b in zip(order_a, order_b, strict=True):
            ra, rb = find(a), find(b)
            if ra != rb:
                orbit[rb] = ra
                finished[ra] = finished[ra] or finished[rb]

    for v0 in range(n):
        if len(adj[v0]) != mindeg or (orbits and finished[find(v0)]):
            continue
        vecs = _basis_candidates(v0, adj, max_walk)
        for trip in itertools.permutations(range(len(vecs)), 3):
            m = [vecs[k] for k in trip]
            adjm, det = _adj3(m)
            if det == 0:
                continue
            if det < 0:
                adjm, det = [[-x for x in r] for r in adjm], -det
            cand = _traverse(v0, adj, adjm, det, den, n, best)
            if cand is None:
                continue
            if cand[3] and best is not None:  # same edge list: an automorphism
                merge(best[2], cand[2])
                if orbits and finished[find(v0)]:
                    break
            else:
                best = cand
        finished[find(v0)] = True
    return best


_Best = tuple[list[tuple[int, int, tuple[int, int, int]]], int, list[int], bool]


def _basis_candidates(v0: int, adj: list, max_walk: int = 2) -> list[tuple[int, int, int]]:
    """Return the edge vectors at ``v0``, or longer walks' vectors if those do not span space.

    Walks of length 2, 3, ... up to ``max_walk`` are tried, stopping at the first length whose
    vectors span space.
    """
    vecs = sorted({d for _, _, d in adj[v0]})
    if np.linalg.matrix_rank(np.array(vecs, dtype=float)) == 3:
        return vecs
    more = set(vecs)
    walks = {(w, d) for w, _, d in adj[v0]}
    for _ in range(max_walk - 1):
        walks = {
            (w2, (d[0] + d2[0], d[1] + d2[1], d[2] + d2[2]))
            for w, d in walks
            for w2, _, d2 in adj[w]
        }
        more |= {d for _, d in walks if d != (0, 0, 0)}
        if np.linalg.matrix_rank(np.array(sorted(more), dtype=float)) == 3:
            break
    return sorted(more)


def _cmp(
    e: tuple[int, int, tuple[int, int, int]],
    det: int,
    f: tuple[int, int, tuple[int, int, int]],
    fdet: int,
) -> int:
    """Compare entries (i, j, y/det) and (i', j', y'/det') exactly: -1, 0 or 1."""
    if e[:2] != f[:2]:
        return -1 if e[:2] < f[:2] else 1
    for a, b in zip(e[2], f[2], strict=True):
        x, y = a * fdet, b * det
        if x != y:
            return -1 if x < y else 1
    return 0


def _traverse(
    v0: int,
    adj: list,
    adjm: list[list[int]],
    det: int,
    den: int,
    n: int,
    best: _Best | None,
) -> _Best | None:
    """Build the BFS edge list for one start and basis (None once it is larger than ``best``).

    Returned with the vertex order and whether it equals ``best``.
    """
    index = {v0: 0}
    order = [v0]
    cell: dict[int, tuple[int, int, int]] = {v0: (0, 0, 0)}
    queue = deque([v0])
    out: list[tuple[int, int, tuple[int, int, int]]] = []
    smaller = best is None
    k = 0
    while queue:
        u = queue.popleft()
        cu = cell[u]
        nbrs = sorted((_mul(d, adjm), w, s) for w, s, d in adj[u])
        for _, w, s in nbrs:
            img = (cu[0] + s[0], cu[1] + s[1], cu[2] + s[2])
            if w not in index:
                index[w] = len(index)
                order.append(w)
                cell[w] = img
                queue.append(w)
            i, j = index[u], index[w]
            if j < i:
                continue
            cw = cell[w]
            t = (den * (img[0] - cw[0]), den * (img[1] - cw[1]), den * (img[2] - cw[2]))
            y = _mul(t, adjm)
            if j == i and not (y > (0, 0, 0)):
                continue
            entry = (i, j, y)
            if not smaller:
                c = _cmp(entry, det, best[0][k], best[1])  # type: ignore[index]
                if c > 0:
                    return None
                if c < 0:
                    smaller = True
            k += 1
            out.append(entry)
    if len(index) != n:
        raise AnalysisError("net is not connected")
    if smaller:
        return (out, det, order, False)
    return (out, det, order, True) if len(out) == len(best[0]) else None  # type: ignore[index]


def key_hash(key: str) -> str:
    """Short stable digest of a key (first 20 hex digits of its SHA-256) for tables."""
    return hashlib.sha256(key.encode()).hexdigest()[:20]
