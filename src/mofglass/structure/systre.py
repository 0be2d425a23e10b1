"""Canonical key of a connected 3-periodic net by the Systre method, in exact rational arithmetic.

1. Barycentric placement: every vertex at the mean of its neighbours, one vertex fixed at the
   origin; a linear (Laplacian) system solved exactly with :class:`fractions.Fraction`.
2. Stability: two vertices at the same place (mod the lattice) are a *collision*; the key is then
   not defined (:class:`CollisionError`) and callers fall back to coordination sequences.
3. Minimal cell: translations ``p_w - p_v`` that map the net onto itself are added to the lattice,
   so any supercell of a net gives the same quotient graph.
4. Canonical form: for every start vertex and every ordered triple of linearly independent edge
   vectors at it, a breadth-first traversal numbers the vertices (neighbours sorted by their edge
   vectors in that basis) and writes the edge list with each edge's translation in that basis; the
   lexicographically smallest list is the key. Isomorphic nets, in any cell, any vertex order and
   any basis, give the same key.

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
from mofglass.structure.periodic_graph import PeriodicGraph, hnf_rows

__all__ = [
    "CollisionError",
    "barycentric_placement",
    "key_hash",
    "minimal_net",
    "systre_key",
]

Vec = tuple[Fraction, Fraction, Fraction]


class CollisionError(AnalysisError):
    """The barycentric placement puts two vertices at one place: no canonical key."""


def _solve_exact(
    a: list[dict[int, Fraction]], b: list[list[Fraction]], n: int
) -> list[list[Fraction]]:
    """Solve the sparse system ``a x = b`` (n unknowns, 3 right-hand sides) exactly."""
    rows = [dict(r) for r in a]
    rhs = [list(r) for r in b]
    pivots: list[int] = []
    for col in range(n):
        piv = None
        best = None
        for r in range(col, n):
            v = rows[r].get(col)
            if v:
                size = len(rows[r])
                if best is None or size < best:
                    piv, best = r, size
        if piv is None:
            raise AnalysisError("the net is not connected: singular Laplacian")
        rows[col], rows[piv] = rows[piv], rows[col]
        rhs[col], rhs[piv] = rhs[piv], rhs[col]
        prow, pr = rows[col], rhs[col]
        inv = 1 / prow[col]
        for r in range(col + 1, n):
            f = rows[r].get(col)
            if not f:
                continue
            f = f * inv
            row = rows[r]
            for k, v in prow.items():
                nv = row.get(k, 0) - f * v
                if nv:
                    row[k] = nv
                else:
                    row.pop(k, None)
            rr = rhs[r]
            for d in range(3):
                rr[d] -= f * pr[d]
        pivots.append(col)
    x = [[Fraction(0)] * 3 for _ in range(n)]
    for col in reversed(range(n)):
        row = rows[col]
        acc = list(rhs[col])
        for k, v in row.items():
            if k != col:
                for d in range(3):
                    acc[d] -= v * x[k][d]
        x[col] = [acc[d] / row[col] for d in range(3)]
    return x


def barycentric_placement(graph: PeriodicGraph) -> list[Vec]:
    """Exact barycentric positions (fractional, vertex 0 at the origin) of a connected net.

    Raises
    ------
    AnalysisError
        If the graph is not connected.
    """
    n = graph.n_vertices
    if n == 1:
        return [(Fraction(0), Fraction(0), Fraction(0))]
    lap: list[dict[int, Fraction]] = [{} for _ in range(n)]
    rhs = [[Fraction(0)] * 3 for _ in range(n)]
    for (u, v), s in zip(graph.edges.tolist(), graph.offsets.tolist(), strict=True):
        if u == v:
            continue  # a loop pulls a vertex equally both ways
        lap[u][u] = lap[u].get(u, 0) + 1
        lap[v][v] = lap[v].get(v, 0) + 1
        lap[u][v] = lap[u].get(v, 0) - 1
        lap[v][u] = lap[v].get(u, 0) - 1
        for d in range(3):
            rhs[u][d] += s[d]  # sum (p_v + s - p_u) = 0  ->  L p = sum s
            rhs[v][d] -= s[d]
    # fix vertex 0: drop its row and column
    a = [{k - 1: Fraction(val) for k, val in lap[r].items() if k != 0} for r in range(1, n)]
    x = _solve_exact(a, rhs[1:], n - 1)
    return [(Fraction(0), Fraction(0), Fraction(0))] + [(r[0], r[1], r[2]) for r in x]


def _mod1(p: Vec) -> Vec:
    return (
        p[0] - (p[0].numerator // p[0].denominator),
        p[1] - (p[1].numerator // p[1].denominator),
        p[2] - (p[2].numerator // p[2].denominator),
    )


def _check_stable(pos: list[Vec]) -> dict[Vec, int]:
    where: dict[Vec, int] = {}
    for v, p in enumerate(pos):
        q = _mod1(p)
        if q in where:
            raise CollisionError(
                f"vertices {where[q]} and {v} collide in the barycentric placement: "
                "the net is not stable, no Systre key"
            )
        where[q] = v
    return where


def minimal_net(graph: PeriodicGraph) -> tuple[PeriodicGraph, list[Vec]]:
    """The net on its full translation lattice (smallest cell) with barycentric positions.

    Raises
    ------
    CollisionError
        If two vertices share a barycentric position.
    """
    if graph.n_vertices > 24:
        reduced = _float_reduce(graph)
        if reduced is not None:
            return minimal_net(reduced)
    pos = barycentric_placement(graph)
    where = _check_stable(pos)
    edges = {
        (u, v, tuple(s))
        for (u, v), s in zip(graph.edges.tolist(), graph.offsets.tolist(), strict=True)
    }
    edges |= {(v, u, (-s[0], -s[1], -s[2])) for u, v, s in list(edges)}
    deg = graph.degrees()
    found: list[Vec] = []
    for w in range(1, graph.n_vertices):
        if deg[w] != deg[0]:
            continue
        t = tuple(pos[w][d] - pos[0][d] for d in range(3))
        if all(x.denominator == 1 for x in t):
            continue
        if _is_translation(t, pos, where, edges, graph.n_vertices):  # type: ignore[arg-type]
            found.append(t)  # type: ignore[arg-type]
    if not found:
        return graph, pos
    return minimal_net(_reduce(graph, pos, found))


def _reduce(graph: PeriodicGraph, pos: list[Vec], found: list[Vec]) -> PeriodicGraph:
    """Quotient of ``graph`` by the lattice generated by Z^3 and the translations ``found``."""
    den = 1
    for t in found:
        for x in t:
            den = den * x.denominator // math.gcd(den, x.denominator)
    gens = [[den if i == j else 0 for j in range(3)] for i in range(3)]
    gens += [[int(x * den) for x in t] for t in found]
    basis = [[Fraction(x, den) for x in row] for row in hnf_rows(gens)]
    binv = _inv3(basis)
    newpos = [_mul(p, binv) for p in pos]
    reps: dict[Vec, int] = {}
    rep_of = [0] * graph.n_vertices
    order: list[int] = []
    for v in range(graph.n_vertices):
        key = _mod1(newpos[v])
        if key not in reps:
            reps[key] = len(order)
            order.append(v)
        rep_of[v] = reps[key]
    cell_of = [
        tuple(int(newpos[v][d] - newpos[order[rep_of[v]]][d]) for d in range(3))
        for v in range(graph.n_vertices)
    ]
    new_e, new_s = [], []
    for (u, v), s in zip(graph.edges.tolist(), graph.offsets.tolist(), strict=True):
        sv = _mul((Fraction(s[0]), Fraction(s[1]), Fraction(s[2])), binv)
        shift = [sv[d] + cell_of[v][d] - cell_of[u][d] for d in range(3)]
        if any(x.denominator != 1 for x in shift):
            raise AssertionError("non-integral edge shift after cell reduction")
        new_e.append((rep_of[u], rep_of[v]))
        new_s.append([int(x) for x in shift])
    return PeriodicGraph.simple(len(order), np.array(new_e), np.array(new_s))


def _float_reduce(graph: PeriodicGraph) -> PeriodicGraph | None:
    """Cheap first pass for large cells: translations found on a floating-point barycentric
    placement, each verified exactly as a graph automorphism; None if there are none."""
    import scipy.sparse as sp
    from scipy.sparse.linalg import spsolve

    n = graph.n_vertices
    e, s = graph.edges, graph.offsets.astype(float)
    keep = e[:, 0] != e[:, 1]
    e, s = e[keep], s[keep]
    rows = np.r_[e[:, 0], e[:, 1], e[:, 0], e[:, 1]]
    cols = np.r_[e[:, 0], e[:, 1], e[:, 1], e[:, 0]]
    vals = np.r_[np.ones(len(e)), np.ones(len(e)), -np.ones(len(e)), -np.ones(len(e))]
    lap = sp.csr_matrix((vals, (rows, cols)), shape=(n, n))
    rhs = np.zeros((n, 3))
    np.add.at(rhs, e[:, 0], s)
    np.add.at(rhs, e[:, 1], -s)
    try:
        x = spsolve(lap[1:, 1:].tocsc(), rhs[1:])
    except RuntimeError:
        return None
    p = np.vstack([np.zeros(3), np.asarray(x).reshape(-1, 3)])
    if not np.all(np.isfinite(p)):
        return None
    from scipy.spatial import cKDTree

    frac = p % 1.0
    tree = cKDTree(frac, boxsize=1.0 + 1e-12)
    if min(tree.query(frac, k=2)[0][:, 1]) < 1e-7:
        return None  # (near-)collisions: leave it to the exact path
    edges = {
        (u, v, tuple(t))
        for (u, v), t in zip(graph.edges.tolist(), graph.offsets.tolist(), strict=True)
    }
    edges |= {(v, u, (-t[0], -t[1], -t[2])) for u, v, t in list(edges)}
    deg = graph.degrees()
    found: list[Vec] = []
    for w in range(1, n):
        t = p[w] - p[0]
        if deg[w] != deg[0] or np.allclose(t, np.rint(t), atol=1e-7):
            continue
        d, img = tree.query((p + t) % 1.0)
        if d.max() > 1e-6:
            continue
        shift = np.rint(p + t - p[img]).astype(np.int64).tolist()
        imgl = img.tolist()
        if all(
            (
                imgl[u],
                imgl[v],
                (
                    c[0] + shift[v][0] - shift[u][0],
                    c[1] + shift[v][1] - shift[u][1],
                    c[2] + shift[v][2] - shift[u][2],
                ),
            )
            in edges
            for u, v, c in edges
        ):
            found.append(tuple(Fraction(float(x)).limit_denominator(n) for x in t))  # type: ignore[arg-type]
    if not found:
        return None
    # exact positions are not needed for the quotient: use rational approximations of p
    pos = [tuple(Fraction(float(c)).limit_denominator(10**9) for c in row) for row in p]
    try:
        return _reduce(graph, pos, found)  # type: ignore[arg-type]
    except AssertionError:
        return None


def _is_translation(t: Vec, pos: list[Vec], where: dict[Vec, int], edges: set, n: int) -> bool:
    image = [0] * n
    shift: list[tuple[int, int, int]] = [(0, 0, 0)] * n
    for v in range(n):
        q = (pos[v][0] + t[0], pos[v][1] + t[1], pos[v][2] + t[2])
        m = _mod1(q)
        u = where.get(m)
        if u is None:
            return False
        image[v] = u
        shift[v] = (int(q[0] - pos[u][0]), int(q[1] - pos[u][1]), int(q[2] - pos[u][2]))
    for u, v, s in edges:
        a, b = shift[u], shift[v]
        if (
            image[u],
            image[v],
            (s[0] + b[0] - a[0], s[1] + b[1] - a[1], s[2] + b[2] - a[2]),
        ) not in edges:
            return False
    return True


def _mul(p: Vec | tuple[Fraction, ...], m: list[list[Fraction]]) -> Vec:
    return (
        p[0] * m[0][0] + p[1] * m[1][0] + p[2] * m[2][0],
        p[0] * m[0][1] + p[1] * m[1][1] + p[2] * m[2][1],
        p[0] * m[0][2] + p[1] * m[1][2] + p[2] * m[2][2],
    )


def _det3(m: list[list[Fraction]] | list[Vec]) -> Fraction:
    return (
        m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
        - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
        + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
    )


def _inv3(m: list[list[Fraction]] | list[Vec]) -> list[list[Fraction]]:
    det = _det3(m)
    if det == 0:
        raise ZeroDivisionError("singular basis")
    c = [
        [
            m[1][1] * m[2][2] - m[1][2] * m[2][1],
            m[0][2] * m[2][1] - m[0][1] * m[2][2],
            m[0][1] * m[1][2] - m[0][2] * m[1][1],
        ],
        [
            m[1][2] * m[2][0] - m[1][0] * m[2][2],
            m[0][0] * m[2][2] - m[0][2] * m[2][0],
            m[0][2] * m[1][0] - m[0][0] * m[1][2],
        ],
        [
            m[1][0] * m[2][1] - m[1][1] * m[2][0],
            m[0][1] * m[2][0] - m[0][0] * m[2][1],
            m[0][0] * m[1][1] - m[0][1] * m[1][0],
        ],
    ]
    return [[x / det for x in row] for row in c]


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
    # start only from the vertices of smallest degree (an isomorphism invariant)
    mindeg = min(len(a) for a in adj)
    best: _Best | None = None
    for v0 in range(n):
        if len(adj[v0]) != mindeg:
            continue
        vecs = _basis_candidates(v0, adj)
        for trip in itertools.permutations(range(len(vecs)), 3):
            m = [vecs[k] for k in trip]
            adjm, det = _adj3(m)
            if det == 0:
                continue
            if det < 0:
                adjm, det = [[-x for x in r] for r in adjm], -det
            cand = _traverse(v0, adj, adjm, det, den, n, best)
            if cand is not None:
                best = cand
    if best is None:
        raise AnalysisError("net is not 3-periodic: no three independent edge vectors")
    entries, det = best
    parts = ["3"]
    for i, j, y in entries:
        parts.append(f"{i + 1} {j + 1} " + " ".join(str(Fraction(x, det)) for x in y))
    return " ".join(parts)


_Best = tuple[list[tuple[int, int, tuple[int, int, int]]], int]


def _basis_candidates(v0: int, adj: list) -> list[tuple[int, int, int]]:
    """Edge vectors at ``v0``; if they do not span space, also the vectors to 2nd neighbours."""
    vecs = sorted({d for _, _, d in adj[v0]})
    if np.linalg.matrix_rank(np.array(vecs, dtype=float)) == 3:
        return vecs
    more = {d for _, _, d in adj[v0]}
    for w, _, d in adj[v0]:
        for _, _, d2 in adj[w]:
            t = (d[0] + d2[0], d[1] + d2[1], d[2] + d2[2])
            if t != (0, 0, 0):
                more.add(t)
    return sorted(more)


def _adj3(m: list[tuple[int, int, int]]) -> tuple[list[list[int]], int]:
    """Adjugate (so that ``m @ adj = det * I`` for row vectors) and determinant."""
    c = [
        [
            m[1][1] * m[2][2] - m[1][2] * m[2][1],
            m[0][2] * m[2][1] - m[0][1] * m[2][2],
            m[0][1] * m[1][2] - m[0][2] * m[1][1],
        ],
        [
            m[1][2] * m[2][0] - m[1][0] * m[2][2],
            m[0][0] * m[2][2] - m[0][2] * m[2][0],
            m[0][2] * m[1][0] - m[0][0] * m[1][2],
        ],
        [
            m[1][0] * m[2][1] - m[1][1] * m[2][0],
            m[0][1] * m[2][0] - m[0][0] * m[2][1],
            m[0][0] * m[1][1] - m[0][1] * m[1][0],
        ],
    ]
    det = m[0][0] * c[0][0] + m[0][1] * c[1][0] + m[0][2] * c[2][0]
    return c, det


def _vm(d: tuple[int, int, int], a: list[list[int]]) -> tuple[int, int, int]:
    return (
        d[0] * a[0][0] + d[1] * a[1][0] + d[2] * a[2][0],
        d[0] * a[0][1] + d[1] * a[1][1] + d[2] * a[2][1],
        d[0] * a[0][2] + d[1] * a[1][2] + d[2] * a[2][2],
    )


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
    """BFS edge list for one start and basis; None as soon as it is larger than ``best``."""
    index = {v0: 0}
    cell: dict[int, tuple[int, int, int]] = {v0: (0, 0, 0)}
    queue = deque([v0])
    out: list[tuple[int, int, tuple[int, int, int]]] = []
    smaller = best is None
    k = 0
    while queue:
        u = queue.popleft()
        cu = cell[u]
        nbrs = sorted((_vm(d, adjm), w, s) for w, s, d in adj[u])
        for _, w, s in nbrs:
            img = (cu[0] + s[0], cu[1] + s[1], cu[2] + s[2])
            if w not in index:
                index[w] = len(index)
                cell[w] = img
                queue.append(w)
            i, j = index[u], index[w]
            if j < i:
                continue
            cw = cell[w]
            t = (den * (img[0] - cw[0]), den * (img[1] - cw[1]), den * (img[2] - cw[2]))
            y = _vm(t, adjm)
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
    return (out, det) if smaller else None


def key_hash(key: str) -> str:
    """Short stable digest of a key (first 20 hex digits of its SHA-256) for tables."""
    return hashlib.sha256(key.encode()).hexdigest()[:20]
