"""Debye intensities: closed forms, exact vs histogram route, DebyeCalculator 1.1."""

from __future__ import annotations

import numpy as np
import pytest

from mofglass.scattering.debye import debye_intensity, histogram_bin_error
from mofglass.scattering.formfactors import form_factor
from mofglass.structure import Crystal
from tests.scattering.conftest import reference


def _model(species, pos, uiso=0.0):
    n = len(species)
    return Crystal(
        tuple(species), np.asarray(pos, float), None, np.ones(n), np.full(n, uiso), tuple(species)
    )


def test_dimer_closed_form():
    # closed form: I(Q) = 2 f² (1 + sin(Qd)/(Qd)) for an isolated dimer; tol 1e-10 relative
    q = np.linspace(0.0, 25.0, 501)
    d = 2.31
    res = debye_intensity(_model(["Cd", "Cd"], [[0, 0, 0], [0.3, -1.2, np.sqrt(d**2 - 1.53)]]), q)
    f = form_factor("Cd", q)
    ref = 2 * f**2 * (1 + np.sinc(q * d / np.pi))
    np.testing.assert_allclose(res.intensity, ref, rtol=1e-10)
    # and the histogram route is within its stated bound (Q dr)²/24 per pair term
    hist = debye_intensity(_model(["Cd", "Cd"], [[0, 0, 0], [0, 0, d]]), q, route="histogram")
    bound = histogram_bin_error(25.0, 0.005 if 0.03 / 25 > 0.005 else 0.03 / 25)
    assert np.abs(hist.intensity - ref).max() <= 2 * f.max() ** 2 * bound + 1e-9


def test_form_factor_it92_values():
    # International Tables Vol. C Table 6.1.1.1: f(0) ≈ Z (Cd 48, C 6) to 0.3 %;
    # f_C(sinθ/λ = 0.5 Å⁻¹) = 1.69 (tabulated, Table 6.1.1.1), tol 0.02
    assert form_factor("Cd", 0.0) == pytest.approx(48, rel=3e-3)
    assert form_factor("C", 0.0) == pytest.approx(6, rel=3e-3)
    assert form_factor("C", 4 * np.pi * 0.5) == pytest.approx(1.69, abs=0.02)


def test_exact_and_histogram_routes_agree():
    # same model both ways: difference bounded by (Qmax dr)²/24 per pair (here 3.75e-5)
    rng = np.random.default_rng(11)
    n = 600
    pos = rng.normal(size=(n, 3)) * 7
    sp = rng.choice(["Zn", "N", "C", "H"], n)
    m = _model(sp, pos, 0.004)
    q = np.linspace(0.3, 24.0, 400)
    a = debye_intensity(m, q, route="exact")
    b = debye_intensity(m, q, route="histogram")
    assert b.bin_error <= 3.75e-5
    pair_scale = (np.abs(np.array(list(a.partials.values()))).sum(axis=0)).max()
    assert np.abs(a.intensity - b.intensity).max() <= b.bin_error * pair_scale * 5 + 1e-6
    assert np.allclose(sum(a.partials.values()) + a.self_intensity, a.intensity)


@pytest.mark.parametrize("name", ["ni_sphere_20A", "zif8_sphere_16A"])
def test_debyecalculator_reference(name):
    # peer: DebyeCalculator 1.1.1 (direct pair sum, float64, biso 0), stored by
    # reference/make_reference.py; its I(Q) is half the Debye sum (self term f²/2).
    ref = reference("debyecalculator_iq.json")["models"][name]
    m = _model(ref["elements"], ref["positions_A"])
    q = np.asarray(ref["q_invA"])
    wk = {}
    for el, c in ref["waasmaier_kirfel"].items():
        a, c0, b = np.array(c[:5]), c[5], np.array(c[6:11])
        wk[el] = c0 + (a[:, None] * np.exp(-b[:, None] * (q / (4 * np.pi)) ** 2)).sum(axis=0)
    ours = debye_intensity(m, q, form_factors=wk)
    peer = 2 * np.asarray(ref["intensity"])
    # same form factors (Waasmaier-Kirfel): 2e-5 relative (coordinates stored to 1e-6 Å, Q r ~ 1e-5)
    np.testing.assert_allclose(ours.intensity, peer, rtol=2e-5)
    # with our IT Vol. C form factors the two tables differ by < 1 % up to Q = 20 Å⁻¹
    own = debye_intensity(m, q)
    assert np.abs(own.intensity / peer - 1).max() < 0.01


@pytest.mark.parametrize(
    ("r0", "q0", "dq"),
    [(0.0, 0.0, 0.05), (0.0, 0.5, 0.02), (1.3, 0.3, 0.07)],
)
def test_sinc_sums_chirp_z_matches_direct_sum(r0, q0, dq):
    # truth: the direct double sum Σ_n H_n sin(Q r_n)/(Q r_n) (sinc(0) = 1), random weights
    # (seed 5) on 3000 nodes of step 0.004 Å; chirp z-transform and the blocked matrix route
    # must agree with it to 1e-11 of Σ|H| (both are exact up to round-off)
    from mofglass.scattering.debye import _sinc_sums_blocked, sinc_sums

    rng = np.random.default_rng(5)
    r = r0 + 0.004 * np.arange(3000)
    q = q0 + dq * np.arange(400)
    h = rng.random((3, r.size)) * 100.0

    def direct_sum(qq):
        qr = np.outer(qq, r)
        return h @ np.where(qr == 0, 1.0, np.sin(qr) / np.where(qr == 0, 1.0, qr)).T

    direct = direct_sum(q)
    scale = h.sum(axis=1).max()
    assert np.abs(sinc_sums(h, r, q) - direct).max() < 1e-11 * scale
    assert np.abs(_sinc_sums_blocked(h, r, q) - direct).max() < 1e-11 * scale
    # a non-uniform Q grid falls back to the blocked route
    qn = np.sort(rng.uniform(0.1, 20.0, 50))
    assert np.abs(sinc_sums(h, r, qn) - direct_sum(qn)).max() < 1e-11 * scale
