"""Ring statistics of a periodic net: King's shortest-path rings at every angle.

For every vertex and every pair of its edges, the shortest ring through both edges (the
shortest path between the two neighbours that avoids the vertex, plus two) and how many such
rings there are (King 1967; the "shortest-path" rings of Franzblau 1991 are the rings that are
shortest for every pair of their vertices; every King ring at an angle is one of them). The
periodic BFS runs on the quotient graph with lattice offsets, so rings that merely wrap around a
small periodic box are not counted as rings.

References
----------
.. [1] S. V. King, Nature 213 (1967) 1112.
.. [2] D. S. Franzblau, Phys. Rev. B 44 (1991) 4925.
.. [3] S. Le Roux, P. Jund, Comput. Mater. Sci. 49 (2010) 70 (R.I.N.G.S.).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mofglass.structure.periodic_graph import PeriodicGraph
from mofglass.structure.topology import _shortest_paths

__all__ = ["RingStatistics", "ring_statistics"]


@dataclass(frozen=True)
class RingStatistics:
    """Shortest rings at the angles of a net.

    Attributes
    ----------
    sizes : ndarray of int
        Ring sizes 3..max_ring.
    angle_fraction : ndarray
        Fraction of angles whose shortest ring has each size.
    rings_per_vertex : ndarray
        King rings per vertex by size (each ring of size n shared by its n vertices).
    n_angles : int
    unclosed_fraction : float
        Fraction of angles with no ring up to ``max_ring``.
    """

    sizes: np.ndarray
    angle_fraction: np.ndarray
    rings_per_vertex: np.ndarray
    n_angles: int
    unclosed_fraction: float

    def table(self) -> list[tuple[int, float, float]]:
        """(size, angle fraction, rings per vertex) for the sizes that occur."""
        return [
            (int(n), float(f), float(r))
            for n, f, r in zip(self.sizes, self.angle_fraction, self.rings_per_vertex, strict=True)
            if f > 0
        ]


def ring_statistics(graph: PeriodicGraph, *, max_ring: int = 12) -> RingStatistics:
    """King shortest-path ring statistics of a periodic graph (see the module docstring)."""
    adj = graph.neighbours()
    sizes = np.arange(3, max_ring + 1)
    angle_counts = np.zeros(len(sizes))
    ring_counts = np.zeros(len(sizes))
    n_angles = unclosed = 0
    for v in range(graph.n_vertices):
        nb = adj[v]
        home = (v, 0, 0, 0)
        for a in range(len(nb)):
            for b in range(a + 1, len(nb)):
                src = (nb[a][0], *nb[a][1])
                dst = (nb[b][0], *nb[b][1])
                if src == dst:
                    continue
                n_angles += 1
                size, count = _shortest_paths(adj, src, dst, home, max_ring - 2)
                if size < 3:
                    unclosed += 1
                    continue
                angle_counts[size - 3] += 1
                ring_counts[size - 3] += count / size
    n = max(n_angles, 1)
    return RingStatistics(
        sizes,
        angle_counts / n,
        ring_counts / max(graph.n_vertices, 1),
        n_angles,
        unclosed / n,
    )
