"""Scattering figures draw the data they are given (no computation inside)."""

from __future__ import annotations

import numpy as np

from mofglass.plotting.scattering import pattern_figure, pdf_figure
from mofglass.scattering import crystal_pdf, label_peaks, powder_pattern
from mofglass.structure import read_structure
from tests.scattering.conftest import nacl_two_networks, shared


def test_pattern_figure_has_profile_and_ticks():
    c = read_structure(shared("pdf-diffpy-examples/ni.cif"))
    pat = powder_pattern(c, two_theta_range_deg=(30.0, 100.0))
    fig = pattern_figure(pat, title="Ni")
    ax = fig.axes[0]
    line = ax.get_lines()[0]
    np.testing.assert_allclose(line.get_xdata(), pat.two_theta_deg)
    assert np.max(line.get_ydata()) == 100.0
    # Ni up to 100° (Cu Kα1): 111, 200, 220, 311, 222 -> five ticks
    assert len(ax.collections[0].get_segments()) == 5


def test_pdf_figure_partials_and_split():
    c, labels = nacl_two_networks()
    res = crystal_pdf(c, r_max_A=10.0, labels=labels)
    fig = pdf_figure(res, peaks=label_peaks(res))
    top, bottom = fig.axes
    np.testing.assert_allclose(top.get_lines()[0].get_ydata(), res.G)
    assert len(top.get_lines()) == 1 + 3  # total + Na-Na, Cl-Cl, Cl-Na
    np.testing.assert_allclose(bottom.get_lines()[1].get_ydata(), res.kind_partials["inter"])
