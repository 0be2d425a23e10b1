"""q, 2θ and d conversions against closed forms and Bragg's law."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mofglass.diffraction import (
    CU_KA1_A,
    d_to_q,
    d_to_two_theta,
    q_to_d,
    q_to_two_theta,
    two_theta_to_d,
    two_theta_to_q,
)


def test_closed_forms() -> None:
    # 2θ = 60° -> θ = 30°, sin θ = 1/2: q = 2π/λ, d = λ (exact); tol 1e-12 relative
    lam = 1.5
    assert two_theta_to_q(60.0, lam) == pytest.approx(2 * np.pi / lam, rel=1e-12)
    assert two_theta_to_d(60.0, lam) == pytest.approx(lam, rel=1e-12)
    # 2θ = 180°: d = λ/2
    assert two_theta_to_d(180.0, lam) == pytest.approx(lam / 2, rel=1e-12)
    assert d_to_q(2 * np.pi) == pytest.approx(1.0)
    assert q_to_d(1.0) == pytest.approx(2 * np.pi)


def test_si_111_cu() -> None:
    # Si a = 5.431020 Å (NIST SRM 640), d111 = a/√3 = 3.13560 Å; 2θ(Cu Kα1) = 28.4428° (tol 1e-3°)
    d = 5.431020 / np.sqrt(3)
    assert d_to_two_theta(d, CU_KA1_A) == pytest.approx(28.4428, abs=1e-3)


def test_unreachable_is_nan() -> None:
    assert np.isnan(d_to_two_theta(0.5, 1.54))
    assert np.isnan(q_to_two_theta(10.0, 1.54))
    with pytest.raises(ValueError):
        two_theta_to_q(10.0, 0.0)


@given(st.floats(min_value=0.5, max_value=170.0), st.floats(min_value=0.1, max_value=3.0))
def test_round_trips(two_theta: float, lam: float) -> None:
    # identity to 1e-9 relative
    q = two_theta_to_q(two_theta, lam)
    assert q_to_two_theta(q, lam) == pytest.approx(two_theta, rel=1e-9)
    d = two_theta_to_d(two_theta, lam)
    assert d_to_two_theta(d, lam) == pytest.approx(two_theta, rel=1e-9)
    assert q_to_d(q) == pytest.approx(d, rel=1e-12)
