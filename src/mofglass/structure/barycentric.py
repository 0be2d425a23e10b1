"""Exact barycentric placement of a periodic net and its reduction to the smallest cell.

Part of the Systre method (see :mod:`mofglass.structure.systre`): every vertex at the mean of its
neighbours with vertex 0 fixed, solved exactly (a sparse float solve refined with exact rational
residuals and rounded to rationals, accepted only when it satisfies the equations exactly; plain
rational elimination otherwise); collisions detected; extra translations (automorphisms that are
translations) found and divided out so that any supercell of a net gives the same quotient graph.
Large cells are first reduced on the float placement, each translation verified exactly as a graph
automorphism and the quotient checked to have ``n / index`` vertices.

References
----------
.. [1] O. Delgado-Friedrichs, M. O'Keeffe, Acta Cryst. A59 (2003) 351-360.
.. [2] O. Delgado-Friedrichs, "Barycentric drawings of periodic graphs", Lecture Notes in
   Computer Science 2912 (2004) 178-189.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from mofglass.errors import AnalysisError
from mofglass.structure.periodic_graph import PeriodicGraph, hnf_rows

__all__ = ["CollisionError", "barycentric_placement", "float_reduce", "minimal_net"]

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

    A floating-point solution is rounded to rationals and accepted only if it satisfies the
    equations exactly (the solution is unique, so it is then *the* solution); otherwise the
    system is solved in exact rational arithmetic.

    Raises
    ------
    AnalysisError
        If the graph is not connected.
    """
    n = graph.n_vertices
    if n == 1:
        return [(Fraction(0), Fraction(0), Fraction(0))]
    guess = _rational_guess(graph)
    if guess is not None:
        return guess
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


def _laplacian(graph: PeriodicGraph) -> tuple[Any, np.ndarray]:
    """Sparse Laplacian (loops dropped) and right-hand side ``sum s`` of the placement system."""
    import scipy.sparse as sp

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
    return lap, rhs


def _float_placement(graph: PeriodicGraph) -> np.ndarray | None:
    """Barycentric positions in floating point (sparse solve), vertex 0 at the origin."""
    from scipy.sparse.linalg import spsolve

    lap, rhs = _laplacian(graph)
    try:
        x = spsolve(lap[1:, 1:].tocsc(), rhs[1:])
    except RuntimeError:
        return None
    p = np.vstack([np.zeros(3), np.asarray(x).reshape(-1, 3)])
    return p if np.all(np.isfinite(p)) else None


def _rational_guess(graph: PeriodicGraph, *, rounds: int = 8) -> list[Vec] | None:
    """Exact positions by iterative refinement: float corrections accumulated exactly (residuals
    in rational arithmetic), rounded to rationals and accepted only if they solve the system
    exactly; None if that fails within ``rounds`` refinements."""
    import warnings

    from scipy.sparse.linalg import splu

    n = graph.n_vertices
    lap, rhs = _laplacian(graph)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            lu = splu(lap[1:, 1:].tocsc())
    except RuntimeError:
        return None
    edges = [
        (u, v, s)
        for (u, v), s in zip(graph.edges.tolist(), graph.offsets.tolist(), strict=True)
        if u != v
    ]
    x = [[Fraction(0)] * 3 for _ in range(n)]
    res = rhs[1:].copy()
    for k in range(1, rounds + 1):
        dx = lu.solve(res)
        if not np.all(np.isfinite(dx)):
            return None
        for v in range(1, n):
            row = x[v]
            for d in range(3):
                row[d] += Fraction(float(dx[v - 1, d]))
        sol = _round_and_check(x, edges, 10 ** (6 * k))
        if sol is not None:
            return sol
        # exact residual b - L x, passed to the float solver (its size shrinks each round)
        r = [[Fraction(0)] * 3 for _ in range(n)]
        for u, v, s in edges:
            for d in range(3):
                t = x[v][d] + s[d] - x[u][d]
                r[u][d] += t
                r[v][d] -= t
        res = np.array([[float(c) for c in row] for row in r[1:]])
    return None


