"""Synthetic powder patterns with known peak positions, breadths, sizes and strains.

The forward model behind the tests and the demo files (it is not a structure-based simulation:
that is :mod:`mofglass.scattering`). Each reflection is a Voigt profile (exact, via
``scipy.special.voigt_profile``) whose Lorentzian integral breadth is the sum of the
instrument's, the size term K λ / (D cos θ) and the strain term 4 ε tan θ, and whose Gaussian
breadth is the instrument's; with a Kα2 companion (λ2, ratio R) when the radiation has one.
Broad amorphous humps are Gaussians; the background is a polynomial in 2θ; counting noise is
Poisson with a seeded generator.

The size and strain terms are exactly the models that :func:`~mofglass.diffraction.size.
scherrer_size` and :func:`~mofglass.diffraction.strain.williamson_hall` invert, so recovering them
tests the fitting and deconvolution, not the physics of line broadening.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.special import voigt_profile

from mofglass._renamed import renamed_keywords
from mofglass.crystallography.conversions import d_to_two_theta
from mofglass.diffraction.pattern import Pattern, Wavelength
from mofglass.diffraction.size import InstrumentProfile

__all__ = ["Hump", "SyntheticPeak", "peak_breadths_deg", "simulate_pattern"]


@dataclass(frozen=True)
class SyntheticPeak:
    """A reflection of the synthetic pattern: d-spacing (Å) and integrated area (counts·deg).

    The area is the reflection's total: with Kα2 radiation it is shared as 1 : R between the
    Kα1 and Kα2 lines (as the amorphous humps, which are not split, contain both).
    """

    d_A: float
    area: float


@dataclass(frozen=True)
class Hump:
    """A broad Gaussian (amorphous scattering): centre and FWHM in degrees 2θ, area counts·deg."""

    center_deg: float
    fwhm_deg: float
    area: float


def peak_breadths_deg(
    two_theta_deg: float,
    wavelength_A: float,
    *,
    size_nm: float | None,
    microstrain: float = 0.0,
    k_factor: float = 1.0,
    instrument: InstrumentProfile | None = None,
) -> tuple[float, float]:
    """(βL, βG) integral breadths in degrees of a reflection at 2θ in the forward model."""
    th = np.deg2rad(two_theta_deg) / 2
    bl, bg = 0.0, 0.0
    if instrument is not None:
        il, ig = instrument.breadths_deg(two_theta_deg)
        bl, bg = float(il), float(ig)
    if size_nm is not None and np.isfinite(size_nm):
        bl += float(np.rad2deg(k_factor * wavelength_A / (size_nm * 10.0 * np.cos(th))))
    bl += float(np.rad2deg(4 * microstrain * np.tan(th)))
    return bl, bg


def _voigt(x: np.ndarray, center: float, bl: float, bg: float) -> np.ndarray:
    gamma = bl / np.pi
    sigma = bg / np.sqrt(2 * np.pi)
    if sigma <= 0 and gamma <= 0:
        raise ValueError("a synthetic peak needs a non-zero breadth")
    return voigt_profile(x - center, sigma, gamma)


@renamed_keywords(wavelength="radiation")
def simulate_pattern(
    two_theta_deg: np.ndarray,
    peaks: Sequence[SyntheticPeak],
    *,
    radiation: Wavelength,
    size_nm: float | None = None,
    microstrain: float = 0.0,
    k_factor: float = 1.0,
    instrument: InstrumentProfile | None = None,
    humps: Sequence[Hump] = (),
    background_coeffs: Sequence[float] = (0.0,),
    seed: int | None = None,
    source: str = "simulated",
    metadata: dict[str, object] | None = None,
) -> Pattern:
    """Simulate a powder pattern on a 2θ grid.

    Parameters
    ----------
    two_theta_deg : ndarray
        The 2θ grid, degrees.
    peaks : sequence of SyntheticPeak
        Reflections (d in Å, total area in counts·deg); those beyond the grid are skipped.
    radiation : Radiation
        Kα1 (and Kα2) wavelengths; with Kα2 each reflection is split 1 : R into Kα1 and Kα2 lines.
    size_nm, microstrain, k_factor : float
        Crystallite size (None: no size broadening), strain ε and Scherrer constant.
    instrument : InstrumentProfile, optional
        Instrumental Lorentzian and Gaussian breadths.
    humps : sequence of Hump
        Amorphous scattering.
    background_coeffs : sequence of float
        Polynomial background c0 + c1 2θ + c2 2θ² ... (counts).
    seed : int, optional
        Seed of the Poisson noise; None gives the noiseless expectation.

    Returns
    -------
    Pattern
        ``sigma`` = √(expected counts); ``metadata["simulated"] = True``.
    """
    x = np.asarray(two_theta_deg, dtype=float)
    y = np.polynomial.polynomial.polyval(x, np.asarray(background_coeffs, dtype=float))
    for h in humps:
        s = h.fwhm_deg / (2 * np.sqrt(2 * np.log(2)))
        y = y + h.area * np.exp(-0.5 * ((x - h.center_deg) / s) ** 2) / (s * np.sqrt(2 * np.pi))
    lines = [(radiation.ka1_A, 1.0)]
    if radiation.has_ka2 and radiation.ka2_A is not None:
        r = radiation.ka2_ratio
        lines = [(radiation.ka1_A, 1.0 / (1.0 + r)), (radiation.ka2_A, r / (1.0 + r))]
    for pk in peaks:
        for lam, weight in lines:
            c = float(d_to_two_theta(pk.d_A, lam))
            if not np.isfinite(c) or c < x[0] - 2 or c > x[-1] + 2:
                continue
            bl, bg = peak_breadths_deg(
                c,
                lam,
                size_nm=size_nm,
                microstrain=microstrain,
                k_factor=k_factor,
                instrument=instrument,
            )
            y = y + weight * pk.area * _voigt(x, c, bl, bg)
    expected = np.maximum(y, 0.0)
    counts = (
        expected if seed is None else np.random.default_rng(seed).poisson(expected).astype(float)
    )
    meta: dict[str, object] = {"simulated": True, "size_nm": size_nm, "microstrain": microstrain}
    meta.update(metadata or {})
    return Pattern(
        two_theta_deg=x,
        intensity=counts,
        sigma=np.sqrt(np.maximum(expected, 1.0)),
        radiation=radiation,
        metadata=meta,
        source=source,
        intensity_unit="counts",
    )
