"""Glass-ceramic models: crystallites cut from a crystal, embedded in a periodic glass box.

:func:`build_glass_ceramic` tiles a glass of the crystal's composition (any periodic model: a
continuous random network of :func:`~mofglass.models.glass.build_crn`, an ab initio glass) into
a box of at least ``min_atoms`` atoms, places spherical crystallites of the given diameters
(randomly oriented, not overlapping, periodic boundary) so that the crystalline share of the
atoms is the one asked, and removes the glass atoms inside each sphere and within
``clash_A`` of its surface, so that no crystal-glass pair is closer than ``clash_A``. The
interfaces are relaxed afterwards by
:func:`~mofglass.models.glass.ceramic_interface.relax_interfaces` (cut linkers removed, glass
metals and whole linkers moved off the crystallites).

The model's PDF (:func:`glass_ceramic_pdf`) takes the pairs inside each crystallite from lattice
sums and all other pairs from one cell-list pass with the periodic boundary
(:func:`~mofglass.scattering.mixed.periodic_mixed_pair_histogram`). Its powder pattern
(:func:`glass_ceramic_pattern`) is the Debye intensity of every crystallite over all its pairs
(lattice sums) plus the glass's diffuse scattering (its S(Q) from one glass tile, Faber-Ziman);
the interference between different parts is left out, which only changes Q < 2π / (distance
between parts) and keeps the tiled glass's own periodicity out of the pattern.

References
----------
.. [1] P. Debye, Ann. Phys. 351, 809 (1915) (scattering of the crystallites).
.. [2] T. E. Faber, J. M. Ziman, Phil. Mag. 11, 153 (1965) (S(Q) of the glass).
.. [3] J. I. Langford, A. J. C. Wilson, J. Appl. Cryst. 11, 102 (1978) (a sphere's
   integral-breadth size is 3/4 of its diameter; FWHM constant in
   :mod:`mofglass.crystallography.broadening`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from mofglass._renamed import renamed_keywords
from mofglass.crystallography.broadening import SPHERE_K_FWHM
from mofglass.errors import MofglassError
from mofglass.scattering.crystallites import Crystallite, crystallite
from mofglass.scattering.mixed import MixedPart, periodic_mixed_pair_histogram
from mofglass.scattering.pdf import PDFResult, histogram_reach, pdf_from_histogram
from mofglass.scattering.shapes import Sphere
from mofglass.structure import Crystal

__all__ = [
    "SPHERE_K_FWHM",
    "GlassCeramic",
    "GlassCeramicPattern",
    "build_glass_ceramic",
    "explicit_atoms",
    "glass_ceramic_pattern",
    "glass_ceramic_pdf",
]


@dataclass(frozen=True, eq=False)
class GlassCeramic:
    """Crystallites in a periodic glass box.

    Attributes
    ----------
    lattice_A : ndarray, shape (3, 3)
        Box vectors as rows, Å.
    parts : tuple of (Crystallite, shift)
        Each crystallite (cut from a randomly rotated copy of the crystal, centred on the cell
        origin) and the Cartesian position of its centre in the box, Å.
    glass : Crystal
        The remaining glass atoms (Cartesian, in the box; ``lattice_A`` None).
    crystal, glass_cell : Crystal
        The crystal the crystallites were cut from and the glass tile.
    reps : tuple of int
        Glass tiles along each box vector.
    clash_A : float
        No crystal-glass or crystal-crystal pair of atoms is closer than this, Å.
    relaxed : str
        How the interfaces were relaxed ("" when not:
        :func:`~mofglass.models.glass.ceramic_interface.relax_interfaces`,
        :func:`~mofglass.models.glass.ceramic_heal.heal_interfaces`).
    surface : Crystal or None
        Crystallite atoms held as explicit atoms (Cartesian, in the box) because the interface
        relaxation moved them: the surface metals and their linkers, taken out of the
        crystallites' masks (None: every crystallite atom is in its mask). They count as
        crystalline.
    """

    lattice_A: np.ndarray
    parts: tuple[MixedPart, ...]
    glass: Crystal
    crystal: Crystal
    glass_cell: Crystal
    reps: tuple[int, int, int]
    clash_A: float
    relaxed: str = ""
    surface: Crystal | None = None

    @property
    def diameters_A(self) -> np.ndarray:
        """Diameter of each crystallite, Å."""
        return np.array([_diameter(cr) for cr, _ in self.parts])

    @property
    def n_crystal_atoms(self) -> int:
        """Number of atoms in the crystallites (their explicit surface atoms included)."""
        n_surface = 0 if self.surface is None else self.surface.n_atoms
        return int(sum(cr.n_atoms for cr, _ in self.parts)) + n_surface

    @property
    def n_atoms(self) -> int:
        """Number of atoms in the box."""
        return self.n_crystal_atoms + self.glass.n_atoms

    @property
    def volume_A3(self) -> float:
        """Box volume, Å³."""
        return float(abs(np.linalg.det(self.lattice_A)))

    @property
    def crystalline_fraction(self) -> float:
        """Share of the atoms (occupancy-weighted) in crystallites."""
        cr_w = sum(float(np.sum(cr.crystal.occupancy * cr.site_counts)) for cr, _ in self.parts)
        if self.surface is not None:
            cr_w += float(self.surface.occupancy.sum())
        return cr_w / (cr_w + float(self.glass.occupancy.sum()))

    @property
    def volume_fraction(self) -> float:
        """Share of the box volume inside the crystallites' spheres."""
        return float(np.sum(np.pi / 6.0 * self.diameters_A**3)) / self.volume_A3

    def summary(self) -> str:
        """One paragraph: size, fractions and how the model was made."""
        d = self.diameters_A / 10.0
        return (
            f"glass-ceramic box {self.n_atoms} atoms ({self.volume_A3 ** (1 / 3):.1f} Å edge "
            f"equivalent), {len(self.parts)} crystallites of {self.crystal.source} "
            f"({d.min():.1f}-{d.max():.1f} nm), crystalline fraction {self.crystalline_fraction:.3f}"
            f" of the atoms ({self.volume_fraction:.3f} of the volume), glass "
            f"{self.glass_cell.source} tiled {self.reps}; no crystal-glass pair below "
            f"{self.clash_A:g} Å as built, interfaces {self.relaxed or 'not relaxed'}"
        )


