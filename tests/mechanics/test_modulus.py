"""Young's modulus from the reduced modulus: the paper's arithmetic and the full relation."""

from __future__ import annotations

import pytest

from mofglass.mechanics import (
    reduced_modulus_from_youngs,
    youngs_modulus,
    youngs_modulus_rigid_indenter,
)
from mofglass.results import Measured


@pytest.mark.parametrize(
    ("er", "er_sd", "nu", "e", "e_sd"),
    [
        # paper (shared/paper, nanoindentation paragraph): prcCd(im)2 Er 7.52 ± 0.41 GPa ->
        # E 7.22 ± 0.39 (ν 0.2), 6.32 ± 0.34 (ν 0.4); gCd(im)2 Er 6.45 ± 0.45 -> 6.19 ± 0.43,
        # 5.42 ± 0.38. Tolerance: half a unit of the last printed digit (0.005 GPa).
        (7.52, 0.41, 0.2, 7.22, 0.39),
        (7.52, 0.41, 0.4, 6.32, 0.34),
        (6.45, 0.45, 0.2, 6.19, 0.43),
        (6.45, 0.45, 0.4, 5.42, 0.38),
    ],
)
def test_paper_arithmetic(er: float, er_sd: float, nu: float, e: float, e_sd: float) -> None:
    got = youngs_modulus_rigid_indenter(Measured(er, er_sd, "GPa"), poisson_ratio=nu)
    assert got.value == pytest.approx(e, abs=0.005)
    assert got.stderr == pytest.approx(e_sd, abs=0.005)


def test_full_relation_close_to_paper_for_soft_glass() -> None:
    # closed form: the indenter term (1-0.07²)/1141 is 0.6 % of 1/Er for Er = 7.52 GPa, so the
    # full relation gives E larger by that fraction: 7.22 * 1/(1 - 0.00656) = 7.267
    full = youngs_modulus(7.52, poisson_ratio=0.2)
    assert full.value == pytest.approx(7.52 * 0.96 / (1 - 7.52 * (1 - 0.07**2) / 1141), rel=1e-12)
    assert full.value == pytest.approx(7.267, abs=0.001)


def test_full_relation_round_trip_fused_silica() -> None:
    # fused silica E 72 GPa, ν 0.17 (accepted reference values) -> Er 69.6 GPa and back
    er = reduced_modulus_from_youngs(72.0, poisson_ratio=0.17)
    assert er == pytest.approx(69.6, abs=0.05)
    assert youngs_modulus(er, poisson_ratio=0.17).value == pytest.approx(72.0, rel=1e-12)


def test_invalid() -> None:
    with pytest.raises(ValueError, match="Poisson"):
        youngs_modulus_rigid_indenter(7.0, poisson_ratio=0.6)
    with pytest.raises(ValueError, match="indenter"):
        youngs_modulus(2000.0, poisson_ratio=0.2)
