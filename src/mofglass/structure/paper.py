"""Published structure numbers set beside those of a structure model, with the agreement.

:data:`CDIM2_PAPER` holds the Cd(im)2 paper's structure numbers (Cd density, Cd···Cd across one
imidazolate, the two shortest inter-network Cd···Cd, the (302) fringe, the two Pawley cell
volumes). :func:`compare_with_paper` computes the same quantities from a structure and says,
per quantity, whether it agrees within its tolerance and whether it depends on the model:

- the Cd density and ΔV follow from Z and the cell volume(s) alone (model-independent);
- d(302) depends on the cell *shape* (a model scaled to the Pawley volume keeps its template's
  shape: the BAYQAU11 cell shape is not public);
- Cd···Cd distances depend on the atom positions (the model's Cd-N, ring and angles).

Distances agree within ``distance_tolerance_A`` (default 0.15 Å: a D(r) peak position read
from X-ray total scattering with Qmax ≈ 20 Å⁻¹ is uncertain by about π/Qmax ≈ 0.16 Å, and the
paper quotes one decimal); d-spacings within 0.01 nm (the fringe is quoted as 0.35 nm).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from mofglass.results import Measured
from mofglass.structure.crystal import Crystal
from mofglass.structure.properties import fringe_reflections, volume_change_percent

__all__ = ["CDIM2_PAPER", "PaperValues", "compare_with_paper"]


@dataclass(frozen=True)
class PaperValues:
    """Published structure numbers of one compound."""

    label: str
    metal: str
    metal_density_per_nm3: float
    density_volume_A3: float
    intra_A: float
    inter_A: tuple[float, ...]
    fringe_nm: float
    fringe_hkl: tuple[int, int, int]
    volume_A3: str
    other_volume_A3: str


#: Cd(im)2 paper: 5.13 Cd per nm³ (at 1559.5 Å³), Cd···Cd 6.4 Å across one im (intra-network),
#: 5.2 and 6.8 Å (inter-network, D(r) peaks 5 and 7), 0.35 nm fringe = (302), Pawley volumes
#: 1565.4(2) Å³ (mechanochemical Cd(im)2) and 1611(2) Å³ (nanocrystals in prcCd(im)2).
CDIM2_PAPER = PaperValues(
    label="Cd(im)2 paper",
    metal="Cd",
    metal_density_per_nm3=5.13,
    density_volume_A3=1559.5,
    intra_A=6.4,
    inter_A=(5.2, 6.8),
    fringe_nm=0.35,
    fringe_hkl=(3, 0, 2),
    volume_A3="1565.4(2)",
    other_volume_A3="1611(2)",
)


def compare_with_paper(
    crystal: Crystal,
    summary: Any,
    paper: PaperValues = CDIM2_PAPER,
    *,
    distance_tolerance_A: float = 0.15,
    d_tolerance_nm: float = 0.01,
) -> list[dict[str, Any]]:
    """Rows ``quantity, paper, structure, agrees, depends_on`` (see the module docstring).

    ``summary`` is the :class:`~mofglass.structure.analysis.StructureSummary` of ``crystal``.
    """
    from mofglass.structure.cif import parse_su

    rows: list[dict[str, Any]] = []
    n_metal = int(summary.n_metal_atoms)
    vol = crystal.cell_volume_A3
    dens = summary.metal_density_per_nm3.value
    rows.append(
        _row(
            f"{paper.metal} per nm³",
            f"{paper.metal_density_per_nm3:.2f} (at {paper.density_volume_A3:g} Å³)",
            f"{dens:.2f} (at {vol:.1f} Å³); {1000 * n_metal / paper.density_volume_A3:.2f} "
            f"at {paper.density_volume_A3:g} Å³",
            abs(1000 * n_metal / paper.density_volume_A3 - paper.metal_density_per_nm3) < 0.006,
            "Z and V only (model-independent)",
        )
    )
    mm = summary.metal_metal_distances
    intra = [m for m in mm if m["kind"] == "intra" and m.get("linkers_between") == 1]
    if intra:
        m = intra[0]
        rows.append(
            _row(
                f"intra-network {paper.metal}···{paper.metal} across one linker / Å",
                f"{paper.intra_A:.1f}",
                f"{m['r_A']:.2f} (x{m['count']:g} per {paper.metal})",
                abs(m["r_A"] - paper.intra_A) <= distance_tolerance_A,
                "model (M-N, ring geometry)",
            )
        )
    inter = [m for m in mm if m["kind"] == "inter"]
    for k, target in enumerate(paper.inter_A):
        near = min(inter, key=lambda m: abs(m["r_A"] - target), default=None)
        listed = ", ".join(f"{m['r_A']:.2f} (x{m['count']:g})" for m in inter[:4])
        rows.append(
            _row(
                f"inter-network {paper.metal}···{paper.metal} #{k + 1} / Å",
                f"{target:.1f}",
                (f"nearest {near['r_A']:.2f} (x{near['count']:g}); shortest: {listed}")
                if near
                else "none",
                near is not None and abs(near["r_A"] - target) <= distance_tolerance_A,
                "model (cell shape of the template, atom positions)",
            )
        )
    lat = np.asarray(crystal.lattice_A)
    refl = fringe_reflections(crystal, paper.fringe_nm, n=6)
    hkl_d = {tuple(abs(h) for h in r.hkl): r.d_A / 10 for r in refl}
    want = tuple(abs(h) for h in paper.fringe_hkl)
    d_hkl = hkl_d.get(want)
    if d_hkl is None:
        from mofglass.structure.properties import d_spacings

        match = [
            r.d_A / 10
            for r in d_spacings(lat, d_min_A=2.0, spacegroup=crystal.spacegroup)
            if tuple(abs(h) for h in r.hkl) == want
        ]
        d_hkl = match[0] if match else None
    hkl_txt = "".join(str(h) for h in paper.fringe_hkl)
    rows.append(
        _row(
            f"d({hkl_txt}) / nm",
            f"{paper.fringe_nm:.2f} (fringe)",
            "absent (extinct or beyond range)" if d_hkl is None else f"{d_hkl:.3f}",
            d_hkl is not None and abs(d_hkl - paper.fringe_nm) <= d_tolerance_nm,
            "cell shape (a scaled template keeps its own)",
        )
    )
    rows.append(
        _row(
            f"(hkl) nearest a {paper.fringe_nm} nm fringe",
            hkl_txt,
            ", ".join(f"({''.join(str(h) for h in r.hkl)}) {r.d_A / 10:.3f}" for r in refl[:3]),
            d_hkl is not None and abs(d_hkl - paper.fringe_nm) <= d_tolerance_nm,
            "cell shape",
        )
    )
    v1, s1 = parse_su(paper.other_volume_A3)
    v0, s0 = parse_su(paper.volume_A3)
    dv = volume_change_percent(Measured(v1, s1, "Å^3"), Measured(v0, s0, "Å^3"))
    rows.append(
        _row(
            "ΔV between the two Pawley cells / %",
            f"{paper.other_volume_A3} vs {paper.volume_A3} Å³",
            f"{dv.value:+.2f}({round(100 * (dv.stderr or 0))})",
            True,
            "the two cell volumes only (model-independent)",
        )
    )
    return rows


def _row(quantity: str, paper: str, structure: str, agrees: bool, depends: str) -> dict[str, Any]:
    return {
        "quantity": quantity,
        "paper": paper,
        "structure": structure,
        "agrees": bool(agrees),
        "depends_on": depends,
    }
