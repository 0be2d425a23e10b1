"""The report opens with the paper's view of the demo study, checked in a real browser.

Truth: the demo's samples (mofglass.demo.samples) and the paper's headline quantities: the
first table has one row per sample and the columns Tm, ΔHm, Tg, ΔCp, m, size, Er, H.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mofglass.demo.generate import write_demo_study
from mofglass.demo.samples import DEMO_SAMPLES
from mofglass.plotting.style import MIN_FONT_PT, save_figure, texts_outside
from mofglass.report.headline import display_name, headline_table, label_html
from mofglass.results import ResultRow
from mofglass.study.manifest import load_manifest
from mofglass.study.pipeline import StudyResult, run_study, write_outputs
from mofglass.study.technique import get_technique
from tests.report.test_browser import CHROMIUM, _chromium


def test_label_html_and_symbols():
    assert label_html("Cd(im)1.75(bim)0.25") == "Cd(im)<sub>1.75</sub>(bim)<sub>0.25</sub>"
    assert label_html("ZIF-4, x = 0.25") == "ZIF-4, x = 0.25"
    assert label_html("<b>") == "&lt;b&gt;"
    assert display_name("seg3_cold_crystallisation_enthalpy_kJ_mol") == "ΔH<sub>rc</sub>"
    assert display_name("seg1_melting2_offset_C") == "T<sub>m</sub> (offset)"
    assert display_name("n_bragg_peaks") == ""


def test_headline_picks_first_and_counts_the_rest():
    rows = [
        ResultRow("a", "tg_mid_C", 176.0, 0.5, "°C", "dsc", "m", "f2.txt"),
        ResultRow("a", "tg_onset_C", 175.0, 0.3, "°C", "dsc", "m", "f1.txt"),
        ResultRow("a", "tg_onset_C", 174.0, 0.3, "°C", "dsc", "m", "f3.txt"),
        ResultRow("b", "hardness_GPa", 0.6, 0.05, "GPa", "nanoindentation", "m", "x.zip"),
    ]
    cols, table = headline_table(["a", "b"], rows)
    assert [c.symbol for c in cols] == ["T<sub>g</sub>", "H"]  # only columns with values
    (_, ca), (_, cb) = table
    assert ca[0].text == "175.0(3)" and ca[0].extra == 1 and "f3.txt" in ca[0].title
    assert ca[1].text == "" and cb[1].text == "0.60(5)"


@pytest.fixture(scope="module")
def demo_result(tmp_path_factory) -> tuple[StudyResult, Path]:
    root = tmp_path_factory.mktemp("demo")
    result = run_study(load_manifest(write_demo_study(root / "inputs")))
    return result, root


@pytest.fixture(scope="module")
def demo_report(demo_result) -> Path:
    result, root = demo_result
    return write_outputs([result], root / "out") / "report.html"


@pytest.mark.slow
def test_demo_figures_keep_their_text_inside_and_legible(demo_result, tmp_path: Path):
    # the figure code's own bounding-box test: no text (labels, annotations, legends) outside
    # the saved figure, and no text smaller than MIN_FONT_PT (8 pt at the saved size)
    from matplotlib.text import Text

    result, _ = demo_result
    problems = []
    for key, outs in result.outputs_by_technique().items():
        for name, fig in get_technique(key).figures(outs).items():
            save_figure(fig, tmp_path / name)  # as the study saves them
            problems += [f"{name}: outside {t}" for t in texts_outside(fig)]
            small = {
                t.get_text()
                for t in fig.findobj(Text)
                if isinstance(t, Text)
                and t.get_visible()
                and t.get_text()
                and t.get_fontsize() < MIN_FONT_PT
            }
            problems += [f"{name}: {len(small)} texts below {MIN_FONT_PT} pt"] if small else []
    assert not problems, "\n".join(problems)


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="no headless Chromium")
def test_demo_report_opens_with_the_papers_table(demo_report: Path, tmp_path: Path):
    dom = _chromium(["--virtual-time-budget=5000", "--dump-dom", demo_report.as_uri()], tmp_path)
    assert dom.returncode == 0, dom.stderr[-2000:]
    html = dom.stdout
    first_table = html.index("<table", html.index('id="summary"'))
    assert html[first_table:].startswith('<table id="headline-table"')
    table = html[first_table : html.index("</table>", first_table)]
    cells = re.findall(r"<th[^>]*>(.*?)</th>", table[: table.index("</thead>")], flags=re.S)
    symbols = {re.sub(r"<[^>]+>", "", c).split(" / ")[0].strip() for c in cells}
    assert {"Tm", "ΔHm", "Tg", "ΔCp", "m", "size", "Er", "H"} <= symbols, symbols
    assert table.count('class="headline-row"') == len(DEMO_SAMPLES)
    # values carry their uncertainty in concise notation, e.g. 455.0(3)
    assert re.search(r">\d+\.\d+\(\d+\)<", table)
