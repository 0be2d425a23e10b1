"""CIF dialects (type symbols without labels, space group by symbol or number only), sanity
checks (bad symmetry operation, several data blocks) and IZA framework codes.

The dialect files are the real ZIF-4-hPT-II CIF (Widmer et al., JACS 141 (2019) 9330; Pbca,
Z = 8, 17 sites -> 136 atoms per cell) rewritten the way DFT/conversion tools write them; the
atom count per cell is the truth.
"""

from __future__ import annotations

import re

import pytest

from mofglass.errors import InputFormatError
from mofglass.structure import analyse_structure, read_structure
from mofglass.structure.cif import parse_cif

HPT = "zif4-zni-widmer2019/ZIF-4-hPT-II.cif"


def _text(shared) -> str:  # type: ignore[no-untyped-def]
    return shared(HPT).read_text(encoding="utf-8").split("_pd_block_id")[0]


def _drop_ops(text: str) -> str:
    return re.sub(r"loop_\s+_symmetry_equiv_pos_as_xyz\s+(?:'[^']*'\s+)+", "", text)


def _types_only(text: str) -> str:
    text = text.replace("_atom_site_label\n", "", 1)
    return re.sub(r"^(\w+\d+) (\w+ +8 )", r"\2", text, flags=re.M)


def test_type_symbols_without_labels(shared) -> None:  # type: ignore[no-untyped-def]
    c = parse_cif(_types_only(_text(shared)))
    assert c.n_atoms == 136 and c.spacegroup == "Pbca"
    assert sum(s == "Zn" for s in c.species) == 8
    assert any("no _atom_site_label" in w for w in c.metadata["warnings"])


def test_hm_symbol_without_operations(shared) -> None:  # type: ignore[no-untyped-def]
    text = _types_only(_drop_ops(_text(shared)))
    assert "_symmetry_equiv_pos_as_xyz" not in text and "\n_atom_site_label\n" not in text
    c = parse_cif(text)
    assert c.n_atoms == 136


@pytest.mark.parametrize("tag", ["_space_group_IT_number", "_symmetry_Int_Tables_number"])
def test_it_number_only(shared, tag: str) -> None:  # type: ignore[no-untyped-def]
    text = _drop_ops(_text(shared)).replace("_symmetry_space_group_name_H-M Pbca", f"{tag} 61")
    c = parse_cif(text)
    assert c.n_atoms == 136
    assert any("standard setting" in w for w in c.metadata["warnings"])
    with pytest.raises(InputFormatError, match="space-group number"):
        parse_cif(text.replace(f"{tag} 61", f"{tag} 999"))


def test_unparseable_symmetry_operation_is_refused(shared) -> None:  # type: ignore[no-untyped-def]
    text = _text(shared).replace("'-x, -y, -z '", "'-x, -y, -q '")
    with pytest.raises(InputFormatError, match=r"ZIF.*:\d+: expected a symmetry operation"):
        parse_cif(text, source="ZIF-4-hPT-II.cif")


def test_second_data_block_is_named(shared) -> None:  # type: ignore[no-untyped-def]
    one = _text(shared)
    c = parse_cif(one + "\n" + one.replace("data_ZIF-4-hPT-II", "data_second"))
    assert any("2 structure data blocks" in w for w in c.metadata["warnings"])
    assert parse_cif(one + "\n" + one.replace("data_ZIF-4-hPT-II", "data_x"), block=1).n_atoms


def test_iza_codes_agree_with_rcsr_where_both_name_the_net(shared) -> None:  # type: ignore[no-untyped-def]
    """RCSR (independent .cgd embeddings) names the Lewis models' nets; the IZA table (made from
    the models' file names) must give the same net: RCSR uses the lower-case code, except
    ABW = sra and ACO = pcb (RCSR's own cross-references)."""
    rcsr_of = {"ABW": "sra", "ACO": "pcb", "AFI": "afi", "FAU": "fau", "CAN": "can"}
    for code, rcsr in rcsr_of.items():
        s = analyse_structure(read_structure(shared(f"zif-structures-lewis2009/{code}_model.cif")))
        assert s.topology_label == rcsr
        assert f"IZA framework type {code}" in s.nets[0]["note"]
    fer = analyse_structure(read_structure(shared("zif-structures-lewis2009/FER_model.cif")))
    assert fer.topology_label == "FER"  # not in the RCSR table: named by its IZA code


def test_atoms_on_top_of_each_other_and_missing_h_are_warned(shared) -> None:  # type: ignore[no-untyped-def]
    text = _text(shared)
    # a second atom 0.1 Å from Zn1 (a different element: not merged as a duplicate)
    stacked = text.replace(
        "Zn1 Zn   8 0.11837 0.02439 0.78276 1 3  Uiso",
        "Zn1 Zn   8 0.11837 0.02439 0.78276 1 3  Uiso\nCo1 Co 8 0.11837 0.03439 0.78276 1 3 Uiso",
    )
    w = parse_cif(stacked).metadata["warnings"]
    assert any("closer than 0.5 Å" in x and "Zn1/Co1" in x for x in w)
    # the formula says H6 per Zn (Z = 8 -> 48 H); without the H sites the reader says so
    no_h = "\n".join(ln for ln in text.splitlines() if not re.match(r"H\d+ H ", ln))
    w = parse_cif(no_h).metadata["warnings"]
    assert any("48 H fewer per cell" in x for x in w)


def test_simulate_prints_the_stacked_atoms_warning(shared, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from mofglass.cli import app

    text = _text(shared).replace(
        "Zn1 Zn   8 0.11837 0.02439 0.78276 1 3  Uiso",
        "Zn1 Zn   8 0.11837 0.02439 0.78276 1 3  Uiso\nCo1 Co 8 0.11837 0.03439 0.78276 1 3 Uiso",
    )
    path = tmp_path / "stacked.cif"
    path.write_text(text, encoding="utf-8")
    r = CliRunner().invoke(app, ["simulate", "xrd", str(path), "--json"])
    assert r.exit_code == 0
    assert "closer than 0.5 Å" in r.stderr
