"""The small-box PDF model of real-space refinement (PDFfit2 conventions) on the pair engine.

A phase is a periodic structure with fixed fractional coordinates; its cell follows the free
lattice parameters of its crystal system. For a set of parameter values the pair engine
(:func:`mofglass.scattering.pair_histogram`) histograms every pair distance (all periodic
images) by element pair on a fine grid; each histogram node becomes a Gaussian of variance

    σ² = (U_a + U_b) (1 - δ1/r - δ2/r² + Qbroad² r²)

(PDFfit2's correlated-motion sharpening and Q-resolution broadening [1]_), summed as
R(r)/r - 4πρ0 r, multiplied by the phase scale and its particle envelope, damped by
exp(-(Qdamp r)²/2) and terminated at Qmax [2]_.

References
----------
.. [1] C. L. Farrow et al., J. Phys.: Condens. Matter 19, 335219 (2007).
.. [2] T. Egami, S. J. L. Billinge, Underneath the Bragg Peaks, 2nd ed. (2012), §5.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from mofglass._numba import njit
from mofglass._renamed import renamed_keywords
from mofglass.errors import MofglassError
from mofglass.scattering.envelopes import sphere_envelope, spheroid_envelope
from mofglass.scattering.formfactors import atomic_number
from mofglass.scattering.pairs import pair_histogram
from mofglass.structure import Crystal
from mofglass.totalscattering.adp import AnisoModel

__all__ = ["CELL_NAMES", "PhaseModel", "lattice_from_cell", "neutron_lengths", "phase_model"]

CELL_NAMES = ("a", "b", "c", "alpha", "beta", "gamma")
_HIST_STEP_A = 0.002  # pair-histogram node spacing (linear spread adds < dh²/4 to σ²)


def lattice_from_cell(a: float, b: float, c: float, al: float, be: float, ga: float) -> np.ndarray:
    """Lattice vectors as rows (a along x, b in the xy plane) from lengths (Å) and angles (°)."""
    ca, cb, cg = np.cos(np.radians([al, be, ga]))
    sg = np.sin(np.radians(ga))
    cx = c * cb
    cy = c * (ca - cb * cg) / sg
    cz2 = c * c - cx * cx - cy * cy
    if cz2 <= 0 or a <= 0 or b <= 0:
        raise MofglassError(f"cell {a, b, c, al, be, ga} is not a valid lattice")
    return np.array([[a, 0.0, 0.0], [b * cg, b * sg, 0.0], [cx, cy, np.sqrt(cz2)]])


def _cell_of(lat: np.ndarray) -> dict[str, float]:
    a, b, c = (float(np.linalg.norm(v)) for v in lat)

    def ang(u: np.ndarray, v: np.ndarray) -> float:
        return float(np.degrees(np.arccos(u @ v / np.linalg.norm(u) / np.linalg.norm(v))))

    return {
        "a": a,
        "b": b,
        "c": c,
        "alpha": ang(lat[1], lat[2]),
        "beta": ang(lat[0], lat[2]),
        "gamma": ang(lat[0], lat[1]),
    }


def _cell_ties(system: str, rhombohedral: bool, cell: dict[str, float]) -> dict[str, str | None]:
    """For each cell parameter: None if free, else the name it equals ("" = fixed)."""
    ties: dict[str, str | None] = dict.fromkeys(CELL_NAMES, "")
    if system == "cubic":
        ties.update(a=None, b="a", c="a")
    elif system in ("tetragonal", "hexagonal") or (system == "trigonal" and not rhombohedral):
        ties.update(a=None, b="a", c=None)
    elif system == "trigonal":
        ties.update(a=None, b="a", c="a", alpha=None, beta="alpha", gamma="alpha")
    elif system == "orthorhombic":
        ties.update(a=None, b=None, c=None)
    elif system == "monoclinic":
        ties.update(a=None, b=None, c=None)
        off = max(("alpha", "beta", "gamma"), key=lambda k: abs(cell[k] - 90.0))
        ties[off] = None
    else:
        ties = dict.fromkeys(CELL_NAMES, None)
    return ties


def neutron_lengths(elements: list[str] | tuple[str, ...]) -> dict[str, float]:
    """Bound coherent scattering lengths b_c (fm) from the ``periodictable`` package.

    References
    ----------
    .. [1] V. F. Sears, Neutron News 3(3), 26 (1992) (the table ``periodictable`` carries).
    """
    import periodictable

    out = {}
    for e in elements:
        b = periodictable.elements.symbol(e).neutron.b_c
        if b is None:
            raise MofglassError(f"no neutron scattering length for {e}")
        out[e] = float(b)
    return out


@dataclass(frozen=True, eq=False)
class PhaseModel:
    """A structure prepared for refinement.

    Attributes
    ----------
    name : str
        Phase name (used as parameter prefix when several phases are refined).
    frac : ndarray
        Fractional coordinates (fixed).
    types : ndarray of int
        Element index per atom into ``elements``.
    occupancy : ndarray
        Site occupancy per atom.
    elements : tuple of str
        Distinct elements.
    cell : dict
        Starting cell (Å, °).
    cell_ties : dict
        Per cell parameter: None (free), another parameter's name (equal to it) or "" (fixed).
    uiso_A2 : dict
        Starting Uiso per element (mean over its sites), Å².
    shape : str
        ``"none"``, ``"sphere"`` or ``"spheroid"``.
    aniso : AnisoModel or None
        Anisotropic ADPs of the sites that have them (:mod:`~mofglass.totalscattering.adp`);
        atoms of other sites stay isotropic.
    """

    name: str
    frac: np.ndarray
    types: np.ndarray
    occupancy: np.ndarray
    elements: tuple[str, ...]
    cell: dict[str, float]
    cell_ties: dict[str, str | None]
    uiso_A2: dict[str, float]
    shape: str = "none"
    source: str = ""
    aniso: AnisoModel | None = None

    @property
    def free_cell(self) -> tuple[str, ...]:
        """Cell parameters free in the crystal system (the others tied or fixed)."""
        return tuple(k for k in CELL_NAMES if self.cell_ties[k] is None)

    def cell_values(self, free: dict[str, float]) -> dict[str, float]:
        """Full cell from the free parameter values (ties applied)."""
        out = dict(self.cell)
        out.update({k: free[k] for k in self.free_cell if k in free})
        for k in CELL_NAMES:
            tie = self.cell_ties[k]
            if tie:
                out[k] = out[tie]
        return out


def phase_model(crystal: Crystal, *, name: str = "", shape: str = "none") -> PhaseModel:
    """Prepare a periodic :class:`Crystal` (from a CIF) for refinement."""
    if crystal.lattice_A is None:
        raise MofglassError(f"{crystal.source}: a refinement phase needs a periodic structure")
    if shape not in ("none", "sphere", "spheroid"):
        raise MofglassError(f"shape must be none, sphere or spheroid, got {shape!r}")
    meta = crystal.metadata or {}
    cell = dict(meta.get("cell_A_deg") or _cell_of(crystal.lattice_A))  # type: ignore[call-overload]
    system = str(meta.get("crystal_system", "triclinic"))
    ties = _cell_ties(system, bool(meta.get("rhombohedral_axes", False)), cell)
    # fractional coordinates relative to the lattice rebuilt from the cell (same metric)
    frac = crystal.frac
    el, t = np.unique(np.asarray(crystal.species, dtype=str), return_inverse=True)
    uiso = {str(e): float(np.mean(crystal.uiso_A2[t.ravel() == k])) for k, e in enumerate(el)}
    return PhaseModel(
        name=name
        or (crystal.source.rsplit("/", 1)[-1].rsplit(".", 1)[0] if crystal.source else "phase"),
        frac=np.asarray(frac, dtype=float),
        types=t.ravel().astype(np.int64),
        occupancy=np.asarray(crystal.occupancy, dtype=float),
        elements=tuple(str(e) for e in el),
        cell=cell,
        cell_ties=ties,
        uiso_A2=uiso,
        shape=shape,
        source=crystal.source,
        aniso=meta.get("aniso"),  # type: ignore[arg-type]
    )


@njit(cache=True)
def _broaden(r_node, amp, s0sq, d1, d2, qb, dr, n_out, out):  # pragma: no cover - numba
    """Add Gaussians amp·N(r; r_node, σ) at grid points k·dr (PDFfit2 width law)."""
    for k in range(r_node.size):
        r = r_node[k]
        if r <= 0.0:
            continue
        corr = 1.0 - d1 / r - d2 / (r * r) + qb * qb * r * r
        if corr <= 0.0:
            continue
        s = np.sqrt(s0sq[k] * corr)
        if s <= 1e-6:
            continue
        g = amp[k] / (np.sqrt(2.0 * np.pi) * s)
        ib = max(0, int(np.ceil((r - 5.0 * s) / dr)))
        ie = min(n_out - 1, int(np.floor((r + 5.0 * s) / dr)))
        inv = 1.0 / s
        for i in range(ib, ie + 1):
            x = (i * dr - r) * inv
            out[i] += g * np.exp(-0.5 * x * x)


_MAX_ANISO_PAIRS = 5e6  # anisotropic pairs are listed one by one (memory ~40 B each)
_TABLE_MAX_ATOMS = 48  # cells up to this size use an exact pair table, larger ones the engine


def _metric_vector(lat: np.ndarray) -> np.ndarray:
    g = lat @ lat.T
    return np.array([g[0, 0], g[1, 1], g[2, 2], 2 * g[0, 1], 2 * g[0, 2], 2 * g[1, 2]])


@renamed_keywords(rmax_A="r_max_A")
def pairs_within(
    frac: np.ndarray, lat: np.ndarray, r_max_A: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Ordered pairs (i, j, fractional separation d incl. the lattice translation) < r_max_A.

    Every periodic image is included; i = j pairs only with a non-zero translation.
    """
    from mofglass.scattering.pairs import _perp_widths

    reach = np.ceil(r_max_A / _perp_widths(lat)).astype(int) + 1
    grids = np.meshgrid(*[np.arange(-k, k + 1) for k in reach], indexing="ij")
    shifts = np.stack(grids, axis=-1).reshape(-1, 3).astype(float)
    # only translations that can bring some atom pair within rmax (cell diagonal margin)
    span = float(np.linalg.norm(np.abs(lat).sum(axis=0)))
    shifts = shifts[np.linalg.norm(shifts @ lat, axis=1) <= r_max_A + span]
    metric = lat @ lat.T
    n = frac.shape[0]
    iis, jjs, ds = [], [], []
    for i in range(n):
        d = ((frac[None, :, :] - frac[i]).reshape(-1, 1, 3) + shifts[None, :, :]).reshape(-1, 3)
        jj = np.repeat(np.arange(n), shifts.shape[0])
        r2 = ((d @ metric) * d).sum(axis=1)
        keep = (r2 < r_max_A**2) & (r2 > 1e-8)
        iis.append(np.full(int(keep.sum()), i))
        jjs.append(jj[keep])
        ds.append(d[keep])
    return np.concatenate(iis), np.concatenate(jjs), np.concatenate(ds)


