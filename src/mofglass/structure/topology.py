"""Net topology: coordination sequences, vertex symbols, Systre keys and the RCSR table.

Identification is exact where it can be: the Systre canonical key of each connected net
(:mod:`mofglass.structure.systre`) is looked up in a table generated from the RCSR ``.cgd``
embeddings by ``scripts/make_net_table.py``. Coordination sequences (10 shells) and vertex
symbols are the fast filter, the report, and the fallback where the key is undefined (nets with
collisions in their barycentric placement) or too costly; then every table net with the same
sequences is listed as a candidate.

The vertex symbol here is the *shortest-circuit* symbol: for each angle at a vertex, the size of
the shortest cycle through both edges with the number of such cycles as a subscript (Blatov,
O'Keeffe & Proserpio 2010, "extended point symbol"); it equals O'Keeffe's ring-based vertex
symbol whenever those shortest cycles are rings, as in dia, sod, zni and most 4-c nets.

References
----------
.. [1] O. Delgado-Friedrichs, M. O'Keeffe, Acta Cryst. A59 (2003) 351.
.. [2] M. O'Keeffe, S. T. Hyde, "Vertex symbols for zeolite nets", Zeolites 19 (1997) 370.
.. [3] V. A. Blatov, M. O'Keeffe, D. M. Proserpio, "Vertex-, face-, point-, Schläfli-, and
   Delaney-symbols in nets, polyhedra and tilings: recommended terminology", CrystEngComm 12
   (2010) 44.
.. [4] G. O. Brunner, F. Laves, "Zum Problem der Koordinationszahl", Wiss. Z. Tech. Univ.
   Dresden 20 (1971) 387 (coordination sequences).
"""

from __future__ import annotations

import gzip
import json
from collections import deque
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from mofglass.errors import AnalysisError
from mofglass.structure.periodic_graph import PeriodicGraph
from mofglass.structure.systre import (
    CollisionError,
    float_reduce,
    key_hash,
    minimal_net,
    systre_key,
)

__all__ = [
    "NetTopology",
    "coordination_sequence",
    "identify_net",
    "load_net_table",
    "net_invariants",
    "vertex_symbol",
]

#: Vertices (smallest cell) above which the key is not attempted; the largest RCSR net, tei,
#: has 460 and takes ~10 s.
MAX_KEY_VERTICES = 500
N_SHELLS = 10


def coordination_sequence(
    graph: PeriodicGraph,
    vertex: int,
    *,
    n_shells: int = N_SHELLS,
    adj: list | None = None,
) -> tuple[int, ...]:
    """Count the vertices at topological distance 1..n_shells from ``vertex`` (periodic BFS).

    References
    ----------
    .. [1] G. O. Brunner, F. Laves, Wiss. Z. Tech. Univ. Dresden 20 (1971) 387.
    """
    adj = graph.neighbours() if adj is None else adj
    start = (vertex, 0, 0, 0)
    seen = {start}
    frontier = [start]
    out = []
    for _ in range(n_shells):
        nxt = []
        for v, x, y, z in frontier:
            for w, s in adj[v]:
                st = (w, x + s[0], y + s[1], z + s[2])
                if st not in seen:
                    seen.add(st)
                    nxt.append(st)
        out.append(len(nxt))
        frontier = nxt
    return tuple(out)


def vertex_symbol(
    graph: PeriodicGraph,
    vertex: int,
    *,
    max_cycle: int = 12,
    adj: list | None = None,
) -> str:
    """Shortest-circuit vertex symbol, e.g. ``"6(2).6(2).6(2).6(2).6(2).6(2)"`` for dia.

    For each pair of edges at ``vertex``: the length of the shortest cycle through both and, in
    parentheses, how many there are (``*`` when none is at most ``max_cycle`` long). Terms are
    sorted (size, then count).
    """
    adj = graph.neighbours() if adj is None else adj
    nb = adj[vertex]
    home = (vertex, 0, 0, 0)
    terms: list[tuple[int, int]] = []
    for a in range(len(nb)):
        for b in range(a + 1, len(nb)):
            wa, sa = nb[a]
            wb, sb = nb[b]
            src = (wa, *sa)
            dst = (wb, *sb)
            if src == dst:
                continue
            terms.append(_shortest_paths(adj, src, dst, home, max_cycle - 2))
    terms.sort(key=lambda t: (t[0] if t[0] > 0 else 10**6, t[1]))
    return ".".join(f"{size}({count})" if size > 0 else "*" for size, count in terms)