def _round_and_check(x: list[list[Fraction]], edges: list, max_den: int) -> list[Vec] | None:
    den = 1
    for row in x:
        for c in row:
            q = c.limit_denominator(max_den).denominator
            den = den * q // math.gcd(den, q)
    ip = [[round(c * den) for c in row] for row in x]
    acc = [[0, 0, 0] for _ in range(len(x))]
    for u, v, s in edges:  # exact check: sum over the edges at u of (p_v + s - p_u) vanishes
        for d in range(3):
            t = ip[v][d] + den * s[d] - ip[u][d]
            acc[u][d] += t
            acc[v][d] -= t
    if any(any(a) for a in acc):
        return None
    return [(Fraction(r[0], den), Fraction(r[1], den), Fraction(r[2], den)) for r in ip]


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
        reduced = float_reduce(graph)
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


def float_reduce(graph: PeriodicGraph) -> PeriodicGraph | None:
    """Cheap first pass for large cells: translations found on a floating-point barycentric
    placement, each verified exactly as a graph automorphism; None if there are none."""
    n = graph.n_vertices
    p = _float_placement(graph)
    if p is None:
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
    probe = np.linspace(0, n - 1, min(n, 8)).astype(np.int64)
    for w in range(1, n):
        t = p[w] - p[0]
        if deg[w] != deg[0] or np.allclose(t, np.rint(t), atol=1e-7):
            continue
        if tree.query((p[probe] + t) % 1.0)[0].max() > 1e-6:
            continue  # cheap rejection on a few vertices
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
            # an exact automorphism: divide it out (the caller repeats until none is left)
            exact = tuple(Fraction(float(x)).limit_denominator(n) for x in t)
            return _reduce_float(graph, p, exact)  # type: ignore[arg-type]
    return None


def _reduce_float(graph: PeriodicGraph, p: np.ndarray, t: Vec) -> PeriodicGraph | None:
    """Quotient of ``graph`` by Z^3 and the translation automorphism ``t`` (exact rational),
    vertices grouped on the float positions ``p``; None if the grouping is inconsistent."""
    from scipy.spatial import cKDTree

    den = 1
    for x in t:
        den = den * x.denominator // math.gcd(den, x.denominator)
    gens = [[den if i == j else 0 for j in range(3)] for i in range(3)]
    gens.append([int(x * den) for x in t])
    basis = [[Fraction(x, den) for x in row] for row in hnf_rows(gens)]
    index = round(1 / abs(_adj3(basis)[1]))  # cells of Z^3 per new cell
    if index < 2 or graph.n_vertices % index:
        return None
    binv = np.array([[float(x) for x in row] for row in _inv3(basis)])
    newpos = p @ binv
    frac = newpos % 1.0
    frac[np.isclose(frac, 1.0, atol=1e-9)] = 0.0
    near = cKDTree(frac, boxsize=1.0 + 1e-12).query_ball_point(frac, r=1e-6)
    rep_of = -np.ones(graph.n_vertices, dtype=np.int64)
    order: list[int] = []
    for v in range(graph.n_vertices):
        if rep_of[v] < 0:
            members = np.asarray(near[v], dtype=np.int64)
            if np.any(rep_of[members] >= 0):
                return None
            rep_of[members] = len(order)
            order.append(v)
    if len(order) * index != graph.n_vertices:
        return None
    cell = newpos - newpos[np.array(order)[rep_of]]
    cell_i = np.rint(cell)
    shift = graph.offsets @ binv + cell_i[graph.edges[:, 1]] - cell_i[graph.edges[:, 0]]
    if not (np.allclose(cell, cell_i, atol=1e-6) and np.allclose(shift, np.rint(shift), atol=1e-6)):
        return None
    return PeriodicGraph.simple(len(order), rep_of[graph.edges], np.rint(shift).astype(np.int64))


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


def _adj3(m: Sequence[Sequence[Any]]) -> tuple[list[list[Any]], Any]:
    """Adjugate (so that ``m @ adj = det * I`` for row vectors) and determinant; exact for int
    and Fraction entries."""
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


def _inv3(m: list[list[Fraction]] | list[Vec]) -> list[list[Fraction]]:
    c, det = _adj3(m)
    if det == 0:
        raise ZeroDivisionError("singular basis")
    return [[Fraction(x) / det for x in row] for row in c]
