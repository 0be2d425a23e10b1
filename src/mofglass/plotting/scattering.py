"""Figures of computed scattering.

Powder patterns with reflection ticks, PDFs with partials and the intra- / inter-network
split.

Figures take result objects (or arrays) from :mod:`mofglass.scattering`, never files, and compute
nothing beyond offsets for display.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from mofglass.plotting.style import PALETTE, apply_axes_style, finish_axes, new_figure, styled

__all__ = ["curves_pattern_figure", "curves_pdf_figure", "pattern_figure", "pdf_figure"]


@styled
def pattern_figure(pattern: Any, *, title: str = "", max_ticks: int = 400) -> Figure:
    """Draw a simulated powder pattern (scaled to 100) with a tick for every reflection.

    Parameters
    ----------
    pattern : PowderPattern
        From :func:`mofglass.scattering.powder_pattern`.
    title : str
        Figure title.
    max_ticks : int
        At most this many (the strongest) reflections get a tick.
    """
    fig = new_figure(5.0, 3.0)
    ax = fig.add_subplot()
    y = pattern.intensity / (pattern.intensity.max() or 1.0) * 100.0
    ax.plot(pattern.two_theta_deg, y, color=PALETTE[0], lw=1.0, label=pattern.radiation)
    refl = pattern.reflections
    lo, hi = pattern.two_theta_deg[0], pattern.two_theta_deg[-1]
    sel = (refl.two_theta_deg >= lo) & (refl.two_theta_deg <= hi)
    tt, inten = refl.two_theta_deg[sel], refl.intensity[sel]
    if tt.size > max_ticks:
        keep = np.argsort(inten)[::-1][:max_ticks]
        tt = tt[keep]
    ax.vlines(tt, -8.0, -2.0, color=PALETTE[1], lw=0.6, label="reflections")
    ax.set_xlim(lo, hi)
    ax.set_ylim(-10, 105)
    ax.legend(frameon=False, loc="upper right")
    finish_axes(ax, "2θ (°)", "Intensity (scaled)", title)
    return fig


@styled
def pdf_figure(
    result: Any,
    *,
    peaks: Sequence[Any] = (),
    max_pairs: int = 6,
    title: str = "",
) -> Figure:
    """G(r) with its element-pair parts (offset) and the intra- / inter-network split.

    Parameters
    ----------
    result : PDFResult
        From :func:`mofglass.scattering.crystal_pdf`.
    peaks : sequence of PDFPeak
        Peaks to mark (e.g. :func:`mofglass.scattering.label_peaks`), labelled with their main pair.
    max_pairs : int
        Number of element pairs shown (largest weights first).
    """
    r = result.r_A
    split = bool(result.kind_partials)
    fig = new_figure(5.0, 5.2 if split else 3.2)
    axes = fig.subplots(2 if split else 1, 1, sharex=True, squeeze=False)[:, 0]
    ax = axes[0]
    ax.plot(r, result.G, color="black", lw=1.0, label="G(r) total")
    pairs = sorted(result.element_partials, key=lambda k: -result.weights.get(k, 0.0))[:max_pairs]
    span = float(np.ptp(result.G)) or 1.0
    for k, key in enumerate(pairs):
        off = -(k + 1) * 0.35 * span
        ax.plot(
            r,
            result.element_partials[key] + off,
            color=PALETTE[k % len(PALETTE)],
            lw=0.8,
            label=key,
        )
    for p in peaks:
        main = next(iter(p.pairs), "")
        ax.annotate(
            f"{p.r_A:.2f}\n{main}",
            (p.r_A, p.height),
            textcoords="offset points",
            xytext=(0, 6),
            ha="center",
            fontsize=6,
        )
    ax.set_ylabel("G(r) (Å⁻²), partials offset")
    ax.legend(frameon=False, fontsize=6, ncol=2, loc="upper right")
    if title:
        ax.set_title(title)
    apply_axes_style(ax)
    if split:
        ax2 = axes[1]
        base = 4 * np.pi * result.number_density_invA3 * r
        for k, kind in enumerate(("intra", "inter", "other")):
            if kind in result.kind_partials:
                ax2.plot(
                    r,
                    result.kind_partials[kind],
                    color=PALETTE[k],
                    lw=0.9,
                    label=f"{kind}-network pairs",
                )
        ax2.plot(r, result.G + base, color="black", lw=0.6, alpha=0.5, label="all pairs")
        ax2.set_ylabel("R(r)/r (Å⁻²)")
        ax2.legend(frameon=False, fontsize=7)
        apply_axes_style(ax2)
    axes[-1].set_xlabel("r (Å)")
    return fig


@styled
def curves_pattern_figure(curves: Mapping[str, Any], *, title: str = "") -> Figure:
    """Pattern from JSON-ready curves: ``two_theta_deg``, ``intensity``, ``ticks_deg``."""
    fig = new_figure(5.0, 3.0)
    ax = fig.add_subplot()
    ax.plot(curves["two_theta_deg"], curves["intensity"], color=PALETTE[0], lw=1.0)
    ax.vlines(curves.get("ticks_deg", []), -8.0, -2.0, color=PALETTE[1], lw=0.6)
    finish_axes(ax, "2θ (°)", "Intensity (scaled)", title)
    return fig


@styled
def curves_pdf_figure(curves: Mapping[str, Any], *, title: str = "") -> Figure:
    """PDF from JSON-ready curves: ``r_A``, ``G`` and ``kinds`` (pair parts by network kind)."""
    fig = new_figure(5.0, 3.0)
    ax = fig.add_subplot()
    ax.plot(curves["r_A"], curves["G"], color="black", lw=1.0, label="G(r)")
    for k, (kind, y) in enumerate(curves.get("kinds", {}).items()):
        ax.plot(curves["r_A"], y, color=PALETTE[k], lw=0.8, label=f"{kind}-network pairs")
    ax.legend(frameon=False, fontsize=7)
    finish_axes(ax, "r (Å)", "G(r) (Å⁻²)", title)
    return fig
