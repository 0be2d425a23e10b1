"""Crystalline-domain map of an HR-TEM image: a local FFT on a grid of tiles.

Each tile (Hann-windowed) is called crystalline when its power spectrum has the analysed
lattice's spots: at the positions ±g of each lattice plane (basis and combinations, not
harmonics) the log-power is compared with the median of its ring (|g| ± ``ring_px``, spots' surroundings
excluded) in robust
sigmas; the best plane's mean over its Friedel pair must reach ``threshold``. The map therefore shows the domains that share
the orientation of the analysed crystal (an amorphous tile scores about 0-1). The area fraction
is the crystalline share of the tiles. This is the local-FFT ("FFT mapping") view of a
glass-ceramic's nanocrystals.

References
----------
.. [1] M. J. Hÿtch et al., Ultramicroscopy 74 (1998) 131 (local Fourier analysis of HREM).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mofglass.microscopy.lattice import LatticeAnalysis
from mofglass.microscopy.micrograph import Micrograph
from mofglass.results import Measured, Result

__all__ = ["DomainMap", "crystalline_domains"]


@dataclass(frozen=True)
class DomainMap(Result):
    """Tile grid of crystalline (True) / not (False) and the area fraction."""

    crystalline: np.ndarray  # bool (rows, cols)
    score: np.ndarray  # robust-sigma height of the best lattice spot per tile
    tile_px: int
    step_px: int
    crystalline_fraction: Measured
    method: str = "local FFT on a tile grid (Hytch 1998)"


def crystalline_domains(
    micrograph: Micrograph,
    analysis: LatticeAnalysis,
    *,
    tile_px: int | None = None,
    threshold: float = 4.0,
    ring_px: float = 1.5,
) -> DomainMap:
    """Map where the lattice of ``analysis`` is present.

    Parameters
    ----------
    micrograph : Micrograph
    analysis : LatticeAnalysis
        Its lattice spacings (basis and combinations) define the rings searched; it may come
        from an ROI on one crystal, the map covers the whole image.
    tile_px : int, optional
        Tile size; default 6 periods of the largest spacing, as a power of 2 (>= 32 px). Tiles overlap
        by half.
    threshold : float
        Robust sigmas above the ring median.
    ring_px : float
        Half-width of the ring in tile-FFT pixels.
    """
    img = micrograph.image  # the whole image, whatever ROI the analysis used
    py, px = micrograph.pixel_size_A
    planes = analysis.planes
    if not planes:
        raise ValueError("no lattice spots in the analysis: nothing to map")
    dmax = max(r.d_A.value for r in planes)
    t = tile_px or max(32, int(2 ** np.ceil(np.log2(6 * dmax / min(px, py)))))
    t = min(t, min(img.shape))
    step = max(t // 2, 1)
    ny, nx = img.shape
    rows = (ny - t) // step + 1
    cols = (nx - t) // step + 1
    win = np.outer(np.hanning(t), np.hanning(t))
    c = t // 2
    yy, xx = np.indices((t, t))
    ring_of = np.hypot((yy - c) * px, (xx - c) * py) / min(px, py)  # radius in tile pixels
    # spot pixels (both Friedel mates) and the ring of each lattice spot, in tile-FFT pixels
    spots = []
    for k, r in enumerate(planes):
        for sgn in (1, -1):
            ix = c + sgn * r.gx_invA * t * px
            iy = c - sgn * r.gy_invA * t * py
            if 1 <= iy < t - 1 and 1 <= ix < t - 1:
                rad = float(np.hypot(iy - c, ix - c))
                ring = np.abs(ring_of - rad) <= ring_px
                spots.append((k, round(float(iy)), round(float(ix)), ring))
    if not spots:
        raise ValueError(f"tiles of {t} px cannot resolve the lattice spacings")
    # ring statistics without the spots' own neighbourhoods (their skirts fill small tiles)
    near = np.zeros((t, t), dtype=bool)
    for _, iy, ix, _ in spots:
        near |= np.hypot(yy - iy, xx - ix) <= 3.0
    spots = [(k, iy, ix, ring & ~near) for k, iy, ix, ring in spots if np.any(ring & ~near)]
    score = np.zeros((rows, cols))
    for i in range(rows):
        for j in range(cols):
            tile = img[i * step : i * step + t, j * step : j * step + t]
            f = np.fft.fftshift(np.fft.fft2((tile - tile.mean()) * win))
            lp = np.log(f.real**2 + f.imag**2 + 1e-300)
            zs: dict[int, list[float]] = {}
            for k, iy, ix, ring in spots:
                v = lp[ring]
                med = np.median(v)
                sig = max(1.4826 * np.median(np.abs(v - med)), 1e-6)
                z = (lp[iy - 1 : iy + 2, ix - 1 : ix + 2].max() - med) / sig
                zs.setdefault(k, []).append(float(z))
            score[i, j] = max(float(np.mean(v)) for v in zs.values())
    cryst = score >= threshold
    frac = float(cryst.mean())
    err = float(np.sqrt(frac * (1 - frac) / cryst.size)) if cryst.size else None
    return DomainMap(cryst, score, t, step, Measured(frac, err, ""))
