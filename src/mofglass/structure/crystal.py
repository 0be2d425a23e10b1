"""The :class:`Crystal` data object: a symmetry-expanded periodic (or finite) atom set.

This is the hand-over object between structure reading and everything that computes from atoms
(networks, topology, scattering). Coordinates are fractional for periodic structures; for finite
models ``lattice_A`` is None and ``positions_A`` holds Cartesian coordinates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["Crystal", "as_crystal", "from_ase", "from_pymatgen"]


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
        self._check_finite()
        for arr in (self.positions_A, self.occupancy, self.uiso_A2):
            arr.setflags(write=False)

    def _check_finite(self) -> None:
        """NaN/inf coordinates (a CIF's ``?``) never reach spglib, gemmi or numba kernels."""
        from mofglass.errors import InputFormatError

        for name, arr in (
            ("atom coordinates", self.positions_A),
            ("occupancies", self.occupancy),
            ("displacement parameters", self.uiso_A2),
        ):
            bad = ~np.isfinite(arr).reshape(len(self.species), -1).all(axis=1) if arr.size else []
            if np.any(bad):
                i = int(np.flatnonzero(bad)[0])
                label = self.labels[i] if i < len(self.labels) else str(i + 1)
                raise InputFormatError(
                    self.source,
                    expected=f"finite {name}",
                    got=f"atom {label}: {np.asarray(arr).reshape(len(self.species), -1)[i].tolist()}",
                )
        if self.lattice_A is not None and not np.all(np.isfinite(self.lattice_A)):
            raise InputFormatError(self.source, expected="a finite cell", got="NaN or inf")

    @property
    def n_atoms(self) -> int:
        """Return the number of atoms."""
        return len(self.species)

    @property
    def periodic(self) -> bool:
        """Tell whether the structure has a lattice (periodic) or is a cluster."""
        return self.lattice_A is not None

    @property
    def cell_volume_A3(self) -> float:
        """Cell volume in Å³ (periodic structures only)."""
        if self.lattice_A is None:
            raise ValueError("a finite model has no cell volume")
        return float(abs(np.linalg.det(self.lattice_A)))

    def with_uiso(self, uiso_A2: float) -> Crystal:
        """Return the same atoms with every Uiso set to ``uiso_A2`` (Å²).

        The copy is isotropic and plain: anisotropic displacements and other ``metadata`` are
        dropped and the space group is "P 1" (the positions are the expanded ones already).
        """
        return Crystal(
            self.species,
            self.positions_A,
            self.lattice_A,
            self.occupancy,
            np.full(self.n_atoms, uiso_A2),
            self.labels,
            source=self.source,
        )

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
        """Make a crystal from fractional coordinates and lattice vectors (rows, Å)."""
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


def from_ase(atoms: Any, *, source: str = "<ase.Atoms>") -> Crystal:
    """Make a :class:`Crystal` from an ASE ``Atoms`` (periodic if all three ``pbc`` are set)."""
    species = tuple(atoms.get_chemical_symbols())
    n = len(species)
    periodic = bool(np.all(atoms.pbc)) and abs(atoms.cell.volume) > 1e-6
    occ = np.ones(n)
    info_occ = atoms.info.get("occupancy") if hasattr(atoms, "info") else None
    if isinstance(info_occ, dict):
        occ = np.array(
            [
                float(info_occ.get(i, {}).get(s, 1.0)) if isinstance(info_occ.get(i), dict) else 1.0
                for i, s in enumerate(species)
            ]
        )
    return Crystal(
        species=species,
        positions_A=np.array(
            atoms.positions
            if not periodic
            else atoms.get_scaled_positions() % 1.0 @ np.array(atoms.cell)
        ),
        lattice_A=np.array(atoms.cell) if periodic else None,
        occupancy=occ,
        uiso_A2=np.full(n, 0.01),
        labels=tuple(f"{s}{i + 1}" for i, s in enumerate(species)),
        source=source,
    )


def from_pymatgen(structure: Any, *, source: str = "<pymatgen.Structure>") -> Crystal:
    """Make a :class:`Crystal` from a pymatgen ``Structure`` (ordered; each site's majority species)."""
    species, occ = [], []
    for site in structure:
        sp, amt = max(site.species.items(), key=lambda kv: kv[1])
        species.append(getattr(sp, "symbol", str(sp)))
        occ.append(float(amt))
    return Crystal.from_fractional(
        species,
        np.array(structure.frac_coords) % 1.0,
        np.array(structure.lattice.matrix),
        occupancy=np.array(occ),
        source=source,
    )


def as_crystal(obj: Any) -> Crystal:
    """Accept a :class:`Crystal`, a CIF path, an ASE ``Atoms`` or a pymatgen ``Structure``."""
    if isinstance(obj, Crystal):
        return obj
    if isinstance(obj, str | Path):
        from mofglass.structure.cif import read_structure

        return read_structure(obj)
    if hasattr(obj, "get_chemical_symbols") and hasattr(obj, "cell"):
        return from_ase(obj)
    if hasattr(obj, "frac_coords") and hasattr(obj, "lattice"):
        return from_pymatgen(obj)
    raise TypeError(f"cannot make a Crystal from {type(obj).__name__}")
