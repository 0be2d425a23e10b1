"""Windowed FFT, power spectrum and reflection spots with sub-pixel positions.

The image (minus its mean) is multiplied by a 2D Hann window to suppress the edge streaks of
the periodic continuation, Fourier transformed and the power spectrum |F|² centred. Spots are
local maxima of log-power that stand above the radial median background by ``threshold``
robust standard deviations (median absolute deviation of each ring) and whose Friedel mate at
-g is also found. Each spot is refined by a least-squares 2D Gaussian on the background-free
power, which gives the sub-pixel centre, its standard error and the spot width.

References
----------
.. [1] F. J. Harris, "On the use of windows for harmonic analysis with the discrete Fourier
   transform", Proc. IEEE 66 (1978) 51.
.. [2] M. J. Hÿtch, E. Snoeck, R. Kilaas, "Quantitative measurement of displacement and strain
   fields from HREM micrographs", Ultramicroscopy 74 (1998) 131 (Bragg filtering, phase).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import ndimage, optimize

__all__ = [
    "PowerSpectrum",
    "Spot",
    "find_spots",
    "power_spectrum",
    "refine_spot",
    "regional_spread",
]

_FLOOR_PX = 0.05


@dataclass(frozen=True, eq=False)
class PowerSpectrum:
    """Centred power spectrum of a (windowed) image.

    ``power[iy, ix]`` is at spatial frequency ``((ix - cx) * step_x, (iy - cy) * step_y)`` in
    1/Å, ``step = 1 / (n * pixel_size)``; image rows run downwards, so +y is down.
    """

    power: np.ndarray
    step_invA: tuple[float, float]  # (y, x)
    center: tuple[int, int]  # (cy, cx)
    window: str

    def g_of(self, iy: float, ix: float) -> tuple[float, float]:
        """(gx, gy) in 1/Å of a (sub-)pixel position; gy positive upwards."""
        cy, cx = self.center
        return ((ix - cx) * self.step_invA[1], -(iy - cy) * self.step_invA[0])


@dataclass(frozen=True)
class Spot:
    """One reflection spot (one of a Friedel pair).

    ``gx_invA``, ``gy_invA``: spatial frequency (1/Å; +y up); ``sigma_invA``: standard error of
    the position along |g| (fit); ``width_invA``: Gaussian sigma of the spot (mean of axes);
    ``significance``: height above background in robust standard deviations of log-power.
    """

    gx_invA: float
    gy_invA: float
    sigma_invA: float
    width_invA: float
    significance: float
    fit_ok: bool

    @property
    def g_invA(self) -> float:
        """Return the spot's spatial frequency |g| in Å⁻¹."""
        return math.hypot(self.gx_invA, self.gy_invA)

    @property
    def angle_deg(self) -> float:
        """Direction of g, counter-clockwise from +x, in [0, 360)."""
        return math.degrees(math.atan2(self.gy_invA, self.gx_invA)) % 360.0