def _shortest_paths(
    adj: list, src: tuple, dst: tuple, avoid: tuple, max_len: int
) -> tuple[int, int]:
    """(cycle length, number of shortest paths src->dst avoiding ``avoid``), or (0, 0)."""
    dist = {src: 0}
    count = {src: 1}
    queue = deque([src])
    while queue:
        st = queue.popleft()
        d = dist[st]
        if st == dst:
            return d + 2, count[st]
        if d >= max_len:
            continue
        v, x, y, z = st
        for w, s in adj[v]:
            nx = (w, x + s[0], y + s[1], z + s[2])
            if nx == avoid:
                continue
            if nx not in dist:
                dist[nx] = d + 1
                count[nx] = count[st]
                queue.append(nx)
            elif dist[nx] == d + 1:
                count[nx] += count[st]
    return 0, 0


@dataclass(frozen=True)
class NetInvariants:
    """Invariants of one connected 3-periodic net."""

    key: str | None
    key_note: str
    n_vertices: int
    coordination_sequences: tuple[tuple[int, ...], ...]
    vertex_symbols: tuple[str, ...]


def net_invariants(
    graph: PeriodicGraph, *, with_symbols: bool = True, max_key_vertices: int = MAX_KEY_VERTICES
) -> NetInvariants:
    """Systre key (if defined), distinct coordination sequences and vertex symbols of a net.

    ``graph`` must be one connected net on its own translation lattice
    (:meth:`PeriodicGraph.to_component_basis`).
    """
    key: str | None = None
    note = ""
    work = graph
    if graph.n_vertices > 24:
        reduced = float_reduce(graph)  # drop extra translations cheaply (verified exactly)
        if reduced is not None:
            work = reduced
    if work.n_vertices > max_key_vertices:
        note = (
            f"key not computed: {work.n_vertices} vertices in the smallest cell "
            f"(> {max_key_vertices})"
        )
    else:
        try:
            work, _ = minimal_net(work)
            key = systre_key(work)
        except CollisionError as exc:
            note = f"no canonical key: {exc}"
    seen: dict[tuple[int, ...], int] = {}
    adj = work.neighbours()
    for v in range(work.n_vertices):
        cs = coordination_sequence(work, v, adj=adj)
        seen.setdefault(cs, v)
    css = tuple(sorted(seen))
    vss: tuple[str, ...] = ()
    if with_symbols:
        vss = tuple(sorted({vertex_symbol(work, v, adj=adj) for v in seen.values()}))
    return NetInvariants(key, note, work.n_vertices, css, vss)


@lru_cache(maxsize=1)
def load_net_table() -> dict[str, dict]:
    """Load the bundled reference table (RCSR nets): name -> {h, copies, cs, vs, n}."""
    ref = resources.files("mofglass").joinpath("data", "nets", "rcsr_nets.json.gz")
    with ref.open("rb") as fh:
        data = json.loads(gzip.decompress(fh.read()).decode())
    return data["nets"]


def load_iza_table() -> dict[str, dict]:
    """IZA framework-type codes -> {h, cs, source} (``scripts/make_iza_table.py``)."""
    ref = resources.files("mofglass").joinpath("data", "nets", "iza_nets.json")
    return json.loads(ref.read_text(encoding="utf-8"))["nets"]


def iza_code(h: str | None, cs: list[list[int]]) -> str | None:
    """Look up the IZA three-letter code of a net in the bundled IZA table.

    By its Systre key digest ``h`` or, keyless, by these coordination sequences.
    """
    table = load_iza_table()
    if h is not None:
        hits = sorted(code for code, e in table.items() if e.get("h") == h)
    else:
        hits = sorted(code for code, e in table.items() if e["cs"] == cs)
    return " | ".join(hits) or None


