"""Finite and periodic atom models built from crystals.

Supercells, spherical nanoparticles, and frame-averaged PDFs of trajectories.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from mofglass.errors import MofglassError
from mofglass.scattering.pdf import PDFResult, crystal_pdf
from mofglass.structure import Crystal

__all__ = ["average_pdf", "nanoparticle", "supercell"]


def supercell(crystal: Crystal, reps: tuple[int, int, int]) -> Crystal:
    """Periodic supercell n1 x n2 x n3 of a crystal."""
    lat = crystal.lattice_A
    if lat is None:
        raise MofglassError("a supercell needs a periodic structure")
    shifts = np.stack(np.meshgrid(*[np.arange(k) for k in reps], indexing="ij"), -1).reshape(-1, 3)
    pos = (crystal.positions_A[None, :, :] + (shifts @ lat)[:, None, :]).reshape(-1, 3)
    m = len(shifts)
    return Crystal(
        crystal.species * m,
        pos,
        lat * np.array(reps)[:, None],
        np.tile(crystal.occupancy, m),
        np.tile(crystal.uiso_A2, m),
        crystal.labels * m,
        source=f"{crystal.source} x{reps}",
    )


def nanoparticle(
    crystal: Crystal, diameter_A: float, *, center_frac: tuple[float, float, float] | None = None
) -> Crystal:
    """Atoms of a crystal within a sphere of the given diameter (a finite model).

    Parameters
    ----------
    crystal : Crystal
        Periodic structure.
    diameter_A : float
        Sphere diameter, Å.
    center_frac : tuple, optional
        Sphere centre in fractional coordinates of the cell; default the first atom.
    """
    lat = crystal.lattice_A
    if lat is None:
        raise MofglassError("a nanoparticle is cut from a periodic structure")
    radius = diameter_A / 2.0
    centre = crystal.positions_A[0] if center_frac is None else np.asarray(center_frac) @ lat
    widths = [
        abs(np.linalg.det(lat)) / np.linalg.norm(np.cross(lat[(k + 1) % 3], lat[(k + 2) % 3]))
        for k in range(3)
    ]
    reps = [int(np.ceil(radius / w)) + 1 for w in widths]
    shifts = np.stack(
        np.meshgrid(*[np.arange(-k, k + 1) for k in reps], indexing="ij"), -1
    ).reshape(-1, 3)
    species, pos, occ, uiso = [], [], [], []
    for s in shifts:
        p = crystal.positions_A + s @ lat
        keep = np.linalg.norm(p - centre, axis=1) <= radius
        if keep.any():
            species.extend(np.array(crystal.species)[keep].tolist())
            pos.append(p[keep])
            occ.append(crystal.occupancy[keep])
            uiso.append(crystal.uiso_A2[keep])
    if not pos:
        raise MofglassError(f"no atom within {diameter_A} Å")
    allpos = np.vstack(pos) - centre
    return Crystal(
        tuple(species),
        allpos,
        None,
        np.concatenate(occ),
        np.concatenate(uiso),
        tuple(f"{s}{i + 1}" for i, s in enumerate(species)),
        source=f"{crystal.source} sphere {diameter_A:g} A",
    )


def average_pdf(frames: Iterable[Crystal], **options: Any) -> PDFResult:
    """PDF averaged over the frames of a trajectory, one frame in memory at a time.

    ``options`` are those of :func:`mofglass.scattering.pdf.crystal_pdf` (the same for every
    frame); partials and densities are averaged frame by frame.
    """
    total: dict[str, Any] | None = None
    n = 0
    for frame in frames:
        res = crystal_pdf(frame, **options)
        n += 1
        if total is None:
            total = {
                "G": res.G.copy(),
                "D": res.D.copy(),
                "g": res.g.copy(),
                "rho": res.number_density_invA3,
                "f": res.mean_f,
                "e": {k: v.copy() for k, v in res.element_partials.items()},
                "k": {k: v.copy() for k, v in res.kind_partials.items()},
                "ek": {k: v.copy() for k, v in res.element_kind_partials.items()},
                "w": dict(res.weights),
                "r": res.r_A,
            }
        else:
            for key in ("G", "D", "g"):
                total[key] += getattr(res, key)
            total["rho"] += res.number_density_invA3
            total["f"] += res.mean_f
            for tag, parts in (
                ("e", res.element_partials),
                ("k", res.kind_partials),
                ("ek", res.element_kind_partials),
            ):
                for k, v in parts.items():
                    total[tag][k] = total[tag].get(k, 0.0) + v
    if total is None:
        raise MofglassError("the trajectory has no frame")
    return PDFResult(
        total["r"],
        total["G"] / n,
        total["D"] / n,
        total["g"] / n,
        total["rho"] / n,
        total["f"] / n,
        {k: v / n for k, v in total["e"].items()},
        {k: v / n for k, v in total["k"].items()},
        {k: v / n for k, v in total["ek"].items()},
        total["w"],
        options.get("qmax_invA"),
        options.get("q_damp_invA", options.get("qdamp_invA", 0.0)),
    )
