"""Headerless lab .xy (x unit from an option or its range), and r in nm refused by first_peaks."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest
from scipy.signal import find_peaks

from mofglass.errors import DataWarning, InputFormatError, UnitError
from mofglass.totalscattering.analysis import analyse
from mofglass.totalscattering.compare import first_peaks
from mofglass.totalscattering.readers import read_total_scattering

MO_KA1_A = 0.70932  # Mo Kα1 (SOURCE.txt: lab Mo source, the folder's own check)


@pytest.fixture(scope="module")
def ceo2(shared_data: Path) -> Path:
    return shared_data / "labpdf-ceo2-mo-zscan"


def test_headerless_xy_range_guess_and_option(ceo2: Path) -> None:
    path = ceo2 / "CeO2_635um_accum_0.xy"
    with pytest.raises(InputFormatError, match="a wavelength for 2θ data"):
        with pytest.warns(DataWarning, match="taken as 2θ in degrees"):
            read_total_scattering(path)  # 2-140: only 2θ; but no wavelength in the file
    with pytest.warns(DataWarning, match="taken as 2θ"):
        d = read_total_scattering(path, wavelength_A=MO_KA1_A)
    assert d.x_kind == "two_theta_deg" and d.x.size == 5631  # SOURCE.txt: 5631 points
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataWarning)  # said explicitly: no guess, no warning
        e = read_total_scattering(path, x_kind="two_theta_deg", wavelength_A=MO_KA1_A)
    np.testing.assert_array_equal(e.x, d.x)
    with pytest.raises(InputFormatError, match="x unit in"):
        read_total_scattering(path, x_kind="degrees")


def test_headerless_short_range_and_zscan_refused(ceo2: Path, tmp_path: Path) -> None:
    with pytest.raises(InputFormatError, match=r"not negative.*Scantype"):
        read_total_scattering(ceo2 / "CeO2_635um_zscan.xy")  # height in mm, not a pattern
    q = tmp_path / "short.xy"
    q.write_text("".join(f"{0.5 + 0.1 * i:.2f} {100 + i}\n" for i in range(200)))  # 0.5-20.4
    with pytest.raises(InputFormatError, match="fits both Q and 2θ"):
        read_total_scattering(q)
    d = read_total_scattering(q, x_kind="q_invnm")
    assert d.x_kind == "q_invA" and d.x[0] == pytest.approx(0.05)


def test_ceo2_mo_lab_pdf_cation_shells(ceo2: Path) -> None:
    d = read_total_scattering(
        ceo2 / "CeO2_635um_accum_0.xy", x_kind="two_theta_deg", wavelength_A=MO_KA1_A
    )
    s = analyse(d, formula="CeO2")
    # Qmax = 4π sin(θmax)/λ at the last 2θ, 140.0747°
    assert s.qmax_invA == pytest.approx(4 * np.pi * np.sin(np.radians(140.0747 / 2)) / MO_KA1_A)
    r, g = s.r_A, s.pdf
    m = (r > 3.0) & (r < 8.0)
    idx, props = find_peaks(g[m], prominence=0.02 * np.ptp(g[m]))
    top = np.sort(r[m][idx[np.argsort(props["prominences"])[-3:]]])
    # fluorite CeO2, a = 5.411 Å (NIST SRM 674b is CeO2): the three strongest features above
    # 3 Å are the fcc Ce-Ce shells a/√2, a, a√(3/2) (no absorption correction: heights are off)
    a = 5.411
    np.testing.assert_allclose(top, [a / np.sqrt(2), a, a * np.sqrt(1.5)], atol=0.03)


def test_first_peaks_r_in_nm_refused_once(shared_data: Path) -> None:
    d = read_total_scattering(shared_data / "pdf-diffpy-examples" / "ni-q27r60-xray.gr")
    peaks = first_peaks(d.x, d.y)
    # fcc Ni, a = 3.524 Å: first shells a/√2, a, a√(3/2) (no two the same)
    a = 3.524
    pos = [p.position_A.value for p in peaks]
    np.testing.assert_allclose(pos, [a / np.sqrt(2), a, a * np.sqrt(1.5)], atol=0.02)
    assert all(p.ok for p in peaks)
    with pytest.raises(UnitError, match="r looks like nm"):
        first_peaks(d.x / 10.0, d.y)  # the same curve with r in nm


def test_pdf_cli_x_unit_and_wavelength(ceo2: Path) -> None:
    from typer.testing import CliRunner

    from mofglass.cli import app

    path = str(ceo2 / "CeO2_635um_accum_0.xy")
    bad = CliRunner().invoke(app, ["pdf", path, "--formula", "CeO2"])
    assert bad.exit_code == 2 and "a wavelength for 2θ data" in bad.output
    ok = CliRunner().invoke(
        app,
        ["pdf", path, "--formula", "CeO2", "--x-unit", "two_theta_deg", "--wavelength", "0.70932"],
    )
    assert ok.exit_code == 0, ok.output
    assert "Qmax 16.65" in ok.output and "taken as 2θ" not in ok.output  # said, not guessed
