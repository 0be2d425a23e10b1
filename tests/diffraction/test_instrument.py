"""Instrument files (GSAS .prm, GSAS-II .instprm, mofglass JSON) and the standard workflow.

Truths: the parameter values written in the shared files, converted by the documented closed
forms (Gaussian FWHM² = 8 ln2 σ², centidegrees -> degrees); LaB6 (NIST SRM 660 series) is a
line-profile standard: fitted with its own profile it must be instrument-limited (the data
folder's stated test: size > 500 nm, strain < 2e-4).
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from mofglass.crystallography import Cell
from mofglass.diffraction.instrument import (
    find_instrument_file,
    parse_instprm,
    read_instrument,
    save_instrument,
)
from mofglass.diffraction.pattern import Wavelength
from mofglass.diffraction.pawley import pawley_refine
from mofglass.diffraction.readers import read_pattern
from mofglass.errors import InputFormatError, MofglassError

G = 8 * math.log(2) / 1e4


def test_11bm_prm(shared_data: Path) -> None:
    prof, wl = read_instrument(shared_data / "pxrd-11bm-gsas-fxye" / "11bmb_8716.prm")
    # PRCF11: GU 1.163, GV -0.126, GW 0.063; PRCF12: LX 0.173, LY 0; ICONS 0.4132590
    assert prof.u == pytest.approx(G * 1.163) and prof.v == pytest.approx(G * -0.126)
    assert prof.w == pytest.approx(G * 0.063)
    assert prof.y == pytest.approx(0.00173) and prof.x == 0.0
    # FCJ S/L = H/L = 0.0011 kept as their sum (converted by the whole-pattern fit)
    assert prof.fcj_shl == pytest.approx(0.0022) and "S/L+H/L = 0.0022" in prof.source
    assert wl is not None and wl.ka1_A == 0.413259 and not wl.has_ka2


def test_pbso4_prm_doublet(shared_data: Path) -> None:
    prof, wl = read_instrument(shared_data / "xrd-pbso4-gsas-std-prm" / "INST_XRY.PRM")
    assert wl is not None and (wl.ka1_A, wl.ka2_A, wl.ka2_ratio) == (1.5405, 1.5443, 0.5)
    assert prof.w == pytest.approx(G * 5.0)
    prof_n, wl_n = read_instrument(shared_data / "xrd-pbso4-gsas-std-prm" / "inst_d1a.prm")
    assert wl_n is not None and wl_n.ka1_A == 1.909 and prof_n.w == pytest.approx(G * 651.592)
    assert prof_n.zero_deg == pytest.approx(-0.001)


def test_instprm_text() -> None:
    text = (
        "#GSAS-II instrument parameter file; do not add/delete items!\n"
        "Type:PXC\nBank:1.0\nLam:0.413\nPolariz.:0.99\nZero:0.5\n"
        "U:1.163\nV:-0.126\nW:0.063\nX:0.173\nY:0.0\nZ:0.0\nSH/L:0.002\n"
    )
    prof, wl = parse_instprm(text, source="x.instprm")
    assert prof.u == pytest.approx(G * 1.163) and prof.y == pytest.approx(0.00173)
    assert prof.zero_deg == pytest.approx(0.005)
    assert wl is not None and wl.ka1_A == 0.413
    with pytest.raises(InputFormatError):
        parse_instprm("Type:PNT\nU:1\nV:1\nW:1\n", source="tof.instprm")


def test_json_round_trip_and_no_overwrite(tmp_path: Path, shared_data: Path) -> None:
    prof, wl = read_instrument(shared_data / "pxrd-11bm-gsas-fxye" / "11bmb_8716.prm")
    out = save_instrument(prof, tmp_path / "inst.json", radiation=wl)
    again, wl2 = read_instrument(out)
    assert again == prof and wl2 == wl
    with pytest.raises(MofglassError, match="refusing"):
        save_instrument(prof, out)
    (tmp_path / "bad.json").write_text('{"format": "other"}')
    with pytest.raises(InputFormatError):
        read_instrument(tmp_path / "bad.json")


def test_find_beside(shared_data: Path) -> None:
    f = find_instrument_file(shared_data / "pxrd-11bm-gsas-fxye" / "11bmb_8716.fxye")
    assert f is not None and f.name == "11bmb_8716.prm"


def test_lab6_standard_then_instrument_limited(tmp_path: Path, shared_data: Path) -> None:
    p = read_pattern(shared_data / "xrd-lab6-xye-xrayutilities" / "LaB6_d500_si_psd.xye.bz2")
    p = p.with_wavelength(Wavelength.copper()).crop(18, 148)
    srm660c = Cell(4.156826, 4.156826, 4.156826, spacegroup="P m -3 m")
    std = pawley_refine(p, srm660c, refine_cell=False, refine_zero=True)
    assert std.ok, std.flags
    path = save_instrument(
        std.instrument(source="LaB6"), tmp_path / "i.json", radiation=p.radiation
    )
    inst, _ = read_instrument(path)
    sample = pawley_refine(p, srm660c, instrument=inst)
    assert sample.size_nm is None
    assert sample.size_lower_bound_nm is not None and sample.size_lower_bound_nm.value > 500
    # SOURCE.txt: strain < 2e-4 on this standard. Not significant (< 2σ): a bound only, never
    # a value, never "inf" (the old report printed "microstrain = 0(...)" and "> inf nm")
    assert sample.microstrain is None
    assert sample.microstrain_upper_bound is not None
    assert sample.microstrain_upper_bound.value < 2e-4
    text = sample.report()
    assert "instrument-limited: >" in text and "inf" not in text
    assert "microstrain not resolved: <" in text
    names = {row.quantity for row in sample.rows(sample_id="s", technique="pxrd")}
    assert "microstrain" not in names and "microstrain_upper_bound" in names