def _diameter(cr: Crystallite) -> float:
    assert isinstance(cr.shape, Sphere)
    return float(cr.shape.diameter_A)


def _choose_box(
    glass: Crystal, pool: np.ndarray, fraction: float, min_atoms: int, clash_A: float
) -> tuple[tuple[int, int, int], int]:
    """Smallest box of whole glass tiles, and number of crystallites, near the target fraction.

    Crystallites (the first n of ``pool``, largest diameter d) sit on the sites of an fcc
    arrangement of m³ cells (the only way to reach ~60 % of the volume with equal spheres), so
    the site spacing, the smallest box edge / (m √2), must leave d + clash_A between centres.
    The share of the atoms is estimated with equal densities of crystal and glass (the model's
    own share is counted afterwards); the first box by size within 0.02 of the target wins.
    """
    edge = np.linalg.norm(np.asarray(glass.lattice_A), axis=1)
    tile_v = glass.cell_volume_A3
    l_min = (min_atoms * tile_v / glass.n_atoms) ** (1 / 3)
    cands = set()
    for length in np.linspace(l_min, 3.0 * l_min, 200):
        base = np.maximum(1, np.ceil(length / edge)).astype(int)
        for extra in np.ndindex(2, 2, 2):
            cands.add(tuple(int(v) for v in base + np.array(extra)))
    best: tuple[float, tuple[int, int, int], int] | None = None
    for reps in sorted(cands, key=lambda r: (int(np.prod(r)), r)):
        if glass.n_atoms * int(np.prod(reps)) < min_atoms:
            continue
        vol = tile_v * float(np.prod(reps))
        short = float(np.min(edge * np.array(reps)))
        for n_cr in range(1, pool.size + 1):
            d = pool[:n_cr]
            m = int(np.ceil((n_cr / 4) ** (1 / 3) - 1e-9))
            if short / m / np.sqrt(2.0) < d.max() + clash_A or short < d.max() + clash_A:
                break
            v_c = float(np.sum(np.pi / 6 * d**3))
            v_gap = float(np.sum(np.pi / 6 * (d + 2 * clash_A) ** 3))
            err = abs(v_c / (v_c + vol - v_gap) - fraction)
            if best is None or err < best[0] - 1e-9:
                best = (err, reps, n_cr)  # type: ignore[assignment]
        if best is not None and best[0] <= 0.02:
            return best[1], best[2]
    raise MofglassError(
        f"no box of whole glass tiles of at least {min_atoms} atoms holds crystallites of "
        f"{pool.max() / 10:g} nm at a fraction within 0.02 of {fraction}"
    )