@dataclass(frozen=True)
class NetTopology:
    """Topology of one network (a connected 3-periodic net, possibly in several copies).

    Attributes
    ----------
    name : str
        RCSR symbol, ``"unknown"``, or several candidates joined by ``" | "`` when only the
        coordination sequences could be compared.
    copies : int
        Number of interpenetrated copies of this net in the structure.
    key : str or None
        Systre canonical key (None where undefined: collisions, or too many vertices).
    key_hash : str or None
        Its short digest, as stored in the table.
    candidates : tuple of str
        Table nets with the same coordination sequences.
    catenated_name : str or None
        RCSR name of the interpenetrated whole (e.g. ``"dia-c"``) when the table has one with this
        net and number of copies.
    method : str
        ``"systre key"`` or ``"coordination sequences"``.
    """

    name: str
    copies: int
    key: str | None
    key_hash: str | None
    coordination_sequences: tuple[tuple[int, ...], ...]
    vertex_symbols: tuple[str, ...]
    candidates: tuple[str, ...]
    catenated_name: str | None
    method: str
    note: str = ""
    iza: str | None = None


def identify_net(graph: PeriodicGraph, *, copies: int = 1) -> NetTopology:
    """Identify one connected net against the RCSR table.

    Parameters
    ----------
    graph : PeriodicGraph
        One connected 3-periodic net on its own translation lattice.
    copies : int
        How many interpenetrated copies of it the structure holds (for the ``-c`` names).

    References
    ----------
    .. [1] O. Delgado-Friedrichs, M. O'Keeffe, Acta Cryst. A59 (2003) 351.
    .. [2] M. O'Keeffe et al., Acc. Chem. Res. 41 (2008) 1782 (RCSR).
    """
    if graph.components()[0].dimension != 3 or len(graph.components()) != 1:
        raise AnalysisError("identify_net needs one connected 3-periodic net")
    inv = net_invariants(graph)
    table = load_net_table()
    cs_key = [list(c) for c in inv.coordination_sequences]
    cands = tuple(
        sorted(n for n, e in table.items() if e["cs"] == cs_key and e.get("copies", 1) == 1)
    )
    h = key_hash(inv.key) if inv.key else None
    if h is not None:
        # several RCSR symbols can name one graph (e.g. sod and its 2-coloured sod-b): the
        # shortest symbol is reported, the others are noted
        exact = sorted(
            (n for n, e in table.items() if e.get("h") == h and e.get("copies", 1) == 1),
            key=lambda n: (len(n), n),
        )
        cat = sorted(
            n
            for n, e in table.items()
            if e.get("h") == h and e.get("copies", 1) == copies and copies > 1
        )
        keyless = [n for n in cands if table[n].get("h") is None]
        if not exact and keyless:
            # the table could not key these nets (too large or too slow when it was generated):
            # matching sequences are all that can be said
            return NetTopology(
                " | ".join(keyless),
                copies,
                inv.key,
                h,
                inv.coordination_sequences,
                inv.vertex_symbols,
                cands,
                None,
                "coordination sequences",
                "table nets with these sequences have no key; candidates by sequences only",
            )
        name = exact[0] if exact else "unknown"
        note = inv.key_note
        if len(exact) > 1:
            note = (note + "; " if note else "") + f"same graph as RCSR {', '.join(exact[1:])}"
        iza = iza_code(h, cs_key)
        if iza and name == "unknown":
            name = iza
            note = (note + "; " if note else "") + "IZA framework type (not in the RCSR table)"
        elif iza:
            note = (note + "; " if note else "") + f"IZA framework type {iza}"
        return NetTopology(
            name,
            copies,
            inv.key,
            h,
            inv.coordination_sequences,
            inv.vertex_symbols,
            cands,
            " | ".join(cat) or None,
            "systre key",
            note,
            iza,
        )
    name = " | ".join(cands) if cands else "unknown"
    note = inv.key_note + ("; candidates by coordination sequences only" if cands else "")
    return NetTopology(
        name,
        copies,
        None,
        None,
        inv.coordination_sequences,
        inv.vertex_symbols,
        cands,
        None,
        "coordination sequences",
        note,
    )
