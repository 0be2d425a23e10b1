"""Reflection lists, impurity matching, the "no Bragg peaks" test and crystalline fraction.

Truths: closed-form d-spacings (hexagonal and cubic metrics), the Cd CIF in shared/data
(COD 9008490, via the structure reader), and synthetic patterns with a known crystalline share.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from mofglass.diffraction import CU_KA1_A
from mofglass.diffraction.cell import REFERENCE_PHASES, Cell, cell_from_crystal, reflections
from mofglass.diffraction.demo_model import model_reflections, simulate_demo_pattern
from mofglass.diffraction.peaks import fit_peaks
from mofglass.diffraction.phases import bragg_peak_test, crystalline_fraction, match_phase


def _hex_d(a: float, c: float, h: int, k: int, ll: int) -> float:
    # 1/d² = 4/3 (h² + hk + k²)/a² + l²/c²
    return 1 / np.sqrt(4 / 3 * (h * h + h * k + k * k) / a**2 + ll * ll / c**2)


def test_cd_reflections_closed_form_and_extinctions() -> None:
    cd = REFERENCE_PHASES["Cd"]
    refl = {r.hkl: r for r in reflections(cd, d_min_A=1.3)}
    # P63/mmc: 00l only with l even; hh(-2h)l with l odd absent; (001) absent, (002) present
    assert (0, 0, 1) not in refl and (0, 0, 2) in refl
    # {110} is labelled (2 -1 0), its lexicographically largest member (pymatgen: 2 -1 -1 0)
    for hkl in [(0, 0, 2), (1, 0, 0), (1, 0, 1), (1, 0, 2), (2, -1, 0)]:
        assert refl[hkl].d_A == pytest.approx(_hex_d(cd.a, cd.c, *hkl), rel=1e-10)
    # multiplicities of the hexagonal Laue class 6/mmm: {10l} 12 for l != 0, {100} 6, {00l} 2
    assert refl[(1, 0, 1)].multiplicity == 12
    assert refl[(1, 0, 0)].multiplicity == 6
    assert refl[(0, 0, 2)].multiplicity == 2
    # Cd(101) with Cu Kα1 at 38.36°, tol 0.01° (ICDD 05-0674 lists 38.40° at 1.5418 Å)
    assert float(np.degrees(2 * np.arcsin(CU_KA1_A / 2 / refl[(1, 0, 1)].d_A))) == pytest.approx(
        38.364, abs=0.01
    )


def test_fcc_extinctions_cdo() -> None:
    refl = reflections(REFERENCE_PHASES["CdO"], d_min_A=1.2)
    hkls = [r.hkl for r in refl]
    # F-centring: h, k, l all even or all odd
    assert hkls[:4] == [(1, 1, 1), (2, 0, 0), (2, 2, 0), (3, 1, 1)]
    assert refl[0].d_A == pytest.approx(4.6953 / np.sqrt(3), rel=1e-12)


def test_cell_from_shared_cif_matches_table(pxrd_data: Path) -> None:
    from mofglass.structure import read_structure

    crystal = read_structure(pxrd_data / "cd-metal-cif" / "Cd.cif")
    cell = cell_from_crystal(crystal)
    table = REFERENCE_PHASES["Cd"]
    # CIF: a 2.97887, c 5.61765, gamma 120 (tol 1e-6 Å, 1e-6°)
    assert cell.a == pytest.approx(table.a, abs=1e-6)
    assert cell.c == pytest.approx(table.c, abs=1e-6)
    assert cell.gamma == pytest.approx(120.0, abs=1e-6)
    d_cif = [r.d_A for r in reflections(cell, d_min_A=1.5)]
    d_tab = [r.d_A for r in reflections(table, d_min_A=1.5)]
    assert d_cif == pytest.approx(d_tab, rel=1e-9)


def test_match_phase_finds_cd_and_not_cdo() -> None:
    # synthetic list: Cd 002, 100, 101 at their calculated 2θ + 0.02° offset, plus unrelated peaks
    cd = {
        r.hkl: r
        for r in reflections(REFERENCE_PHASES["Cd"], wavelength_A=CU_KA1_A, two_theta_max_deg=60)
    }
    obs = [cd[h].two_theta_deg + 0.02 for h in [(0, 0, 2), (1, 0, 0), (1, 0, 1)]]  # type: ignore[operator]
    obs += [12.3, 25.7]
    m = match_phase(obs, REFERENCE_PHASES["Cd"], CU_KA1_A, two_theta_range_deg=(5, 50))
    assert m.present and m.n_matched == 3
    assert m.n_expected == 4  # 002, 100, 101, 102 below 50°
    assert not match_phase(
        obs, REFERENCE_PHASES["CdO"], CU_KA1_A, two_theta_range_deg=(5, 50)
    ).present
    # d-list input (user-given card) works the same way
    assert match_phase(obs, [2.809, 2.580, 2.344], CU_KA1_A).n_matched == 3
    # excluding the main phase's peaks removes the matches they explain
    assert (
        match_phase(obs, REFERENCE_PHASES["Cd"], CU_KA1_A, exclude_two_theta_deg=obs[:2]).n_matched
        == 1
    )


def test_bragg_test_glass_vs_glass_ceramic() -> None:
    # simulated glass (two humps, FWHM 7° and 9°, Poisson, seed 5): no Bragg peaks;
    # glass-ceramic (19 nm peaks, 59 %): peaks found
    glass = bragg_peak_test(simulate_demo_pattern("glass", seed=5))
    assert glass.amorphous and glass.n_peaks == 0
    gc = bragg_peak_test(
        simulate_demo_pattern("glass-ceramic", seed=5, size_nm=19.0, crystalline_fraction=0.59)
    )
    assert not gc.amorphous and gc.n_peaks >= 10


def test_bragg_test_detects_weak_trace_peak() -> None:
    # glass + 0.5 % of the scattering in Cd lines (size 50 nm): the Cd 101 line must be found
    p = simulate_demo_pattern(
        "glass-ceramic", seed=5, size_nm=50.0, crystalline_fraction=0.005, cd_metal_fraction=1.0
    )
    res = bragg_peak_test(p)
    assert not res.amorphous
    assert any(abs(c.two_theta_deg - 38.36) < 0.1 for c in res.peaks)


@pytest.mark.parametrize("fraction", [0.59, 0.3])
def test_crystalline_fraction_recovered(fraction: float) -> None:
    # truth: share of simulated sample scattering in Bragg peaks; the humps lose < 1 % of their
    # area outside 5-50°; measured bias of the fitted areas ~ -3 % relative; tol 0.04 absolute
    p = simulate_demo_pattern("glass-ceramic", seed=7, size_nm=19.0, crystalline_fraction=fraction)
    fit = fit_peaks(p)
    cr = crystalline_fraction(p, fit)
    assert cr.crystalline_fraction.value == pytest.approx(fraction, abs=0.04)
    assert cr.crystalline_fraction.stderr is not None


def test_crystalline_fraction_of_glass_is_zero() -> None:
    cr = crystalline_fraction(simulate_demo_pattern("glass", seed=5), None)
    assert cr.crystalline_fraction.value == 0.0
    # total area: 60000 counts·deg simulated, hump tails outside 5-50° < 1 %; tol 3 %
    assert cr.total_area.value == pytest.approx(60000.0, rel=0.03)


def test_demo_model_reflections_are_from_the_cell() -> None:
    cell = Cell(8.95, 8.95, 19.54, 90, 90, 90, "I 41/a")
    allowed = {r.hkl for r in reflections(cell, d_min_A=1.8)}
    for r in model_reflections():
        assert r.hkl in allowed
        h, k, ll = r.hkl
        # tetragonal closed form 1/d² = (h² + k²)/a² + l²/c²
        assert r.d_A == pytest.approx(1 / np.sqrt((h * h + k * k) / 8.95**2 + ll * ll / 19.54**2))
