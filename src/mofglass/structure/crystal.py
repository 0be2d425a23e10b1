"""The :class:`Crystal` data object: a symmetry-expanded periodic (or finite) atom set.

This is the hand-over object between structure reading and everything that computes from atoms
(networks, topology, scattering). Coordinates are fractional for periodic structures; for finite
models ``lattice_A`` is None and ``positions_A`` holds Cartesian coordinates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from mofglass.errors import InputFormatError

__all__ = ["Crystal", "read_structure"]


@dataclass(frozen=True, eq=False)
class Crystal:
    """Atoms in a periodic cell (P1 after symmetry expansion) or a finite cluster.

    Attributes
    ----------
    species : tuple of str
        Element symbol per atom.
    positions_A : ndarray, shape (N, 3)
        Cartesian positions in Å.
    lattice_A : ndarray, shape (3, 3) or None
        Lattice vectors as rows, Å; None for a finite model.
    occupancy : ndarray, shape (N,)
        Site occupancy (1 for ordered sites).
    uiso_A2 : ndarray, shape (N,)
        Isotropic displacement parameter Uiso, Å².
    labels : tuple of str
        Site labels (from the CIF, or element + index).
    source : str
        Where the structure came from (file name or description).
    spacegroup : str
        Hermann-Mauguin symbol of the source, "P 1" when unknown.
    """

    species: tuple[str, ...]
    positions_A: np.ndarray
    lattice_A: np.ndarray | None
    occupancy: np.ndarray
    uiso_A2: np.ndarray
    labels: tuple[str, ...]
    source: str = "<memory>"
    spacegroup: str = "P 1"
    metadata: dict[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        n = len(self.species)
        pos = np.asarray(self.positions_A, dtype=float).reshape(-1, 3)
        if pos.shape[0] != n:
            raise ValueError(f"{n} species but {pos.shape[0]} positions")
        object.__setattr__(self, "positions_A", pos)
        if self.lattice_A is not None:
            lat = np.asarray(self.lattice_A, dtype=float).reshape(3, 3)
            if abs(np.linalg.det(lat)) < 1e-6:
                raise ValueError("lattice vectors are degenerate (zero cell volume)")
            object.__setattr__(self, "lattice_A", lat)
        for name in ("occupancy", "uiso_A2"):
            arr = np.asarray(getattr(self, name), dtype=float).reshape(-1)
            if arr.shape[0] != n:
                raise ValueError(f"{name} has {arr.shape[0]} values for {n} atoms")
            object.__setattr__(self, name, arr)
        for arr in (self.positions_A, self.occupancy, self.uiso_A2):
            arr.setflags(write=False)

    @property
    def n_atoms(self) -> int:
        return len(self.species)

    @property
    def periodic(self) -> bool:
        return self.lattice_A is not None

    @property
    def cell_volume_A3(self) -> float:
        """Cell volume in Å³ (periodic structures only)."""
        if self.lattice_A is None:
            raise ValueError("a finite model has no cell volume")
        return float(abs(np.linalg.det(self.lattice_A)))

    @property
    def frac(self) -> np.ndarray:
        """Fractional coordinates (periodic structures only)."""
        if self.lattice_A is None:
            raise ValueError("a finite model has no fractional coordinates")
        return self.positions_A @ np.linalg.inv(self.lattice_A)

    @classmethod
    def from_fractional(
        cls,
        species: tuple[str, ...] | list[str],
        frac: np.ndarray,
        lattice_A: np.ndarray,
        *,
        occupancy: np.ndarray | None = None,
        uiso_A2: np.ndarray | None = None,
        labels: tuple[str, ...] | list[str] | None = None,
        source: str = "<memory>",
        spacegroup: str = "P 1",
    ) -> Crystal:
        lat = np.asarray(lattice_A, dtype=float)
        f = np.asarray(frac, dtype=float).reshape(-1, 3)
        n = f.shape[0]
        return cls(
            species=tuple(species),
            positions_A=f @ lat,
            lattice_A=lat,
            occupancy=np.ones(n) if occupancy is None else occupancy,
            uiso_A2=np.full(n, 0.01) if uiso_A2 is None else uiso_A2,
            labels=tuple(labels)
            if labels is not None
            else tuple(f"{s}{i + 1}" for i, s in enumerate(species)),
            source=source,
            spacegroup=spacegroup,
        )


def read_structure(path: str | Path) -> Crystal:
    """Read a CIF into a symmetry-expanded :class:`Crystal` (via gemmi).

    Parameters
    ----------
    path : str or Path
        A CIF file.

    Raises
    ------
    InputFormatError
        If the file is not a readable CIF with a cell and atom sites.
    """
    import gemmi

    p = Path(path)
    try:
        small = gemmi.read_small_structure(str(p))
    except (RuntimeError, ValueError, OSError) as exc:
        raise InputFormatError(p, expected="a readable CIF file", got=str(exc)) from None
    if small.cell.volume <= 1.0:
        raise InputFormatError(
            p, expected="_cell_length_* and _cell_angle_* giving a cell", got="no cell"
        )
    sites = small.get_all_unit_cell_sites()
    if not sites:
        raise InputFormatError(p, expected="an _atom_site_ loop with atoms", got="no atoms")
    lattice = np.array(small.cell.orth.mat, dtype=float).T  # columns -> rows
    frac = np.array([[s.fract.x, s.fract.y, s.fract.z] for s in sites]) % 1.0
    return Crystal.from_fractional(
        [s.element.name for s in sites],
        frac,
        lattice,
        occupancy=np.array([s.occ for s in sites]),
        uiso_A2=np.array([s.u_iso if s.u_iso > 0 else 0.01 for s in sites]),
        labels=[s.label for s in sites],
        source=p.name,
        spacegroup=small.spacegroup_hm or "P 1",
    )
