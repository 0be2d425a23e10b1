"""mofglass.peaks: line shapes against lmfit's, fits of bands lmfit generated, outcomes, noise."""

from __future__ import annotations

import numpy as np
import pytest
from lmfit import lineshapes

from mofglass.errors import AnalysisError
from mofglass.peaks import (
    LineGuess,
    estimate_baseline,
    fit_window,
    gaussian,
    line_fwhm,
    line_height,
    lorentzian,
    noise_sigma,
    pseudo_voigt,
    voigt,
)

X = np.linspace(0.0, 100.0, 2001)

# (shape, our function, lmfit's function, parameters (amplitude, center, sigma[, third]))
CASES = [
    ("gaussian", gaussian, lineshapes.gaussian, (5.0, 50.3, 3.0)),
    ("lorentzian", lorentzian, lineshapes.lorentzian, (5.0, 50.3, 3.0)),
    ("pseudo_voigt", pseudo_voigt, lineshapes.pvoigt, (5.0, 50.3, 3.0, 0.3)),
    ("voigt", voigt, lineshapes.voigt, (5.0, 50.3, 2.0, 1.5)),
]


@pytest.mark.parametrize(("shape", "ours", "theirs", "pars"), CASES)
def test_shapes_equal_lmfit_lineshapes(shape, ours, theirs, pars) -> None:
    # peer: lmfit 1.3 lineshapes, same parameterisation; agreement to rounding (1e-12 rel)
    np.testing.assert_allclose(ours(X, *pars), theirs(X, *pars), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize(("shape", "ours", "theirs", "pars"), CASES)
def test_fwhm_height_area_closed_forms(shape, ours, theirs, pars) -> None:
    # closed forms checked on a fine grid: area by the trapezoid rule over ±1000 widths (the
    # Lorentzian tail beyond loses 2/π·σ/1000 ≈ 1e-3 rel), height = maximum, FWHM = width of
    # the region above half maximum (to the grid step 1e-4 and Olivero's 0.02 % for Voigt)
    a, c, s = pars[:3]
    t = pars[3] if len(pars) > 3 else 0.0
    x = np.linspace(c - 1000 * s, c + 1000 * s, 1_000_001)
    y = ours(x, *pars)
    assert np.trapezoid(y, x) == pytest.approx(a, rel=2e-3)
    assert line_height(shape, a, s, t) == pytest.approx(float(ours(c, *pars)), rel=1e-12)
    fine = np.linspace(c - 10 * s, c + 10 * s, 100_001)
    above = fine[ours(fine, *pars) >= 0.5 * line_height(shape, a, s, t)]
    assert line_fwhm(shape, s, t) == pytest.approx(above[-1] - above[0], rel=3e-4)


@pytest.mark.parametrize(("shape", "ours", "theirs", "pars"), CASES)
def test_fit_recovers_band_generated_by_lmfit(shape, ours, theirs, pars) -> None:
    # truth: lmfit.lineshapes band + baseline 0.1 + 1e-3 x + N(0, 0.003²), seed 1; fitted
    # parameters within 4 reported standard errors; error bars below 1 % of the value
    rng = np.random.default_rng(1)
    x = X[::2]
    y = theirs(x, *pars) + 0.1 + 1e-3 * x + rng.normal(0.0, 0.003, x.size)
    fit = fit_window(x, y, [LineGuess(48.0, 6.0)], shape=shape)
    assert fit.outcome.ok, fit.outcome.flags()
    line = fit.lines[0]
    a, c, s = pars[:3]
    t = pars[3] if len(pars) > 3 else 0.0
    truths = {
        "center": c,
        "area": a,
        "fwhm": line_fwhm(shape, s, t),
        "height": line_height(shape, a, s, t),
    }
    for name, true in truths.items():
        m = getattr(line, name)
        assert m.stderr is not None and 0 < m.stderr < 0.01 * abs(true), name
        assert abs(m.value - true) < 4 * m.stderr, name
    assert fit.outcome.reduced_chi_square == pytest.approx(0.003**2, rel=0.15)


def test_height_uncertainty_carries_the_covariance() -> None:
    # closed form: h = A / (σ√(2π)); var(h) = J C Jᵀ with J = (1/(σ√2π), -A/(σ²√2π)) and C the
    # (amplitude, sigma) block of lmfit's covariance - the correlation term matters (|ρ| > 0.5)
    rng = np.random.default_rng(5)
    y = lineshapes.gaussian(X, 3.0, 40.0, 2.0) + rng.normal(0, 0.01, X.size)
    fit = fit_window(X, y, [LineGuess(40.0, 5.0)], shape="gaussian", linear_baseline=False)
    res = fit.result
    names = list(res.var_names)
    i, j = names.index("p0_amplitude"), names.index("p0_sigma")
    cov = res.covar[np.ix_([i, j], [i, j])]
    a, s = res.params["p0_amplitude"].value, res.params["p0_sigma"].value
    jac = np.array([1 / (s * np.sqrt(2 * np.pi)), -a / (s**2 * np.sqrt(2 * np.pi))])
    assert abs(cov[0, 1]) / np.sqrt(cov[0, 0] * cov[1, 1]) > 0.5
    assert fit.lines[0].height.stderr == pytest.approx(float(np.sqrt(jac @ cov @ jac)), rel=1e-5)


def test_outcome_flags_a_center_on_its_bound_and_a_failed_fit() -> None:
    # the band is at 50.3 but the centre may move only ±0.5 from 45: it ends on the bound
    y = lineshapes.gaussian(X, 5.0, 50.3, 3.0)
    fit = fit_window(X, y, [LineGuess(45.0, 6.0, center_tolerance=0.5)], shape="gaussian")
    assert fit.outcome.at_bounds == ("p0_center",)
    assert not fit.outcome.ok and "p0_center" in fit.outcome.flags()[0]
    # two evaluations are not enough: lmfit stops and reports it
    stopped = fit_window(X, y, [LineGuess(45.0, 6.0)], shape="gaussian", max_nfev=2)
    assert not stopped.outcome.success and stopped.outcome.flags()


def test_too_few_points_and_unknown_shape() -> None:
    with pytest.raises(AnalysisError, match="too few"):
        fit_window(X[:6], X[:6], [LineGuess(1.0, 1.0)], shape="voigt")
    with pytest.raises(AnalysisError, match="unknown line shape"):
        fit_window(X, X, [LineGuess(1.0, 1.0)], shape="sinc")


def test_noise_sigma_white_noise_on_a_slope() -> None:
    # σ = 0.7 white noise on a steep line: MAD estimate within 3 % (20000 draws, seed 2)
    rng = np.random.default_rng(2)
    x = np.arange(20000.0)
    assert noise_sigma(5.0 + 0.3 * x + rng.normal(0, 0.7, x.size)) == pytest.approx(0.7, rel=0.03)


def test_background_exact_line_and_convergence_record() -> None:
    x = np.linspace(0, 10, 201)
    y = 2.0 - 0.3 * x
    bg = estimate_baseline(x, y, method="modpoly", poly_order=1)
    np.testing.assert_allclose(bg.values, y, atol=1e-10)
    assert bg.converged and bg.tol_history.size >= 1
    peak = y + gaussian(x, 3.0, 5.0, 0.3)
    one = estimate_baseline(x, peak, method="arpls", lam=1e4, max_iter=1, tol=1e-12)
    assert not one.converged and 1 <= one.tol_history.size <= 2  # max_iter + initial
    with pytest.raises(AnalysisError, match="unknown pybaselines method"):
        estimate_baseline(x, y, method="nonsense")


def test_covariance_matches_uncertainties_and_is_ordered() -> None:
    # the deterministic covariance equals uncertainties' own (which sums in set order)
    import uncertainties

    from mofglass.peaks import covariance

    cov = np.array([[4.0, 1.2, 0.3], [1.2, 2.0, 0.5], [0.3, 0.5, 1.0]]) * 1e-3
    a, b, c = uncertainties.correlated_values([1.0, 2.0, 3.0], cov)
    vals = [a * b, b / c, a + c]
    ref = np.asarray(uncertainties.covariance_matrix(vals))
    np.testing.assert_allclose(covariance(vals), ref, rtol=1e-12)


def test_voigt_gamma_at_zero_is_a_limit_not_a_bound() -> None:
    # a pure Gaussian fitted with a Voigt: γ goes to its physical limit 0, which is reported
    # separately and does not make the fit untrustworthy
    y = lineshapes.gaussian(X, 5.0, 50.3, 3.0)
    fit = fit_window(X, y, [LineGuess(49.0, 6.0)], shape="voigt", linear_baseline=False)
    assert fit.outcome.at_limits == ("p0_gamma",) and fit.outcome.ok
    assert fit.lines[0].fwhm.value == pytest.approx(line_fwhm("gaussian", 3.0), rel=1e-4)