def power_spectrum(
    image: np.ndarray, pixel_size_A: tuple[float, float], *, window: str = "hann"
) -> PowerSpectrum:
    """Centred power spectrum of ``image`` after mean removal and a 2D window.

    Parameters
    ----------
    image : ndarray (ny, nx)
    pixel_size_A : (float, float)
        (y, x) pixel size in Å.
    window : {"hann", "none"}
    """
    img = np.asarray(image, dtype=float)
    img = img - img.mean()
    ny, nx = img.shape
    if window == "hann":
        img = img * np.outer(np.hanning(ny), np.hanning(nx))
    elif window != "none":
        raise ValueError(f"window must be 'hann' or 'none', got {window!r}")
    f = np.fft.fftshift(np.fft.fft2(img))
    p = f.real**2 + f.imag**2
    return PowerSpectrum(
        p, (1.0 / (ny * pixel_size_A[0]), 1.0 / (nx * pixel_size_A[1])), (ny // 2, nx // 2), window
    )


def _radius_px(ps: PowerSpectrum) -> tuple[np.ndarray, np.ndarray]:
    ny, nx = ps.power.shape
    cy, cx = ps.center
    yy, xx = np.indices((ny, nx))
    sy, sx = ps.step_invA
    q = np.hypot((yy - cy) * sy, (xx - cx) * sx)
    return q, (q / min(sy, sx)).astype(int)


def _ring_background(logp: np.ndarray, ring: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Median and robust sigma (1.4826 MAD) of log-power per integer ring."""
    nr = int(ring.max()) + 1
    flat, rf = logp.ravel(), ring.ravel()
    order = np.argsort(rf, kind="stable")
    bounds = np.searchsorted(rf[order], np.arange(nr + 1))
    med = np.zeros(nr)
    sig = np.ones(nr)
    for r in range(nr):
        v = flat[order[bounds[r] : bounds[r + 1]]]
        if v.size:
            med[r] = np.median(v)
            sig[r] = max(1.4826 * np.median(np.abs(v - med[r])), 1e-6)
    # smooth the profile over neighbouring rings so a strong spot does not raise its own ring
    med = ndimage.median_filter(med, size=5, mode="nearest")
    sig = ndimage.median_filter(sig, size=5, mode="nearest")
    return med[ring], sig[ring]


def _gauss2d(
    xy: tuple[np.ndarray, np.ndarray],
    a: float,
    x0: float,
    y0: float,
    sx: float,
    sy: float,
    c: float,
) -> np.ndarray:
    x, y = xy
    return a * np.exp(-0.5 * (((x - x0) / sx) ** 2 + ((y - y0) / sy) ** 2)) + c


def refine_spot(
    p: np.ndarray, iy: int, ix: int, hw: int = 3
) -> tuple[float, float, float, float, float, bool]:
    """Fit a 2D Gaussian + constant to the power ``p`` around pixel (iy, ix).

    Returns
    -------
    tuple
        Sub-pixel (y, x), their standard errors, the spot sigma (all in px) and whether the
        fit succeeded away from its bounds (else the centroid, with ±0.5 px).
    """
    ny, nx = p.shape
    y0, y1 = max(iy - hw, 0), min(iy + hw + 1, ny)
    x0, x1 = max(ix - hw, 0), min(ix + hw + 1, nx)
    win = p[y0:y1, x0:x1]
    yy, xx = np.mgrid[y0:y1, x0:x1]
    base = float(np.median(np.concatenate([win[0], win[-1], win[:, 0], win[:, -1]])))
    amp = float(p[iy, ix] - base)
    guess = (amp, ix, iy, 1.0, 1.0, base)
    lo = (0.0, ix - 1.5, iy - 1.5, 0.3, 0.3, -np.inf)
    hi = (np.inf, ix + 1.5, iy + 1.5, hw, hw, np.inf)
    try:
        popt, pcov = optimize.curve_fit(
            _gauss2d, (xx.ravel(), yy.ravel()), win.ravel(), p0=guess, bounds=(lo, hi), maxfev=2000
        )
        err = np.sqrt(np.clip(np.diag(pcov), 0, None))
        at_bound = any(abs(popt[k] - b) < 1e-3 for k in (1, 2, 3, 4) for b in (lo[k], hi[k]))
        if np.all(np.isfinite(err[1:5])) and not at_bound:
            return popt[2], popt[1], err[2], err[1], 0.5 * (popt[3] + popt[4]), True
    except (RuntimeError, ValueError):
        pass
    w = np.clip(win - base, 0, None)
    s = w.sum() or 1.0
    cy, cx = float((w * yy).sum() / s), float((w * xx).sum() / s)
    return cy, cx, 0.5, 0.5, 1.0, False  # centroid; error one half pixel


def find_spots(
    ps: PowerSpectrum,
    *,
    d_min_A: float = 1.0,
    d_max_A: float = 30.0,
    threshold: float = 6.0,
    max_spots: int = 24,
) -> list[Spot]:
    """Reflection spots of a power spectrum, one per Friedel pair, strongest first.

    Parameters
    ----------
    ps : PowerSpectrum
    d_min_A, d_max_A : float
        Spacing range searched (Å); also limited to 2.5 px from the centre and the Nyquist edge.
    threshold : float
        Required height of a spot above the ring median, in robust sigmas of log-power; its
        Friedel mate must reach half of it.
    max_spots : int
        At most this many pairs are returned.
    """
    p = ps.power
    logp = np.log(p + p.max() * 1e-16 + 1e-300)
    q, ring = _radius_px(ps)
    med, sig = _ring_background(logp, ring)
    z = (logp - med) / sig
    qmin = max(1.0 / d_max_A, 2.5 * max(ps.step_invA))
    qmax = min(1.0 / d_min_A, 0.95 * 0.5 / max(ps.step_invA) * min(ps.step_invA) * 2)
    qmax = min(qmax, 0.95 * min(ps.center[0] * ps.step_invA[0], ps.center[1] * ps.step_invA[1]))
    peaks = (ndimage.maximum_filter(z, size=5, mode="nearest") == z) & (z >= threshold)
    peaks &= (q >= qmin) & (q <= qmax)
    cy, cx = ps.center
    ny, nx = p.shape
    cand = np.argwhere(peaks)
    cand = cand[np.argsort(-z[peaks])]
    used = np.zeros(p.shape, dtype=bool)
    spots: list[Spot] = []
    for iy, ix in cand:
        if used[iy, ix]:
            continue
        my, mx = 2 * cy - iy, 2 * cx - ix
        if not (0 <= my < ny and 0 <= mx < nx):
            continue
        ys, xs = slice(max(my - 1, 0), my + 2), slice(max(mx - 1, 0), mx + 2)
        if z[ys, xs].max() < 0.5 * threshold:
            continue
        used[max(iy - 2, 0) : iy + 3, max(ix - 2, 0) : ix + 3] = True
        used[max(my - 2, 0) : my + 3, max(mx - 2, 0) : mx + 3] = True
        a = refine_spot(p, int(iy), int(ix))
        mloc = np.unravel_index(
            np.argmax(np.where(np.isfinite(z[ys, xs]), z[ys, xs], -np.inf)), z[ys, xs].shape
        )
        b = refine_spot(p, int(ys.start + mloc[0]), int(xs.start + mloc[1]))
        # average g and -g' of the pair: centre errors cancel to first order
        py = 0.5 * ((a[0] - cy) - (b[0] - cy))
        px = 0.5 * ((a[1] - cx) - (b[1] - cx))
        # fit errors, floored at the ~0.05 px reproducibility of a windowed-FFT spot centre
        ey = max(0.5 * math.hypot(a[2], b[2]), _FLOOR_PX)
        ex = max(0.5 * math.hypot(a[3], b[3]), _FLOOR_PX)
        gx, gy = px * ps.step_invA[1], -py * ps.step_invA[0]
        gnorm = math.hypot(gx, gy) or 1.0
        # error along g from the x/y errors in 1/Å
        sg = math.hypot(ex * ps.step_invA[1] * gx / gnorm, ey * ps.step_invA[0] * gy / gnorm)
        width = 0.5 * (a[4] + b[4]) * 0.5 * (ps.step_invA[0] + ps.step_invA[1])
        if gy < 0 or (gy == 0 and gx < 0):
            gx, gy = -gx, -gy
        spots.append(Spot(gx, gy, sg, width, float(z[iy, ix]), a[5] and b[5]))
        if len(spots) >= max_spots:
            break
    return spots


#: A quadrant must be at least this many pixels wide for its own spot fits.
_MIN_REGION_PX = 128


def regional_spread(
    image: np.ndarray, pixel_size_A: tuple[float, float], window: str, spots: list[Spot]
) -> dict[int, tuple[float, float]]:
    """Spread of each spot over the 2x2 quadrants of the image.

    Each quadrant's windowed power spectrum is fitted (:func:`refine_spot`) at the spot's
    whole-image position. Returns, keyed by ``id(spot)``, the relative standard deviation
    of the spacing and the standard deviation of the direction (deg) over the quadrants
    where the fit succeeded: (0, 0) when fewer than 3 did or the quadrants are smaller than
    ``_MIN_REGION_PX``. It measures scale non-uniformity (drift, scan or lens distortion).
    """
    ny, nx = image.shape
    h, w = ny // 2, nx // 2
    out = {id(s): (0.0, 0.0) for s in spots}
    if min(h, w) < _MIN_REGION_PX:
        return out
    spectra = [
        power_spectrum(image[i * h : (i + 1) * h, j * w : (j + 1) * w], pixel_size_A, window=window)
        for i in range(2)
        for j in range(2)
    ]
    for s in spots:
        gs = [g for g in (_local_g(ps, s) for ps in spectra) if g is not None]
        if len(gs) < 3:
            continue
        d = np.array([1.0 / math.hypot(*g) for g in gs])
        ang = np.degrees([math.atan2(g[1], g[0]) for g in gs])
        ang = (ang - s.angle_deg + 90.0) % 180.0 - 90.0  # about the whole-image direction
        out[id(s)] = (float(np.std(d, ddof=1) / np.mean(d)), float(np.std(ang, ddof=1)))
    return out


def _local_g(ps: PowerSpectrum, s: Spot) -> tuple[float, float] | None:
    """(gx, gy) in 1/Å of spot ``s`` refitted in another spectrum; None if the fit fails."""
    cy, cx = ps.center
    iy, ix = cy - s.gy_invA / ps.step_invA[0], cx + s.gx_invA / ps.step_invA[1]
    if math.hypot(iy - cy, ix - cx) < 2.5:
        return None  # too close to the centre of the small spectrum
    ny, nx = ps.power.shape
    if not (3 <= iy < ny - 3 and 3 <= ix < nx - 3):
        return None
    y, x, _, _, _, ok = refine_spot(ps.power, round(iy), round(ix))
    return ps.g_of(y, x) if ok else None
