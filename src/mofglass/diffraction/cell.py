"""Unit cells for diffraction and the cell of a structure model.

Unit cells for diffraction: :class:`Cell` and the reflection list (from
:mod:`mofglass.crystallography`), and the cell of a structure model.

Positions only (no structure factors): enough to index peaks, check for impurity phases and
start a Pawley / Le Bail fit. Systematic absences and symmetry equivalence come from gemmi's
space-group operations; d from the metric tensor (gemmi ``UnitCell.calculate_d``).

References
----------
.. [1] International Tables for Crystallography, Vol. A (2016), systematic absences.
.. [2] M. Wojdyr, J. Open Source Softw. 7 (2022) 4200 (gemmi).
"""

from __future__ import annotations

from types import MappingProxyType

import numpy as np

from mofglass.crystallography.cell import Cell
from mofglass.crystallography.reflections import Reflection, reflections
from mofglass.structure.crystal import Crystal

__all__ = ["REFERENCE_PHASES", "Cell", "Reflection", "cell_from_crystal", "reflections"]


#: Impurity phases relevant to Cd(im)2 (positions only).
REFERENCE_PHASES = MappingProxyType(
    {
        # COD 9008490 (Wyckoff, Crystal Structures 1, 1963): hcp Cd
        "Cd": Cell(2.97887, 2.97887, 5.61765, 90, 90, 120, "P 63/m m c", "Cd metal"),
        # rock-salt CdO, a = 4.6953 Å (ICDD PDF 05-0640)
        "CdO": Cell(4.6953, 4.6953, 4.6953, 90, 90, 90, "F m -3 m", "CdO"),
    }
)


def cell_from_crystal(crystal: Crystal, *, name: str = "") -> Cell:
    """Return a :class:`Cell` from a :class:`mofglass.structure.Crystal` (lattice rows in Å)."""
    if crystal.lattice_A is None:
        raise ValueError("a finite model has no unit cell")
    lat = np.asarray(crystal.lattice_A, dtype=float)
    a, b, c = (float(np.linalg.norm(v)) for v in lat)

    def ang(u: np.ndarray, v: np.ndarray) -> float:
        return float(np.degrees(np.arccos(np.dot(u, v) / np.linalg.norm(u) / np.linalg.norm(v))))

    return Cell(
        a,
        b,
        c,
        ang(lat[1], lat[2]),
        ang(lat[0], lat[2]),
        ang(lat[0], lat[1]),
        str(crystal.spacegroup),
        name or str(crystal.source),
    )
