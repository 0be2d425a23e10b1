"""``--out DIR`` of the single-file commands (mofglass.cli_out), on real files."""

from __future__ import annotations

import csv
import json

from typer.testing import CliRunner

from mofglass.cli import app

runner = CliRunner()


def _files(folder):
    return sorted(p.name for p in folder.iterdir())


def _run_out(args, out, stem):
    """Run ``mofglass ARGS --out OUT``; return the values of its JSON rows by quantity."""
    r = runner.invoke(app, [*map(str, args), "--out", str(out)])
    assert r.exit_code == 0, r.output
    doc = json.loads((out / f"{stem}.json").read_text())
    return {row["quantity"]: row["value"] for row in doc["rows"]}


def test_dsc_out_writes_curves_figures_and_the_numbers_it_prints(shared_data, tmp_path):
    f = shared_data / "macfp-pmma-dsc-tga-netzsch" / "FSRI_DSC_N2_10K_1.csv"
    out = tmp_path / "dsc"
    r = runner.invoke(app, ["dsc", str(f), "--exo-down", "--json", "--out", str(out)])
    assert r.exit_code == 0, r.output
    printed = json.loads(r.output)
    names = _files(out)
    for ext in ("png", "svg", "pdf"):
        assert f"dsc_FSRI_DSC_N2_10K_1.{ext}" in names
    assert ".mofglass-output" in names
    doc = json.loads((out / "FSRI_DSC_N2_10K_1.json").read_text())
    rows = {row["quantity"]: row["value"] for row in doc["rows"]}
    # the files hold the numbers the command printed (same analysis, same options)
    assert rows["tg_mid_C"] == printed["segments"][0]["tg_mid_C"]["value"]
    assert doc["command"] == printed
    (table,) = [n for n in names if n.endswith(".csv")]
    with open(out / table, newline="") as fh:
        data = list(csv.reader(fh))
    assert data[0] == ["temperature_C", "heat_flow_W_g"]
    temps = [float(row[0]) for row in data[1:]]
    assert len(temps) > 500 and min(temps) < 60 and max(temps) > 540  # the file's 50-550 °C scan
    marker = json.loads((out / ".mofglass-output").read_text())
    assert set(marker["files"]) == set(names) - {".mofglass-output"}


def test_out_refuses_a_folder_with_foreign_files_before_any_work(shared_data, tmp_path):
    f = shared_data / "macfp-pmma-dsc-tga-netzsch" / "FSRI_TGA_N2_10K_1.csv"
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    r = runner.invoke(app, ["tga", str(f), "--out", str(out)])
    assert r.exit_code == 2 and "notes.txt" in r.output and len(r.output.splitlines()) == 1
    assert _files(out) == ["notes.txt"] and (out / "notes.txt").read_text() == "keep me"


def test_indent_out_on_fused_silica_keeps_the_certified_modulus(shared_data, tmp_path):
    # Example.xls: a G200 run on fused silica, Er = 69.6 GPa (the reference value of the
    # Oliver-Pharr fused-silica calibration, ISO 14577-2)
    f = shared_data / "nanoindentation-micromechanics" / "Example.xls"
    out = tmp_path / "fs"
    er = _run_out(["indent", f], out, "Example")["reduced_modulus_GPa"]
    assert abs(er - 69.6) / 69.6 < 0.05
    names = _files(out)
    assert "indentation_modulus_hardness_vs_depth.svg" in names
    assert any(n.startswith("Example_curves_") and n.endswith(".csv") for n in names)
    # a second run replaces the folder mofglass wrote
    assert runner.invoke(app, ["indent", str(f), "--out", str(out)]).exit_code == 0


def test_bands_out_writes_the_spectrum_and_fit(shared_data, tmp_path):
    f = shared_data / "zif62-ftir-jasco" / "ftir_test.csv"
    out = tmp_path / "ir"
    r = runner.invoke(app, ["bands", str(f), "--band", "1000:950-1050", "--out", str(out)])
    assert r.exit_code == 0, r.output
    names = _files(out)
    assert {"ftir_stacked.pdf", "ftir_test.json", "ftir_test_curves.csv"} <= set(names)
    doc = json.loads((out / "ftir_test.json").read_text())
    pos = [row["value"] for row in doc["rows"] if "position" in row["quantity"]]
    assert pos and 950 < pos[0] < 1050


def test_sorption_out_on_uio66_keeps_the_pygaps_bet_area(shared_data, tmp_path):
    # pyGAPS's characterisation tests (conftest.py, commit 34279c1): UiO-66 N2 77 K BET area
    # 1250 m²/g, within pyGAPS's own 10 % tolerance
    f = shared_data / "isotherm-pygaps-json-aif" / "UiO-66_Zr__N2_77K.json"
    out = tmp_path / "bet"
    area = _run_out(["sorption", f], out, "UiO-66_Zr__N2_77K")["bet_area_m2_g"]
    assert abs(area - 1250.0) / 1250.0 < 0.10
    assert {"sorption_bet_UiO-66_Zr__N2_77K.svg", "UiO-66_Zr__N2_77K.json"} <= set(_files(out))


def test_tem_out_indexes_srtio3_and_writes_the_figure(shared_data, tmp_path):
    # SrTiO3 [001] HR-TEM image: fringes (100)/(010) at a = 3.905 Å (the CIF's cell), 90° apart
    from pathlib import Path

    cif = Path(__file__).parent / "microscopy" / "data" / "SrTiO3_Pm-3m.cif"
    img = shared_data / "tem-sto-ser-eels-dm3" / "16_STOimage_1.ser"
    out = tmp_path / "tem"
    r = runner.invoke(app, ["tem", str(img), "--phase", str(cif), "--out", str(out)])
    assert r.exit_code == 0, r.output
    doc = json.loads((out / "16_STOimage_1.json").read_text())
    assert doc["details"]["result"]["solutions"][0]["zone"] == [0, 0, 1]
    rows = {row["quantity"]: row["value"] for row in doc["rows"]}
    assert abs(rows["fringe_angle_deg"] - 90) < 1.5
    assert {"tem_16_STOimage_1.png", "tem_16_STOimage_1.pdf"} <= set(_files(out))
    assert not any(n.endswith(".csv") for n in _files(out))  # no curve: no CSV


def test_print_json_is_the_one_format_of_the_finite_json_wrapper(capsys):
    # every --json command prints through print_json; the wrapper that turns NaN/Infinity into
    # null re-prints in that same format, so a document looks the same with or without NaN
    from mofglass.cli import finite_json
    from mofglass.cli_out import json_text, print_json

    doc = {"T_C": [25.0, float("nan")], "label": "Zn(im)₂", "n": {"k": float("inf")}}
    print_json(doc)
    printed = capsys.readouterr().out
    assert printed == json_text(doc) + "\n" and "Zn(im)₂" in printed  # UTF-8, not \u escapes
    text, bad = finite_json(printed)
    assert bad == ["T_C[1]", "n.k"]
    clean = {"T_C": [25.0, None], "label": "Zn(im)₂", "n": {"k": None}}
    assert text == json_text(clean) + "\n"
    assert finite_json(text) == (text, [])  # finite text is left byte for byte
