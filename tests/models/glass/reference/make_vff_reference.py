"""Regenerate vff_zif4_reference.json (run by hand, not by pytest).

    python tests/models/glass/reference/make_vff_reference.py --write

The energy and gradient of the metal-net valence force field (mofglass.models.glass.vff) on a
4-connected net: the ZIF-4 metal net (RASPA ZIF-4.cif, a 1x1x2 supercell) with its metals
displaced by a seeded 0.4 Å noise, a force field of build_crn's form with its wall and
repulsion reach set high (so that both act), written by the fixed-coordination code of commit
527c1f0 (before the variable-coordination rewrite): the rewrite must keep the CRN builder's
numbers.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import numpy as np

from mofglass.models.glass import metal_net, supercell_net
from mofglass.models.glass.vff import ForceField, min_image_pairs, net_energy
from mofglass.structure import build_framework, read_structure

HERE = Path(__file__).resolve().parent
DATA = HERE.parents[3] / ".." / "shared" / "data"


def zif4_case() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, ForceField, tuple]:
    """The perturbed ZIF-4 net, its force field and repulsion pairs (shared with the test)."""
    fw = build_framework(read_structure(DATA / "raspa2-zif-cifs" / "ZIF-4.cif"))
    net = supercell_net(metal_net(fw), (1, 1, 2), fw)
    d0 = float(np.mean(np.linalg.norm(net.bond_vectors(), axis=1)))
    ff = ForceField(
        d0_A=d0, k_bond=50.0, k_angle=0.25 * d0**2, r_rep_A=7.5, k_rep=50.0,
        cos_wall=math.cos(math.radians(100.0)), k_wall=10.0 * d0**2,
    )  # fmt: skip
    pos = net.positions_A + np.random.default_rng(5).normal(scale=0.4, size=net.positions_A.shape)
    pairs = {(min(a, b), max(a, b)) for a, b in net.edges.tolist()}
    rep = min_image_pairs(pos, net.lattice_A, ff.r_rep_A + 1.0, pairs)
    return pos, net.lattice_A, net.edges, net.offsets, ff, rep


if __name__ == "__main__":
    pos, lat, edges, offsets, ff, rep = zif4_case()
    energy, grad = net_energy(pos, lat, edges, offsets, ff, rep)
    out = {
        "made_by": "mofglass.models.glass.vff.net_energy at commit 527c1f0 (fixed z = 4)",
        "n_metals": len(pos),
        "n_repulsion_pairs": len(rep[0]),
        "energy": energy,
        "gradient": grad.tolist(),
    }
    if "--write" in sys.argv:
        (HERE / "vff_zif4_reference.json").write_text(json.dumps(out) + "\n")
    print(energy, len(rep[0]), np.abs(grad).max())
