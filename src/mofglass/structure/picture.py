"""Data for the network picture: metal nodes of a few cells with their network and linkers."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from mofglass.structure.framework import Framework
from mofglass.structure.properties import _metal_unit_graph

__all__ = ["network_picture"]


def network_picture(fw: Framework, *, repeat: tuple[int, int, int] = (2, 2, 1)) -> dict[str, Any]:
    """Metal-node positions (Å) over ``repeat`` cells, their network index and linker edges.

    JSON-ready: ``{"xyz_A": [[x, y, z], ...], "network": [...], "edges": [[i, j], ...],
    "cell_A": [[...], ...]}``; edges join nodes bridged by one linker (both inside the block).
    """
    cr = fw.crystal
    if cr.lattice_A is None:
        raise ValueError("a finite model has no cells to repeat")
    metal_units = [k for k, u in enumerate(fw.units) if u.kind == "metal"]
    index: dict[tuple[int, int, int, int], int] = {}
    xyz: list[list[float]] = []
    net: list[int] = []
    for cell in itertools.product(*(range(r) for r in repeat)):
        for k in metal_units:
            u = fw.units[k]
            f = np.array(u.frac)
            shift = np.floor(f)
            c = np.array(cell) - shift.astype(int)
            pos = (f - shift + np.array(cell)) @ cr.lattice_A
            index[(k, int(c[0]), int(c[1]), int(c[2]))] = len(xyz)
            xyz.append([float(x) for x in pos])
            a = u.atoms[0]
            atom_cell = np.array(u.cells[0]) + c
            net.append(fw.network_of(a, (int(atom_cell[0]), int(atom_cell[1]), int(atom_cell[2]))))
    edges: list[list[int]] = []
    adj = _metal_unit_graph(fw)
    for (k, cx, cy, cz), i in index.items():
        for w, s in adj.get(k, ()):
            j = index.get((w, cx + s[0], cy + s[1], cz + s[2]))
            if j is not None and i < j:
                edges.append([i, j])
    return {
        "xyz_A": xyz,
        "network": net,
        "edges": edges,
        "cell_A": (np.asarray(cr.lattice_A) * np.array(repeat)[:, None]).tolist(),
    }
