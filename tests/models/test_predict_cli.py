"""``mofglass predict`` refuses predictions of a calibration that misses its observations."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from mofglass.cli import app
from mofglass.models.reference import CD_IM2_MATERIAL

runner = CliRunner()


def _contradictory(tmp_path: Path) -> Path:
    # faster cooling cannot give more crystal than slower cooling: no parameters honour both
    head = CD_IM2_MATERIAL.split("[[observation]]")[0].replace(
        '"growth_site_fraction", "max_fraction",', ""
    )
    path = tmp_path / "m.toml"
    path.write_text(
        head + '[[observation]]\ntype = "bound"\nprogram = "465 -> 25 @ 5"\nat_most = 0.01\n'
        '[[observation]]\ntype = "bound"\nprogram = "465 -> 25 @ 100"\nat_least = 0.5\n'
        '[[observation]]\ntype = "size"\nprogram = "465 -> 25 @ 100"\ndiameter_nm = 20.0\n'
    )
    return path


def test_missed_observations_refuse_predictions(tmp_path: Path) -> None:
    m = _contradictory(tmp_path)
    out = tmp_path / "out"
    r = runner.invoke(app, ["predict", "--material", str(m), "--samples", "0", "-o", str(out)])
    assert r.exit_code == 2
    assert "missed" in r.stdout  # the observations beside the model are still shown
    assert "critical cooling rate" not in r.output and "Predicted runs" not in r.output
    err = [ln for ln in r.output.splitlines() if "no predictions printed" in ln]
    assert len(err) == 1 and "misses" in err[0] and "m.toml" in err[0]
    assert not out.exists()  # nothing written
    rj = runner.invoke(app, ["predict", "--material", str(m), "--samples", "0", "--json"])
    assert rj.exit_code == 2 and "{" not in rj.stdout
    # asked for explicitly: printed, and marked
    ru = runner.invoke(
        app, ["predict", "--material", str(m), "--samples", "0", "--json", "--unreliable"]
    )
    assert ru.exit_code == 0, ru.output
    doc = json.loads(ru.stdout[ru.stdout.index("{") :])
    assert doc["reliable"] is False and not all(o["satisfied"] for o in doc["observations"])
