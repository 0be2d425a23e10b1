"""Sizes and strains that are not resolved are flagged, never printed as values.

Closed forms: Lorentzian-only peaks whose sample integral breadths lie exactly on a chosen
Williamson-Hall line β cos θ = c0 + 4 ε sin θ (ε and c0 of either sign), so the fitted line is
known. Real files: ILL D1A neutron data (LaNi2Mn3, xylib sample D1A5.dat, λ 1.9114 Å) whose
uncorrected breadths fall with angle (negative slope: the instrument, not a strain), and the
LaB6 / PbSO4 patterns whose files carry no wavelength.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from mofglass.diffraction.analysis import analyse_pattern
from mofglass.diffraction.cli import pxrd_command
from mofglass.diffraction.peakfit_result import FittedPeak
from mofglass.diffraction.readers import read_pattern
from mofglass.diffraction.size import InstrumentProfile, scherrer_size
from mofglass.diffraction.strain import williamson_hall
from mofglass.results import Measured

from ._cli import cli_app

LAM = 1.5406
TWO_THETA = (20.0, 35.0, 50.0, 65.0, 80.0, 95.0)


def _peaks(c0_rad: float, strain: float, rel_err: float = 0.01) -> list[FittedPeak]:
    """Lorentzian peaks with β cos θ = c0 + 4 ε sin θ exactly (β in rad), 1 % breadth s.u."""
    out = []
    for tt in TWO_THETA:
        th = np.deg2rad(tt) / 2
        beta = float(np.rad2deg((c0_rad + 4 * strain * np.sin(th)) / np.cos(th)))
        var = (rel_err * beta) ** 2
        m = Measured(beta, rel_err * beta, "deg")
        out.append(
            FittedPeak(
                Measured(tt, 1e-3, "deg"),
                Measured(1.0, None, ""),
                Measured(1.0, None, ""),
                m,
                m,
                m,
                Measured(0.0, None, "deg"),
                ((var, 0.0), (0.0, 1e-12)),
            )
        )
    return out


def test_positive_line_gives_its_size_and_strain() -> None:
    # closed form: intercept K λ / D with D = 50 nm, slope ε = 1e-3
    wh = williamson_hall(_peaks(LAM / 500.0, 1e-3), LAM)
    assert wh.crystallite_size_nm is not None and wh.microstrain is not None
    assert wh.crystallite_size_nm.value == pytest.approx(50.0, rel=1e-6)
    assert wh.microstrain.value == pytest.approx(1e-3, rel=1e-6)
    assert wh.flags == ()
    assert {r.quantity for r in wh.rows(sample_id="s", technique="pxrd")} == {
        "crystallite_size_nm",
        "microstrain",
    }


def test_negative_slope_is_not_a_strain() -> None:
    # breadths falling with angle (ε = -1e-3 on the exact line): no strain, no bound, no size
    wh = williamson_hall(_peaks(LAM / 200.0, -1e-3), LAM)
    assert wh.slope.value == pytest.approx(-1e-3, rel=1e-6)
    assert wh.microstrain is None and wh.microstrain_upper_bound is None
    assert wh.crystallite_size_nm is None and wh.size_lower_bound_nm is None
    assert any("negative slope" in f for f in wh.flags)
    assert wh.rows(sample_id="s", technique="pxrd") == []
    assert str(wh) == "Williamson-Hall: size not resolved, microstrain not resolved"


def test_zero_slope_gives_an_upper_bound() -> None:
    # ε = 0 exactly: the strain is below max(slope, 0) + 2σ, reported as a bound only
    wh = williamson_hall(_peaks(LAM / 500.0, 0.0), LAM)
    assert wh.microstrain is None and wh.microstrain_upper_bound is not None
    assert wh.microstrain_upper_bound.value == pytest.approx(2 * wh.slope.stderr, rel=0.5)
    assert "microstrain < " in str(wh)
    assert wh.crystallite_size_nm is not None  # the size stays: D = 50 nm
    assert wh.crystallite_size_nm.value == pytest.approx(50.0, rel=1e-6)


def test_negative_intercept_is_not_a_size() -> None:
    # overcorrected instrument: the line passes through a negative intercept (-K λ / 500 Å)
    wh = williamson_hall(_peaks(-LAM / 5000.0, 2e-3), LAM)
    assert wh.crystallite_size_nm is None and wh.size_lower_bound_nm is None
    assert any("negative intercept" in f for f in wh.flags)
    assert wh.microstrain is not None
    assert wh.microstrain.value == pytest.approx(2e-3, rel=1e-6)


def test_peaks_narrower_than_the_instrument_are_counted() -> None:
    # an instrument 5× broader (Lorentzian Y) than the peaks: every sample breadth is 0
    peaks = _peaks(LAM / 500.0, 0.0)
    inst = InstrumentProfile(y=5 * float(peaks[0].lorentz_breadth_deg.value) / (np.pi / 2))
    s = scherrer_size(peaks, LAM, instrument=inst)
    assert not s.resolved and s.crystallite_size_nm is None
    assert s.flags == ("6 of 6 peaks no broader than the instrument profile",)
    assert all(p.size_nm is None for p in s.peaks)
    # each such peak counts as 0 ± its observed breadth's s.u.: a lower bound, not an error
    assert s.size_lower_bound_nm is not None
    wh = williamson_hall(peaks, LAM, instrument=inst)
    assert wh.flags[0].startswith("6 peak(s) no broader than the instrument profile")
    assert wh.crystallite_size_nm is None and wh.microstrain is None


@pytest.fixture(scope="module")
def d1a5(pxrd_data: Path):
    return analyse_pattern(read_pattern(pxrd_data / "xrd-bruker-raw-uxd-xylib" / "D1A5.dat"))


def test_d1a_neutron_negative_wh_slope_is_flagged(d1a5) -> None:
    # real D1A data, no instrument profile: the W-H slope is significantly negative
    # (measured -0.0017(1)); an integral-breadth strain cannot be negative, so no strain,
    # no W-H size, a warning, and nothing of it in the rows
    w = d1a5.williamson_hall
    assert w is not None and w.slope.value < -2 * w.slope.stderr
    assert w.microstrain is None and w.crystallite_size_nm is None
    q = d1a5.quantities()
    assert not any(k.startswith("wh_") for k in q)
    assert [r.quantity for r in d1a5.rows(sample_id="d1a5") if "microstrain" in r.quantity] == []
    assert any("negative slope" in m for m in d1a5.warnings)
    text = d1a5.summary()
    assert "Williamson-Hall: size not resolved, microstrain not resolved" in text
    assert "microstrain -" not in text
    assert d1a5.scherrer is not None and d1a5.scherrer.crystallite_size_nm is not None


@pytest.mark.parametrize(
    "rel",
    ["xrd-lab6-xye-xrayutilities/LaB6_d500_si_psd.xye.bz2", "xrd-pbso4-gsas-std-prm/PBSO4.CWN"],
)
def test_no_wavelength_says_so(pxrd_data: Path, rel: str) -> None:
    # files without a wavelength: no size, no d-spacing, and the summary says why
    res = analyse_pattern(read_pattern(pxrd_data / rel))
    assert res.wavelength_A is None and res.scherrer is None and res.williamson_hall is None
    assert set(res.quantities()) <= {"amorphous", "n_bragg_peaks", "crystalline_fraction"}
    assert all("size_nm" not in row and "d_A" not in row for row in res.peak_table())
    line = res.summary().splitlines()[1]
    assert "None" not in line
    assert line.endswith("wavelength unknown: sizes and d-spacings need --radiation/--wavelength")


def test_cli_no_wavelength_prints_no_none(pxrd_data: Path) -> None:
    f = pxrd_data / "xrd-pbso4-gsas-std-prm" / "PBSO4.CWN"
    out = CliRunner().invoke(cli_app("pxrd", pxrd_command), ["pxrd", str(f)])
    assert out.exit_code == 0, out.output
    assert "73 Bragg peaks; wavelength unknown" in out.output
    assert "None" not in out.output


def test_size_without_instrument_is_printed_as_a_lower_bound(pxrd_data: Path) -> None:
    # LaB6 line-profile standard (SOURCE.txt: size > 500 nm once the instrument is removed):
    # without a profile the breadths include the instrument's, so the Scherrer number (about
    # 120 nm) is only a lower bound and the summary says so instead of printing it as the size
    from mofglass.diffraction.pattern import Wavelength

    p = read_pattern(pxrd_data / "xrd-lab6-xye-xrayutilities" / "LaB6_d500_si_psd.xye.bz2")
    res = analyse_pattern(p.with_wavelength(Wavelength.copper()).crop(18, 80))
    assert res.scherrer is not None and res.scherrer.crystallite_size_nm is not None
    assert res.scherrer.crystallite_size_nm.value < 500  # apparent, below the truth
    line = res.summary().splitlines()[1]
    assert "apparent crystallite size" in line and "a lower bound" in line
