"""Old spellings of renamed keywords and attributes still work and warn (issue 11)."""

from __future__ import annotations

import numpy as np
import pytest

from mofglass.scattering.pairs import pair_histogram


def test_rmax_A_keyword_warns_and_matches_r_max_A():
    pos = np.array([[0.0, 0.0, 0.0], [1.5, 0.0, 0.0], [0.0, 2.5, 0.0]])
    new = pair_histogram(pos, r_max_A=2.0, dr_A=0.1)
    with pytest.warns(DeprecationWarning, match="r_max_A"):
        old = pair_histogram(pos, rmax_A=2.0, dr_A=0.1)
    np.testing.assert_array_equal(np.asarray(old.counts), np.asarray(new.counts))
    with pytest.raises(TypeError, match="both"):
        pair_histogram(pos, rmax_A=2.0, r_max_A=2.0)


def test_qdamp_invA_keyword_attribute_and_stored_key(shared_data):
    from mofglass.scattering.pdf import PDFResult, crystal_pdf
    from mofglass.structure import read_structure

    c = read_structure(shared_data / "cd-metal-cif" / "Cd.cif")
    new = crystal_pdf(c, r_max_A=6.0, q_damp_invA=0.04)
    with pytest.warns(DeprecationWarning, match="q_damp_invA"):
        old = crystal_pdf(c, r_max_A=6.0, qdamp_invA=0.04)
    np.testing.assert_array_equal(old.G, new.G)
    assert new.q_damp_invA == 0.04
    with pytest.warns(DeprecationWarning, match="q_damp_invA"):
        assert new.qdamp_invA == 0.04
    # a result stored before the rename keeps its Qdamp (no silent default of 0)
    d = new.to_dict()
    d["qdamp_invA"] = d.pop("q_damp_invA")
    assert PDFResult.from_dict(d).q_damp_invA == 0.04


def test_pattern_esd_is_sigma_with_a_warning():
    from mofglass.diffraction.pattern import Pattern

    x, y, s = np.array([10.0, 10.1, 10.2]), np.array([100.0, 0.0, 4.0]), np.array([10.0, 0.0, 2.0])
    with pytest.warns(DeprecationWarning, match="sigma"):
        old = Pattern(x, y, esd=s)
    np.testing.assert_array_equal(old.sigma, s)
    with pytest.warns(DeprecationWarning, match="sigma"):
        np.testing.assert_array_equal(old.esd, s)
    with pytest.warns(DeprecationWarning, match="sigma"):
        np.testing.assert_array_equal(Pattern(x, y).replace(esd=s).sigma, s)
    # fit weights: the file's sigma (<= 0 -> 1), else counting statistics sqrt(max(|I|, 1))
    np.testing.assert_array_equal(old.weights_sigma(), [10.0, 1.0, 2.0])
    np.testing.assert_array_equal(Pattern(x, y).weights_sigma(), [10.0, 1.0, 2.0])


def test_pattern_wavelength_is_radiation_with_a_warning(tmp_path):
    from mofglass.crystallography.radiation import radiation
    from mofglass.diffraction.instrument import save_instrument
    from mofglass.diffraction.pattern import Pattern
    from mofglass.diffraction.size import InstrumentProfile
    from mofglass.diffraction.synthetic import simulate_pattern

    cu = radiation("CuKa12")
    x, y = np.array([10.0, 10.1, 10.2]), np.array([1.0, 2.0, 3.0])
    with pytest.warns(DeprecationWarning, match="radiation"):
        old = Pattern(x, y, wavelength=cu)
    assert old.radiation is cu
    with pytest.warns(DeprecationWarning, match="radiation"):
        assert old.wavelength is cu
    with pytest.warns(DeprecationWarning, match="radiation"):
        assert Pattern(x, y).replace(wavelength=cu).radiation is cu
    with pytest.warns(DeprecationWarning, match="radiation"):
        p = simulate_pattern(x, [], wavelength=cu)
    assert p.radiation is cu
    with pytest.warns(DeprecationWarning, match="radiation"):
        save_instrument(InstrumentProfile(w=0.01), tmp_path / "i.json", wavelength=cu)
