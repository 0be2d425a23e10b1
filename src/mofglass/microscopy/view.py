"""Small arrays for figures and reports (nothing is fitted here).

Image thumbnail, power-spectrum crop and Bragg-filtered thumbnail of a lattice analysis
(block means, normalised to 0-1), kept in a :class:`FringeView` result.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mofglass.microscopy.domains import DomainMap
from mofglass.microscopy.fft import power_spectrum
from mofglass.microscopy.lattice import LatticeAnalysis, bragg_filter
from mofglass.microscopy.micrograph import Micrograph
from mofglass.results import Result

__all__ = ["FringeView", "fringe_view"]


@dataclass(frozen=True, eq=False)
class FringeView(Result):
    """Thumbnails of a lattice analysis for its figure (values normalised to 0-1).

    Attributes
    ----------
    image : ndarray
        The whole image, block-averaged to at most ``max_px`` pixels a side.
    pixel_A : float
        Pixel of ``image`` in Å.
    roi : tuple of float or None
        The analysed region (x0, y0, width, height) in ``image`` pixels.
    power_log : ndarray
        log10 power spectrum of the region, centred, cropped around the spots.
    power_step_invA : float
        Pixel of ``power_log`` in 1/Å.
    filtered, filtered_pixel_A : ndarray and float, optional
        Bragg-filtered (inverse FFT of the lattice spots) image and its pixel in Å.
    domains_extent : tuple of float, optional
        (left, right, bottom, top) of the domain map in Å, for drawing it over ``image``.
    """

    image: np.ndarray
    pixel_A: float
    roi: tuple[float, float, float, float] | None
    power_log: np.ndarray
    power_step_invA: float
    filtered: np.ndarray | None = None
    filtered_pixel_A: float | None = None
    domains_extent: tuple[float, float, float, float] | None = None
    method: str = "block-mean thumbnails, windowed FFT power, Bragg filter"


def _shrink(a: np.ndarray, max_px: int) -> tuple[np.ndarray, int]:
    f = max(1, int(np.ceil(max(a.shape) / max_px)))
    ny, nx = (a.shape[0] // f) * f, (a.shape[1] // f) * f
    return a[:ny, :nx].reshape(ny // f, f, nx // f, f).mean(axis=(1, 3)), f


def _round(a: np.ndarray) -> np.ndarray:
    lo, hi = float(np.nanmin(a)), float(np.nanmax(a))
    span = (hi - lo) or 1.0
    return np.round((a - lo) / span, 3)


def fringe_view(
    micrograph: Micrograph,
    analysis: LatticeAnalysis,
    *,
    max_px: int = 192,
    domains: DomainMap | None = None,
) -> FringeView:
    """Thumbnails (normalised to 0-1) for :func:`mofglass.plotting.microscopy.fringe_figure`.

    Parameters
    ----------
    micrograph : Micrograph
        The whole image (the analysis may use a region of it).
    analysis : LatticeAnalysis
        Its spots set the power-spectrum crop and the Bragg filter.
    max_px : int
        Largest thumbnail side in pixels.
    domains : DomainMap, optional
        A domain map of the image, whose extent in Å is kept for drawing it.

    Returns
    -------
    FringeView
    """
    img = micrograph.crop(analysis.roi)
    thumb, f = _shrink(micrograph.image, max_px)  # the whole image; the ROI is drawn on it
    ps = power_spectrum(img.image, img.pixel_size_A)
    cy, cx = ps.center
    step = min(ps.step_invA)
    gmax = max((np.hypot(r.gx_invA, r.gy_invA) for r in analysis.reflections), default=0.5)
    half = int(min(cy, cx, np.ceil(1.25 * gmax / step) + 2))
    crop = np.log10(ps.power[cy - half : cy + half, cx - half : cx + half] + 1e-12)
    crop_s, fp = _shrink(crop, max_px)
    pixel_A = img.pixel_size_A[1] * f
    filtered = filtered_pixel_A = None
    if analysis.planes:
        filt, ff = _shrink(bragg_filter(micrograph, analysis), max_px)
        filtered, filtered_pixel_A = _round(filt), img.pixel_size_A[1] * ff
    extent = None
    if domains is not None:
        rows, cols = domains.crystalline.shape
        f_dom = pixel_A / micrograph.pixel_size_A[1]
        extent = (
            0.0,
            ((cols - 1) * domains.step_px + domains.tile_px) / f_dom,
            ((rows - 1) * domains.step_px + domains.tile_px) / f_dom,
            0.0,
        )
    return FringeView(
        image=_round(thumb),
        pixel_A=pixel_A,
        roi=None if analysis.roi is None else tuple(v / f for v in analysis.roi),  # type: ignore[arg-type]
        power_log=_round(crop_s),
        power_step_invA=step * fp,
        filtered=filtered,
        filtered_pixel_A=filtered_pixel_A,
        domains_extent=extent,
    )
