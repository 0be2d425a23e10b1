"""Helpers of the structure package that serve several callers (one home each).

One rule keeps each pair of a both-ways neighbour list once (bonds, pair tables, graphs);
one function gives the reflections nearest a TEM fringe (CLI, study technique, paper check).

Truth: closed forms. A simple cubic lattice has 6 nearest neighbours, i.e. 3 bonds per atom,
all of them periodic self-pairs of the one atom; a 2-atom CsCl-type cell has 8 A-B neighbours.
"""

from __future__ import annotations

import doctest

import numpy as np
import pytest
from ase.neighborlist import primitive_neighbor_list

import mofglass.structure.periodic_graph as pg
from mofglass.errors import AnalysisError
from mofglass.structure.crystal import Crystal
from mofglass.structure.periodic_graph import PeriodicGraph, first_positive_shift, once_per_pair
from mofglass.structure.properties import fringe_reflections


def test_simple_cubic_keeps_three_of_six_images() -> None:
    i, j, s = primitive_neighbor_list("ijS", (True,) * 3, 3.0 * np.eye(3), np.zeros((1, 3)), 3.1)
    assert len(i) == 6
    keep = once_per_pair(i, j, s)
    assert sorted(map(tuple, s[keep].tolist())) == [(0, 0, 1), (0, 1, 0), (1, 0, 0)]
    assert PeriodicGraph.from_directed(1, i, j, s).edges.shape == (3, 2)


def test_two_atom_cell_keeps_each_a_b_pair_once() -> None:
    pos = np.array([[0.0, 0.0, 0.0], [1.5, 1.5, 1.5]])
    i, j, s = primitive_neighbor_list("ijS", (True,) * 3, 3.0 * np.eye(3), pos, 2.7)
    keep = once_per_pair(i, j, s)
    assert len(i) == 16 and keep.sum() == 8
    assert np.all(i[keep] < j[keep])


def test_first_positive_shift_of_opposite_images_differs() -> None:
    s = np.array([[0, 2, -1], [1, 0, 0], [0, 0, -3]])
    assert (first_positive_shift(s) ^ first_positive_shift(-s)).all()
    assert doctest.testmod(pg).failed == 0


def test_fringe_reflections_of_a_cubic_cell_and_of_a_finite_model() -> None:
    """d(hkl) = a / sqrt(h² + k² + l²) of a primitive cubic cell (a = 4 Å): 0.4 nm is (100)."""
    cubic = Crystal.from_fractional(
        ["Cd"], np.zeros((1, 3)), 4.0 * np.eye(3), spacegroup="P m -3 m"
    )
    best = fringe_reflections(cubic, 0.4, n=2)
    assert best[0].hkl == (1, 0, 0) and best[0].d_A == pytest.approx(4.0)
    assert best[1].d_A == pytest.approx(4.0 / np.sqrt(2))
    finite = Crystal(["Cd"], np.zeros((1, 3)), None, np.ones(1), np.zeros(1), ("Cd1",))
    with pytest.raises(AnalysisError, match="no cell"):
        fringe_reflections(finite, 0.4)


def test_with_uiso_sets_every_uiso_and_keeps_the_atoms() -> None:
    c = Crystal.from_fractional(
        ["Cd", "N"],
        np.array([[0, 0, 0], [0.25, 0.25, 0.25]]),
        5.0 * np.eye(3),
        spacegroup="F m -3 m",
    )
    iso = c.with_uiso(0.02)
    assert iso.uiso_A2.tolist() == [0.02, 0.02]
    assert np.array_equal(iso.positions_A, c.positions_A) and iso.species == c.species
    assert iso.spacegroup == "P 1" and iso.metadata == {}


def test_one_reflection_type() -> None:
    """The structure package's d-spacings are :class:`mofglass.crystallography.Reflection`."""
    from mofglass.crystallography import Reflection
    from mofglass.structure.properties import d_spacings

    refl = d_spacings(4.0 * np.eye(3), d_min_A=2.0, wavelength_A=1.5406, spacegroup="P m -3 m")
    assert all(type(r) is Reflection for r in refl)
    assert (refl[0].hkl, refl[0].multiplicity) == ((1, 0, 0), 6)
    assert refl[0].two_theta_deg == pytest.approx(2 * np.degrees(np.arcsin(1.5406 / 8.0)))


def test_directed_edges_hold_each_edge_both_ways() -> None:
    g = PeriodicGraph.simple(2, np.array([[0, 1], [0, 0]]), np.array([[0, 0, 0], [1, 0, 0]]))
    assert g.directed_edges() == {
        (0, 1, (0, 0, 0)),
        (1, 0, (0, 0, 0)),
        (0, 0, (1, 0, 0)),
        (0, 0, (-1, 0, 0)),
    }
