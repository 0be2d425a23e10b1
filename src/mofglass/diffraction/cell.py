"""Reflection lists from a unit cell and space group: (hkl), d-spacing, multiplicity, 2θ.

Positions only (no structure factors): enough to index peaks, check for impurity phases and
start a Pawley / Le Bail fit. Systematic absences and symmetry equivalence come from gemmi's
space-group operations; d from the metric tensor (gemmi ``UnitCell.calculate_d``).

References
----------
.. [1] International Tables for Crystallography, Vol. A (2016), systematic absences.
.. [2] M. Wojdyr, J. Open Source Softw. 7 (2022) 4200 (gemmi).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from types import MappingProxyType

import gemmi
import numpy as np

from mofglass.diffraction.conversions import d_to_two_theta
from mofglass.structure.crystal import Crystal

__all__ = ["REFERENCE_PHASES", "Cell", "Reflection", "cell_from_crystal", "reflections"]


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

    def gemmi_cell(self) -> gemmi.UnitCell:
        return gemmi.UnitCell(self.a, self.b, self.c, self.alpha, self.beta, self.gamma)

    def gemmi_spacegroup(self) -> gemmi.SpaceGroup:
        sg = gemmi.find_spacegroup_by_name(self.spacegroup)
        if sg is None:
            raise ValueError(f"unknown space group {self.spacegroup!r}")
        return sg


@dataclass(frozen=True)
class Reflection:
    """One unique reflection: Miller indices, d-spacing (Å), multiplicity, 2θ (deg or None)."""

    hkl: tuple[int, int, int]
    d_A: float
    multiplicity: int
    two_theta_deg: float | None = None


#: Impurity phases relevant to Cd(im)2 (positions only).
REFERENCE_PHASES = MappingProxyType(
    {
        # COD 9008490 (Wyckoff, Crystal Structures 1, 1963): hcp Cd
        "Cd": Cell(2.97887, 2.97887, 5.61765, 90, 90, 120, "P 63/m m c", "Cd metal"),
        # rock-salt CdO, a = 4.6953 Å (ICDD PDF 05-0640)
        "CdO": Cell(4.6953, 4.6953, 4.6953, 90, 90, 90, "F m -3 m", "CdO"),
    }
)


def reflections(
    cell: Cell,
    *,
    d_min_A: float | None = None,
    wavelength_A: float | None = None,
    two_theta_max_deg: float | None = None,
) -> tuple[Reflection, ...]:
    """Symmetry-unique, systematically allowed reflections with d >= d_min, sorted by d (desc).

    Parameters
    ----------
    cell : Cell
        Unit cell and space group.
    d_min_A : float, optional
        Smallest d-spacing, Å. With ``wavelength_A`` and ``two_theta_max_deg`` it defaults to
        λ / (2 sin θ_max).
    wavelength_A : float, optional
        When given, each reflection gets its 2θ (degrees).
    two_theta_max_deg : float, optional
        Upper 2θ limit used to derive ``d_min_A``.

    Returns
    -------
    tuple of Reflection
    """
    if d_min_A is None:
        if wavelength_A is None or two_theta_max_deg is None:
            raise ValueError("give d_min_A, or wavelength_A and two_theta_max_deg")
        d_min_A = wavelength_A / (2 * math.sin(math.radians(two_theta_max_deg) / 2))
    uc = cell.gemmi_cell()
    sg = cell.gemmi_spacegroup()
    ops = sg.operations()
    rot = list(ops.sym_ops)
    hmax = [math.floor(length / d_min_A) for length in (uc.a, uc.b, uc.c)]
    seen: set[tuple[int, int, int]] = set()
    out: list[Reflection] = []
    for h in range(-hmax[0], hmax[0] + 1):
        for k in range(-hmax[1], hmax[1] + 1):
            for ll in range(-hmax[2], hmax[2] + 1):
                hkl = (h, k, ll)
                if hkl == (0, 0, 0) or hkl in seen:
                    continue
                d = uc.calculate_d(list(hkl))
                if d < d_min_A - 1e-9:
                    continue
                equiv: set[tuple[int, int, int]] = set()
                for op in rot:
                    e = tuple(op.apply_to_hkl(list(hkl)))
                    equiv.add(e)  # type: ignore[arg-type]
                    equiv.add((-e[0], -e[1], -e[2]))
                seen |= equiv
                if ops.is_systematically_absent(list(hkl)):
                    continue
                # representative: fewest negative indices, then largest indices first
                rep = min(equiv, key=lambda e: (sum(i < 0 for i in e), [-i for i in e]))
                tt = None
                if wavelength_A is not None:
                    v = float(d_to_two_theta(d, wavelength_A))
                    tt = None if np.isnan(v) else v
                out.append(Reflection(rep, float(d), len(equiv), tt))
    out.sort(key=lambda r: (-r.d_A, r.hkl))
    return tuple(out)


def cell_from_crystal(crystal: Crystal, *, name: str = "") -> Cell:
    """A :class:`Cell` from a :class:`mofglass.structure.Crystal` (lattice rows in Å)."""
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
