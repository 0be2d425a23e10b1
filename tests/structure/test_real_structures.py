"""Topology and interpenetration of real ZIF and MOF structures from ../shared/data.

Truths: the published nets - Lewis et al., CrystEngComm 11 (2009) 2272 (ZIF-1/2 crb, ZIF-3 dft,
ZIF-4 cag, ZIF-6 gis, ZIF-7/8/9 sod, ZIF-10 mer, ZIF-20 lta, zni, and Zn(im)2 models of zeolite
nets named by their IZA codes, which RCSR lists as lower-case symbols; ABW = sra and ACO = pcb in
RCSR); Widmer et al., JACS 141 (2019) 9330 (ZIF-4-cp-II cag); and the CrystalNets.jl test suite
(peer; test/runtests.jl at commit 04a63be: HKUST-1 tbo, JXUST-1 2-fold pcu, MOF-14 two pto,
PCN-700 bcu, UiO-66 and MOF-801 fcu, WEBZEK bcu + dia, WEMFIF dia, ZIF-8/ZIF-67 sod, diamond dia).
MOF-5 is pcu (Li, Eddaoudi, O'Keeffe, Yaghi, Nature 402 (1999) 276).
"""

from __future__ import annotations

import json

import pytest

from mofglass.structure import read_structure
from mofglass.structure.analysis import StructureSummary, analyse_structure

CASES = [
    ("zif-structures-lewis2009/ZIF-1.cif", "crb", 1),
    ("zif-structures-lewis2009/ZIF-2.cif", "crb", 1),
    ("zif-structures-lewis2009/ZIF-3.cif", "dft", 1),
    ("zif-structures-lewis2009/ZIF-4.cif", "cag", 1),
    ("zif-structures-lewis2009/ZIF-6.cif", "gis", 1),
    ("zif-structures-lewis2009/ZIF-7.cif", "sod", 1),
    ("zif-structures-lewis2009/ZIF-8.cif", "sod", 1),
    ("zif-structures-lewis2009/ZIF-9.cif", "sod", 1),
    ("zif-structures-lewis2009/ZIF-10.cif", "mer", 1),
    ("zif-structures-lewis2009/ZIF-20.cif", "lta", 1),
    ("zif-structures-lewis2009/zni.cif", "zni", 1),
    ("zif-structures-lewis2009/ABW_model.cif", "sra", 1),
    ("zif-structures-lewis2009/ACO_model.cif", "pcb", 1),
    ("zif-structures-lewis2009/AFI_model.cif", "afi", 1),
    ("zif-structures-lewis2009/AST_model.cif", "ast", 1),
    ("zif-structures-lewis2009/ATN_model.cif", "atn", 1),
    ("zif-structures-lewis2009/ATO_model.cif", "ato", 1),
    ("zif-structures-lewis2009/CAN_model.cif", "can", 1),
    ("zif-structures-lewis2009/FAU_model.cif", "fau", 1),
    ("zif-structures-lewis2009/LTL_model.cif", "ltl", 1),
    ("raspa2-zif-cifs/ZIF-1.cif", "crb", 1),
    ("raspa2-zif-cifs/ZIF-3.cif", "dft", 1),
    ("raspa2-zif-cifs/ZIF-4.cif", "cag", 1),
    ("raspa2-zif-cifs/ZIF-6.cif", "gis", 1),
    ("raspa2-zif-cifs/ZIF-8.cif", "sod", 1),
    ("raspa2-zif-cifs/ZIF-9.cif", "sod", 1),
    ("raspa2-zif-cifs/ZIF-10.cif", "mer", 1),
    ("zif8-zif67-ccdc-cifs/ZIF-8.cif", "sod", 1),
    ("zif8-zif67-ccdc-cifs/ZIF-67.cif", "sod", 1),
    ("zif4-zni-widmer2019/ZIF-4-cp-II.cif", "cag", 1),
    ("zif4-zni-widmer2019/ZNI-RelaxedCell.cif", "zni", 1),
    ("zif4-zni-widmer2019/ZIF-4-hPT-II.cif", "dia", 2),
    ("crystalnets-test-cifs/Diamond.cif", "dia", 1),
    ("crystalnets-test-cifs/HKUST-1.cif", "tbo", 1),
    ("crystalnets-test-cifs/JXUST-1.cif", "pcu", 2),
    ("crystalnets-test-cifs/MOF-14.cif", "pto", 2),
    ("crystalnets-test-cifs/MOF-5.cif", "pcu", 1),
    ("crystalnets-test-cifs/MOF-801.cif", "fcu", 1),
    ("crystalnets-test-cifs/PCN-700.cif", "bcu", 1),
    ("crystalnets-test-cifs/UiO-66.cif", "fcu", 1),
    ("crystalnets-test-cifs/WEBZEK.cif", "bcu + dia", 2),
    ("crystalnets-test-cifs/WEMFIF_clean.cif", "dia", 1),
    ("crystalnets-test-cifs/ZIF-8.cif", "sod", 1),
    ("crystalnets-test-cifs/ZIF-67.cif", "sod", 1),
]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("rel", "net", "fold"),
    CASES,
    ids=[c[0].split("/")[-1] + "-" + c[0].split("/")[0][:6] for c in CASES],
)
def test_topology_and_interpenetration(shared, rel: str, net: str, fold: int) -> None:  # type: ignore[no-untyped-def]
    s = analyse_structure(read_structure(shared(rel)))
    assert s.topology == net
    assert s.interpenetration == fold
    assert s.topology_method == "systre key"


@pytest.mark.parametrize(
    ("rel", "net", "fold"),
    [
        ("zif-structures-lewis2009/ZIF-4.cif", "cag", 1),
        ("zif-structures-lewis2009/ZIF-6.cif", "gis", 1),
        ("crystalnets-test-cifs/JXUST-1.cif", "pcu", 2),
    ],
)
def test_topology_fast_subset(shared, rel: str, net: str, fold: int) -> None:  # type: ignore[no-untyped-def]
    s = analyse_structure(read_structure(shared(rel)))
    assert (s.topology, s.interpenetration) == (net, fold)
    back = StructureSummary.from_dict(json.loads(json.dumps(s.to_dict())))  # the JSON document
    assert (back.topology, back.interpenetration) == (net, fold)
    assert (back.nets, back.metal_metal_distances) == (s.nets, s.metal_metal_distances)
    assert back.report() == s.report()


def test_net_absent_from_table_is_unknown_with_stable_key(shared) -> None:  # type: ignore[no-untyped-def]
    # FER (ferrierite) is not among the RCSR nets of ../shared (no fer.cgd): named by the IZA
    # table only (its code), with a key; the DFT model and a 2x1x1 supercell of it must give
    # the same key and name
    import numpy as np

    from mofglass.structure import Crystal

    c = read_structure(shared("zif-structures-lewis2009/FER_model.cif"))
    s1 = analyse_structure(c)
    half = np.array([2.0, 1.0, 1.0])
    frac = np.vstack([c.frac / half, (c.frac + np.array([1.0, 0, 0])) / half])
    big = Crystal.from_fractional(
        list(c.species) * 2, frac, c.lattice_A * np.array([[2], [1], [1]])
    )
    s2 = analyse_structure(big)
    assert s1.topology == s2.topology == "FER"
    assert "not in the RCSR table" in s1.nets[0]["note"]
    assert s1.nets[0]["key"] == s2.nets[0]["key"] is not None
