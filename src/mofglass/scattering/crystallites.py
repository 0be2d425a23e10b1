"""Crystallites cut from periodic structures, and their exact pair histograms by lattice sums.

A :class:`Crystallite` is a periodic structure (the basis: one cell, P1) and a shape
(:mod:`mofglass.scattering.shapes`) around a centre; it keeps one occupancy mask per basis atom
on the grid of lattice cells. :func:`lattice_pair_histogram` histograms all of its pair
distances from the masks' overlap counts (:mod:`mofglass.scattering._lattice`): every
(basis atom i, basis atom j, lattice vector R) gives C_ij(R) pairs at one distance, so the work
grows like N^(4/3) n_basis^(2/3) + 8 N n_basis instead of N²/2, and the memory like N. The
result is the same :class:`~mofglass.scattering.pairs.PairHistogram` as the all-pairs route
(identical to round-off), which the Debye route (:func:`mofglass.scattering.debye_intensity`)
then sums. Models made by :func:`crystallite_model` remember their crystallite, so that the
Debye route picks the lattice sums by itself.

Surface relaxation and strain are outside this route: a model whose atoms moved is a general
model (its metadata no longer matches, and the all-pairs route is used).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

from mofglass._renamed import renamed_keywords
from mofglass.errors import MofglassError
from mofglass.scattering import _lattice
from mofglass.scattering.crystallite_symmetry import pair_orbits
from mofglass.scattering.pairs import PairHistogram, _class_table, _result
from mofglass.scattering.shapes import Shape
from mofglass.structure import Crystal

__all__ = [
    "Crystallite",
    "crystallite",
    "crystallite_model",
    "crystallite_of",
    "lattice_pair_histogram",
]


@dataclass(frozen=True, eq=False)
class Crystallite:
    """A finite piece of a periodic structure.

    Attributes
    ----------
    crystal : Crystal
        The periodic structure (P1 basis of one cell).
    shape : Shape
        Which atoms are inside (relative to ``centre_A``).
    centre_A : ndarray, shape (3,)
        Cartesian centre of the shape, Å.
    origin : ndarray of int, shape (3,)
        Lattice index of the first cell of the mask grid.
    masks : ndarray of bool, shape (n_basis, g1, g2, g3)
        masks[i, n] is True when basis atom i of cell ``origin + n`` is inside.
    """

    crystal: Crystal
    shape: Shape
    centre_A: np.ndarray
    origin: np.ndarray
    masks: np.ndarray

    @property
    def site_counts(self) -> np.ndarray:
        """Number of copies of each basis atom in the crystallite."""
        return self.masks.reshape(self.masks.shape[0], -1).sum(axis=1)

    @property
    def n_atoms(self) -> int:
        """Number of atoms in the crystallite."""
        return int(self.site_counts.sum())

    def positions_of(self, i: int) -> np.ndarray:
        """Cartesian positions (relative to the centre, Å) of the copies of basis atom i."""
        lat = self.crystal.lattice_A
        assert lat is not None
        cells = np.argwhere(self.masks[i]) + self.origin
        return (cells + self.crystal.frac[i]) @ lat - self.centre_A

    def describe(self) -> str:
        """Describe source, shape and size in one line."""
        return f"{self.crystal.source} {self.shape.describe()} ({self.n_atoms} atoms)"

    def lattice_sums_pay(self) -> bool:
        """Whether lattice sums beat all pairs: n_basis²/2 (rows² + 8 cells) x 3 < N²/2.

        Per basis pair the lattice route visits every pair of mask rows and every lattice
        vector of the difference body (about 8 cells per cell), each ~3 times the cost of one
        pair distance of the all-pairs engine. A huge basis with few cells (e.g. a cluster cut
        from a glass box) is cheaper by all pairs.
        """
        lat = self.crystal.lattice_A
        assert lat is not None
        axis = int(np.argmin(np.linalg.norm(lat, axis=1))) + 1
        rows = self.masks.any(axis=axis).reshape(self.masks.shape[0], -1).sum(axis=1)
        cells = self.site_counts
        n_b = float((cells > 0).sum())
        work = 0.5 * n_b**2 * (float(np.mean(rows)) ** 2 + 8.0 * float(np.mean(cells)))
        return 3.0 * work < 0.5 * float(self.n_atoms) ** 2


def crystallite(
    crystal: Crystal,
    shape: Shape,
    *,
    centre_frac: tuple[float, float, float] | None = None,
) -> Crystallite:
    """Cut a crystallite of the given shape from a periodic structure.

    Parameters
    ----------
    crystal : Crystal
        Periodic structure.
    shape : Shape
        :class:`~mofglass.scattering.shapes.Sphere`, ``Spheroid``, ``Polyhedron`` or ``Mask``.
    centre_frac : tuple, optional
        Centre of the shape in fractional coordinates; default the first atom (as
        :func:`mofglass.scattering.models.nanoparticle`).
    """
    lat = crystal.lattice_A
    if lat is None:
        raise MofglassError(
            "a crystallite is cut from a periodic structure (the model has no cell)"
        )
    if crystal.n_atoms == 0:
        raise MofglassError("the structure has no atoms")
    frac = crystal.frac
    centre = crystal.positions_A[0] if centre_frac is None else np.asarray(centre_frac) @ lat
    radius = float(shape.bounding_radius_A)
    vol = abs(float(np.linalg.det(lat)))
    widths = np.array(
        [vol / np.linalg.norm(np.cross(lat[(k + 1) % 3], lat[(k + 2) % 3])) for k in range(3)]
    )
    fc = np.asarray(centre, dtype=float) @ np.linalg.inv(lat)
    lo = np.floor(fc - radius / widths - frac.max(axis=0)).astype(np.int64) - 1
    hi = np.ceil(fc + radius / widths - frac.min(axis=0)).astype(np.int64) + 1
    axes = [np.arange(a, b + 1) for a, b in zip(lo, hi, strict=True)]
    g = tuple(len(a) for a in axes)
    cells = np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, 3).astype(float)
    cart = cells @ lat - centre
    masks = np.empty((crystal.n_atoms, *g), dtype=bool)
    for i in range(crystal.n_atoms):
        masks[i] = shape.inside(cart + frac[i] @ lat).reshape(g)
    if not masks.any():
        raise MofglassError(f"no atom of {crystal.source} inside the {shape.describe()}")
    # trim the grid to the cells in use
    used = [
        np.nonzero(masks.any(axis=tuple(a for a in range(4) if a != k + 1)))[0] for k in range(3)
    ]
    sl = tuple(slice(int(u[0]), int(u[-1]) + 1) for u in used)
    masks = np.ascontiguousarray(masks[(slice(None), *sl)])
    origin = lo + np.array([int(u[0]) for u in used], dtype=np.int64)
    return Crystallite(crystal, shape, np.asarray(centre, dtype=float), origin, masks)


def crystallite_model(cr: Crystallite) -> Crystal:
    """Make the crystallite's atoms a finite model that remembers its crystallite.

    Positions are relative to the centre; atoms are ordered by basis atom. The Debye route
    uses the lattice sums for such a model as long as its atoms are unchanged.
    """
    c = cr.crystal
    counts = cr.site_counts
    pos = np.vstack([cr.positions_of(i) for i in range(c.n_atoms)])
    idx = np.repeat(np.arange(c.n_atoms), counts)
    species = tuple(np.asarray(c.species, dtype=object)[idx].tolist())
    model = Crystal(
        species,
        pos,
        None,
        c.occupancy[idx],
        c.uiso_A2[idx],
        tuple(f"{s}{k + 1}" for k, s in enumerate(species)),
        source=f"{c.source} {cr.shape.describe()}",
    )
    model.metadata["crystallite"] = cr
    model.metadata["crystallite_fingerprint"] = _fingerprint(model)
    return model


def crystallite_of(model: Crystal | Crystallite) -> Crystallite | None:
    """Return the crystallite a finite model was cut from, if known and its atoms still match."""
    if isinstance(model, Crystallite):
        return model
    cr = model.metadata.get("crystallite") if model.lattice_A is None else None
    if not isinstance(cr, Crystallite) or cr.n_atoms != model.n_atoms:
        return None
    return cr if model.metadata.get("crystallite_fingerprint") == _fingerprint(model) else None


def _fingerprint(model: Crystal) -> str:
    h = hashlib.blake2b(digest_size=16)
    for arr in (model.positions_A, model.occupancy, model.uiso_A2):
        h.update(np.ascontiguousarray(arr, dtype=float).tobytes())
    h.update("\0".join(model.species).encode())
    return h.hexdigest()


def _runs(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Find the runs of True along axis 0 of a (g1, g2, g3) mask: (row n3*g2+n2, lo, hi)."""
    g1, g2, g3 = mask.shape
    m = np.transpose(mask, (2, 1, 0)).reshape(g3 * g2, g1).astype(np.int8)
    d = np.diff(np.pad(m, ((0, 0), (1, 1))), axis=1)
    rs, cs = np.nonzero(d == 1)
    _re, ce = np.nonzero(d == -1)
    return rs, cs, ce - 1  # np.nonzero is row-major: starts and ends pair up in order


