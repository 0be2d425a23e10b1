"""Figure S4-like view of an HR-TEM lattice analysis.

Image, power spectrum with the indexed spots, inverse-FFT (Bragg) filtered image and,
optionally, the crystalline-domain map.

Takes arrays and spot lists (from technique details or the analysis), never files.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib.figure import Figure

from mofglass.plotting.style import PALETTE, new_figure, styled

if TYPE_CHECKING:
    from mofglass.microscopy.analysis import MicrographAnalysis

__all__ = ["analysis_figure", "fringe_figure"]


def _scalebar(ax: Any, shape: tuple[int, int], pixel_A: float) -> None:
    width_A = shape[1] * pixel_A
    nice = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]
    length = max((v for v in nice if v <= width_A / 4), default=nice[0])
    px = length / pixel_A
    y = shape[0] * 0.93
    ax.plot([shape[1] * 0.05, shape[1] * 0.05 + px], [y, y], color="w", lw=2)
    ax.text(
        shape[1] * 0.05 + px / 2,
        y - shape[0] * 0.03,
        f"{length / 10:g} nm",
        color="w",
        ha="center",
        va="bottom",
        fontsize=7,
    )


@styled
def fringe_figure(
    image: np.ndarray,
    pixel_A: float,
    power_log: np.ndarray,
    power_step_invA: float,
    spots: Sequence[Mapping[str, Any]],
    filtered: np.ndarray | None = None,
    *,
    domains: np.ndarray | None = None,
    roi: Sequence[float] | None = None,
    domains_extent: Sequence[float] | None = None,
    filtered_pixel_A: float | None = None,
    title: str = "",
) -> Figure:
    """Draw the lattice-fringe view of an HR-TEM image in two or three panels.

    (a) image (ROI box, domain map overlaid), (b) log power spectrum of the ROI with spots
    labelled by d (and hkl when indexed), (c) Bragg-filtered image.

    ``power_log`` is centred; ``power_step_invA`` its pixel in 1/Å; each spot has ``gx``,
    ``gy`` (1/Å, +y up), ``d`` (Å), ``role`` and optionally ``hkl``.
    """
    n = 3 if filtered is not None else 2
    fig = new_figure(2.4 * n, 2.6)
    axes = fig.subplots(1, n)
    ax = axes[0]
    ax.imshow(image, cmap="gray", interpolation="nearest")
    if domains is not None and domains.size:
        ax.imshow(
            np.where(domains, 1.0, np.nan),
            cmap="autumn",
            alpha=0.25,
            extent=tuple(domains_extent or (0, image.shape[1], image.shape[0], 0)),
            interpolation="nearest",
        )
    if roi is not None:
        from matplotlib.patches import Rectangle

        ax.add_patch(Rectangle((roi[0], roi[1]), roi[2], roi[3], fill=False, ec=PALETTE[4], lw=1))
    _scalebar(ax, image.shape, pixel_A)
    ax.set_title("(a) image" + (", ROI" if roi is not None else ""))
    ax = axes[1]
    h, w = power_log.shape
    ext = (
        -w / 2 * power_step_invA,
        w / 2 * power_step_invA,
        -h / 2 * power_step_invA,
        h / 2 * power_step_invA,
    )
    ax.imshow(power_log, cmap="magma", extent=ext, origin="upper", interpolation="nearest")
    for s in spots:
        col = PALETTE[1] if not str(s["role"]).startswith("harmonic") else PALETTE[5]
        if s["role"] == "unexplained":
            col = "0.7"
        for sgn in (1, -1):
            ax.plot(sgn * s["gx"], sgn * s["gy"], "o", mfc="none", mec=col, ms=7, mew=0.8)
        label = f"{s['d']:.2f} Å" + (f"\n({s['hkl']})" if s.get("hkl") else "")
        ax.annotate(
            label,
            (s["gx"], s["gy"]),
            xytext=(4, 4),
            textcoords="offset points",
            color="w",
            fontsize=6,
        )
    ax.set_xlabel("$g_x$ (Å$^{-1}$)")
    ax.set_title("(b) FFT (log power)")
    if filtered is not None:
        ax = axes[2]
        ax.imshow(filtered, cmap="gray", interpolation="nearest")
        _scalebar(ax, filtered.shape, filtered_pixel_A or pixel_A)
        ax.set_title("(c) inverse FFT, lattice spots")
    for a in (axes[0], *axes[2:]):
        a.set_xticks([])
        a.set_yticks([])
    if title:
        fig.suptitle(title, fontsize=8)
    return fig


def analysis_figure(res: MicrographAnalysis, *, title: str = "") -> Figure:
    """Draw :func:`fringe_figure` of a micrograph analysis from its view and spots.

    Parameters
    ----------
    res : MicrographAnalysis
        With its ``view`` (e.g. ``MicrographAnalysis.from_dict`` of a study's results.json).
    title : str
        Figure title.

    Returns
    -------
    Figure
    """
    v = res.view
    if v is None:
        raise ValueError("the analysis has no view (thumbnails) to draw")
    return fringe_figure(
        v.image,
        v.pixel_A,
        v.power_log,
        v.power_step_invA,
        res.spots(),
        v.filtered,
        domains=None if res.domains is None else np.asarray(res.domains.crystalline, bool),
        roi=v.roi,
        domains_extent=v.domains_extent,
        filtered_pixel_A=v.filtered_pixel_A,
        title=title,
    )
