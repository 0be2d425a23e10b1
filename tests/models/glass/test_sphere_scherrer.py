"""Scherrer constants of a sphere and the size read back from a sphere's Debye pattern.

Truths (closed forms): a sphere of diameter D has the Fourier coefficients
A(L) = 1 - 3L/(2D) + L³/(2D³) (Stokes & Wilson, Proc. Phys. Soc. 56 (1944) 174), so its line
I(s) = 2∫₀^D A(L) cos(2πLs) dL has the integral breadth 1/⟨L⟩_vol = 4/(3D) (Langford & Wilson,
J. Appl. Cryst. 11 (1978) 102) and a FWHM found here by root-finding; the Debye pattern of
an fcc Ni sphere (pdf-diffpy-examples/ni.cif, D = 8 nm, all pairs) must give D back from the
Scherrer equation with these constants within 10 %.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.integrate import quad
from scipy.optimize import brentq

from mofglass.crystallography.broadening import SPHERE_K_BETA, SPHERE_K_FWHM
from mofglass.diffraction.peakfit_result import FittedPeak
from mofglass.diffraction.size import InstrumentProfile, sample_breadth, scherrer_size
from mofglass.results import Measured

LAMBDA_A = 1.540593


def _sphere_line(s: float) -> float:
    """Line profile of a sphere of unit diameter (unit area), s in 1/D."""
    return 2 * quad(lambda x: (1 - 1.5 * x + 0.5 * x**3) * np.cos(2 * np.pi * x * s), 0, 1)[0]


def test_sphere_constants_from_the_closed_form() -> None:
    height = _sphere_line(0.0)
    assert 1.0 / height == pytest.approx(SPHERE_K_BETA, rel=1e-9)  # β = 4/(3D)
    half = brentq(lambda s: _sphere_line(s) - height / 2, 0.1, 1.5, xtol=1e-10)
    assert 2 * half == pytest.approx(SPHERE_K_FWHM, abs=1e-4)
    # Scherrer's classic 0.89 is this constant for the size V^(1/3) = D (π/6)^(1/3)
    assert 2 * half * (np.pi / 6) ** (1 / 3) == pytest.approx(0.892, abs=1e-3)


def _peak(two_theta: float, beta_l: float, beta_g: float) -> FittedPeak:
    m = Measured(1.0, 0.01, "")
    return FittedPeak(
        center_deg=Measured(two_theta, 0.001, "deg"),
        area=m,
        height=m,
        fwhm_deg=m,
        integral_breadth_deg=m,
        lorentz_breadth_deg=Measured(beta_l, 1e-4, "deg"),
        gauss_breadth_deg=Measured(beta_g, 1e-4, "deg"),
        breadth_covariance_deg2=((1e-8, 0.0), (0.0, 1e-8)),
        shape="voigt",
    )


def test_fwhm_breadth_removes_the_instrument() -> None:
    # sample: pure Lorentzian of β = 0.3° (FWHM 2β/π); instrument: pure Gaussian of FWHM 0.1°
    inst = InstrumentProfile(w=0.1**2)
    beta_g_inst = float(inst.breadths_deg(40.0)[1][()])
    p = _peak(40.0, 0.3, beta_g_inst)
    fwhm, _ = sample_breadth(p, inst, kind="fwhm")
    assert fwhm == pytest.approx(2 * 0.3 / np.pi, rel=2e-4)  # Olivero-Longbothum, 0.02 %
    assert sample_breadth(p, inst)[0] == pytest.approx(0.3, rel=1e-9)
    res = scherrer_size([p], 1.5406, instrument=inst, k_factor=SPHERE_K_FWHM, breadth="fwhm")
    expect = SPHERE_K_FWHM * 1.5406 / (np.radians(fwhm) * np.cos(np.radians(20.0))) / 10
    assert res.crystallite_size_nm is not None and res.breadth == "fwhm"
    assert res.crystallite_size_nm.value == pytest.approx(expect, rel=1e-9)
    with pytest.raises(ValueError, match="breadth"):
        scherrer_size([p], 1.5406, breadth="half")


def test_debye_sphere_gives_its_diameter_back(shared_data) -> None:
    from mofglass.diffraction.pattern import Pattern
    from mofglass.diffraction.peaks import fit_peaks
    from mofglass.scattering.crystallites import crystallite
    from mofglass.scattering.debye_pattern import debye_pattern
    from mofglass.scattering.shapes import Sphere
    from mofglass.structure import read_structure

    ni = read_structure(shared_data / "pdf-diffpy-examples" / "ni.cif")
    d_nm = 8.0
    tt = np.arange(35.0, 100.0, 0.02)
    cr = crystallite(ni, Sphere(d_nm * 10), centre_frac=(0.0, 0.0, 0.0))
    y = debye_pattern(cr, wavelength_A=LAMBDA_A, two_theta_deg=tt).intensity
    y = y / y.max() * 1e6
    peaks = [p for p in fit_peaks(Pattern(tt, y, np.sqrt(y))).peaks if p.height.value > 5e4]
    assert len(peaks) >= 4  # (111), (200), (220), (311), (222)
    fw = scherrer_size(peaks, LAMBDA_A, k_factor=SPHERE_K_FWHM, breadth="fwhm")
    ib = scherrer_size(peaks, LAMBDA_A, k_factor=SPHERE_K_BETA)
    assert fw.crystallite_size_nm is not None and ib.crystallite_size_nm is not None
    assert fw.crystallite_size_nm.value == pytest.approx(d_nm, rel=0.10)
    # the integral breadths of windowed Voigt fits miss the sphere line's s⁻² tails: the
    # integral-breadth size comes out larger than the FWHM one (documented bias)
    assert ib.crystallite_size_nm.value > fw.crystallite_size_nm.value
