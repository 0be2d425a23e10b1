"""Idealised M(im)2 framework models built from net embeddings (a forward model, not data).

:func:`imidazolate_model` puts a metal on every vertex of a net and an imidazolate ring on every
edge: the ring is planar (regular pentagon, mean ring bond 1.36 Å, C-H 0.95 Å), both N atoms on
the metal-metal line (straight M-im-M, unlike real ZIFs whose M-im-M angle is about 145°), so the
M-N distance is ``(m_m_A - 2.20 Å) / 2``. Used for tests and for the demo's clearly labelled
*model* of Cd(im)2 (dia-c: two dia nets related by half a conventional cell, as in Cu2O).

References
----------
.. [1] M. O'Keeffe et al., Acc. Chem. Res. 41 (2008) 1782 (RCSR dia embedding).
.. [2] A. F. Wells, Structural Inorganic Chemistry, 5th ed. (1984): the Cu2O structure, two
   interpenetrating cristobalite-like (dia) nets.
"""

from __future__ import annotations

import math

import numpy as np

from mofglass.structure.crystal import Crystal
from mofglass.structure.periodic_graph import PeriodicGraph
from mofglass.structure.rcsr import CgdNet, net_graph

__all__ = ["DIA", "imidazolate_model"]

#: RCSR dia embedding (Fd-3m origin 2, edge length 1).
DIA = CgdNet(
    "dia",
    "Fd-3m:2",
    (2.30940, 2.30940, 2.30940, 90.0, 90.0, 90.0),
    (("1", 4, (0.125, 0.125, 0.625)),),
    (((0.125, 0.125, 0.625), (0.375, 0.375, 0.375)),),
)

_RING_BOND_A = 1.36
_CH_A = 0.95


def _ring_local() -> tuple[list[str], np.ndarray]:
    """Imidazolate atoms in a local frame: u along M-M (N at u = -/+1.10, w = 0), w in-plane."""
    r = _RING_BOND_A / (2 * math.sin(math.radians(36)))
    names = ["C", "N", "C", "C", "N"]  # C2, N3, C4, C5, N1 going round
    ang = [math.radians(90 + 72 * k) for k in range(5)]
    ring = np.array([[r * math.cos(a), r * math.sin(a)] for a in ang])
    ring[:, 1] -= ring[1, 1]  # both N on the w = 0 line
    atoms = list(names)
    pts = [p for p in ring]
    centre = ring.mean(axis=0)
    for k in (0, 2, 3):  # H on the three C atoms, radially outward
        d = ring[k] - centre
        pts.append(ring[k] + _CH_A * d / np.linalg.norm(d))
        atoms.append("H")
    return atoms, np.array(pts)


def imidazolate_model(
    graph: PeriodicGraph | None = None,
    frac: np.ndarray | None = None,
    lattice: np.ndarray | None = None,
    *,
    metal: str = "Cd",
    m_m_A: float = 6.4,
    copies_shift: tuple[tuple[float, float, float], ...] = (),
    source: str = "idealised M(im)2 model",
) -> Crystal:
    """Build an idealised M(im)2 framework on a net (default: dia), optionally interpenetrated.

    Parameters
    ----------
    graph, frac, lattice
        The net (default: the RCSR dia embedding, conventional cubic cell).
    metal : str
        Metal on every vertex.
    m_m_A : float
        Metal-metal distance across one linker (all edges scaled to it), Å.
    copies_shift : tuple of fractional shifts
        Extra copies of the whole framework, shifted by these fractions of the cell
        (``((0.5, 0, 0),)`` on dia gives dia-c).
    """
    if graph is None or frac is None or lattice is None:
        graph, frac, lattice = net_graph(DIA)
    d = (frac[graph.edges[:, 1]] + graph.offsets - frac[graph.edges[:, 0]]) @ lattice
    lat = lattice * (m_m_A / float(np.mean(np.linalg.norm(d, axis=1))))
    names, local = _ring_local()
    species: list[str] = [metal] * len(frac)
    cart: list[np.ndarray] = [f @ lat for f in frac]
    for (u, v), s in zip(graph.edges, graph.offsets, strict=True):
        a = frac[u] @ lat
        b = (frac[v] + s) @ lat
        axis = (b - a) / np.linalg.norm(b - a)
        ref = np.array([1.0, 0.0, 0.0]) if abs(axis[0]) < 0.9 else np.array([0.0, 1.0, 0.0])
        w = np.cross(axis, ref)
        w /= np.linalg.norm(w)
        mid = 0.5 * (a + b)
        for el, (x, y) in zip(names, local, strict=True):
            species.append(el)
            cart.append(mid + x * axis + y * w)
    pos = np.array(cart)
    inv = np.linalg.inv(lat)
    f_all = (pos @ inv) % 1.0
    blocks = [f_all] + [(f_all + np.array(sh)) % 1.0 for sh in copies_shift]
    return Crystal.from_fractional(
        species * (1 + len(copies_shift)), np.vstack(blocks), lat, source=source
    )
