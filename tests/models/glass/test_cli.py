"""``mofglass model crn`` and ``mofglass model analyse`` end to end (small box)."""

from __future__ import annotations

from typer.testing import CliRunner

from mofglass.cli import app


def test_crn_then_analyse(shared_data, tmp_path):
    cif = shared_data / "raspa2-zif-cifs" / "ZIF-4.cif"
    out = tmp_path / "crn.cif"
    runner = CliRunner()
    res = runner.invoke(
        app,
        ["model", "crn", str(cif), "--supercell", "1,1,1", "--sweeps", "0.2", "--out", str(out)],
    )
    assert res.exit_code == 0, res.output
    assert "16 metals" in res.output
    again = runner.invoke(app, ["model", "crn", str(cif), "--out", str(out)])
    assert again.exit_code != 0  # never overwrites
    res = runner.invoke(app, ["model", "analyse", str(out)])
    assert res.exit_code == 0, res.output
    assert "16 metals" in res.output
    assert "metal coordination by N/O" in res.output


def test_bad_supercell_is_one_line(shared_data, tmp_path):
    cif = shared_data / "raspa2-zif-cifs" / "ZIF-4.cif"
    res = CliRunner().invoke(
        app, ["model", "crn", str(cif), "--supercell", "2,x", "--out", str(tmp_path / "a.cif")]
    )
    assert res.exit_code == 2
    assert "--supercell" in res.output
