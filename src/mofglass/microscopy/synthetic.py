"""Synthetic HR-TEM-like lattice images from a projected crystal structure (for tests and demo).

The structure is projected along a lattice direction (``[100]``, ``[010]`` or ``[001]``): every
atom, repeated over the field of view, adds its atomic number at its projected position; the
map is blurred by a Gaussian (the point spread, ``blur_A``) and Gaussian noise is added. Where
``crystal_mask`` is False the same number of atoms is placed at random (an amorphous region).
This is a projected-potential image, not a multislice simulation: fringe spacings and the
projection symmetry are right, contrast and its defocus dependence are not.
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage

from mofglass.microscopy.micrograph import Micrograph
from mofglass.structure.crystal import Crystal

__all__ = ["projected_lattice_image"]

_Z = {"H": 1, "C": 6, "N": 7, "O": 8, "Zn": 30, "Cd": 48, "Co": 27, "Sr": 38, "Ti": 22, "Cu": 29}


def projected_lattice_image(
    crystal: Crystal,
    *,
    zone: str = "010",
    shape: tuple[int, int] = (512, 512),
    pixel_size_A: float = 0.25,
    blur_A: float = 0.7,
    noise: float = 0.3,
    crystal_mask: np.ndarray | None = None,
    seed: int = 0,
) -> Micrograph:
    """Image of ``crystal`` projected along a principal zone axis.

    Parameters
    ----------
    crystal : Crystal
        Periodic structure (lattice vectors as rows).
    zone : {"100", "010", "001"}
        Projection direction.
    shape : (ny, nx)
    pixel_size_A : float
    blur_A : float
        Gaussian sigma of the point spread (Å).
    noise : float
        Standard deviation of the added Gaussian noise relative to that of the noise-free
        crystalline part of the image.
    crystal_mask : bool ndarray of ``shape``, optional
        Where the lattice is; elsewhere atoms are random (amorphous).
    seed : int
    """
    if crystal.lattice_A is None:
        raise ValueError("a periodic structure is needed")
    axis = {"100": 0, "010": 1, "001": 2}.get(zone)
    if axis is None:
        raise ValueError(f"zone must be 100, 010 or 001, got {zone!r}")
    lat = crystal.lattice_A
    t = lat[axis] / np.linalg.norm(lat[axis])
    u_idx, v_idx = [k for k in range(3) if k != axis]

    def proj(r: np.ndarray) -> np.ndarray:
        return r - np.outer(r @ t, t) if r.ndim == 2 else r - (r @ t) * t

    e1 = proj(lat[u_idx])
    e1 /= np.linalg.norm(e1)
    e2 = np.cross(t, e1)
    basis2 = np.array([[lat[u_idx] @ e1, lat[u_idx] @ e2], [lat[v_idx] @ e1, lat[v_idx] @ e2]])
    pos = proj(crystal.positions_A)
    xy = np.column_stack([pos @ e1, pos @ e2])
    ny, nx = shape
    w, h = nx * pixel_size_A, ny * pixel_size_A
    corners = np.array([[0, 0], [w, 0], [0, h], [w, h]], float)
    frac = corners @ np.linalg.inv(basis2)
    lo = np.floor(frac.min(axis=0)).astype(int) - 1
    hi = np.ceil(frac.max(axis=0)).astype(int) + 1
    ii, kk = np.meshgrid(np.arange(lo[0], hi[0] + 1), np.arange(lo[1], hi[1] + 1), indexing="ij")
    shifts = np.column_stack([ii.ravel(), kk.ravel()]) @ basis2
    allxy = (xy[None, :, :] + shifts[:, None, :]).reshape(-1, 2)
    z = np.array([_Z.get(s, 6) for s in crystal.species], float) * crystal.occupancy
    allz = np.tile(z, shifts.shape[0])
    inside = (allxy[:, 0] >= 0) & (allxy[:, 0] < w) & (allxy[:, 1] >= 0) & (allxy[:, 1] < h)
    allxy, allz = allxy[inside], allz[inside]
    rng = np.random.default_rng(seed)
    if crystal_mask is not None:
        mask = np.asarray(crystal_mask, bool)
        ix = np.clip((allxy[:, 0] / pixel_size_A).astype(int), 0, nx - 1)
        iy = np.clip((allxy[:, 1] / pixel_size_A).astype(int), 0, ny - 1)
        amorph = ~mask[ny - 1 - iy, ix]
        # the amorphous region keeps its atoms (same density) at random places inside it
        need = int(amorph.sum())
        frac_amorph = max(float((~mask).mean()), 1e-9)
        trial = rng.uniform([0, 0], [w, h], size=(int(need / frac_amorph * 1.3) + 16, 2))
        tx = np.clip((trial[:, 0] / pixel_size_A).astype(int), 0, nx - 1)
        ty = np.clip((trial[:, 1] / pixel_size_A).astype(int), 0, ny - 1)
        trial = trial[~mask[ny - 1 - ty, tx]][:need]
        allxy = allxy.copy()
        allxy[np.flatnonzero(amorph)[: trial.shape[0]]] = trial
    img, _, _ = np.histogram2d(
        allxy[:, 1], allxy[:, 0], bins=(ny, nx), range=((0, h), (0, w)), weights=allz
    )
    img = ndimage.gaussian_filter(img[::-1], blur_A / pixel_size_A)  # row 0 at the top
    ref = img[np.asarray(crystal_mask, bool)] if crystal_mask is not None else img
    img = img + noise * (ref.std() if ref.size else img.std()) * rng.standard_normal(img.shape)
    return Micrograph(
        img, (pixel_size_A, pixel_size_A), f"synthetic {zone} projection", "file", simulated=True
    )
