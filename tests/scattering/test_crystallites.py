"""Crystallites by lattice sums: the same atoms, pair histograms and I(Q) as the all-pairs route.

Truths: the pair distances of the crystallite's atoms from scipy's ``pdist`` (an independent
all-pairs count, integer histograms must be equal), the all-pairs pair engine on the same atoms
(max |ΔH| / max H <= 1e-10 with the linear spread, I(Q) to 1e-6), and the atom sets of the
existing sphere cutter :func:`mofglass.scattering.models.nanoparticle`.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial.distance import pdist

from mofglass.scattering.crystallites import (
    crystallite,
    crystallite_model,
    crystallite_of,
    lattice_pair_histogram,
)
from mofglass.scattering.debye import _types, debye_intensity
from mofglass.scattering.models import nanoparticle
from mofglass.scattering.pairs import pair_histogram
from mofglass.scattering.shapes import Mask, Polyhedron, Sphere, Spheroid, parse_shape
from mofglass.structure import Crystal, read_structure
from tests.scattering.conftest import REFERENCE, shared


def _structure(name: str) -> tuple[Crystal, np.ndarray | None]:
    if name == "ni":
        return read_structure(shared("pdf-diffpy-examples/ni.cif")), None
    if name == "cdse":
        return read_structure(REFERENCE / "cdse_wurtzite.cif"), None
    if name == "zif8":
        return read_structure(shared("zif8-zif67-ccdc-cifs/ZIF-8.cif")), None
    from mofglass.structure import network_labels
    from mofglass.structure.build import imidazolate_model

    # the demo's Cd(im)2 model: dia-c, two interpenetrated networks
    cd = imidazolate_model(metal="Cd", m_m_A=6.4, copies_shift=((0.5, 0.0, 0.0),))
    return cd, np.asarray(network_labels(cd), dtype=np.int64)


def _pdist_hist(model: Crystal, dr: float) -> np.ndarray:
    """Σ w_i w_j of all pairs i < j in bins of dr, from scipy's pdist (the truth)."""
    w = model.occupancy
    iu = np.triu_indices(model.n_atoms, k=1)
    return np.bincount((pdist(model.positions_A) / dr).astype(int), weights=(w[iu[0]] * w[iu[1]]))


def _atom_labels(cr, basis_labels: np.ndarray) -> np.ndarray:
    return np.repeat(basis_labels, cr.site_counts)


@pytest.mark.parametrize(
    ("name", "diameter"), [("ni", 24.0), ("cdse", 26.0), ("zif8", 24.0), ("cdim2", 26.0)]
)
def test_lattice_histogram_equals_all_pairs(name, diameter):
    crystal, labels = _structure(name)
    cr = crystallite(crystal, Sphere(diameter))
    model = crystallite_model(cr)
    assert 300 < model.n_atoms < 3000
    t, _, _ = _types(crystal)
    # integer counts in bins: equal to scipy's all-pairs distances (a bin width that no
    # lattice distance is a multiple of, so that no pair sits on a bin edge)
    dr = 0.0099713
    h = lattice_pair_histogram(cr, dr_A=dr, types=t, labels=labels, spread="bin")
    truth = _pdist_hist(model, dr)
    total = h.counts.sum(axis=(0, 1))
    np.testing.assert_allclose(total[: truth.size], truth, rtol=1e-12, atol=1e-9)
    assert not total[truth.size :].any()
    # linear spread, by type pair and network kind: the all-pairs engine on the same atoms
    at_t = np.repeat(t, cr.site_counts)
    at_l = None if labels is None else _atom_labels(cr, labels)
    a = lattice_pair_histogram(cr, dr_A=0.004, types=t, labels=labels, spread="linear")
    b = pair_histogram(
        model.positions_A,
        r_max_A=None,
        dr_A=0.004,
        types=at_t,
        labels=at_l,
        weights=model.occupancy,
        spread="linear",
    )
    assert a.counts.shape == b.counts.shape
    assert np.abs(a.counts - b.counts).max() <= 1e-10 * b.counts.max()
    np.testing.assert_allclose(a.type_weight, b.type_weight)
    if labels is not None:  # two networks: both intra and inter pairs are present
        assert a.counts[:, 0].sum() > 0 and a.counts[:, 1].sum() > 0


