"""Readers: every shared file reads with the point counts its header (or archive) declares;
broken copies raise InputFormatError naming the file and line."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from mofglass.errors import InputFormatError
from mofglass.mechanics import read_indentations, synthetic_indentation
from mofglass.mechanics.readers import format_hysitron_txt, parse_hysitron_txt
from tests.mechanics.conftest import shared_file


def test_hysitron_txt_point_count(indent_data: Path) -> None:
    # truth: header "Number of Points = 5304"; load column in µN (max 3000 µN = 3 mN)
    (t,) = read_indentations(shared_file(indent_data, "RobinSteel0000LC.txt"))
    assert len(t) == 5304 and t.instrument == "hysitron-txt"
    assert t.load_mN.max() == pytest.approx(3.000027013, rel=1e-9)
    assert t.metadata["segment_starts"] == [201, 305, 2305, 3305]  # blank lines in the file


def test_hysitron_hld_point_count_and_tip(indent_data: Path) -> None:
    # truth: "Test Data Points: 1068", "Tip C0: 24.5", "Machine Comp: 0.00663947 nm/µN"
    (t,) = read_indentations(shared_file(indent_data, "Exp-50mN_0000.hld"))
    assert len(t) == 1068
    assert t.metadata["area_coefficients"][:2] == [24.5, -329697.0]
    assert t.metadata["frame_compliance_nm_mN"] == pytest.approx(6.63947, rel=1e-9)
    assert t.load_mN.max() == pytest.approx(50.2, abs=0.1)  # 50 mN demand


def test_fischerscope_ten_tests(indent_data: Path) -> None:
    # truth: 10 test headers, each with a 1200-row F h t table; vendor EIT/(1-vs^2) 83.7 GPa (1st)
    tests = read_indentations(shared_file(indent_data, "FS1.txt"))
    assert [len(t) for t in tests] == [1200] * 10
    assert tests[0].metadata["vendor_plane_strain_modulus_GPa"] == 83.7
    assert tests[0].load_mN.max() == pytest.approx(299.995, abs=1e-3)  # 300 mN test
    assert tests[0].depth_nm.max() == pytest.approx(1538.35, abs=0.01)  # µm -> nm, decimal comma


def test_micromaterials_zip(indent_data: Path) -> None:
    # truth: 39 members; line counts of the first member = 886
    path = shared_file(indent_data, "multipleIndentations.zip")
    tests = read_indentations(path)
    with zipfile.ZipFile(path) as z:
        counts = [len(z.read(n).decode().splitlines()) for n in z.namelist()]
    assert len(tests) == 39 and [len(t) for t in tests] == counts and counts[0] == 886


@pytest.mark.parametrize(("name", "n_tests"), [("Example.xls", 2), ("FS_Calibration.xls", 16)])
def test_agilent_xls(indent_data: Path, name: str, n_tests: int) -> None:
    pytest.importorskip("xlrd")
    tests = read_indentations(shared_file(indent_data, name))
    assert len(tests) == n_tests
    # truth: sheet "Test 001" of FS_Calibration has 1214 rows = 2 header + 1211 data + END
    t1 = next(t for t in tests if t.name == "Test 001")
    assert t1.metadata["declared_points"] == 1211
    assert len(t1) == 1211  # every row has depth, load and time
    assert t1.has_csm and t1.metadata["poisson_ratio"] == 0.18
    assert t1.metadata["area_coefficients"] == [27.3136, 152.6988585, -494.1823171]


def test_hysitron_round_trip() -> None:
    # truth: the synthetic curve itself (seed 3); µN written with 6 decimals -> 1e-9 mN
    ind = synthetic_indentation(
        reduced_modulus_GPa=7.0, hardness_GPa=0.8, max_load_mN=2.0, noise_load_mN=1e-3, seed=3
    )
    back = parse_hysitron_txt(format_hysitron_txt(ind), source="x.txt")
    np.testing.assert_allclose(back.load_mN, ind.load_mN, atol=1e-9)
    np.testing.assert_allclose(back.depth_nm, ind.depth_nm, atol=1e-6)


def _copy(src: Path, dst: Path, transform: Callable[[bytes], bytes]) -> Path:
    dst.write_bytes(transform(src.read_bytes()))
    return dst


def test_truncated_hysitron(indent_data: Path, tmp_path: Path) -> None:
    src = shared_file(indent_data, "RobinSteel0000LC.txt")
    bad = _copy(src, tmp_path / "cut.txt", lambda b: b[: len(b) // 2])
    with pytest.raises(InputFormatError, match=r"cut\.txt:\d+: expected 5304 data rows"):
        read_indentations(bad)


def test_garbled_hysitron_number(indent_data: Path, tmp_path: Path) -> None:
    src = shared_file(indent_data, "RobinSteel0000LC.txt")
    lines = src.read_bytes().split(b"\n")
    lines[10] = b"0.3446x97\t1.558231\t0.025024\t-0.001774\t0.480692"
    bad = tmp_path / "garbled.txt"
    bad.write_bytes(b"\n".join(lines))
    with pytest.raises(InputFormatError, match=r"garbled\.txt:11:1: expected a number"):
        read_indentations(bad)


def test_truncated_hld(indent_data: Path, tmp_path: Path) -> None:
    src = shared_file(indent_data, "Exp-50mN_0000.hld")
    bad = _copy(src, tmp_path / "cut.hld", lambda b: b[: int(len(b) * 0.9)])
    with pytest.raises(InputFormatError, match=r"cut\.hld:\d+: expected 1068 data rows"):
        read_indentations(bad)


def test_garbled_fischerscope(indent_data: Path, tmp_path: Path) -> None:
    src = shared_file(indent_data, "FS1.txt")
    bad = _copy(src, tmp_path / "g.txt", lambda b: b.replace(b"0,438949\t", b"0,43#949\t", 1))
    with pytest.raises(InputFormatError, match=r"g\.txt:87:1: expected a number"):
        read_indentations(bad)


def test_broken_zip_and_xls(indent_data: Path, tmp_path: Path) -> None:
    src = shared_file(indent_data, "multipleIndentations.zip")
    bad = _copy(src, tmp_path / "cut.zip", lambda b: b[: len(b) // 3])
    with pytest.raises(InputFormatError, match=r"cut\.zip"):
        read_indentations(bad)
    pytest.importorskip("xlrd")
    xls = shared_file(indent_data, "Example.xls")
    bad_xls = _copy(xls, tmp_path / "cut.xls", lambda b: b[: len(b) // 2])
    with pytest.raises(InputFormatError, match=r"cut\.xls: expected an Excel 97-2003"):
        read_indentations(bad_xls)


def test_unknown_text(tmp_path: Path) -> None:
    p = tmp_path / "x.txt"
    p.write_text("hello\nworld\n")
    with pytest.raises(InputFormatError, match=r"x\.txt:1: expected a Hysitron"):
        read_indentations(p)


def test_garbled_zip_member(indent_data: Path, tmp_path: Path) -> None:
    # one member of the Micromaterials archive has a garbled number on its 5th line
    src = shared_file(indent_data, "multipleIndentations.zip")
    bad = tmp_path / "members.zip"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(bad, "w") as zout:
        for i, name in enumerate(zin.namelist()[:3]):
            data = zin.read(name)
            if i == 1:
                lines = data.split(b"\n")
                lines[4] = b"0.000000\t-3O7.969483\t-0.007740\r"
                data = b"\n".join(lines)
            zout.writestr(name, data)
    with pytest.raises(InputFormatError, match=r"members\.zip!1000nmXX 2 6983 -4555\.txt:5:"):
        read_indentations(bad)
