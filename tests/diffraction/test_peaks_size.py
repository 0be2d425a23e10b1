"""Peak fitting, Scherrer and Williamson-Hall on synthetic patterns with known truths.

Forward model: :func:`mofglass.diffraction.synthetic.simulate_pattern` (exact Voigt profiles,
Poisson noise). Instrument: Caglioti U=0.004, V=-0.002, W=0.0025 deg², Lorentzian Y=0.02 deg
(DEMO_INSTRUMENT). Tolerances are stated per test; they cover the small bias of fitting Voigt
tails in finite windows with a local linear background (measured: < 1 % in size).
"""

from __future__ import annotations

import numpy as np
import pytest

from mofglass.crystallography.conversions import two_theta_to_d
from mofglass.diffraction import Wavelength
from mofglass.diffraction.demo_model import DEMO_INSTRUMENT
from mofglass.diffraction.peaks import find_peaks, fit_peaks
from mofglass.diffraction.size import InstrumentProfile, sample_breadth, scherrer_size
from mofglass.diffraction.strain import williamson_hall
from mofglass.diffraction.synthetic import SyntheticPeak, peak_breadths_deg, simulate_pattern
from mofglass.errors import AnalysisError

LAM = 1.5405929
POSITIONS = (12.0, 21.0, 30.0, 40.0, 52.0)


def _pattern(size_nm: float | None, strain: float = 0.0, *, ka2: bool = True, seed: int = 11):
    wl = Wavelength.copper(ka2=ka2)
    peaks = [SyntheticPeak(float(two_theta_to_d(t, LAM)), 60000.0) for t in POSITIONS]
    return simulate_pattern(
        np.arange(8.0, 58.0, 0.02),
        peaks,
        radiation=wl,
        size_nm=size_nm,
        microstrain=strain,
        instrument=DEMO_INSTRUMENT,
        background_coeffs=(300.0, -2.0),
        seed=seed,
    )


def test_find_peaks_positions() -> None:
    # 5 peaks at known 2θ (no Kα2); found within one 0.02° step of the truth
    p = _pattern(47.3, ka2=False)
    found = find_peaks(p, min_snr=10)
    assert [round(c.two_theta_deg, 2) for c in found] == pytest.approx(POSITIONS, abs=0.021)


def test_fit_recovers_breadths_without_ka2() -> None:
    # truth βL, βG from the forward model at each position; tol 2 % (βL), 5 % (βG, the
    # smaller, less determined part) and 0.002° in position
    p = _pattern(47.3, ka2=False)
    fit = fit_peaks(p)
    assert fit.converged and len(fit.peaks) == 5
    assert 0.7 < fit.reduced_chi_square < 1.4
    for pk, tt in zip(fit.peaks, POSITIONS, strict=True):
        bl, bg = peak_breadths_deg(tt, LAM, size_nm=47.3, instrument=DEMO_INSTRUMENT)
        assert pk.center_deg.value == pytest.approx(tt, abs=0.002)
        assert pk.lorentz_breadth_deg.value == pytest.approx(bl, rel=0.02)
        assert pk.gauss_breadth_deg.value == pytest.approx(bg, rel=0.05)
        assert pk.integral_breadth_deg.stderr is not None
        # area: the simulated 60000 counts·deg per reflection, tol 1 %
        assert pk.area.value == pytest.approx(60000.0, rel=0.01)


@pytest.mark.parametrize(("size", "tol"), [(47.3, 0.02), (19.0, 0.02)])
def test_scherrer_recovers_size_with_ka2_doublet(size: float, tol: float) -> None:
    # paper sizes 47.3 nm and 19.0 nm simulated (seed 11, Cu Kα1+Kα2, K=1);
    # tolerance 2 % relative and the reported stderr must be < 2 % too
    p = _pattern(size)
    fit = fit_peaks(p)
    assert fit.ka2_modelled
    res = scherrer_size(fit.peaks, LAM, instrument=DEMO_INSTRUMENT)
    assert res.resolved and res.crystallite_size_nm is not None
    assert res.crystallite_size_nm.value == pytest.approx(size, rel=tol)
    assert res.crystallite_size_nm.stderr is not None
    assert res.crystallite_size_nm.stderr < 0.02 * size


