"""Glass-ceramic model at the paper's scale: 59 % crystalline, 19 nm crystallites, >= 10^6 atoms.

RASPA ZIF-8 crystallites in the Gaillac et al. (2020) ab initio ZIF-8 glass (same composition;
no glass of Cd(im)2 of this size exists, and the CRN builder would take hours at 10^6 atoms).
Prints the model, the time of its PDF (lattice sums inside the crystallites, cell lists for the
rest, periodic) against the cell-list route over all atoms, the PDF mixture fit of the
crystalline fraction (totalscattering.fit_mixture with the crystal and glass PDFs as references)
against the model's own atom fraction, and the Scherrer size (integral breadths, K = 4/3 for the
diameter of a sphere, Langford & Wilson 1978) of its simulated Cu Kα1 pattern against 19 nm.

Run: python benchmarks/glass_ceramic.py [--no-reference]   (repository root, shared/ beside it)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

from mofglass.diffraction.pattern import Pattern
from mofglass.diffraction.peaks import fit_peaks
from mofglass.diffraction.size import scherrer_size
from mofglass.models.glass.ceramic import (
    SPHERE_K_FWHM,
    build_glass_ceramic,
    glass_ceramic_pattern,
    glass_ceramic_pdf,
)
from mofglass.scattering.pdf import crystal_pdf
from mofglass.structure import Crystal, read_structure
from mofglass.totalscattering.compare import fit_mixture

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"


def _clock() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def _since(t: tuple[float, float]) -> str:
    w, c = _clock()
    return f"{w - t[0]:.1f} s wall, {c - t[1]:.1f} CPU-s"


def main(argv: list[str]) -> None:
    crystal = read_structure(DATA / "raspa2-zif-cifs" / "ZIF-8.cif")
    glass = read_structure(DATA / "zif-glass-models-gaillac2020" / "ZIF8_15glass01.cif")
    crystal_pdf(crystal, r_max_A=5.0)  # compile / load the kernels
    t = _clock()
    model = build_glass_ceramic(crystal, glass, diameter_nm=19.0, fraction=0.59, seed=7)
    print(f"build: {_since(t)}")
    print(model.summary())
    t = _clock()
    pdf = glass_ceramic_pdf(model, r_max_A=20.0)
    print(f"PDF to 20 Å (lattice sums + cell lists): {_since(t)}")
    if "--no-reference" not in argv:
        pos = np.vstack(
            [np.vstack([cr.positions_of(i) for i in range(cr.crystal.n_atoms)]) + s
             for cr, s in model.parts] + [model.glass.positions_A]
        )  # fmt: skip
        species: list[str] = []
        uiso = []
        for cr, _ in model.parts:
            species += list(np.repeat(cr.crystal.species, cr.site_counts))
            uiso.append(np.repeat(cr.crystal.uiso_A2, cr.site_counts))
        species += list(model.glass.species)
        uiso.append(model.glass.uiso_A2)
        whole = Crystal(
            tuple(species), pos, model.lattice_A, np.ones(len(pos)), np.concatenate(uiso),
            tuple(species),
        )  # fmt: skip
        t = _clock()
        ref = crystal_pdf(whole, r_max_A=20.0)
        print(f"PDF to 20 Å, cell lists over all atoms: {_since(t)}")
        print(f"max |ΔG| / max |G| = {np.abs(pdf.G - ref.G).max() / np.abs(ref.G).max():.2e}")
    g_c = crystal_pdf(crystal, r_max_A=20.0).G
    g_g = crystal_pdf(glass, r_max_A=20.0).G
    truth = model.crystalline_fraction
    for rr in ((1.0, 20.0), (1.0, 10.0)):
        fit = fit_mixture(pdf.r_A, pdf.G, g_c, g_g, r_range_A=rr)
        x = fit.crystalline_fraction
        print(
            f"mixture fit {rr[0]:g}-{rr[1]:g} Å: fraction {x.value:.4f} ± {x.stderr or 0:.4f} "
            f"(model {truth:.4f}, Δ {x.value - truth:+.4f}; target 0.59, Δ {x.value - 0.59:+.4f})"
            f", Rw {fit.rw:.3f}"
        )
    tt = np.arange(4.0, 20.0, 0.01)
    t = _clock()
    pat = glass_ceramic_pattern(model, wavelength_A=1.5406, two_theta_deg=tt)
    print(f"pattern (Debye by lattice sums + glass S(Q)): {_since(t)}")
    y = pat.intensity / pat.intensity.max() * 1e6
    fit_p = fit_peaks(Pattern(tt, y, np.sqrt(y)))
    res = scherrer_size(fit_p.peaks, 1.5406, k_factor=4.0 / 3.0)
    d = res.crystallite_size_nm
    if d is None:
        print("Scherrer, integral breadths: not resolved")
    else:
        print(
            f"Scherrer, integral breadths of the Voigt fits (K = 4/3, sphere diameter): {d} vs "
            f"19.0 nm ({d.value / 19.0 - 1:+.1%})"
        )
    sizes, weights = fwhm_sizes(fit_p.peaks, 1.5406, crystal.lattice_A)
    for p, size in sizes:
        print(f"  peak 2θ {p.center_deg.value:.3f}°: FWHM {p.fwhm_deg}, size {size:.2f} nm")
    mean = float(np.average([v for _, v in sizes], weights=weights))
    print(
        f"Scherrer, FWHM (K = {SPHERE_K_FWHM}, sphere diameter; Bragg peaks >= 5 % of the "
        f"strongest): "
        f"{mean:.2f} nm vs 19.0 nm ({mean / 19.0 - 1:+.1%})"
    )


def bragg_two_theta(lattice_A: np.ndarray, wavelength_A: float, tt_max: float) -> np.ndarray:
    """2θ (degrees) of every lattice plane hkl of the cell up to tt_max (no extinctions)."""
    recip = np.linalg.inv(lattice_A).T
    k = int(np.ceil(2 * np.sin(np.radians(tt_max / 2)) / wavelength_A * lattice_A.max())) + 1
    hkl = np.stack(np.meshgrid(*[np.arange(-k, k + 1)] * 3, indexing="ij"), -1).reshape(-1, 3)
    g = np.linalg.norm(hkl[np.any(hkl != 0, axis=1)] @ recip, axis=1)
    s = g * wavelength_A / 2
    return np.unique(np.round(np.degrees(2 * np.arcsin(s[s < 1])), 6))


def fwhm_sizes(peaks, wavelength_A, lattice_A):  # type: ignore[no-untyped-def]
    """Scherrer sizes (nm) from the FWHM of the Bragg peaks (within 0.1° of a lattice plane of
    the crystal's cell) >= 5 % of the strongest, and their weights (1 / relative error²)."""
    top = max(p.height.value for p in peaks)
    planes = bragg_two_theta(lattice_A, wavelength_A, 60.0)
    rows, weights = [], []
    for p in peaks:
        if p.height.value < 0.05 * top or np.abs(planes - p.center_deg.value).min() > 0.1:
            continue
        th = np.radians(p.center_deg.value / 2)
        w = np.radians(p.fwhm_deg.value)
        rows.append((p, SPHERE_K_FWHM * wavelength_A / (w * np.cos(th)) / 10.0))
        rel = (p.fwhm_deg.stderr or p.fwhm_deg.value) / p.fwhm_deg.value
        weights.append(1.0 / max(rel, 1e-4) ** 2)
    return rows, weights


if __name__ == "__main__":
    main(sys.argv[1:])