@pytest.mark.parametrize("name", ["ni", "cdse", "zif8", "cdim2"])
def test_lattice_debye_equals_all_pairs(name):
    crystal, _ = _structure(name)
    cr = crystallite(crystal, Sphere(22.0))
    model = crystallite_model(cr)
    q = np.arange(0.5, 25.0, 0.02)
    lat = debye_intensity(model, q, route="lattice")
    # auto: the model knows its crystallite; lattice sums where they beat all pairs (4-atom
    # cells), all pairs for 300 atoms of a 276-atom cell
    auto = debye_intensity(model, q).route
    assert auto == ("lattice" if crystal.n_atoms == 4 else "exact")
    allp = debye_intensity(model, q, route="histogram")
    assert np.abs(lat.intensity - allp.intensity).max() <= 1e-6 * allp.intensity.max()
    assert lat.partials.keys() == allp.partials.keys()
    assert lat.n_atoms == pytest.approx(allp.n_atoms)
    # and within the stated bin bound of the exact Debye sum over all pairs (Ni only: fast)
    if name == "ni":
        ex = debye_intensity(model, q, route="exact")
        pair_scale = np.abs(np.array(list(ex.partials.values()))).sum(axis=0).max()
        assert np.abs(ex.intensity - lat.intensity).max() <= 5 * lat.bin_error * pair_scale


def test_sphere_is_the_nanoparticle_cut():
    ni, _ = _structure("ni")
    cr = crystallite(ni, Sphere(30.0))
    a = crystallite_model(cr).positions_A
    b = nanoparticle(ni, 30.0).positions_A
    key = lambda p: np.lexsort(np.round(p, 6).T)  # noqa: E731
    np.testing.assert_allclose(a[key(a)], b[key(b)], atol=1e-9)


def test_changed_model_falls_back_to_all_pairs():
    ni, _ = _structure("ni")
    model = crystallite_model(crystallite(ni, Sphere(14.0)))
    assert crystallite_of(model) is not None
    moved = Crystal(
        model.species,
        model.positions_A * 1.01,  # strained: no longer the lattice
        None,
        model.occupancy,
        model.uiso_A2,
        model.labels,
        metadata=dict(model.metadata),
    )
    assert crystallite_of(moved) is None
    q = np.arange(0.5, 10.0, 0.05)
    assert debye_intensity(moved, q, route="auto").route in ("exact", "histogram")


def _brute_cut(crystal: Crystal, inside, radius: float, centre: np.ndarray) -> np.ndarray:
    lat = crystal.lattice_A
    k = int(np.ceil(radius / np.linalg.norm(lat, axis=1).min())) + 2
    ax = np.arange(-k, k + 1)
    cells = np.stack(np.meshgrid(ax, ax, ax, indexing="ij"), -1).reshape(-1, 3)
    pos = (cells[:, None, :] + crystal.frac[None]).reshape(-1, 3) @ lat - centre
    return pos[inside(pos)]


@pytest.mark.parametrize("kind", ["spheroid", "cube", "mask"])
def test_other_shapes(kind):
    cd, _ = _structure("cdse")
    if kind == "spheroid":
        shape = Spheroid(18.0, 30.0)
    elif kind == "cube":  # {100}-type hexagonal prism with basal facets: 8 facets
        facets = {
            (1, 0, 0): 9.0,
            (-1, 0, 0): 9.0,
            (0, 1, 0): 9.0,
            (0, -1, 0): 9.0,
            (1, -1, 0): 9.0,
            (-1, 1, 0): 9.0,
            (0, 0, 1): 12.0,
            (0, 0, -1): 12.0,
        }
        shape = Polyhedron.from_facets(cd.lattice_A, facets)
        # the hexagonal prism's vertices: sqrt((9 / cos 30°)² + 12²)
        assert shape.bounding_radius_A == pytest.approx(np.hypot(9.0 / np.cos(np.pi / 6), 12.0))
    else:  # a hollow shell: not convex, rows have two runs
        shape = Mask(lambda p: np.linalg.norm(p, axis=-1) >= 7.0, radius_A=13.0)
    cr = crystallite(cd, shape, centre_frac=(0.1, 0.2, 0.3))
    model = crystallite_model(cr)
    ref = _brute_cut(cd, shape.inside, shape.bounding_radius_A, cr.centre_A)
    assert model.n_atoms == ref.shape[0]
    h = lattice_pair_histogram(cr, dr_A=0.0099713, spread="bin")
    truth = _pdist_hist(model, 0.0099713)
    np.testing.assert_allclose(h.counts.sum(axis=(0, 1))[: truth.size], truth, atol=1e-9)


