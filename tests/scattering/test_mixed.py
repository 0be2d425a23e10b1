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
    ref = pair_histogram(pos, rmax_A=None, dr_A=0.004, types=t, spread="linear")
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
