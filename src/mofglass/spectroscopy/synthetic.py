"""Synthetic spectra with known bands: the forward model behind the tests and the demo files.

A spectrum is a sum of lmfit line shapes (evaluated with lmfit's own models, so the FWHM
definitions are lmfit's) on a straight baseline, plus Gaussian noise from a seeded generator.

FWHM → width parameters (lmfit conventions): Gaussian σ = FWHM / (2√(2 ln 2)); Lorentzian and
pseudo-Voigt σ = FWHM / 2; Voigt with γ = ``gamma_ratio`` · σ solved from lmfit's expression
FWHM = 1.0692 γ + √(0.8664 γ² + 5.545083 σ²) (Olivero & Longbothum [1]_).

References
----------
.. [1] J. J. Olivero, R. L. Longbothum, J. Quant. Spectrosc. Radiat. Transfer 17 (1977) 233.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from lmfit.models import GaussianModel, LorentzianModel, PseudoVoigtModel, VoigtModel

from mofglass.spectroscopy.spectrum import Spectrum

__all__ = ["SyntheticBand", "synthetic_spectrum"]


@dataclass(frozen=True)
class SyntheticBand:
    """A band of known parameters (x unit of the spectrum; area in y-unit × x-unit)."""

    center: float
    fwhm: float
    area: float
    shape: str = "voigt"
    gamma_ratio: float = 1.0  # Voigt only: γ / σ
    fraction: float = 0.5  # pseudo-Voigt only: Lorentzian fraction

    def params(self) -> dict[str, float]:
        """Return the lmfit parameter values of this band."""
        f = self.fwhm
        if self.shape == "gaussian":
            return {
                "center": self.center,
                "sigma": f / (2 * math.sqrt(2 * math.log(2))),
                "amplitude": self.area,
            }
        if self.shape == "lorentzian":
            return {"center": self.center, "sigma": f / 2, "amplitude": self.area}
        if self.shape == "pseudo_voigt":
            return {
                "center": self.center,
                "sigma": f / 2,
                "amplitude": self.area,
                "fraction": self.fraction,
            }
        if self.shape == "voigt":
            r = self.gamma_ratio
            sigma = f / (1.0692 * r + math.sqrt(0.8664 * r * r + 5.545083))
            return {
                "center": self.center,
                "sigma": sigma,
                "gamma": r * sigma,
                "amplitude": self.area,
            }
        raise ValueError(f"unknown shape {self.shape!r}")

    def evaluate(self, x: np.ndarray) -> np.ndarray:
        """Evaluate the band's profile on ``x``."""
        model = {
            "gaussian": GaussianModel,
            "lorentzian": LorentzianModel,
            "pseudo_voigt": PseudoVoigtModel,
            "voigt": VoigtModel,
        }[self.shape]()
        return np.asarray(model.eval(x=x, **self.params()))


def synthetic_spectrum(
    x: np.ndarray,
    bands: Sequence[SyntheticBand | Mapping[str, Any]],
    *,
    baseline: tuple[float, float] = (0.0, 0.0),
    noise_sigma: float = 0.0,
    seed: int = 0,
    x_unit: str = "wavenumber_cm1",
    y_kind: str = "absorbance",
    source: str = "<synthetic>",
) -> Spectrum:
    """Spectrum = Σ bands + (b0 + b1·x) + N(0, noise_sigma²), reproducible for a seed.

    Parameters
    ----------
    x : ndarray
        Abscissa (cm⁻¹ or ppm).
    bands : sequence of SyntheticBand or dicts of its fields
        The bands.
    baseline : (float, float)
        Intercept and slope of the straight baseline.
    noise_sigma : float
        Standard deviation of the additive Gaussian noise (y units).
    seed : int
        Seed of ``numpy.random.default_rng``.
    """
    xs = np.asarray(x, dtype=float)
    y = baseline[0] + baseline[1] * xs
    for b in bands:
        band = b if isinstance(b, SyntheticBand) else SyntheticBand(**b)
        y = y + band.evaluate(xs)
    if noise_sigma > 0:
        y = y + np.random.default_rng(seed).normal(0.0, noise_sigma, xs.size)
    meta = {"synthetic": True, "seed": seed, "noise_sigma": noise_sigma}
    return Spectrum(xs, y, x_unit, y_kind, meta, source)  # type: ignore[arg-type]
