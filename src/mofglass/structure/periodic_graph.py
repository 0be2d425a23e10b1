"""Periodic graphs: quotient graphs with lattice offsets on their edges.

A periodic graph is stored as its *quotient graph* (the vertices of one cell) plus, for each edge
``(u, v, s)``, the integer lattice offset ``s``: vertex ``u`` in cell 0 is joined to vertex ``v``
in cell ``s``. Connected components of the infinite graph and the translations that map each of
them onto itself (its translation sublattice) give the dimensionality and the number of
interpenetrated copies (Delgado-Friedrichs & O'Keeffe 2003; Blatov et al. 2004).

References
----------
.. [1] O. Delgado-Friedrichs, M. O'Keeffe, "Identification of and symmetry computation for
   crystal nets", Acta Cryst. A59 (2003) 351-360.
.. [2] V. A. Blatov, L. Carlucci, G. Ciani, D. M. Proserpio, "Interpenetrating metal-organic and
   inorganic 3D networks: a computer-aided systematic investigation", CrystEngComm 6 (2004) 377.
"""

from __future__ import annotations

import itertools
from collections import deque
from dataclasses import dataclass, field

import numpy as np

__all__ = [
    "Component",
    "PeriodicGraph",
    "first_positive_shift",
    "hermite_normal_form",
    "hnf_rows",
    "once_per_pair",
    "reduce_mod_lattice",
]


def hermite_normal_form(vectors: np.ndarray | list[list[int]]) -> np.ndarray:
    """Row-style Hermite normal form of the integer lattice spanned by ``vectors``.

    Returns an (r, 3) integer matrix in echelon form (positive pivots, entries above each pivot
    reduced into ``[0, pivot)``), r the rank; a unique basis of the lattice.
    """
    rows = vectors.tolist() if isinstance(vectors, np.ndarray) else vectors
    return np.array(hnf_rows([[int(x) for x in r] for r in rows]), dtype=np.int64).reshape(-1, 3)


def hnf_rows(vectors: list[list[int]]) -> list[list[int]]:
    """:func:`hermite_normal_form` on Python integers (no overflow), as lists."""
    d = 3
    rows: list[list[int]] = [list(r) for r in vectors if any(r)]
    basis: list[list[int]] = []
    col = 0
    while rows and col < d:
        nz = [r for r in rows if r[col] != 0]
        if not nz:
            col += 1
            continue
        zero = [r for r in rows if r[col] == 0]
        while len(nz) > 1:  # Euclid on the column
            nz.sort(key=lambda r: abs(r[col]))
            p = nz[0]
            rest = []
            for r in nz[1:]:
                q = r[col] // p[col]
                r2 = [x - q * y for x, y in zip(r, p, strict=True)]
                if r2[col] != 0:
                    rest.append(r2)
                elif any(r2):
                    zero.append(r2)
            nz = [p, *rest]
        p = nz[0]
        if p[col] < 0:
            p = [-x for x in p]
        basis.append(p)
        rows = [r for r in zero if any(r)]
        col += 1
    for i in range(len(basis)):
        pc = next(c for c in range(d) if basis[i][c] != 0)
        for k in range(i):
            q = basis[k][pc] // basis[i][pc]
            if q:
                basis[k] = [x - q * y for x, y in zip(basis[k], basis[i], strict=True)]
    return basis


def reduce_mod_lattice(vector: np.ndarray | tuple[int, ...], hnf: np.ndarray) -> tuple[int, ...]:
    """Canonical representative of ``vector`` modulo the lattice with Hermite basis ``hnf``."""
    x = [int(v) for v in vector]
    for row in hnf:
        pc = next(c for c in range(3) if row[c] != 0)
        q = x[pc] // int(row[pc])
        if q:
            x = [a - q * int(b) for a, b in zip(x, row, strict=True)]
    return tuple(x)


