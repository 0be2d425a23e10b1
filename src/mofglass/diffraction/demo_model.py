"""Simulated Cd(im)2-like powder patterns for the bundled demo study.

**These are not the Cd(im)2 structure.** No Cd(im)2 CIF is available to the project, so the demo
uses a *model* cell: tetragonal, space group I 4₁/a, a = 8.95 Å, c = 19.54 Å (V = 1565 Å³, the
paper's room-temperature cell volume), with reflection positions from that cell (systematic
absences applied; only up to 14 reflections at least 1° apart are kept, so that peaks can be
fitted one by one) and generic intensities (multiplicity × a smooth decay with angle × a seeded
pseudo-random factor). Crystallite sizes, the glass humps and the 0.59 crystalline fraction of
the glass-ceramic are the paper's values; Cd-metal impurity lines are at hcp-Cd positions
(COD 9008490) with approximate relative intensities (101 strongest).
"""

from __future__ import annotations

import numpy as np

from mofglass.diffraction.cell import REFERENCE_PHASES, Cell, Reflection, reflections
from mofglass.diffraction.pattern import Pattern, Wavelength
from mofglass.diffraction.size import InstrumentProfile
from mofglass.diffraction.synthetic import Hump, SyntheticPeak, simulate_pattern

__all__ = [
    "DEMO_INSTRUMENT",
    "GLASS_CERAMIC_CELL",
    "MODEL_CELL",
    "demo_grid",
    "model_peaks",
    "model_reflections",
    "simulate_demo_pattern",
]

#: Model cell of the demo (see module docstring): NOT the published Cd(im)2 structure.
MODEL_CELL = Cell(8.95, 8.95, 19.54, 90, 90, 90, "I 41/a", "model tetragonal cell (demo)")

#: The glass-ceramic's nanocrystals: the model cell expanded isotropically to the paper's
#: 1611 Å³ (vs 1565.4 Å³ for the crystal, +2.9 %).
GLASS_CERAMIC_CELL = Cell(
    8.95 * (1611.0 / 1565.4) ** (1 / 3),
    8.95 * (1611.0 / 1565.4) ** (1 / 3),
    19.54 * (1611.0 / 1565.4) ** (1 / 3),
    90,
    90,
    90,
    "I 41/a",
    "model cell expanded to 1611 A^3 (demo glass-ceramic)",
)

#: A typical Bragg-Brentano Cu instrument (Caglioti U, V, W in deg², Lorentzian X, Y in deg).
DEMO_INSTRUMENT = InstrumentProfile(
    u=0.004, v=-0.002, w=0.0025, x=0.0, y=0.02, source="demo diffractometer"
)

# approximate relative areas of hcp Cd lines (101 = 1)
_CD_RELATIVE = {(0, 0, 2): 0.4, (1, 0, 0): 0.35, (1, 0, 1): 1.0, (1, 0, 2): 0.3}


def demo_grid(step_deg: float = 0.02) -> np.ndarray:
    """Return the demo 2θ grid: 5-50° (degrees)."""
    return np.round(np.arange(5.0, 50.0 + step_deg / 2, step_deg), 6)


def model_reflections(
    *, n_max: int = 14, min_separation_deg: float = 1.0, wavelength_A: float = 1.5405929
) -> list[Reflection]:
    """Return the demo's reflections, spread so they can be fitted one by one.

    The demo's reflections: allowed reflections of :data:`MODEL_CELL` in 5-50° 2θ, keeping
    (from low angle) only those at least ``min_separation_deg`` from the previous kept one, at
    most ``n_max`` - a sparse pattern whose peaks can be fitted one by one.
    """
    kept: list[Reflection] = []
    for r in sorted(
        reflections(MODEL_CELL, wavelength_A=wavelength_A, two_theta_max_deg=49.0),
        key=lambda r: r.d_A,
        reverse=True,
    ):
        tt = r.two_theta_deg
        if tt is None or tt < 6.0:
            continue
        if kept and tt - (kept[-1].two_theta_deg or 0.0) < min_separation_deg:
            continue
        kept.append(r)
        if len(kept) == n_max:
            break
    return kept


