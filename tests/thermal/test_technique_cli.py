"""Study techniques, demo files and CLI functions, end to end on the simulated demo runs.

Truth: the paper's parameters that the demo files were simulated with
(``mofglass.demo.samples.DEMO_SAMPLES``; seed ``DEMO_SEED``) - the analysis must give them back.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from mofglass.composition import Composition
from mofglass.demo.samples import DEMO_SAMPLES, DEMO_SEED
from mofglass.study.technique import SampleInfo, Task, TechniqueOutput, get_technique
from mofglass.thermal.cli import dsc_command, fragility_command, tga_command


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict, dict]:
    folder = tmp_path_factory.mktemp("demo")
    dsc = get_technique("dsc").demo_inputs(DEMO_SAMPLES, folder, seed=DEMO_SEED)
    tga = get_technique("tga").demo_inputs(DEMO_SAMPLES, folder, seed=DEMO_SEED)
    return folder, dsc, tga


def _run(key: str, folder: Path, sid: str, entry: dict):  # type: ignore[no-untyped-def]
    s = next(x for x in DEMO_SAMPLES if x.id == sid)
    info = SampleInfo(
        s.id, s.label, s.phase, s.formula, Composition.from_formula(s.formula).molar_mass_g_mol
    )
    opts = {k: v for k, v in entry.items() if k != "file"}
    tech = get_technique(key)
    get_technique(key).Options(**opts)  # entries validate against the Options schema
    return tech.run(Task(key, info, str(folder / entry["file"]), opts))


def _rows(out) -> dict:  # type: ignore[no-untyped-def]
    return {r.quantity: r for r in out.rows}


def test_demo_files_small_and_deterministic(demo, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder, dsc, tga = demo
    files = [folder / e["file"] for es in (*dsc.values(), *tga.values()) for e in es]
    assert sum(f.stat().st_size for f in files) < 600_000  # share of the < 2 MB demo
    again = get_technique("dsc").demo_inputs(DEMO_SAMPLES, tmp_path, seed=DEMO_SEED)
    first = dsc["cdim2"][0]["file"]
    assert again["cdim2"][0]["file"] == first
    assert (tmp_path / first).read_bytes() == (folder / first).read_bytes()
    # every sample with thermal parameters has files; the glass-ceramic has none
    assert set(dsc) == {"cdim2", "gcdim2", "cdim1.75bim0.25"} and set(tga) == {"cdim2", "cdim2-sol"}


def test_dsc_technique_recovers_paper_values(demo) -> None:  # type: ignore[no-untyped-def]
    folder, dsc, _ = demo
    out = _run("dsc", folder, "cdim2", dsc["cdim2"][1])  # three cycles, quench -42 °C/min
    r = _rows(out)
    # paper: Tm 455 °C (offset) tol 1 K; ΔHm 16.6 kJ/mol tol 6 %; Tg 175 tol 1 K; ΔCp 0.16 tol 8 %
    assert r["melting_offset_C"].value == pytest.approx(455, abs=1.0)
    assert r["melting_enthalpy_kJ_mol"].value == pytest.approx(16.6, rel=0.06)
    assert r["tg_mid_C"].value == pytest.approx(175, abs=1.0)
    assert r["delta_cp_J_gK"].value == pytest.approx(0.16, rel=0.08)
    # ΔHrc -9.7 kJ/mol tol 5 %; fraction 59 % tol 4 points; cycles: Tg 175-176 (range < 1 K)
    assert r["cold_crystallisation_enthalpy_kJ_mol"].value == pytest.approx(-9.7, rel=0.05)
    assert r["crystallised_fraction"].value == pytest.approx(0.59, abs=0.04)
    assert r["tg_cycle_range_C"].value < 1.0
    # the quench: -42 °C/min average from Tm to Tg (tol 1 K/min)
    assert r["cooling_rate_Tm_to_Tg_K_min"].value == pytest.approx(-42, abs=1.0)
    # trace Cd melting at 325 °C (simulated 0.3 J/g) found in every heating, and the names are
    # numbered per label so that the same event has the same name in each cycle (segments 1, 3, 5)
    for seg in (1, 3, 5):
        assert r[f"seg{seg}_melting_peak_C"].value == pytest.approx(325, abs=1.0)
        assert r[f"seg{seg}_melting_enthalpy_J_g"].value == pytest.approx(0.3, abs=0.06)
        assert r[f"seg{seg}_melting2_offset_C"].value == pytest.approx(455, abs=1.0)
    assert r["seg3_cold_crystallisation_peak_C"].value == pytest.approx(230, abs=1.0)
    figs = get_technique("dsc").figures([out])
    assert len(figs) == 1
    # one rate per segment everywhere: the legend shows the table's measured mean rate
    for c in out.details["curves"]:
        i = int(c["label"].split(":")[0])
        assert f"{r[f'seg{i}_rate_K_min'].value:+.1f} K/min" in c["label"]


@pytest.mark.slow
def test_dsc_fragility_and_series(demo) -> None:  # type: ignore[no-untyped-def]
    folder, dsc, _ = demo
    outs = [_run("dsc", folder, sid, e) for sid, es in dsc.items() for e in es]
    rates = next(o for o in outs if o.source == "gcdim2_rates.txt")
    # paper: m ≈ 43, simulated through Tf(q); tol 3
    assert _rows(rates)["fragility_m"].value == pytest.approx(43, abs=3)
    mixed = _rows(next(o for o in outs if o.sample_id == "cdim1.75bim0.25"))
    # x = 0.25: Tm 421 °C, ΔHm 5.7 kJ/mol, Tg 187 °C (paper)
    assert mixed["melting_offset_C"].value == pytest.approx(421, abs=1.0)
    assert mixed["melting_enthalpy_kJ_mol"].value == pytest.approx(5.7, rel=0.06)
    assert mixed["tg_mid_C"].value == pytest.approx(187, abs=1.0)
    figs = get_technique("dsc").figures(outs)
    assert "dsc_series_x" in figs


def test_tga_technique(demo) -> None:  # type: ignore[no-untyped-def]
    folder, _, tga = demo
    r = _rows(_run("tga", folder, "cdim2", tga["cdim2"][0]))
    # paper: Td 473 °C (mechanochemical), DTA melting peak 447 °C; tol 1.5 K
    assert r["decomposition_onset_C"].value == pytest.approx(473, abs=1.5)
    assert r["dta1_endo_peak_C"].value == pytest.approx(447, abs=1.5)
    sol = _rows(_run("tga", folder, "cdim2-sol", tga["cdim2-sol"][0]))
    assert sol["decomposition_onset_C"].value == pytest.approx(455, abs=1.5)


@pytest.mark.slow
def test_cli_functions(demo) -> None:  # type: ignore[no-untyped-def]
    folder, dsc, tga = demo
    app = typer.Typer()
    app.command("dsc")(dsc_command)
    app.command("tga")(tga_command)
    app.command("fragility")(fragility_command)
    runner = CliRunner()
    res = runner.invoke(
        app, ["dsc", str(folder / dsc["cdim2"][1]["file"]), "--formula", "Cd(im)2", "--json"]
    )
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    heat1 = data["segments"][0]
    melt = max(heat1["events"], key=lambda e: e["enthalpy_J_g"]["value"])
    assert set(melt) >= {"onset_C", "peak_C", "offset_C", "enthalpy_J_g", "enthalpy_kJ_mol"}
    assert melt["enthalpy_kJ_mol"]["value"] == pytest.approx(16.6, rel=0.06)
    assert any(
        "tg_mid_C" in s and "delta_cp_J_gK" in s and "fictive_C" in s for s in data["segments"]
    )
    res = runner.invoke(app, ["dsc", str(folder / dsc["cdim2"][1]["file"])])
    assert res.exit_code == 0 and "melting" in res.output
    res = runner.invoke(app, ["tga", str(folder / tga["cdim2"][0]["file"]), "--json"])
    assert res.exit_code == 0
    assert json.loads(res.output)["decomposition_onset_C"]["value"] == pytest.approx(473, abs=1.5)
    res = runner.invoke(app, ["fragility", str(folder / dsc["gcdim2"][1]["file"]), "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["fragility_m"]["value"] == pytest.approx(43, abs=3)
    res = runner.invoke(app, ["fragility", str(folder / dsc["gcdim2"][1]["file"])])
    assert res.exit_code == 0 and "m" in res.output


def test_tg_range_named_by_what_varied(demo) -> None:  # type: ignore[no-untyped-def]
    folder, dsc, _ = demo
    rates = next(e for e in dsc["gcdim2"] if "rates" in e["file"])
    r = _rows(_run("dsc", folder, "gcdim2", rates))
    # coolings at 5-40 K/min before the upscans: a rate series, not "cycle stability"
    assert "tg_range_over_rates_C" in r and "tg_cycle_range_C" not in r
    assert "rate series" in r["tg_range_over_rates_C"].method


def test_dta_figure_follows_the_files_exo_flag(demo) -> None:  # type: ignore[no-untyped-def]
    # the paper's DTA melting at 447 °C is endothermic: under "exo ↑" it must point down
    folder, _, tga = demo
    out = _run("tga", folder, "cdim2", tga["cdim2"][0])
    (fig,) = get_technique("tga").figures([out]).values()
    line = next(
        ln for ax in fig.axes for ln in ax.get_lines() if str(ln.get_label()).startswith("DTA")
    )
    assert "exo ↑" in str(line.get_label())
    T, y = (np.asarray(a, float) for a in line.get_data())
    at_peak = float(np.interp(447.0, T, y))
    base = float(np.median(y[(T > 380) & (T < 420)]))
    assert at_peak < base


def test_keep_going_output_has_no_figure() -> None:
    failed = TechniqueOutput("s", "bad.txt", (), {"error": "bad file"})
    for key in ("dsc", "tga", "fragility"):
        assert get_technique(key).figures([failed]) == {}


def test_technique_is_read_analyse_output() -> None:
    # the plug-in's rows are the analysis result's own rows; its details carry the result
    from mofglass.composition import Composition
    from mofglass.thermal.analysis import DSCAnalysis, analyse_dsc
    from mofglass.thermal.readers import read_thermogram
    from tests.thermal.conftest import shared

    path = shared("dsc-tainstruments-eicosane/sample_dsc_tainstruments.txt")
    info = SampleInfo(id="e", label="eicosane", phase="crystal", formula="C20H42")
    out = get_technique("dsc").run(Task("dsc", info, str(path), {}))
    M = Composition.from_formula("C20H42").molar_mass_g_mol
    res = analyse_dsc(read_thermogram(path), molar_mass_g_mol=M, sample_phase="crystal")
    assert out.rows == tuple(res.rows(sample_id="e", technique="dsc", source=path.name))
    assert DSCAnalysis.from_dict(out.details["result"]).headline == res.headline
    assert {"summary", "curves", "headline", "x_bim"} <= set(out.details)
