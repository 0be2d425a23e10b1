"""TG runs a chemist would feed without hints: noise, buoyancy and cut steps are told, not hidden.

Real files and their truths (read from the data, see each folder's SOURCE.txt):

- IBHS shingle STA (sta-netzsch-ulfsri, .ngb-ss3, 30 K/min, no blank subtracted): the mass
  rises to 107.2 % of the initial (125-175 °C plateau, by eye) before it falls: a buoyancy gain
  of about 7 %; steps of about 18.9 % (fastest near 470 °C) and 17.6 % (near 730 °C).
- TA Q500 'Screening CO2-25C' (tga-multivendor-pytga): the first ramp (23-121 °C) loses 17.6 %
  from its very first point (desorption): no mass plateau before the step, so no ASTM E2550
  onset; pyTGA's truth for the file is the first stage weight 20.8216 mg.
- NETZSCH STA 'CF-A_1000-ash' (tga-multivendor-pytga, 15 K/min to 1000 °C): 100 % -> 41.5 % on
  the ramp, then 41.5 % -> 2 % in the 1000 °C hold: the burn-off is cut by the ramp's end.
- DF_FILED_VAL (sta-netzsch-ulfsri): a stepped programme (ramps to 231, 294, 376, 694 °C with
  holds); the mass reads 98.1 % at 26 °C and 94.4 % at the end of the first ramp (231 °C), and
  the largest loss starts in the 296-303 °C hold (86.1 % -> 69.8 %) before the 303-376 °C ramp.
- FSRI PMMA TGA (macfp-pmma-dsc-tga-netzsch) and the Mettler PMMA runs (tga-mettler-pmma): clean
  single decompositions with a plateau before (negative controls: nothing flagged or warned).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from mofglass.thermal import read_thermogram
from mofglass.thermal.analysis import analyse_tga
from mofglass.thermal.cli import tga_command
from mofglass.thermal.tga import dtg_window_C
from tests.thermal.conftest import shared

_IBHS = "sta-netzsch-ulfsri/IBHS_Shingle_102-B-5-1_Sample_2_STA_N2_30K_240716_R1.ngb-ss3"
_TA = "tga-multivendor-pytga/TAInstruments_example_file.txt"
_ASH = "tga-multivendor-pytga/netzsch_example3.txt"
_VAL = "sta-netzsch-ulfsri/DF_FILED_VAL_STA_N2_10K_240211_R1.csv"
_FSRI = "macfp-pmma-dsc-tga-netzsch/FSRI_TGA_N2_10K_1.csv"


def _cli_json(path: str) -> dict:
    app = typer.Typer()
    app.command("tga")(tga_command)
    app.command("other")(tga_command)
    res = CliRunner().invoke(app, ["tga", str(shared(path)), "--json"], terminal_width=200)
    assert res.exit_code == 0, res.output
    return dict(json.loads(res.output))


def test_buoyancy_gain_is_warned_and_noise_sets_the_dtg_window() -> None:
    res = analyse_tga(read_thermogram(shared(_IBHS)))
    assert res.onset.mass_gain_percent == pytest.approx(7.2, abs=0.5)  # 107.2 % plateau
    assert any("rises by 7." in w and "buoyancy" in w for w in res.warnings)
    assert res.onset.smooth_C == 10.0  # the noise rule, not a hint
    assert [s.dtg_peak_C.value for s in res.steps] == pytest.approx([470, 730], abs=10)
    assert [s.mass_loss_percent.value for s in res.steps] == pytest.approx([18.9, 17.6], abs=1.0)


def test_loss_from_the_first_point_gives_no_onset() -> None:
    res = analyse_tga(read_thermogram(shared(_TA)))
    assert "no plateau before the step" in res.onset.flag
    names = [r.quantity for r in res.rows(sample_id="s", technique="tga")]
    assert "decomposition_onset_C" not in names and "dtg_peak_C" not in names
    assert res.steps[0].mass_loss_percent.value == pytest.approx(17.6, abs=0.5)
    assert "no plateau before the step" in res.steps[0].flag  # not a result either
    assert any("at least 17.6 %, is a lower bound" in w for w in res.warnings)
    assert not any(n.startswith("step") for n in names)
    doc = _cli_json(_TA)
    assert doc["decomposition_onset_C"] is None and doc["onset_flag"]


def test_step_cut_by_the_end_of_the_ramp_gives_no_onset() -> None:
    res = analyse_tga(read_thermogram(shared(_ASH)))
    assert "the step is cut" in res.onset.flag
    assert any("left out" in w for w in res.warnings)
    assert [s.flag != "" for s in res.steps] == [True]  # 57.9 % of a loss that reaches 98 %


def test_stepped_programme_finds_the_threshold_in_an_earlier_ramp() -> None:
    res = analyse_tga(read_thermogram(shared(_VAL)))
    assert "no plateau before the step" in res.onset.flag  # the loss began in the hold
    # 95 % is crossed late in the first ramp (98.1 % at 26 °C, 94.4 % at 231 °C)
    assert 150.0 < res.onset.threshold_onset_C.value < 232.0


@pytest.mark.parametrize(
    "path",
    [
        _FSRI,
        "tga-mettler-pmma/tga_dynamic_n2_dyn10_powder_1mg_r1.txt",
    ],
)
def test_clean_runs_are_neither_flagged_nor_warned(path: str) -> None:
    res = analyse_tga(read_thermogram(shared(path)))
    assert res.onset.flag == ""
    assert res.onset.smooth_C == 5.0
    assert not any("rises by" in w or "noisy" in w or "left out" in w for w in res.warnings)


def test_dtg_window_grows_with_the_balance_noise() -> None:
    # plumbing (the truths are the real files above): a clean 50 % logistic step keeps the
    # 5 K window; adding white balance noise never narrows it, and 0.4 % noise widens it
    rng = np.random.default_rng(1)
    T = np.arange(100.0, 600.0, 0.1)
    m = 100.0 - 50.0 / (1.0 + np.exp(-(T - 350.0) / 10.0))
    noise = rng.normal(0.0, 1.0, T.size)
    windows = [dtg_window_C(T, m + s * noise) for s in (0.0, 0.05, 0.1, 0.2, 0.4)]
    assert windows[0] == 5.0
    assert windows == sorted(windows) and windows[-1] >= 20.0


def test_mass_column_in_the_wrong_unit_is_named(tmp_path: Path) -> None:
    # the NETZSCH TG 209 export (sample 13.10 mg, Mass/% from 99.99) relabelled Mass/mg: a
    # column of ~100 "mg" for a 13.1 mg sample is % taken as mg
    src = shared("tga-multivendor-pytga/netzsch2_example_file.txt").read_bytes()
    bad = tmp_path / "relabelled_mg.txt"
    bad.write_bytes(src.replace(b"Mass/%", b"Mass/mg"))
    tr = read_thermogram(bad)
    assert any("'Mass' starts at 99.99 mg but the sample mass is 13.1 mg" in w for w in tr.warnings)
    # the FSRI PMMA TGA (mass [mg] from 3.979) relabelled [%]: a % column starting at 4
    src = shared("macfp-pmma-dsc-tga-netzsch/FSRI_TGA_N2_10K_1.csv").read_bytes()
    bad = tmp_path / "relabelled_percent.csv"
    bad.write_bytes(src.replace(b"[mg]", b"[%]"))
    tr = read_thermogram(bad)
    assert any("'mass' is labelled % but starts at 3.979" in w for w in tr.warnings)
    # the unaltered files are not warned
    for name in ("tga-multivendor-pytga/netzsch2_example_file.txt", _FSRI):
        assert not any("mass column" in w for w in read_thermogram(shared(name)).warnings)


def test_negative_residue_is_warned() -> None:
    # FSRI PMMA at 30 K/min ends at -0.89 % of the initial mass (read from the file): drift
    res = analyse_tga(read_thermogram(shared("macfp-pmma-dsc-tga-netzsch/FSRI_TGA_N2_30K_1.csv")))
    assert any("falls to -0.9 %" in w for w in res.warnings)
    assert not any("below 0" in w for w in analyse_tga(read_thermogram(shared(_FSRI))).warnings)
