"""Ordering of sites shared by two elements (substitutional disorder) for model building.

M(CN)2 frameworks are deposited with the cyanide's C and N sharing one site at half occupancy
(head-to-tail disorder, e.g. Zn(CN)2 in Pn-3m, Williams et al., J. Solid State Chem. 134
(1997) 164). Distance least squares needs one element per site: :func:`order_mixed_sites`
makes an ordered model (C at one end of every C≡N dumbbell, N at the other).
"""

from __future__ import annotations

import numpy as np

from mofglass.structure.crystal import Crystal

__all__ = ["order_mixed_sites"]


def order_mixed_sites(crystal: Crystal, *, tol_A: float = 0.1) -> Crystal | None:
    """Order sites shared by two elements (occupancies summing to 1), or None if there are none.

    Such a site (C/N of a disordered cyanide) becomes one atom. Two mixed sites bonded to each
    other (a C≡N dumbbell, closer than 1.4 Å) get one C and one N: the C at the end nearer the
    metal listed first in the file (an ordered head-to-tail arrangement; the symmetry found
    afterwards is that of the ordered model, e.g. P-43m for Pn-3m M(CN)2). Other mixed sites
    keep their majority element.
    """
    from ase.neighborlist import primitive_neighbor_list

    from mofglass.structure.bonds import is_metal

    lat = crystal.lattice_A
    if lat is None or crystal.n_atoms < 2:
        return None
    pos = crystal.positions_A
    i, j = primitive_neighbor_list("ij", (True,) * 3, lat, pos, tol_A)
    occ, sp = crystal.occupancy, crystal.species
    groups: dict[int, set[int]] = {}
    for a, b in zip(i.tolist(), j.tolist(), strict=True):
        if a < b and sp[a] != sp[b] and abs(occ[a] + occ[b] - 1.0) < 0.05:
            groups.setdefault(a, {a}).add(b)
    if not groups:
        return None
    rep = {a: sorted(g) for a, g in groups.items()}
    drop = {b for g in rep.values() for b in g[1:]}
    keep = [k for k in range(crystal.n_atoms) if k not in drop]
    species = list(sp)
    metals = [k for k in range(crystal.n_atoms) if is_metal(sp[k])]
    ii, jj, dd = primitive_neighbor_list("ijd", (True,) * 3, lat, pos, 1.4)
    partner: dict[int, int] = {}
    for a, b, x in zip(ii.tolist(), jj.tolist(), dd.tolist(), strict=True):
        if a in rep and b in rep and x > tol_A:
            partner[a] = b
    for a, members in rep.items():
        elements = sorted({sp[m] for m in members})
        if elements == ["C", "N"] and a in partner:
            b = partner[a]
            da = min(_dist(pos[a], pos[m], lat) for m in metals[:1]) if metals else 0.0
            db = min(_dist(pos[b], pos[m], lat) for m in metals[:1]) if metals else 0.0
            species[a] = "C" if (da, a) < (db, b) else "N"
        else:
            species[a] = sp[max(members, key=lambda m: occ[m])]
    return Crystal(
        species=tuple(species[k] for k in keep),
        positions_A=pos[keep],
        lattice_A=lat,
        occupancy=np.ones(len(keep)),
        uiso_A2=crystal.uiso_A2[keep],
        labels=tuple(crystal.labels[k] for k in keep),
        source=crystal.source,
        spacegroup=crystal.spacegroup,
        metadata={
            **crystal.metadata,
            "warnings": [
                *list(crystal.metadata.get("warnings", [])),  # type: ignore[call-overload]
                f"{len(rep)} sites shared by two elements ordered (C/N dumbbells head-to-tail)",
            ],
        },
    )


def _dist(p: np.ndarray, q: np.ndarray, lat: np.ndarray) -> float:
    f = (q - p) @ np.linalg.inv(lat)
    return float(np.linalg.norm((f - np.round(f)) @ lat))
