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
    edge_centers: tuple[tuple[float, float, float], ...] = ()


def parse_cgd(text: str, *, source: str = "<cgd>") -> list[CgdNet]:
    """Parse the CRYSTAL blocks of Systre ``.cgd`` text (3-periodic nets only).

    A block still open at the end of the text is closed there (the RCSR ``yfo.cgd`` ends with
    ``ENDCRYSTAL``, its END keyword run together with a stray CRYSTAL).
    """
    nets: list[CgdNet] = []
    cur: dict[str, object] | None = None
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        tok = line.split()
        key = tok[0].upper()
        if key == "CRYSTAL":
            cur = {"name": "", "group": "P1", "cell": (), "nodes": [], "edges": [], "centers": []}
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
            elif key == "EDGE_CENTER":
                xyz = tuple(float(x) for x in tok[1:4])
                if len(xyz) != 3:
                    raise ValueError
                cur["centers"].append(xyz)  # type: ignore[attr-defined]
            elif key == "END":
                _close_block(cur, nets)
                cur = None
        except (IndexError, ValueError):
            raise InputFormatError(
                source, line=lineno, expected=f"numbers after {key}", got=raw.strip()
            ) from None
    if cur is not None:
        _close_block(cur, nets)
    return nets


def _close_block(cur: dict[str, object], nets: list[CgdNet]) -> None:
    cell = cur["cell"]
    if isinstance(cell, tuple) and len(cell) == 6:
        nets.append(
            CgdNet(
                str(cur["name"]),
                str(cur["group"]),
                cell,
                tuple(cur["nodes"]),  # type: ignore[arg-type]
                tuple(cur["edges"]),  # type: ignore[arg-type]
                tuple(cur["centers"]),  # type: ignore[arg-type]
            )
        )


def read_cgd(path: str | Path) -> list[CgdNet]:
    """Read a ``.cgd`` file (see :func:`parse_cgd`)."""
    p = Path(path)
    return parse_cgd(p.read_text(encoding="utf-8", errors="replace"), source=p.name)


def _lattice(cell: tuple[float, ...]) -> np.ndarray:
    import gemmi

    uc = gemmi.UnitCell(*cell)
    return np.array(uc.orth.mat, dtype=float).T


def _operators(net: CgdNet) -> tuple[np.ndarray, np.ndarray]:
    """Rotation parts (k, 3, 3) and translations (k, 3) of the space group's operators."""
    import gemmi

    sg = gemmi.find_spacegroup_by_name(net.group)
    if sg is None:
        raise InputFormatError(net.name, expected="a space-group symbol", got=net.group)
    ops = list(sg.operations())
    den = float(gemmi.Op.DEN)
    rot = np.array([op.rot for op in ops], dtype=float) / den
    tra = np.array([op.tran for op in ops], dtype=float) / den
    return rot, tra


def _orbits(
    sites: np.ndarray, rot: np.ndarray, tra: np.ndarray, tol: float
) -> tuple[np.ndarray, np.ndarray]:
    """Return the distinct images (mod 1) of ``sites`` under the operators, with their sites.

    Images come in order of first appearance (site by site, operator by operator), each with
    the index of the site it comes from.
    """
    from scipy.spatial import cKDTree

    if len(sites) == 0:
        return np.zeros((0, 3)), np.zeros(0, dtype=np.int64)
    cand = (np.einsum("kij,nj->nki", rot, sites) + tra[None]).reshape(-1, 3) % 1.0
    cand[np.isclose(cand, 1.0, atol=tol)] = 0.0
    tree = cKDTree(cand, boxsize=1.0 + 1e-12)
    near = tree.query_ball_point(cand, r=tol, p=np.inf)
    removed = np.zeros(len(cand), dtype=bool)
    keep = []
    for i in range(len(cand)):
        if not removed[i]:
            keep.append(i)
            removed[near[i]] = True
    idx = np.array(keep, dtype=np.int64)
    return cand[idx], idx // len(rot)


