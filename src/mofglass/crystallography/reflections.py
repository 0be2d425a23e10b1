"""Reflection lists: symmetry-unique (hkl) with d-spacing, multiplicity and extinctions.

One vectorised generator for every technique: the (hkl) grid inside the sphere 1/d <= 1/d_min
is grouped into families by the Laue group (the rotations of the space group and their
negatives: Friedel pairs merged), and a family is systematically absent when an operation
{R|t} (centring included) leaves h unchanged (h R = h) with h·t not an integer [1]_.

Representative (hkl) of a family: its lexicographically largest member (largest h, then k,
then l), the choice of pymatgen's ``XRDCalculator`` (``max`` over a family in
``get_unique_families``) [3]_; e.g. (2 -1 0) for the hexagonal {110} family (its
Miller-Bravais form 2 -1 -1 0), (1 -1 -1) rather than (-1 1 1) in P -1.

Without a space group (an atom list of unknown symmetry), rotations can be given directly (as
spglib returns them); absences then come from the structure factors of the caller.

References
----------
.. [1] International Tables for Crystallography, Vol. A (2016), §1.6.5 (reflection conditions).
.. [2] M. Wojdyr, J. Open Source Softw. 7 (2022) 4200 (gemmi space-group operations).
.. [3] S. P. Ong et al., Comput. Mater. Sci. 68 (2013) 314 (pymatgen,
   ``pymatgen.analysis.diffraction``).

Examples
--------
>>> from mofglass.crystallography import Cell
>>> refl = reflection_list(Cell(4.6953, 4.6953, 4.6953, spacegroup="F m -3 m"), d_min_A=2.0)
>>> refl.hkl.tolist(), refl.multiplicity.tolist()
([[1, 1, 1], [2, 0, 0]], [8, 6])
"""

from __future__ import annotations

from dataclasses import dataclass

import gemmi
import numpy as np

from mofglass.crystallography.cell import Cell
from mofglass.crystallography.conversions import d_to_two_theta

__all__ = ["Reflection", "ReflectionList", "reflection_list", "reflections"]


@dataclass(frozen=True)
class Reflection:
    """One unique reflection: Miller indices, d-spacing (Å), multiplicity, 2θ (deg or None)."""

    hkl: tuple[int, int, int]
    d_A: float
    multiplicity: int
    two_theta_deg: float | None = None


@dataclass(frozen=True, eq=False)
class ReflectionList:
    """Reflection families as arrays, sorted by decreasing d.

    Attributes
    ----------
    hkl : ndarray of int, shape (n, 3)
    d_A : ndarray, shape (n,)
    multiplicity : ndarray of int, shape (n,)
    """

    hkl: np.ndarray
    d_A: np.ndarray
    multiplicity: np.ndarray

    def __len__(self) -> int:
        return int(self.d_A.size)

    def two_theta_deg(self, wavelength_A: float) -> np.ndarray:
        """Bragg angles 2θ (degrees) at ``wavelength_A`` (NaN where d < λ/2)."""
        return np.asarray(d_to_two_theta(self.d_A, wavelength_A))

    def as_tuple(self, wavelength_A: float | None = None) -> tuple[Reflection, ...]:
        """Return the list as :class:`Reflection` objects (with 2θ when a wavelength is given)."""
        tt = None if wavelength_A is None else self.two_theta_deg(wavelength_A)
        out = []
        for i in range(len(self)):
            t = None if tt is None or not np.isfinite(tt[i]) else float(tt[i])
            h = tuple(int(v) for v in self.hkl[i])
            out.append(Reflection(h, float(self.d_A[i]), int(self.multiplicity[i]), t))  # type: ignore[arg-type]
        return tuple(out)


def _ops(sg: gemmi.SpaceGroup) -> tuple[np.ndarray, np.ndarray]:
    """Return the rotations and translations of the space group's operations.

    Rotations (integer, acting on fractional coordinates) and translations of all
    operations of the space group, centring included.
    """
    ops = sg.operations()
    den = 24.0
    rots, trans = [], []
    for op in ops.sym_ops:
        r = np.rint(np.array(op.rot, dtype=float) / den).astype(int)
        for cen in ops.cen_ops:
            rots.append(r)
            trans.append((np.array(op.tran, dtype=float) + np.array(cen, dtype=float)) / den)
    return np.array(rots), np.array(trans)


