"""Breadth formulas against closed forms and numerical integration."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import voigt_profile

from mofglass.diffraction.profiles import (
    caglioti_fwhm_deg,
    propagate,
    pseudo_voigt_components,
    voigt_fwhm,
    voigt_integral_breadth,
)


@pytest.mark.parametrize(("bl", "bg"), [(0.1, 0.05), (0.02, 0.2), (0.3, 0.3)])
def test_voigt_breadth_equals_area_over_height(bl: float, bg: float) -> None:
    # truth: a unit-area scipy Voigt has β = 1 / peak height (gamma = βL/π, sigma = βG/√(2π))
    h = voigt_profile(0.0, bg / np.sqrt(2 * np.pi), bl / np.pi)
    assert voigt_integral_breadth(bl, bg) == pytest.approx(1 / h, rel=1e-10)


def test_voigt_breadth_limits() -> None:
    # pure Lorentzian / Gaussian: β is the component's breadth exactly
    assert voigt_integral_breadth(0.2, 0.0) == pytest.approx(0.2)
    assert voigt_integral_breadth(0.0, 0.2) == pytest.approx(0.2)


def test_voigt_fwhm_olivero() -> None:
    # numerical FWHM of a Voigt (fine grid); Olivero-Longbothum claims 0.02 %; tol 0.05 %
    fl, fg = 0.1, 0.15
    x = np.linspace(-1, 1, 400001)
    y = voigt_profile(x, fg / (2 * np.sqrt(2 * np.log(2))), fl / 2)
    above = x[y >= y.max() / 2]
    assert voigt_fwhm(fl, fg) == pytest.approx(above[-1] - above[0], rel=5e-4)


def test_pseudo_voigt_components_of_exact_voigt() -> None:
    # de Keijser et al. (1982) relations on an exact Voigt: recover βL, βG within 2 % (their
    # stated accuracy is ~1 %)
    bl, bg = 0.08, 0.12
    beta = float(voigt_integral_breadth(bl, bg))
    fwhm = float(voigt_fwhm(2 * bl / np.pi, bg / (0.5 * np.sqrt(np.pi / np.log(2)))))
    l_est, g_est = pseudo_voigt_components(fwhm, beta)
    assert l_est == pytest.approx(bl, rel=0.02)
    assert g_est == pytest.approx(bg, rel=0.02)


def test_caglioti_closed_form() -> None:
    # at 2θ = 90°, tanθ = 1: FWHM² = U + V + W
    assert caglioti_fwhm_deg(90.0, 0.01, -0.004, 0.003) == pytest.approx(np.sqrt(0.009))


def test_propagate_linear_and_product() -> None:
    # linear: f = 2a + 3b, var = 4 va + 9 vb + 12 cov
    cov = np.array([[0.04, 0.01], [0.01, 0.09]])
    _, s = propagate(lambda v: 2 * v[0] + 3 * v[1], [1.0, 2.0], cov)
    assert s == pytest.approx(np.sqrt(4 * 0.04 + 9 * 0.09 + 12 * 0.01), rel=1e-6)
