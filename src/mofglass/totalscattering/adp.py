"""Anisotropic displacement parameters (ADPs) for the small-box PDF model.

A CIF's ``_atom_site_aniso_U_ij`` are read per asymmetric site in the CIF convention (U_ij
relative to the reciprocal axes normalised by a*, b*, c*; U_cart = M U Mᵀ with M = A N, A the
direct basis as columns, N = diag(a*, b*, c*)) [1]_. An atom made from its site by the
symmetry operation x' = R x + t carries U' = K U Kᵀ with K = N⁻¹ R N, so the tensor of every
atom follows from its site's.

The free components of a site follow from its site symmetry: U = K U Kᵀ for every operation
that maps the site onto itself. :func:`site_constraints` solves these linear equations and
expresses the six components by the first independent ones (e.g. a site on the 3-fold axis
of P6₃mc: U22 = U11, U12 = U11/2, U13 = U23 = 0; free U11 and U33) [2]_.

The width of the pair i-j at the fractional separation d (distance r) is, as in PDFfit2 [3]_,

    σ² = zᵢᵀ Uᵢ zᵢ + zⱼᵀ Uⱼ zⱼ,   z = N Rᵀ G d / r,

the projection of each atom's Cartesian tensor on the pair direction (G the metric tensor,
R the operation that made the atom from its site).

References
----------
.. [1] R. W. Grosse-Kunstleve, P. D. Adams, J. Appl. Cryst. 35, 477 (2002).
.. [2] K. N. Trueblood et al., Acta Cryst. A 52, 770 (1996).
.. [3] C. L. Farrow et al., J. Phys.: Condens. Matter 19, 335219 (2007).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from mofglass.errors import MofglassError

if TYPE_CHECKING:
    from mofglass.structure.crystal import Crystal

__all__ = [
    "U_NAMES",
    "AnisoModel",
    "load_phase",
    "read_aniso",
    "reciprocal_lengths",
    "site_constraints",
]

#: CIF order of the six components.
U_NAMES = ("U11", "U22", "U33", "U12", "U13", "U23")
_PAIRS = ((0, 0), (1, 1), (2, 2), (0, 1), (0, 2), (1, 2))


def _tensor(u: np.ndarray) -> np.ndarray:
    """3x3 symmetric tensor from the six CIF components."""
    t = np.zeros((3, 3))
    for k, (i, j) in enumerate(_PAIRS):
        t[i, j] = t[j, i] = u[k]
    return t


def reciprocal_lengths(lattice_rows: np.ndarray) -> np.ndarray:
    """Return a*, b*, c* (Å⁻¹, without 2π) of a lattice given as row vectors."""
    return np.linalg.norm(np.linalg.inv(lattice_rows), axis=0)


def site_constraints(
    rotations: list[np.ndarray], nstar: np.ndarray
) -> tuple[list[int], np.ndarray]:
    """Free components of a site's U and the matrix giving all six from them.

    Parameters
    ----------
    rotations : list of ndarray
        Rotation parts (fractional) of the operations that map the site onto itself.
    nstar : ndarray
        a*, b*, c* of the cell, Å⁻¹.

    Returns
    -------
    tuple
        (indices into :data:`U_NAMES` of the free components, T of shape (6, m)) with
        U = T @ U[free].
    """
    n, ninv = np.diag(nstar), np.diag(1.0 / nstar)
    rows = []
    for rot in rotations:
        k = ninv @ rot @ n
        t = np.empty((6, 6))
        for col in range(6):
            e = np.zeros(6)
            e[col] = 1.0
            m = k @ _tensor(e) @ k.T
            t[:, col] = [m[i, j] for i, j in _PAIRS]
        rows.append(t - np.eye(6))
    if not rows:
        return list(range(6)), np.eye(6)
    _, s, vt = np.linalg.svd(np.vstack(rows))
    rank = int(np.sum(s > 1e-8 * max(1.0, float(s[0]))))
    basis = vt[rank:].T  # (6, m): the invariant tensors
    free: list[int] = []
    for comp in range(6):
        if np.linalg.matrix_rank(basis[[*free, comp]], tol=1e-8) > len(free):
            free.append(comp)
        if len(free) == basis.shape[1]:
            break
    tmat = basis @ np.linalg.inv(basis[free])
    tmat[np.abs(tmat) < 1e-10] = 0.0
    return free, tmat


@dataclass(frozen=True, eq=False)
class AnisoModel:
    """The anisotropic ADPs of a structure, per asymmetric site, and which atom is which.

    Attributes
    ----------
    labels : tuple of str
        Site labels (parameter names are ``U11_<label>`` etc.).
    elements : tuple of str
        Element of each site.
    u_start : ndarray, shape (S, 6)
        The CIF's U components per site, symmetrised, Å².
    free : tuple of tuple of int
        Free components per site (indices into :data:`U_NAMES`).
    tmat : tuple of ndarray
        Per site, T (6, m) with U = T @ U[free].
    site : ndarray of int, shape (N,)
        Site of each atom of the structure, -1 for an isotropic atom.
    rotation : ndarray, shape (N, 3, 3)
        Fractional rotation that made each atom from its site.
    """

    labels: tuple[str, ...]
    elements: tuple[str, ...]
    u_start: np.ndarray
    free: tuple[tuple[int, ...], ...]
    tmat: tuple[np.ndarray, ...]
    site: np.ndarray
    rotation: np.ndarray

    def parameter_names(self) -> list[tuple[str, int, int]]:
        """(name, site, component) of every free component, e.g. ``("U11_Cd1", 0, 0)``."""
        return [
            (f"{U_NAMES[c]}_{lab}", s, c) for s, lab in enumerate(self.labels) for c in self.free[s]
        ]

    def site_tensors(self, values: dict[str, float]) -> np.ndarray:
        """(S, 6) CIF components of every site from the free-component values by name."""
        out = np.empty((len(self.labels), 6))
        for s, lab in enumerate(self.labels):
            p = np.array([values[f"{U_NAMES[c]}_{lab}"] for c in self.free[s]])
            out[s] = self.tmat[s] @ p
        return out

    def pair_widths(
        self, i: np.ndarray, j: np.ndarray, d: np.ndarray, lat: np.ndarray, u_sites: np.ndarray
    ) -> np.ndarray:
        """zᵢᵀUᵢzᵢ + zⱼᵀUⱼzⱼ for pairs (i, j) at fractional separations d (0 for iso atoms)."""
        g = lat @ lat.T
        nstar = reciprocal_lengths(lat)
        gd = d @ g
        r = np.sqrt(np.maximum(np.einsum("ij,ij->i", gd, d), 1e-30))
        out = np.zeros(i.size)
        for atoms in (i, j):
            s = self.site[atoms]
            aniso = s >= 0
            if not aniso.any():
                continue
            rot = self.rotation[atoms[aniso]]
            z = np.einsum("nkl,nk->nl", rot, gd[aniso]) * nstar / r[aniso, None]
            u = u_sites[s[aniso]]
            out[aniso] += (
                u[:, 0] * z[:, 0] ** 2
                + u[:, 1] * z[:, 1] ** 2
                + u[:, 2] * z[:, 2] ** 2
                + 2 * (u[:, 3] * z[:, 0] * z[:, 1] + u[:, 4] * z[:, 0] * z[:, 2])
                + 2 * u[:, 5] * z[:, 1] * z[:, 2]
            )
        return out


def _symops(path: Path) -> tuple[object, list[tuple[np.ndarray, np.ndarray]]]:
    import gemmi

    small = gemmi.read_small_structure(str(path))
    if small.symops:
        ops = [gemmi.Op(s) for s in small.symops]
    elif small.spacegroup is not None:
        ops = list(small.spacegroup.operations())
    else:
        ops = [gemmi.Op("x,y,z")]
    den = float(gemmi.Op.DEN)
    return small, [
        (np.array(op.rot, dtype=float) / den, np.array(op.tran, dtype=float) / den) for op in ops
    ]


def _same(a: np.ndarray, b: np.ndarray, tol: float = 2e-3) -> bool:
    diff = (a - b + 0.5) % 1.0 - 0.5
    return bool(np.all(np.abs(diff) < tol))


def load_phase(path: str | Path) -> Crystal:
    """Read a structure for refinement, its anisotropic ADPs (if any) in ``metadata["aniso"]``.

    Parameters
    ----------
    path : str or Path
        CIF (or any file :func:`mofglass.structure.read_structure` reads).

    Returns
    -------
    Crystal
    """
    import dataclasses

    from mofglass.structure import read_structure

    crystal = read_structure(path)
    aniso = read_aniso(crystal, path)
    if aniso is None:
        return crystal
    meta = dict(crystal.metadata or {})
    meta["aniso"] = aniso
    return dataclasses.replace(crystal, metadata=meta)


def read_aniso(crystal: Crystal, cif: str | Path) -> AnisoModel | None:
    """Read the anisotropic ADPs of a structure from its CIF (None if it has none).

    Parameters
    ----------
    crystal : Crystal
        The symmetry-expanded structure read from ``cif``
        (:func:`mofglass.structure.read_structure`).
    cif : str or Path
        The CIF, read again for the ``_atom_site_aniso`` loop and the symmetry operations.

    Returns
    -------
    AnisoModel or None
        None when the CIF has no anisotropic site (or the structure has no CIF).
    """
    path = Path(cif)
    if crystal.lattice_A is None or path.suffix.lower() != ".cif" or not path.is_file():
        return None
    small, ops = _symops(path)
    sites = [s for s in small.sites if s.aniso.nonzero()]  # type: ignore[attr-defined]
    if not sites:
        return None
    nstar = reciprocal_lengths(np.asarray(crystal.lattice_A, dtype=float))
    labels, elements, u0, free, tmats = [], [], [], [], []
    frac_sites = []
    for s in sites:
        x = np.array([s.fract.x, s.fract.y, s.fract.z])
        stab = [rot for rot, t in ops if _same(rot @ x + t, x)]
        f, tm = site_constraints(stab, nstar)
        a = s.aniso
        u = np.array([a.u11, a.u22, a.u33, a.u12, a.u13, a.u23], dtype=float)
        labels.append(str(s.label))
        elements.append(str(s.type_symbol or s.element.name))
        u0.append(tm @ u[f])
        free.append(tuple(f))
        tmats.append(tm)
        frac_sites.append(x)
    n = crystal.n_atoms
    site = np.full(n, -1, dtype=np.int64)
    rotation = np.tile(np.eye(3), (n, 1, 1))
    species = [str(e) for e in crystal.species]
    for k, xk in enumerate(np.asarray(crystal.frac, dtype=float)):
        for sidx, xs in enumerate(frac_sites):
            if species[k] != elements[sidx]:
                continue
            hit = next((rot for rot, t in ops if _same(rot @ xs + t, xk)), None)
            if hit is not None:
                site[k], rotation[k] = sidx, hit
                break
    if (site < 0).all():
        raise MofglassError(f"{path.name}: no atom of the structure matches an anisotropic site")
    return AnisoModel(
        tuple(labels), tuple(elements), np.array(u0), tuple(free), tuple(tmats), site, rotation
    )
