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
    assert rows["pdf_peak2_r_A"].value == pytest.approx(1.96, abs=0.03)
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
    assert out.details["pdf_kind"] == "D" and len(out.details["curves"]["fq"]) > 100
    rows = {r.quantity: r for r in out.rows}
    # C-C/C-N of imidazolate 1.34 Å (published D(r) fit 1.338 Å); Lorch broadening: tol 0.03 Å
    assert rows["pdf_peak1_r_A"].value == pytest.approx(1.34, abs=0.03)


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


def test_pdf_technique_model_features_and_figure4(tmp_path: Path) -> None:
    # measured ZIF-4 D(r) (Gaillac 2017 GudrunX .dofr) at 31 °C (crystal) and 589 °C (liquid
    # quenched → glass) with the ZIF-4 crystal model (Park 2006, RASPA2 CIF) as ``phase``:
    # the features are labelled by their pairs (C-N 1.35, Zn-N 1.99 Å; tol 0.03 Å as in
    # test_assign) and the Figure 4 view puts the crystal panel before the glass
    for t in (31, 589):
        shutil.copy(shared(f"{BASE}{t}.dofr"), tmp_path / f"ZIF4glassa_{t}.dofr")
    shutil.copy(shared("raspa2-zif-cifs/ZIF-4.cif"), tmp_path / "ZIF-4.cif")
    tech = get_technique("pdf")
    outs = []
    for i, (t, phase) in enumerate(((589, "glass"), (31, "crystal"))):
        task = Task(
            "pdf",
            SampleInfo(f"zif4_{t}", "ZIF-4", phase, "Zn(im)2"),
            str(tmp_path / f"ZIF4glassa_{t}.dofr"),
            {"phase": "ZIF-4.cif"},
            f"ZIF4glassa_{t}.dofr",
            i,
        )
        outs.append(tech.run(task))
    from mofglass.totalscattering.sample import PDFSampleResult

    crystal = PDFSampleResult.from_dict(outs[1].details["result"])
    pos = {f.label: f.r_A for f in crystal.features if f.sign > 0}
    assert pos["C-N"] == pytest.approx(1.35, abs=0.03)
    assert pos["N-Zn"] == pytest.approx(1.99, abs=0.03)
    assert crystal.model is not None and set(crystal.model.network) >= {"intra"}
    figs = tech.figures(outs)
    assert "pdf_features" in figs
    titles = [ax.get_title() for ax in figs["pdf_features"].axes[:2]]
    assert titles[0].startswith("crystal: zif4_31") and titles[1].startswith("glass: zif4_589")
    json.dumps(outs[0].details)


def test_study_writes_pdf_curve_files_listed_in_marker(tmp_path: Path) -> None:
    # the study writes each reduced curve (.gr/.fq/.sq with PDFgetX3 headers, CSV) into
    # curves/ of its output folder, listed with their SHA-256 in the safety marker; the .gr
    # read back equals the D(r) of the analysis (plumbing: same numbers, 8 significant digits)
    from mofglass.outputs import OUTPUT_MARKER, sha256_of
    from mofglass.study.manifest import load_manifest
    from mofglass.study.pipeline import run_study, write_outputs
    from mofglass.totalscattering.readers import read_total_scattering

    shutil.copy(shared(f"{BASE}31.int01"), tmp_path / "z31.int01")
    (tmp_path / "study.toml").write_text(
        '[study]\ntitle = "t"\n\n[[samples]]\nid = "zif4"\nlabel = "ZIF-4"\nphase = "crystal"\n'
        'formula = "Zn(im)2"\n\n[[samples.pdf]]\nfile = "z31.int01"\nqmax_invA = 20.0\n',
        encoding="utf-8",
    )
    res = run_study(load_manifest(tmp_path / "study.toml"))
    out = write_outputs([res], tmp_path / "out", figures=False)
    names = {p.name for p in (out / "curves").iterdir()}
    assert names == {f"zif4_z31{e}" for e in (".gr", ".fq", ".sq", ".csv")}
    marker = json.loads((out / OUTPUT_MARKER).read_text())["files"]
    for n in names:
        assert marker[f"curves/{n}"] == sha256_of(out / "curves" / n)
    gr = read_total_scattering(out / "curves" / "zif4_z31.gr")
    assert gr.kind == "D"
    from mofglass.totalscattering.sample import PDFSampleResult

    pdf_out = next(o for o in res.outputs if "result" in o.details)
    s = PDFSampleResult.from_dict(pdf_out.details["result"]).summary
    np.testing.assert_allclose(np.asarray(gr.y), s.pdf, rtol=1e-7, atol=1e-9)
