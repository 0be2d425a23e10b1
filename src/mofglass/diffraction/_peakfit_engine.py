"""Fitting engine of :func:`mofglass.diffraction.peaks.fit_peaks` (private).

One window = linear background + a line (with its Kα2 companion) per peak, fitted by
:func:`mofglass.peaks.fit_window`; the Kα1 line's breadths and their covariance come from the
fit covariance through the ``uncertainties`` package (:func:`mofglass.peaks.correlated_parameters`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import uncertainties

from mofglass.diffraction.peakfit_result import FittedPeak, PeakCandidate
from mofglass.diffraction.profiles import (
    pseudo_voigt_components,
    voigt_fwhm,
    voigt_integral_breadth,
)
from mofglass.peaks import LineGuess, correlated_parameters, covariance, fit_window
from mofglass.peaks.shapes import THIRD_PARAMETER, line_height
from mofglass.results import Measured

__all__ = ["extract_peaks", "fit_group"]

_S2LN2 = np.sqrt(2 * np.log(2))


def _ka2_position(ratio: float) -> Any:
    """2θ₂ = 2 asin((λ2/λ1) sin θ₁), in degrees, for ``ratio`` = λ2/λ1."""

    def companion(center: Any) -> Any:
        s = np.clip(ratio * np.sin(np.deg2rad(center) / 2), -1.0, 1.0)
        return np.rad2deg(2 * np.arcsin(s))

    return companion


def _breadths(shape: str, sigma: float, third: float) -> np.ndarray:
    """(β, βL, βG, FWHM) of a line from its width parameters.

    Voigt: βL = πγ, βG = σ√(2π), β from Langford's relation; pseudo-Voigt: β = 1 / height per
    area and (βL, βG) from de Keijser et al.; Gaussian / Lorentzian: the pure limits.
    """
    if shape == "voigt":
        bl, bg = np.pi * third, sigma * np.sqrt(2 * np.pi)
        fw = voigt_fwhm(2 * third, 2 * _S2LN2 * sigma)
        return np.array([voigt_integral_breadth(bl, bg), bl, bg, fw], dtype=float)
    if shape == "gaussian":
        bg = sigma * np.sqrt(2 * np.pi)
        return np.array([bg, 0.0, bg, 2 * _S2LN2 * sigma], dtype=float)
    if shape == "lorentzian":
        return np.array([np.pi * sigma, np.pi * sigma, 0.0, 2 * sigma], dtype=float)
    fwhm = 2 * sigma
    beta = 1.0 / float(line_height(shape, 1.0, sigma, third))
    lor, gau = pseudo_voigt_components(fwhm, beta)
    return np.array([beta, float(lor), float(gau), fwhm], dtype=float)


def fit_group(
    x: np.ndarray,
    y: np.ndarray,
    s: np.ndarray,
    members: list[PeakCandidate],
    shape: str,
    use_ka2: bool,
    wl: Any,
) -> tuple[Any, list[str]]:
    """Fit one group of overlapping peaks; returns lmfit's ModelResult and the line prefixes."""
    base = float(np.percentile(y, 10))
    guesses = [
        LineGuess(
            c.two_theta_deg,
            max(c.fwhm_deg, 1e-3),
            height=max(c.height - base, 1e-9),
            center_tolerance=max(c.fwhm_deg, 0.05),
        )
        for c in members
    ]
    companion = (_ka2_position(wl.ka2_A / wl.ka1_A), float(wl.ka2_ratio)) if use_ka2 else None
    fit = fit_window(
        x, y, guesses, shape=shape, sigma=s, companion=companion, x_unit="deg", y_unit=""
    )
    return fit.result, [f"p{j}_" for j in range(len(members))]


def extract_peaks(res: Any, prefixes: list[str], shape: str) -> list[FittedPeak]:
    """Return the Kα1 lines of a group fit with breadths and their (βL, βG) covariance."""
    u = correlated_parameters(res)
    third = THIRD_PARAMETER[shape]
    out = []
    for p in prefixes:
        t = u[f"{p}{third}"] if third is not None else 0.0
        b = [
            uncertainties.wrap(lambda s_, t_, k=k: float(_breadths(shape, s_, t_)[k]))(
                u[f"{p}sigma"], t
            )
            for k in range(4)
        ]
        area = u[f"{p}amplitude"]
        height = area / b[0]
        bcov = ((float("nan"),) * 2,) * 2
        if all(isinstance(v, uncertainties.UFloat) for v in b[1:3]):
            c2 = covariance(b[1:3])
            bcov = ((float(c2[0, 0]), float(c2[0, 1])), (float(c2[1, 0]), float(c2[1, 1])))
        out.append(
            FittedPeak(
                center_deg=_m(u[f"{p}center"], "deg"),
                area=_m(area, ""),
                height=_m(height, ""),
                fwhm_deg=_m(b[3], "deg"),
                integral_breadth_deg=_m(b[0], "deg"),
                lorentz_breadth_deg=_m(b[1], "deg"),
                gauss_breadth_deg=_m(b[2], "deg"),
                breadth_covariance_deg2=bcov,
                shape=shape,
            )
        )
    return out


def _m(v: Any, unit: str) -> Measured:
    if isinstance(v, uncertainties.UFloat):
        e = float(v.std_dev)
        return Measured(float(v.nominal_value), e if np.isfinite(e) else None, unit)
    return Measured(float(v), None, unit)