def _place(
    diameters_A: np.ndarray, lat: np.ndarray, gap_A: float, rng: np.random.Generator
) -> np.ndarray:
    """Centres (Cartesian, Å) of non-overlapping spheres in the periodic box, biggest first.

    Candidates are the sites of an fcc arrangement (randomly shifted, jittered within the room
    the spheres leave), then random points.
    """
    n = diameters_A.size
    m = max(1, int(np.ceil((n / 4) ** (1 / 3))))
    basis = np.array([[0, 0, 0], [0.5, 0.5, 0], [0.5, 0, 0.5], [0, 0.5, 0.5]])
    cells = np.stack(np.meshgrid(*[np.arange(m)] * 3, indexing="ij"), -1).reshape(-1, 3)
    sites = ((cells[:, None, :] + basis[None]) / m).reshape(-1, 3) + rng.random(3)
    rng.shuffle(sites)
    inv = np.linalg.inv(lat)
    nn = float(np.min(np.linalg.norm(lat, axis=1))) / m / np.sqrt(2.0)
    room = max(0.0, 0.5 * (nn - float(diameters_A.max()) - gap_A))
    placed: list[np.ndarray] = []
    radii: list[float] = []
    for d in np.sort(diameters_A)[::-1]:
        cands = [s @ lat + rng.uniform(-room, room, 3) / np.sqrt(3.0) for s in sites]
        cands += [rng.random(3) @ lat for _ in range(4000)]
        for c in cands:
            if all(
                _periodic_distance(c, p, lat, inv) >= 0.5 * (d + 2 * r) + gap_A
                for p, r in zip(placed, radii, strict=True)
            ):
                placed.append(c)
                radii.append(0.5 * float(d))
                break
        else:
            raise MofglassError(
                f"cannot place {n} crystallites of {diameters_A.max() / 10:.1f} nm without "
                "overlap: lower the fraction or enlarge the box"
            )
    order = np.argsort(np.argsort(-diameters_A, kind="stable"), kind="stable")
    return np.array(placed)[order]


def _periodic_distance(a: np.ndarray, b: np.ndarray, lat: np.ndarray, inv: np.ndarray) -> float:
    f = (a - b) @ inv
    return float(np.linalg.norm((f - np.round(f)) @ lat))


def _rotated(crystal: Crystal, rng: np.random.Generator) -> Crystal:
    from scipy.spatial.transform import Rotation

    rot = Rotation.random(random_state=rng).as_matrix()
    lat = np.asarray(crystal.lattice_A) @ rot.T
    return Crystal.from_fractional(
        crystal.species,
        crystal.frac,
        lat,
        occupancy=crystal.occupancy,
        uiso_A2=crystal.uiso_A2,
        labels=crystal.labels,
        source=crystal.source,
    )


