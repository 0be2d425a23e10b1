"""Glass-ceramic models on real files: RASPA ZIF-8 crystallites in the Gaillac et al. (2020) ab
initio ZIF-8 glass (same composition, Zn(mIm)2).

Truths: the model's own atom counts (the fraction it was built with is counted, not assumed),
the periodic all-pairs cell-list route over the same atoms (the PDF's histogram), distances
between atoms (no clash), and the sphere's Scherrer constant (Langford & Wilson 1978: the
integral-breadth size of a sphere is 3/4 of its diameter) for the size read back from the
simulated pattern. The full-size case (59 %, 19 nm, >= 10^6 atoms) is
benchmarks/glass_ceramic.py.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial import cKDTree

from mofglass.errors import MofglassError
from mofglass.models.glass.ceramic import (
    build_glass_ceramic,
    glass_ceramic_pattern,
    glass_ceramic_pdf,
)
from mofglass.structure import read_structure


@pytest.fixture(scope="module")
def zif8(shared_data):
    crystal = read_structure(shared_data / "raspa2-zif-cifs" / "ZIF-8.cif")
    glass = read_structure(shared_data / "zif-glass-models-gaillac2020" / "ZIF8_15glass01.cif")
    return crystal, glass


@pytest.fixture(scope="module")
def small(zif8):
    crystal, glass = zif8
    return build_glass_ceramic(
        crystal, glass, diameter_nm=4.0, fraction=0.59, min_atoms=30000, seed=1
    )


def test_model_fraction_and_no_clash(small):
    m = small
    assert m.n_atoms >= 30000
    assert abs(m.crystalline_fraction - 0.59) < 0.03
    assert m.diameters_A.size == 26  # of the 4 m³ = 32 fcc sites (m = 2)
    cryst = np.vstack([cr.positions_of(i) + s for cr, s in m.parts for i in range(276)])
    lat = m.lattice_A
    edge = np.diag(lat)
    tree = cKDTree(np.mod(cryst, edge), boxsize=edge)
    d, _ = tree.query(np.mod(m.glass.positions_A, edge))
    assert d.min() >= m.clash_A
    # reproducible from the seed
    again = build_glass_ceramic(
        m.crystal, m.glass_cell, diameter_nm=4.0, fraction=0.59, min_atoms=30000, seed=1
    )
    np.testing.assert_array_equal(again.glass.positions_A, m.glass.positions_A)


@pytest.mark.slow
def test_pdf_equals_all_pairs(small):
    from mofglass.scattering.pdf import crystal_pdf
    from mofglass.structure import Crystal

    m = small
    pdf = glass_ceramic_pdf(m, r_max_A=12.0)
    # the same PDF from the cell-list route over all atoms of the box
    pos = np.vstack(
        [np.vstack([cr.positions_of(i) for i in range(276)]) + s for cr, s in m.parts]
        + [m.glass.positions_A]
    )
    species = [e for cr, _ in m.parts for e in np.repeat(cr.crystal.species, cr.site_counts)]
    uiso = np.concatenate(
        [np.repeat(cr.crystal.uiso_A2, cr.site_counts) for cr, _ in m.parts] + [m.glass.uiso_A2]
    )
    species += list(m.glass.species)
    whole = Crystal(tuple(species), pos, m.lattice_A, np.ones(len(pos)), uiso, tuple(species))
    ref = crystal_pdf(whole, r_max_A=12.0)
    assert np.abs(pdf.G - ref.G).max() <= 1e-9 * np.abs(ref.G).max()


@pytest.mark.slow
def test_pattern_and_recovery(small):
    # the pattern is the sum of its parts; the size and the fraction read back through the
    # plumbing of the 10^6-atom benchmark (recover_fraction_and_size)
    from mofglass.crystallography.broadening import SPHERE_K_FWHM
    from mofglass.diffraction.pattern import Pattern
    from mofglass.diffraction.peaks import fit_peaks
    from mofglass.models.glass.ceramic_recovery import recover_fraction_and_size

    lam = 1.5406
    tt = np.arange(5.0, 20.0, 0.02)
    pat = glass_ceramic_pattern(small, wavelength_A=lam, two_theta_deg=tt)
    assert np.all(pat.glass_intensity > 0)
    np.testing.assert_allclose(pat.intensity, pat.crystal_intensity + pat.glass_intensity)
    rec = recover_fraction_and_size(small, r_range_A=(1.0, 10.0), two_theta_deg=tt)
    # the isolated (110) line (2θ 7.35°): its FWHM gives the diameter with the sphere's
    # closed-form constant (the weaker lines of 4 nm crystallites drown in the glass's humps,
    # so the mean over lines is not resolved at this size: the benchmark's 19 nm is)
    d110 = small.crystal.lattice_A[0, 0] / np.sqrt(2.0)
    tt110 = np.degrees(2 * np.arcsin(lam / (2 * d110)))
    y = pat.intensity / pat.intensity.max() * 1e6
    fit = fit_peaks(Pattern(tt, y, np.sqrt(y)), max_fwhm_deg=6.0)
    peak = min(fit.peaks, key=lambda p: abs(p.center_deg.value - tt110))
    assert abs(peak.center_deg.value - tt110) < 0.1
    assert min(abs(t - tt110) for t in rec.peaks_two_theta_deg) < 0.1
    theta = np.radians(peak.center_deg.value / 2)
    size_nm = SPHERE_K_FWHM * lam / (np.radians(peak.fwhm_deg.value) * np.cos(theta)) / 10
    assert size_nm == pytest.approx(4.0, rel=0.10)
    assert rec.diameter_model_nm == pytest.approx(4.0)
    # 4 nm crystallites lose many pairs at their surface (γ0(r) of a sphere): the mixture
    # fit's share is lower than the atoms'; at 19 nm the benchmark's gap is within 0.05
    assert 0.3 < rec.fraction_pdf.value < rec.fraction_model
    # the enveloped fit needs a Scherrer diameter
    assert (rec.fraction_pdf_envelope is None) == (rec.diameter_fwhm_nm is None)
    assert "vs model" in rec.report()


def test_bad_inputs(zif8):
    crystal, glass = zif8
    ni = read_structure(
        __import__("pathlib").Path(__file__).parents[3].parent
        / "shared" / "data" / "pdf-diffpy-examples" / "ni.cif"
    )  # fmt: skip
    with pytest.raises(MofglassError, match="composition"):
        build_glass_ceramic(ni, glass, diameter_nm=2.0, min_atoms=1000)
    with pytest.raises(MofglassError, match="fraction"):
        build_glass_ceramic(crystal, glass, fraction=0.9)


@pytest.mark.slow
def test_interfaces_relaxed(small):
    # cut linkers removed whole (multiples of the 11-atom 2-methylimidazolate), metals pushed
    # off and rigid linkers moved: no crystal-glass close contact is left (bond-graph cutoffs)
    from mofglass.models.glass.ceramic_interface import interface_contacts, relax_interfaces

    res = relax_interfaces(small, shell_A=6.0)
    assert res.contacts_built == interface_contacts(small, shell_A=6.0)
    assert res.contacts_built[0] > 50
    assert small.glass.n_atoms - res.model.glass.n_atoms == res.fragment_atoms_removed
    # only whole 2-methylimidazolates (C4H5N2) are left in the glass; no metal was removed
    count = {e: list(res.model.glass.species).count(e) for e in ("Zn", "C", "H", "N")}
    assert count["C"] == 2 * count["N"] and 2 * count["H"] == 5 * count["N"]
    assert count["Zn"] == list(small.glass.species).count("Zn")
    assert res.contacts_relaxed[0] == 0
    assert res.contacts_relaxed[1] <= 10
    assert 0 < res.max_shift_A < 3.0
    assert "after moving" in res.report()
    # the crystallites did not move
    assert res.model.parts is small.parts
