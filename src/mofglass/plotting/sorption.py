"""Figures of gas sorption: isotherms of several samples and the BET plot with its range.

Functions take the JSON-ready curves of :meth:`SorptionAnalysis.curves` (or technique details),
never files, and compute nothing but the drawn line.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from mofglass.plotting.style import PALETTE, finish_axes, new_figure, styled

__all__ = ["bet_plot_figure", "isotherms_figure"]


@styled
def isotherms_figure(curves: Sequence[tuple[str, Mapping[str, Any]]], *, title: str = "") -> Figure:
    """Isotherms (mmol/g against p/p0), adsorption filled, desorption open markers."""
    fig = new_figure(3.5, 2.8)
    ax = fig.add_subplot()
    for k, (label, c) in enumerate(curves):
        col = PALETTE[k % len(PALETTE)]
        ax.plot(c["p_p0"], c["loading_mmol_g"], "o-", ms=2.5, color=col, label=label)
        if c.get("des_p_p0"):
            ax.plot(c["des_p_p0"], c["des_loading_mmol_g"], "o", ms=2.5, mfc="none", color=col)
    ax.set_xlim(0, 1)
    ax.legend(frameon=False)
    finish_axes(ax, "$p/p_0$", "Amount adsorbed (mmol g$^{-1}$)", title)
    return fig


@styled
def bet_plot_figure(curves: Mapping[str, Any], *, title: str = "") -> Figure:
    """BET plot ``p/(n(1-p))`` against p/p0; the fitted range shaded, its line drawn."""
    fig = new_figure(3.5, 2.6)
    ax = fig.add_subplot()
    p = np.asarray(curves.get("bet_p_p0", []), float)
    y = np.asarray(curves.get("bet_y", []), float)
    lo, hi = curves.get("bet_range", (np.nan, np.nan))
    inside = (p >= lo) & (p <= hi)
    ax.plot(p[~inside], y[~inside], "o", ms=3, mfc="none", color=PALETTE[0], label="points")
    ax.plot(p[inside], y[inside], "o", ms=3, color=PALETTE[0], label="BET range")
    if "bet_line" in curves and inside.any():
        b, m = curves["bet_line"]
        xs = np.linspace(0, hi * 1.1, 50)
        ax.plot(xs, b + m * xs, "-", color=PALETTE[1], label="fit")
    ax.axvspan(lo, hi, color="0.9", zorder=0)
    ax.legend(frameon=False)
    finish_axes(ax, "$p/p_0$", "$p/[n(1-p/p_0)]$ (g mol$^{-1}$)", title)
    return fig
