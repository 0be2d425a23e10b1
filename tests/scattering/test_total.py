"""Total scattering: periodic route vs the Fourier transform of G(r); Debye route of clusters."""

from __future__ import annotations

import numpy as np
import pytest

from mofglass.scattering.models import nanoparticle, supercell
from mofglass.scattering.pdf import crystal_pdf
from mofglass.scattering.total import pdf_from_fq, total_scattering
from mofglass.structure import Crystal, read_structure
from tests.scattering.conftest import shared


def test_periodic_sq_is_fourier_transform_of_gr():
    # with unit scattering powers and U = 0: Q[S(Q) - 1] = ∫ G(r) W(r) sin(Qr) dr (Lorch W);
    # G(r) from crystal_pdf (binned path), S(Q) from total_scattering (sinc-sum path); tol 2 %
    c0 = read_structure(shared("cd-metal-cif/Cd.cif"))
    c = supercell(
        Crystal(
            c0.species, c0.positions_A, c0.lattice_A, c0.occupancy, np.zeros(c0.n_atoms), c0.labels
        ),
        (6, 6, 4),
    )
    rmax = 8.5
    q = np.linspace(1.0, 12.0, 221)
    ts = total_scattering(c, q, r_max_A=rmax, form_factors={"Cd": np.ones_like(q)}, dr_A=0.002)
    pdf = crystal_pdf(c, r_max_A=rmax, rstep_A=0.002, scattering={"Cd": 1.0})
    r = pdf.r_A
    w = np.sinc(r / rmax)
    fq = (pdf.G * w) @ np.sin(np.outer(r, q)) * 0.002
    assert np.abs(ts.F - fq).max() < 0.02 * np.abs(fq).max()


def test_cluster_route_and_pdf_from_fq():
    # Debye S(Q) of a 24 Å Ni sphere: first maximum at the (111) position Q = 2π√3/a (tol 0.05),
    # mean S over 20-25 Å⁻¹ is 1 (tol 0.03); G(r) from F(Q) peaks at a/√2 (tol 0.02 Å)
    c = read_structure(shared("pdf-diffpy-examples/ni.cif"))
    c = Crystal(c.species, c.positions_A, c.lattice_A, c.occupancy, np.full(4, 0.005), c.labels)
    ball = nanoparticle(c, 24.0)
    q = np.linspace(0.5, 25.0, 981)
    ts = total_scattering(ball, q)
    a = 3.52387
    window = (q > 2.5) & (q < 3.3)
    assert q[window][np.argmax(ts.S[window])] == pytest.approx(2 * np.pi * np.sqrt(3) / a, abs=0.05)
    assert abs(ts.S[q > 20].mean() - 1) < 0.03
    r = np.linspace(1.0, 6.0, 501)
    g = pdf_from_fq(q, ts.F, r, lorch=True)
    assert r[np.argmax(g)] == pytest.approx(a / np.sqrt(2), abs=0.02)


def test_pdf_from_fq_closed_form_gaussian_pair():
    # F(Q) = sin(Qa) exp(-Q²σ²/2) transforms to G(r) = [N(r; a, σ) - N(r; -a, σ)] exactly
    # (N a normal density); a = 2.5 Å, σ = 0.1 Å, Q to 45 Å⁻¹ (truncation e^-10). On a uniform and
    # on a non-uniform Q grid the trapezoid transform must agree to 1e-4 of the peak height.
    a, sig = 2.5, 0.1
    r = np.linspace(0.5, 5.0, 901)
    exact = (np.exp(-((r - a) ** 2) / (2 * sig**2)) - np.exp(-((r + a) ** 2) / (2 * sig**2))) / (
        sig * np.sqrt(2 * np.pi)
    )
    for q in (np.linspace(0.0, 45.0, 9001), np.linspace(0.0, np.sqrt(45.0), 12001) ** 2):
        f = np.sin(q * a) * np.exp(-(q**2) * sig**2 / 2)
        g = pdf_from_fq(q, f, r)
        assert np.abs(g - exact).max() < 1e-4 * exact.max()
