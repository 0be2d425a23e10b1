"""Systre ``.cgd`` nets given by coordination numbers and EDGE_CENTERs (no EDGE lines).

Truths: RCSR (O'Keeffe et al., Acc. Chem. Res. 41 (2008) 1782) names bcu-b and cds-b as
two-coloured versions of bcu and cds (same graph), and eta-c as two interpenetrated eta nets; the
bcu coordination sequence is 6n^2+2 (Conway & Sloane, Proc. R. Soc. A 453 (1997) 2369). The edge
rule is Systre's (Delgado-Friedrichs, Gavrog NetParser): nearest neighbours up to each node's
coordination number, edge centres joined into one edge.
"""

from __future__ import annotations

import numpy as np
import pytest

from mofglass.structure.rcsr import net_graph, parse_cgd, read_cgd, table_entry
from mofglass.structure.topology import coordination_sequence

BCU_B = """CRYSTAL
  NAME bcu-b
  GROUP Pm-3m
  CELL 1.1547 1.1547 1.1547 90.0 90.0 90.00
  NODE 1 8 0.0000 0.0000 0.0000
  NODE 2 8 0.5000 0.5000 0.5000
  EDGE_CENTER  0.2500 0.2500 0.25000
END
"""


def test_edge_centres_give_bcu() -> None:
    net = parse_cgd(BCU_B)[0]
    assert net.edges == ()
    assert net.edge_centers == ((0.25, 0.25, 0.25),)
    g, _, _ = net_graph(net)
    # two vertices per cell, each joined to the 8 others of the body-centred lattice; exact
    assert g.n_vertices == 2
    assert g.degrees().tolist() == [8, 8]
    n = np.arange(1, 9)
    assert coordination_sequence(g, 0, n_shells=8) == tuple(6 * n**2 + 2)


@pytest.mark.parametrize(
    ("coloured", "plain", "copies"), [("bcu-b", "bcu", 1), ("cds-b", "cds", 1), ("eta-c", "eta", 2)]
)
def test_edge_centre_nets_match_their_rcsr_parent(shared, coloured, plain, copies) -> None:  # type: ignore[no-untyped-def]
    a = table_entry(read_cgd(shared(f"rcsr-nets/{coloured}.cgd"))[0])
    b = table_entry(read_cgd(shared(f"rcsr-nets/{plain}.cgd"))[0])
    # same graph: identical Systre key digest and coordination sequences (exact)
    assert a["h"] == b["h"] is not None
    assert a["cs"] == b["cs"]
    assert a["copies"] == copies


def test_koh_nodes_get_their_coordination(shared) -> None:  # type: ignore[no-untyped-def]
    net = read_cgd(shared("rcsr-nets/koh.cgd"))[0]
    g, _, _ = net_graph(net)
    # every vertex ends with the coordination number its NODE line states
    from mofglass.structure.rcsr import _operators, _orbits

    rot, tra = _operators(net)
    _, site_of = _orbits(np.array([x for _, _, x in net.nodes]), rot, tra, 1e-3)
    want = [net.nodes[s][1] for s in site_of]
    assert g.degrees().tolist() == want
    assert g.components()[0].dimension == 3