@dataclass(frozen=True)
class Component:
    """One connected component of the quotient graph and its place in the infinite graph.

    Attributes
    ----------
    vertices : ndarray of int
        Quotient-graph vertices of the component (sorted).
    lattice : ndarray, shape (r, 3)
        Hermite basis of the translations mapping one copy of the component onto itself.
    unwrap : dict
        Vertex -> cell offset of its image in the copy that holds the root at cell 0.
    """

    vertices: np.ndarray
    lattice: np.ndarray
    unwrap: dict[int, tuple[int, int, int]] = field(repr=False)

    @property
    def dimension(self) -> int:
        """Periodicity of the component: 0 (finite), 1 (chain), 2 (layer) or 3."""
        return int(self.lattice.shape[0])

    @property
    def n_copies(self) -> int | None:
        """Number of copies per cell lattice (interpenetration); None if infinite (dim < 3)."""
        if self.dimension < 3:
            return None
        return round(abs(float(np.linalg.det(self.lattice.astype(float)))))

    def copy_key(self, vertex: int, cell: tuple[int, int, int] | np.ndarray) -> tuple[int, ...]:
        """Which copy the image of ``vertex`` in ``cell`` belongs to (canonical coset key)."""
        t = np.asarray(cell, dtype=np.int64) - np.asarray(self.unwrap[int(vertex)], dtype=np.int64)
        return reduce_mod_lattice(t, self.lattice)

    def all_copy_keys(self) -> list[tuple[int, ...]]:
        """All copy keys of a 3-periodic component (``n_copies`` of them), sorted."""
        if self.dimension < 3:
            raise ValueError("a component of dimension < 3 has infinitely many copies")
        diag = [int(self.lattice[i, i]) for i in range(3)]
        keys = {reduce_mod_lattice(v, self.lattice) for v in itertools.product(*map(range, diag))}
        return sorted(keys)


