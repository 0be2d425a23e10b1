"""One call from a micrograph to everything the technique and the CLI show (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from mofglass.microscopy.domains import DomainMap, crystalline_domains
from mofglass.microscopy.indexing import ZoneSolution, index_fringes
from mofglass.microscopy.lattice import LatticeAnalysis, analyse_lattice
from mofglass.microscopy.micrograph import Micrograph
from mofglass.microscopy.view import fringe_view
from mofglass.results import ResultRow

__all__ = ["FringeReport", "analyse_micrograph", "hkl_labels"]


@dataclass(frozen=True)
class FringeReport:
    """Lattice analysis, its indexing against a phase (if given) and the domain map (if asked)."""

    lattice: LatticeAnalysis
    solutions: tuple[ZoneSolution, ...] = ()
    domains: DomainMap | None = None
    phase: str = ""

    def rows(self, *, sample_id: str, technique: str = "tem", source: str = "") -> list[ResultRow]:
        """Table rows of the lattice analysis plus, with a domain map, ``crystalline_fraction``."""
        rows = self.lattice.rows(sample_id=sample_id, technique=technique, source=source)
        if self.domains is not None:
            m = self.domains.crystalline_fraction
            rows.append(
                ResultRow(
                    sample_id,
                    "crystalline_fraction",
                    m.value,
                    m.stderr,
                    "",
                    technique,
                    self.domains.method,
                    source or self.lattice.source,
                )
            )
        return rows

    def report(self) -> str:
        """Summarise the lattice, its indexing and the domain map as plain text."""
        lines = [self.lattice.report()]
        if self.phase:
            if self.solutions:
                lines.append(f"  indexed against {self.phase}:")
                lines += [f"    {s.describe()}" for s in self.solutions]
            else:
                lines.append(f"  no match in {self.phase} within the tolerances")
        if self.domains is not None:
            d = self.domains
            lines.append(
                f"  crystalline area fraction {d.crystalline_fraction} "
                f"({d.crystalline.shape[0]}x{d.crystalline.shape[1]} tiles of {d.tile_px} px)"
            )
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """Return plain JSON types (the domain map as a 0/1 list of lists)."""
        return {
            "lattice": self.lattice.to_dict(),
            "phase": self.phase,
            "solutions": [s.to_dict() for s in self.solutions],
            "domains": None
            if self.domains is None
            else {
                "crystalline_fraction": self.domains.crystalline_fraction.to_dict(),
                "tile_px": self.domains.tile_px,
                "step_px": self.domains.step_px,
                "map": self.domains.crystalline.astype(int).tolist(),
            },
        }


def hkl_labels(lattice: LatticeAnalysis, sol: ZoneSolution | None) -> dict[int, str]:
    """Label every reflection with its "(hkl)" from the best solution: m1 h1 + m2 h2 for order (m1, m2)."""
    if sol is None:
        return {}
    h1 = np.array(sol.hkl[0])
    h2 = np.array(sol.hkl[1]) if len(sol.hkl) > 1 else np.zeros(3, int)
    out = {}
    for k, r in enumerate(lattice.reflections):
        if r.order == (0, 0):
            continue
        h = r.order[0] * h1 + r.order[1] * h2
        out[k] = "".join(str(int(v)) for v in h)
    return out


def analyse_micrograph(
    micrograph: Micrograph,
    *,
    roi: tuple[int, int, int, int] | None = None,
    lattice_A: np.ndarray | None = None,
    spacegroup: str | None = None,
    phase: str = "",
    domain_map: bool = False,
    tile_px: int | None = None,
    threshold: float = 5.0,
    d_min_A: float = 1.0,
    d_max_A: float = 30.0,
    calibration_rel_err: float = 0.01,
    d_tol: float = 0.05,
    angle_tol_deg: float = 3.0,
) -> tuple[FringeReport, dict[str, Any]]:
    """Lattice analysis (+ indexing, + domain map) and the figure arrays."""
    lat = analyse_lattice(
        micrograph,
        roi=roi,
        threshold=threshold,
        d_min_A=d_min_A,
        d_max_A=d_max_A,
        calibration_rel_err=calibration_rel_err,
    )
    sols: tuple[ZoneSolution, ...] = ()
    if lattice_A is not None:
        sols = tuple(
            index_fringes(
                lat,
                lattice_A,
                spacegroup=spacegroup,
                d_tol=d_tol,
                angle_tol_deg=angle_tol_deg,
                phase=phase,
            )
        )
    dom = None
    if domain_map and lat.planes:
        dom = crystalline_domains(micrograph, lat, tile_px=tile_px)
    view = fringe_view(micrograph, lat, hkl=hkl_labels(lat, sols[0] if sols else None))
    if dom is not None:
        view["domains"] = dom.crystalline.astype(int).tolist()
        f = view["pixel_A"] / micrograph.pixel_size_A[1]
        rows, cols = dom.crystalline.shape
        view["domains_extent"] = [
            0.0,
            ((cols - 1) * dom.step_px + dom.tile_px) / f,
            ((rows - 1) * dom.step_px + dom.tile_px) / f,
            0.0,
        ]
    return FringeReport(lat, sols, dom, phase), view
