"""The same band fitted from spectroscopy, diffraction and total scattering gives one answer.

Before the shared core the three entry points used different models, starts and derived-value
formulas (e.g. the PDF peak's height had no baseline correlation). The truth is a band made by
lmfit's own line shapes (a peer), with seeded noise; the three fits must agree with each other
to the fit's convergence precision (1e-6 relative on values, 1e-3 on standard errors) and with
the truth within 4 standard errors.
"""

from __future__ import annotations

import numpy as np
import pytest
from lmfit import lineshapes

from mofglass.diffraction import Pattern, fit_peaks
from mofglass.peaks import line_fwhm
from mofglass.spectroscopy import Spectrum, fit_bands
from mofglass.totalscattering import fit_peak

X = np.round(np.arange(20.0, 30.0, 0.01), 10)
CENTER, SIGMA, AREA, HALF = 25.03, 0.12, 2.0, 1.2


def _band(shape: str) -> np.ndarray:
    f = lineshapes.gaussian if shape == "gaussian" else lineshapes.lorentzian
    rng = np.random.default_rng(4)
    return f(X, AREA, CENTER, SIGMA) + 0.2 + 0.01 * (X - 20) + rng.normal(0, 0.01, X.size)


@pytest.mark.parametrize("shape", ["gaussian", "lorentzian"])
def test_three_entry_points_one_answer(shape: str) -> None:
    y = _band(shape)
    spec = fit_bands(
        Spectrum(X, y, "wavenumber_cm1", "absorbance"),
        [CENTER],
        window=(CENTER - HALF, CENTER + HALF),
        shape=shape,
    ).bands[0]
    pdf = fit_peak(X, y, center_A=CENTER, half_window_A=HALF, shape=shape)
    xrd = fit_peaks(
        Pattern(X, y, sigma=np.full(X.size, 0.01)),  # constant σ: the others' unit weights
        [CENTER],
        shape=shape,
        ka2="none",
        window_fwhm=0.0,
        min_window_deg=HALF,
        passes=1,
    ).peaks[0]
    triples = {
        "center": (spec.position, pdf.position_A, xrd.center_deg),
        "fwhm": (spec.fwhm, pdf.fwhm_A, xrd.fwhm_deg),
        "area": (spec.area, pdf.area, xrd.area),
    }
    truth = {"center": CENTER, "fwhm": line_fwhm(shape, SIGMA), "area": AREA}
    for name, (a, b, c) in triples.items():
        assert b.value == pytest.approx(a.value, rel=1e-6), name
        assert c.value == pytest.approx(a.value, rel=1e-6), name
        assert b.stderr == pytest.approx(a.stderr, rel=1e-3), name
        assert c.stderr == pytest.approx(a.stderr, rel=1e-3), name
        assert abs(a.value - truth[name]) < 4 * a.stderr, name
    # heights: the band's height above its baseline is the same for spectroscopy and PXRD
    assert xrd.height.value == pytest.approx(spec.height.value, rel=1e-6)
