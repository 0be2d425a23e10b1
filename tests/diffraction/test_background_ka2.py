"""Background estimation and Rachinger Kα2 stripping on synthetic patterns."""

from __future__ import annotations

import numpy as np
import pytest

from mofglass.crystallography.conversions import two_theta_to_d
from mofglass.diffraction import Pattern, Wavelength
from mofglass.diffraction.background import BACKGROUND_METHODS, estimate_background
from mofglass.diffraction.kalpha2 import strip_ka2
from mofglass.diffraction.synthetic import SyntheticPeak, simulate_pattern
from mofglass.errors import AnalysisError

LAM = 1.5405929


def _peaks_on_line(seed: int | None = 3) -> Pattern:
    # three narrow peaks on a straight background 400 - 3·2θ (noise-free when seed is None)
    peaks = [SyntheticPeak(float(two_theta_to_d(t, LAM)), 3000.0) for t in (15.0, 25.0, 35.0)]
    from mofglass.diffraction.size import InstrumentProfile

    return simulate_pattern(
        np.arange(10.0, 40.0, 0.02),
        peaks,
        radiation=Wavelength(LAM),
        instrument=InstrumentProfile(w=0.01),
        background_coeffs=(400.0, -3.0),
        seed=seed,
    )


@pytest.mark.parametrize("method", sorted(BACKGROUND_METHODS))
def test_background_recovers_line(method: str) -> None:
    # truth: 400 - 3·2θ under Poisson noise (σ ≈ 17 counts, seed 3); away from the peaks
    # (> 1° off) the median offset is within one noise σ, except AsLS and ModPoly which follow
    # the lower envelope of the noise by design (within 2.5 σ); everywhere there within 5 σ
    p = _peaks_on_line(seed=3)
    bg = estimate_background(p, method=method)
    truth = 400.0 - 3.0 * p.two_theta_deg
    far = np.min(np.abs(p.two_theta_deg[:, None] - np.array([15.0, 25.0, 35.0])), axis=1) > 1.0
    diff = bg.intensity[far] - truth[far]
    tol = 2.5 * 17.0 if method in ("asls", "modpoly") else 17.0
    assert abs(np.median(diff)) < tol
    assert np.max(np.abs(diff)) < 5 * 17.0
    assert bg.converged
    assert bg.to_dict()["method"] == method


def test_arpls_exact_on_noise_free_line() -> None:
    # closed form: a straight line is in the null space of the second-difference penalty
    p = _peaks_on_line(seed=None)
    bg = estimate_background(p, method="arpls")
    truth = 400.0 - 3.0 * p.two_theta_deg
    far = np.min(np.abs(p.two_theta_deg[:, None] - np.array([15.0, 25.0, 35.0])), axis=1) > 1.0
    assert np.allclose(bg.intensity[far], truth[far], atol=0.05)


def test_background_does_not_modify_input_and_rejects_unknown() -> None:
    p = _peaks_on_line()
    before = p.intensity.copy()
    estimate_background(p, method="arpls", lam=1e6)
    assert np.array_equal(p.intensity, before)
    with pytest.raises(ValueError):
        estimate_background(p, method="magic")


def test_rachinger_removes_ka2() -> None:
    # noise-free doublet (R = 0.5) vs the same pattern simulated with Kα1 only:
    # the stripped pattern matches to 1 % of the peak height
    peaks = [SyntheticPeak(float(two_theta_to_d(t, LAM)), 3000.0) for t in (20.0, 40.0)]
    x = np.arange(15.0, 45.0, 0.01)
    from mofglass.diffraction.size import InstrumentProfile

    inst = InstrumentProfile(w=0.004, y=0.02)
    doublet = simulate_pattern(x, peaks, radiation=Wavelength.copper(), instrument=inst)
    single = simulate_pattern(x, peaks, radiation=Wavelength(LAM), instrument=inst)
    stripped = strip_ka2(doublet)
    # the doublet splits the area 1 : 0.5, so the Kα1-only reference carries 1/1.5 of it
    ref = single.intensity / 1.5
    assert np.max(np.abs(stripped.intensity - ref)) < 0.01 * ref.max()
    assert stripped.radiation is not None and not stripped.radiation.has_ka2
    assert stripped.metadata["ka2_stripped"] is True
    with pytest.raises(AnalysisError):
        strip_ka2(single)
