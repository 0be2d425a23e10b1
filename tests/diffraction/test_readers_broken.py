"""Broken inputs give InputFormatError naming the file, the line and what was expected.

Broken files are made in tmp_path from hand-written text or from cut copies of the shared files;
the shared files themselves are never changed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mofglass.diffraction import read_pattern
from mofglass.diffraction.readers.gsas import parse_gsas
from mofglass.diffraction.readers.rigaku import parse_ras
from mofglass.diffraction.readers.xy import parse_xy
from mofglass.errors import InputFormatError


def _write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    p = tmp_path / name
    if isinstance(content, bytes):
        p.write_bytes(content)
    else:
        p.write_text(content)
    return p


def test_garbage_line_in_xy_names_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "bad.xy", "10.0 5\n10.1 6\n10.2 oops\n10.3 8\n")
    with pytest.raises(InputFormatError) as exc:
        read_pattern(path)
    assert exc.value.line == 3
    assert str(path) in str(exc.value)
    assert "numeric columns" in str(exc.value)


def test_wrong_column_count(tmp_path: Path) -> None:
    path = _write(tmp_path, "bad.xye", "10.0 5 1\n10.1 6 1\n10.2 7\n")
    with pytest.raises(InputFormatError) as exc:
        read_pattern(path)
    assert exc.value.line == 3
    assert "3 numeric columns" in str(exc.value)


def test_single_column(tmp_path: Path) -> None:
    path = _write(tmp_path, "one.xy", "1\n2\n3\n")
    with pytest.raises(InputFormatError) as exc:
        read_pattern(path)
    assert exc.value.line == 1


def test_too_many_columns(tmp_path: Path) -> None:
    path = _write(tmp_path, "four.csv", "1,2,3,4\n2,3,4,5\n")
    with pytest.raises(InputFormatError):
        read_pattern(path)


def test_non_monotonic_two_theta(tmp_path: Path) -> None:
    path = _write(tmp_path, "jump.xy", "10.0 5\n10.1 6\n10.05 7\n10.3 8\n")
    with pytest.raises(InputFormatError) as exc:
        read_pattern(path)
    assert exc.value.line == 3


def test_empty_and_binary_garbage(tmp_path: Path) -> None:
    with pytest.raises(InputFormatError):
        read_pattern(_write(tmp_path, "empty.xy", ""))
    with pytest.raises(InputFormatError):
        read_pattern(_write(tmp_path, "noise.bin", bytes(range(256)) * 8))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputFormatError):
        read_pattern(tmp_path / "absent.xy")


def test_truncated_xrdml_reports_line_and_column(pxrd_data: Path, tmp_path: Path) -> None:
    data = (pxrd_data / "pxrd-formats-nomad" / "XRD-918-16_10.xrdml").read_bytes()
    path = _write(tmp_path, "cut.xrdml", data[: len(data) // 2])
    with pytest.raises(InputFormatError) as exc:
        read_pattern(path)
    assert exc.value.line is not None and exc.value.column is not None
    assert "well-formed XML" in str(exc.value)


def test_truncated_raw(pxrd_data: Path, tmp_path: Path) -> None:
    data = (pxrd_data / "pxrd-formats-nomad" / "TwoTheta_scan_scrambled.raw").read_bytes()
    path = _write(tmp_path, "cut.raw", data[:-1000])
    with pytest.raises(InputFormatError, match="truncated"):
        read_pattern(path)


def test_raw_v3_without_ranges_or_truncated(pxrd_data: Path, tmp_path: Path) -> None:
    path = _write(tmp_path, "old.raw", b"RAW1.01" + bytes(800))
    with pytest.raises(InputFormatError, match="data range"):
        read_pattern(path)
    data = (pxrd_data / "xrd-bruker-raw-uxd-xylib" / "BT86.raw").read_bytes()
    path = _write(tmp_path, "cut3.raw", data[:-100])
    with pytest.raises(InputFormatError, match="truncated"):
        read_pattern(path)


def test_corrupt_brml(pxrd_data: Path, tmp_path: Path) -> None:
    data = (pxrd_data / "pxrd-henke-group-examples" / "sample-A-P4-cryst.brml").read_bytes()
    path = _write(tmp_path, "cut.brml", data[: len(data) // 3])
    with pytest.raises(InputFormatError):
        read_pattern(path, fmt="brml")


def test_truncated_fxye(pxrd_data: Path, tmp_path: Path) -> None:
    lines = (pxrd_data / "pxrd-11bm-gsas-fxye" / "11bmb_8716.fxye").read_text().splitlines()
    path = _write(tmp_path, "cut.fxye", "\n".join(lines[:1000]) + "\n")
    with pytest.raises(InputFormatError, match="49494 points declared"):
        read_pattern(path)


def test_truncated_riet7(pxrd_data: Path, tmp_path: Path) -> None:
    lines = (pxrd_data / "pxrd-henke-group-examples" / "sample-B-F-0.20-dry.dat").read_text()
    path = _write(tmp_path, "cut.dat", "\n".join(lines.splitlines()[:100]) + "\n")
    with pytest.raises(InputFormatError, match="2251 counts"):
        read_pattern(path)


def test_riet7_garbage_count_names_line(tmp_path: Path) -> None:
    text = "Anode Cu Alpha1 1.54060\n  10.0 0.5 12.0\n 1 2 3\n 4 x 5\n"
    with pytest.raises(InputFormatError) as exc:
        read_pattern(_write(tmp_path, "g.dat", text), fmt="riet7")
    assert exc.value.line == 4


# hand-made Rigaku RAS text following the documented layout (*KEY "value" lines)
RAS = """*RAS_DATA_START
*RAS_HEADER_START
*HW_XG_WAVE_LENGTH_ALPHA1 "1.540593"
*HW_XG_WAVE_LENGTH_ALPHA2 "1.544414"
*MEAS_DATA_COUNT "4"
*MEAS_SCAN_UNIT_Y "counts"
*RAS_HEADER_END
*RAS_INT_START
10.00 100 1.0
10.02 120 1.0
10.04 50 10.0
10.06 90 1.0
*RAS_INT_END
*RAS_DATA_END
"""


def test_ras_parse_and_attenuator() -> None:
    p = parse_ras(RAS, source="x.ras")
    assert len(p) == 4
    assert p.intensity[2] == 500.0  # 50 counts x attenuator coefficient 10
    assert p.radiation is not None and p.radiation.ka2_A == 1.544414


def test_ras_truncated_and_bad_row() -> None:
    with pytest.raises(InputFormatError, match="RAS_INT_END"):
        parse_ras(RAS.split("10.04")[0], source="x.ras")
    with pytest.raises(InputFormatError) as exc:
        parse_ras(RAS.replace("10.02 120", "10.02 abc"), source="x.ras")
    assert exc.value.line == 10
    with pytest.raises(InputFormatError, match="MEAS_DATA_COUNT"):
        parse_ras(RAS.replace('"4"', '"5"'), source="x.ras")


def test_ras_sniffed(tmp_path: Path) -> None:
    assert len(read_pattern(_write(tmp_path, "a.ras", RAS))) == 4


def test_gsas_esd_layout() -> None:
    # CONS start 1000 centideg (10°), step 2 centideg; pairs (I, esd)
    text = "title\nBANK 1 3 1 CONS 1000.0 2.0 0 0 ESD\n  10 3  20 4  30 5\n"
    p = parse_gsas(text, source="a.gsa")
    assert p.two_theta_deg.tolist() == pytest.approx([10.0, 10.02, 10.04])
    assert p.intensity.tolist() == [10, 20, 30]
    assert p.sigma is not None and p.sigma.tolist() == [3, 4, 5]


def test_gsas_without_bank() -> None:
    with pytest.raises(InputFormatError, match="BANK"):
        parse_gsas("just text\n1 2 3\n", source="a.fxye")


def test_csv_with_header_and_chi_header() -> None:
    p = parse_xy("2theta;I\n10;1\n11;2\n12;3\n", source="a.csv")
    assert p.two_theta_deg.tolist() == [10, 11, 12]
    chi = "title\n2-Theta Angle (Degrees)\nIntensity\n       3\n 10 1\n 11 2\n 12 3\n"
    assert len(parse_xy(chi, source="a.chi")) == 3
    with pytest.raises(InputFormatError, match="4 data rows as declared"):
        parse_xy(chi.replace("       3", "       4"), source="a.chi")


def test_header_line_after_data_is_error() -> None:
    with pytest.raises(InputFormatError) as exc:
        parse_xy("10 1\n11 2\n2theta I\n12 3\n", source="a.xy")
    assert exc.value.line == 3


def test_q_file_without_wavelength() -> None:
    with pytest.raises(InputFormatError, match="wavelength"):
        parse_xy("# q_A^-1 I\n1.0 5\n1.1 6\n", source="q.xy")
    p = parse_xy("# q_A^-1 I\n1.0 5\n1.1 6\n", source="q.xy", wavelength_A=1.0)
    assert p.radiation is not None and p.radiation.ka1_A == 1.0
