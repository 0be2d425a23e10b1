"""Bond lengths and angles at a glass-ceramic interface, against the bulk glass and the crystal.

:func:`interface_geometry` compares, at the interface metals, the metal-donor bond length, the
donor-metal-donor angle and the metal···metal distance through one linker with the same
quantities of the bulk glass (the glass tile) and of the crystal, each from its own bond
graph (:func:`~mofglass.models.glass.ceramic_interface._units`): mean, standard deviation and
the 5-95 % range.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from mofglass.models.glass.ceramic import GlassCeramic
from mofglass.structure import Crystal
from mofglass.structure.bonds import is_metal

__all__ = ["bond_geometry", "interface_geometry"]


def _stats(x: np.ndarray, digits: int) -> str:
    if not len(x):
        return "none"
    p5, p95 = np.percentile(x, [5, 95])
    return (
        f"{np.mean(x):.{digits}f} ± {np.std(x):.{digits}f} "
        f"(5-95 % {p5:.{digits}f}-{p95:.{digits}f}, n {len(x)})"
    )


def bond_geometry(
    pos: np.ndarray,
    species: list[str],
    bonds: np.ndarray,
    links: np.ndarray,
    metals: np.ndarray,
    box: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """M-N lengths (Å), N-M-N angles (degrees) at ``metals``, M···M lengths of their links (Å).

    Parameters
    ----------
    pos : ndarray, shape (n, 3)
        Atom positions (minimum image in the orthogonal ``box``), Å.
    species : list of str
    bonds : ndarray, shape (b, 2)
        Metal-donor bonds.
    links : ndarray, shape (e, 2)
        The two metals of every linker.
    metals : ndarray of int
        The metals to describe.
    box : ndarray, shape (3,)
        Orthogonal box edges, Å.
    """
    chosen = np.zeros(len(pos), dtype=bool)
    chosen[metals] = True
    metal = np.array([is_metal(e) for e in species])
    m = np.where(metal[bonds[:, 0]], bonds[:, 0], bonds[:, 1])
    n = np.where(metal[bonds[:, 0]], bonds[:, 1], bonds[:, 0])
    sel = chosen[m]
    m, n = m[sel], n[sel]
    v = pos[n] - pos[m]
    v -= np.rint(v / box) * box
    r = np.linalg.norm(v, axis=1)
    angles = []
    order = np.argsort(m, kind="stable")
    cuts = np.nonzero(np.diff(m[order]))[0] + 1
    for g in np.split(order, cuts):
        u = v[g] / r[g][:, None]
        iu = np.triu_indices(len(g), 1)
        c = np.clip((u @ u.T)[iu], -1.0, 1.0)
        angles.append(np.degrees(np.arccos(c)))
    own = chosen[links].any(axis=1) if len(links) else np.zeros(0, dtype=bool)
    w = pos[links[own, 1]] - pos[links[own, 0]]
    w -= np.rint(w / box) * box
    ang = np.concatenate(angles) if angles else np.zeros(0)
    return r, ang, np.linalg.norm(w, axis=1)


def _cell_geometry(cell: Crystal) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`bond_geometry` of every metal of a periodic cell (orthogonal)."""
    from mofglass.models.glass.ceramic_interface import _groups, _linker_blocks, _units

    box = np.diag(np.asarray(cell.lattice_A)).copy()
    pos = np.asarray(cell.positions_A, dtype=float)
    sp = list(cell.species)
    bonds, label, donor = _units(pos, sp, box)
    groups = _groups(label)
    metal = np.array([is_metal(e) for e in sp])
    organic = [lab for lab, g in groups.items() if not metal[g[0]]]
    _, ends = _linker_blocks(groups, donor, bonds, organic)
    links = np.array(ends, dtype=np.int64).reshape(-1, 2)
    return bond_geometry(pos, sp, bonds, links, np.nonzero(metal)[0], box)


def interface_geometry(
    pos: np.ndarray,
    species: list[str],
    bonds: np.ndarray,
    links: np.ndarray,
    iface: np.ndarray,
    model: GlassCeramic,
    box: np.ndarray,
) -> dict[str, Any]:
    """Geometry of the interface metals vs the bulk glass tile and the crystal (strings).

    Returns
    -------
    dict
        {quantity: {"interface": ..., "bulk glass": ..., "crystal": ...}}, each
        "mean ± sd (5-95 % range, n)".
    """
    shell = bond_geometry(pos, species, bonds, links, np.nonzero(iface)[0], box)
    bulk = _cell_geometry(model.glass_cell)
    crys = _cell_geometry(model.crystal)
    names = ("M-N bond (Å)", "N-M-N angle (deg)", "M···M through one linker (Å)")
    digits = (3, 1, 3)
    return {
        name: {
            "interface": _stats(shell[k], digits[k]),
            "bulk glass": _stats(bulk[k], digits[k]),
            "crystal": _stats(crys[k], digits[k]),
        }
        for k, name in enumerate(names)
    }
