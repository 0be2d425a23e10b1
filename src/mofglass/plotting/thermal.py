"""Thermal-analysis figures: thermograms, TG/DTG curves and composition series.

Paper-style thermograms with the exo direction marked and events annotated, TG/DTG curves,
and series of Tm, ΔHm, Tg against composition.

Figures take arrays and JSON-ready summaries (never files) and compute nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from mofglass.units import ZERO_CELSIUS_K

__all__ = ["fragility_figure", "series_figure", "tga_figure", "thermogram_figure"]

_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")


def _new(width: float = 3.5, height: float = 2.8) -> Figure:
    return Figure(figsize=(width, height), layout="constrained")


def thermogram_figure(
    curves: Sequence[Mapping[str, Any]],
    *,
    exo_up: bool = True,
    title: str = "",
    offset_W_g: float | None = None,
) -> Figure:
    """Heat flow against temperature, heating and cooling scans in two panels, events annotated.

    Parameters
    ----------
    curves : sequence of mappings
        Each with ``temperature_C``, ``heat_flow_W_g`` (endothermic positive), ``label``,
        ``kind`` ("heating"/"cooling") and optionally ``events`` (dicts with ``peak_C`` and
        ``enthalpy_kJ_mol`` or ``enthalpy_J_g`` as ``{"value": ...}``) and ``tg_mid_C``.
    exo_up : bool
        Plot exothermic up (the paper's convention; the signal is negated) and mark it.
    offset_W_g : float, optional
        Vertical offset between successive scans of a panel (default: 60 % of the largest
        peak-to-peak signal).
    """
    groups = {
        k: [c for c in curves if c.get("kind", "heating") == k] for k in ("heating", "cooling")
    }
    panels = [k for k in ("heating", "cooling") if groups[k]]
    fig = _new(3.5 * len(panels), 3.0)
    axes = fig.subplots(1, len(panels), squeeze=False)[0]
    sign = -1.0 if exo_up else 1.0
    ptp = max((float(np.ptp(c["heat_flow_W_g"])) for c in curves), default=1.0)
    off = 0.6 * ptp if offset_W_g is None else offset_W_g
    for ax, kind in zip(axes, panels, strict=True):
        for k, c in enumerate(groups[kind]):
            T = np.asarray(c["temperature_C"], float)
            y = sign * np.asarray(c["heat_flow_W_g"], float) - k * off
            col = _COLOURS[k % len(_COLOURS)]
            ax.plot(T, y, color=col, lw=1.0, label=str(c.get("label", "")))
            order = np.argsort(T)
            for ev in c.get("events", ()):
                tp = ev["peak_C"]["value"]
                yp = float(np.interp(tp, T[order], y[order]))
                if "enthalpy_kJ_mol" in ev:
                    h = f"{ev['enthalpy_kJ_mol']['value']:.1f} kJ/mol"
                else:
                    h = f"{ev['enthalpy_J_g']['value']:.1f} J/g"
                up = (sign * ev["enthalpy_J_g"]["value"]) > 0 if "enthalpy_J_g" in ev else True
                ax.annotate(
                    f"{tp:.0f} °C, {h}",
                    (tp, yp),
                    xytext=(-4, 6 if up else -9),
                    textcoords="offset points",
                    ha="right",
                    fontsize=5.5,
                    color=col,
                )
            if "tg_mid_C" in c:
                tg = c["tg_mid_C"]["value"]
                yg = float(np.interp(tg, T[order], y[order]))
                ax.annotate(
                    f"Tg {tg:.0f} °C",
                    (tg, yg),
                    xytext=(-4, 8),
                    textcoords="offset points",
                    ha="right",
                    fontsize=5.5,
                    color=col,
                    arrowprops={"arrowstyle": "-", "color": col, "lw": 0.5},
                )
        ax.set_xlabel("Temperature (°C)")
        ax.set_title(f"{kind} scans", fontsize=7)
        ax.text(
            0.98,
            0.98,
            "exo ↑" if exo_up else "exo ↓",
            transform=ax.transAxes,
            ha="right",
            va="top",
            fontsize=7,
        )
        ax.legend(fontsize=5.5, frameon=False, loc="lower left")
        ax.tick_params(direction="in", top=True, right=True, labelsize=7)
        ax.set_yticks([])
        _scale_bar(ax, 0.25 * ptp)
    axes[0].set_ylabel("Heat flow (W/g, offset)")
    if title:
        fig.suptitle(title, fontsize=8)
    return fig


def _nice(value: float) -> float:
    """Round ``value`` (> 0) down to 1, 2 or 5 × 10^k."""
    k = np.floor(np.log10(value))
    return float(max(m for m in (1.0, 2.0, 5.0) if m * 10**k <= value) * 10**k)


def _scale_bar(ax: Any, about_W_g: float) -> None:
    """Draw a vertical heat-flow scale bar at the right of an offset stack (no y ticks)."""
    from matplotlib.transforms import blended_transform_factory

    if not about_W_g > 0:
        return
    bar = _nice(about_W_g)
    lo, hi = ax.get_ylim()
    y0 = lo + 0.08 * (hi - lo)
    tr = blended_transform_factory(ax.transAxes, ax.transData)
    ax.plot([0.97, 0.97], [y0, y0 + bar], color="black", lw=1.2, transform=tr)
    ax.text(0.955, y0 + bar / 2, f"{bar:g} W/g", transform=tr, ha="right", va="center", fontsize=7)


def tga_figure(
    temperature_C: Sequence[float],
    mass_percent: Sequence[float],
    *,
    dtg_percent_K: Sequence[float] | None = None,
    onset_C: float | None = None,
    dta: Sequence[float] | None = None,
    dta_unit: str = "µV",
    dta_exo_up: bool | None = None,
    title: str = "",
) -> Figure:
    """Mass (%) against temperature with the DTG (and DTA) on a second axis; onset marked.

    ``dta`` is the signal as exported and ``dta_exo_up`` the file's exo direction (NETZSCH
    ``#EXO``, TA "Exotherm Up"): it is drawn exothermic up, negated only when the file says exo
    down, and drawn as exported (marked so) when the direction is unknown.
    """
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
            sign = -1.0 if dta_exo_up is False else 1.0
            mark = "exo ↑" if dta_exo_up is not None else "exo direction unknown"
            ax2.plot(
                T,
                sign * np.asarray(dta, float),
                color=_COLOURS[2],
                lw=0.8,
                label=f"DTA ({dta_unit}), {mark}",
            )
        ax2.legend(fontsize=6, frameon=False, loc="lower left")
        ax2.tick_params(labelsize=7)
    if title:
        ax.set_title(title, fontsize=8)
    ax.tick_params(direction="in", labelsize=7)
    return fig


def series_figure(points: Sequence[Mapping[str, Any]], *, title: str = "") -> Figure:
    """Draw Tm, ΔHm and Tg against the mixed-linker composition x (the paper's Figure 6c).

    ``points``: dicts with ``x`` and any of ``tm_C``, ``dhm_kJ_mol``, ``tg_C`` (floats), each
    optionally with its standard uncertainty ``<key>_stderr``, drawn as an error bar.
    """
    fig = _new(3.5, 3.6)
    axes = fig.subplots(3, 1, sharex=True)
    keys = (("tm_C", "Tm (°C)"), ("dhm_kJ_mol", "ΔHm (kJ/mol)"), ("tg_C", "Tg (°C)"))
    for ax, (k, lab) in zip(axes, keys, strict=True):
        pts = sorted(
            (p["x"], p[k], p.get(f"{k}_stderr") or 0.0)
            for p in points
            if k in p and p[k] is not None
        )
        if pts:
            xs, ys, es = zip(*pts, strict=True)
            ax.errorbar(xs, ys, yerr=es, fmt="o-", color=_COLOURS[0], ms=3, lw=0.8, capsize=2)
        ax.set_ylabel(lab, fontsize=7)
        ax.tick_params(direction="in", labelsize=7)
    axes[-1].set_xlabel("x in Cd(im)2-x(bim)x")
    if title:
        axes[0].set_title(title, fontsize=8)
    return fig


def fragility_figure(summary: Mapping[str, Any], *, title: str = "") -> Figure:
    """log10 |q| against 1000/Tf (or Tg) with the fitted line and m (the paper's Figure S50).

    ``summary``: :meth:`mofglass.thermal.fragility_series.FragilitySeries.summary` (points with
    ``rate_K_min`` and ``fictive_C`` or ``tg_C``; ``fragility_m``, ``tg_reference_C``).
    """
    fig = _new()
    ax = fig.add_subplot()
    pts = summary.get("points", [])
    q = np.array([abs(p["rate_K_min"]["value"]) for p in pts], float)
    key = "fictive_C" if pts and "fictive_C" in pts[0] else "tg_C"
    T = np.array([p[key]["value"] for p in pts], float) + ZERO_CELSIUS_K
    sT = np.array([p[key].get("stderr") or 0.0 for p in pts], float)
    x = 1000.0 / T
    ax.errorbar(
        x,
        np.log10(q),
        xerr=1000.0 * sT / T**2,
        fmt="o",
        color=_COLOURS[0],
        ms=3,
        lw=0.8,
        label="Tf" if key == "fictive_C" else "Tg",
    )
    m = summary["fragility_m"]
    tg = summary["tg_reference_C"]["value"] + ZERO_CELSIUS_K
    qref = float(summary.get("reference_rate_K_min", 10.0))
    # the fitted line: log10 q = log10 qref - m (Tg/Tf - 1)
    xs = np.linspace(x.min() - 0.01, x.max() + 0.01, 50) if len(x) else np.array([])
    ax.plot(
        xs,
        np.log10(qref) - m["value"] * (tg * xs / 1000.0 - 1.0),
        color=_COLOURS[1],
        lw=0.8,
        label=f"m = {m['value']:.0f}",
    )
    for xi, qi in zip(x, q, strict=True):
        ax.annotate(
            f"{qi:.1f}", (xi, np.log10(qi)), fontsize=5, xytext=(3, 2), textcoords="offset points"
        )
    ax.set_xlabel("1000 / T (1/K)")
    ax.set_ylabel("log10 |q| (K/min)")
    ax.legend(fontsize=6, frameon=False)
    ax.tick_params(direction="in", labelsize=7)
    if title:
        ax.set_title(title, fontsize=8)
    return fig