@pytest.mark.slow
def test_scherrer_uncertainty_is_calibrated() -> None:
    # 6 noise seeds at 47.3 nm: the scatter of the sizes is within a factor 3 of the
    # mean reported stderr (a loose check that the covariance propagation is right)
    sizes, errs = [], []
    for seed in range(6):
        fit = fit_peaks(_pattern(47.3, seed=100 + seed))
        r = scherrer_size(fit.peaks, LAM, instrument=DEMO_INSTRUMENT)
        assert r.crystallite_size_nm is not None and r.crystallite_size_nm.stderr is not None
        sizes.append(r.crystallite_size_nm.value)
        errs.append(r.crystallite_size_nm.stderr)
    ratio = np.std(sizes, ddof=1) / np.mean(errs)
    assert 1 / 3 < ratio < 3


def test_large_crystallites_give_lower_bound() -> None:
    # 1500 nm: size broadening 0.006° vs instrumental ~0.1°: the paper's "> 1000 nm" case;
    # expect no value, a bound between 500 nm and the true 1500 nm... or above it
    fit = fit_peaks(_pattern(1500.0))
    res = scherrer_size(fit.peaks, LAM, instrument=DEMO_INSTRUMENT)
    assert not res.resolved
    assert res.crystallite_size_nm is None and res.size_lower_bound_nm is not None
    assert 500.0 < res.size_lower_bound_nm.value
    assert "instrument-limited" in str(res)


def test_without_instrument_correction_size_is_smaller() -> None:
    fit = fit_peaks(_pattern(47.3))
    raw = scherrer_size(fit.peaks, LAM)
    corr = scherrer_size(fit.peaks, LAM, instrument=DEMO_INSTRUMENT)
    assert raw.crystallite_size_nm is not None and corr.crystallite_size_nm is not None
    assert raw.crystallite_size_nm.value < corr.crystallite_size_nm.value


def test_williamson_hall_size_and_strain() -> None:
    # truth: D = 40 nm, ε = 2e-3, Lorentzian size and strain breadths (additive);
    # intercept K λ / D and slope ε recovered: size within 3 %, strain within 5 %
    fit = fit_peaks(_pattern(40.0, 2e-3))
    wh = williamson_hall(fit.peaks, LAM, instrument=DEMO_INSTRUMENT)
    assert wh.crystallite_size_nm is not None
    assert wh.crystallite_size_nm.value == pytest.approx(40.0, rel=0.03)
    assert wh.microstrain is not None
    assert wh.microstrain.value == pytest.approx(2e-3, rel=0.05)
    # closed form of the intercept: K λ / D in rad (λ, D in Å)
    assert wh.intercept_rad.value == pytest.approx(LAM / 400.0, rel=0.03)
    assert wh.n_peaks == 5


def test_williamson_hall_needs_three_peaks() -> None:
    fit = fit_peaks(_pattern(40.0), positions_deg=[12.0, 21.0])
    with pytest.raises(AnalysisError):
        williamson_hall(fit.peaks, LAM)


def test_instrument_from_standard_recovers_caglioti() -> None:
    # a "standard" without sample broadening: fitted U, V, W, Y reproduce the instrumental
    # breadths at the peaks within 5 %
    fit = fit_peaks(_pattern(None))
    inst = InstrumentProfile.from_standard(fit.peaks)
    for pk in fit.peaks:
        l_true, g_true = DEMO_INSTRUMENT.breadths_deg(pk.center_deg.value)
        l_fit, g_fit = inst.breadths_deg(pk.center_deg.value)
        assert float(g_fit) == pytest.approx(float(g_true), rel=0.05)
        assert float(l_fit) == pytest.approx(float(l_true), rel=0.1)
    # and the sample breadth of the standard itself is ~0 (below 0.01°)
    assert all(sample_breadth(pk, inst)[0] < 0.01 for pk in fit.peaks)


def test_pseudo_voigt_shape_runs_and_gives_close_size() -> None:
    # pseudo-Voigt + de Keijser decomposition: an approximation; size within 8 %
    fit = fit_peaks(_pattern(47.3, ka2=False), shape="pseudo_voigt")
    res = scherrer_size(fit.peaks, LAM, instrument=DEMO_INSTRUMENT)
    assert res.crystallite_size_nm is not None
    assert res.crystallite_size_nm.value == pytest.approx(47.3, rel=0.08)


def test_fit_no_peaks_raises() -> None:
    p = simulate_pattern(
        np.arange(10, 20, 0.02), [], radiation=Wavelength(LAM), background_coeffs=(100,), seed=1
    )
    with pytest.raises(AnalysisError):
        fit_peaks(p)


def test_result_json_round_trip() -> None:
    fit = fit_peaks(_pattern(47.3, ka2=False), positions_deg=[21.0])
    d = fit.to_dict()
    assert d["peaks"][0]["center_deg"]["unit"] == "deg"
    assert "FWHM" in fit.report()