def model_peaks(
    *, seed: int, total_area: float = 1.0, cell: Cell = MODEL_CELL
) -> list[SyntheticPeak]:
    """Return demo reflections with generic areas.

    Demo reflections with generic areas (multiplicity × exp(-(2θ/30°)²) × U(0.3, 1) from
    ``seed``) summing to ``total_area`` (counts·deg); d-spacings from ``cell`` (same hkl).
    """
    refl = model_reflections()
    uc = cell.gemmi_cell()
    rng = np.random.default_rng(seed)
    w = np.array(
        [r.multiplicity * np.exp(-(((r.two_theta_deg or 0.0) / 30.0) ** 2)) for r in refl]
    ) * rng.uniform(0.3, 1.0, len(refl))
    w = w / w.sum() * total_area
    return [
        SyntheticPeak(float(uc.calculate_d(list(r.hkl))), float(a))
        for r, a in zip(refl, w, strict=True)
    ]


def cd_metal_peaks(total_area: float) -> list[SyntheticPeak]:
    """Make the hcp Cd impurity lines (positions from :data:`REFERENCE_PHASES`), areas summing to total."""
    refl = {r.hkl: r for r in reflections(REFERENCE_PHASES["Cd"], d_min_A=1.8)}
    tot = sum(_CD_RELATIVE.values())
    return [SyntheticPeak(refl[h].d_A, total_area * v / tot) for h, v in _CD_RELATIVE.items()]


def simulate_demo_pattern(
    kind: str,
    *,
    seed: int,
    size_nm: float | None = None,
    crystalline_fraction: float = 1.0,
    cd_metal_fraction: float = 0.0,
    total_area: float = 60000.0,
    cell: Cell = MODEL_CELL,
) -> Pattern:
    """One demo pattern.

    Parameters
    ----------
    kind : {"crystal", "glass", "glass-ceramic"}
        Crystal: Bragg peaks only; glass: two broad humps only; glass-ceramic: both, the peaks
        carrying ``crystalline_fraction`` of the scattered area.
    seed : int
        Seed of intensities and Poisson noise.
    size_nm : float
        Crystallite size (K = 1, volume-weighted) for the peaks.
    crystalline_fraction : float
        Share of the (sample) scattered area in Bragg peaks.
    cd_metal_fraction : float
        Share of the Bragg area in hcp Cd impurity lines.
    total_area : float
        Total sample scattering, counts·deg.
    cell : Cell
        Cell giving the d-spacings (default :data:`MODEL_CELL`; an expanded copy for the
        glass-ceramic, whose nanocrystals keep a 2.9 % larger cell in the paper).
    """
    wl = Wavelength.copper()
    x = demo_grid()
    frac = {"crystal": 1.0, "glass": 0.0}.get(kind, crystalline_fraction)
    bragg = total_area * frac
    peaks = (
        model_peaks(seed=seed, total_area=bragg * (1 - cd_metal_fraction), cell=cell)
        if bragg
        else []
    )
    if cd_metal_fraction and bragg:
        peaks += cd_metal_peaks(bragg * cd_metal_fraction)
    amorphous = total_area - bragg
    humps = (
        [Hump(17.0, 7.0, 0.65 * amorphous), Hump(33.0, 9.0, 0.35 * amorphous)] if amorphous else []
    )
    return simulate_pattern(
        x,
        peaks,
        radiation=wl,
        size_nm=size_nm,
        instrument=DEMO_INSTRUMENT,
        humps=humps,
        background_coeffs=(250.0, -2.0),
        seed=seed,
        source=f"simulated {kind}",
        metadata={"kind": kind, "crystalline_fraction": frac, "model_cell": MODEL_CELL.name},
    )
