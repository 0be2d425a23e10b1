"""Small JSON-ready arrays for figures and reports (nothing is fitted here).

Image thumbnail, power-spectrum crop and Bragg-filtered thumbnail of a lattice analysis
(block means).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from mofglass.microscopy.fft import power_spectrum
from mofglass.microscopy.lattice import LatticeAnalysis, bragg_filter
from mofglass.microscopy.micrograph import Micrograph

__all__ = ["fringe_view"]


def _shrink(a: np.ndarray, max_px: int) -> tuple[np.ndarray, int]:
    f = max(1, int(np.ceil(max(a.shape) / max_px)))
    ny, nx = (a.shape[0] // f) * f, (a.shape[1] // f) * f
    return a[:ny, :nx].reshape(ny // f, f, nx // f, f).mean(axis=(1, 3)), f


def _round(a: np.ndarray) -> list[list[float]]:
    lo, hi = float(np.nanmin(a)), float(np.nanmax(a))
    span = (hi - lo) or 1.0
    return np.round((a - lo) / span, 3).tolist()


def fringe_view(
    micrograph: Micrograph,
    analysis: LatticeAnalysis,
    *,
    max_px: int = 192,
    hkl: dict[int, str] | None = None,
) -> dict[str, Any]:
    """Thumbnails (normalised to 0-1) and spot list for :func:`plotting.microscopy.fringe_figure`.

    ``hkl`` maps a reflection's index in ``analysis.reflections`` to its "(hkl)" label.
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
    out: dict[str, Any] = {
        "image": _round(thumb),
        "pixel_A": img.pixel_size_A[1] * f,
        "roi": None if analysis.roi is None else [v / f for v in analysis.roi],
        "power_log": _round(crop_s),
        "power_step_invA": step * fp,
        "spots": [
            {
                "gx": r.gx_invA,
                "gy": r.gy_invA,
                "d": r.d_A.value,
                "role": r.role,
                "hkl": (hkl or {}).get(k, ""),
            }
            for k, r in enumerate(analysis.reflections)
        ],
    }
    if analysis.planes:
        filt, ff = _shrink(bragg_filter(micrograph, analysis), max_px)
        out["filtered"] = _round(filt)
        out["filtered_pixel_A"] = img.pixel_size_A[1] * ff
    return out
