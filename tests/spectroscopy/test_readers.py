"""Readers: real JASCO files, hand-written JCAMP-DX / text / TopSpin files, broken files."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pytest

from mofglass.errors import InputFormatError
from mofglass.spectroscopy import (
    Spectrum,
    absorbance_to_transmittance,
    read_spectrum,
    transmittance_to_absorbance,
)
from mofglass.spectroscopy.readers import (
    format_jcamp,
    parse_jcamp,
    parse_topspin_txt,
    parse_two_column,
)
from mofglass.spectroscopy.readers.jasco import parse_legacy_jws_streams


def test_jasco_csv_real(jasco_dir: Path) -> None:
    # header of the export: NPOINTS 12447, FIRSTX 999.9101, LASTX 7000.3350, DELTAX 0.482117
    s = read_spectrum(jasco_dir / "ftir_test.csv")
    assert s.metadata["format"] == "jasco-csv"
    assert len(s) == 12447
    assert s.x[0] == pytest.approx(999.9101, abs=1e-4)
    assert s.x[-1] == pytest.approx(7000.3350, abs=1e-4)
    assert s.y[0] == pytest.approx(0.572538, abs=1e-6)  # first data row
    assert (s.x_unit, s.y_kind) == ("wavenumber_cm1", "absorbance")
    # equidistant grid: x_i = FIRSTX + i*DELTAX to the 4 printed decimals (+ DELTAX rounding)
    grid = 999.9101 + 0.482117 * np.arange(12447)
    assert np.max(np.abs(s.x - grid)) < 5e-3


def test_jws_real(jasco_dir: Path) -> None:
    # JASCOFiles.jl design note: FT/IR-4600typeA, 12447 points 999.9101..7000.335 cm-1,
    # absorbance, y[1] = 0.0188 (a different measurement from the CSV: ZIF-62-Zn)
    s = read_spectrum(jasco_dir / "ftir_test.jws")
    assert len(s) == 12447
    assert s.x[0] == pytest.approx(999.9101, abs=1e-4)
    assert s.x[-1] == pytest.approx(7000.335, abs=1e-3)
    assert s.y_kind == "absorbance"
    assert s.y[0] == pytest.approx(0.0188, abs=1e-4)
    assert s.metadata["SPECTROMETER/DATA SYSTEM"] == "FT/IR-4600typeA"


def _jws_bytes(n: int = 10, ycode: int = 3, model: bytes = b"FT/IR-4600typeA") -> bytes:
    b = bytearray(0x740)
    b[0:4] = b"L~S "
    b[0x08:0x0F] = b"SPECMAN"
    b[0x20:0x26] = b"R2.0.0"
    struct.pack_into("<i3d", b, 0x84, n, 400.0, 400.0 + 2 * (n - 1), 2.0)
    b[0xA0], b[0xA4] = 0, ycode
    struct.pack_into("<q", b, 0xC8, 4 * n)
    b[0x140 : 0x140 + len(model)] = model
    return bytes(b) + np.linspace(0, 90, n).astype("<f4").tobytes()


def test_jws_synthetic_and_errors(tmp_path: Path) -> None:
    p = tmp_path / "t.jws"
    p.write_bytes(_jws_bytes(ycode=0))  # %T, x = 400 + 2 i
    s = read_spectrum(p)
    assert s.y_kind == "transmittance"
    np.testing.assert_allclose(s.x, 400 + 2 * np.arange(10))
    np.testing.assert_allclose(s.y, np.linspace(0, 90, 10), rtol=1e-6)  # float32 exact here
    p.write_bytes(_jws_bytes(ycode=0x55))
    with pytest.raises(InputFormatError, match="y-mode"):
        read_spectrum(p)
    p.write_bytes(_jws_bytes(model=b"NRS-4500"))
    with pytest.raises(InputFormatError, match="FT/IR"):
        read_spectrum(p)
    p.write_bytes(_jws_bytes()[:-8])  # truncated data block
    with pytest.raises(InputFormatError, match="NPOINTS"):
        read_spectrum(p)
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    with pytest.raises(InputFormatError, match="OLE2"):  # broken OLE2 (or no olefile)
        read_spectrum(p)


JCAMP_IR = """##TITLE=hand-written test
##JCAMP-DX=4.24
##DATA TYPE=INFRARED SPECTRUM
##XUNITS=1/CM
##YUNITS=TRANSMITTANCE
##XFACTOR=1
##YFACTOR=0.001
##FIRSTX=400
##LASTX=414
##NPOINTS=8
##XYDATA=(X++(Y..Y))
400 1000 900-5
406 500,250 100 +50
412 10 1
##END=
"""


def test_jcamp_xydata_affn() -> None:
    # x = 400..414 step 2; y = [1000, 900, -5, 500, 250, 100, 50, 10, 1] -> wait: 8 ordinates
    text = JCAMP_IR.replace("412 10 1", "412 10")
    s = parse_jcamp(text)
    np.testing.assert_allclose(s.x, np.arange(400, 415, 2.0))
    # AFFN separators: blank, comma, sign; YFACTOR 0.001; fractional T -> percent (x100)
    np.testing.assert_allclose(s.y, 100 * 0.001 * np.array([1000, 900, -5, 500, 250, 100, 50, 10]))
    assert s.y_kind == "transmittance" and s.x_unit == "wavenumber_cm1"
    with pytest.raises(InputFormatError, match="NPOINTS = 8"):
        parse_jcamp(JCAMP_IR)  # 9 ordinates for 8 points


def test_jcamp_xypoints_hz_and_roundtrip(tmp_path: Path) -> None:
    text = (
        "##TITLE=nmr\n##DATA TYPE=NMR SPECTRUM\n##.OBSERVE FREQUENCY=100.0\n##XUNITS=HZ\n"
        "##YUNITS=ARBITRARY UNITS\n##XYPOINTS=(XY..XY)\n43300, 5; 43200, 7\n##END=\n"
    )
    s = parse_jcamp(text)
    np.testing.assert_allclose(s.x, [433.0, 432.0])  # Hz / MHz = ppm, closed form
    np.testing.assert_allclose(s.y, [5.0, 7.0])
    assert s.x_unit == "shift_ppm" and s.y_kind == "intensity"
    x = np.linspace(300.0, 560.0, 261)
    orig = Spectrum(x, np.exp(-(((x - 433) / 5) ** 2)), "shift_ppm", "intensity")
    p = tmp_path / "a.jdx"
    p.write_text(format_jcamp(orig, title="t"))
    back = read_spectrum(p)
    np.testing.assert_allclose(back.x, x)
    # ordinates are written as integers of YFACTOR = max/1e6: error <= 0.5e-6 of max
    np.testing.assert_allclose(back.y, orig.y, atol=6e-7)


def test_jcamp_compressed_equals_affn() -> None:
    # the same 8 ordinates in SQZ/DIF form: 1000, 900 (j00 = -100), -5 (r05 = -905); the next
    # line starts with the Y check (e = -5), then 500 (N05 = +505), 250, 100, 50, 10
    text = JCAMP_IR.replace("400 1000 900-5\n406 500,250 100 +50\n412 10 1\n", "")
    text = text.replace(
        "##XYDATA=(X++(Y..Y))\n", "##XYDATA=(X++(Y..Y))\n400A000j00r05\n404eN05k50j50n0m0\n"
    )
    np.testing.assert_allclose(parse_jcamp(text).y, parse_jcamp(JCAMP_IR.replace(" 1\n", "\n")).y)
    with pytest.raises(InputFormatError, match="Y check value -5") as e:
        parse_jcamp(text.replace("404e", "404f"))
    assert e.value.line == 13


def test_two_column_decimal_comma_and_header() -> None:
    text = "Wavenumber [cm-1];%T\n4000,5;90,1\n3999,5;89,9\n3998,5;10\n"
    s = parse_two_column(text)
    np.testing.assert_allclose(s.x, [4000.5, 3999.5, 3998.5])
    np.testing.assert_allclose(s.y, [90.1, 89.9, 10.0])
    assert s.y_kind == "transmittance"
    # A = -log10(T/100): T = 10 % -> A = 1 exactly
    assert s.as_absorbance().y[2] == pytest.approx(1.0, abs=1e-12)
    s2 = parse_two_column("# shift (ppm)\tintensity\n433\t1.5\n432\t2.5\n")
    assert s2.x_unit == "shift_ppm" and s2.y_kind == "intensity"
    s3 = parse_two_column("1000,0.5\n1001,0.6\n")  # comma as column separator
    np.testing.assert_allclose(s3.y, [0.5, 0.6])
    with pytest.raises(InputFormatError, match=":3: expected two numeric columns"):
        parse_two_column("1000 0.5\n1001 0.6\n1002 abc\n", "bad.txt")


def test_topspin_totxt() -> None:
    text = (
        "# File created = Tuesday\n# Data set = cd 1 1 /opt/data\n# Spectral Region:\n"
        "# LEFT = 500.0 ppm. RIGHT = 400.0 ppm.\n#\n# SIZE = 5 ( = number of points)\n#\n"
        "1\n2\n3\n2\n1\n"
    )
    s = parse_topspin_txt(text)
    np.testing.assert_allclose(s.x, [500, 475, 450, 425, 400])  # LEFT..RIGHT, 5 points
    np.testing.assert_allclose(s.y, [1, 2, 3, 2, 1])
    with pytest.raises(InputFormatError, match="SIZE = 5"):
        parse_topspin_txt(text + "7\n")


def test_conversions_closed_form() -> None:
    a = np.array([0.0, 1.0, 2.0])
    np.testing.assert_allclose(absorbance_to_transmittance(a), [100.0, 10.0, 1.0])
    np.testing.assert_allclose(transmittance_to_absorbance(absorbance_to_transmittance(a)), a)


def test_missing_and_unknown(tmp_path: Path) -> None:
    with pytest.raises(InputFormatError, match="existing spectrum file"):
        read_spectrum(tmp_path / "nope.csv")
    p = tmp_path / "x.csv"
    p.write_text("TITLE,\nXUNITS,1/CM\nYUNITS,ABSORBANCE\nNPOINTS,3\nXYDATA\n1,2\n3,4\n")
    with pytest.raises(InputFormatError, match="NPOINTS = 3"):
        read_spectrum(p)


def _data_info(n: int, ycode: int = 0, nchan: int = 1) -> bytes:
    b = bytearray(96)
    struct.pack_into("<6I", b, 0, 3, 1, 0, nchan, 1, n)
    struct.pack_into("<3d", b, 0x18, 500.0, 500.0 + 0.5 * (n - 1), 0.5)
    struct.pack_into("<4I", b, 0x30, 0x10000100, ycode, 0x10000100, ycode)
    return bytes(b)


def test_legacy_jws_streams() -> None:
    # DataInfo/Y-Data layout of the JASCOFiles.jl legacy-jws specification, built by hand:
    # 6 points from 500 cm-1 step 0.5, %T (code 0), y = 10, 20, ..., 60
    y = np.arange(10, 70, 10, dtype="<f4")
    s = parse_legacy_jws_streams(_data_info(6), y.tobytes(), "old.jws")
    np.testing.assert_allclose(s.x, 500 + 0.5 * np.arange(6))
    np.testing.assert_allclose(s.y, y)
    assert s.y_kind == "transmittance"
    with pytest.raises(InputFormatError, match="NPOINTS"):
        parse_legacy_jws_streams(_data_info(7), y.tobytes(), "old.jws")
    with pytest.raises(InputFormatError, match="single-channel"):
        parse_legacy_jws_streams(_data_info(6, nchan=2), y.tobytes(), "old.jws")
    with pytest.raises(InputFormatError, match="y-mode"):
        parse_legacy_jws_streams(_data_info(6, ycode=5), y.tobytes(), "old.jws")


def test_ole2_that_is_not_a_jws(tmp_path: Path, jasco_dir: Path) -> None:
    # a real OLE2 file from the shared data (an Excel workbook) renamed .jws: clear error
    pytest.importorskip("olefile")
    xls = jasco_dir.parent / "nanoindentation-micromechanics" / "Example.xls"
    if not xls.is_file():
        pytest.skip("no OLE2 example file in shared data")
    p = tmp_path / "fake.jws"
    p.write_bytes(xls.read_bytes())
    with pytest.raises(InputFormatError, match="DataInfo and Y-Data"):
        read_spectrum(p)
