"""Figures of forward-model predictions."""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.figure import Figure

from mofglass.models.dsc import PredictedDSC
from mofglass.plotting.style import PALETTE, apply_axes_style, new_figure, styled

__all__ = ["predicted_dsc_figure"]


@styled
def predicted_dsc_figure(runs: Sequence[tuple[float, PredictedDSC]]) -> Figure:
    """Cooling from the melt (left) and the following heating scan (right), one line per rate.

    Parameters
    ----------
    runs : sequence of (cooling_rate_C_min, PredictedDSC)
        Each run: segment 0 cools, segment 1 reheats.
    """
    fig = new_figure(7.0, 2.8)
    ax_cool, ax_heat = fig.subplots(1, 2)
    for k, (rate, run) in enumerate(runs):
        colour = PALETTE[k % len(PALETTE)]
        for seg, ax in ((0, ax_cool), (1, ax_heat)):
            sel = run.segment == seg
            ax.plot(
                run.temperature_C[sel],
                run.heat_flow_W_g[sel],
                color=colour,
                label=f"cooled at −{rate:g} °C/min (X = {run.crystallised_fraction[sel][-1]:.2f})"
                if seg == 0
                else None,
            )
    ax_cool.set_title("cooling from the melt", fontsize=8)
    ax_heat.set_title("reheating at +10 °C/min", fontsize=8)
    for ax in (ax_cool, ax_heat):
        ax.set_xlabel("T / °C")
        ax.set_ylabel("heat flow / W g$^{-1}$ (exo ↑)")
        apply_axes_style(ax)
    ax_cool.legend(frameon=False, fontsize=7)
    return fig
