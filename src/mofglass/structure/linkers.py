"""Linker substitution: imidazolate (im) → 2-methylimidazolate (mim) or benzimidazolate (bim).

After a model is regularised by distance least squares (:func:`mofglass.structure.build.
build_model`), every imidazolate ring of the model is a rigid, planar ring with standard bond
lengths on its M···M link. A substituted linker is made by placing a rigid substituent on
that ring, in its frame (riding on it, as SHELXL's riding models do):

- ``mim``: the H on C2 is replaced by a methyl C on the external bisector of the N-C2-N angle
  at :data:`C_METHYL_A`, with six half-occupied H at 60° steps about the C2-C axis (C-H
  :data:`CH3_H_A`, H-C-C 109.47°: the rotationally disordered methyl of ZIF-8 CIFs);
- ``bim``: the H on C4 and C5 are replaced by a benzo ring fused on C4-C5 (a regular hexagon of
  side :data:`BENZO_CC_A` on the ring's outer side) with its four aromatic H (C-H 0.93 Å).

Each substituent is built from its own ring, and its atoms are placed symmetrically about the
ring's local mirrors (N1 ↔ N3, and the ring plane), so symmetry-related rings get
symmetry-related substituents and the model keeps its space group. The substituent does not
enter the distance least squares (the cell follows the M-N and ring restraints; steric
contacts of the new groups are not restrained).

References
----------
.. [1] F. H. Allen et al., J. Chem. Soc. Perkin Trans. 2 (1987) S1-S19 (C(ar)-CH3 1.49-1.51,
   aromatic C-C 1.38-1.40 Å).
.. [2] G. M. Sheldrick, Acta Cryst. C 71, 3 (2015) (SHELXL riding H: methyl C-H 0.96 Å,
   aromatic C-H 0.93 Å at room temperature).
.. [3] K. S. Park et al., PNAS 103, 10186 (2006) (ZIF-8, Zn(mim)2, sod).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping

import numpy as np

from mofglass.structure.bonds import find_bonds
from mofglass.structure.crystal import Crystal
from mofglass.structure.restraints import bond_adjacency, imidazolate_rings

__all__ = [
    "BENZO_CC_A",
    "CH3_H_A",
    "C_METHYL_A",
    "LINKERS",
    "parse_linker_substitution",
    "substitute_linkers",
]

#: C2-C(methyl) bond of 2-methylimidazolate, Å (C(ar)-CH3, Allen et al. 1987).
C_METHYL_A = 1.49
#: Methyl C-H (SHELXL riding, X-ray), Å.
CH3_H_A = 0.96
#: Benzo ring C-C (aromatic, Allen et al. 1987), Å.
BENZO_CC_A = 1.39
_AROMATIC_CH_A = 0.93

#: Linkers a template imidazolate can be turned into.
LINKERS = {"mim": "2-methylimidazolate", "bim": "benzimidazolate"}


def parse_linker_substitution(specs: list[str] | str) -> dict[str, str]:
    """``["im=mim"]`` → ``{"im": "mim"}``; only imidazolate (im) to mim or bim is known.

    Parameters
    ----------
    specs : list of str or str
        ``OLD=NEW`` items (comma-separated or repeated).

    Returns
    -------
    dict
        The substitution.
    """
    from mofglass.structure.build import assignments

    out: dict[str, str] = {}
    for part, old, sep, new in assignments(specs):
        if not sep or old != "im" or new not in LINKERS:
            raise ValueError(
                "--substitute-linker expects im=mim or im=bim (imidazolate of the template "
                f"to 2-methyl- or benzimidazolate), got {part!r}"
            )
        out[old] = new
    return out


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v)


def _methyl(p: dict[str, np.ndarray]) -> list[tuple[str, np.ndarray, float]]:
    """Place the methyl C and six half-occupied H on C2 of a ring at ``p`` (Cartesian)."""
    out_dir = _unit(-(_unit(p["N1"] - p["C2"]) + _unit(p["N3"] - p["C2"])))
    normal = _unit(np.cross(p["N1"] - p["C2"], p["N3"] - p["C2"]))
    side = np.cross(normal, out_dir)
    cm = p["C2"] + C_METHYL_A * out_dir
    atoms = [("C", cm, 1.0)]
    tilt = math.radians(180.0 - 109.47)
    for k in range(6):
        phi = math.radians(60.0 * k)
        radial = math.cos(phi) * side + math.sin(phi) * normal
        h = cm + CH3_H_A * (math.cos(tilt) * out_dir + math.sin(tilt) * radial)
        atoms.append(("H", h, 0.5))
    return atoms


def _benzo(p: dict[str, np.ndarray]) -> list[tuple[str, np.ndarray, float]]:
    """Place the four C and four H of a benzo ring fused on C4-C5 of a ring at ``p``."""
    centre = np.mean([p[k] for k in ("C2", "N1", "N3", "C4", "C5")], axis=0)
    mid = 0.5 * (p["C4"] + p["C5"])
    along = _unit(p["C4"] - p["C5"])
    up = _unit(mid - centre)
    up = _unit(up - (up @ along) * along)
    b, h = BENZO_CC_A, BENZO_CC_A * math.sqrt(3.0) / 2.0
    hex_centre = mid + h * up
    atoms = []
    for x, y in ((b, h), (b / 2, 2 * h), (-b / 2, 2 * h), (-b, h)):
        c = mid + x * along + y * up
        atoms.append(("C", c, 1.0))
        atoms.append(("H", c + _AROMATIC_CH_A * _unit(c - hex_centre), 1.0))
    return atoms


#: Closest approach allowed between atoms of two different new groups, and between a new atom
#: and the framework, Å (the shortest bonds made here are 0.93 Å C-H and 1.39 Å C-C).
CLASH_A = {"groups": 1.6, "framework": 1.2}


def _check_clashes(crystal: Crystal, group: np.ndarray) -> None:
    """Refuse a model whose new groups overlap each other or the framework."""
    from ase import Atoms
    from ase.neighborlist import neighbor_list

    atoms = Atoms(
        symbols=list(crystal.species),
        positions=crystal.positions_A,
        cell=crystal.lattice_A,
        pbc=True,
    )
    i, j, d = neighbor_list("ijd", atoms, CLASH_A["groups"])
    new_i, new_j = group[i] >= 0, group[j] >= 0
    bad = (new_i & new_j & (group[i] != group[j])) | ((new_i ^ new_j) & (d < CLASH_A["framework"]))
    if bad.any():
        k = int(np.argmin(np.where(bad, d, np.inf)))
        lab = crystal.labels
        raise ValueError(
            f"the substituted linkers overlap ({lab[i[k]]}···{lab[j[k]]} {d[k]:.2f} Å, "
            f"{int(bad.sum()) // 2} contacts): the template's ring orientations leave no room "
            "for the new groups (they would need ring rotations the template does not have)"
        )


def substitute_linkers(crystal: Crystal, mapping: Mapping[str, str]) -> tuple[Crystal, list[str]]:
    """Turn every imidazolate of a model into the linker of ``mapping`` (``{"im": "mim"}``).

    Parameters
    ----------
    crystal : Crystal
        A periodic model whose imidazolates are regular (after distance least squares).
    mapping : mapping
        ``{"im": "mim"}`` or ``{"im": "bim"}``.

    Returns
    -------
    tuple
        (the substituted crystal, notes: how many rings were changed).

    Raises
    ------
    ValueError
        No imidazolate in the model, or the new groups overlap (closer than
        :data:`CLASH_A`): a riding substituent cannot fix the template's ring orientations.
    """
    new = mapping.get("im")
    if not new:
        return crystal, []
    if crystal.lattice_A is None:
        raise ValueError("linker substitution needs a periodic model")
    lat = np.asarray(crystal.lattice_A, dtype=float)
    cart = np.asarray(crystal.positions_A, dtype=float)
    species = list(crystal.species)
    adj = bond_adjacency(find_bonds(crystal))
    drop: set[int] = set()
    added: list[tuple[str, np.ndarray, float, float, str]] = []
    n_rings = 0
    for ring in imidazolate_rings(species, adj):
        n_rings += 1
        pos = {k: cart[i] + np.asarray(off) @ lat for k, (i, off) in ring.items()}
        replaced = ("C2",) if new == "mim" else ("C4", "C5")
        for name in replaced:
            i, _ = ring[name]
            drop.update(x[0] for x in adj[i] if species[x[0]] == "H")
        parent = ring["C2"][0]
        group = _methyl(pos) if new == "mim" else _benzo(pos)
        for el, xyz, occ in group:
            added.append((el, xyz, occ, float(crystal.uiso_A2[parent]), f"{new}{n_rings}"))
    if n_rings == 0:
        raise ValueError("--substitute-linker im=...: the template has no imidazolate ring")
    keep = [k for k in range(len(species)) if k not in drop]
    inv = np.linalg.inv(lat)
    frac = np.vstack([crystal.frac[keep], np.array([a[1] for a in added]) @ inv % 1.0])
    labels = [crystal.labels[k] for k in keep]
    counts: dict[str, int] = defaultdict(int)
    for el, *_ in added:
        counts[el] += 1
        labels.append(f"{el}{new}{counts[el]}")
    out = Crystal.from_fractional(
        [species[k] for k in keep] + [a[0] for a in added],
        frac,
        lat,
        occupancy=np.concatenate([crystal.occupancy[keep], [a[2] for a in added]]),
        uiso_A2=np.concatenate([crystal.uiso_A2[keep], [a[3] for a in added]]),
        labels=labels,
        source=crystal.source,
        spacegroup=crystal.spacegroup,
    )
    out.metadata.update(crystal.metadata)
    group_of = np.concatenate([np.full(len(keep), -1), [int(a[4][len(new) :]) for a in added]])
    _check_clashes(out, group_of)
    note = (
        f"linker im -> {new} ({LINKERS[new]}) on {n_rings} rings: substituent riding on each "
        "regularised ring (not in the distance least squares)"
    )
    return out, [note]
