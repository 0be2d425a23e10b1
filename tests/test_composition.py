"""Formula parsing and molar masses against hand-computed values.

Atomic weights (IUPAC 2016, conventional values): Cd 112.414, Zn 65.38, C 12.011, H 1.008,
N 14.007.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mofglass.composition import (
    Composition,
    bim_fraction_from_nmr,
    mixed_linker,
    molar_mass,
    parse_formula,
)
from mofglass.errors import InputFormatError

C, H, N, CD, ZN = 12.011, 1.008, 14.007, 112.414, 65.38
IM = 3 * C + 3 * H + 2 * N  # C3H3N2 = 67.071
BIM = 7 * C + 5 * H + 2 * N  # C7H5N2 = 117.131


def test_cd_im2_molar_mass_matches_paper():
    # paper (SPEC): Cd(im)2 is 246.6 g/mol; by hand 112.414 + 2 x 67.071 = 246.556; tol 0.05
    assert molar_mass("Cd(im)2") == pytest.approx(CD + 2 * IM, abs=1e-9)
    assert round(molar_mass("Cd(im)2"), 1) == 246.6


def test_named_linker_counts():
    assert parse_formula("Cd(im)2") == {"Cd": 1, "C": 6, "H": 6, "N": 4}
    counts = parse_formula("Zn(im)1.75(bim)0.25")
    # by hand: C 3*1.75 + 7*0.25 = 7.0; H 3*1.75 + 5*0.25 = 6.5; N 2*2 = 4
    assert counts == pytest.approx({"Zn": 1, "C": 7.0, "H": 6.5, "N": 4.0})
    assert molar_mass("Zn(im)1.75(bim)0.25") == pytest.approx(ZN + 1.75 * IM + 0.25 * BIM, abs=1e-9)


def test_plain_and_nested_formulas():
    assert parse_formula("C3H4N2") == {"C": 3, "H": 4, "N": 2}
    assert parse_formula("Cu3(C9H3O6)2") == {"Cu": 3, "C": 18, "H": 6, "O": 12}
    assert molar_mass("H2O") == pytest.approx(2 * 1.008 + 15.999, abs=1e-9)


def test_mixed_linker_series():
    c = mixed_linker("Cd", 0.25)
    assert c.formula == "Cd(im)1.75(bim)0.25"
    assert c.molar_mass_g_mol == pytest.approx(CD + 1.75 * IM + 0.25 * BIM, abs=1e-9)
    assert mixed_linker("Cd", 0.0).formula == "Cd(im)2"
    with pytest.raises(ValueError):
        mixed_linker("Cd", 2.5)


def test_specific_molar_conversion_of_paper_enthalpy():
    # paper: ΔHm 16.6 kJ/mol for M = 246.6 g/mol -> 16.6e3 / 246.556 = 67.33 J/g (by hand)
    cd = Composition.from_formula("Cd(im)2")
    assert cd.to_specific(16.6) == pytest.approx(16600 / 246.556, rel=1e-12)
    assert cd.to_molar(cd.to_specific(16.6)) == pytest.approx(16.6, rel=1e-12)
    assert cd.hill_formula == "C6H6CdN4"


def test_nmr_linker_content():
    # 1H integrals: im C2-H 1.0 (1 H), bim C2-H 0.142857 (1 H) -> n_bim/n_im = 1/7 -> x = 2/8 = 0.25
    assert bim_fraction_from_nmr(1.0, 1 / 7) == pytest.approx(0.25, rel=1e-12)
    # bim's 4 benzo protons integrate 4x: same x when protons are stated
    assert bim_fraction_from_nmr(1.0, 4 / 7, protons_colinker=4) == pytest.approx(0.25, rel=1e-12)


@pytest.mark.parametrize(
    ("formula", "column"),
    [("Cd(im", 6), ("Cd(xx)2", 4), ("Qq2", 1), ("2Cd", 1), ("Cd)2", 3), ("Cd#", 3)],
)
def test_bad_formulas_name_the_column(formula, column):
    with pytest.raises(InputFormatError) as info:
        parse_formula(formula)
    assert info.value.column == column


ELEMENTS = ["H", "C", "N", "O", "Zn", "Cd", "Co", "Fe", "Cu", "S"]


@given(
    st.dictionaries(st.sampled_from(ELEMENTS), st.integers(min_value=1, max_value=40), min_size=1),
    st.sampled_from(["im", "bim", "mim"]),
    st.integers(min_value=1, max_value=4),
)
def test_formula_round_trip(counts, linker, n_linker):
    # property: writing counts as a formula (plus a linker group) and parsing it back is exact
    text = "".join(f"{el}{n}" for el, n in counts.items()) + f"({linker}){n_linker}"
    parsed = parse_formula(text)
    expected = dict(counts)
    for el, n in parse_formula(Composition.from_formula(f"({linker})").formula).items():
        expected[el] = expected.get(el, 0) + n * n_linker
    assert parsed == pytest.approx(expected)
    # the Hill formula of the parsed counts parses back to the same counts
    assert parse_formula(Composition.from_formula(text).hill_formula) == pytest.approx(parsed)
