"""Topology: coordination sequences, Systre keys, table look-up.

Truths: closed forms of coordination sequences (dia: OEIS A005893; pcu 4n²+2; bcu 6n²+2;
fcu 10n²+2 - Conway & Sloane, Proc. R. Soc. A 453 (1997) 2369), the invariance of the canonical
key under relabelling, cell change and supercells (the defining property of the Systre key,
Delgado-Friedrichs & O'Keeffe, Acta Cryst. A59 (2003) 351), and RCSR names (O'Keeffe et al.,
Acc. Chem. Res. 41 (2008) 1782).
"""

from __future__ import annotations

import gzip
import json
from importlib import resources

import numpy as np
import pytest

from mofglass.structure import PeriodicGraph
from mofglass.structure.rcsr import net_graph, read_cgd, table_entry
from mofglass.structure.systre import CollisionError, key_hash, systre_key
from mofglass.structure.topology import coordination_sequence, identify_net

REQUIRED = "dia sod cag zni gis crb dft mer lta pcu fcu bcu srs nbo pts acs tbo".split()


def _graph(shared, name: str) -> PeriodicGraph:  # type: ignore[no-untyped-def]
    g, _, _ = net_graph(read_cgd(shared(f"rcsr-nets/{name}.cgd"))[0])
    return g


def _scramble(
    g: PeriodicGraph, seed: int, supercell: tuple[int, int, int] = (1, 1, 1)
) -> PeriodicGraph:
    """Same net: supercell, unimodular change of basis, random vertex order and cell choice."""
    rng = np.random.default_rng(seed)
    n = g.n_vertices
    # supercell
    cells = [
        (a, b, c)
        for a in range(supercell[0])
        for b in range(supercell[1])
        for c in range(supercell[2])
    ]
    idx = {(v, cl): k for k, (v, cl) in enumerate((v, cl) for cl in cells for v in range(n))}
    sc = np.array(supercell)
    e, s = [], []
    for cl in cells:
        for (u, v), off in zip(g.edges.tolist(), g.offsets.tolist(), strict=True):
            t = np.array(cl) + off
            q, r = np.divmod(t, sc)
            e.append((idx[(u, cl)], idx[(v, tuple(int(x) for x in r))]))
            s.append(q)
    m = len(idx)
    e, s = np.array(e), np.array(s)
    # unimodular basis change and random per-vertex cell shifts and relabelling
    u = np.array([[1, 1, 0], [0, 1, 0], [0, 1, 1]])
    s = s @ u.T
    shift = rng.integers(-2, 3, size=(m, 3))
    s = s + shift[e[:, 1]] - shift[e[:, 0]]
    perm = rng.permutation(m)
    return PeriodicGraph.simple(m, perm[e], s)


def test_coordination_sequences_closed_forms(shared) -> None:  # type: ignore[no-untyped-def]
    n = np.arange(1, 11)
    # dia (OEIS A005893), pcu 4n^2+2, bcu 6n^2+2, fcu 10n^2+2; exact
    dia = (4, 12, 24, 42, 64, 92, 124, 162, 204, 252)
    assert coordination_sequence(_graph(shared, "dia"), 0) == dia
    assert coordination_sequence(_graph(shared, "pcu"), 0) == tuple(4 * n**2 + 2)
    assert coordination_sequence(_graph(shared, "bcu"), 0) == tuple(6 * n**2 + 2)
    assert coordination_sequence(_graph(shared, "fcu"), 0) == tuple(10 * n**2 + 2)


@pytest.mark.parametrize("name", ["dia", "sod", "srs", "nbo", "acs", "pts", "tbo", "zni"])
def test_key_invariant_under_cell_change(shared, name: str) -> None:  # type: ignore[no-untyped-def]
    g = _graph(shared, name)
    key = systre_key(g)
    sc = (2, 1, 1) if g.n_vertices > 8 else (2, 1, 3)
    assert systre_key(_scramble(g, seed=1, supercell=sc)) == key
    assert systre_key(_scramble(g, seed=2)) == key


def test_keys_distinguish_the_required_nets(shared) -> None:  # type: ignore[no-untyped-def]
    keys = {name: key_hash(systre_key(_graph(shared, name))) for name in REQUIRED}
    assert len(set(keys.values())) == len(REQUIRED)


def test_table_regenerates(shared) -> None:  # type: ignore[no-untyped-def]
    ref = resources.files("mofglass").joinpath("data", "nets", "rcsr_nets.json.gz")
    table = json.loads(gzip.decompress(ref.read_bytes()))["nets"]
    for name in ["dia", "sod", "zni", "pto", "acs"]:
        entry = table_entry(read_cgd(shared(f"rcsr-nets/{name}.cgd"))[0])
        assert entry == table[name], name


@pytest.mark.parametrize("name", REQUIRED)
def test_identify_rcsr_graph(shared, name: str) -> None:  # type: ignore[no-untyped-def]
    topo = identify_net(_scramble(_graph(shared, name), seed=3))
    assert topo.name == name
    assert topo.method == "systre key"


def test_collision_net_falls_back_to_sequences(shared) -> None:  # type: ignore[no-untyped-def]
    g = _graph(shared, "sxt")  # a known unstable net (collisions in its barycentric placement)
    with pytest.raises(CollisionError):
        systre_key(g)
    topo = identify_net(g)
    assert topo.key is None
    assert topo.method == "coordination sequences"
    assert "sxt" in topo.candidates
    assert "no canonical key" in topo.note


def test_unknown_net_gets_a_stable_key() -> None:
    # pcu plus one face diagonal per vertex: 8-c, not an RCSR net of the table
    g = PeriodicGraph(1, [[0, 0]] * 4, [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 0]])
    t1 = identify_net(g)
    t2 = identify_net(_scramble(g, seed=5, supercell=(2, 2, 1)))
    assert t1.key == t2.key is not None
    assert t1.coordination_sequences == t2.coordination_sequences
    if t1.name == "unknown":
        assert t2.name == "unknown"