def test_parse_shape():
    assert parse_shape("sphere:50") == Sphere(50.0)
    assert parse_shape("spheroid:40,60") == Spheroid(40.0, 60.0)
    from mofglass.errors import MofglassError

    for bad in ("sphere", "cube:4", "sphere:-3", "sphere:abc"):
        with pytest.raises(MofglassError):
            parse_shape(bad)


@pytest.mark.parametrize(("name", "n_ops"), [("ni", 48), ("cdse", 6)])
def test_symmetry_orbits_give_the_same_histogram(name, n_ops):
    from mofglass.scattering.crystallite_symmetry import pair_orbits

    crystal, _ = _structure(name)
    cr = crystallite(crystal, Sphere(26.0), centre_frac=(0.0, 0.0, 0.0))
    t, _, _ = _types(crystal)
    ii, jj = np.triu_indices(crystal.n_atoms)
    _, mult, used = pair_orbits(
        cr.masks, cr.origin, crystal.frac, crystal.lattice_A, np.zeros(3), t + 1, ii, jj
    )
    # the site symmetry of the origin: m-3m (fcc Ni, on an atom), 3m (P6_3mc, 2a axis)
    assert used == n_ops and mult.sum() == ii.size
    a = lattice_pair_histogram(cr, dr_A=0.004, types=t, spread="linear", symmetry=True)
    b = lattice_pair_histogram(cr, dr_A=0.004, types=t, spread="linear", symmetry=False)
    assert np.abs(a.counts - b.counts).max() <= 1e-10 * b.counts.max()
    truth = _pdist_hist(crystallite_model(cr), 0.0099713)
    c = lattice_pair_histogram(cr, dr_A=0.0099713, types=t, spread="bin")
    np.testing.assert_allclose(c.counts.sum(axis=(0, 1))[: truth.size], truth, atol=1e-9)


def test_network_partials_of_a_crystallite():
    # Cd(im)2 dia-c: I(Q) split into intra- and inter-network pairs by lattice sums equals the
    # same split over all pairs; the two parts add up to the distinct-pair intensity
    crystal, labels = _structure("cdim2")
    cr = crystallite(crystal, Sphere(22.0))
    q = np.arange(0.5, 20.0, 0.02)
    lat = debye_intensity(cr, q, route="lattice", labels=labels)
    allp = debye_intensity(
        crystallite_model(cr), q, route="histogram", labels=_atom_labels(cr, labels)
    )
    assert set(lat.kind_partials) == {"intra", "inter"}
    scale = np.abs(allp.intensity - allp.self_intensity).max()
    for k in ("intra", "inter"):
        assert np.abs(lat.kind_partials[k] - allp.kind_partials[k]).max() <= 1e-8 * scale
    total = lat.kind_partials["intra"] + lat.kind_partials["inter"]
    np.testing.assert_allclose(total, lat.intensity - lat.self_intensity, atol=1e-9 * scale)


def test_debye_pattern_of_a_small_crystallite():
    # 2 nm CdSe sphere, Cu Kα1: the Debye pattern on a 2θ grid (non-uniform Q) equals the all-pairs
    # histogram route on the same Q; the strongest line near the wurtzite (002)/(100)/(101)
    # group (Bragg 2θ = 23.9°, 25.4°, 27.1° from a = 4.299 Å, c = 7.010 Å), broad
    from mofglass.scattering.debye_pattern import debye_pattern, polarisation_factor

    cdse, _ = _structure("cdse")
    cr = crystallite(cdse, Sphere(40.0))
    tt = np.arange(15.0, 60.0, 0.05)
    pat = debye_pattern(cr, wavelength_A=1.5406, two_theta_deg=tt)
    assert pat.debye.route == "lattice"
    q = 4 * np.pi * np.sin(np.radians(tt) / 2) / 1.5406
    ref = debye_intensity(crystallite_model(cr), q, route="histogram")
    ref_i = ref.intensity * polarisation_factor(tt)
    assert np.abs(pat.intensity - ref_i).max() <= 1e-6 * ref_i.max()
    assert 22.5 < tt[np.argmax(pat.intensity)] < 28.5
