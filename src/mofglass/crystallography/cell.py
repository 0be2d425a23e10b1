"""Unit cells: lattice parameters with a space group.

The :class:`Cell`: lattice parameters (Å, degrees) with a space group, its metric and the
free parameters of its crystal system.

References
----------
.. [1] International Tables for Crystallography, Vol. A (2016), §1.3 (metric tensor).
.. [2] M. Wojdyr, J. Open Source Softw. 7 (2022) 4200 (gemmi space groups).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import gemmi
import numpy as np

__all__ = ["Cell", "free_cell_parameters"]

_FREE = {
    "cubic": ("a",),
    "tetragonal": ("a", "c"),
    "hexagonal": ("a", "c"),
    "trigonal": ("a", "c"),
    "orthorhombic": ("a", "b", "c"),
    "triclinic": ("a", "b", "c", "alpha", "beta", "gamma"),
}


@dataclass(frozen=True)
class Cell:
    """A unit cell (Å, degrees) with its space group (Hermann-Mauguin symbol)."""

    a: float
    b: float
    c: float
    alpha: float = 90.0
    beta: float = 90.0
    gamma: float = 90.0
    spacegroup: str = "P 1"
    name: str = ""

    @property
    def volume_A3(self) -> float:
        """Cell volume in Å³."""
        return float(self.gemmi_cell().volume)

    @property
    def parameters(self) -> tuple[float, float, float, float, float, float]:
        """``(a, b, c, α, β, γ)``."""
        return (self.a, self.b, self.c, self.alpha, self.beta, self.gamma)

    def gemmi_cell(self) -> gemmi.UnitCell:
        """Return the gemmi ``UnitCell``."""
        return gemmi.UnitCell(self.a, self.b, self.c, self.alpha, self.beta, self.gamma)

    def gemmi_spacegroup(self) -> gemmi.SpaceGroup:
        """Return the gemmi ``SpaceGroup`` (``ValueError`` for an unknown symbol)."""
        sg = gemmi.find_spacegroup_by_name(self.spacegroup)
        if sg is None:
            raise ValueError(f"unknown space group {self.spacegroup!r}")
        return sg

    def lattice_A(self) -> np.ndarray:
        """Direct lattice vectors as rows (Å), a along x, b in the xy plane."""
        return np.array(self.gemmi_cell().orth.mat, dtype=float).T

    def with_free(self, names: tuple[str, ...], values: Any) -> Cell:
        """Return a copy with the free parameters set and the tied ones following.

        A copy with the free parameters ``names`` set to ``values`` and the tied ones
        following the crystal system (b = a, c = a, rhombohedral α = β = γ).
        """
        kw: dict[str, Any] = dict(zip(names, map(float, values), strict=True))
        if names in (("a",), ("a", "c"), ("a", "alpha")):
            kw["b"] = kw["a"]
            if names != ("a", "c"):
                kw["c"] = kw["a"]
            if names == ("a", "alpha"):
                kw["beta"] = kw["gamma"] = kw["alpha"]
        return replace(self, **kw)


def free_cell_parameters(cell: Cell) -> tuple[str, ...]:
    """Names of the cell parameters free in the crystal system of ``cell``'s space group.

    Monoclinic cells free the angle that is not 90° (β in the standard setting).

    Examples
    --------
    >>> free_cell_parameters(Cell(5, 6, 7, 90, 100, 90, "P 1 21/c 1"))
    ('a', 'b', 'c', 'beta')
    """
    sg = cell.gemmi_spacegroup()
    system = sg.crystal_system_str()
    if system == "trigonal" and sg.hm.startswith("R") and abs(cell.alpha - 90) > 1e-6:
        if abs(cell.gamma - 120) > 1e-6:
            return ("a", "alpha")  # rhombohedral axes
    if system == "monoclinic":
        odd = [n for n in ("alpha", "beta", "gamma") if abs(getattr(cell, n) - 90) > 1e-9]
        return ("a", "b", "c", odd[0] if odd else "beta")
    return _FREE[system]
