"""Reduce a unit graph to its underlying net: prune 1-c vertices, contract 2-c vertices.

References
----------
.. [1] V. A. Blatov, "Multipurpose crystallochemical analysis with the program package TOPOS",
   IUCr CompComm Newsletter 7 (2006) 4 (simplification to the underlying net).
"""

from __future__ import annotations

import numpy as np

from mofglass.structure.periodic_graph import PeriodicGraph

__all__ = ["simplify_net"]


def simplify_net(graph: PeriodicGraph) -> tuple[PeriodicGraph, np.ndarray]:
    """Remove degree-1 vertices and contract degree-2 vertices until none is left.

    Returns the simplified net (parallel edges merged, zero-offset loops dropped) and, for each
    of its vertices, the vertex of ``graph`` it was.
    """
    edges: set[tuple[int, int, tuple[int, int, int]]] = set()
    adj: dict[int, set[tuple[int, tuple[int, int, int]]]] = {
        v: set() for v in range(graph.n_vertices)
    }

    def canon(
        u: int, v: int, s: tuple[int, int, int]
    ) -> tuple[int, int, tuple[int, int, int]] | None:
        if u == v and s == (0, 0, 0):
            return None
        neg = (-s[0], -s[1], -s[2])
        if u > v or (u == v and s < neg):
            return (v, u, neg)
        return (u, v, s)

    def add(u: int, v: int, s: tuple[int, int, int]) -> None:
        e = canon(u, v, s)
        if e is None or e in edges:
            return
        edges.add(e)
        a, b, t = e
        adj[a].add((b, t))
        adj[b].add((a, (-t[0], -t[1], -t[2])))

    def remove(u: int, v: int, s: tuple[int, int, int]) -> None:
        e = canon(u, v, s)
        if e is None or e not in edges:
            return
        edges.discard(e)
        a, b, t = e
        adj[a].discard((b, t))
        adj[b].discard((a, (-t[0], -t[1], -t[2])))

    for (u, v), s in zip(graph.edges.tolist(), graph.offsets.tolist(), strict=True):
        add(u, v, (s[0], s[1], s[2]))
    alive = set(range(graph.n_vertices))
    todo = list(alive)
    while todo:
        x = todo.pop()
        if x not in alive:
            continue
        nb = list(adj[x])
        deg = len(nb) + sum(1 for w, _ in nb if w == x)  # loops count twice
        if deg == 0:
            alive.discard(x)
        elif deg == 1:
            (w, s) = nb[0]
            remove(x, w, s)
            alive.discard(x)
            todo.append(w)
        elif deg == 2 and all(w != x for w, _ in nb):
            (w1, s1), (w2, s2) = nb
            remove(x, w1, s1)
            remove(x, w2, s2)
            add(w1, w2, (s2[0] - s1[0], s2[1] - s1[1], s2[2] - s1[2]))
            alive.discard(x)
            todo.extend([w1, w2])
    keep = np.array(sorted(alive), dtype=np.int64)
    new = {int(v): k for k, v in enumerate(keep)}
    e = [(new[a], new[b]) for a, b, _ in sorted(edges)]
    s = [t for _, _, t in sorted(edges)]
    net = PeriodicGraph.simple(
        len(keep),
        np.array(e, dtype=np.int64).reshape(-1, 2),
        np.array(s, dtype=np.int64).reshape(-1, 3),
    )
    return net, keep
