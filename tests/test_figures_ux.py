"""Figure details of issue 17: DSC stack scale bar, mixed-linker trends with error bars."""

from __future__ import annotations

import numpy as np

from mofglass.plotting.style import save_figure, texts_outside


def test_offset_dsc_stack_has_a_round_scale_bar_inside_the_figure(shared_data, tmp_path):
    from mofglass.study.technique import SampleInfo, Task, get_technique

    tech = get_technique("dsc")
    outs = []
    for k, name in enumerate(("Sandia_DSC_Ar_10K_1.csv", "Sandia_DSC_Ar_1K_1.csv")):
        f = shared_data / "macfp-pmma-sandia-sta" / name
        task = Task("dsc", SampleInfo("pmma", "PMMA", ""), str(f), {"exo_up": False}, name, k)
        outs.append(tech.run(task))
    figs = tech.figures(outs)
    assert len(figs) == 2
    for name, fig in figs.items():
        save_figure(fig, tmp_path / name, formats=("svg",))
        assert texts_outside(fig) == [], name
        ax = fig.axes[0]
        bars = [t.get_text() for t in ax.texts if t.get_text().endswith("W/g")]
        assert len(bars) == 1
        value = float(bars[0].split()[0])
        mantissa = value / 10 ** np.floor(np.log10(value))
        assert min(abs(mantissa - m) for m in (1, 2, 5)) < 1e-9  # a round 1, 2 or 5 × 10^k
        # the bar (the last line drawn) spans exactly the value it is labelled with
        y = ax.lines[-1].get_ydata()
        assert np.isclose(abs(y[1] - y[0]), value)


def test_mixed_linker_trend_draws_the_standard_uncertainties(tmp_path):
    from mofglass.plotting.thermal import series_figure

    points = [
        {"x": 0.0, "tm_C": 447.0, "tm_C_stderr": 0.5, "tg_C": 315.0, "tg_C_stderr": 2.0},
        {"x": 0.5, "tm_C": 430.0, "tm_C_stderr": 1.5, "tg_C": 322.0, "tg_C_stderr": None},
    ]
    fig = series_figure(points)
    save_figure(fig, tmp_path / "series", formats=("png",))
    assert texts_outside(fig) == []
    ax_tm = fig.axes[0]
    (bars,) = [c for c in ax_tm.collections if len(c.get_segments()) == 2]
    half = [abs(s[1][1] - s[0][1]) / 2 for s in bars.get_segments()]
    assert np.allclose(half, [0.5, 1.5])
