"""Input sanity checks, each on a real file mutated the way a user's file goes wrong.

Truth: what the mutation did (the checks must name it) and the unmutated file passing clean.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from mofglass.errors import InputFormatError
from mofglass.thermal import read_thermogram
from mofglass.thermal.analysis import exo_direction_check
from mofglass.thermal.segments import find_segments
from tests.thermal.conftest import shared

SANDIA = "macfp-pmma-sandia-sta/Sandia_DSC_Ar_1K_1.csv"  # Time [s], Temperature [K], W/g


def _csv_rows(rel: str) -> tuple[list[str], np.ndarray]:
    lines = shared(rel).read_text(encoding="utf-8-sig").splitlines()
    return lines[:2], np.array([[float(v) for v in ln.split(",")] for ln in lines[2:]])


def _write(tmp: Path, head: list[str], data: np.ndarray) -> Path:
    p = tmp / "mutated.csv"
    p.write_text("\n".join(head + [",".join(f"{v:.6g}" for v in row) for row in data]) + "\n")
    return p


def test_unmutated_file_is_clean() -> None:
    tr = read_thermogram(shared(SANDIA), exo_up=False)
    assert not [w for w in tr.warnings if "J/(g K)" in w or "constant" in w]


def test_heat_flow_labelled_w_g_but_in_mw(tmp_path: Path) -> None:
    head, data = _csv_rows(SANDIA)
    data[:, 2] *= 4.903  # the run's sample mass (README): mW written under a W/g label
    tr = read_thermogram(_write(tmp_path, head, data), exo_up=False)
    assert any("not divided by the sample mass" in w for w in tr.warnings)


def test_kelvin_label_on_celsius(tmp_path: Path) -> None:
    head, data = _csv_rows(SANDIA)
    data[:, 1] -= 273.15
    with pytest.raises(InputFormatError, match="labelled K but looks like °C"):
        read_thermogram(_write(tmp_path, head, data), exo_up=False)


def test_time_taken_as_temperature(tmp_path: Path) -> None:
    head, data = _csv_rows(SANDIA)
    data[:, 1] = data[:, 0]
    with pytest.raises(InputFormatError, match="identical to time"):
        read_thermogram(_write(tmp_path, head, data), exo_up=False)


def test_swapped_columns(tmp_path: Path) -> None:
    # a heat-cool run (eicosane, TA) with the time and temperature values swapped
    src = shared("dsc-tainstruments-eicosane/sample_dsc_tainstruments.txt")
    text = src.read_bytes().decode("latin-1").splitlines()
    k = next(i for i, ln in enumerate(text) if ln.startswith("StartOfData")) + 1
    out = text[:k]
    for ln in text[k:]:
        t, T, h = ln.split("\t")
        out.append("\t".join((T, t, h)))
    p = tmp_path / "swapped.txt"
    p.write_bytes("\n".join(out).encode("latin-1"))
    with pytest.raises(InputFormatError, match="swapped"):
        read_thermogram(p)


def test_temperature_jump_names_the_line(tmp_path: Path) -> None:
    head, data = _csv_rows(SANDIA)
    data[500, 1] = 9999.0
    with pytest.raises(InputFormatError, match="jump") as exc:
        read_thermogram(_write(tmp_path, head, data), exo_up=False)
    assert "503" in str(exc.value)  # file line of data row 500 (two header lines)


def test_constant_temperature_warns(tmp_path: Path) -> None:
    head, data = _csv_rows(SANDIA)
    data[:, 1] = 323.15
    tr = read_thermogram(_write(tmp_path, head, data), exo_up=False)
    assert any("temperature is constant" in w for w in tr.warnings)


@pytest.mark.parametrize(("mass", "error"), [("-3.99", True), ("3990", False)])
def test_absurd_sample_mass(tmp_path: Path, mass: str, error: bool) -> None:
    src = shared("sta-netzsch-ulfsri/DF_FILED_VAL_STA_N2_10K_240211_R1.csv")
    raw = src.read_bytes().replace(
        b"#SAMPLE MASS /mg:            ,3.99 ", f"#SAMPLE MASS /mg:            ,{mass} ".encode()
    )
    p = tmp_path / src.name
    p.write_bytes(raw)
    if error:
        with pytest.raises(InputFormatError, match="sample mass > 0"):
            read_thermogram(p)
    else:
        assert any("outside 0.01-1000 mg" in w for w in read_thermogram(p).warnings)


def test_exo_direction_contradicting_the_data() -> None:
    # Setaram Calisto exports are exothermic up; the user forcing exo down is contradicted by
    # the start of the heating (the signal must move endothermic by about Cp·q)
    # (analyse_dsc adds this check's message to its warnings)
    path = shared("tgdsc-setaram/sample_dsc_setaram.txt")
    tr = read_thermogram(path)
    assert exo_direction_check(tr, find_segments(tr)) == ""
    flipped = read_thermogram(path, exo_up=False)
    assert "exo direction contradicts the data" in exo_direction_check(
        flipped, find_segments(flipped)
    )


def test_celsius_label_on_kelvin(tmp_path: Path) -> None:
    # the Sandia 1 K/min run (Temperature [K], from 307.03 K) with its unit relabelled °C
    head, data = _csv_rows(SANDIA)
    head[1] = head[1].replace("[K]", "[°C]")
    tr = read_thermogram(_write(tmp_path, head, data), exo_up=False)
    assert any("starts at 307.03 °C" in w and "in K?" in w for w in tr.warnings)
    assert not any("in K?" in w for w in read_thermogram(shared(SANDIA), exo_up=False).warnings)