def reflection_list(
    cell: Cell | np.ndarray,
    *,
    d_min_A: float,
    d_max_A: float = np.inf,
    rotations: np.ndarray | None = None,
    spacegroup: str | None = None,
) -> ReflectionList:
    """Symmetry-unique, systematically allowed reflections with d_min <= d <= d_max.

    Parameters
    ----------
    cell : Cell or ndarray (3, 3)
        A cell with its space group, or direct lattice vectors as rows (Å) with
        ``spacegroup`` or ``rotations`` (Friedel pairs merged only when neither is given).
    d_min_A, d_max_A : float
        d-spacing range, Å.
    rotations : ndarray (m, 3, 3) of int, optional
        Point-group rotations acting on fractional coordinates (for a lattice without a
        space group; no extinctions are applied then). Default: those of ``cell``.
    spacegroup : str, optional
        Hermann-Mauguin symbol of a lattice given as an array (``ValueError`` if unknown
        to gemmi); absences are applied as for a :class:`Cell`.

    Returns
    -------
    ReflectionList
        Sorted by decreasing d, then by decreasing hkl; each family labelled by its
        lexicographically largest member (module docstring).
    """
    if not d_min_A > 0:
        raise ValueError(f"d_min_A must be > 0, got {d_min_A}")
    trans = None
    if isinstance(cell, Cell):
        lat = cell.lattice_A()
        if rotations is None:
            rotations, trans = _ops(cell.gemmi_spacegroup())
    else:
        lat = np.asarray(cell, dtype=float)
        if spacegroup is not None and rotations is None:
            rotations, trans = _ops(Cell(1, 1, 1, spacegroup=spacegroup).gemmi_spacegroup())
        elif rotations is None:
            rotations = np.eye(3, dtype=int)[None]
    rec = np.linalg.inv(lat).T  # rows a*, b*, c* (no 2π), Å⁻¹
    hmax = np.floor(np.linalg.norm(lat, axis=1) / d_min_A + 1e-9).astype(int)
    axes = [np.arange(-m, m + 1) for m in hmax]
    hkl = np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, 3)
    gn = np.linalg.norm(hkl @ rec, axis=1)
    keep = (gn > 0) & (gn <= 1 / d_min_A * (1 + 1e-12)) & (gn >= 1 / d_max_A)
    hkl, gn = hkl[keep], gn[keep]
    rots = np.asarray(rotations, dtype=int)
    laue = np.unique(np.concatenate([rots, -rots]), axis=0)
    span = int(np.abs(hkl).max()) + 1 if hkl.size else 1
    base = 2 * span + 1
    orbit = np.einsum("ni,oij->onj", hkl, laue)  # h R for every rotation
    keys = ((orbit[..., 0] + span) * base + orbit[..., 1] + span) * base + orbit[..., 2] + span
    canon = keys.max(axis=0)  # lexicographically largest member
    uniq, first, mult = np.unique(canon, return_index=True, return_counts=True)
    rep = np.stack([uniq // base**2 - span, (uniq // base) % base - span, uniq % base - span], 1)
    d = 1.0 / gn[first]
    allowed = np.ones(rep.shape[0], dtype=bool)
    if trans is not None:
        hr = np.einsum("ni,oij->onj", rep, rots)
        fixed = np.all(hr == rep[None], axis=2)  # (ops, n)
        phase = rep @ trans.T  # (n, ops)
        off = np.abs(phase - np.rint(phase)) > 1e-6
        allowed = ~np.any(fixed.T & off, axis=1)
    rep, d, mult = rep[allowed], d[allowed], mult[allowed]
    order = np.lexsort((-rep[:, 2], -rep[:, 1], -rep[:, 0], -np.round(d, 10)))
    return ReflectionList(rep[order], d[order], mult[order])


def reflections(
    cell: Cell,
    *,
    d_min_A: float | None = None,
    wavelength_A: float | None = None,
    two_theta_max_deg: float | None = None,
) -> tuple[Reflection, ...]:
    """Symmetry-unique allowed reflections of ``cell`` as :class:`Reflection` objects.

    Parameters
    ----------
    cell : Cell
        Unit cell and space group.
    d_min_A : float, optional
        Smallest d-spacing, Å; defaults to λ / (2 sin θ_max) from the next two.
    wavelength_A : float, optional
        When given, each reflection gets its 2θ (degrees).
    two_theta_max_deg : float, optional
        Upper 2θ limit used to derive ``d_min_A``.
    """
    if d_min_A is None:
        if wavelength_A is None or two_theta_max_deg is None:
            raise ValueError("give d_min_A, or wavelength_A and two_theta_max_deg")
        d_min_A = wavelength_A / (2 * np.sin(np.radians(two_theta_max_deg) / 2))
    return reflection_list(cell, d_min_A=float(d_min_A)).as_tuple(wavelength_A)
