"""Whole-pattern (Pawley / Le Bail) fits on real patterns with known cells.

Truths:
* LaB6 (xrd-lab6-xye-xrayutilities, NIST SRM 660 series, exact lot not stated): certified
  a = 4.156826(8) Å for SRM 660c (NIST certificate, 22.5 °C) and 4.1569162 Å for SRM 660a
  (the value GSAS-II's calibrant table carries); the fit must be within 2e-4 Å of both.
* PbSO4 (IUCr CPD round robin, Hill, J. Appl. Cryst. 25 (1992) 589): a ≈ 8.48, b ≈ 5.40,
  c ≈ 6.96 Å (the data folder's stated test: within 0.01 Å).
* Sucrose at 11-BM: the file header says "Temp (K) = 100.0". The issue's target is the 300 K
  cell of Hynes & Le Page, J. Appl. Cryst. 24 (1991) 352: a 10.8631, b 8.7044, c 7.7624 Å,
  β 102.938°. β is met within 0.05°; a, b, c are 0.45-0.6 % shorter at 100 K (thermal
  contraction; the 223 K cell of the same compound, a 10.8537 b 8.6932 c 7.7441 Å from the
  UMD X-ray facility report 1255, already lies 0.09-0.24 % below 300 K), so a, b, c are
  checked to be 0.3-0.8 % below the 300 K values.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mofglass.crystallography import Cell
from mofglass.diffraction.instrument import read_instrument
from mofglass.diffraction.pattern import Wavelength
from mofglass.diffraction.pawley import free_cell_parameters, pawley_refine
from mofglass.diffraction.readers import read_pattern
from mofglass.diffraction.setup import phase_cell
from mofglass.errors import AnalysisError

SRM660C_A = 4.156826
SRM660A_A = 4.1569162


def test_free_parameters_by_crystal_system() -> None:
    assert free_cell_parameters(Cell(8.95, 8.95, 19.54, spacegroup="I 41/a")) == ("a", "c")
    assert free_cell_parameters(Cell(4.7, 4.7, 4.7, spacegroup="F m -3 m")) == ("a",)
    assert free_cell_parameters(Cell(5, 6, 7, 90, 100, 90, "P 21/c")) == ("a", "b", "c", "beta")
    assert free_cell_parameters(Cell(5, 6, 7, 80, 85, 95, "P -1")) == (
        "a",
        "b",
        "c",
        "alpha",
        "beta",
        "gamma",
    )


@pytest.fixture(scope="module")
def lab6(shared_data: Path):  # type: ignore[no-untyped-def]
    p = read_pattern(shared_data / "xrd-lab6-xye-xrayutilities" / "LaB6_d500_si_psd.xye.bz2")
    p = p.with_wavelength(Wavelength.copper()).crop(18, 148)
    return pawley_refine(p, Cell(4.1569, 4.1569, 4.1569, spacegroup="P m -3 m"))


def test_lab6_certified_cell_with_displacement(lab6) -> None:  # type: ignore[no-untyped-def]
    r = lab6
    assert r.ok, r.flags
    assert r.displacement_deg is not None and r.displacement_deg.stderr is not None
    assert abs(r.a_A.value - SRM660C_A) < 2e-4
    assert abs(r.a_A.value - SRM660A_A) < 2e-4
    assert r.a_A.stderr is not None and 0 < r.a_A.stderr < 1e-4
    assert r.b_A.value == r.a_A.value == r.c_A.value and r.gamma_deg.value == 90
    # Cu Kα1+2 lab scan, 23 reflections: a good profile fit
    assert r.n_reflections == 23
    assert r.gof < 1.3 and r.rwp < 0.08
    assert r.rexp < r.rwp and r.gof == pytest.approx(r.rwp / r.rexp, rel=0.02)


def test_lab6_le_bail_agrees(shared_data: Path, lab6) -> None:  # type: ignore[no-untyped-def]
    p = read_pattern(shared_data / "xrd-lab6-xye-xrayutilities" / "LaB6_d500_si_psd.xye.bz2")
    p = p.with_wavelength(Wavelength.copper()).crop(18, 148)
    r = pawley_refine(p, Cell(4.1569, 4.1569, 4.1569, spacegroup="P m -3 m"), method="lebail")
    assert abs(r.a_A.value - SRM660C_A) < 2e-4
    assert r.a_A.value == pytest.approx(lab6.a_A.value, abs=5e-5)


def test_pbso4_round_robin_cell(shared_data: Path) -> None:
    folder = shared_data / "xrd-pbso4-gsas-std-prm"
    _, wl = read_instrument(folder / "INST_XRY.PRM")
    p = read_pattern(folder / "PBSO4.XRA").with_wavelength(wl).crop(16, 110)
    r = pawley_refine(p, phase_cell(folder / "PbSO4-Wyckoff.cif"))
    assert r.ok, r.flags
    for m, truth in ((r.a_A, 8.48), (r.b_A, 5.40), (r.c_A, 6.96)):
        assert m.value == pytest.approx(truth, abs=0.01)
    assert r.rwp < 0.10


@pytest.mark.slow
def test_sucrose_11bm_monoclinic(shared_data: Path) -> None:
    folder = shared_data / "pxrd-11bm-gsas-fxye"
    _, wl = read_instrument(folder / "11bmb_8716.prm")
    p = read_pattern(folder / "11bmb_8716.fxye").with_wavelength(wl).crop(2, 20)
    start = Cell(10.8631, 8.7044, 7.7624, 90, 102.938, 90, "P 1 21 1")
    r = pawley_refine(p, start)
    assert r.ok, r.flags
    assert r.geometry == "debye-scherrer" and r.displacement_deg is None
    assert r.beta_deg.value == pytest.approx(102.938, abs=0.05)
    for m, rt in ((r.a_A, 10.8631), (r.b_A, 8.7044), (r.c_A, 7.7624)):
        assert 0.992 * rt < m.value < 0.997 * rt
        assert m.stderr is not None and m.stderr < 1e-3
    assert r.alpha_deg.value == r.gamma_deg.value == 90.0
    assert r.alpha_deg.stderr is None  # fixed by symmetry
    assert r.gof < 2.0


def test_errors_no_wavelength_no_reflections(shared_data: Path) -> None:
    p = read_pattern(shared_data / "xrd-lab6-xye-xrayutilities" / "LaB6_d500_si_psd.xye.bz2")
    with pytest.raises(AnalysisError, match="wavelength"):
        pawley_refine(p, Cell(4.1569, 4.1569, 4.1569, spacegroup="P m -3 m"))
    p = p.with_wavelength(Wavelength.copper()).crop(18, 20)
    with pytest.raises(AnalysisError, match="no allowed reflection"):
        pawley_refine(p, Cell(2.0, 2.0, 2.0, spacegroup="F m -3 m"))


def test_bounded_iterations_flagged(shared_data: Path) -> None:
    p = read_pattern(shared_data / "xrd-lab6-xye-xrayutilities" / "LaB6_d500_si_psd.xye.bz2")
    p = p.with_wavelength(Wavelength.copper()).crop(18, 80)
    r = pawley_refine(p, Cell(4.1569, 4.1569, 4.1569, spacegroup="P m -3 m"), max_nfev=2)
    assert not r.ok and not r.converged
    assert any("max_nfev" in f for f in r.flags)


def test_wrong_cell_flagged(shared_data: Path) -> None:
    # PbSO4 fitted with a LaB6 cube: most peaks are not indexed -> flagged, not a result
    folder = shared_data / "xrd-pbso4-gsas-std-prm"
    p = read_pattern(folder / "PBSO4.XRA").crop(18, 80).with_wavelength(Wavelength.copper())
    r = pawley_refine(p, Cell(4.1569, 4.1569, 4.1569, spacegroup="P m -3 m"))
    assert not r.ok and r.unexplained_fraction > 0.5
    assert any("not described by the cell" in f for f in r.flags)


def test_zero_and_displacement_correlation_reported(shared_data: Path) -> None:
    # both refined on LaB6: nearly collinear, so the correlation is reported (and zero stays
    # fixed by default, which the report says)
    p = read_pattern(shared_data / "xrd-lab6-xye-xrayutilities" / "LaB6_d500_si_psd.xye.bz2")
    p = p.with_wavelength(Wavelength.copper()).crop(18, 80)
    start = Cell(4.1569, 4.1569, 4.1569, spacegroup="P m -3 m")
    both = pawley_refine(p, start, refine_zero=True)
    rho = both.zero_displacement_correlation
    assert rho is not None and abs(rho) > 0.9
    assert "correlation" in both.report() and "prefer a fixed zero" in both.report()
    default = pawley_refine(p, start)
    assert default.zero_displacement_correlation is None and not default.zero_refined
    assert "zero fixed at 0°" in default.report()
