"""ILL D1A and PSI DMC/HRPT ``.dat`` (the Riet7 family xylib reads): counts, esds, wavelength.

Truths are read off the files by independent means: the start-step-end line, the footer's
detector count, the title's wavelength, and Poisson statistics of the esd block.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest

from mofglass.diffraction import read_pattern, sniff_format
from mofglass.errors import DataWarning, InputFormatError


@pytest.fixture(scope="module")
def xylib_dir(pxrd_data: Path) -> Path:
    return pxrd_data / "xrd-bruker-raw-uxd-xylib"


def test_ill_d1a5(xylib_dir: Path) -> None:
    path = xylib_dir / "D1A5.dat"
    assert sniff_format(path) == "riet7"
    with pytest.warns(DataWarning, match="101 points at 2θ <= 0°"):
        p = read_pattern(path)
    # header line 5: -10.0000 0.1000 157.9000 -> 1680 points (line 4 starts with 1680);
    # the 101 points from -10° to 0° are below the beam and dropped with a warning
    assert p.two_theta_deg.size == 1680 - 101
    assert p.two_theta_deg[0] == pytest.approx(0.1) and p.two_theta_deg[-1] == 157.9
    assert p.radiation is not None and p.radiation.ka1_A == 1.9114  # title: "1.9114 A"
    assert p.radiation.ka2_A is None
    # the second block of 1680 numbers are esds: the first ones after 0° in the file
    assert p.intensity[:3].tolist() == [1.3, 1.9, 1.0]
    assert p.sigma is not None and p.sigma[:3].tolist() == [0.49, 0.61, 0.40]


def test_psi_dmc(xylib_dir: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataWarning)
        p = read_pattern(xylib_dir / "PSI_DMC.dat")
    # 2.948 0.050 162.898 -> 3200 points = footer's Npkt=1600 wires x two a4 positions
    assert p.two_theta_deg.size == 3200
    assert (p.two_theta_deg[0], p.two_theta_deg[-1]) == (2.948, pytest.approx(162.898))
    assert p.radiation is not None and p.radiation.ka1_A == 1.494  # "lambda=  1.49400"
    assert "Npkt=1600" in p.metadata["footer"]
    # raw counts: esd^2 / counts is 1 (Poisson) within a few per cent over the pattern
    assert p.sigma is not None
    ok = p.intensity > 0  # a few wires read zero
    ratio = p.sigma[ok] ** 2 / p.intensity[ok]
    assert np.median(ratio) == pytest.approx(1.0, abs=0.03)


def test_counts_after_footer_refused(xylib_dir: Path, tmp_path: Path) -> None:
    text = (xylib_dir / "PSI_DMC.dat").read_text() + "   1.0   2.0\n"
    bad = tmp_path / "bad.dat"
    bad.write_text(text)
    with pytest.raises(InputFormatError, match="no counts after the footer") as e:
        read_pattern(bad)
    assert e.value.line == len(text.splitlines())


def test_missing_esd_block_line(xylib_dir: Path, tmp_path: Path) -> None:
    lines = (xylib_dir / "D1A5.dat").read_text().splitlines()
    cut = tmp_path / "cut.dat"
    cut.write_text("\n".join(lines[:-1]) + "\n")
    with pytest.raises(InputFormatError, match="1680 counts"):
        read_pattern(cut)
