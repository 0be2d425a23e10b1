"""Figures of measured total scattering: stacked F(Q) and G(r)/D(r), VT-series heat maps.

Figures take arrays or JSON-ready curve dicts from :mod:`mofglass.totalscattering`, never files.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from mofglass.plotting.style import PALETTE, apply_axes_style, new_figure, styled

__all__ = ["series_heatmap_figure", "stacked_figure"]


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
    ax.set_xlabel("r (Å)")
    ax.set_ylabel("T (°C)")
    fig.colorbar(mesh, ax=ax, label=f"{kind}(r)")
    apply_axes_style(ax)
    if title:
        ax.set_title(title)
    return fig
