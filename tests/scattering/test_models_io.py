"""Atom-model readers against ASE's readers and hand-written files; nanoparticle cuts."""

from __future__ import annotations

import numpy as np
import pytest

from mofglass.errors import InputFormatError
from mofglass.scattering.models import nanoparticle
from mofglass.scattering.models_io import iter_frames, read_model
from mofglass.structure import read_structure
from tests.scattering.conftest import shared


def test_xyz_matches_ase():
    # truth: ase.io.read on the same file (independent parser)
    import ase.io

    path = shared("zif62-widmer2019/ZIF-62-optimized.xyz")
    m = read_model(path)
    ref = ase.io.read(path)
    assert m.lattice_A is None
    assert list(m.species) == ref.get_chemical_symbols()
    np.testing.assert_allclose(m.positions_A, ref.positions, atol=1e-9)


def test_lammps_data_matches_ase():
    import ase.io

    path = shared("zif4-reaxff-castel2022/ZIF-4_crystal_singlecell.data")
    m = read_model(path)
    ref = ase.io.read(path, format="lammps-data", atom_style="charge")
    assert m.n_atoms == 272
    assert sorted(set(m.species)) == ["C", "H", "N", "Zn"]
    np.testing.assert_allclose(m.lattice_A, ref.cell[:], atol=1e-6)
    # ase keeps file order; both sorted by atom id here
    np.testing.assert_allclose(m.positions_A, ref.positions, atol=1e-6)


def test_extxyz_trajectory_streams_frames(tmp_path):
    import ase
    import ase.io

    rng = np.random.default_rng(5)
    cell = np.array([[9.0, 0, 0], [1.0, 8.0, 0], [0.5, 0.2, 10.0]])
    frames = [
        ase.Atoms("Zn2N4C6", positions=rng.random((12, 3)) * 8, cell=cell, pbc=True)
        for _ in range(3)
    ]
    path = tmp_path / "traj.extxyz"
    ase.io.write(path, frames, format="extxyz")
    got = list(iter_frames(path))
    assert len(got) == 3
    for g, f in zip(got, frames, strict=True):
        assert list(g.species) == f.get_chemical_symbols()
        np.testing.assert_allclose(g.positions_A, f.positions, atol=1e-6)
        np.testing.assert_allclose(g.lattice_A, cell, atol=1e-9)


def test_lammps_dump_scaled_and_unscaled(tmp_path):
    # hand-written two-frame dump: frame 1 Cartesian, frame 2 scaled coordinates
    text = """ITEM: TIMESTEP
0
ITEM: NUMBER OF ATOMS
2
ITEM: BOX BOUNDS pp pp pp
0.0 10.0
0.0 12.0
-1.0 9.0
ITEM: ATOMS id element x y z
2 N 1.0 2.0 3.0
1 Zn 0.5 0.5 0.5
ITEM: TIMESTEP
10
ITEM: NUMBER OF ATOMS
2
ITEM: BOX BOUNDS pp pp pp
0.0 10.0
0.0 12.0
-1.0 9.0
ITEM: ATOMS id element xs ys zs
1 Zn 0.1 0.5 0.5
2 N 0.2 0.25 0.0
"""
    path = tmp_path / "run.lammpstrj"
    path.write_text(text)
    f1, f2 = list(iter_frames(path))
    assert f1.species == ("Zn", "N")
    np.testing.assert_allclose(f1.positions_A, [[0.5, 0.5, 1.5], [1.0, 2.0, 4.0]])
    np.testing.assert_allclose(f2.positions_A, [[1.0, 6.0, 5.0], [2.0, 3.0, 0.0]])
    np.testing.assert_allclose(f1.lattice_A, np.diag([10.0, 12.0, 10.0]))


def test_bad_xyz_names_line(tmp_path):
    path = tmp_path / "bad.xyz"
    path.write_text("3\ncomment\nC 0 0 0\nC 1 0\n")
    with pytest.raises(InputFormatError, match=r"bad\.xyz:\d+"):
        read_model(path)


def test_glass_model_cif_is_periodic():
    m = read_model(shared("zif-glass-models-gaillac2020/ZIF4_15glass01.cif"))
    assert m.lattice_A is not None
    assert set(m.species) == {"Zn", "N", "C", "H"}


def test_nanoparticle_sphere():
    # every kept atom lies within the radius; a 20 Å Ni sphere holds ~ ρ·(4/3)π·10³ atoms
    # (ρ = 4/a³ = 0.0914 Å⁻³ → 383 atoms; surface granularity tol 10 %)
    c = read_structure(shared("pdf-diffpy-examples/ni.cif"))
    np_ = nanoparticle(c, 20.0)
    assert np.linalg.norm(np_.positions_A, axis=1).max() <= 10.0 + 1e-9
    assert np_.n_atoms == pytest.approx(4 / 3.52387**3 * 4 / 3 * np.pi * 1000, rel=0.1)
