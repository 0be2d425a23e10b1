"""Finger-Cox-Jephcoat asymmetry from GSAS instrument files, converted to Bérar-Baldinozzi.

Truths: the FCJ low-angle limit cos 2φ_min = cos 2θ √(1 + (S/L + H/L)²) (Finger, Cox &
Jephcoat, J. Appl. Cryst. 27 (1994) 892, for S = H) bounds the asymmetric tail; on the real
PbSO4 round-robin pattern (IUCr CPD, Hill 1992: a ≈ 8.48, b ≈ 5.40, c ≈ 6.96 Å within 0.01 Å)
and the 11-BM sucrose pattern (β 102.938° of Hynes & Le Page within 0.05°), the files' FCJ
terms applied (converted, fixed) must lower Rwp against ignoring them and keep the cells within
those tolerances.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from mofglass.crystallography import Cell
from mofglass.diffraction.fcj import fcj_profile
from mofglass.diffraction.instrument import read_instrument
from mofglass.diffraction.pawley import pawley_refine
from mofglass.diffraction.readers import read_pattern
from mofglass.diffraction.setup import phase_cell


def test_fcj_profile_tail_limit_area_and_symmetric_limit() -> None:
    tt, s = 20.0, 0.03
    x = np.linspace(19.0, 21.0, 4001)
    prof = fcj_profile(x, tt, 0.01, 0.0, s)
    assert np.trapezoid(prof, x) == pytest.approx(1.0, abs=1e-3)  # unit area kept
    tail_end = np.degrees(np.arccos(np.cos(np.radians(tt)) * np.sqrt(1 + s * s)))
    gauss_reach = 3 * 0.01  # beyond it a Gaussian of FWHM 0.01° is < 1e-10 of its peak
    assert prof[x < tail_end - gauss_reach].max() < 1e-6 * prof.max()
    assert prof[x > tt + gauss_reach].max() < 1e-6 * prof.max()  # nothing above 2θ (< 90°)
    assert np.sum(x * prof) / np.sum(prof) < tt  # centroid shifted to low angle
    above = fcj_profile(180 - x[::-1], 160.0, 0.01, 0.0, s)  # mirrored above 90°
    assert np.sum((180 - x[::-1]) * above) / np.sum(above) > 160.0
    sym = fcj_profile(x, tt, 0.05, 0.5, 0.0)
    assert np.allclose(sym, sym[::-1], atol=1e-12)


@pytest.mark.parametrize("case", ["pbso4", "sucrose"])
def test_fcj_terms_applied_improve_the_fit(shared_data: Path, case: str) -> None:
    if case == "pbso4":
        folder = shared_data / "xrd-pbso4-gsas-std-prm"
        inst, wl = read_instrument(folder / "INST_XRY.PRM")
        p = read_pattern(folder / "PBSO4.XRA").with_wavelength(wl).crop(16, 110)
        start = phase_cell(folder / "PbSO4-Wyckoff.cif")
    else:
        folder = shared_data / "pxrd-11bm-gsas-fxye"
        inst, wl = read_instrument(folder / "11bmb_8716.prm")
        p = read_pattern(folder / "11bmb_8716.fxye").with_wavelength(wl).crop(2, 8)
        start = Cell(10.8631, 8.7044, 7.7624, 90, 102.938, 90, "P 1 21 1")
    assert inst.fcj_shl == pytest.approx(0.03 if case == "pbso4" else 0.0022)
    applied = pawley_refine(p, start, instrument=inst, asymmetry=False)
    ignored = pawley_refine(p, start, instrument=replace(inst, fcj_shl=0.0), asymmetry=False)
    assert applied.ok and ignored.ok
    assert applied.rwp < ignored.rwp
    assert "FCJ" in applied.asymmetry_model and "fixed" in applied.asymmetry_model
    assert applied.profile["asym1"].value < 0  # low-angle tail below 90°
    if case == "pbso4":
        for m, truth in zip(
            (applied.a_A, applied.b_A, applied.c_A), (8.48, 5.40, 6.96), strict=True
        ):
            assert m.value == pytest.approx(truth, abs=0.01)
    else:
        assert applied.beta_deg.value == pytest.approx(102.938, abs=0.05)
