"""The one noise model of a powder pattern: file esds, counting statistics, or estimated.

Every weighted fit of a :class:`~mofglass.diffraction.pattern.Pattern` (peak fits, Pawley /
Le Bail) uses :func:`pattern_noise`, which picks, in this order:

* ``"file"``: the esd column of the file (.xye, GSAS fxye/esd, ...), used as given;
* ``"poisson"``: whole-number, non-negative intensities are counts, σ = √max(I, 1);
* ``"estimated"``: anything else (normalised, averaged or scaled intensities written by
  integration software) gets σ² = k(2θ)·I estimated from the data themselves
  (:func:`estimate_variance`: the robust spread of the residual of a local Savitzky-Golay
  fit [1]_, MAD [2]_, in windows along the scan). For scaled counts I = s·N, k = s; k varies
  along the scan with variable counting time;
* ``"noise-free"``: a computed pattern (estimated relative noise < 1 ppm) gets σ = √max(I, 1)
  by convention, so its fit is weighted as a counting pattern would be.

Measured on the shared whole-number count files, whose truth is σ² = I (k = 1), median k:
PbSO4 GSAS (PBSO4.XRA) 1.08, Bruker Cu3Au-1.raw 1.12, BT86.raw 1.05. On rebinned synchrotron and
position-sensitive-detector data it is lower (11-BM fxye 0.36, LaB6 PSD .xye 0.34, whose esds
give σ²/I = 0.96 and 1.0): neighbouring points of merged/rebinned data are correlated, so the
point-to-point spread underestimates the noise; such files carry esds, which are then used. An
estimated σ is therefore a lower bound when the writer interpolated. The CeO2 lab Mo scan
(labpdf-ceo2-mo-zscan, values 0.3-52) gives k from 0.0037 at low angle to 2e-5 at high angle
(longer counting at high angle).

References
----------
.. [1] A. Savitzky, M. J. E. Golay, Anal. Chem. 36 (1964) 1627-1639.
.. [2] P. J. Rousseeuw, C. Croux, J. Am. Stat. Assoc. 88 (1993) 1273-1283.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np
from scipy.signal import savgol_coeffs, savgol_filter

from mofglass.peaks.noise import MAD_TO_SIGMA

if TYPE_CHECKING:
    from mofglass.diffraction.pattern import Pattern

__all__ = ["NoiseModel", "estimate_variance", "pattern_noise"]

_WINDOW, _ORDER, _POINTS_PER_WINDOW, _MAX_WINDOWS = 7, 4, 300, 16
#: relative point-to-point noise below which a pattern is taken as computed (noise-free)
_NOISE_FREE = 1e-6


@dataclass(frozen=True, eq=False)
class NoiseModel:
    """Standard uncertainty of every point of a pattern and how it was obtained.

    Attributes
    ----------
    sigma : ndarray
        σ of each intensity (the pattern's intensity unit), > 0.
    model : {"file", "poisson", "estimated", "noise-free"}
        Where σ comes from (see the module docstring).
    scale : ndarray or None
        For ``"estimated"``: k(2θ) of σ² = k·I at each point (intensity unit), else None.
    """

    sigma: np.ndarray
    model: Literal["file", "poisson", "estimated", "noise-free"]
    scale: np.ndarray | None = None

    def describe(self) -> str:
        """One line for reports: the noise model used for the weights."""
        if self.model == "file":
            return "weights: the file's esds"
        if self.model == "poisson":
            return "weights: counting statistics, σ = √I (whole-number counts)"
        if self.model == "noise-free":
            return "weights: σ = √I by convention (noise-free, computed intensities)"
        k = np.asarray(self.scale)
        return (
            f"weights: σ² = k(2θ)·I estimated from the data, k {np.min(k):.3g}-{np.max(k):.3g} "
            "(intensities are not counts; σ is a lower bound if the writer interpolated)"
        )


def _is_counts(pattern: Pattern) -> bool:
    y = np.asarray(pattern.intensity, dtype=float)
    return (
        pattern.intensity_unit != "cps"
        and bool(np.all(y >= 0))
        and bool(np.allclose(y, np.round(y), rtol=0.0, atol=1e-6))
    )


def estimate_variance(intensity: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Estimate σ² = k·I point by point, with k varying slowly along the scan.

    The residual of a 7-point quartic Savitzky-Golay smoothing, divided by √I (I: the smoothed
    level, floored at 5 % of its median so background-free zeros stay finite) and by √(1 - c0)
    (c0: the smoother's centre weight, so that white noise keeps its σ), has spread √k. k is
    its squared robust spread (1.4826 MAD, insensitive to the few peak tops where the smoother
    leaves signal) in windows of ~300 points (at most 16), a running median over 3 windows,
    linearly interpolated between window centres. A varying k follows variable counting time
    (lab total-scattering scans count longer at high angle); constant k = s for scaled counts.

    Parameters
    ----------
    intensity : ndarray
        Intensities on an equally spaced grid (any unit), at least 60 points.

    Returns
    -------
    variance, k : ndarray
        σ² of every point (intensity unit squared, > 0) and k there (intensity unit).

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> level = 50 + 400 * np.exp(-(((np.arange(4000) % 200) - 100) / 8.0) ** 2)
    >>> _, k = estimate_variance(0.1 * rng.poisson(level))  # scaled counts: σ² = 0.1·I
    >>> round(float(np.median(k)), 2)
    0.1
    """
    y = np.asarray(intensity, dtype=float)
    if y.size < 60:
        raise ValueError(f"{y.size} points are too few to estimate the noise from the data")
    h = _WINDOW // 2
    level = savgol_filter(y, _WINDOW, _ORDER)
    i_eff = np.maximum(level, max(0.05 * float(np.median(np.abs(level))), 1e-300))
    gain = np.sqrt(1.0 - savgol_coeffs(_WINDOW, _ORDER)[h])
    z = ((y - level) / np.sqrt(i_eff) / gain)[h:-h]
    n_win = int(np.clip(z.size // _POINTS_PER_WINDOW, 1, _MAX_WINDOWS))
    edges = np.linspace(0, z.size, n_win + 1).astype(int)
    k = np.empty(n_win)
    for j in range(n_win):
        zz = z[edges[j] : edges[j + 1]]
        k[j] = (MAD_TO_SIGMA * np.median(np.abs(zz - np.median(zz)))) ** 2
    if n_win >= 3:
        k = np.median(np.stack([np.r_[k[0], k[:-1]], k, np.r_[k[1:], k[-1]]]), axis=0)
    centres = 0.5 * (edges[:-1] + edges[1:]) + h
    k_pt = np.interp(np.arange(y.size), centres, k)
    k_pt = np.maximum(k_pt, 1e-12 * max(float(np.max(k)), 1e-300))
    return k_pt * i_eff, k_pt


def pattern_noise(pattern: Pattern) -> NoiseModel:
    """Return the noise model of ``pattern``: file esds, else counts, else estimated.

    Parameters
    ----------
    pattern : Pattern
        The scan.

    Returns
    -------
    NoiseModel
        σ per point (esds ≤ 0 in a file replaced by 1, the counting floor).
    """
    y = np.asarray(pattern.intensity, dtype=float)
    if pattern.sigma is not None:
        s = np.asarray(pattern.sigma, dtype=float)
        return NoiseModel(np.where(s > 0, s, 1.0), "file")
    if _is_counts(pattern) or y.size < 60:
        return NoiseModel(np.sqrt(np.maximum(np.abs(y), 1.0)), "poisson")
    var, k = estimate_variance(y)
    if np.median(np.sqrt(var) / np.maximum(np.abs(y), 1e-300)) < _NOISE_FREE:
        return NoiseModel(np.sqrt(np.maximum(np.abs(y), 1.0)), "noise-free")
    return NoiseModel(np.sqrt(var), "estimated", k)
