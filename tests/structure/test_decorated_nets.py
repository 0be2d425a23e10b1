"""Idealised frameworks built from RCSR embeddings (a metal on every vertex, a linker atom on
every edge) must be identified as the net they were built from (truth: the construction)."""

from __future__ import annotations

import numpy as np
import pytest

from mofglass.structure import PeriodicGraph
from mofglass.structure.analysis import StructureSummary, analyse_structure
from mofglass.structure.rcsr import decorate_net, net_graph, read_cgd

REQUIRED = "dia sod cag zni gis crb dft mer lta pcu fcu bcu srs nbo pts acs tbo".split()


@pytest.mark.slow
@pytest.mark.parametrize("name", REQUIRED)
def test_decorated_rcsr_net_is_identified(shared, name: str) -> None:  # type: ignore[no-untyped-def]
    g, frac, lat = net_graph(read_cgd(shared(f"rcsr-nets/{name}.cgd"))[0])
    crystal = decorate_net(g, frac, lat, metal="Zn", linker="C", edge_length_A=4.0)
    s = analyse_structure(crystal)
    assert s.topology == name
    assert s.interpenetration == 1
    # one metal per vertex: the metal density is the vertex density of the embedding
    assert s.metal_density_per_nm3.value == pytest.approx(
        1000 * g.n_vertices / crystal.cell_volume_A3
    )


def test_decorated_dia_fast(shared) -> None:  # type: ignore[no-untyped-def]
    g, frac, lat = net_graph(read_cgd(shared("rcsr-nets/dia.cgd"))[0])
    s = analyse_structure(
        decorate_net(g, frac, lat, metal="Cd", linker=("C", "C", "C"), edge_length_A=6.0)
    )
    assert (s.topology, s.interpenetration) == ("dia", 1)


def test_sql_layers() -> None:
    # square layers 4 Å edge, stacked 10 Å apart (no bonds between layers): 2-periodic sql
    g = PeriodicGraph(1, [[0, 0], [0, 0]], [[1, 0, 0], [0, 1, 0]])
    lat = np.diag([1.0, 1.0, 2.5])
    crystal = decorate_net(g, np.zeros((1, 3)), lat, metal="Cu", linker="C", edge_length_A=4.0)
    s = analyse_structure(crystal)
    assert s.dimension == 2
    assert s.topology == "sql"
    assert s.nets[0]["coordination_sequences"][0][:4] == [4, 8, 12, 16]  # 4n for sql


def test_summary_round_trips_through_json(shared) -> None:  # type: ignore[no-untyped-def]
    import json

    g, frac, lat = net_graph(read_cgd(shared("rcsr-nets/sod.cgd"))[0])
    s = analyse_structure(decorate_net(g, frac, lat))
    assert StructureSummary.from_dict(json.loads(json.dumps(s.to_dict()))) == s
