"""Sample temperatures read from real pattern files (for ``mofglass pxrd-series``).

Truths: the 11-BM sucrose file's header line ``# Temp (K) = 100.0`` (APS 11-BM, run 8716);
Bruker's UXD ``_TEMP_RATE=-1`` is a ramp setting, not a temperature; an XRDML scan carries the
logged temperature as ``nonAmbientPoints type="Temperature"`` (the PANalytical schema, read
the same way by GSAS-II's importer), here added to a real in-situ scan.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mofglass.diffraction.readers import read_pattern
from mofglass.diffraction.temperature import pattern_temperature


def test_11bm_header_temperature(shared_data: Path) -> None:
    p = read_pattern(shared_data / "pxrd-11bm-gsas-fxye" / "11bmb_8716.fxye")
    t = pattern_temperature(p.metadata, p.source)
    assert t is not None and t.temperature_K == 100.0 and not t.warning
    assert "Temp (K)" in t.origin


def test_no_temperature_is_not_invented(shared_data: Path) -> None:
    for name in ("xrd-bruker-raw-uxd-xylib/BT86_.UXD", "xrd-insitu-series-xrdml/Scan_C1.xrdml"):
        p = read_pattern(shared_data / name)
        assert pattern_temperature(p.metadata, p.source) is None
    # a number without a unit in the name is not a temperature
    p = read_pattern(shared_data / "pxrd-henke-group-examples" / "sample-C_300_001_00000.xy")
    assert pattern_temperature(p.metadata, p.source) is None


def test_xrdml_non_ambient_temperature(shared_data: Path, tmp_path: Path) -> None:
    src = shared_data / "xrd-insitu-series-xrdml" / "Scan_C1.xrdml"
    text = src.read_text(encoding="utf-8")
    block = (
        '<nonAmbientPoints type="Temperature"><positions axis="Time" unit="s">'
        "<listPositions>0 450 900</listPositions></positions>"
        '<nonAmbientValues unit="°C">99.0 100.0 101.0</nonAmbientValues></nonAmbientPoints>'
    )
    assert text.count("</dataPoints>") == 1
    out = tmp_path / "hot.xrdml"
    out.write_text(text.replace("</dataPoints>", "</dataPoints>" + block), encoding="utf-8")
    t = pattern_temperature(read_pattern(out).metadata, "hot.xrdml")
    assert t is not None and t.temperature_K == pytest.approx(373.15)


def test_file_name_fallback_warns(shared_data: Path, tmp_path: Path) -> None:
    f = tmp_path / "LaB6_-20.5C.xye.bz2"
    shutil.copy(shared_data / "xrd-lab6-xye-xrayutilities" / "LaB6_d500_si_psd.xye.bz2", f)
    p = read_pattern(f)
    t = pattern_temperature(p.metadata, p.source)
    assert t is not None and t.temperature_K == pytest.approx(252.65)
    assert "file name" in t.warning
