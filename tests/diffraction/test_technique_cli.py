"""The pxrd study technique, its demo files, figures and the CLI command, end to end.

Truths: the demo samples' simulation parameters (paper values: 47.3 nm, 1500 nm -> lower bound
> 1000 nm, glass without Bragg peaks, 19.0 nm and crystalline fraction 0.59), with the
tolerances of the synthetic tests (size 3 %, fraction 0.04).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from mofglass.crystallography.cell import Cell
from mofglass.crystallography.radiation import Radiation
from mofglass.demo.samples import DEMO_SAMPLES, DEMO_SEED
from mofglass.diffraction import read_pattern
from mofglass.diffraction.analysis_result import PatternAnalysis
from mofglass.diffraction.cli import pxrd_command
from mofglass.diffraction.size import InstrumentProfile
from mofglass.diffraction.technique import PxrdOptions, PxrdTechnique
from mofglass.study.technique import SampleInfo, Task, get_technique
from tests.diffraction._cli import cli_app


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    folder = tmp_path_factory.mktemp("pxrd-demo")
    entries = PxrdTechnique().demo_inputs(DEMO_SAMPLES, folder, seed=DEMO_SEED)
    return folder, entries


@pytest.fixture(scope="module")
def outputs(demo_folder: tuple[Path, dict]) -> dict:
    folder, entries = demo_folder
    tech = get_technique("pxrd")
    outs = {}
    for sid, items in entries.items():
        item = dict(items[0])
        path = folder / item.pop("file")
        opts = PxrdOptions(**item).model_dump(mode="json")
        task = Task("pxrd", SampleInfo(sid, sid, "x"), str(path), opts, source=path.name)
        outs[sid] = tech.run(task)
    return outs


def _row(out, name: str):
    return next((r for r in out.rows if r.quantity == name), None)


def test_demo_files_small_deterministic_and_labelled(demo_folder, tmp_path: Path) -> None:
    folder, entries = demo_folder
    assert set(entries) == {"cdim2", "cdim2-sol", "gcdim2", "prccdim2"}
    files = sorted((folder / "pxrd").glob("*.xye"))
    assert sum(f.stat().st_size for f in files) < 400_000
    text = files[0].read_text()
    assert "SIMULATED" in text and "NOT the Cd(im)2 structure" in text
    again = PxrdTechnique().demo_inputs(DEMO_SAMPLES, tmp_path, seed=DEMO_SEED)
    assert again == entries
    for f in files:
        assert (tmp_path / "pxrd" / f.name).read_bytes() == f.read_bytes()
    p = read_pattern(files[0])
    assert p.radiation is not None and p.radiation.has_ka2


def test_demo_crystal_size(outputs) -> None:
    # paper: 47.3 ± 0.9 nm (mechanochemical); simulated with 47.3 nm; tol 3 %
    r = _row(outputs["cdim2"], "crystallite_size_nm")
    assert r is not None and r.unit == "nm"
    assert r.value == pytest.approx(47.3, rel=0.03)
    assert _row(outputs["cdim2"], "amorphous").value == 0.0


def test_demo_solution_sample_is_lower_bound(outputs) -> None:
    # paper: > 1000 nm (solution); simulated 1500 nm: a lower bound above 1000 nm, no value
    out = outputs["cdim2-sol"]
    assert _row(out, "crystallite_size_nm") is None
    bound = _row(out, "crystallite_size_lower_bound_nm")
    assert bound is not None and bound.value > 1000.0 and bound.stderr is None


def test_demo_glass_is_amorphous(outputs) -> None:
    out = outputs["gcdim2"]
    assert _row(out, "amorphous").value == 1.0
    assert _row(out, "n_bragg_peaks").value == 0.0
    assert _row(out, "crystalline_fraction").value == 0.0
    assert _row(out, "crystallite_size_nm") is None


def test_demo_glass_ceramic(outputs) -> None:
    # paper: 19.0(6) nm and ~59 % crystallised (DSC); tol 3 % on size, 0.04 on fraction
    out = outputs["prccdim2"]
    assert _row(out, "crystallite_size_nm").value == pytest.approx(19.0, rel=0.03)
    assert _row(out, "crystalline_fraction").value == pytest.approx(0.59, abs=0.04)
    # trace Cd metal simulated (3 % of the Bragg area): flagged
    assert any("Cd" in w for w in out.warnings)
    res = PatternAnalysis.from_dict(out.details["result"])
    assert any(m.phase == "Cd" and m.present for m in res.impurities)


def test_demo_pawley_volume_expansion(outputs) -> None:
    # paper: 1611(2) vs 1565.4(2) Å^3, +2.9 %; demo patterns made with those volumes
    v_cr = _row(outputs["cdim2"], "cell_volume_A3")
    v_gc = _row(outputs["prccdim2"], "cell_volume_A3")
    assert v_cr.value == pytest.approx(1565.4, rel=0.002)
    assert v_gc.value == pytest.approx(1611.0, rel=0.003)
    assert 100 * (v_gc.value / v_cr.value - 1) == pytest.approx(2.9, abs=0.3)


def test_details_json_ready_and_downsampled(outputs) -> None:
    for out in outputs.values():
        json.dumps(out.details)
        assert len(out.details["curves"]["two_theta_deg"]) <= 2000


def test_result_json_round_trip(outputs) -> None:
    # the seam: rows, report and figures come from PatternAnalysis.from_dict(details["result"])
    for out in outputs.values():
        text = json.dumps(out.details["result"], sort_keys=True)
        res = PatternAnalysis.from_dict(json.loads(text))
        assert json.dumps(res.to_dict(), sort_keys=True) == text
        assert tuple(res.rows(sample_id=out.sample_id, source=out.source)) == out.rows
        assert isinstance(res.radiation, Radiation)
        assert isinstance(res.instrument, InstrumentProfile)
        if res.whole_pattern is not None:
            assert isinstance(res.whole_pattern.cell, Cell)
        assert res.report().startswith(out.source)
        assert res._repr_html_().startswith("<table>")
        ax = res.plot()
        assert [ln.get_label() for ln in ax.get_lines()] == ["observed", "background", "peak fit"]


def test_figures(outputs) -> None:
    figs = get_technique("pxrd").figures(list(outputs.values()))
    assert "pxrd_overview" in figs
    fig = figs["pxrd_prccdim2_prccdim2"]
    assert len(fig.axes) == 2  # pattern + residual
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert {"observed", "background", "fit"} <= set(labels)


def test_options_validation() -> None:
    with pytest.raises(ValueError):
        PxrdOptions(impurities=["Unobtainium"])
    with pytest.raises(ValueError):
        PxrdOptions(two_theta_range=(50.0, 5.0))
    with pytest.raises(ValueError):
        PxrdOptions(bogus=1)  # type: ignore[call-arg]


def _app() -> typer.Typer:
    return cli_app("pxrd", pxrd_command)


def test_cli_text_and_json(demo_folder) -> None:
    folder, _ = demo_folder
    runner = CliRunner()
    res = runner.invoke(_app(), ["pxrd", str(folder / "pxrd" / "gcdim2.xye")])
    assert res.exit_code == 0, res.output
    assert "no Bragg peaks" in res.output
    res = runner.invoke(
        _app(),
        [
            "pxrd",
            str(folder / "pxrd" / "cdim2.xye"),
            "--json",
            "--instrument",
            "0.004,-0.002,0.0025,0,0.02",
        ],
    )
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["amorphous"] is False
    assert data["quantities"]["crystallite_size_nm"]["unit"] == "nm"
    assert data["quantities"]["crystallite_size_nm"]["value"] == pytest.approx(47.3, rel=0.03)
    assert len(data["peaks"]) >= 10


def test_cli_bad_instrument(demo_folder) -> None:
    folder, _ = demo_folder
    res = CliRunner().invoke(
        _app(), ["pxrd", str(folder / "pxrd" / "cdim2.xye"), "--instrument", "1,2"]
    )
    assert res.exit_code != 0


def test_curves_thinned_every_kth_point(outputs) -> None:
    res = PatternAnalysis.from_dict(outputs["cdim2"].details["result"])
    n = res.two_theta_deg.size
    c = res.curves(n // 3)
    step = int(np.ceil(n / (n // 3)))
    assert c["two_theta_deg"] == [round(float(v), 6) for v in res.two_theta_deg[::step]]
    assert len(c["model"]) == len(c["intensity"]) == len(c["two_theta_deg"]) <= n // 3