def net_graph(net: CgdNet, *, tol: float = 1e-3) -> tuple[PeriodicGraph, np.ndarray, np.ndarray]:
    """Expand a :class:`CgdNet` by its space group into a periodic graph.

    Without EDGE lines the edges are found as Systre does: every node (and EDGE_CENTER, a
    2-coordinated point) proposes its ``coordination`` nearest neighbours; these are added
    shortest first while an end is unsaturated; each edge centre then joins its two neighbours
    into one edge.

    Returns
    -------
    graph : PeriodicGraph
    frac : ndarray, shape (n, 3)
        Fractional vertex positions in [0, 1).
    lattice_A : ndarray, shape (3, 3)
        Cell vectors as rows (RCSR units: edge length about 1).

    References
    ----------
    .. [1] O. Delgado-Friedrichs, Gavrog/Systre ``NetParser`` (edges from coordination numbers
       and edge centres), http://gavrog.org.
    """
    from scipy.spatial import cKDTree

    rot, tra = _operators(net)
    lattice = _lattice(net.cell)
    sites = np.array([xyz for _, _, xyz in net.nodes], dtype=float).reshape(-1, 3)
    frac, site_of = _orbits(sites, rot, tra, tol)
    if not net.edges:
        return _nearest_neighbour_graph(net, frac, site_of, rot, tra, lattice, tol), frac, lattice
    tree = cKDTree(frac, boxsize=1.0 + 1e-12)

    def locate(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        d, k = tree.query(x % 1.0)
        if np.max(d) > 10 * tol:
            bad = x[int(np.argmax(d))]
            raise InputFormatError(net.name, expected="edge end points on nodes", got=str(bad))
        return k, np.rint(x - frac[k]).astype(np.int64)

    ends = np.array(net.edges, dtype=float).reshape(-1, 2, 3)
    q1 = np.einsum("kij,nj->nki", rot, ends[:, 0]) + tra[None]
    q2 = np.einsum("kij,nj->nki", rot, ends[:, 1]) + tra[None]
    v1, c1 = locate(q1.reshape(-1, 3))
    v2, c2 = locate(q2.reshape(-1, 3))
    graph = PeriodicGraph.simple(len(frac), np.stack([v1, v2], axis=1), c2 - c1)
    return graph, frac, lattice


def _nearest_neighbour_graph(
    net: CgdNet,
    frac: np.ndarray,
    site_of: np.ndarray,
    rot: np.ndarray,
    tra: np.ndarray,
    lattice: np.ndarray,
    tol: float,
) -> PeriodicGraph:
    """Edges from coordination numbers and edge centres (Systre's rule; see :func:`net_graph`)."""
    from scipy.spatial import cKDTree

    centres, _ = _orbits(np.array(net.edge_centers, dtype=float).reshape(-1, 3), rot, tra, tol)
    n = len(frac)
    pts = np.vstack([frac, centres])
    conn = np.array([net.nodes[s][1] for s in site_of] + [2] * len(centres), dtype=np.int64)
    is_centre = np.arange(len(pts)) >= n
    shifts = np.array(
        [(a, b, c) for a in (-2, -1, 0, 1, 2) for b in (-2, -1, 0, 1, 2) for c in (-2, -1, 0, 1, 2)]
    )
    img_pt = np.repeat(np.arange(len(pts)), len(shifts))
    img_sh = np.tile(shifts, (len(pts), 1))
    tree = cKDTree((pts[img_pt] + img_sh) @ lattice)
    proposals = []
    for v in range(len(pts)):
        k = min(len(img_pt), 4 * int(conn[v]) + 16)
        dist, idx = tree.query(pts[v] @ lattice, k=k)
        got = 0
        for d, i in zip(dist.tolist(), idx.tolist(), strict=True):
            w, s = int(img_pt[i]), tuple(int(x) for x in img_sh[i])
            if (w == v and s == (0, 0, 0)) or (is_centre[v] and is_centre[w]):
                continue
            proposals.append((round(d / tol) * tol, v, w, s))
            got += 1
            if got == conn[v]:
                break
    proposals.sort(key=lambda p: p[0])
    deg = np.zeros(len(pts), dtype=np.int64)
    edges: dict[tuple[int, int, tuple[int, int, int]], None] = {}
    for _, v, w, s in proposals:
        if deg[v] >= conn[v] and deg[w] >= conn[w]:
            continue
        key = (v, w, s) if (v, s) <= (w, tuple(-x for x in s)) else (w, v, tuple(-x for x in s))
        if key in edges:
            continue
        edges[key] = None  # type: ignore[index]
        deg[v] += 1
        deg[w] += 1
        if deg[v] > conn[v] or deg[w] > conn[w]:
            raise InputFormatError(
                net.name,
                expected="nodes saturated by their nearest neighbours",
                got=f"more neighbours than the coordination number at point {v if deg[v] > conn[v] else w}",
            )
    inc: dict[int, list[tuple[int, tuple[int, int, int]]]] = {}
    e, off = [], []
    for v, w, s in edges:
        if is_centre[v] or is_centre[w]:
            if is_centre[v]:
                inc.setdefault(v, []).append((w, s))
            if is_centre[w]:
                inc.setdefault(w, []).append((v, (-s[0], -s[1], -s[2])))
            continue
        e.append((v, w))
        off.append(s)
    for c in range(n, len(pts)):
        arms = inc.get(c, [])
        if len(arms) != 2 or any(is_centre[w] for w, _ in arms):
            raise InputFormatError(
                net.name,
                expected="edge centres with two node neighbours",
                got=f"{len(arms)} at edge centre {c - n}",
            )
        (w1, s1), (w2, s2) = arms
        e.append((w1, w2))
        off.append((s2[0] - s1[0], s2[1] - s1[1], s2[2] - s1[2]))
    return PeriodicGraph.simple(
        n, np.array(e, dtype=np.int64).reshape(-1, 2), np.array(off, dtype=np.int64).reshape(-1, 3)
    )


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
    """Build an idealised framework: a metal on each vertex, a linker atom (or chain) on each edge.

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
    net: CgdNet, *, with_symbols: bool = True, max_key_vertices: int = 1000
) -> dict[str, object]:
    """Compute the reference-table record of one RCSR net (as written by ``scripts/make_net_table.py``).

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
