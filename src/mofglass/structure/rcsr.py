"""Systre ``.cgd`` nets (RCSR embeddings): parse, expand by symmetry, decorate into crystals.

A ``.cgd`` CRYSTAL block gives a space group, a cell, the symmetry-unique NODEs (id,
coordination, fractional position) and EDGEs (two fractional end points). Applying the space-group
operators (gemmi) to nodes and edges gives the periodic quotient graph of the whole net.

References
----------
.. [1] O. Delgado-Friedrichs, "Systre" input format (Gavrog project), http://gavrog.org.
.. [2] M. O'Keeffe, M. A. Peskov, S. J. Ramsden, O. M. Yaghi, "The Reticular Chemistry Structure
   Resource (RCSR) database of, and symbols for, crystal nets", Acc. Chem. Res. 41 (2008) 1782.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from mofglass.errors import InputFormatError
from mofglass.structure.crystal import Crystal
from mofglass.structure.periodic_graph import PeriodicGraph

__all__ = ["CgdNet", "decorate_net", "net_graph", "parse_cgd", "read_cgd"]


@dataclass(frozen=True)
class CgdNet:
    """One CRYSTAL block of a ``.cgd`` file (unexpanded)."""

    name: str
    group: str
    cell: tuple[float, ...]
    nodes: tuple[tuple[str, int, tuple[float, float, float]], ...]
    edges: tuple[tuple[tuple[float, float, float], tuple[float, float, float]], ...]


def parse_cgd(text: str, *, source: str = "<cgd>") -> list[CgdNet]:
    """Parse the CRYSTAL blocks of Systre ``.cgd`` text (3-periodic nets only)."""
    nets: list[CgdNet] = []
    cur: dict[str, object] | None = None
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        tok = line.split()
        key = tok[0].upper()
        if key == "CRYSTAL":
            cur = {"name": "", "group": "P1", "cell": (), "nodes": [], "edges": []}
            continue
        if cur is None:
            continue
        try:
            if key == "NAME":
                cur["name"] = tok[1]
            elif key == "GROUP":
                cur["group"] = tok[1]
            elif key == "CELL":
                cur["cell"] = tuple(float(x) for x in tok[1:7])
            elif key == "NODE":
                xyz = tuple(float(x) for x in tok[3:6])
                cur["nodes"].append((tok[1], int(tok[2]), xyz))  # type: ignore[attr-defined]
            elif key == "EDGE":
                v = [float(x) for x in tok[1:7]]
                cur["edges"].append((tuple(v[:3]), tuple(v[3:])))  # type: ignore[attr-defined]
            elif key == "END":
                cell = cur["cell"]
                if isinstance(cell, tuple) and len(cell) == 6:
                    nets.append(
                        CgdNet(
                            str(cur["name"]),
                            str(cur["group"]),
                            cell,
                            tuple(cur["nodes"]),  # type: ignore[arg-type]
                            tuple(cur["edges"]),  # type: ignore[arg-type]
                        )
                    )
                cur = None
        except (IndexError, ValueError):
            raise InputFormatError(
                source, line=lineno, expected=f"numbers after {key}", got=raw.strip()
            ) from None
    return nets


def read_cgd(path: str | Path) -> list[CgdNet]:
    """Read a ``.cgd`` file (see :func:`parse_cgd`)."""
    p = Path(path)
    return parse_cgd(p.read_text(encoding="utf-8", errors="replace"), source=p.name)


def _lattice(cell: tuple[float, ...]) -> np.ndarray:
    import gemmi

    uc = gemmi.UnitCell(*cell)
    return np.array(uc.orth.mat, dtype=float).T


def net_graph(net: CgdNet, *, tol: float = 1e-3) -> tuple[PeriodicGraph, np.ndarray, np.ndarray]:
    """Expand a :class:`CgdNet` by its space group into a periodic graph.

    Returns
    -------
    graph : PeriodicGraph
    frac : ndarray, shape (n, 3)
        Fractional vertex positions in [0, 1).
    lattice_A : ndarray, shape (3, 3)
        Cell vectors as rows (RCSR units: edge length about 1).
    """
    import gemmi
    from scipy.spatial import cKDTree

    sg = gemmi.find_spacegroup_by_name(net.group)
    if sg is None:
        raise InputFormatError(net.name, expected="a space-group symbol", got=net.group)
    ops = list(sg.operations())
    pts: list[np.ndarray] = []
    for _, _, xyz in net.nodes:
        for op in ops:
            q = np.array(op.apply_to_xyz(list(xyz))) % 1.0
            q[np.isclose(q, 1.0, atol=tol)] = 0.0
            if not any(np.all(np.abs(((q - p) + 0.5) % 1.0 - 0.5) < tol) for p in pts):
                pts.append(q)
    frac = np.array(pts)
    tree = cKDTree(frac % 1.0, boxsize=1.0 + 1e-12)

    def locate(x: np.ndarray) -> tuple[int, np.ndarray]:
        d, k = tree.query(x % 1.0)
        if d > 10 * tol:
            raise InputFormatError(net.name, expected="edge end points on nodes", got=str(x))
        return int(k), np.rint(x - frac[k]).astype(np.int64)

    e, s = [], []
    for p1, p2 in net.edges:
        for op in ops:
            q1 = np.array(op.apply_to_xyz(list(p1)))
            q2 = np.array(op.apply_to_xyz(list(p2)))
            v1, c1 = locate(q1)
            v2, c2 = locate(q2)
            e.append((v1, v2))
            s.append(c2 - c1)
    graph = PeriodicGraph.simple(len(frac), np.array(e), np.array(s))
    return graph, frac, _lattice(net.cell)


def decorate_net(
    graph: PeriodicGraph,
    frac: np.ndarray,
    lattice: np.ndarray,
    *,
    metal: str = "Zn",
    linker: str | tuple[str, ...] = "C",
    edge_length_A: float = 4.0,
    source: str = "<decorated net>",
) -> Crystal:
    """An idealised framework: a metal on each vertex, a linker atom (or chain) on each edge.

    The cell is scaled so that the shortest edge is ``edge_length_A`` long. With ``linker`` a
    tuple, that many atoms are placed evenly along each edge (a longer linker).
    """
    chain = (linker,) if isinstance(linker, str) else tuple(linker)
    d = (frac[graph.edges[:, 1]] + graph.offsets - frac[graph.edges[:, 0]]) @ lattice
    scale = edge_length_A / float(np.min(np.linalg.norm(d, axis=1)))
    lat = lattice * scale
    species = [metal] * len(frac)
    pos = [f for f in frac]
    k = len(chain)
    for (u, v), s in zip(graph.edges, graph.offsets, strict=True):
        a, b = frac[u], frac[v] + s
        for m, el in enumerate(chain):
            t = (m + 1) / (k + 1)
            species.append(el)
            pos.append((a + t * (b - a)) % 1.0)
    return Crystal.from_fractional(species, np.array(pos), lat, source=source)


def table_entry(
    net: CgdNet, *, with_symbols: bool = True, max_key_vertices: int = 400
) -> dict[str, object]:
    """The reference-table record of one RCSR net (as written by ``scripts/make_net_table.py``).

    Keys: ``h`` (Systre key digest or None), ``copies`` (interpenetrated copies in the
    embedding), ``cs`` (distinct coordination sequences, 10 shells), ``vs`` (vertex symbols),
    ``n`` (vertices of the minimal cell), and ``note``.
    """
    from mofglass.structure.systre import key_hash
    from mofglass.structure.topology import net_invariants

    graph, _, _ = net_graph(net)
    comps = [c for c in graph.components() if c.dimension == 3]
    if not comps:
        raise InputFormatError(net.name, expected="a 3-periodic net", got="lower periodicity")
    copies = sum(c.n_copies or 0 for c in comps)
    inv = net_invariants(
        graph.to_component_basis(comps[0]),
        with_symbols=with_symbols,
        max_key_vertices=max_key_vertices,
    )
    return {
        "h": key_hash(inv.key) if inv.key else None,
        "copies": copies,
        "cs": [list(c) for c in inv.coordination_sequences],
        "vs": list(inv.vertex_symbols),
        "n": inv.n_vertices,
        "note": inv.key_note,
    }
