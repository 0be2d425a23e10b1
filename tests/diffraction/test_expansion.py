"""Thermal-expansion tensor against PASCal's own stored output for a published series.

Input and truth: PASCal's test data (github.com/MJCliffe/PASCal): the variable-temperature
cells of Ag3Co(CN)6 phase II (tests/data/sample_T.tsv, commit e36b029) and PASCal's results
for them with Eulerian finite strain (tests/data/sample_T/output.tsv and
principal_axes.tsv, commit 8ff1fd0; Test_Values.md, commit 3692132, also lists the per-
temperature principal strains for Eulerian and Lagrangian finite strain). PASCal prints 4
decimals (strain in %, α in MK⁻¹): compared at that precision (tol 1e-4 %, 1e-3 MK⁻¹).
"""

from __future__ import annotations

import numpy as np
import pytest

from mofglass.diffraction.expansion import thermal_expansion

CELLS = np.array(
    [
        [95, 6.6200, 11.3500, 6.6230, 90.0000, 78.5000, 90.0000],
        [120, 6.6310, 11.3622, 6.6140, 90.0000, 78.4680, 90.0000],
        [145, 6.6328, 11.3643, 6.6099, 90.0000, 78.4700, 90.0000],
        [170, 6.6361, 11.3759, 6.6007, 90.0000, 78.4330, 90.0000],
        [195, 6.6330, 11.3829, 6.6062, 90.0000, 78.3690, 90.0000],
        [220, 6.6379, 11.3883, 6.6000, 90.0000, 78.3790, 90.0000],
        [245, 6.6383, 11.3969, 6.5980, 90.0000, 78.3720, 90.0000],
        [270, 6.6401, 11.4091, 6.5956, 90.0000, 78.3490, 90.0000],
        [300, 6.6415, 11.4251, 6.5959, 90.0000, 78.2840, 90.0000],
    ]
)
# PASCal, VT, Euler, finite: X1, X2, X3 (%) per temperature
EULER_PERCENT = [
    [0.0, 0.0, 0.0],
    [-0.1474, 0.1074, 0.1661],
    [-0.2091, 0.1259, 0.1937],
    [-0.361, 0.2279, 0.243],
    [-0.3097, 0.2894, 0.2056],
    [-0.3935, 0.3369, 0.273],
    [-0.4264, 0.4124, 0.2792],
    [-0.4725, 0.5193, 0.308],
    [-0.5022, 0.6595, 0.3404],
]
LAGRANGE_300K_PERCENT = [-0.5004, 0.6639, 0.3409]


def test_pascal_eulerian_finite_output() -> None:
    r = thermal_expansion(CELLS[:, 0], CELLS[:, 1:])
    np.testing.assert_allclose(100 * r.principal_strain, EULER_PERCENT, atol=1.5e-4)
    # output.tsv: α (MK⁻¹) with PASCal's (HC0) s.u. and the median-temperature axes
    expected = [(-22.6445, 2.6971), (30.034, 1.5946), (13.0559, 2.6702)]
    for m, (val, err) in zip(
        (r.alpha1_per_MK, r.alpha2_per_MK, r.alpha3_per_MK), expected, strict=True
    ):
        assert m.value == pytest.approx(val, abs=1e-3)
        assert m.stderr == pytest.approx(err, abs=1e-3)
    assert r.alpha_volume_per_MK.value == pytest.approx(20.4329, abs=1e-3)
    assert r.alpha_volume_per_MK.stderr == pytest.approx(2.6284, abs=1e-3)
    np.testing.assert_allclose(
        r.axes_uvw, [[-0.3151, 0, 0.9491], [0, 1, 0], [0.9901, 0, 0.1404]], atol=1e-4
    )


def test_pascal_lagrangian_finite_and_volume_closed_form() -> None:
    r = thermal_expansion(CELLS[:, 0], CELLS[:, 1:], mode="lagrangian")
    np.testing.assert_allclose(100 * r.principal_strain[-1], LAGRANGE_300K_PERCENT, atol=1.5e-4)
    # V = abc sinβ for a monoclinic cell (closed form)
    v = CELLS[:, 1] * CELLS[:, 2] * CELLS[:, 3] * np.sin(np.radians(CELLS[:, 5]))
    np.testing.assert_allclose(r.volume_A3, v, rtol=1e-12)
    assert r.volume_change_percent == pytest.approx(100 * (v[-1] / v[0] - 1), rel=1e-12)


def test_isotropic_expansion_closed_form() -> None:
    # a cubic cell growing linearly by α = 1e-5 / K: all three principal α equal (infinitesimal
    # Lagrangian strain is exactly (a_T / a_0 - 1))
    t = np.array([100.0, 200.0, 300.0, 400.0])
    a = 10.0 * (1 + 1e-5 * (t - 100))
    cells = np.column_stack([a, a, a, np.full(4, 90.0), np.full(4, 90.0), np.full(4, 90.0)])
    r = thermal_expansion(t, cells, mode="lagrangian", finite=False)
    for m in (r.alpha1_per_MK, r.alpha2_per_MK, r.alpha3_per_MK):
        assert m.value == pytest.approx(10.0, rel=1e-9)
    with pytest.raises(ValueError):
        thermal_expansion(t[:2], cells[:2])
