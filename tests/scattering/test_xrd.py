"""Powder patterns: pymatgen's XRDCalculator, closed forms of LP, Bragg's law and widths."""

from __future__ import annotations

import numpy as np
import pytest

from mofglass.scattering.xrd import (
    RADIATIONS,
    lorentz_polarization,
    powder_pattern,
    pseudo_voigt_tch,
    reflections,
)
from mofglass.structure import read_structure
from tests.scattering.conftest import reference, shared

PEER = reference("pymatgen_xrd.json")


@pytest.mark.parametrize("rel", sorted(PEER["patterns"]))
def test_pymatgen_positions_and_intensities(rel):
    # peer: pymatgen XRDCalculator(1.540593 Å), no Debye-Waller; reference/make_reference.py.
    # Both patterns binned on 0.05° (pymatgen merges hkl within its own 2θ tolerance);
    # tol: 2 % of the strongest peak (pymatgen's form-factor fit differs from IT Vol. C).
    ref = PEER["patterns"][rel]
    c = read_structure(shared(rel))
    refl = reflections(c, wavelength_A=1.540593, two_theta_max_deg=60.0, displacements=False)
    bins = np.arange(0.0, 60.05, 0.05)
    ours = np.histogram(refl.two_theta_deg, bins, weights=refl.intensity)[0]
    peer = np.histogram(ref["two_theta_deg"], bins, weights=ref["intensity"])[0]
    ours, peer = 100 * ours / ours.max(), 100 * peer / peer.max()
    assert np.abs(ours - peer).max() < 2.0
    # every pymatgen peak above 1 % has one of ours within 0.001° (Bragg positions)
    for x, y in zip(ref["two_theta_deg"], ref["intensity"], strict=True):
        if y > 1.0:
            assert np.abs(refl.two_theta_deg - x).min() < 1e-3


def test_nickel_reflections_closed_form():
    # fcc Ni (a = 3.52387 Å): 111 and 200 with multiplicities 8 and 6, 2θ from Bragg's law
    c = read_structure(shared("pdf-diffpy-examples/ni.cif"))
    refl = reflections(c, wavelength_A=1.540593, two_theta_max_deg=60.0)
    assert refl.multiplicity.tolist() == [8, 6]
    a = 3.52387
    for hkl, tt in zip(refl.hkl, refl.two_theta_deg, strict=True):
        d = a / np.sqrt(np.sum(hkl**2))
        assert tt == pytest.approx(np.degrees(2 * np.arcsin(1.540593 / (2 * d))), abs=1e-9)
    assert refl.scaled().max() == 100.0


def test_lorentz_polarization_closed_form():
    # LP(2θ = 90°) = (1 + 0) / ((1 + 1) sin²45° cos45°) = √2 without a monochromator
    assert lorentz_polarization(np.array([90.0]))[0] == pytest.approx(np.sqrt(2))
    # at 2θ = 0.5° vs 60°: ratio of (1 + cos²2θ)/(sin²θ cosθ), the unmonochromated form
    tt = np.array([20.0, 60.0])
    th = np.radians(tt / 2)
    expect = (1 + np.cos(2 * th) ** 2) / (np.sin(th) ** 2 * np.cos(th))
    lp = lorentz_polarization(tt)
    assert lp[0] / lp[1] == pytest.approx(expect[0] / expect[1])
    # with a monochromator at 2θm = 26.6° the factor at 90° is 2√2 / (1 + cos²2θm)
    cm = np.cos(np.radians(26.6)) ** 2
    assert lorentz_polarization(np.array([90.0]), 26.6)[0] == pytest.approx(
        2 * np.sqrt(2) / (1 + cm)
    )


def test_profile_area_doublet_and_scherrer_width():
    # pseudo-Voigt is area-normalised; Kα2 lies where Bragg's law puts it; a pure-size
    # Lorentzian has integral breadth β = Kλ/(L cosθ) (Scherrer, K = 1), i.e. FWHM = 2β/π;
    # tol 2 % (grid 0.002°)
    x = np.linspace(-20, 20, 200001)
    assert np.trapezoid(pseudo_voigt_tch(x, 0.0, 0.1, 0.05), x) == pytest.approx(1.0, abs=2e-3)
    c = read_structure(shared("pdf-diffpy-examples/ni.cif"))
    lam1, lam2, _ = RADIATIONS["CuKa"]
    pat = powder_pattern(
        c,
        radiation=lam1,
        two_theta_range_deg=(43.0, 46.0),
        step_deg=0.002,
        caglioti_deg2=(0.0, 0.0, 0.0),
        crystallite_size_nm=20.0,
    )
    tt1 = pat.reflections.two_theta_deg[0]
    y = pat.intensity
    top = np.argmax(y)
    assert pat.two_theta_deg[top] == pytest.approx(tt1, abs=0.002)
    half = y >= y[top] / 2
    left = top - np.argmin(half[top::-1])
    right = top + np.argmin(half[top:])
    fwhm = (right - left) * 0.002
    expect = 2 / np.pi * np.degrees(lam1 / (200.0 * np.cos(np.radians(tt1 / 2))))
    assert fwhm == pytest.approx(expect, rel=0.02)
    # Kα1 + Kα2 with narrow peaks: a second maximum where Bragg's law puts Kα2, half as high
    dbl = powder_pattern(
        c,
        radiation="CuKa",
        two_theta_range_deg=(43.0, 46.0),
        step_deg=0.002,
        caglioti_deg2=(0.0, 0.0, 0.0004),
    )
    d = lam1 / (2 * np.sin(np.radians(tt1 / 2)))
    tt2 = np.degrees(2 * np.arcsin(lam2 / (2 * d)))
    k1 = np.argmin(np.abs(dbl.two_theta_deg - tt1))
    k2 = np.argmin(np.abs(dbl.two_theta_deg - tt2))
    assert dbl.intensity[k2] / dbl.intensity[k1] == pytest.approx(0.5, abs=0.03)


def test_anisotropic_tensor_equal_to_isotropic():
    # U_ij = Uiso δ_ij gives exp(-2π² gᵀUg) = exp(-8π² Uiso s²) exactly (s = |g|/2)
    c = read_structure(shared("cd-metal-cif/Cd.cif"))
    iso = reflections(c, wavelength_A=1.540593, two_theta_max_deg=90.0)
    u = np.array([np.eye(3) * v for v in c.uiso_A2])
    aniso = reflections(c, wavelength_A=1.540593, two_theta_max_deg=90.0, u_aniso_A2=u)
    np.testing.assert_allclose(aniso.f2, iso.f2, rtol=1e-12)
    # a tensor elongated along c damps 00l more than hk0 (relative to isotropic)
    u_c = np.array([np.diag([v, v, 4 * v]) for v in c.uiso_A2])
    elong = reflections(c, wavelength_A=1.540593, two_theta_max_deg=90.0, u_aniso_A2=u_c)
    l_only = (iso.hkl[:, 0] == 0) & (iso.hkl[:, 1] == 0)
    hk0 = iso.hkl[:, 2] == 0
    assert np.all(elong.f2[l_only] < iso.f2[l_only])
    np.testing.assert_allclose(elong.f2[hk0], iso.f2[hk0], rtol=1e-12)
