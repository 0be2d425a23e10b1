"""Thermal-analysis figures: paper-style thermograms with the exo direction marked and events
annotated, TG/DTG curves, and series of Tm, ΔHm, Tg against composition.

Figures take arrays and JSON-ready summaries (never files) and compute nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.figure import Figure

__all__ = ["series_figure", "tga_figure", "thermogram_figure"]

_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")


def _new(width: float = 3.5, height: float = 2.8) -> Figure:
    return Figure(figsize=(width, height), layout="constrained")


def thermogram_figure(
    curves: Sequence[Mapping[str, Any]],
    *,
    exo_up: bool = True,
    title: str = "",
    offset_W_g: float = 0.0,
) -> Figure:
    """Heat flow against temperature, one line per segment, with events annotated.

    Parameters
    ----------
    curves : sequence of mappings
        Each with ``temperature_C``, ``heat_flow_W_g`` (endothermic positive), ``label`` and
        optionally ``events`` (dicts with ``label``, ``peak_C``, ``onset_C``, ``offset_C``,
        ``enthalpy_kJ_mol``/``enthalpy_J_g`` as ``{"value": ...}``) and ``tg_mid_C``.
    exo_up : bool
        Plot exothermic up (the paper's convention) - the signal is negated - and mark it.
    offset_W_g : float
        Vertical offset between successive curves.
    """
    fig = _new()
    ax = fig.add_subplot()
    sign = -1.0 if exo_up else 1.0
    for k, c in enumerate(curves):
        T = np.asarray(c["temperature_C"], float)
        y = sign * np.asarray(c["heat_flow_W_g"], float) - k * offset_W_g
        col = _COLOURS[k % len(_COLOURS)]
        ax.plot(T, y, color=col, lw=1.0, label=str(c.get("label", "")))
        for ev in c.get("events", ()):
            tp = ev["peak_C"]["value"]
            yp = (
                float(np.interp(tp, T, y))
                if T[0] < T[-1]
                else float(np.interp(tp, T[::-1], y[::-1]))
            )
            if "enthalpy_kJ_mol" in ev:
                h = f"{ev['enthalpy_kJ_mol']['value']:.1f} kJ/mol"
            else:
                h = f"{ev['enthalpy_J_g']['value']:.1f} J/g"
            ax.annotate(
                f"{tp:.0f} °C\n{h}",
                (tp, yp),
                xytext=(0, 12 if (yp >= np.median(y)) else -20),
                textcoords="offset points",
                ha="center",
                fontsize=6,
                color=col,
                arrowprops={"arrowstyle": "-", "color": col, "lw": 0.5},
            )
        if "tg_mid_C" in c:
            tg = c["tg_mid_C"]["value"]
            ax.axvline(tg, color=col, lw=0.5, ls=":")
            ax.text(
                tg,
                ax.get_ylim()[1],
                f"Tg {tg:.0f} °C",
                fontsize=6,
                color=col,
                ha="center",
                va="bottom",
            )
    ax.set_xlabel("Temperature (°C)")
    ax.set_ylabel("Heat flow (W/g)")
    ax.annotate(
        "exo ↑" if exo_up else "exo ↓",
        xy=(0.02, 0.95 if exo_up else 0.05),
        xycoords="axes fraction",
        fontsize=7,
        va="top" if exo_up else "bottom",
    )
    if any(c.get("label") for c in curves):
        ax.legend(fontsize=6, frameon=False, loc="best")
    if title:
        ax.set_title(title, fontsize=8)
    ax.tick_params(direction="in", top=True, right=True, labelsize=7)
    return fig


def tga_figure(
    temperature_C: Sequence[float],
    mass_percent: Sequence[float],
    *,
    dtg_percent_K: Sequence[float] | None = None,
    onset_C: float | None = None,
    dta: Sequence[float] | None = None,
    dta_unit: str = "µV",
    title: str = "",
) -> Figure:
    """Mass (%) against temperature with the DTG (and DTA) on a second axis; onset marked."""
    fig = _new()
    ax = fig.add_subplot()
    T = np.asarray(temperature_C, float)
    ax.plot(T, mass_percent, color=_COLOURS[0], lw=1.0, label="TG")
    ax.set_xlabel("Temperature (°C)")
    ax.set_ylabel("Mass (%)")
    if onset_C is not None:
        ax.axvline(onset_C, color="0.4", lw=0.6, ls="--")
        ax.text(onset_C, ax.get_ylim()[0], f" Td {onset_C:.0f} °C", fontsize=6, va="bottom")
    if dtg_percent_K is not None or dta is not None:
        ax2 = ax.twinx()
        if dtg_percent_K is not None:
            ax2.plot(T, dtg_percent_K, color=_COLOURS[1], lw=0.8, label="DTG")
            ax2.set_ylabel("DTG (%/K)")
        if dta is not None:
            ax2.plot(T, dta, color=_COLOURS[2], lw=0.8, label=f"DTA ({dta_unit}), exo ↑")
        ax2.legend(fontsize=6, frameon=False, loc="lower left")
        ax2.tick_params(labelsize=7)
    if title:
        ax.set_title(title, fontsize=8)
    ax.tick_params(direction="in", labelsize=7)
    return fig


def series_figure(points: Sequence[Mapping[str, Any]], *, title: str = "") -> Figure:
    """Tm, ΔHm and Tg against composition x (the paper's Figure 6c).

    ``points``: dicts with ``x`` and any of ``tm_C``, ``dhm_kJ_mol``, ``tg_C`` (floats).
    """
    fig = _new(3.5, 3.6)
    axes = fig.subplots(3, 1, sharex=True)
    keys = (("tm_C", "Tm (°C)"), ("dhm_kJ_mol", "ΔHm (kJ/mol)"), ("tg_C", "Tg (°C)"))
    for ax, (k, lab) in zip(axes, keys, strict=True):
        pts = sorted((p["x"], p[k]) for p in points if k in p and p[k] is not None)
        if pts:
            xs, ys = zip(*pts, strict=True)
            ax.plot(xs, ys, "o-", color=_COLOURS[0], ms=3, lw=0.8)
        ax.set_ylabel(lab, fontsize=7)
        ax.tick_params(direction="in", labelsize=7)
    axes[-1].set_xlabel("x in Cd(im)2-x(bim)x")
    if title:
        axes[0].set_title(title, fontsize=8)
    return fig
