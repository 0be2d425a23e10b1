"""The ``predict`` study technique: rows only from a calibration that honours its observations."""

from __future__ import annotations

from pathlib import Path

from mofglass.models.reference import CD_IM2_MATERIAL
from mofglass.study.technique import SampleInfo, Task, get_technique


def test_contradictory_observations_give_a_warning_and_no_numbers(tmp_path: Path):
    # faster cooling cannot give more crystal than slower cooling: no parameters honour both
    head = CD_IM2_MATERIAL.split("[[observation]]")[0].replace(
        '"growth_site_fraction", "max_fraction",', ""
    )
    text = head + (
        '[[observation]]\ntype = "bound"\nprogram = "465 -> 25 @ 5"\nat_most = 0.01\n'
        '[[observation]]\ntype = "bound"\nprogram = "465 -> 25 @ 100"\nat_least = 0.5\n'
        '[[observation]]\ntype = "size"\nprogram = "465 -> 25 @ 100"\ndiameter_nm = 20.0\n'
    )
    path = tmp_path / "m.toml"
    path.write_text(text)
    sample = SampleInfo(id="s", label="s", phase="crystal", formula="Cd(im)2")
    out = get_technique("predict").run(
        Task("predict", sample, str(path), {"n_samples": 8}, source="m.toml")
    )
    assert out.rows == ()
    assert out.warnings and "does not honour" in out.warnings[0]
    assert any(not o["ok"] for o in out.details["observations"])


def test_rows_that_are_not_numbers_become_warnings(tmp_path: Path):
    # a heat treatment that never leaves the melt crystallises nothing: its size is NaN and
    # must be stated, not tabulated (the paper's material otherwise)
    path = tmp_path / "m.toml"
    path.write_text(CD_IM2_MATERIAL)
    sample = SampleInfo(id="s", label="s", phase="crystal", formula="Cd(im)2")
    out = get_technique("predict").run(
        Task("predict", sample, str(path),
             {"n_samples": 8, "heat_treatments": ["470 -> 465 @ 10"]}, source="m.toml")
    )  # fmt: skip
    names = {r.quantity for r in out.rows}
    assert "critical_cooling_rate_K_min" in names
    assert "treatment1_crystallite_diameter_nm" not in names
    assert any("treatment1_crystallite_diameter_nm is not finite" in w for w in out.warnings)
