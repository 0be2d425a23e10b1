"""Material TOML files: the paper's words and a measured exotherm, and clear errors."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from mofglass.errors import InputFormatError, ManifestError
from mofglass.models.calibration import ConversionCurveObservation, calibrate
from mofglass.models.material import load_material, parse_program
from mofglass.models.reference import CD_IM2_MATERIAL

HEAD = CD_IM2_MATERIAL.split("[[observation]]")[0]  # the paper's Cd(im)2, five free


def test_parse_program():
    p = parse_program("465 -> 25 @ 42 -> 240 @ 10 -> hold 60")
    assert p.start_C == 465.0
    assert [s.end_C for s in p.segments] == [25.0, 240.0, 240.0]
    assert p.segments[2].hold_min == 60.0
    # 440 K at 42 K/min, 215 K at 10 K/min, 60 min: closed form
    assert p.duration_min == pytest.approx(440 / 42 + 215 / 10 + 60)
    for bad in ("", "abc", "465 -> 25", "465 -> 25 @ -4", "465 -> hold x"):
        with pytest.raises(InputFormatError):
            parse_program(bad)


def test_exotherm_file_becomes_a_conversion_curve(tmp_path: Path):
    # plumbing: a Gaussian exotherm of 33.4 J/g (half of ΔHm = 16.6 kJ/mol / 246.556 g/mol =
    # 67.33 J/g) written as a plain CSV; the curve must end at X = 0.496 (closed form ratio)
    t = np.arange(0.0, 1800.0, 2.0)
    T = 150.0 + t / 6.0  # 10 K/min
    peak = 33.4 / (60.0 * math.sqrt(2 * math.pi)) * np.exp(-0.5 * ((t - 600.0) / 60.0) ** 2)
    rows = "\n".join(f"{a:.1f},{b:.3f},{c:.6f}" for a, b, c in zip(t, T, 0.01 + peak, strict=True))
    (tmp_path / "reheat.csv").write_text("time,Temp,Heat Flow\n[s],[C],[W/g]\n" + rows + "\n")
    (tmp_path / "m.toml").write_text(
        HEAD
        + """
[[observation]]
type = "exotherm"
file = "reheat.csv"
program = "465 -> 25 @ 42 -> 450 @ 10"
window_C = [200.0, 350.0]
"""
    )
    mat = load_material(tmp_path / "m.toml")
    (obs,) = mat.observations
    assert isinstance(obs, ConversionCurveObservation)
    assert obs.fraction[-1] == pytest.approx(33.4 / 67.33, abs=0.005)
    assert obs.fraction[0] == pytest.approx(0.0, abs=1e-3)


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("[material\n", "not valid TOML"),
        (HEAD, "observation"),
        (HEAD.replace('"max_fraction",', '"viscosity",'), "viscosity"),
        (HEAD + '[[observation]]\ntype = "window"\nprogram = "465 -> 25 @ 10"\n', "start_C"),
        (
            HEAD.replace("tg_C = 175.0", "tg_C = 500.0")
            + '[[observation]]\ntype="size"\nprogram="465 -> 25 @ 10"\ndiameter_nm=19\n',
            "below tm_C",
        ),
        (
            HEAD
            + '[[observation]]\ntype = "fraction"\nprogram = "465 -> 25 @ 10"\nfraction = 1.5\n',
            "fraction",
        ),
    ],
)
def test_bad_material_files_name_the_key(tmp_path: Path, text: str, match: str):
    p = tmp_path / "bad.toml"
    p.write_text(text)
    with pytest.raises(ManifestError, match=match) as err:
        load_material(p)
    assert str(p) in str(err.value)


@pytest.mark.slow
def test_paper_words_from_a_file_calibrate(tmp_path: Path):
    (tmp_path / "m.toml").write_text(
        HEAD
        + """
[[observation]]
type = "bound"
program = "465 -> 25 @ 42"
at_most = 0.01
[[observation]]
type = "fraction"
program = "465 -> 25 @ 42 -> 465 @ 10"
fraction = 0.03
at_C = 200.0
[[observation]]
type = "saturation"
program = "465 -> 25 @ 42 -> 465 @ 10"
fraction = 0.59
from_C = 260.0
to_C = 300.0
[[observation]]
type = "window"
program = "465 -> 25 @ 42 -> 465 @ 10"
start_C = 200.0
end_C = 260.0
[[observation]]
type = "size"
program = "465 -> 25 @ 42 -> 300 @ 10"
diameter_nm = 19.0
"""
    )
    mat = load_material(tmp_path / "m.toml")
    cal = calibrate(mat.base, mat.observations, free=mat.free)
    assert all(c.satisfied for c in cal.checks), cal.report()
    assert cal.parameters.max_fraction == pytest.approx(0.59, abs=0.02)
