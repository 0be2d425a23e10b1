"""Figures of FTIR / NMR spectra: spectra stacked by sample, with fitted bands overlaid.

Functions take arrays (from results or technique details), never files, and compute nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from matplotlib.figure import Figure

from mofglass.plotting.style import PALETTE, finish_axes, new_figure, styled

__all__ = ["SpectrumCurve", "stacked_spectra_figure"]

_X_LABEL = {"wavenumber_cm1": "Wavenumber (cm$^{-1}$)", "shift_ppm": "Chemical shift (ppm)"}
_Y_LABEL = {
    "absorbance": "Absorbance (offset)",
    "transmittance": "Absorbance (offset)",
    "intensity": "Intensity (normalised, offset)",
}


@dataclass(frozen=True)
class SpectrumCurve:
    """One sample's spectrum and its band fits (each fit: x, model, band positions)."""

    label: str
    x: np.ndarray
    y: np.ndarray
    fits: Sequence[tuple[np.ndarray, np.ndarray]] = field(default_factory=tuple)
    band_positions: Sequence[float] = field(default_factory=tuple)


@styled
def stacked_spectra_figure(
    curves: Sequence[SpectrumCurve],
    *,
    x_unit: str = "wavenumber_cm1",
    y_kind: str = "absorbance",
    x_range: tuple[float, float] | None = None,
    title: str = "",
) -> Figure:
    """Spectra normalised to their maximum in view, stacked with an offset, x descending.

    Fitted band models are drawn dashed over each spectrum and band positions ticked.
    """
    fig = new_figure(3.5, 0.9 + 0.9 * max(1, len(curves)))
    ax = fig.add_subplot()
    for k, c in enumerate(curves):
        x, y = np.asarray(c.x, float), np.asarray(c.y, float)
        view = np.ones(x.shape, bool)
        if x_range is not None:
            view = (x >= min(x_range)) & (x <= max(x_range))
        if not view.any():
            continue
        lo = float(np.nanmin(y[view]))
        span = float(np.nanmax(y[view]) - lo) or 1.0
        off = 1.15 * k
        color = PALETTE[k % len(PALETTE)]
        ax.plot(x[view], (y[view] - lo) / span + off, color=color, lw=1.0, label=c.label)
        for fx, fm in c.fits:
            ax.plot(fx, (np.asarray(fm, float) - lo) / span + off, color="k", ls="--", lw=0.8)
        for p in c.band_positions:
            ax.axvline(p, ymin=0, ymax=1, color=color, lw=0.4, alpha=0.4)
    if x_range is not None:
        ax.set_xlim(max(x_range), min(x_range))
    elif not ax.xaxis_inverted():
        ax.invert_xaxis()
    ax.set_yticks([])
    if curves:
        ax.legend(frameon=False, loc="upper left")
    finish_axes(ax, _X_LABEL.get(x_unit, x_unit), _Y_LABEL.get(y_kind, y_kind), title)
    ax.set_yticks([])
    return fig