@dataclass(frozen=True, eq=False)
class PeriodicGraph:
    """A periodic graph as a quotient graph with lattice offsets on its edges.

    Parameters
    ----------
    n_vertices : int
        Number of vertices per cell.
    edges : ndarray, shape (E, 2)
        Vertex pairs ``(u, v)``, each undirected edge stored once.
    offsets : ndarray, shape (E, 3)
        Integer offset ``s``: ``u`` in cell 0 is bonded to ``v`` in cell ``s``.
    """

    n_vertices: int
    edges: np.ndarray
    offsets: np.ndarray

    def __post_init__(self) -> None:
        e = np.asarray(self.edges, dtype=np.int64).reshape(-1, 2)
        s = np.asarray(self.offsets, dtype=np.int64).reshape(-1, 3)
        if e.shape[0] != s.shape[0]:
            raise ValueError("edges and offsets differ in length")
        if e.size and (e.min() < 0 or e.max() >= self.n_vertices):
            raise ValueError("edge refers to a vertex out of range")
        object.__setattr__(self, "edges", e)
        object.__setattr__(self, "offsets", s)

    @classmethod
    def from_directed(
        cls, n_vertices: int, i: np.ndarray, j: np.ndarray, s: np.ndarray
    ) -> PeriodicGraph:
        """Build from a directed list holding each edge in both directions (neighbour lists)."""
        i = np.asarray(i, dtype=np.int64)
        j = np.asarray(j, dtype=np.int64)
        s = np.asarray(s, dtype=np.int64).reshape(-1, 3)
        keep = once_per_pair(i, j, s)
        return cls.simple(n_vertices, np.stack([i[keep], j[keep]], axis=1), s[keep])

    @classmethod
    def simple(cls, n_vertices: int, edges: np.ndarray, offsets: np.ndarray) -> PeriodicGraph:
        """Build with each undirected edge once, dropping duplicates and zero-offset loops."""
        e = np.asarray(edges, dtype=np.int64).reshape(-1, 2)
        s = np.asarray(offsets, dtype=np.int64).reshape(-1, 3)
        flip = (e[:, 0] > e[:, 1]) | ((e[:, 0] == e[:, 1]) & ~first_positive_shift(s))
        e = np.where(flip[:, None], e[:, ::-1], e)
        s = np.where(flip[:, None], -s, s)
        loop0 = (e[:, 0] == e[:, 1]) & ~s.any(axis=1)
        e, s = e[~loop0], s[~loop0]
        if len(e):
            key = np.concatenate([e, s], axis=1)
            _, idx = np.unique(key, axis=0, return_index=True)
            idx = np.sort(idx)
            e, s = e[idx], s[idx]
        return cls(n_vertices, e, s)

    @property
    def n_edges(self) -> int:
        """Return the number of edges in the quotient graph."""
        return int(self.edges.shape[0])

    def neighbours(self) -> list[list[tuple[int, tuple[int, int, int]]]]:
        """Adjacency lists: for each vertex, ``(neighbour, offset)`` in both directions."""
        adj: list[list[tuple[int, tuple[int, int, int]]]] = [[] for _ in range(self.n_vertices)]
        for (u, v), s in zip(self.edges.tolist(), self.offsets.tolist(), strict=True):
            adj[u].append((v, (s[0], s[1], s[2])))
            adj[v].append((u, (-s[0], -s[1], -s[2])))
        return adj

    def directed_edges(self) -> set[tuple[int, int, tuple[int, int, int]]]:
        """Return every edge in both directions, (u, v, s) and (v, u, -s), as a set."""
        out = {
            (u, v, (s[0], s[1], s[2]))
            for (u, v), s in zip(self.edges.tolist(), self.offsets.tolist(), strict=True)
        }
        return out | {(v, u, (-s[0], -s[1], -s[2])) for u, v, s in out}

    def degrees(self) -> np.ndarray:
        """Coordination number of each vertex (a loop edge counts twice)."""
        deg = np.zeros(self.n_vertices, dtype=np.int64)
        np.add.at(deg, self.edges[:, 0], 1)
        np.add.at(deg, self.edges[:, 1], 1)
        return deg

    def components(self) -> list[Component]:
        """Find the connected components with their translation sublattices (BFS over the quotient graph).

        Each cycle of the quotient graph closes with a net lattice vector; these generate the
        translations of one copy. With ``n_copies = |det|`` of their Hermite basis the component
        is that many interpenetrated copies of one connected net.
        """
        adj = self.neighbours()
        seen = np.zeros(self.n_vertices, dtype=bool)
        comps: list[Component] = []
        for root in range(self.n_vertices):
            if seen[root]:
                continue
            pos: dict[int, tuple[int, int, int]] = {root: (0, 0, 0)}
            seen[root] = True
            gens: set[tuple[int, int, int]] = set()
            queue = deque([root])
            while queue:
                u = queue.popleft()
                pu = pos[u]
                for v, s in adj[u]:
                    pv = (pu[0] + s[0], pu[1] + s[1], pu[2] + s[2])
                    if v not in pos:
                        pos[v] = pv
                        seen[v] = True
                        queue.append(v)
                    else:
                        q = pos[v]
                        c = (pv[0] - q[0], pv[1] - q[1], pv[2] - q[2])
                        if c != (0, 0, 0):
                            gens.add(c if _lex_positive_t(c) else (-c[0], -c[1], -c[2]))
            lattice = hermite_normal_form(np.array(sorted(gens), dtype=np.int64).reshape(-1, 3))
            comps.append(Component(np.array(sorted(pos)), lattice, pos))
        return comps

    def subgraph(self, vertices: np.ndarray) -> tuple[PeriodicGraph, np.ndarray]:
        """Induced subgraph on ``vertices``; returns it and the old index of each new vertex."""
        vertices = np.asarray(vertices, dtype=np.int64)
        new = -np.ones(self.n_vertices, dtype=np.int64)
        new[vertices] = np.arange(len(vertices))
        keep = (new[self.edges[:, 0]] >= 0) & (new[self.edges[:, 1]] >= 0)
        return PeriodicGraph(len(vertices), new[self.edges[keep]], self.offsets[keep]), vertices

    def to_component_basis(self, comp: Component) -> PeriodicGraph:
        """Return the connected net of one copy of ``comp``, re-expressed on its own translation lattice.

        Vertices are the component's vertices (one copy); offsets are integer coordinates in the
        basis ``comp.lattice`` (which must be 3-periodic).
        """
        if comp.dimension != 3:
            raise ValueError("component is not 3-periodic")
        sub, old = self.subgraph(comp.vertices)
        basis_inv = np.linalg.inv(comp.lattice.T.astype(float))
        un = np.array([comp.unwrap[int(v)] for v in old], dtype=np.int64)
        t = sub.offsets + un[sub.edges[:, 0]] - un[sub.edges[:, 1]]
        new_off = np.rint(t @ basis_inv.T).astype(np.int64)
        if not np.allclose(new_off @ comp.lattice, t):
            raise AssertionError("edge translation outside the component lattice")
        return PeriodicGraph.simple(sub.n_vertices, sub.edges, new_off)

    def to_text(self) -> str:
        """Compact text: ``3  u v sx sy sz  ...`` (1-based vertices, as in PeriodicGraphs.jl)."""
        parts = ["3"]
        for (u, v), s in zip(self.edges.tolist(), self.offsets.tolist(), strict=True):
            parts.append(f"{u + 1} {v + 1} {s[0]} {s[1]} {s[2]}")
        return "  ".join(parts)