def build_glass_ceramic(
    crystal: Crystal,
    glass: Crystal,
    *,
    diameter_nm: float | Sequence[float] = 19.0,
    fraction: float = 0.59,
    min_atoms: int = 1_000_000,
    clash_A: float = 1.5,
    seed: int = 0,
) -> GlassCeramic:
    """Embed spherical crystallites of a crystal in a periodic box of its glass.

    Parameters
    ----------
    crystal : Crystal
        Periodic crystal (P1 basis of one cell).
    glass : Crystal
        Periodic glass of the same composition (the tile; checked by element ratios).
    diameter_nm : float or sequence of float
        Diameter of every crystallite, or a list of diameters (a size distribution, e.g.
        drawn by the caller from a log-normal law), nm; as many are used as the fraction
        needs.
    fraction : float
        Target crystalline share of the atoms (0-1); the box is chosen from whole glass tiles
        so that the model's share is as near as the tiles allow (see
        :attr:`GlassCeramic.crystalline_fraction`).
    min_atoms : int
        Smallest box (glass tiles before the crystallites go in).
    clash_A : float
        Glass atoms closer than this to a crystallite's sphere are removed (Å).
    seed : int
        Seed of the placement and orientations (the model is reproducible).

    Returns
    -------
    GlassCeramic
    """
    if crystal.lattice_A is None or glass.lattice_A is None:
        raise MofglassError("the crystal and the glass must both be periodic")
    if not 0.0 < fraction < 0.74:
        raise MofglassError(f"fraction {fraction} outside (0, 0.74) (sphere packing)")
    _check_composition(crystal, glass)
    rng = np.random.default_rng(seed)
    d_list = np.atleast_1d(np.asarray(diameter_nm, dtype=float)) * 10.0
    if np.any(d_list <= 0):
        raise MofglassError("crystallite diameters must be > 0 nm")
    pool = np.repeat(d_list, 4 * 6**3) if d_list.size == 1 else d_list
    reps, n_cr = _choose_box(glass, pool, fraction, min_atoms, clash_A)
    diam = pool[:n_cr]
    from mofglass.scattering.models import supercell

    box = supercell(glass, reps)
    lat = np.asarray(box.lattice_A)
    centres = _place(diam, lat, clash_A, rng)
    parts: list[MixedPart] = []
    for d, c in zip(diam, centres, strict=True):
        cr = crystallite(_rotated(crystal, rng), Sphere(float(d)), centre_frac=(0.0, 0.0, 0.0))
        parts.append((cr, np.asarray(c)))
    keep = _outside(box.positions_A, centres, diam / 2 + clash_A, lat)
    idx = np.nonzero(keep)[0]
    rest = Crystal(
        tuple(np.asarray(box.species, dtype=object)[idx].tolist()),
        box.positions_A[idx],
        None,
        box.occupancy[idx],
        box.uiso_A2[idx],
        tuple(np.asarray(box.labels, dtype=object)[idx].tolist()),
        source=f"{glass.source} x{reps} minus the crystallites",
    )
    return GlassCeramic(lat, tuple(parts), rest, crystal, glass, reps, float(clash_A))


def _check_composition(crystal: Crystal, glass: Crystal) -> None:
    def ratios(c: Crystal) -> dict[str, float]:
        el, idx = np.unique(np.asarray(c.species, dtype=str), return_inverse=True)
        w = np.bincount(idx.ravel(), weights=c.occupancy)
        return {str(e): float(x) for e, x in zip(el, w / w.sum(), strict=True)}

    a, b = ratios(crystal), ratios(glass)
    if a.keys() != b.keys() or any(abs(a[k] - b[k]) > 0.02 for k in a):
        raise MofglassError(
            f"the glass ({glass.source}) does not have the crystal's composition "
            f"({crystal.source}): {b} vs {a}"
        )


def _outside(
    pos: np.ndarray, centres: np.ndarray, radii: np.ndarray, lat: np.ndarray
) -> np.ndarray:
    inv = np.linalg.inv(lat)
    keep = np.ones(len(pos), dtype=bool)
    for c, r in zip(centres, radii, strict=True):
        f = (pos - c) @ inv
        f -= np.round(f)
        keep &= np.einsum("ij,ij->i", f @ lat, f @ lat) >= r * r
    return keep


def explicit_atoms(model: GlassCeramic) -> Crystal:
    """Return the atoms outside the crystallites' masks: the glass, then the surface atoms."""
    if model.surface is None or model.surface.n_atoms == 0:
        return model.glass
    g, s = model.glass, model.surface
    return Crystal(
        tuple(g.species) + tuple(s.species),
        np.vstack([g.positions_A, s.positions_A]),
        None,
        np.concatenate([g.occupancy, s.occupancy]),
        np.concatenate([g.uiso_A2, s.uiso_A2]),
        tuple(g.labels) + tuple(s.labels),
        source=g.source,
    )


