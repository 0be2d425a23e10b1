"""Figures of measured total scattering: stacked F(Q) and G(r)/D(r), VT-series heat maps.

Figures take arrays or JSON-ready curve dicts from :mod:`mofglass.totalscattering`, never files.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from mofglass._renamed import renamed_keywords
from mofglass.plotting.style import PALETTE, apply_axes_style, finish_axes, new_figure, styled

__all__ = ["features_figure", "fit_figure", "series_heatmap_figure", "stacked_figure"]


@styled
def stacked_figure(
    curves: Sequence[Mapping[str, Any]], *, title: str = "", offset: float | None = None
) -> Figure:
    """F(Q) (left, when present) and G(r)/D(r) (right) of several samples, offset vertically.

    Each curve dict has ``label``, ``r_A``, ``pdf``, ``pdf_kind`` and optionally ``q_invA``, ``fq``.
    """
    has_q = any(c.get("q_invA") for c in curves)
    fig = new_figure(7.0 if has_q else 3.8, 1.2 + 0.6 * max(len(curves), 2))
    axes = fig.subplots(1, 2) if has_q else [fig.add_subplot()]
    ax_r = axes[-1]
    span = max((float(np.ptp(c["pdf"])) for c in curves), default=1.0)
    step = offset if offset is not None else 0.6 * span
    for k, c in enumerate(curves):
        col = PALETTE[k % len(PALETTE)]
        ax_r.plot(c["r_A"], np.asarray(c["pdf"]) + k * step, color=col, lw=0.9, label=c["label"])
        if has_q and c.get("q_invA"):
            fq = np.asarray(c["fq"])
            qspan = float(np.ptp(fq)) or 1.0
            axes[0].plot(c["q_invA"], fq + k * 0.6 * qspan, color=col, lw=0.9)
    kinds = {c["pdf_kind"] for c in curves}
    ax_r.set_xlabel("r (Å)")
    ax_r.set_ylabel("G(r) (Å⁻²)" if kinds == {"G"} else "D(r)" if kinds == {"D"} else "G(r), D(r)")
    ax_r.legend(frameon=False, fontsize=6, loc="upper right")
    if has_q:
        axes[0].set_xlabel("Q (Å⁻¹)")
        axes[0].set_ylabel("F(Q) (offset)")
    for ax in axes:
        apply_axes_style(ax)
    if title:
        fig.suptitle(title)
    return fig


@styled
def series_heatmap_figure(
    temperature_C: Sequence[float],
    r_A: np.ndarray,
    curves: np.ndarray,
    *,
    kind: str = "D",
    title: str = "",
) -> Figure:
    """Heat map of G(r) or D(r) against r and temperature (rows sorted by temperature)."""
    t = np.asarray(temperature_C, dtype=float)
    order = np.argsort(t)
    z = np.asarray(curves, dtype=float)[order]
    fig = new_figure(4.5, 3.0)
    ax = fig.add_subplot()
    lim = float(np.nanmax(np.abs(z))) or 1.0
    mesh = ax.pcolormesh(
        r_A, np.arange(t.size), z, cmap="RdBu_r", vmin=-lim, vmax=lim, shading="nearest"
    )
    ax.set_yticks(np.arange(t.size))
    ax.set_yticklabels([f"{v:g}" for v in t[order]], fontsize=5)
    fig.colorbar(mesh, ax=ax, label=f"{kind}(r)")
    finish_axes(ax, "r (Å)", "T (°C)", title)
    return fig


@styled
def fit_figure(curves: Mapping[str, Any], *, title: str = "") -> Figure:
    """Measured and refined G(r) with the difference below (PDFgui layout).

    ``curves`` has ``r_A``, ``G_obs``, ``G_calc`` and optionally ``G_<phase>`` parts and ``rw``.
    """
    r = np.asarray(curves["r_A"], dtype=float)
    obs = np.asarray(curves["G_obs"], dtype=float)
    calc = np.asarray(curves["G_calc"], dtype=float)
    fig = new_figure(4.5, 3.0)
    ax = fig.add_subplot()
    ax.plot(r, obs, "o", ms=1.5, mfc="none", color="0.2", label="measured")
    ax.plot(r, calc, color=PALETTE[1], lw=0.9, label="model")
    parts = [k for k in curves if k.startswith("G_") and k not in ("G_obs", "G_calc", "G_diff")]
    if len(parts) > 1:
        for k, name in enumerate(parts):
            ax.plot(r, curves[name], lw=0.6, color=PALETTE[(k + 2) % len(PALETTE)], label=name[2:])
    base = float(obs.min()) - 0.6 * float(np.ptp(obs - calc)) - 0.05 * float(np.ptp(obs))
    ax.plot(r, obs - calc + base, color=PALETTE[3 % len(PALETTE)], lw=0.7, label="difference")
    ax.axhline(base, color="0.6", lw=0.4)
    rw = curves.get("rw")
    ax.legend(frameon=False, fontsize=6, loc="upper right", title=f"Rw = {rw:.3f}" if rw else None)
    finish_axes(ax, "r (Å)", "G(r) (Å⁻²)", title)
    return fig


@styled
@renamed_keywords(rmax_A="r_max_A")
def features_figure(panels: Sequence[Mapping[str, Any]], *, r_max_A: float = 8.0) -> Figure:
    """Draw the paper's Figure 4 view: measured curves side by side, model partials below.

    Each panel has ``label``, ``r_A``, ``pdf``, ``pdf_kind`` (measured), ``model_r_A``,
    ``partials`` (element pair → curve), optionally ``network`` (intra / inter → curve) and
    ``features`` (dicts with ``r_A``, ``sign``, ``label``), labelled on the measured curve.
    """
    n = max(1, len(panels))
    fig = new_figure(3.2 * n, 4.2)
    axes = fig.subplots(2, n, squeeze=False, sharex=True)
    for j, pan in enumerate(panels):
        top, bottom = axes[0][j], axes[1][j]
        r = np.asarray(pan["r_A"], dtype=float)
        y = np.asarray(pan["pdf"], dtype=float)
        m = r <= r_max_A
        top.plot(r[m], y[m], color="0.15", lw=0.9)
        span = float(np.ptp(y[m])) or 1.0
        for f in pan.get("features", []):
            if f["label"] == "unassigned":
                continue
            yy = float(np.interp(f["r_A"], r, y))
            top.annotate(
                f["label"],
                (f["r_A"], yy),
                xytext=(0, 6 if f["sign"] > 0 else -10),
                textcoords="offset points",
                fontsize=5,
                ha="center",
            )
        top.set_ylim(float(y[m].min()) - 0.1 * span, float(y[m].max()) + 0.2 * span)
        top.set_title(str(pan["label"]), fontsize=7)
        top.set_ylabel(f"{pan['pdf_kind']}(r) measured")
        mr = np.asarray(pan["model_r_A"], dtype=float)
        mm = mr <= r_max_A
        parts = dict(pan["partials"])
        strongest = sorted(parts, key=lambda k: -float(np.max(np.abs(parts[k]))))[:6]
        for k, name in enumerate(strongest):
            bottom.plot(
                mr[mm],
                np.asarray(parts[name])[mm],
                lw=0.8,
                color=PALETTE[k % len(PALETTE)],
                label=name,
            )
        for k, (name, curve) in enumerate(dict(pan.get("network", {})).items()):
            bottom.plot(
                mr[mm],
                np.asarray(curve)[mm],
                lw=0.6,
                ls="--" if k == 0 else ":",
                color="0.4",
                label=name,
            )
        bottom.set_xlabel("r (Å)")
        bottom.set_ylabel("model partials")
        bottom.legend(frameon=False, fontsize=5, loc="upper right")
        for ax in (top, bottom):
            apply_axes_style(ax)
    return fig