def first_positive_shift(s: np.ndarray) -> np.ndarray:
    """Row-wise: is the first nonzero component of the lattice shift positive.

    Of the two images (i, j, s) and (j, i, -s) of a self-pair (i = j) exactly one has this
    property, so keeping it lists each periodic self-pair once.

    Parameters
    ----------
    s : array_like of int, shape (n, 3)
        Lattice shifts.

    Returns
    -------
    ndarray of bool, shape (n,)
        False for the zero shift.

    Examples
    --------
    >>> first_positive_shift(np.array([[0, 1, -1], [0, -1, 1], [0, 0, 0]])).tolist()
    [True, False, False]
    """
    s = np.asarray(s).reshape(-1, 3)
    out = np.zeros(len(s), dtype=bool)
    decided = np.zeros(len(s), dtype=bool)
    for c in range(3):
        nz = (s[:, c] != 0) & ~decided
        out[nz] = s[nz, c] > 0
        decided |= nz
    return out


def once_per_pair(i: np.ndarray, j: np.ndarray, s: np.ndarray) -> np.ndarray:
    """Mask of a neighbour list that holds every pair in both directions keeping each once.

    Keeps (i, j, s) with i < j, and of a self-pair's images (i, i, ±s) the one whose shift
    :func:`first_positive_shift` (the zero shift of an atom with itself is dropped).

    Parameters
    ----------
    i, j : ndarray of int, shape (n,)
        Atoms (vertices) of each directed pair.
    s : ndarray of int, shape (n, 3)
        Lattice shift of ``j``.

    Returns
    -------
    ndarray of bool, shape (n,)

    Examples
    --------
    >>> i, j = np.array([0, 1, 0, 0]), np.array([1, 0, 0, 0])
    >>> once_per_pair(i, j, np.array([[0, 0, 0], [0, 0, 0], [1, 0, 0], [-1, 0, 0]])).tolist()
    [True, False, True, False]
    """
    return (np.asarray(i) < np.asarray(j)) | (
        (np.asarray(i) == np.asarray(j)) & first_positive_shift(s)
    )


def _lex_positive_t(c: tuple[int, int, int]) -> bool:
    for x in c:
        if x:
            return x > 0
    return False