@renamed_keywords(rmax_A="r_max_A", qdamp_invA="q_damp_invA")
def glass_ceramic_pdf(
    model: GlassCeramic,
    *,
    r_max_A: float = 20.0,
    rstep_A: float = 0.01,
    qmax_invA: float | None = None,
    q_damp_invA: float = 0.0,
) -> PDFResult:
    """X-ray PDF of a glass-ceramic box: lattice sums inside crystallites, cell lists elsewhere.

    Parameters are those of :func:`mofglass.scattering.pdf.crystal_pdf`; the histogram is
    exact (the same as the cell-list route over all atoms, tested).
    """
    others = explicit_atoms(model)
    uiso = np.concatenate([others.uiso_A2, *[cr.crystal.uiso_A2 for cr, _ in model.parts]])
    r_end, dh = histogram_reach(uiso, r_max_A=r_max_A, rstep_A=rstep_A, qmax_invA=qmax_invA)
    hist, types = periodic_mixed_pair_histogram(
        model.parts, others, model.lattice_A, r_max_A=r_end, dr_A=dh, spread="linear"
    )
    return pdf_from_histogram(
        hist,
        types,
        r_max_A=r_max_A,
        rstep_A=rstep_A,
        qmax_invA=qmax_invA,
        q_damp_invA=q_damp_invA,
        number_density_invA3=hist.n_atoms / model.volume_A3,
    )


@dataclass(frozen=True)
class GlassCeramicPattern:
    """Powder pattern of a glass-ceramic model (electrons², polarisation included).

    Attributes
    ----------
    two_theta_deg, intensity : ndarray
        2θ (degrees) and the total intensity.
    crystal_intensity, glass_intensity : ndarray
        The crystallites' Debye intensity and the glass's diffuse part.
    wavelength_A : float
    """

    two_theta_deg: np.ndarray
    intensity: np.ndarray
    crystal_intensity: np.ndarray
    glass_intensity: np.ndarray
    wavelength_A: float


def glass_ceramic_pattern(
    model: GlassCeramic, *, wavelength_A: float, two_theta_deg: np.ndarray
) -> GlassCeramicPattern:
    """Powder pattern: crystallites by the Debye equation (all pairs, lattice sums) + glass.

    Crystallites of equal diameter cut at the same centre scatter alike whatever their
    orientation, so each diameter is summed once. The glass part is
    n_glass [<f²> + <f>² (S(Q) - 1)] with S(Q) of the glass tile (periodic, Lorch window).
    """
    from mofglass.scattering.debye_pattern import debye_pattern, polarisation_factor
    from mofglass.scattering.formfactors import form_factor_table
    from mofglass.scattering.total import total_scattering

    tt = np.asarray(two_theta_deg, dtype=float)
    crys = np.zeros_like(tt)
    diam, counts = np.unique(np.round(model.diameters_A, 9), return_counts=True)
    for d, k in zip(diam, counts, strict=True):
        cr = crystallite(model.crystal, Sphere(float(d)), centre_frac=(0.0, 0.0, 0.0))
        crys += k * debye_pattern(cr, wavelength_A=wavelength_A, two_theta_deg=tt).intensity
    q = 4.0 * np.pi * np.sin(np.radians(tt) / 2.0) / wavelength_A
    cell = model.glass_cell
    s_q = total_scattering(cell, q, lorch=True).S
    el, idx = np.unique(np.asarray(cell.species, dtype=str), return_inverse=True)
    conc = np.bincount(idx.ravel(), weights=cell.occupancy) / float(cell.occupancy.sum())
    f = form_factor_table([str(e) for e in el], q)
    mean_f = conc @ f
    mean_f2 = conc @ (f**2)
    n_glass = float(model.glass.occupancy.sum())
    glass = n_glass * (mean_f2 + mean_f**2 * (s_q - 1.0)) * polarisation_factor(tt)
    return GlassCeramicPattern(tt, crys + glass, crys, glass, float(wavelength_A))