def _run_tables(masks: np.ndarray) -> dict[str, np.ndarray]:
    n_b, _g1, g2, g3 = masks.shape
    lo_all, hi_all = [], []
    row_ptr = np.zeros((n_b, g2 * g3 + 1), dtype=np.int64)
    lo2 = np.full((n_b, g3), g2, dtype=np.int64)
    hi2 = np.full((n_b, g3), -1, dtype=np.int64)
    lo3 = np.full(n_b, g3, dtype=np.int64)
    hi3 = np.full(n_b, -1, dtype=np.int64)
    start = 0
    for b in range(n_b):
        key, lo, hi = _runs(masks[b])
        lo_all.append(lo)
        hi_all.append(hi)
        row_ptr[b, 1:] = np.cumsum(np.bincount(key, minlength=g2 * g3))
        row_ptr[b] += start
        start += key.size
        if key.size:
            n3, n2 = key // g2, key % g2
            np.minimum.at(lo2[b], n3, n2)
            np.maximum.at(hi2[b], n3, n2)
            lo3[b], hi3[b] = int(n3.min()), int(n3.max())
    run_lo = np.concatenate(lo_all).astype(np.int64)
    run_hi = np.concatenate(hi_all).astype(np.int64)
    dense = bool(np.all(np.diff(row_ptr, axis=1) <= 1))
    if dense:
        dlo = np.full((n_b, g3 * g2), 1, dtype=np.int64)
        dhi = np.full((n_b, g3 * g2), 0, dtype=np.int64)
        for b in range(n_b):
            start_b = row_ptr[b, :-1]
            has = np.diff(row_ptr[b]) == 1
            dlo[b, has] = run_lo[start_b[has]]
            dhi[b, has] = run_hi[start_b[has]]
        dlo = dlo.reshape(n_b, g3, g2)
        dhi = dhi.reshape(n_b, g3, g2)
    else:
        dlo = np.zeros((1, 1, 1), dtype=np.int64)
        dhi = np.zeros((1, 1, 1), dtype=np.int64)
    return {
        "dense": dense,  # type: ignore[dict-item]
        "dlo": dlo,
        "dhi": dhi,
        "run_lo": run_lo,
        "run_hi": run_hi,
        "row_ptr": row_ptr,
        "lo2": lo2,
        "hi2": hi2,
        "lo3": lo3,
        "hi3": hi3,
    }


