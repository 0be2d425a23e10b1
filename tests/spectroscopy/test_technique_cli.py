"""The ftir / nmr study techniques on their own demo files, the figure and the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from mofglass.demo.samples import DEMO_SAMPLES
from mofglass.spectroscopy.cli import bands_command
from mofglass.spectroscopy.demo import DEMO_BANDS
from mofglass.study.technique import SampleInfo, Task, get_technique


@pytest.mark.parametrize(("key", "band"), [("ftir", "CdN4"), ("nmr", "113Cd")])
def test_demo_roundtrip(tmp_path: Path, key: str, band: str) -> None:
    # demo widths (illustrative): ftir 18 -> 45 cm-1, nmr 4 -> 30 ppm; recovered within 4 σ
    # + 3 % (band-wing truncation by the default window)
    tech = get_technique(key)
    entries = tech.demo_inputs(DEMO_SAMPLES, tmp_path, seed=5)
    assert set(entries) == {"cdim2", "gcdim2"}
    again = tech.demo_inputs(DEMO_SAMPLES, tmp_path / "b", seed=5)
    f = entries["cdim2"][0]["file"]
    assert (tmp_path / f).read_bytes() == (tmp_path / "b" / f).read_bytes()  # deterministic
    outs = []
    for sid, phase in (("cdim2", "crystal"), ("gcdim2", "glass")):
        e = entries[sid][0]
        out = tech.run(
            Task(key, SampleInfo(sid, sid, phase), str(tmp_path / e["file"]), {}, e["file"])
        )
        rows = {r.quantity: r for r in out.rows}
        true = DEMO_BANDS[(key, phase)][0]
        u = "cm1" if key == "ftir" else "ppm"
        fw = rows[f"band_{band}_fwhm_{u}"]
        assert fw.unit == ("cm^-1" if key == "ftir" else "ppm")
        assert abs(fw.value - true.fwhm) < 4 * (fw.stderr or 0) + 0.03 * true.fwhm
        assert rows[f"band_{band}_position_{u}"].value == pytest.approx(true.center, abs=0.5)
        outs.append(out)
    assert "FWHM ratio" in tech.report_html(outs)
    figs = tech.figures(outs)
    assert list(figs) == [f"{key}_stacked"]
    assert again


def test_bands_cli(tmp_path: Path) -> None:
    entries = get_technique("nmr").demo_inputs(DEMO_SAMPLES, tmp_path, seed=1)
    app = typer.Typer()
    app.command("bands")(bands_command)
    app.command("other")(lambda: None)
    f = str(tmp_path / entries["cdim2"][0]["file"])
    r = CliRunner().invoke(app, ["bands", f, "--band", "433:340-530", "--json"])
    assert r.exit_code == 0, r.output
    assert '"band": "433"' in r.output and '"unit": "ppm"' in r.output
    r = CliRunner().invoke(app, ["bands", f, "--band", "433:500-530"])
    assert r.exit_code != 0  # centre outside the window: MofglassError
