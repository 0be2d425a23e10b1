"""Linker substitution in the model builder (mofglass.structure.linkers).

Truth: the real ZIF-8, Zn(mim)2 in sod (CCDC CIF in ../shared/data/zif8-zif67-ccdc-cifs:
I-43m, a = 16.8509 Å, 12 Zn per cell, C2-C(methyl) 1.491 Å, Zn···C(methyl) 3.373 Å, shortest
C(methyl)···C(methyl) 4.409 Å, measured on the CIF). Template: Zn(im)2 in sod (Lewis et al.,
CrystEngComm 11, 2272 (2009), the DFT-optimised P1 model named ZIF-8.cif), i.e. the same net
with plain imidazolate.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from ase import Atoms
from ase.neighborlist import neighbor_list

from mofglass.structure import analyse_structure, read_structure
from mofglass.structure.build import build_model
from mofglass.structure.linkers import parse_linker_substitution

TEMPLATE = "zif-structures-lewis2009/ZIF-8.cif"


def _methyl_geometry(crystal) -> tuple[float, float, float, float]:  # type: ignore[no-untyped-def]
    """(V per Zn, mean C2-CMe, mean of the two Zn···CMe per methyl, shortest CMe···CMe)."""
    atoms = Atoms(
        symbols=list(crystal.species),
        positions=crystal.positions_A,
        cell=crystal.lattice_A,
        pbc=True,
    )
    sp = np.array(crystal.species)
    i, j, d = neighbor_list("ijd", atoms, 7.0)
    near = d < 1.7
    methyl = [
        k
        for k in np.flatnonzero(sp == "C")
        if [sp[x] for x in j[(i == k) & near] if sp[x] != "H"] == ["C"]
    ]
    c2 = np.mean([d[(i == k) & (sp[j] == "C")].min() for k in methyl])
    zn = np.mean([np.sort(d[(i == k) & (sp[j] == "Zn")])[:2] for k in methyl])
    mm = min(d[(i == k) & np.isin(j, methyl)].min() for k in methyl)
    return atoms.get_volume() / float((sp == "Zn").sum()), float(c2), float(zn), float(mm)


def test_zif8_from_a_sod_zn_im2_template(shared, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    model = build_model(
        shared(TEMPLATE), free_cell=True, symprec_A=0.1, substitute_linker={"im": "mim"}
    )
    assert model.success
    real = read_structure(shared("zif8-zif67-ccdc-cifs/ZIF-8.cif"))
    v_real, c2_real, zn_real, mm_real = _methyl_geometry(real)
    v, c2, zn, mm = _methyl_geometry(model.crystal)
    # cell: the conventional a of the model ((12 V/Zn)^(1/3)) within 2 % of the real 16.8509 Å
    # (measured +0.9 %: the template is a DFT Zn(im)2, the real CIF a low-temperature ZIF-8)
    assert (12 * v) ** (1 / 3) == pytest.approx(16.8509, rel=0.02)
    assert (12 * v_real) ** (1 / 3) == pytest.approx(16.8509, rel=1e-4)
    # linker geometry: C2-CH3 within 0.02 Å (1.490 vs 1.491), Zn···CH3 within 0.05 Å (3.39 vs
    # 3.37: the N-C2-C angle on the bisector); positions: the shortest methyl···methyl contact
    # between linkers within 0.35 Å (4.14 vs 4.41: set by the ring tilts of the template)
    assert c2 == pytest.approx(c2_real, abs=0.02)
    assert zn == pytest.approx(zn_real, abs=0.05)
    assert mm == pytest.approx(mm_real, abs=0.35)
    s = analyse_structure(model.crystal)
    assert s.topology_label.startswith("sod") and s.formula == "C8H10N4Zn"
    assert any("im -> mim" in n for n in model.notes)
    # the CIF (space group + asymmetric unit) reads back to the same full cell
    out = tmp_path / "zif8_model.cif"
    out.write_text(model.cif_text(), encoding="utf-8")
    assert read_structure(out).n_atoms == model.crystal.n_atoms == 174


def test_bim_that_does_not_fit_the_template_is_refused(shared) -> None:  # type: ignore[no-untyped-def]
    # benzo rings on the Zn(im)2 sod rings as they are overlap their neighbours (ZIF-7/-9 need
    # rotated rings): the builder refuses rather than writing overlapping atoms
    with pytest.raises(ValueError, match="overlap"):
        build_model(
            shared(TEMPLATE), free_cell=True, symprec_A=0.1, substitute_linker={"im": "bim"}
        )


def test_linker_substitution_spelling() -> None:
    assert parse_linker_substitution(["im=mim"]) == {"im": "mim"}
    assert parse_linker_substitution("im=bim") == {"im": "bim"}
    for bad in ("im=xyz", "mim=im", "im"):
        with pytest.raises(ValueError, match="im=mim or im=bim"):
            parse_linker_substitution(bad)
