"""Readers: every thermal file in ../shared/data, and broken inputs.

Truths: point counts and units from the files themselves (line counts, header keys and the
column units written in the files, checked by hand); SOURCE/README values for masses.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from mofglass.errors import InputFormatError
from mofglass.thermal import read_thermogram
from mofglass.thermal.readers import parse_thermogram
from mofglass.thermal.readers.netzsch import parse_segment
from tests.thermal.conftest import shared

# file, fmt, points (data lines minus sentinel rows), T range °C (first/last rounded), channels
CASES = [
    # MaCFP FSRI: 1001 lines = 2 header lines + 999 rows; [K] -> °C (323 K = 49.85 °C)
    ("macfp-pmma-dsc-tga-netzsch/FSRI_DSC_N2_10K_1.csv", "csv", 999, (49.85, 548.85), ("heat",)),
    ("macfp-pmma-dsc-tga-netzsch/FSRI_DSC_N2_3K_1.csv", "csv", 1004, None, ("heat",)),
    ("macfp-pmma-dsc-tga-netzsch/FSRI_DSC_N2_20K_1.csv", "csv", 991, None, ("heat",)),
    ("macfp-pmma-dsc-tga-netzsch/FSRI_DSC_N2_30K_3.csv", "csv", 985, None, ("heat",)),
    ("macfp-pmma-dsc-tga-netzsch/FSRI_TGA_N2_10K_1.csv", "csv", 999, None, ("mass",)),
    ("macfp-pmma-sandia-sta/Sandia_DSC_Ar_1K_1.csv", "csv", 1139, None, ("heat",)),
    ("macfp-pmma-sandia-sta/Sandia_DSC_Ar_50K_1.csv", "csv", 5081, None, ("heat",)),
    # NETZSCH DATA ALL: 6772 lines - 38 header lines - 1 trailing blank = 6733 rows; 1141 - 46 - 1
    (
        "sta-netzsch-ulfsri/DF_FILED_DES_STA_N2_10K_231028_R1.csv",
        "netzsch",
        6733,
        (26.714, 699.914),
        ("heat", "mass"),
    ),
    (
        "sta-netzsch-ulfsri/DF_FILED_VAL_STA_N2_10K_240211_R1.csv",
        "netzsch",
        1094,
        None,
        ("heat", "mass"),
    ),
    # TA UA: 19035 lines - 31 header - 4 sentinel rows (time -1) = 19000
    ("dsc-tainstruments-eicosane/sample_dsc_tainstruments.txt", "ta", 19000, None, ("heat",)),
    # Setaram UTF-16: 13002 rows; 22801 rows for the cp runs
    ("tgdsc-setaram/sample_dsc_setaram.txt", "setaram", 13002, None, ("heat",)),
    ("cp-sapphire-setaram/sample.txt", "setaram", 22801, None, ("heat",)),
    # Mettler: 2 header lines; 3420 lines - 2 = 3418 rows
    (
        "tga-mettler-pmma/tga_dynamic_n2_dyn10_powder_1mg_r1.txt",
        "mettler",
        3418,
        (130.647, 696.986),
        ("mass",),
    ),
    ("tga-mettler-pmma/tga_dynamic_n2_dyn60_powder_1mg_r1.txt", "mettler", 568, None, ("mass",)),
]


@pytest.mark.parametrize(("rel", "fmt", "n", "trange", "chans"), CASES)
def test_shared_files_read(rel: str, fmt: str, n: int, trange, chans) -> None:  # type: ignore[no-untyped-def]
    tr = read_thermogram(shared(rel))
    assert tr.fmt == fmt
    assert len(tr) == n
    if trange is not None:
        # first/last sample temperature as written in the file (K converted exactly)
        assert tr.temperature_C[0] == pytest.approx(trange[0], abs=1e-6)
        assert tr.temperature_C[-1] == pytest.approx(trange[1], abs=1e-6)
    assert ("heat" in chans) == (tr.heat_flow_W_g is not None)
    assert ("mass" in chans) == (tr.mass_mg is not None)
    assert np.all(np.diff(tr.time_s) >= 0)


#: thermal-analysis folders of ../shared/data: found by name, not listed (a new folder is checked)
_THERMAL = re.compile(r"(^|[-_])(dsc|tga|sta|tgdsc|dta|cp)([-_]|$)")
_NOT_DATA = {"SOURCE.txt", "README.md", "README.txt", "LICENSE"}


@pytest.mark.slow
def test_every_thermal_shared_file_reads_or_fails_clearly(shared_data: Path) -> None:
    """Every DSC/TGA/STA file reads with sane channels, or is refused with the right reason."""
    refused = {
        # locale-corrupted Setaram CSVs: "50.026.184" beside "5.002.491" in one column
        "sample_dsc_setaram.csv": "digit groups",
        "sample_tga_data.csv": "digit groups",
        # blank and sapphire runs have no sample mass in the header (0 mg)
        "zero.txt": "sample mass",
        "sapphire.txt": "sample mass",
    }
    folders = sorted(d for d in shared_data.iterdir() if d.is_dir() and _THERMAL.search(d.name))
    assert {"tga-multivendor-pytga", "netzsch-ngb-native-sta", "tgdsc-setaram"} <= {
        d.name for d in folders
    }
    seen = 0
    for folder in folders:
        for f in sorted(folder.iterdir()):
            if f.name in _NOT_DATA or f.suffix == ".json":
                continue
            seen += 1
            if f.name in refused:
                with pytest.raises(InputFormatError, match=refused[f.name]) as exc:
                    read_thermogram(f)
                assert "\n" not in str(exc.value) and f.name in str(exc.value)
                continue
            tr = read_thermogram(f, require_mass=False)
            T = tr.temperature_C
            assert len(tr) > 100, f.name
            assert np.all(np.diff(tr.time_s) >= 0), f.name
            assert -200.0 < T.min() and T.max() < 1700.0 and np.ptp(T) > 50.0, f.name
            channels = (tr.heat_flow_W_g, tr.heat_flow_mW, tr.mass_mg, tr.dta)
            assert any(c is not None for c in channels), f.name
            if tr.mass_mg is not None and tr.sample_mass_mg:
                # the balance starts at the stated sample mass (mass in % -> % of 100)
                assert tr.mass_mg[0] == pytest.approx(tr.sample_mass_mg, rel=0.05), f.name
    assert seen == 39


def test_units_and_metadata() -> None:
    # FSRI: [K] -> °C, [mW/mg] = W/g unchanged (row 3 of the file: 28.4,323,6.87E-03)
    tr = read_thermogram(shared("macfp-pmma-dsc-tga-netzsch/FSRI_DSC_N2_10K_1.csv"))
    assert tr.time_s[0] == 28.4 and tr.heat_flow_W_g is not None
    assert tr.heat_flow_W_g[0] == pytest.approx(6.87e-3)
    assert tr.exo_up is None and any("exo direction" in w for w in tr.warnings)
    # NETZSCH header: mass 4.05 mg, #EXO -1 (with exothermic-positive data), crucible, min -> s
    nz = read_thermogram(shared("sta-netzsch-ulfsri/DF_FILED_DES_STA_N2_10K_231028_R1.csv"))
    assert nz.sample_mass_mg == 4.05 and nz.exo_up is True
    assert "PtRh20" in nz.metadata["crucible"] and nz.encoding == "cp1252"
    assert nz.time_s[0] == pytest.approx(20.00417 * 60)
    # mass in % of 4.05 mg: first row 97.06148 %
    assert nz.mass_mg is not None and nz.mass_mg[0] == pytest.approx(0.9706148 * 4.05)
    seg = read_thermogram(shared("sta-netzsch-ulfsri/DF_FILED_VAL_STA_N2_10K_240211_R1.csv"))
    assert len(seg.metadata["segments"]) == 9
    assert seg.metadata["segments"][1]["rate_K_min"] == 20.0
    # TA: mW / 9.00 mg -> W/g, Exotherm Up, sentinel rows dropped with a warning, cp437 degree
    ta = read_thermogram(shared("dsc-tainstruments-eicosane/sample_dsc_tainstruments.txt"))
    assert ta.sample_mass_mg == 9.0 and ta.exo_up is True
    assert ta.heat_flow_W_g is not None and ta.heat_flow_W_g[0] == pytest.approx(-10.46185 / 9.0)
    assert any("sentinel" in w for w in ta.warnings)
    assert any("Windows-1252" in w for w in ta.warnings)
    # Setaram UTF-16: 34.04 mg from the header, defaults and exo direction warned
    st = read_thermogram(shared("tgdsc-setaram/sample_dsc_setaram.txt"))
    assert st.encoding == "utf-16" and st.sample_mass_mg == 34.04
    assert any("defaults" in w for w in st.warnings) and any(
        "exo direction" in w for w in st.warnings
    )
    # Setaram blank without mass: readable on request, kept in mW
    z = read_thermogram(shared("cp-sapphire-setaram/zero.txt"), require_mass=False)
    assert z.heat_flow_W_g is None and z.heat_flow_mW is not None
    assert z.heat_flow_mW[0] == pytest.approx(-14.103196)


def test_parse_segment() -> None:
    assert parse_segment("25°C/10.0(K/min)/700°C") == {
        "kind": "heating",
        "start_C": 25.0,
        "end_C": 700.0,
        "rate_K_min": 10.0,
    }
    assert parse_segment("250°C/00:10/250°C")["hold_min"] == 10.0
    assert parse_segment("457°C/42.0(K/min)/30°C")["rate_K_min"] == -42.0


GOOD = "Time (s),Temperature (°C),Heat Flow (W/g)\n0,25.0,0.10\n1,25.2,0.11\n2,25.4,0.12\n"


def test_decimal_comma_detected_and_reported() -> None:
    text = "Time (s);Temperature (°C);Heat Flow (W/g)\n0;25,0;0,10\n1;25,2;0,11\n2;25,4;0,12\n"
    tr = parse_thermogram(text, exo_up=False)
    assert tr.temperature_C[1] == pytest.approx(25.2)
    assert any("decimal comma" in w for w in tr.warnings)


def test_trios_style_with_units_row_and_comma() -> None:
    text = (
        "Filename\trun.tri\nSample name\tPMMA\nSample mass\t5,20\tmg\n"
        "[step]\nRamp 10,00 °C/min to 200,00 °C\n"
        "Time\tTemperature\tHeat Flow (Normalized)\n(min)\t(°C)\t(W/g)\n"
        "0,0\t25,0\t-0,10\n0,1\t26,0\t-0,11\n0,2\t27,0\t-0,12\n"
    )
    tr = parse_thermogram(text, "trios.txt", exo_up=True)
    assert tr.fmt == "ta" and tr.sample_mass_mg == pytest.approx(5.2)
    assert tr.time_s[2] == pytest.approx(12.0) and tr.heat_flow_W_g is not None
    assert tr.heat_flow_W_g[2] == pytest.approx(-0.12)


@pytest.mark.parametrize(
    ("text", "match"),
    [
        # truncated: the last row lost its last column
        (GOOD + "3,25.6", "expected 3 columns"),
        # mixed decimal marks
        ("Time (s);Temperature (°C);Heat Flow (W/g)\n0;25,0;0,10\n1;25.2;0,11\n", "decimal"),
        # non-monotonic time
        (
            "Time (s),Temperature (°C),Heat Flow (W/g)\n0,25.0,0.1\n5,25.2,0.1\n3,25.4,0.1\n",
            "non-decreasing time",
        ),
        # missing mass for heat flow in mW
        (
            "Time (s),Temperature (°C),Heat Flow (mW)\n0,25.0,0.1\n1,25.2,0.1\n2,25.4,0.1\n",
            "sample mass",
        ),
        # no temperature column
        ("Time (s),Heat Flow (W/g)\n0,0.1\n1,0.1\n", "temperature"),
        # header only
        ("Time (s),Temperature (°C)\n", "numeric data"),
    ],
)
def test_broken_text_gives_clear_error(text: str, match: str) -> None:
    with pytest.raises(InputFormatError, match=match):
        parse_thermogram(text, "broken.csv", exo_up=False)


def test_error_names_line(tmp_path: Path) -> None:
    f = tmp_path / "t.csv"
    f.write_text("Time (s),Temperature (°C),Heat Flow (W/g)\n0,25.0,0.1\n1,2x,0.1\n")
    with pytest.raises(InputFormatError) as exc:
        read_thermogram(f)
    assert str(exc.value).startswith("t.csv:3:2: expected a number")


def test_wrong_encoding_binary_and_utf16_without_bom(tmp_path: Path) -> None:
    b = tmp_path / "bin.txt"
    b.write_bytes(b"\x00\x01\x02\x03" * 100 + b"\x00abc\x00")
    with pytest.raises(InputFormatError, match="text"):
        read_thermogram(b)
    u = tmp_path / "u16.csv"
    u.write_bytes(GOOD.encode("utf-16-le"))  # no BOM: decoded, and said so
    tr = read_thermogram(u, exo_up=False)
    assert len(tr) == 3 and any("byte-order mark" in w for w in tr.warnings)
    lat = tmp_path / "latin.csv"
    lat.write_bytes(GOOD.encode("latin-1"))
    tr = read_thermogram(lat, exo_up=False)
    assert any("Windows-1252" in w for w in tr.warnings)
    e = tmp_path / "empty.csv"
    e.write_text("   \n")
    with pytest.raises(InputFormatError, match="empty"):
        read_thermogram(e)


def test_input_not_modified_and_frozen(tmp_path: Path) -> None:
    f = tmp_path / "g.csv"
    f.write_text(GOOD)
    before = f.read_bytes()
    tr = read_thermogram(f, exo_up=False)
    assert f.read_bytes() == before
    with pytest.raises(ValueError, match="read-only"):
        tr.temperature_C[0] = 1.0


def test_mettler_stare_curve_values() -> None:
    # STARe export layout (Curve Values block, units row, Results after the data)
    text = (
        "Curve Name:\n  PMMA 10 K/min\nSample:\n  PMMA, 10.1230 mg\nCurve Values:\n"
        "       Index             t            Ts            Tr         Value\n"
        "                       [s]          [°C]          [°C]          [mW]\n"
        "           0        0.0000       25.0000       25.0000       -0.5000\n"
        "           1        1.0000       25.1667       25.1667       -0.5100\n"
        "           2        2.0000       25.3333       25.3333       -0.5200\n"
        "Results:\n  none\n"
    )
    tr = parse_thermogram(text, "stare.txt", exo_up=True)
    assert tr.fmt == "mettler" and tr.sample_mass_mg == pytest.approx(10.123)
    assert tr.heat_flow_W_g is not None
    assert tr.heat_flow_W_g[2] == pytest.approx(-0.52 / 10.123)
    assert tr.temperature_C[1] == pytest.approx(25.1667)


def test_netzsch_decimal_comma_semicolon() -> None:
    # a German-locale NETZSCH export: #DECIMAL: COMMA, #SEPARATOR: SEMICOLON
    text = (
        "#EXPORTTYPE:;DATA ALL\n#DECIMAL:;COMMA\n#SEPARATOR:;SEMICOLON\n#SAMPLE MASS /mg:;5,00\n"
        "#EXO:;1\n\n##Temp./°C;Time/min;DSC/(mW/mg)\n25,0;0,0;0,10\n25,5;0,05;0,11\n26,0;0,1;0,12\n"
    )
    tr = parse_thermogram(text, "de.csv")
    assert tr.fmt == "netzsch" and tr.exo_up is False  # "#EXO: 1": endothermic positive
    assert tr.temperature_C[1] == pytest.approx(25.5) and tr.time_s[2] == pytest.approx(6.0)
