"""Powder-diffraction figures: pattern with background, fitted peaks and residual; W-H plot.

Functions take arrays or results (never files) and return :class:`matplotlib.figure.Figure`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib.figure import Figure

from mofglass.plotting.style import PALETTE, apply_axes_style, finish_axes, new_figure, styled

if TYPE_CHECKING:
    from mofglass.diffraction.analysis_result import PatternAnalysis

__all__ = [
    "analysis_figures",
    "pattern_fit_figure",
    "patterns_overview_figure",
    "whole_pattern_figure",
    "williamson_hall_figure",
]


@styled
def pattern_fit_figure(
    two_theta_deg: np.ndarray,
    intensity: np.ndarray,
    *,
    background: np.ndarray | None = None,
    model: np.ndarray | None = None,
    peak_positions_deg: Sequence[float] = (),
    impurity_positions_deg: Sequence[float] = (),
    title: str = "",
    wavelength_A: float | None = None,
) -> Figure:
    """Observed pattern, background and fitted model (NaN where not fitted), residual below.

    Parameters
    ----------
    two_theta_deg, intensity : ndarray
        The scan (degrees 2θ, counts).
    background : ndarray, optional
        Background curve on the same grid.
    model : ndarray, optional
        Fitted total (background + peaks) on the same grid, NaN outside the fit windows.
    peak_positions_deg : sequence of float
        Fitted peak positions, marked with ticks.
    impurity_positions_deg : sequence of float
        Positions of matched impurity reflections, marked with asterisks.
    """
    fig = new_figure(6.5, 4.0)
    gs = fig.add_gridspec(2, 1, height_ratios=(3, 1), hspace=0.05)
    ax = fig.add_subplot(gs[0])
    axr = fig.add_subplot(gs[1], sharex=ax)
    ax.plot(two_theta_deg, intensity, color="0.2", lw=0.8, label="observed")
    if background is not None:
        ax.plot(two_theta_deg, background, color=PALETTE[2], lw=1.0, label="background")
    if model is not None and np.isfinite(model).any():
        ax.plot(two_theta_deg, model, color=PALETTE[1], lw=1.0, label="fit")
        axr.plot(two_theta_deg, intensity - model, color=PALETTE[0], lw=0.7)
    axr.axhline(0.0, color="0.5", lw=0.6)
    if len(peak_positions_deg):
        y0 = float(np.nanmax(intensity))
        ax.plot(
            peak_positions_deg,
            [1.03 * y0] * len(peak_positions_deg),
            "|",
            color=PALETTE[0],
            ms=6,
            label="peaks",
        )
    for t in impurity_positions_deg:
        i = int(np.argmin(np.abs(two_theta_deg - t)))
        ax.annotate("*", (t, intensity[i]), ha="center", va="bottom", color=PALETTE[3])
    ax.set_ylabel("intensity / counts")
    lam = "" if wavelength_A is None else f" (λ = {wavelength_A:.4f} Å)"
    axr.set_xlabel(f"2θ / °{lam}")
    axr.set_ylabel("obs − fit")
    ax.tick_params(labelbottom=False)
    ax.legend(frameon=False, loc="upper right")
    if title:
        ax.set_title(title)
    apply_axes_style(ax)
    apply_axes_style(axr)
    return fig


@styled
def patterns_overview_figure(
    curves: Sequence[tuple[str, np.ndarray, np.ndarray]], *, offset: float = 1.1
) -> Figure:
    """Normalised patterns of several samples, stacked (as the paper's Fig. 1h)."""
    fig = new_figure(3.5, 0.9 + 0.7 * max(len(curves), 1))
    ax = fig.add_subplot()
    for i, (label, x, y) in enumerate(curves):
        lo, hi = float(np.nanmin(y)), float(np.nanmax(y))
        yn = (y - lo) / (hi - lo if hi > lo else 1.0)
        ax.plot(x, yn + i * offset, color=PALETTE[i % len(PALETTE)], lw=0.8)
        ax.text(float(x[-1]), i * offset + 0.3, label, ha="right", fontsize=7)
    ax.set_xlabel("2θ / °")
    ax.set_ylabel("normalised intensity")
    ax.set_yticks([])
    apply_axes_style(ax)
    return fig


@styled
def williamson_hall_figure(
    x_4sin_theta: Sequence[float],
    y_beta_cos_theta_rad: Sequence[float],
    y_err_rad: Sequence[float],
    *,
    intercept_rad: float,
    slope: float,
    title: str = "",
) -> Figure:
    """Williamson-Hall plot: β cos θ (rad) against 4 sin θ with the fitted line."""
    fig = new_figure(3.5, 2.6)
    ax = fig.add_subplot()
    x = np.asarray(x_4sin_theta)
    ax.errorbar(
        x,
        1e3 * np.asarray(y_beta_cos_theta_rad),
        yerr=1e3 * np.asarray(y_err_rad),
        fmt="o",
        ms=3,
        color=PALETTE[0],
    )
    xx = np.linspace(0, float(x.max()) * 1.05, 50)
    ax.plot(xx, 1e3 * (intercept_rad + slope * xx), color=PALETTE[1])
    finish_axes(ax, "4 sin θ", "β cos θ / mrad", title)
    return fig


@styled
def whole_pattern_figure(
    two_theta_deg: np.ndarray,
    observed: np.ndarray,
    calculated: np.ndarray,
    *,
    background: np.ndarray | None = None,
    ticks: Sequence[tuple[str, Sequence[float] | np.ndarray]] = (),
    rwp: float | None = None,
    title: str = "",
    wavelength_A: float | None = None,
) -> Figure:
    """Draw a whole-pattern fit: observed points, calculated and difference curves.

    A row of reflection ticks per phase and Rwp in the caption (the paper's Figure 1b).

    Parameters
    ----------
    two_theta_deg, observed, calculated : ndarray
        The fitted range (degrees 2θ) and the observed and calculated intensities.
    background : ndarray, optional
        Background curve.
    ticks : sequence of (label, positions)
        Reflection positions (degrees 2θ) per phase, drawn as rows of ticks under the pattern.
    rwp : float, optional
        Weighted profile R factor (fraction) for the caption.
    """
    fig = new_figure(6.5, 4.2)
    ax = fig.add_subplot()
    x = np.asarray(two_theta_deg)
    yo, yc = np.asarray(observed), np.asarray(calculated)
    span = float(np.nanmax(yo) - min(float(np.nanmin(yo)), 0.0))
    ax.plot(x, yo, ".", ms=1.5, color="0.15", label="observed")
    ax.plot(x, yc, color=PALETTE[1], lw=0.8, label="calculated")
    if background is not None:
        ax.plot(x, background, color=PALETTE[2], lw=0.7, label="background")
    base = float(np.nanmin(yo)) - 0.08 * span
    for i, (label, pos) in enumerate(ticks):
        p = np.asarray(pos, dtype=float)
        p = p[(p >= x[0]) & (p <= x[-1])]
        yk = base - 0.05 * span * i
        ax.plot(p, np.full(p.size, yk), "|", ms=5, color=PALETTE[(i + 3) % len(PALETTE)])
        ax.text(float(x[-1]), yk, f" {label}", va="center", fontsize=7)
    diff = yo - yc
    off = base - 0.05 * span * max(len(ticks), 1) - float(np.nanmax(diff))
    ax.plot(x, diff + off, color=PALETTE[0], lw=0.6, label="difference")
    lam = "" if wavelength_A is None else f" (λ = {wavelength_A:.4f} Å)"
    ax.set_xlabel(f"2θ / °{lam}")
    ax.set_ylabel("intensity / counts")
    ax.legend(frameon=False, loc="upper right")
    caption = title + ("" if rwp is None else f"{'; ' if title else ''}Rwp = {100 * rwp:.2f} %")
    if caption:
        ax.set_title(caption)
    apply_axes_style(ax)
    return fig


def analysis_figures(
    res: PatternAnalysis, *, title: str = "", max_points: int = 2000
) -> dict[str, Figure]:
    """Draw the figures of a pattern analysis from its curves.

    Parameters
    ----------
    res : PatternAnalysis
        The analysis (e.g. ``PatternAnalysis.from_dict`` of a study's ``results.json``).
    title : str
        Figure title (the sample).
    max_points : int
        Points drawn per curve (the whole-pattern fit gets twice as many).

    Returns
    -------
    dict of str to Figure
        ``""``: the pattern with background, peak fit and residual; ``"_wholepattern"``: the
        whole-pattern fit with its ticks, when there is one.
    """
    c = res.curves(max_points)

    def arr(d: dict[str, Any], key: str) -> np.ndarray:
        return np.asarray([np.nan if v is None else v for v in d[key]], dtype=float)

    figs = {
        "": pattern_fit_figure(
            arr(c, "two_theta_deg"),
            arr(c, "intensity"),
            background=arr(c, "background"),
            model=arr(c, "model"),
            peak_positions_deg=c["peak_two_theta_deg"],
            impurity_positions_deg=c["impurity_two_theta_deg"],
            title=title,
            wavelength_A=res.wavelength_A,
        )
    }
    if res.whole_pattern is not None:
        w = res.curves(2 * max_points)["whole_pattern"]
        figs["_wholepattern"] = whole_pattern_figure(
            arr(w, "two_theta_deg"),
            arr(w, "observed"),
            arr(w, "calculated"),
            background=arr(w, "background"),
            ticks=[(k, np.asarray(v, dtype=float)) for k, v in w["ticks"].items()],
            rwp=w["rwp"],
            title=title,
            wavelength_A=res.wavelength_A,
        )
    return figs
