"""Figures of forward-model predictions."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure

from mofglass.models.dsc import PredictedDSC
from mofglass.models.predictions import TransformationDiagram
from mofglass.plotting.style import PALETTE, apply_axes_style, new_figure, styled

__all__ = ["predicted_dsc_figure", "transformation_figure"]


@styled
def predicted_dsc_figure(runs: Sequence[tuple[float, PredictedDSC]]) -> Figure:
    """Cooling from the melt (left) and the following heating scan (right), one line per rate.

    Parameters
    ----------
    runs : sequence of (cooling_rate_K_min, PredictedDSC)
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
    ax_heat.set_title("reheating", fontsize=8)
    for ax in (ax_cool, ax_heat):
        ax.set_xlabel("T / °C")
        ax.set_ylabel("heat flow / W g$^{-1}$ (exo ↑)")
        apply_axes_style(ax)
    ax_cool.legend(frameon=False, fontsize=7)
    return fig


@styled
def transformation_figure(ttt: TransformationDiagram, cct: TransformationDiagram) -> Figure:
    """TTT (isothermal) and CCT (continuous cooling) curves on one log-time axis.

    Parameters
    ----------
    ttt, cct : TransformationDiagram
        From :func:`mofglass.models.predictions.ttt_diagram` and ``cct_diagram``.
    """
    fig = new_figure(3.5, 2.8)
    ax = fig.subplots()
    for k, x in enumerate(ttt.fractions):
        t = ttt.time_min[k]
        ok = np.isfinite(t) & (t > 0)
        ax.plot(
            t[ok], ttt.temperature_C[ok], color=PALETTE[k % len(PALETTE)], label=f"TTT, X = {x:.2g}"
        )
    for k, x in enumerate(cct.fractions):
        t, T = cct.time_min[k], cct.temperature_C[k]
        ok = np.isfinite(t) & (t > 0)
        ax.plot(
            t[ok],
            T[ok],
            "o--",
            ms=3,
            color=PALETTE[(k + 3) % len(PALETTE)],
            label=f"CCT, X = {x:.2g}",
        )
    ax.set_xscale("log")
    finite = ttt.time_min[np.isfinite(ttt.time_min) & (ttt.time_min > 0)]
    if finite.size:  # from the nose to a week: longer holds are not laboratory practice
        ax.set_xlim(finite.min() / 3.0, max(finite.min() * 30.0, 1e4))
    ax.set_xlabel("time / min")
    ax.set_ylabel("T / °C")
    apply_axes_style(ax)
    ax.legend(frameon=False, fontsize=7)
    return fig
