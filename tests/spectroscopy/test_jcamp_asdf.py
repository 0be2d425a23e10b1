"""Compressed JCAMP-DX (ASDF: SQZ/DIF/DUP) on the real JCAMP-DX test-disk and TopSpin files."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest
from scipy.signal import find_peaks

from mofglass.errors import DataWarning, InputFormatError
from mofglass.io import REGISTRY, read
from mofglass.spectroscopy import read_spectrum
from mofglass.spectroscopy.readers.jcamp_asdf import decode_xydata


@pytest.fixture(scope="module")
def jdir(shared_data: Path) -> Path:
    return shared_data / "ftir-nmr-raman-jcamp-topspin"


def _minimum(x: np.ndarray, y: np.ndarray, near: float) -> float:
    """Transmittance minimum within ±6 cm⁻¹ of ``near``, refined by a 3-point parabola."""
    i = np.flatnonzero((x > near - 6) & (x < near + 6))
    k = i[np.argmin(y[i])]
    y0, y1, y2 = y[k - 1 : k + 2]
    return float(x[k] + 0.5 * (y0 - y2) / (y0 - 2 * y1 + y2) * (x[1] - x[0]))


def test_difdup_equals_fix_form(jdir: Path) -> None:
    # SOURCE.txt truth: jtpolys.jdx (FIX) and jtpolysd.jdx (DIFDUP) hold the same 1844 points
    fix = read_spectrum(jdir / "jtpolys.jdx")
    with pytest.warns(DataWarning, match="FIRSTY"):
        # the DIFDUP file's YFACTOR is 2.3884185791e-09 where the FIX file (and its own
        # FIRSTY = 0.9816335) say 2.384185791e-09: a digit slipped into the test-disk header
        dif = read_spectrum(jdir / "jtpolysd.jdx")
    assert len(fix) == len(dif) == 1844
    np.testing.assert_allclose(dif.x, fix.x, atol=5e-4)  # FIRSTX/LASTX written to 1e-6
    ints_fix = np.rint(fix.y / (100 * 2.384185791e-09))
    ints_dif = np.rint(dif.y / (100 * 2.3884185791e-09))
    np.testing.assert_array_equal(ints_dif, ints_fix)  # every decoded ordinate identical
    assert ints_fix[0] == 411726930  # first ordinate as written in the FIX table


def test_difdup_polystyrene_bands(jdir: Path) -> None:
    # European Pharmacopoeia 2.2.24 / ASTM E1421 polystyrene wavenumber checks (±1-1.5 cm⁻¹);
    # the weak 1154.5 shoulder has no minimum of its own at 4 cm⁻¹ resolution and is left out
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        s = read_spectrum(jdir / "jtpolysd.jdx")
    for ref in (3060.0, 2849.5, 1942.9, 1601.2, 1583.0, 1028.3):
        assert _minimum(s.x, s.y, ref) == pytest.approx(ref, abs=1.0)


def test_bruker_13c_difdup_ppm_axis(jdir: Path) -> None:
    s = read(jdir / "13c.jdx", technique="spectroscopy")
    assert len(s) == 32768 and s.x_unit == "shift_ppm"
    assert s.y[0] == -16677  # ##FIRSTY
    m = (s.x > 76.0) & (s.x < 78.3)
    x, y = s.x[m], s.y[m]
    peaks, _ = find_peaks(y, prominence=0.2 * y.max())
    top3 = np.sort(x[peaks])
    assert top3.size == 3
    # CDCl3: 1:1:1 triplet, 1J(13C,2H) = 32.0 Hz (Cambridge Isotope Laboratories NMR solvent
    # data chart); spacing in Hz = Δppm × SF (100.685689 MHz); points are 0.73 Hz apart
    spacing_hz = np.diff(top3) * 100.685689
    np.testing.assert_allclose(spacing_hz, 32.0, atol=1.0)
    # centre 77.16 ppm vs TMS (Fulmer et al., Organometallics 29 (2010) 2176); this run was
    # referenced by its operator with CDCl3 at 77.0 ppm (TopSpin OFFSET), hence 77.02
    assert top3[1] == pytest.approx(77.16, abs=0.2)


def test_asdf_dup_and_errors() -> None:
    # DUP: U = 3 occurrences of the previous token; of a DIF it repeats the difference
    assert decode_xydata([(1, "100A00U")], "d.jdx").y == [100.0, 100.0, 100.0]
    assert decode_xydata([(1, "100A00J0U")], "d.jdx").y == [100.0, 110.0, 120.0, 130.0]
    with pytest.raises(InputFormatError, match=r"d\.jdx:1:5: expected JCAMP-DX ASDF"):
        decode_xydata([(1, "100A#0")], "d.jdx")


def test_lost_line_found_by_x_check(jdir: Path, tmp_path: Path) -> None:
    lines = (jdir / "jtpolysd.jdx").read_text(encoding="latin-1").splitlines()
    k = next(i for i, ln in enumerate(lines) if ln.startswith("##XYDATA")) + 40
    cut = tmp_path / "cut.jdx"
    cut.write_text("\n".join(lines[:k] + lines[k + 1 :]) + "\n", encoding="latin-1")
    with pytest.raises(InputFormatError) as e:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DataWarning)
            REGISTRY["spectroscopy/jcamp"].load(cut)
    # the line after the lost one fails its Y check or its X check, at its own line number
    assert e.value.line == k + 1


def test_band_without_signal_flagged_not_printed(jdir: Path) -> None:
    # polystyrene has no band at 2150-2250 cm⁻¹: the fit "converges" with s.u.s of 1e5 cm⁻¹,
    # which used to print as 0(300000); now flagged and kept out of rows and the table
    from mofglass.spectroscopy.analysis import BandWindow, analyse_spectrum

    s = read_spectrum(jdir / "jtpolys.jdx")
    res = analyse_spectrum(
        s,
        windows=[BandWindow(2200.0, (2150.0, 2250.0)), BandWindow(1601.0, (1590.0, 1612.0))],
    )
    empty, real = res.bands
    assert any("ill-determined" in f for f in empty.flags) and not real.flags
    names = {r.quantity for r in res.rows(sample_id="ps", technique="ftir")}
    assert f"band_{real.name}_position_cm1" in names
    assert not any(n.startswith(f"band_{empty.name}_") for n in names)
    assert real.band.position.value == pytest.approx(1601.2, abs=1.0)  # Ph. Eur. 2.2.24


def test_topspin_raw_zip_refused_in_one_line(jdir: Path) -> None:
    with pytest.raises(InputFormatError, match="TopSpin raw experiment") as e:
        read_spectrum(jdir / "datalab_nmr_1_31P_H3PO4_topspin.zip")
    assert e.value.line == 1 and "totxt" in str(e.value)
