"""Crystallites among other atoms: the split (lattice sums + all pairs + cross pairs) equals the
all-pairs histogram of the whole model (scipy pdist and the pair engine as truths)."""

from __future__ import annotations

import numpy as np
from scipy.spatial.distance import pdist

from mofglass.scattering.crystallites import crystallite
from mofglass.scattering.mixed import mixed_pair_histogram
from mofglass.scattering.pairs import pair_histogram
from mofglass.scattering.shapes import Sphere
from mofglass.structure import Crystal, read_structure
from tests.scattering.conftest import REFERENCE, shared


def test_mixed_model_equals_all_pairs():
    ni = read_structure(shared("pdf-diffpy-examples/ni.cif"))
    cdse = read_structure(REFERENCE / "cdse_wurtzite.cif")
    a = crystallite(ni, Sphere(14.0))
    b = crystallite(cdse, Sphere(16.0))
    rng = np.random.default_rng(3)
    glass_pos = rng.uniform(-20, 20, size=(300, 3))
    sp = rng.choice(["Zn", "N", "C"], 300)
    glass = Crystal(tuple(sp), glass_pos, None, np.ones(300), np.full(300, 0.01), tuple(sp))
    parts = [(a, np.zeros(3)), (b, np.array([25.0, 3.0, -2.0]))]
    h, types = mixed_pair_histogram(parts, glass, dr_A=0.004, spread="linear")
    # the whole model's atoms, typed the same way, through the all-pairs engine
    pos = np.vstack(
        [np.vstack([cr.positions_of(i) for i in range(cr.crystal.n_atoms)]) + s for cr, s in parts]
        + [glass_pos]
    )
    keys = []
    for cr, _ in parts:
        for i in range(cr.crystal.n_atoms):
            keys += [(cr.crystal.species[i], round(float(cr.crystal.uiso_A2[i]), 8))] * int(
                cr.site_counts[i]
            )
    keys += [(s, 0.01) for s in sp]
    t = np.array([types.index(k) for k in keys])
    ref = pair_histogram(pos, r_max_A=None, dr_A=0.004, types=t, spread="linear")
    n = min(h.counts.shape[-1], ref.counts.shape[-1])
    assert np.abs(h.counts[..., :n] - ref.counts[..., :n]).max() <= 1e-10 * ref.counts.max()
    assert not h.counts[..., n:].any() and not ref.counts[..., n:].any()
    np.testing.assert_allclose(h.type_weight, ref.type_weight)
    # and the total against scipy
    hb, _ = mixed_pair_histogram(parts, glass, dr_A=0.0099713, spread="bin")
    truth = np.bincount((pdist(pos) / 0.0099713).astype(int))
    np.testing.assert_allclose(hb.counts.sum(axis=(0, 1))[: truth.size], truth, atol=1e-9)


def test_mixed_debye_equals_debye_of_all_atoms():
    from mofglass.scattering.crystallites import crystallite_model
    from mofglass.scattering.debye import debye_from_histogram, debye_intensity

    ni = read_structure(shared("pdf-diffpy-examples/ni.cif"))
    a = crystallite(ni, Sphere(16.0))
    rng = np.random.default_rng(5)
    glass_pos = rng.uniform(-14, 14, size=(150, 3))
    glass = Crystal(("C",) * 150, glass_pos, None, np.ones(150), np.full(150, 0.01), ("C",) * 150)
    q = np.arange(0.5, 20.0, 0.02)
    h, types = mixed_pair_histogram([(a, np.zeros(3))], glass, dr_A=0.001, spread="linear")
    mixed = debye_from_histogram(h, types, q)
    m = crystallite_model(a)
    whole = Crystal(
        m.species + glass.species,
        np.vstack([m.positions_A, glass_pos]),
        None,
        np.ones(m.n_atoms + 150),
        np.concatenate([m.uiso_A2, glass.uiso_A2]),
        m.labels + glass.labels,
    )
    ref = debye_intensity(whole, q, route="histogram", dr_A=0.001)
    assert np.abs(mixed.intensity - ref.intensity).max() <= 1e-6 * ref.intensity.max()
    assert mixed.partials.keys() == ref.partials.keys()


def test_periodic_box_with_crystallites_equals_all_pairs():
    # two ZIF-4 crystallites (one rotated) and glass atoms (the Gaillac et al. 2020 ab initio
    # ZIF-4 glass, tiled) in a periodic box; truth: the periodic cell-list route over all atoms
    from mofglass.scattering.mixed import periodic_mixed_pair_histogram
    from mofglass.scattering.models import supercell

    zif4 = read_structure(shared("raspa2-zif-cifs/ZIF-4.cif"))
    glass_cell = read_structure(shared("zif-glass-models-gaillac2020/ZIF4_15glass01.cif"))
    glass = supercell(glass_cell, (4, 4, 3))
    box = glass.lattice_A
    rot = np.array([[0.0, -1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
    turned = Crystal.from_fractional(
        zif4.species, zif4.frac, zif4.lattice_A @ rot.T, uiso_A2=zif4.uiso_A2
    )
    a = crystallite(zif4, Sphere(16.0))
    b = crystallite(turned, Sphere(14.0), centre_frac=(0.0, 0.0, 0.0))
    # the second crystallite sticks out of the box: wrapped by the periodic boundary
    parts = [(a, np.array([12.0, 14.0, 20.0])), (b, np.array([55.0, 50.0, 3.0]))]
    centres = [s for _, s in parts]
    far = np.all([np.linalg.norm(glass.positions_A - c, axis=1) > 9.0 for c in centres], axis=0)
    others = Crystal(
        tuple(np.asarray(glass.species)[far]), glass.positions_A[far], None,
        glass.occupancy[far], glass.uiso_A2[far], tuple(np.asarray(glass.labels)[far]),
    )  # fmt: skip
    h, types = periodic_mixed_pair_histogram(
        parts, others, box, r_max_A=12.0, dr_A=0.004, spread="linear"
    )
    pos = np.vstack(
        [np.vstack([cr.positions_of(i) for i in range(cr.crystal.n_atoms)]) + s for cr, s in parts]
        + [others.positions_A]
    )
    keys = []
    for cr, _ in parts:
        for i in range(cr.crystal.n_atoms):
            keys += [(cr.crystal.species[i], round(float(cr.crystal.uiso_A2[i]), 8))] * int(
                cr.site_counts[i]
            )
    keys += [(s, round(float(u), 8)) for s, u in zip(others.species, others.uiso_A2, strict=True)]
    t = np.array([types.index(k) for k in keys])
    ref = pair_histogram(pos, r_max_A=12.0, dr_A=0.004, types=t, lattice_A=box, spread="linear")
    assert h.counts.shape == ref.counts.shape
    assert np.abs(h.counts - ref.counts).max() <= 1e-10 * ref.counts.max()
    assert h.volume_A3 == ref.volume_A3
    np.testing.assert_allclose(h.type_weight, ref.type_weight)
    # a crystallite meeting its own image within rmax is refused
    import pytest

    with pytest.raises(ValueError, match="box width"):
        periodic_mixed_pair_histogram(parts, others, box, r_max_A=50.0)
