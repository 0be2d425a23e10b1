"""CLI, study technique, export and figure of the structure package.

Truths: the JSON contract of the issue (keys and types), the network labels written to the
exported files read back unchanged, and the demo model's construction (2 dia nets).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from mofglass.structure import build_framework, read_structure
from mofglass.structure.cli import structure_command
from mofglass.structure.export import write_framework_cif, write_framework_xyz
from mofglass.study.technique import SampleInfo, Task, get_technique


def _app() -> typer.Typer:
    app = typer.Typer()
    app.command("structure")(structure_command)

    @app.command("version")
    def version() -> None:  # a second command so typer keeps the sub-command name
        typer.echo("x")

    return app


def test_cli_json_contract(shared) -> None:  # type: ignore[no-untyped-def]
    path = shared("zif4-zni-widmer2019/ZIF-4-hPT-II.cif")
    res = CliRunner().invoke(_app(), ["structure", str(path), "--json", "--fringe-nm", "0.35"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)
    for key in (
        "formula",
        "cell_volume_A3",
        "metal",
        "metal_density_per_nm3",
        "topology",
        "coordination_sequence",
        "vertex_symbol",
        "interpenetration",
        "metal_metal_distances",
    ):
        assert key in doc
    assert doc["topology"] == "dia" and doc["interpenetration"] == 2
    m = doc["metal_metal_distances"][0]
    assert set(m) >= {"r_A", "kind", "count", "linkers_between"}
    assert m["kind"] in ("intra", "inter")
    assert doc["coordination_sequence"][0][:3] == [4, 12, 24]


def test_cli_bond_tolerances(shared) -> None:  # type: ignore[no-untyped-def]
    # AFIXEW_ASR (CrystalNets.jl test CIF, its suite: bex): bex with the default metal-donor
    # tolerance, not bex with the plain CSD rule (the 2.654 Å Cd-O bridge is lost)
    path = str(shared("crystalnets-test-cifs/AFIXEW_ASR.cif"))
    wide = CliRunner().invoke(_app(), ["structure", path, "--json"])
    plain = CliRunner().invoke(_app(), ["structure", path, "--json", "--metal-tolerance-A", "0.4"])
    assert wide.exit_code == 0 and plain.exit_code == 0, wide.output + plain.output
    assert json.loads(wide.output)["topology"] == "bex"
    assert json.loads(plain.output)["topology"] == "unknown"


def test_cli_rich_table(shared) -> None:  # type: ignore[no-untyped-def]
    res = CliRunner().invoke(
        _app(), ["structure", str(shared("zif-structures-lewis2009/ZIF-8.cif"))]
    )
    assert res.exit_code == 0, res.output
    assert "sod" in res.output and "metal density" in res.output


def test_export_round_trip(shared, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    fw = build_framework(read_structure(shared("zif4-zni-widmer2019/ZIF-4-hPT-II.cif")))
    cif = write_framework_cif(fw, tmp_path / "nets.cif")
    back = read_structure(cif)
    import gemmi

    block = gemmi.cif.read(str(cif)).sole_block()
    nets = [int(x) for x in block.find_loop("_atom_site_mofglass_network")]
    assert nets == fw.network_labels.tolist()
    assert back.n_atoms == fw.crystal.n_atoms
    assert np.allclose(back.cell_volume_A3, fw.crystal.cell_volume_A3)
    from ase.io import read

    atoms = read(write_framework_xyz(fw, tmp_path / "nets.xyz"))
    assert atoms.arrays["network"].tolist() == fw.network_labels.tolist()


def test_technique_run_and_figure(shared) -> None:  # type: ignore[no-untyped-def]
    tech = get_technique("structure")
    task = Task(
        technique="structure",
        sample=SampleInfo(id="zn", label="ZIF-hPT-II", phase="crystal"),
        path=str(shared("zif4-zni-widmer2019/ZIF-4-hPT-II.cif")),
        options={"tem_fringe_nm": 0.35, "reference_volume_A3": "1200.0(5)"},
    )
    out = tech.run(task)
    rows = {r.quantity: r for r in out.rows}
    assert rows["interpenetration_count"].value == 2
    assert "dia-c" in rows["interpenetration_count"].method
    assert rows["metal_density_per_nm3"].unit == "nm^-3"
    assert "cell_volume_change" in rows and "tem_fringe_d_nm" in rows
    json.dumps(out.details)  # JSON-ready
    figs = tech.figures([out])
    assert len(figs) == 1


def test_demo_model_is_labelled_and_two_fold(tmp_path: Path) -> None:
    from mofglass.demo.samples import DEMO_SAMPLES

    tech = get_technique("structure")
    entries = tech.demo_inputs(DEMO_SAMPLES, tmp_path, seed=1)
    ((sample_id, (entry,)),) = entries.items()
    path = tmp_path / entry["file"]
    assert path.stat().st_size < 200_000
    c = read_structure(path)
    # the built model (ZIF-4-hPT-II template, Zn -> Cd, 1565.4 Å^3): labelled as a model
    assert any("MODEL built by mofglass" in w for w in c.metadata["warnings"])
    opts = {k: v for k, v in entry.items() if k != "file"}
    out = tech.run(
        Task("structure", SampleInfo(id=sample_id, label="", phase="crystal"), str(path), opts)
    )
    rows = {r.quantity: r for r in out.rows}
    assert rows["interpenetration_count"].value == 2
    assert rows["metal_density_per_nm3"].value == pytest.approx(8 / 1.5654, abs=1e-3)
    assert any("MODEL built" in w for w in out.warnings)
    assert "paper_comparison" in out.details and "d(302)" in tech.report_html([out])


def test_idealised_demo_model_stays_available(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from mofglass.demo.samples import DEMO_SAMPLES
    from mofglass.structure import technique as st

    monkeypatch.setattr(st, "DEMO_MODEL", "idealised")
    entries = get_technique("structure").demo_inputs(DEMO_SAMPLES, tmp_path, seed=1)
    ((_, (entry,)),) = entries.items()
    c = read_structure(tmp_path / entry["file"])
    assert any("IDEALISED MODEL" in w for w in c.metadata["warnings"])


def test_pdf_partials_figure_of_the_built_model(tmp_path: Path) -> None:
    """Figure-4 view: D(r) of the model with labelled peaks and intra/inter partials; the
    Cd···Cd across one im (6.38 Å in the model) is intra-network, the 5.5 Å Cd···Cd inter."""
    from mofglass.structure.demo_model import cdim2_model

    path = tmp_path / "m.cif"
    path.write_text(cdim2_model().cif_text(), encoding="utf-8")
    tech = get_technique("structure")
    out = tech.run(
        Task(
            "structure",
            SampleInfo(id="c", label="", phase="crystal"),
            str(path),
            {"pdf_partials": True},
        )
    )
    pp = out.details["pdf_partials"]
    r = np.asarray(pp["r_A"])
    intra, inter = (
        np.asarray(pp["partials"]["Cd···Cd intra"]),
        np.asarray(pp["partials"]["Cd···Cd inter"]),
    )
    assert abs(r[np.argmax(intra)] - 6.38) < 0.1
    assert abs(r[np.argmax(np.where(r < 6.0, inter, 0))] - 5.52) < 0.1
    assert 5 <= len(pp["peaks"]) <= 7
    assert any(k.endswith("_pdf_partials") for k in tech.figures([out]))
