"""Sequential refinement (``mofglass pxrd-series``) on a real LaB6 scan re-gridded to known
expansions, with a foreign pattern in the middle.

Truth (closed form): the LaB6 scan (xrd-lab6-xye-xrayutilities) is rewritten with every
d-spacing scaled by (1 + ε), sin θ' = sin θ / (1 + ε) for both Kα lines, at ε = 0, 1e-3, 2e-3
for 100, 200, 300 K: linear expansion α = 10 MK⁻¹ on every axis (tol 0.5 MK⁻¹: the
re-gridding interpolates the counts). A PbSO4 pattern in the series must fail, be flagged
and not be carried forward.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from mofglass.diffraction.cli import pxrd_series_command
from mofglass.diffraction.readers import read_pattern
from tests.diffraction._cli import cli_app


def _app() -> typer.Typer:
    return cli_app("pxrd-series", pxrd_series_command)


def _expanded(shared_data: Path, folder: Path, eps: float) -> Path:
    p = read_pattern(shared_data / "xrd-lab6-xye-xrayutilities" / "LaB6_d500_si_psd.xye.bz2")
    p = p.crop(18, 80)
    x = np.degrees(2 * np.arcsin(np.sin(np.radians(p.two_theta_deg) / 2) / (1 + eps)))
    out = folder / f"lab6_{eps:g}.xye"
    np.savetxt(out, np.column_stack([x, p.intensity, p.weights_sigma()]), fmt="%.6f")
    return out


@pytest.mark.slow
def test_series_expansion_and_failed_fit(shared_data: Path, tmp_path: Path) -> None:
    files = [_expanded(shared_data, tmp_path, e) for e in (0.0, 1e-3)]
    foreign = tmp_path / "pbso4.xy"
    pb = read_pattern(shared_data / "xrd-pbso4-gsas-std-prm" / "PBSO4.XRA").crop(18, 80)
    np.savetxt(foreign, np.column_stack([pb.two_theta_deg, pb.intensity]), fmt="%.4f")
    files += [foreign, _expanded(shared_data, tmp_path, 2e-3)]
    args = ["pxrd-series", *map(str, files), "--cell", "4.1569 4.1569 4.1569 90 90 90"]
    args += ["--space-group", "P m -3 m", "--radiation", "CuKa12"]
    args += ["--temperatures", "100,200,250,300", "--json"]
    res = CliRunner().invoke(_app(), args)
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    rows = out["patterns"]
    assert [bool(r["problems"]) for r in rows] == [False, False, True, False]
    a = [r["a_A"]["value"] for r in rows if not r["problems"]]
    assert a[1] / a[0] - 1 == pytest.approx(1e-3, abs=5e-5)
    assert a[2] / a[0] - 1 == pytest.approx(2e-3, abs=5e-5)
    for m in out["expansion"]["alpha_per_MK"]:
        assert m["value"] == pytest.approx(10.0, abs=0.5)
    assert out["expansion"]["alpha_volume_per_MK"]["value"] == pytest.approx(30.0, abs=1.5)


def test_series_temperatures_from_file_names_and_headers(shared_data: Path, tmp_path: Path) -> None:
    # no --temperatures: 100 K and 200 K from the names (warned), 300 K from a header in °C
    files = []
    for eps, name in ((0.0, "lab6_100K.xye"), (1e-3, "lab6_200K.xye"), (2e-3, "lab6_hot.xye")):
        f = _expanded(shared_data, tmp_path, eps)
        text = f.read_text()
        f.unlink()
        header = "# Temp (C) = 26.85\n" if name == "lab6_hot.xye" else ""
        (tmp_path / name).write_text(header + text)
        files.append(tmp_path / name)
    args = ["pxrd-series", *map(str, files), "--cell", "4.1569 4.1569 4.1569 90 90 90"]
    args += ["--space-group", "P m -3 m", "--radiation", "CuKa12", "--json"]
    res = CliRunner().invoke(_app(), args)
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    rows = out["patterns"]
    assert [r["temperature_K"] for r in rows] == pytest.approx([100.0, 200.0, 300.0])
    assert rows[2]["temperature_C"] == pytest.approx(26.85)
    assert "file name" in rows[0]["temperature_origin"]
    assert "header" in rows[2]["temperature_origin"]
    assert sum("taken from the file name" in w for w in out["warnings"]) == 2
    for m in out["expansion"]["alpha_per_MK"]:
        assert m["value"] == pytest.approx(10.0, abs=0.5)


@pytest.mark.slow
def test_series_temperature_from_11bm_header(shared_data: Path) -> None:
    # the 11-BM sucrose file says "# Temp (K) = 100.0" in its header
    fxye = shared_data / "pxrd-11bm-gsas-fxye" / "11bmb_8716.fxye"
    args = ["pxrd-series", str(fxye), "--cell", "10.8631 8.7044 7.7624 90 102.938 90"]
    args += ["--space-group", "P 1 21 1", "--range", "2", "8", "--json"]
    res = CliRunner().invoke(_app(), args)
    assert res.exit_code == 0, res.output
    (row,) = json.loads(res.output)["patterns"]
    assert row["temperature_K"] == 100.0
    assert row["temperature_C"] == pytest.approx(-173.15)
    assert "Temp (K)" in row["temperature_origin"]