@renamed_keywords(rmax_A="r_max_A")
def pair_table(
    frac: np.ndarray,
    types: np.ndarray,
    weights: np.ndarray,
    lat: np.ndarray,
    r_max_A: float,
    probes: list[np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Ordered pairs (i, j, lattice translation) closer than ``r_max_A``, grouped by distance.

    r_ij² = q · m with q = (Δx², Δy², Δz², ΔxΔy, ΔxΔz, ΔyΔz) of the fractional difference and
    m the metric components (:func:`_metric_vector`). Pairs of one type-pair class whose
    distances are equal in ``lat`` and in every lattice of ``probes`` (the cell with each free
    parameter changed) stay equal under the cell's free parameters: each such group is one row.

    Returns
    -------
    q : ndarray, shape (n_rows, 6)
    cls : ndarray of int, shape (n_rows,)
        Unordered type-pair class (``_class_table`` order of :mod:`mofglass.scattering.pairs`).
    mult : ndarray, shape (n_rows,)
        Σ w_i w_j of the ordered pairs in each row.
    """
    from mofglass.scattering.pairs import _class_table

    n_types = int(types.max()) + 1
    ctab, _ = _class_table(n_types)
    ii, jj, d = pairs_within(frac, lat, r_max_A)
    x, y, z = d[:, 0], d[:, 1], d[:, 2]
    qs = [np.column_stack([x * x, y * y, z * z, x * y, x * z, y * z])]
    cs = [ctab[types[ii], types[jj]]]
    ws = [weights[ii] * weights[jj]]
    q = np.concatenate(qs)
    cls = np.concatenate(cs)
    w = np.concatenate(ws)
    cols = [cls]
    for lt in [lat, *(probes or [])]:
        r = np.sqrt(np.maximum(q @ _metric_vector(lt), 0.0))
        cols.append(np.round(r * 1e7).astype(np.int64))
    order = np.lexsort(cols[::-1])
    keys = np.column_stack(cols)[order]
    start = np.ones(order.size, dtype=bool)
    start[1:] = np.any(keys[1:] != keys[:-1], axis=1)
    group = np.cumsum(start) - 1
    first = order[start]
    mult = np.bincount(group, weights=w[order])
    return q[first], cls[first].astype(np.int64), mult


class PhaseCalculator:
    """Evaluates one phase's G(r) on a grid k·dr; caches the pair histogram per cell."""

    def __init__(self, phase: PhaseModel, weights: dict[str, float], r_end_A: float) -> None:
        self.phase = phase
        self.r_end = r_end_A
        occ = phase.occupancy
        n = float(occ.sum())
        w_el = np.bincount(phase.types, weights=occ, minlength=len(phase.elements))
        f = np.array([weights[e] for e in phase.elements])
        mean_f = float((w_el * f).sum() / n)
        if mean_f == 0:
            raise MofglassError(f"{phase.name}: mean scattering power is zero")
        self.n_atoms = n
        self.f = f
        self.mean_f = mean_f
        self._key: tuple[float, ...] | None = None
        self._nodes: tuple[np.ndarray, np.ndarray, np.ndarray, float] | None = None
        self._table: tuple[tuple[float, ...], float, np.ndarray, np.ndarray, np.ndarray] | None = (
            None
        )
        self._ref: (
            tuple[tuple[float, ...], float, tuple[np.ndarray, np.ndarray, np.ndarray, float]] | None
        ) = None
        self._pairs: tuple[Any, ...] | None = None
        self._rho = 0.0

    def _histogram(self, cell: dict[str, float], u_max: float) -> None:
        key = tuple(cell[k] for k in CELL_NAMES)
        if key == self._key and self._nodes is not None:
            return
        rmax = self.r_end + 6.0 * np.sqrt(2.0 * max(u_max, 1e-4)) + 0.5
        if self.phase.frac.shape[0] <= _TABLE_MAX_ATOMS:
            self._from_table(key, rmax)
            return
        ref = self._ref
        if ref is not None:
            # an isotropic change of the cell (cubic, or all lengths scaled alike) scales every
            # distance by the same factor: the histogram of the reference cell is reused
            lam = key[0] / ref[0][0]
            same_shape = np.allclose(np.array(key[:3]) / np.array(ref[0][:3]), lam, rtol=1e-12)
            if same_shape and key[3:] == ref[0][3:] and ref[1] * lam >= rmax:
                r0, amp, cls, rho0 = ref[2]
                self._nodes = (r0 * lam, amp, cls, rho0 / lam**3)
                self._key = key
                return
        lat = lattice_from_cell(*key)
        ph = self.phase
        rmax_ref = rmax * 1.03
        h = pair_histogram(
            ph.frac @ lat,
            r_max_A=rmax_ref,
            dr_A=_HIST_STEP_A,
            types=ph.types,
            weights=ph.occupancy,
            lattice_A=lat,
            spread="linear",
        )
        counts = h.counts.sum(axis=1)
        r_list, c_list, cls_list = [], [], []
        for c, (a, b) in enumerate(h.class_types):
            nz = np.nonzero(counts[c])[0]
            r_list.append(h.r_A[nz])
            # each unordered pair counts twice in R(r) (i→j and j→i)
            c_list.append(
                counts[c, nz] * 2.0 * self.f[a] * self.f[b] / (self.mean_f**2 * self.n_atoms)
            )
            cls_list.append(np.full(nz.size, c))
        self._class_types = h.class_types
        self._nodes = (
            np.concatenate(r_list),
            np.concatenate(c_list),
            np.concatenate(cls_list),
            float(self.n_atoms / abs(np.linalg.det(lat))),
        )
        # the last node may hold half-spread pairs from beyond rmax_ref: keep rmax_ref - dh
        self._ref = (key, rmax_ref - 2 * _HIST_STEP_A, self._nodes)
        self._key = key

    def _from_table(self, key: tuple[float, ...], rmax: float) -> None:
        lat = lattice_from_cell(*key)
        tab = self._table
        if tab is None or not (
            np.allclose(key[:3], tab[0][:3], rtol=0.03)
            and np.allclose(key[3:], tab[0][3:], atol=2.0)
            and tab[1] >= rmax
        ):
            from mofglass.scattering.pairs import _class_table

            ph = self.phase
            # pairs up to 5 % beyond rmax (+ 2 Å for growing U), so that a cell change of up to
            # 3 % loses none
            r_build = 1.05 * (rmax + 2.0)
            probes = []
            for k in ph.free_cell:
                cell = {n: v for n, v in zip(CELL_NAMES, key, strict=True)}
                cell[k] *= 1.0123
                full = ph.cell_values(cell)
                probes.append(lattice_from_cell(*(full[n] for n in CELL_NAMES)))
            q, cls, mult = pair_table(ph.frac, ph.types, ph.occupancy, lat, r_build, probes)
            _, ct = _class_table(len(ph.elements))
            amp = mult * self.f[ct[cls, 0]] * self.f[ct[cls, 1]] / (self.mean_f**2 * self.n_atoms)
            self._class_types = ct
            tab = (key, r_build * 0.97, q, cls, amp)
            self._table = tab
        r_node = np.sqrt(np.maximum(tab[2] @ _metric_vector(lat), 0.0))
        rho = float(self.n_atoms / abs(np.linalg.det(lat)))
        self._nodes = (r_node, tab[4], tab[3], rho)
        self._key = key

    def _aniso_nodes(
        self, cell: dict[str, float], uiso: dict[str, float], u_sites: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
        """Pair distances, amplitudes and σ² (anisotropic U projected on each pair)."""
        ph = self.phase
        assert ph.aniso is not None
        key = tuple(cell[k] for k in CELL_NAMES)
        lat = lattice_from_cell(*key)
        u_max = max([*uiso.values(), float(np.abs(u_sites).max())])
        rmax = self.r_end + 6.0 * np.sqrt(2.0 * max(u_max, 1e-4)) + 0.5
        pl = self._pairs
        if pl is None or not (
            np.allclose(key[:3], pl[0][:3], rtol=0.03)
            and np.allclose(key[3:], pl[0][3:], atol=2.0)
            and pl[1] >= rmax
        ):
            r_build = 1.05 * (rmax + 2.0)
            n = ph.frac.shape[0]
            n_pairs = n * n / abs(np.linalg.det(lat)) * 4.0 / 3.0 * np.pi * r_build**3
            if n_pairs > _MAX_ANISO_PAIRS:
                raise MofglassError(
                    f"{ph.name}: about {n_pairs:.2g} atom pairs to {r_build:.0f} Å for the "
                    "anisotropic model (each pair has its own width); fit a shorter r range "
                    f"(< {_MAX_ANISO_PAIRS:.0e} pairs) or use Uiso"
                )
            i, j, d = pairs_within(ph.frac, lat, r_build)
            occ = ph.occupancy
            amp = occ[i] * occ[j] * self.f[ph.types[i]] * self.f[ph.types[j]]
            pl = (key, r_build * 0.97, i, j, d, amp / (self.mean_f**2 * self.n_atoms))
            self._pairs = pl
        _, _, i, j, d, amp = pl
        r_node = np.sqrt(np.maximum(np.einsum("ij,ij->i", d @ (lat @ lat.T), d), 0.0))
        iso = ph.aniso.site < 0
        u_el = np.array([uiso.get(e, 0.0) for e in ph.elements])
        u_atom = np.where(iso, u_el[ph.types], 0.0)
        s0 = u_atom[i] + u_atom[j] + ph.aniso.pair_widths(i, j, d, lat, u_sites)
        rho = float(self.n_atoms / abs(np.linalg.det(lat)))
        return r_node, amp, s0, rho

    @renamed_keywords(qbroad="q_broad_invA")
    def pdf(
        self,
        r_grid: np.ndarray,
        cell: dict[str, float],
        uiso: dict[str, float],
        delta1: float,
        delta2: float,
        q_broad_invA: float,
        u_sites: np.ndarray | None = None,
    ) -> np.ndarray:
        """G(r) = R(r)/r - 4πρ0 r of the phase (no scale, envelope, damping or termination).

        ``uiso`` (Å², per element) applies to isotropic atoms; ``u_sites`` (S, 6) are the CIF
        U components of the phase's anisotropic sites (:class:`AnisoModel`), when it has any.
        """
        if self.phase.aniso is not None and u_sites is not None:
            r_node, amp, s0, rho = self._aniso_nodes(cell, uiso, u_sites)
            self._rho = rho
        else:
            u_el = np.array([uiso[e] for e in self.phase.elements])
            self._histogram(cell, float(u_el.max()))
            assert self._nodes is not None
            r_node, amp, cls, rho = self._nodes
            ct = self._class_types
            s0 = (u_el[ct[:, 0]] + u_el[ct[:, 1]])[cls]
            self._rho = rho
        dr = float(r_grid[1] - r_grid[0])
        out = np.zeros(r_grid.size)
        _broaden(
            r_node, amp, s0, float(delta1), float(delta2), float(q_broad_invA), dr, r_grid.size, out
        )
        with np.errstate(divide="ignore", invalid="ignore"):
            g = np.where(r_grid > 0, out / r_grid, 0.0)
        return g - 4.0 * np.pi * rho * r_grid

    def number_density(self) -> float:
        """ρ0 of the last evaluated cell, atoms Å⁻³."""
        return self._rho


def envelope(shape: str, r: np.ndarray, diameter: float, polar: float) -> np.ndarray:
    """Particle envelope γ0(r) of a sphere (diameter) or spheroid (equatorial, polar)."""
    if shape == "sphere":
        return sphere_envelope(r, diameter)
    if shape == "spheroid":
        return spheroid_envelope(r, diameter, polar)
    return np.ones_like(r)


def xray_weights(elements: tuple[str, ...] | list[str]) -> dict[str, float]:
    """X-ray scattering power at Q = 0 (f = Z), as PDFfit2 and :func:`crystal_pdf` use."""
    return {e: float(atomic_number(e)) for e in elements}
