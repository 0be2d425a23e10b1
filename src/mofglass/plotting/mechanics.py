"""Nanoindentation figures: load-displacement curves, Er and H against depth.

Load-displacement curves with their unloading fits, and the reduced modulus and hardness
against depth (the layout of the Cd(im)2 paper's Figure 5).

Functions take arrays or mappings of arrays, never files, and return a
:class:`matplotlib.figure.Figure`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from mofglass.plotting.style import PALETTE, apply_axes_style, finish_axes, new_figure, styled

__all__ = ["load_displacement", "modulus_hardness_vs_depth"]


@styled
def load_displacement(
    curves: Sequence[Mapping[str, Any]], *, title: str = "", max_curves: int = 12
) -> Figure:
    """Load against depth for several indents, each with its Oliver-Pharr unloading fit.

    Parameters
    ----------
    curves : sequence of mapping
        Per indent: ``depth_nm``, ``load_mN`` (arrays), optional ``fit_depth_nm``,
        ``fit_load_mN`` (the fitted power law over its window) and ``label``.
    title : str
        Axes title.
    max_curves : int
        At most this many curves are drawn (the first ones).
    """
    fig = new_figure(3.5, 2.8)
    ax = fig.add_subplot()
    for i, c in enumerate(curves[:max_curves]):
        color = PALETTE[i % (len(PALETTE) - 1)]  # the last (black) is the fit's
        ax.plot(c["depth_nm"], c["load_mN"], color=color, lw=0.9, label=c.get("label"))
        if c.get("fit_depth_nm") is not None and len(c["fit_depth_nm"]):
            ax.plot(c["fit_depth_nm"], c["fit_load_mN"], color="k", lw=1.0, ls="--")
    ax.plot([], [], color="k", ls="--", lw=1.0, label="power-law fit")
    ax.set_xlim(left=0)
    ax.set_ylim(bottom=0)
    if len(curves) <= 6:
        ax.legend(frameon=False, fontsize=7)
    finish_axes(ax, "Depth h / nm", "Load P / mN", title)
    return fig


@styled
def modulus_hardness_vs_depth(series: Mapping[str, Mapping[str, Any]]) -> Figure:
    """Reduced modulus Er and hardness H against depth, one colour per sample.

    Parameters
    ----------
    series : mapping of label to mapping
        Per sample: ``depth_nm`` with ``reduced_modulus_GPa`` and ``hardness_GPa`` arrays.
        If ``reduced_modulus_std_GPa`` / ``hardness_std_GPa`` are given (averaged CSM
        profiles) the mean is a line with the standard deviation shaded, as in the paper's
        Figure 5; otherwise each indent is a marker (quasi-static indents at several depths).
    """
    fig = new_figure(3.5, 4.4)
    ax_e, ax_h = fig.subplots(2, 1, sharex=True)
    for i, (label, s) in enumerate(series.items()):
        color = PALETTE[i % len(PALETTE)]
        d = np.asarray(s["depth_nm"], dtype=float)
        for ax, key, scale in (
            (ax_e, "reduced_modulus", 1.0),
            (ax_h, "hardness", 1e3),
        ):
            y = np.asarray(s[f"{key}_GPa"], dtype=float) * scale
            sd = s.get(f"{key}_std_GPa")
            if sd is not None:
                sd_arr = np.asarray(sd, dtype=float) * scale
                ax.plot(d, y, color=color, label=label)
                ax.fill_between(d, y - sd_arr, y + sd_arr, color=color, alpha=0.25, lw=0)
            else:
                ax.plot(d, y, "o", ms=3.5, color=color, label=label)
    ax_e.set_ylabel("$E_r$ / GPa")
    ax_h.set_ylabel("H / MPa")
    ax_h.set_xlabel("Depth / nm")
    ax_e.legend(frameon=False, fontsize=7)
    for ax in (ax_e, ax_h):
        apply_axes_style(ax)
    return fig
