"""The ``pdf`` study technique and ``mofglass pdf`` CLI on the ZIF-4 GudrunX files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
import typer
from matplotlib.figure import Figure
from typer.testing import CliRunner

from mofglass.study.technique import SampleInfo, Task, get_technique
from mofglass.totalscattering.cli import pdf_command

from .conftest import shared

BASE = "zif4-glass-xray-FQ-Dr/ZIF4glassa_"


def _task(path: Path, options: dict, sid: str = "zif4", index: int = 0) -> Task:
    return Task(
        "pdf", SampleInfo(sid, "ZIF-4", "glass", "Zn(im)2"), str(path), options, path.name, index
    )


def test_pdf_technique_rows_mixture_and_figures(tmp_path: Path) -> None:
    # references: ZIF-4 at 31 °C (crystal) and 589 °C; target = a synthetic 0.4/0.6 mixture of
    # the two published D(r) written as a .dofr; the fraction must come back within 0.01.
    for t in (31, 301, 589):
        shutil.copy(shared(f"{BASE}{t}.dofr"), tmp_path / f"ZIF4glassa_{t}.dofr")
    c = np.loadtxt(tmp_path / "ZIF4glassa_31.dofr")
    g = np.loadtxt(tmp_path / "ZIF4glassa_589.dofr")
    mix = c.copy()
    mix[:, 1] = 0.4 * c[:, 1] + 0.6 * g[:, 1]
    np.savetxt(tmp_path / "gc_400.dofr", mix, header="synthetic glass-ceramic")
    tech = get_technique("pdf")
    opts = {"crystal_reference": "ZIF4glassa_31.dofr", "glass_reference": "ZIF4glassa_589.dofr"}
    out = tech.run(_task(tmp_path / "gc_400.dofr", opts))
    rows = {r.quantity: r for r in out.rows}
    assert rows["crystalline_fraction"].value == pytest.approx(0.4, abs=0.01)
    # Zn-N 1.96 Å in the published ZIF-4 D(r) (Gaillac 2017 Fig. 1f); tol 0.03 Å
    assert rows["pdf_peak2_r"].value == pytest.approx(1.96, abs=0.03)
    outs = [out] + [
        tech.run(_task(tmp_path / f"ZIF4glassa_{t}.dofr", {}, index=i))
        for i, t in enumerate((31, 301, 589))
    ]
    figs = tech.figures(outs)
    assert set(figs) == {"pdf_stacked", "pdf_vt_series"}
    assert all(isinstance(f, Figure) for f in figs.values())
    json.dumps(out.details)  # JSON-ready


def test_pdf_technique_transforms_int01() -> None:
    tech = get_technique("pdf")
    out = tech.run(_task(shared(f"{BASE}31.int01"), {"qmax_invA": 22.0, "lorch": True}))
    assert out.details["pdf_kind"] == "D" and len(out.details["fq"]) > 100
    rows = {r.quantity: r for r in out.rows}
    # C-C/C-N of imidazolate 1.34 Å (published D(r) fit 1.338 Å); Lorch broadening: tol 0.03 Å
    assert rows["pdf_peak1_r"].value == pytest.approx(1.34, abs=0.03)


def test_cli_json() -> None:
    app = typer.Typer()
    app.command()(pdf_command)
    res = CliRunner().invoke(app, [str(shared(f"{BASE}589.dofr")), "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data[0]["pdf_kind"] == "D" and data[0]["temperature_C"] == 589.0
    # Zn-N 1.96 Å; tol 0.03 Å
    assert data[0]["peaks"][1]["position_A"]["value"] == pytest.approx(1.96, abs=0.03)
    text = CliRunner().invoke(app, [str(shared(f"{BASE}31.int01")), "--qmax", "20"])
    assert text.exit_code == 0 and "Qmax 20.00" in text.output


def test_chi_two_theta_with_wavelength_option() -> None:
    # Fe81S19.chi has no header; with x_kind two_theta_deg and λ = 0.4 Å the Q axis must be
    # 4π sin(θ)/λ (closed form) - checked through the reader/data object the technique uses.
    from mofglass.totalscattering import q_from_two_theta, read_total_scattering

    d = read_total_scattering(shared("total-scattering-glassure/Fe81S19.chi"))
    d = d.replace(wavelength_A=0.4)
    assert d.q_invA[-1] == pytest.approx(4 * np.pi * np.sin(np.radians(12.5)) / 0.4)
    assert np.allclose(q_from_two_theta(np.array([180.0]), 1.0), 4 * np.pi)
