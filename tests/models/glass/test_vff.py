"""The metal-net valence force field with metals of any coordination.

Truths: the fixed-coordination code's energy and gradient on a 4-connected net (stored
reference, tests/models/glass/reference/make_vff_reference.py), central finite differences of
the energy, and the closed form of a single angle.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import numpy as np
import pytest

from mofglass.models.glass.vff import ForceField, incidence, lbfgs_relax, net_energy

REF = Path(__file__).parent / "reference"


def test_four_connected_net_unchanged():
    sys.path.insert(0, str(REF))
    try:
        from make_vff_reference import zif4_case
    finally:
        sys.path.remove(str(REF))
    ref = json.loads((REF / "vff_zif4_reference.json").read_text())
    pos, lat, edges, offsets, ff, rep = zif4_case()
    assert len(rep[0]) == ref["n_repulsion_pairs"] > 0
    energy, grad = net_energy(pos, lat, edges, offsets, ff, rep)
    assert abs(energy - ref["energy"]) <= 1e-12 * abs(ref["energy"])
    np.testing.assert_allclose(grad, np.array(ref["gradient"]), rtol=0, atol=1e-12 * 250)


def _mixed_net() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Eight metals in a 12 Å cube: coordinations 4, 4, 3, 3, 2, 2, 1, 1; links through the box."""
    rng = np.random.default_rng(2)
    lat = np.diag([12.0, 12.5, 13.0])
    pos = rng.uniform(0.0, 12.0, size=(8, 3))
    edges = np.array(
        [[0, 1], [0, 2], [0, 3], [0, 4], [1, 2], [1, 3], [1, 5], [2, 5], [3, 6], [4, 7]]
    )
    offsets = np.array(
        [[0, 0, 0], [1, 0, 0], [0, 0, 0], [0, -1, 0], [0, 0, 0], [0, 0, 1], [0, 0, 0],
         [-1, 0, 0], [0, 0, 0], [0, 1, 1]]
    )  # fmt: skip
    return pos, lat, edges, offsets


def test_incidence_rows_hold_each_metals_links():
    _, _, edges, _ = _mixed_net()
    ptr, eid, sign = incidence(edges, 9)
    assert np.diff(ptr).tolist() == [4, 4, 3, 3, 2, 2, 1, 1, 0]
    for c in range(8):
        own = eid[ptr[c] : ptr[c + 1]]
        end = np.where(sign[ptr[c] : ptr[c + 1]] > 0, 0, 1)
        assert (edges[own, end] == c).all()


def test_gradient_matches_finite_differences_for_2_3_4_connected_metals():
    pos, lat, edges, offsets = _mixed_net()
    ff = ForceField(
        d0_A=6.0, k_bond=1.3, k_angle=5.0, r_rep_A=12.0, k_rep=2.0,
        cos_wall=math.cos(math.radians(100.0)), k_wall=20.0,
    )  # fmt: skip
    rep = (np.array([5, 6, 2]), np.array([6, 7, 7]), np.array([[0, 0, 0], [1, 0, 0], [0, 0, -1]]))
    energy, grad = net_energy(pos, lat, edges, offsets, ff, rep)
    v = pos[rep[1]] + rep[2] @ lat - pos[rep[0]]
    assert (np.linalg.norm(v, axis=1) < ff.r_rep_A).any()  # the repulsion acts
    u = pos[edges[:, 1]] + offsets @ lat - pos[edges[:, 0]]
    u /= np.linalg.norm(u, axis=1)[:, None]
    assert -u[0] @ u[4] > ff.cos_wall  # an angle at metal 1 below the wall: the wall acts
    h = 1e-6
    fd = np.zeros_like(pos)
    for i in range(len(pos)):
        for d in range(3):
            p, m = pos.copy(), pos.copy()
            p[i, d] += h
            m[i, d] -= h
            fd[i, d] = (
                net_energy(p, lat, edges, offsets, ff, rep)[0]
                - net_energy(m, lat, edges, offsets, ff, rep)[0]
            ) / (2 * h)
    np.testing.assert_allclose(grad, fd, rtol=1e-6, atol=1e-6 * np.abs(fd).max())
    # every metal feels the force field (none is left out for its coordination)
    assert (np.abs(grad).sum(axis=1) > 0).all()
    assert energy > 0


def test_single_angle_closed_form():
    # one 2-connected metal at the origin, links of 5 and 7 Å at 90°: E = k_b (1 + 1) +
    # k_θ (0 + 1/3)² (no wall, no repulsion)
    lat = np.eye(3) * 50.0
    pos = np.array([[0.0, 0.0, 0.0], [5.0, 0.0, 0.0], [0.0, 7.0, 0.0]])
    edges = np.array([[0, 1], [2, 0]])
    ff = ForceField(d0_A=6.0, k_bond=2.0, k_angle=9.0)
    empty = (np.zeros(0, int), np.zeros(0, int), np.zeros((0, 3), int))
    energy, _ = net_energy(pos, lat, edges, np.zeros((2, 3), int), ff, empty)
    assert energy == pytest.approx(2.0 * 2.0 + 9.0 / 9.0, rel=1e-14)
    # a local relaxation moves only the free metal, and lowers the energy
    out, e_min = lbfgs_relax(pos, lat, edges, np.zeros((2, 3), int), ff, empty, free=np.array([0]))
    np.testing.assert_array_equal(out[1:], pos[1:])
    assert e_min < energy
    assert e_min == pytest.approx(net_energy(out, lat, edges, np.zeros((2, 3), int), ff, empty)[0])
