"""CIF reading: dialects, s.u.s, disorder, and damaged files (clear errors, never a wrong net).

Truths: closed forms (diamond has 8 atoms in its F d -3 m cell; the IUCr s.u. convention),
constructions with known answers.
"""

from __future__ import annotations

import numpy as np
import pytest

from mofglass.errors import AnalysisError, InputFormatError
from mofglass.structure import Crystal, build_framework, from_ase, network_labels, read_structure
from mofglass.structure.analysis import analyse_structure
from mofglass.structure.cif import parse_cif, parse_su

DIAMOND = """data_diamond
_cell_length_a 3.5668(2)
_cell_length_b 3.5668(2)
_cell_length_c 3.5668(2)
_cell_angle_alpha 90
_cell_angle_beta 90
_cell_angle_gamma 90
{symmetry}
loop_
_atom_site_label
_atom_site_type_symbol
_atom_site_fract_x
_atom_site_fract_y
_atom_site_fract_z
C1 C 0.125(3) 0.125 0.125
"""


@pytest.mark.parametrize(
    "symmetry",
    [
        "_symmetry_space_group_name_H-M 'F d -3 m:2'",
        "_space_group_name_H-M_alt 'F d -3 m :2'",
        "_space_group_name_Hall '-F 4vw 2vw 3'",
    ],
)
def test_dialects_expand_diamond(symmetry: str) -> None:
    c = parse_cif(DIAMOND.format(symmetry=symmetry))
    assert c.n_atoms == 8  # diamond: 8 C in the conventional cell
    s = analyse_structure(c)
    assert s.topology == "dia"


def test_numbers_with_su() -> None:
    assert parse_su("1611(2)") == (1611.0, 2.0)
    v, s = parse_su("8.4671(4)")
    assert v == 8.4671 and s == pytest.approx(0.0004)
    v, s = parse_su("1.2e-3(5)")
    assert v == pytest.approx(1.2e-3) and s == pytest.approx(5e-4)
    assert parse_su("90") == (90.0, None)


def test_truncated_loop_names_the_line() -> None:
    text = DIAMOND.format(symmetry="") + "C2 C 0.5 0.5\n"
    with pytest.raises(InputFormatError) as exc:
        parse_cif(text, source="broken.cif")
    assert "broken.cif:" in str(exc.value)
    assert exc.value.line is not None


def test_missing_cell() -> None:
    text = "\n".join(
        line for line in DIAMOND.format(symmetry="").splitlines() if "_cell_length_b" not in line
    )
    with pytest.raises(InputFormatError, match="_cell_length_b"):
        parse_cif(text, source="nocell.cif")


def test_unknown_element_names_the_site() -> None:
    text = DIAMOND.format(symmetry="").replace("C1 C 0.125(3)", "Q1 Qx 0.125(3)")
    with pytest.raises(InputFormatError, match="Q1"):
        parse_cif(text, source="unknown.cif")


def test_atoms_on_top_of_each_other_raise() -> None:
    # a full-occupancy N exactly on a C site: no bond rule can be right -> error, not a net
    text = (
        DIAMOND.format(symmetry="_symmetry_space_group_name_H-M 'F d -3 m:2'")
        + "N1 N 0.125 0.125 0.125\n"
    )
    c = parse_cif(text)
    with pytest.raises(AnalysisError, match="apart"):
        build_framework(c)


DISORDER = """data_dis
_cell_length_a 10
_cell_length_b 10
_cell_length_c 10
_cell_angle_alpha 90
_cell_angle_beta 90
_cell_angle_gamma 90
loop_
_atom_site_label
_atom_site_type_symbol
_atom_site_fract_x
_atom_site_fract_y
_atom_site_fract_z
_atom_site_occupancy
O1 O 0.10 0.10 0.10 0.6
O1B O 0.12 0.10 0.10 0.4
Zn1 Zn 0.5 0.5 0.5 1
"""


def test_disorder_rule_keeps_major_and_reports() -> None:
    c = parse_cif(DISORDER)
    assert c.labels.count("O1") == 1 and "O1B" not in c.labels  # occupancy 0.6 beats 0.4
    assert any("O1B" in w for w in c.metadata["warnings"])
    c_all = parse_cif(DISORDER, disorder="all")
    assert "O1B" in c_all.labels
    with pytest.raises(InputFormatError, match="partial"):
        parse_cif(DISORDER, disorder="error")


def test_framework_that_bonds_to_nothing() -> None:
    # isolated atoms 5 Å apart: no bonds, no framework -> "none", labels -1, a warning
    c = Crystal.from_fractional(["Zn", "O"], np.array([[0, 0, 0], [0.5, 0.5, 0.5]]), np.eye(3) * 10)
    s = analyse_structure(c)
    assert s.topology == "none" and s.interpenetration == 0
    assert any("no framework" in w for w in s.warnings)
    assert np.all(network_labels(c) == -1)


def test_hydrogen_free_zif(shared) -> None:  # type: ignore[no-untyped-def]
    c = read_structure(shared("zif-structures-lewis2009/ZIF-8.cif"))
    keep = [k for k, s in enumerate(c.species) if s != "H"]
    noh = Crystal.from_fractional([c.species[k] for k in keep], c.frac[keep], c.lattice_A)
    s = analyse_structure(noh)
    assert s.topology == "sod" and s.interpenetration == 1


def test_ase_atoms_accepted(shared) -> None:  # type: ignore[no-untyped-def]
    from ase.io import read

    atoms = read(shared("zif-structures-lewis2009/ZIF-6.cif"))
    s = analyse_structure(atoms)
    assert s.topology == "gis"
    assert from_ase(atoms).n_atoms == len(atoms)


def test_pymatgen_structure_accepted(shared) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("pymatgen")
    from pymatgen.core import Structure

    st = Structure.from_file(shared("zif-structures-lewis2009/ZIF-3.cif"))
    assert analyse_structure(st).topology == "dft"


def _p1bar(sites: str, c_A: float = 10.0) -> str:
    return f"""data_x
_cell_length_a 10
_cell_length_b 10
_cell_length_c {c_A}
_cell_angle_alpha 90
_cell_angle_beta 90
_cell_angle_gamma 90
loop_
_symmetry_equiv_pos_as_xyz
'x, y, z'
'-x, -y, -z'
loop_
_atom_site_label
_atom_site_type_symbol
_atom_site_fract_x
_atom_site_fract_y
_atom_site_fract_z
_atom_site_occupancy
{sites}
"""


@pytest.mark.parametrize(
    ("site", "half_A", "kept"),
    [
        # synthetic P-1 cells, a site at z = half/c and its inversion image at -z: distance
        # 2 x half. C≡C 1.20 Å (acetylenedicarboxylate) and Cr-Cr 2.06 Å (a Cr2 paddlewheel)
        # are bonds and stay; O 1.00 Å from its own image (MOF-11's water) is one disordered
        # site (shortest O-O bond: O2, 1.21 Å) and is kept once
        ("C1 C", 0.60, 2),
        ("Cr1 Cr", 1.03, 2),
        ("O1 O", 0.50, 1),
    ],
)
def test_site_next_to_its_own_image(site: str, half_A: float, kept: int) -> None:
    c = parse_cif(_p1bar(f"{site} 0 0 {half_A / 10.0:.4f} 1.0"))
    assert c.n_atoms == kept
    if kept == 2:
        df = c.frac[0] - c.frac[1]
        df -= np.round(df)
        assert float(np.linalg.norm(df @ c.lattice_A)) == pytest.approx(2 * half_A, abs=1e-3)
