"""``mofglass pxrd`` whole-pattern route and the manifest entry, on real files.

Truths: sucrose β = 102.938° (Hynes & Le Page, J. Appl. Cryst. 24 (1991) 352; the 11-BM scan
is at 100 K, so a, b, c are checked 0.3-0.8 % below the 300 K values, see test_pawley.py);
PbSO4 round-robin cell within 0.01 Å of 8.48 / 5.40 / 6.96 Å (Hill 1992).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from mofglass.diffraction.cli import pxrd_command
from mofglass.study.manifest import load_manifest
from mofglass.study.pipeline import run_study
from tests.diffraction._cli import cli_app

SUCROSE_CELL = "10.8631 8.7044 7.7624 90 102.938 90"


def _app() -> typer.Typer:
    return cli_app("pxrd", pxrd_command)


@pytest.mark.slow
def test_cli_sucrose_prm_found_beside(shared_data: Path, tmp_path: Path) -> None:
    fxye = shared_data / "pxrd-11bm-gsas-fxye" / "11bmb_8716.fxye"
    fig = tmp_path / "fit.png"
    args = ["pxrd", str(fxye), "--cell", SUCROSE_CELL, "--space-group", "P 1 21 1"]
    args += ["--range", "2", "20", "--json", "--plot", str(fig)]
    res = CliRunner().invoke(_app(), args)
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert "11bmb_8716.prm" in data["instrument"]
    fit = data["whole_pattern_fit"]
    assert fit["beta_deg"]["value"] == pytest.approx(102.938, abs=0.05)
    assert 0.992 * 10.8631 < fit["a_A"]["value"] < 0.997 * 10.8631
    assert fit["flags"] == [] and fit["converged"]
    assert fig.stat().st_size > 10_000
    assert "crystalline_fraction" not in data["quantities"]  # no amorphous component fitted
    assert data["impurities"] == []  # no built-in impurity list


def test_cli_pbso4_phase_radiation_save_instrument(shared_data: Path, tmp_path: Path) -> None:
    folder = shared_data / "xrd-pbso4-gsas-std-prm"
    inst = tmp_path / "inst.json"
    args = ["pxrd", str(folder / "PBSO4.XRA"), "--phase", str(folder / "PbSO4-Wyckoff.cif")]
    args += ["--radiation", "CuKa12", "--range", "16", "70", "--save-instrument", str(inst)]
    res = CliRunner().invoke(_app(), args)
    assert res.exit_code == 0, res.output
    assert ("a = 8.48" in res.output and "b = 5.39" in res.output) or "b = 5.40" in res.output
    saved = json.loads(inst.read_text())
    assert saved["format"] == "mofglass-instrument" and saved["wavelength"]["ka2_ratio"] == 0.5
    # refuses to overwrite the user's file
    res = CliRunner().invoke(_app(), args)
    assert res.exit_code != 0
    # reuse: the sample fit reports a size (LVol-IB) or an instrument-limited bound
    args2 = ["pxrd", str(folder / "PBSO4.XRA"), "--phase", str(folder / "PbSO4-Wyckoff.cif")]
    args2 += ["--radiation", "CuKa12", "--range", "16", "70", "--instrument", str(inst)]
    res = CliRunner().invoke(_app(), args2)
    assert res.exit_code == 0, res.output
    assert "crystallite size" in res.output


def test_cli_bad_cell_and_space_group(shared_data: Path) -> None:
    f = shared_data / "xrd-pbso4-gsas-std-prm" / "PBSO4.XRA"
    for extra in (["--cell", "8.48 5.4"], ["--cell", "8 5 6", "--space-group", "Q 99"]):
        res = CliRunner().invoke(_app(), ["pxrd", str(f), "--radiation", "CuKa12", *extra])
        assert res.exit_code != 0


@pytest.mark.slow
def test_manifest_sucrose(shared_data: Path, tmp_path: Path) -> None:
    src = shared_data / "pxrd-11bm-gsas-fxye"
    (tmp_path / "data").mkdir()
    for name in ("11bmb_8716.fxye", "11bmb_8716.prm"):
        (tmp_path / "data" / name).symlink_to(src / name)
    (tmp_path / "study.toml").write_text(
        '[[samples]]\nid = "sucrose"\nphase = "crystal"\nformula = "C12H22O11"\n'
        '  [[samples.pxrd]]\n  file = "data/11bmb_8716.fxye"\n  two_theta_range = [2.0, 20.0]\n'
        f'  cell = [{SUCROSE_CELL.replace(" ", ", ")}]\n  space_group = "P 1 21 1"\n',
        encoding="utf-8",
    )
    result = run_study(load_manifest(tmp_path / "study.toml"))
    rows = {r.quantity: r for r in result.rows}
    assert rows["cell_beta_deg"].value == pytest.approx(102.938, abs=0.05)
    assert rows["cell_b_A"].stderr is not None
    assert "crystalline_fraction" not in rows


def test_cli_and_manifest_impurity_refined_not_detected(shared_data: Path, tmp_path: Path) -> None:
    # Cd metal (COD CIF of the shared data) is absent from the PbSO4 round-robin sample
    folder = shared_data / "xrd-pbso4-gsas-std-prm"
    cd_cif = shared_data / "cd-metal-cif" / "Cd.cif"
    fig = tmp_path / "fit.png"
    args = ["pxrd", str(folder / "PBSO4.XRA"), "--phase", str(folder / "PbSO4-Wyckoff.cif")]
    args += ["--impurity", str(cd_cif), "--instrument", str(folder / "INST_XRY.PRM")]
    args += ["--range", "16", "70", "--json", "--plot", str(fig)]
    res = CliRunner().invoke(_app(), args)
    assert res.exit_code == 0, res.output
    fit = json.loads(res.output)["whole_pattern_fit"]
    main, cd = fit["phases"]
    assert main["detected"] and not cd["detected"] and cd["intensity_share"] < 0.01
    for key, truth in (("a_A", 8.48), ("b_A", 5.40), ("c_A", 6.96)):
        assert fit[key]["value"] == pytest.approx(truth, abs=0.01)
    assert fit["flags"] == [] and fig.stat().st_size > 10_000
    assert "zero fixed" in fit["shift_model"] and fit["zero_displacement_correlation"] is None
    # the manifest equivalent: the impurity CIF relative to the manifest (copies: CIF paths
    # are resolved beside the data file's real location)
    for name in ("PBSO4.XRA", "INST_XRY.PRM", "PbSO4-Wyckoff.cif"):
        shutil.copy(folder / name, tmp_path / name)
    shutil.copy(cd_cif, tmp_path / "Cd.cif")
    (tmp_path / "study.toml").write_text(
        '[[samples]]\nid = "pbso4"\nphase = "crystal"\n'
        '  [[samples.pxrd]]\n  file = "PBSO4.XRA"\n  two_theta_range = [16.0, 70.0]\n'
        '  phase = "PbSO4-Wyckoff.cif"\n  impurities = ["Cd.cif"]\n',
        encoding="utf-8",
    )
    result = run_study(load_manifest(tmp_path / "study.toml"))
    rows = {r.quantity: r for r in result.rows}
    assert rows["cell_a_A"].value == pytest.approx(8.48, abs=0.01)
    assert rows["phase1_intensity_share"].value < 0.01
    assert "phase1_cell_a_A" not in rows  # an undetected phase has no cell
    (out,) = result.outputs_by_technique()["pxrd"]
    assert any("Cd" in w and "not identified" in w for w in out.warnings)
    assert set(out.details["curves"]["whole_pattern"]["ticks"]) == {"PbSO4-Wyckoff", "Cd"}
