"""Conversions between scattering angle 2θ, momentum transfer q and d-spacing.

All follow from Bragg's law, λ = 2 d sin θ, and q = 4π sin θ / λ = 2π / d. Angles are degrees
2θ, wavelengths and d-spacings Å, q in Å⁻¹. Every function accepts scalars or arrays.

References
----------
.. [1] W. L. Bragg, Proc. Camb. Phil. Soc. 17 (1913) 43.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

__all__ = [
    "d_to_q",
    "d_to_two_theta",
    "q_to_d",
    "q_to_two_theta",
    "two_theta_to_d",
    "two_theta_to_q",
]


def _check_wavelength(wavelength_A: float) -> None:
    if not wavelength_A > 0:
        raise ValueError(f"wavelength must be > 0 Å, got {wavelength_A}")


def two_theta_to_q(two_theta_deg: ArrayLike, wavelength_A: float) -> np.ndarray:
    """Convert 2θ to Q = 4π sin(θ) / λ, in Å⁻¹ (2θ in degrees, λ in Å)."""
    _check_wavelength(wavelength_A)
    theta = np.deg2rad(np.asarray(two_theta_deg, dtype=float)) / 2
    return 4 * np.pi * np.sin(theta) / wavelength_A


def q_to_two_theta(q_invA: ArrayLike, wavelength_A: float) -> np.ndarray:
    """2θ = 2 asin(q λ / 4π), in degrees; NaN where q λ / 4π > 1 (not reachable)."""
    _check_wavelength(wavelength_A)
    s = np.asarray(q_invA, dtype=float) * wavelength_A / (4 * np.pi)
    with np.errstate(invalid="ignore"):
        return np.rad2deg(2 * np.arcsin(np.where(np.abs(s) <= 1, s, np.nan)))


def two_theta_to_d(two_theta_deg: ArrayLike, wavelength_A: float) -> np.ndarray:
    """Convert 2θ to d = λ / (2 sin θ), in Å (2θ in degrees, λ in Å); inf at 2θ = 0."""
    _check_wavelength(wavelength_A)
    theta = np.deg2rad(np.asarray(two_theta_deg, dtype=float)) / 2
    with np.errstate(divide="ignore"):
        return wavelength_A / (2 * np.sin(theta))


def d_to_two_theta(d_A: ArrayLike, wavelength_A: float) -> np.ndarray:
    """2θ = 2 asin(λ / 2d), in degrees; NaN where λ / 2d > 1 (d below λ/2)."""
    _check_wavelength(wavelength_A)
    s = wavelength_A / (2 * np.asarray(d_A, dtype=float))
    with np.errstate(invalid="ignore"):
        return np.rad2deg(2 * np.arcsin(np.where(np.abs(s) <= 1, s, np.nan)))


def q_to_d(q_invA: ArrayLike) -> np.ndarray:
    """Convert Q to d = 2π / Q, in Å (Q in Å⁻¹)."""
    with np.errstate(divide="ignore"):
        return 2 * np.pi / np.asarray(q_invA, dtype=float)


def d_to_q(d_A: ArrayLike) -> np.ndarray:
    """Convert d to Q = 2π / d, in Å⁻¹ (d in Å)."""
    with np.errstate(divide="ignore"):
        return 2 * np.pi / np.asarray(d_A, dtype=float)
