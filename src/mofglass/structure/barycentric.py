"""Exact barycentric placement of a periodic net.

Part of the Systre method (see :mod:`mofglass.structure.systre`): every vertex at the mean of its
neighbours with vertex 0 fixed, solved exactly (a sparse float solve refined with exact rational
residuals and rounded to rationals, accepted only when it satisfies the equations exactly; plain
rational elimination otherwise). The reduction to the smallest cell that uses it is in
:mod:`mofglass.structure.cell_reduction`.

References
----------
.. [1] O. Delgado-Friedrichs, M. O'Keeffe, Acta Cryst. A59 (2003) 351-360.
.. [2] O. Delgado-Friedrichs, "Barycentric drawings of periodic graphs", Lecture Notes in
   Computer Science 2912 (2004) 178-189.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import numpy as np

from mofglass.errors import AnalysisError
from mofglass.structure.periodic_graph import PeriodicGraph

__all__ = ["CollisionError", "Vec", "barycentric_placement"]

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
    """Solve for exact positions by iterative refinement.

    Float corrections are accumulated exactly (residuals in rational arithmetic), rounded to
    rationals and accepted only if they solve the system exactly; None if that fails within
    ``rounds`` refinements.
    """
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