@renamed_keywords(rmax_A="r_max_A")
def lattice_pair_histogram(
    cr: Crystallite,
    *,
    dr_A: float = 0.01,
    types: np.ndarray | None = None,
    labels: np.ndarray | None = None,
    spread: str = "bin",
    n_bins: int | None = None,
    symmetry: bool = True,
    r_max_A: float | None = None,
) -> PairHistogram:
    """All pair distances of a crystallite, by type pair and network kind, by lattice sums.

    Parameters
    ----------
    cr : Crystallite
    dr_A : float
        Bin width, Å.
    types : ndarray of int, shape (n_basis,), optional
        Type of each basis atom (0..n_types-1).
    labels : ndarray of int, shape (n_basis,), optional
        Network of each basis atom in the periodic structure (-1: none).
    spread : {"bin", "linear"}
        As :func:`mofglass.scattering.pairs.pair_histogram`.
    n_bins : int, optional
        Histogram length; default that of the all-pairs route for the same atoms
        (bounding-box diagonal / dr + 3).
    symmetry : bool
        Sum one basis pair per orbit of the crystallite's symmetry operations (those of the
        crystal that fix the centre and map the crystallite onto itself, checked exactly;
        :mod:`mofglass.scattering.crystallite_symmetry`), times the orbit size.

    Returns
    -------
    PairHistogram
        The same histogram as ``pair_histogram(atoms, r_max_A=None, ...)`` on the crystallite's
        atoms (equal to round-off).

    References
    ----------
    .. [1] P. Debye, Ann. Phys. 351, 809 (1915); the pair count per lattice vector as an
       overlap (autocorrelation) of the occupancy: A. Guinier, X-Ray Diffraction (1963), §5.
    """
    c = cr.crystal
    lat = c.lattice_A
    assert lat is not None
    n_b = c.n_atoms
    t = np.zeros(n_b, dtype=np.int64) if types is None else np.asarray(types, dtype=np.int64)
    lab = np.zeros(n_b, dtype=np.int64) if labels is None else np.asarray(labels, dtype=np.int64)
    if t.shape != (n_b,) or lab.shape != (n_b,):
        raise ValueError("types and labels need one value per basis atom")
    if spread not in ("bin", "linear"):
        raise ValueError("spread must be 'bin' or 'linear'")
    n_types = int(t.max()) + 1
    ctab, class_types = _class_table(n_types)
    counts_b = cr.site_counts
    occ = c.occupancy
    type_weight = np.bincount(t, weights=occ * counts_b, minlength=n_types).astype(float)
    if n_bins is None and r_max_A is not None:
        n_bins = int(np.ceil(float(r_max_A) / dr_A)) + (0 if spread == "bin" else 1)
    if n_bins is None:
        lo = np.full(3, np.inf)
        hi = np.full(3, -np.inf)
        for i in np.nonzero(counts_b)[0]:
            p = cr.positions_of(int(i))
            lo = np.minimum(lo, p.min(axis=0))
            hi = np.maximum(hi, p.max(axis=0))
        n_bins = int(np.ceil(float(np.linalg.norm(hi - lo)) / dr_A)) + 3
    # runs along the shortest lattice vector: the fewest rows (rows ~ |a1| / cell volume)
    k0 = int(np.argmin(np.linalg.norm(lat, axis=1)))
    perm = [k0, (k0 + 1) % 3, (k0 + 2) % 3]
    masks = np.ascontiguousarray(np.transpose(cr.masks, (0, *(p + 1 for p in perm))))
    tables = _run_tables(masks)
    ii, jj = np.triu_indices(n_b)
    present = (counts_b[ii] > 0) & (counts_b[jj] > 0)
    ii, jj = ii[present], jj[present]
    mult = np.ones(ii.size)
    if symmetry:
        keys = np.stack([t, lab, np.round(occ * 1e6).astype(np.int64)], axis=1)
        numbers = np.unique(keys, axis=0, return_inverse=True)[1].ravel() + 1
        fc = cr.centre_A @ np.linalg.inv(lat)
        heavy = np.asarray(c.species, dtype=str) != "H"
        keep, mult, _ = pair_orbits(
            cr.masks, cr.origin, c.frac, lat, fc, numbers, ii, jj, heavy=heavy
        )
        ii, jj = ii[keep], jj[keep]
    kind = np.where((lab[ii] < 0) | (lab[jj] < 0), 2, np.where(lab[ii] == lab[jj], 0, 1))
    full_row = 3 * ctab[t[ii], t[jj]] + kind
    rows_used, pair_row = np.unique(full_row, return_inverse=True)
    mode = 0 if spread == "bin" else 1
    g1, g2 = masks.shape[1], masks.shape[2]
    hist = _lattice.lattice_hist(
        ii.astype(np.int64),
        jj.astype(np.int64),
        pair_row.astype(np.int64).ravel(),
        occ[ii] * occ[jj] * mult,
        np.ascontiguousarray(c.frac[:, perm]),
        np.ascontiguousarray(lat[perm]),
        tables["run_lo"],
        tables["run_hi"],
        tables["row_ptr"],
        tables["dense"],
        tables["dlo"],
        tables["dhi"],
        tables["lo2"],
        tables["hi2"],
        tables["lo3"],
        tables["hi3"],
        g1,
        g2,
        rows_used.size,
        float(dr_A),
        n_bins,
        mode,
        _n_chunks(),
        np.inf if r_max_A is None else float(r_max_A),
    )
    counts = np.zeros((len(class_types) * 3, n_bins))
    counts[rows_used] = hist
    return _result(
        counts.reshape(len(class_types), 3, n_bins), dr_A, class_types, type_weight, None, spread
    )


def _n_chunks() -> int:
    """Give one partial histogram per numba thread.

    Lattice-sum histograms span the whole crystallite (up to 10^6 bins per row), so a fixed
    number of chunks as in :func:`mofglass.scattering.pairs._n_chunks` would cost memory.
    """
    import numba

    return int(numba.get_num_threads())
