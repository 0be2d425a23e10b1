"""Indexing of measured fringe spacings and the angle between them against a crystal structure.

For two spots with spacings d1, d2 and angle φ between their reciprocal vectors, every pair of
reflections (h1, h2) of the structure (absences removed, all symmetry equivalents) with
d-spacings within ``d_tol`` and an inter-planar angle within ``angle_tol_deg`` is a solution;
the zone axis is ``[uvw] = h1 × h2``. Solutions are ranked by
``(Δd1/d1 / 1 %)² + (Δd2/d2 / 1 %)² + (Δφ / 1°)²`` and symmetry-equivalent ones are merged (the
representative zone is the one with most non-negative indices, then the largest last index).
The zone axis is given up to its sign (the side the image is viewed from).
With one set of fringes only, the nearest reflections by d are listed (the paper's (302) check).
The d-spacings come from :func:`mofglass.structure.properties.d_spacings` (reciprocal metric
tensor, gemmi for absences and equivalents).

References
----------
.. [1] D. B. Williams, C. B. Carter, Transmission Electron Microscopy, 2nd ed., Springer (2009),
   ch. 18 (indexing diffraction patterns; zone axis from the cross product).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import reduce
from typing import Any

import numpy as np

from mofglass.microscopy.lattice import LatticeAnalysis
from mofglass.results import Result

__all__ = ["ZoneSolution", "index_fringes"]


@dataclass(frozen=True)
class ZoneSolution(Result):
    """One indexing of the basis spots."""

    zone: tuple[int, int, int] | None
    hkl: tuple[tuple[int, int, int], ...]
    d_calc_A: tuple[float, ...]
    d_mismatch_pct: tuple[float, ...]
    angle_calc_deg: float | None
    angle_mismatch_deg: float | None
    score: float
    phase: str = ""

    def describe(self) -> str:
        """Describe the solution in one line: zone axis, (hkl) and mismatch."""
        planes = ", ".join(
            f"({''.join(str(i) for i in h)}) {d:.4g} Å [{m:+.2f} %]"
            for h, d, m in zip(self.hkl, self.d_calc_A, self.d_mismatch_pct, strict=True)
        )
        zone = "" if self.zone is None else f"zone [{''.join(str(i) for i in self.zone)}]: "
        ang = (
            ""
            if self.angle_calc_deg is None
            else f"; angle {self.angle_calc_deg:.2f}° [{self.angle_mismatch_deg:+.2f}°]"
        )
        return f"{zone}{planes}{ang}"


def _equivalents(hkl: tuple[int, int, int], ops: Any) -> set[tuple[int, int, int]]:
    if ops is None:
        return {hkl, (-hkl[0], -hkl[1], -hkl[2])}
    eq = {tuple(op.apply_to_hkl(list(hkl))) for op in ops.sym_ops}
    return eq | {(-a, -b, -c) for a, b, c in eq}


def _reduce(v: np.ndarray) -> tuple[int, int, int]:
    iv = [int(x) for x in v]
    g = reduce(math.gcd, [abs(x) for x in iv]) or 1
    a, b, c = (x // g for x in iv)
    return (a, b, c)


def _zone_key(z: tuple[int, int, int]) -> tuple[int, tuple[int, int, int]]:
    return (sum(1 for x in z if x >= 0), (z[2], z[1], z[0]))


def index_fringes(
    analysis: LatticeAnalysis,
    lattice_A: np.ndarray,
    *,
    spacegroup: str | None = None,
    d_tol: float = 0.05,
    angle_tol_deg: float = 3.0,
    n: int = 5,
    phase: str = "",
) -> list[ZoneSolution]:
    """Zone axis and (hkl) of the basis spots of ``analysis``, best first.

    Parameters
    ----------
    analysis : LatticeAnalysis
    lattice_A : ndarray (3, 3)
        Lattice vectors as rows (Å), e.g. ``read_structure(cif).lattice_A``.
    spacegroup : str, optional
        Hermann-Mauguin symbol: removes absent reflections and sets the equivalents.
    d_tol : float
        Relative d tolerance (the pixel calibration of TEM images is rarely better than 2-5 %).
    angle_tol_deg : float
    n : int
        Number of solutions returned.
    """
    import gemmi

    from mofglass.structure.properties import d_spacings, nearest_reflections

    lat = np.asarray(lattice_A, dtype=float)
    basis = analysis.basis
    if not basis:
        return []
    ds = [b.d_A.value for b in basis]
    if len(basis) == 1:
        out = []
        for r in nearest_reflections(lat, ds[0], n=n, spacegroup=spacegroup):
            mis = 100.0 * (ds[0] - r.d_A) / r.d_A
            if abs(mis) <= 100 * d_tol:
                out.append(
                    ZoneSolution(
                        None, (r.hkl,), (r.d_A,), (mis,), None, None, (mis / 1.0) ** 2, phase
                    )
                )
        return out
    recip = np.linalg.inv(lat).T
    sg = gemmi.find_spacegroup_by_name(spacegroup) if spacegroup else None
    ops = sg.operations() if sg is not None else None
    refl = d_spacings(lat, d_min_A=min(ds) * (1 - d_tol) * 0.999, spacegroup=spacegroup)
    cands: list[list[tuple[tuple[int, int, int], float, np.ndarray]]] = []
    for d in ds:
        lst = []
        for r in refl:
            if abs(d - r.d_A) <= d_tol * r.d_A:
                for h in _equivalents(r.hkl, ops):
                    lst.append((h, r.d_A, np.array(h, float) @ recip))
        cands.append(lst)
    phi = analysis.basis_angle_deg.value if analysis.basis_angle_deg is not None else 90.0
    best: dict[tuple[int, int, int], ZoneSolution] = {}
    for h1, d1, v1 in cands[0]:
        for h2, d2, v2 in cands[1]:
            c = float(v1 @ v2 / (np.linalg.norm(v1) * np.linalg.norm(v2)))
            ang = math.degrees(math.acos(max(-1.0, min(1.0, c))))
            da = phi - ang
            if abs(da) > angle_tol_deg:
                continue
            z = np.cross(np.array(h1), np.array(h2))
            if not np.any(z):
                continue
            zone = _reduce(z)
            m1 = 100.0 * (ds[0] - d1) / d1
            m2 = 100.0 * (ds[1] - d2) / d2
            score = m1**2 + m2**2 + da**2
            sol = ZoneSolution(zone, (h1, h2), (d1, d2), (m1, m2), ang, da, score, phase)
            key = _family(zone, ops)
            cur = best.get(key)
            if (
                cur is None
                or score < cur.score - 1e-9
                or (abs(score - cur.score) <= 1e-9 and _zone_key(zone) > _zone_key(cur.zone))  # type: ignore[arg-type]
            ):
                best[key] = sol
    sols = sorted(best.values(), key=lambda s: s.score)[:n]
    # the sign of the zone axis depends on which side the image is viewed from: show it with
    # the fewest negative indices
    return [
        s if _zone_key(s.zone) >= _zone_key(_neg(s.zone)) else replace(s, zone=_neg(s.zone))  # type: ignore[arg-type]
        for s in sols
    ]


def _neg(z: tuple[int, int, int] | None) -> tuple[int, int, int]:
    assert z is not None
    return (-z[0], -z[1], -z[2])


def _family(zone: tuple[int, int, int], ops: Any) -> tuple[int, int, int]:
    """Pick a representative of the symmetry-equivalent zone axes (direct-space rotation parts)."""
    if ops is None:
        return max(zone, tuple(-x for x in zone))  # type: ignore[return-value]
    eq = set()
    for op in ops.sym_ops:
        rot = np.array(op.rot, dtype=float) / op.DEN
        v = rot @ np.array(zone, float)
        eq.add(tuple(round(float(x)) for x in v))
        eq.add(tuple(-round(float(x)) for x in v))
    return max(eq)  # type: ignore[return-value]
