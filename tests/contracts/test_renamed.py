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
