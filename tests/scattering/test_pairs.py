"""The pair engine against brute-force image sums and closed forms."""

from __future__ import annotations

import numpy as np
import pytest

from mofglass.scattering.pairs import _class_table, pair_histogram


def _brute(pos, lat, t, lab, rmax, dr, n_types):
    """All (i, j, image) pairs by explicit enumeration of images (independent of the engine)."""
    ctab, class_types = _class_table(n_types)
    nb = int(np.ceil(rmax / dr))
    out = np.zeros((len(class_types), 3, nb))
    m = 4
    g = np.arange(-m, m + 1)
    shifts = np.stack(np.meshgrid(g, g, g, indexing="ij"), -1).reshape(-1, 3) @ lat
    for i in range(len(pos)):
        d = np.linalg.norm(pos[None, :, :] + shifts[:, None, :] - pos[i], axis=-1)
        for s, j in zip(*np.nonzero((d > 0) & (d < rmax)), strict=True):
            kind = 2 if min(lab[i], lab[j]) < 0 else (0 if lab[i] == lab[j] else 1)
            out[ctab[t[i], t[j]], kind, int(d[s, j] / dr)] += 0.5
    return out


def test_triclinic_small_cell_all_images():
    # truth: explicit image enumeration; rmax (11 Å) exceeds every cell width (~5-7 Å)
    rng = np.random.default_rng(7)
    lat = np.array([[6.1, 0.0, 0.0], [1.4, 5.3, 0.0], [-0.9, 0.7, 6.8]])
    pos = rng.random((17, 3)) @ lat
    t = rng.integers(0, 3, 17)
    lab = rng.integers(-1, 2, 17)
    # dr = 0.047 Å keeps the self-image distances (lattice vector lengths) off bin edges
    h = pair_histogram(pos, r_max_A=11.0, dr_A=0.047, types=t, labels=lab, lattice_A=lat)
    ref = _brute(pos, lat, t, lab, 11.0, 0.047, 3)
    # no distance falls on a bin edge, so the counts must agree exactly
    assert h.counts.shape == ref.shape
    np.testing.assert_allclose(h.counts, ref, atol=1e-9)


@pytest.mark.parametrize(
    ("n", "edges", "rmax", "apc"),
    [
        (17, (6.1, 5.3, 6.8), 11.0, None),
        (150, (9.3, 8.1, 10.4), 6.0, None),
        (150, (9.3, 8.1, 10.4), 6.0, 2.0),
    ],
)
def test_orthogonal_box_per_atom_trimmed_strips(n, edges, rmax, apc):
    # truth: explicit image enumeration (seed 11); orthogonal boxes take the per-atom strip
    # trimming of the cell list, both with rmax above the box widths and with many cells
    rng = np.random.default_rng(11)
    lat = np.diag(edges)
    pos = rng.random((n, 3)) @ lat
    t = rng.integers(0, 3, n)
    lab = rng.integers(-1, 2, n)
    h = pair_histogram(
        pos, r_max_A=rmax, dr_A=0.047, types=t, labels=lab, lattice_A=lat, atoms_per_cell=apc
    )
    ref = _brute(pos, lat, t, lab, rmax, 0.047, 3)
    # exact counts (a float64 distance on a bin edge would be a 1e-12 accident)
    np.testing.assert_allclose(h.counts, ref, atol=1e-9)


def test_open_box_and_all_pairs_match_pdist():
    from scipy.spatial.distance import pdist

    rng = np.random.default_rng(3)
    pos = rng.normal(size=(300, 3)) * 6
    d = pdist(pos)
    h = pair_histogram(pos, r_max_A=7.5, dr_A=0.1)
    ref = np.histogram(d[d < 7.5], bins=np.arange(h.counts.shape[-1] + 1) * 0.1)[0]
    np.testing.assert_allclose(h.counts.sum(axis=(0, 1)), ref, atol=1e-9)
    h_all = pair_histogram(pos, r_max_A=None, dr_A=0.1)
    ref_all = np.histogram(d, bins=np.arange(h_all.counts.shape[-1] + 1) * 0.1)[0]
    np.testing.assert_allclose(h_all.counts.sum(axis=(0, 1)), ref_all, atol=1e-9)


def test_linear_spread_keeps_count_and_first_moment():
    # cloud-in-cell: weights sum to the pair count and their mean position is the exact distance
    pos = np.array([[0.0, 0.0, 0.0], [0.0, 0.0, 2.3456]])
    h = pair_histogram(pos, r_max_A=None, dr_A=0.01, spread="linear")
    c = h.counts.sum(axis=(0, 1))
    assert c.sum() == pytest.approx(1.0, abs=1e-12)
    assert (c * h.r_A).sum() == pytest.approx(2.3456, abs=1e-12)


def test_fcc_nickel_shells():
    # closed form: fcc shells at a/√2, a, a√(3/2), a√2, a√(5/2) hold 12, 6, 24, 12, 24 neighbours
    a = 3.52387
    frac = np.array([[0, 0, 0], [0, 0.5, 0.5], [0.5, 0, 0.5], [0.5, 0.5, 0]])
    lat = np.eye(3) * a
    h = pair_histogram(frac @ lat, r_max_A=a * 1.62, dr_A=0.001, lattice_A=lat)
    per_atom = 2 * h.counts.sum(axis=(0, 1)) / 4
    for shell, n in zip(np.sqrt([0.5, 1, 1.5, 2, 2.5]) * a, (12, 6, 24, 12, 24), strict=True):
        sel = np.abs(h.r_A - shell) < 0.01
        assert per_atom[sel].sum() == pytest.approx(n, abs=1e-9)
    assert per_atom.sum() == pytest.approx(78, abs=1e-9)


def test_network_kinds_and_weights():
    # two interpenetrated "nets": labels 0/1 alternate along a chain; the chain step pairs are inter
    pos = np.array([[0.0, 0, 0], [1.0, 0, 0], [2.0, 0, 0], [3.0, 0, 0]])
    lab = np.array([0, 1, 0, -1])
    w = np.array([1.0, 0.5, 1.0, 1.0])
    h = pair_histogram(pos, r_max_A=1.5, dr_A=0.1, labels=lab, weights=w)
    c = h.counts[0].sum(axis=-1)
    # pairs at 1 Å: (0,1) inter w=.5, (1,2) inter w=.5, (2,3) other w=1
    assert c.tolist() == pytest.approx([0.0, 1.0, 1.0])
