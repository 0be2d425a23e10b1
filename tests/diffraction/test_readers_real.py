"""Every shared real powder file reads with the right point count, 2θ range and wavelength.

Truths are read off the files themselves by independent means (stated per case): the header
fields (XRDML start/end, brml MeasurementPoints/Start/Stop, BANK line, Riet7 start-step-end),
line counts of the text members, and the vendors' wavelength tags.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from mofglass.diffraction import read_pattern, sniff_format

# (folder, file, format, n_points, 2θ first, 2θ last, Kα1 Å or None, Kα2 Å or None)
CASES = [
    # XRDML: <startPosition>4.00656514, <endPosition>69.99936587, 5027 numbers in <intensities>
    (
        "pxrd-formats-nomad",
        "XRD-918-16_10.xrdml",
        "xrdml",
        5027,
        4.00656514,
        69.99936587,
        1.5405980,
        1.5444260,
    ),
    # rasx: Data0/Profile0.txt has 2726 rows, 10.0000 ... 119.0000; Kα1 1.540593, Kα2 1.544414
    (
        "pxrd-formats-nomad",
        "TwoTheta_scan_powder.rasx",
        "rasx",
        2726,
        10.0,
        119.0,
        1.540593,
        1.544414,
    ),
    # RAW v4: range header start 10.0, step 0.0105203, 7134 steps; hardware Kα1 1.5406, no Kα2
    (
        "pxrd-formats-nomad",
        "TwoTheta_scan_scrambled.raw",
        "bruker_raw",
        7134,
        10.0,
        10.0 + 7133 * 0.010520299896597862,
        1.5406,
        None,
    ),
    # brml: MeasurementPoints 2001, TwoTheta Start 44 Stop 48
    (
        "pxrd-formats-nomad",
        "23-012-AG_2thomegascan_long.brml",
        "brml",
        2001,
        44.0,
        48.0,
        1.5406,
        1.54439,
    ),
    # brml: MeasurementPoints 5589, TwoTheta Start 3.0001 Stop 59.9954737408 (Datum rounded)
    (
        "pxrd-henke-group-examples",
        "sample-A-P4-cryst.brml",
        "brml",
        5589,
        3.0001,
        59.9955,
        1.5406,
        1.54439,
    ),
    # Riet7: "5.000 0.020 50.000" -> (50 - 5) / 0.02 + 1 = 2251 counts; Alpha1/Alpha2 in header
    (
        "pxrd-henke-group-examples",
        "sample-B-F-0.20-dry.dat",
        "riet7",
        2251,
        5.0,
        50.0,
        1.54060,
        1.54439,
    ),
    # plain xy: 3399 lines, first 0.017587149, last 45.616391, no wavelength
    (
        "pxrd-henke-group-examples",
        "sample-C_300_001_00000.xy",
        "xy",
        3399,
        0.017587149,
        45.616391,
        None,
        None,
    ),
    # FXYE: BANK 1 49494 ...; first row 50.000000 centideg, last 4998.643179 centideg;
    # "# Calibrated wavelength = 0.413259"
    ("pxrd-11bm-gsas-fxye", "11bmb_8716.fxye", "gsas", 49494, 0.5, 49.98643179, 0.413259, None),
    # headerless chi: 2500 non-blank rows, 3 ... 25
    ("total-scattering-glassure", "Fe81S19.chi", "xy", 2500, 3.0, 25.0, None, None),
]


@pytest.mark.parametrize(("folder", "name", "fmt", "n", "first", "last", "ka1", "ka2"), CASES)
def test_real_file(
    pxrd_data: Path,
    folder: str,
    name: str,
    fmt: str,
    n: int,
    first: float,
    last: float,
    ka1: float | None,
    ka2: float | None,
) -> None:
    path = pxrd_data / folder / name
    assert sniff_format(path) == fmt
    p = read_pattern(path)
    assert len(p) == n
    # tolerance 1e-4° (files store 4-9 decimals; brml Datum rounds to 1e-4)
    assert p.two_theta_deg[0] == pytest.approx(first, abs=1e-4)
    assert p.two_theta_deg[-1] == pytest.approx(last, abs=1e-4)
    assert np.all(np.diff(p.two_theta_deg) > 0)
    assert np.isfinite(p.intensity).all()
    if ka1 is None:
        assert p.radiation is None
    else:
        assert p.radiation is not None
        assert p.radiation.ka1_A == pytest.approx(ka1, abs=1e-6)
        assert p.radiation.ka2_A == (None if ka2 is None else pytest.approx(ka2, abs=1e-6))
    assert p.source == str(path)


def test_fxye_has_esd_and_first_values(pxrd_data: Path) -> None:
    # the row after the BANK line, split by hand: 2θ (centideg), I, esd
    path = pxrd_data / "pxrd-11bm-gsas-fxye" / "11bmb_8716.fxye"
    lines = path.read_text().splitlines()
    bank = next(i for i, ln in enumerate(lines) if ln.startswith("BANK"))
    row = lines[bank + 1].split()
    p = read_pattern(path)
    assert p.sigma is not None
    assert p.intensity[0] == float(row[1])
    assert p.sigma[0] == float(row[2])


def test_pyfai_q_file_converted_with_header_wavelength(pxrd_data: Path) -> None:
    # header "# Wavelength: 1.908e-11" (m) and "# q_A^-1"; first q 1.235171111 Å^-1
    # closed form 2θ = 2 asin(q λ / 4π) with λ = 0.1908 Å
    p = read_pattern(pxrd_data / "total-scattering-glassure" / "Mg2SiO4_ambient.xy")
    expected = np.degrees(2 * np.arcsin(1.235171111 * 0.1908 / (4 * np.pi)))
    assert p.two_theta_deg[0] == pytest.approx(expected, rel=1e-9)
    assert p.metadata["x_axis_in_file"] == "q_invA"


def test_xrdml_matches_raw_numbers(pxrd_data: Path) -> None:
    # the first three intensities as written in the XML text: 1305 1310 1345
    p = read_pattern(pxrd_data / "pxrd-formats-nomad" / "XRD-918-16_10.xrdml")
    assert p.intensity[:3].tolist() == [1305.0, 1310.0, 1345.0]


def test_reading_does_not_modify_file(pxrd_data: Path) -> None:
    path = pxrd_data / "pxrd-henke-group-examples" / "sample-B-F-0.20-dry.dat"
    before = path.read_bytes()
    read_pattern(path)
    assert path.read_bytes() == before
