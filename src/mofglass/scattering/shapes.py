"""Shapes of crystallites cut from a periodic structure: sphere, spheroid, polyhedron, mask.

A shape decides which atoms of the infinite crystal belong to the crystallite: an atom at
Cartesian position p is inside when ``shape.inside(p - centre)``. Every shape also gives a
bounding radius (Å) that limits the cells to look at.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np

from mofglass.errors import MofglassError

__all__ = ["Mask", "Polyhedron", "Shape", "Sphere", "Spheroid", "parse_shape"]


@dataclass(frozen=True)
class Sphere:
    """Sphere of the given diameter (Å); atoms at distance <= diameter/2 are inside."""

    diameter_A: float

    def __post_init__(self) -> None:
        if not self.diameter_A > 0:
            raise MofglassError(f"sphere diameter must be > 0 Å, got {self.diameter_A}")

    @property
    def bounding_radius_A(self) -> float:
        """Return the largest distance of an inside point from the centre, Å."""
        return 0.5 * self.diameter_A

    def inside(self, rel_A: np.ndarray) -> np.ndarray:
        """Tell which points (Cartesian, Å, relative to the centre) are inside."""
        return np.einsum("...k,...k->...", rel_A, rel_A) <= (0.5 * self.diameter_A) ** 2

    def describe(self) -> str:
        """Describe the shape in a few words."""
        return f"sphere {self.diameter_A:g} Å"


@dataclass(frozen=True)
class Spheroid:
    """Spheroid: equatorial diameter, polar diameter along ``axis`` (Cartesian, Å)."""

    equatorial_A: float
    polar_A: float
    axis: tuple[float, float, float] = (0.0, 0.0, 1.0)

    def __post_init__(self) -> None:
        if not (self.equatorial_A > 0 and self.polar_A > 0):
            raise MofglassError("spheroid diameters must be > 0 Å")
        if not np.linalg.norm(self.axis) > 0:
            raise MofglassError("spheroid axis must be a non-zero vector")

    @property
    def bounding_radius_A(self) -> float:
        """Return the largest distance of an inside point from the centre, Å."""
        return 0.5 * max(self.equatorial_A, self.polar_A)

    def inside(self, rel_A: np.ndarray) -> np.ndarray:
        """Tell which points (Cartesian, Å, relative to the centre) are inside."""
        u = np.asarray(self.axis, dtype=float)
        u = u / np.linalg.norm(u)
        along = rel_A @ u
        perp2 = np.einsum("...k,...k->...", rel_A, rel_A) - along**2
        a = 0.5 * self.equatorial_A
        c = 0.5 * self.polar_A
        return perp2 / a**2 + along**2 / c**2 <= 1.0

    def describe(self) -> str:
        """Describe the shape in a few words."""
        return f"spheroid {self.equatorial_A:g} x {self.polar_A:g} Å"


@dataclass(frozen=True)
class Polyhedron:
    """Convex polyhedron: the atoms with n_k · p <= d_k for every facet k.

    Attributes
    ----------
    normals : ndarray, shape (k, 3)
        Outward facet normals (Cartesian; normalised on use).
    distances_A : ndarray, shape (k,)
        Distance of each facet plane from the centre, Å.
    """

    normals: np.ndarray
    distances_A: np.ndarray
    name: str = "polyhedron"

    def __post_init__(self) -> None:
        n = np.asarray(self.normals, dtype=float).reshape(-1, 3)
        d = np.asarray(self.distances_A, dtype=float).reshape(-1)
        if n.shape[0] != d.shape[0] or n.shape[0] < 4:
            raise MofglassError("a polyhedron needs at least 4 facets, one distance per normal")
        if np.any(d <= 0) or np.any(np.linalg.norm(n, axis=1) == 0):
            raise MofglassError("facet distances must be > 0 Å and normals non-zero")
        n = n / np.linalg.norm(n, axis=1)[:, None]
        # bounded: the normals must not all lie in one closed half space
        if np.linalg.matrix_rank(n) < 3:
            raise MofglassError("the facets do not enclose a finite polyhedron")
        object.__setattr__(self, "normals", n)
        object.__setattr__(self, "distances_A", d)

    @classmethod
    def from_facets(
        cls, lattice_A: np.ndarray, facets: Mapping[tuple[int, int, int], float]
    ) -> Polyhedron:
        """Polyhedron bounded by lattice planes (hkl) at the given distances from the centre.

        The normal of (hkl) is h b1 + k b2 + l b3 (reciprocal lattice of ``lattice_A``); list
        every facet wanted (e.g. all six {100} for a cube).
        """
        recip = np.linalg.inv(np.asarray(lattice_A, dtype=float)).T
        hkl = np.array(list(facets), dtype=float).reshape(-1, 3)
        return cls(hkl @ recip, np.array(list(facets.values()), dtype=float), "facets")

    @property
    def bounding_radius_A(self) -> float:
        """Return the largest distance of an inside point from the centre, Å."""
        # the vertices are intersections of three planes; their largest distance bounds it
        n, d = self.normals, self.distances_A
        best = 0.0
        k = n.shape[0]
        for a in range(k):
            for b in range(a + 1, k):
                for c in range(b + 1, k):
                    m = n[[a, b, c]]
                    if abs(np.linalg.det(m)) < 1e-9:
                        continue
                    v = np.linalg.solve(m, d[[a, b, c]])
                    if np.all(n @ v <= d + 1e-9 * (1 + d)):
                        best = max(best, float(np.linalg.norm(v)))
        if best == 0.0:
            raise MofglassError("the facets do not enclose a finite polyhedron")
        return best

    def inside(self, rel_A: np.ndarray) -> np.ndarray:
        """Tell which points (Cartesian, Å, relative to the centre) are inside."""
        return np.all(rel_A @ self.normals.T <= self.distances_A, axis=-1)

    def describe(self) -> str:
        """Describe the shape in a few words."""
        return f"{self.name} ({self.normals.shape[0]} facets)"


@dataclass(frozen=True)
class Mask:
    """A user shape: ``fn(rel_A) -> bool array`` within ``radius_A`` of the centre."""

    fn: Callable[[np.ndarray], np.ndarray] = field(compare=False)
    radius_A: float = 0.0

    def __post_init__(self) -> None:
        if not self.radius_A > 0:
            raise MofglassError("a mask needs radius_A > 0 (the largest distance from the centre)")

    @property
    def bounding_radius_A(self) -> float:
        """Return the largest distance of an inside point from the centre, Å."""
        return self.radius_A

    def inside(self, rel_A: np.ndarray) -> np.ndarray:
        """Tell which points (Cartesian, Å, relative to the centre) are inside."""
        inside = np.asarray(self.fn(rel_A), dtype=bool)
        near = np.einsum("...k,...k->...", rel_A, rel_A) <= self.radius_A**2
        return inside & near

    def describe(self) -> str:
        """Describe the shape in a few words."""
        return f"mask within {self.radius_A:g} Å"


Shape = Sphere | Spheroid | Polyhedron | Mask


def parse_shape(spec: str) -> Shape:
    """Shape from a command-line spelling: ``sphere:D`` or ``spheroid:D_EQ,D_POLAR`` (Å).

    The spheroid's polar axis is Cartesian z (the c axis of hexagonal and tetragonal cells in
    the usual setting).
    """
    kind, _, args = spec.partition(":")
    try:
        vals = [float(v) for v in args.split(",")] if args else []
    except ValueError:
        raise MofglassError(f"--particle {spec!r}: expected numbers after ':' (Å)") from None
    kind = kind.strip().lower()
    if kind == "sphere" and len(vals) == 1:
        return Sphere(vals[0])
    if kind == "spheroid" and len(vals) == 2:
        return Spheroid(vals[0], vals[1])
    raise MofglassError(
        f"--particle {spec!r}: expected sphere:DIAMETER or spheroid:EQUATORIAL,POLAR (Å)"
    )
