"""Healed glass-ceramic interfaces on real files: RASPA ZIF-8 crystallites of 2.5 nm in the
Gaillac et al. (2020) ab initio ZIF-8 glass.

Truths: the bond graph of the whole healed box by covalent radii (ASE's neighbour list through
:func:`mofglass.structure.bonds.find_bonds`, independent of the healing's own k-d tree units):
every organic molecule a whole 2-methylimidazolate (C4H5N2, 11 atoms), every metal bonded
only to N, no N to two metals, no atom of one unit within bonding distance of another; the
chemistry counts the 4-coordinated interface metals.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from mofglass.models.glass.ceramic import build_glass_ceramic, explicit_atoms
from mofglass.models.glass.ceramic_clear import clear_contacts
from mofglass.models.glass.ceramic_heal import heal_interfaces
from mofglass.models.glass.ceramic_interface import interface_contacts
from mofglass.structure import Crystal, read_structure
from mofglass.structure.bonds import find_bonds


@pytest.fixture(scope="module", params=[False, True], ids=["crystal_fixed", "crystal_moves"])
def healed(shared_data, request):
    crystal = read_structure(shared_data / "raspa2-zif-cifs" / "ZIF-8.cif")
    glass = read_structure(shared_data / "zif-glass-models-gaillac2020" / "ZIF8_15glass01.cif")
    model = build_glass_ceramic(
        crystal, glass, diameter_nm=2.5, fraction=0.1, min_atoms=5000, seed=1
    )
    return model, heal_interfaces(model, shell_A=6.0, move_crystal=request.param)


def _whole_box(model) -> Crystal:
    parts = [np.vstack([cr.positions_of(i) for i in range(cr.crystal.n_atoms)]) + c
             for cr, c in model.parts]  # fmt: skip
    species = [e for cr, _ in model.parts for e in np.repeat(cr.crystal.species, cr.site_counts)]
    other = explicit_atoms(model)
    pos = np.vstack([*parts, other.positions_A])
    species += list(other.species)
    n = len(pos)
    return Crystal(tuple(species), pos, model.lattice_A, np.ones(n), np.zeros(n), tuple(species))


def test_healed_box_is_whole_linkers_bonded_to_metals_only(healed):
    _, res = healed
    box = _whole_box(res.model)
    assert box.n_atoms == res.model.n_atoms
    bonds = find_bonds(box)  # raises on atoms on top of each other
    sp = np.array(box.species)
    metal = sp == "Zn"
    i, j = bonds.i, bonds.j
    # metals bond to N only, never to each other
    mi = np.where(metal[i], i, j)
    other = np.where(metal[i], j, i)
    m_bonds = metal[i] | metal[j]
    assert not (metal[i] & metal[j]).any()
    assert set(sp[other[m_bonds]].tolist()) == {"N"}
    # no N bonded to two metals
    assert np.bincount(other[m_bonds], minlength=box.n_atoms).max() == 1
    # every organic molecule is one whole 2-methylimidazolate: no contact joins two of them
    org = ~m_bonds
    g = coo_matrix((np.ones(org.sum()), (i[org], j[org])), shape=(box.n_atoms,) * 2)
    _, lab = connected_components(g, directed=False)
    sizes = np.bincount(lab[~metal])
    assert set(sizes[sizes > 0].tolist()) == {11}
    # and no metal has more than 4 N
    assert np.bincount(mi[m_bonds], minlength=box.n_atoms)[metal].max() == 4
    assert res.contacts_healed == (0, 0)


def test_healing_raises_four_coordination_at_the_interface(healed):
    _, res = healed
    before, after = res.fraction_four_connected("before"), res.fraction_four_connected("after")
    assert after > before + 0.1
    assert sum(res.linkers_inserted.values()) > 10
    # the count of the report is the chemistry's: interface metals with 4 N neighbours
    assert res.interface_metals[0] + res.interface_metals[1] > 50
    assert res.unhealed[0] + res.unhealed[1] == sum(res.interface_metals) - sum(
        res.four_connected_after
    )
    assert res.no_partner[0] <= res.unhealed[0] and res.no_partner[1] <= res.unhealed[1]
    # the crystallites were cut the same way (congruent: one lattice sum serves both)
    m0, m1 = (cr.masks for cr, _ in res.model.parts)
    np.testing.assert_array_equal(m0, m1)
    assert res.model.surface is not None
    n_cr = res.model.n_crystal_atoms
    assert n_cr == sum(cr.n_atoms for cr, _ in res.model.parts) + res.model.surface.n_atoms
    assert "4-connected" in res.report()


def test_healing_counts_the_units_it_removes(healed):
    _, res = healed
    # nothing removed when the relaxations left no contact; never a contact at the end
    assert res.contacts_healed == (0, 0)
    if res.contacts_relaxed == (0, 0):
        assert res.units_removed == (0, 0)
    assert "still in contact" in res.report()


def _cross_bonds(model) -> int:
    """Crystal-glass pairs within covalent bonding distance (ASE's neighbour list)."""
    box = _whole_box(model)
    bonds = find_bonds(box)
    n_cr = sum(cr.n_atoms for cr, _ in model.parts)
    return int(((bonds.i < n_cr) != (bonds.j < n_cr)).sum())


def test_clear_contacts_removes_and_counts_the_units_in_contact(shared_data):
    crystal = read_structure(shared_data / "raspa2-zif-cifs" / "ZIF-8.cif")
    glass = read_structure(shared_data / "zif-glass-models-gaillac2020" / "ZIF8_15glass01.cif")
    model = build_glass_ceramic(
        crystal, glass, diameter_nm=2.5, fraction=0.1, min_atoms=5000, seed=1
    )
    # as built, glass atoms sit within bonding distance of the crystallites
    assert interface_contacts(model, shell_A=6.0)[0] > 0
    assert _cross_bonds(model) > 0
    cleared, (n_metals, n_linkers) = clear_contacts(model, shell_A=6.0)
    assert interface_contacts(cleared, shell_A=6.0) == (0, 0)
    assert _cross_bonds(cleared) == 0
    # what went is counted: the glass lost exactly the metals counted, and some linker atoms
    sp0, sp1 = np.array(model.glass.species), np.array(cleared.glass.species)
    assert (sp0 == "Zn").sum() - (sp1 == "Zn").sum() == n_metals
    assert n_linkers > 0 and (sp0 != "Zn").sum() > (sp1 != "Zn").sum()
    assert cleared.parts is model.parts and "removed" in cleared.relaxed
    # a model without contacts is returned as it is
    again, removed = clear_contacts(cleared, shell_A=6.0)
    assert again is cleared and removed == (0, 0)
