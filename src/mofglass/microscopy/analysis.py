"""One call from a micrograph to everything the technique and the CLI show (pure)."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from mofglass.microscopy.domains import DomainMap, crystalline_domains
from mofglass.microscopy.indexing import ZoneSolution, index_fringes
from mofglass.microscopy.lattice import (
    NOMINAL_CALIBRATION_REL_ERR,
    LatticeAnalysis,
    analyse_lattice,
)
from mofglass.microscopy.micrograph import Micrograph
from mofglass.microscopy.view import FringeView, fringe_view
from mofglass.results import Measured, Result, ResultRow

__all__ = ["MicrographAnalysis", "analyse_micrograph", "hkl_labels"]


@dataclass(frozen=True, eq=False)
class MicrographAnalysis(Result):
    """Lattice analysis, its indexing against a phase (if given) and the domain map (if asked).

    Attributes
    ----------
    lattice : LatticeAnalysis
        Spots, spacings and the angle of the basis.
    solutions : tuple of ZoneSolution
        Zone axes and (hkl) that index the spacings, best first (empty without a phase).
    domains : DomainMap or None
        Local-FFT crystalline-domain map.
    phase : str
        Name of the phase indexed against.
    view : FringeView or None
        Thumbnails for the figure.
    warnings : tuple of str
        The lattice analysis' warnings and a failed indexing.
    """

    lattice: LatticeAnalysis
    solutions: tuple[ZoneSolution, ...] = ()
    domains: DomainMap | None = None
    phase: str = ""
    view: FringeView | None = None
    warnings: tuple[str, ...] = ()
    method: ClassVar[str] = "windowed FFT lattice fringes, zone-axis indexing, local-FFT domains"

    def headline_values(self, limit: int = 4) -> list[tuple[str, Measured]]:
        """Return the rows' quantities as (name, Measured) pairs, at most ``limit``."""
        return [(r.quantity, r.measured) for r in self.rows(sample_id="")][:limit]

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

    def spots(self) -> list[dict[str, Any]]:
        """Return every spot for the figure: ``gx``, ``gy`` (1/Å), ``d`` (Å), role and (hkl)."""
        hkl = hkl_labels(self.lattice, self.solutions[0] if self.solutions else None)
        return [
            {
                "gx": r.gx_invA,
                "gy": r.gy_invA,
                "d": r.d_A.value,
                "role": r.role,
                "hkl": hkl.get(k, ""),
            }
            for k, r in enumerate(self.lattice.reflections)
        ]

    def curves(self, max_points: int = 2000) -> dict[str, Any]:
        """Return the spots (positions, spacings, roles, (hkl)) as JSON-ready lists."""
        return {"spots": self.spots()}

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


def __getattr__(name: str) -> Any:
    """Serve the old name ``FringeReport`` of :class:`MicrographAnalysis`, with a warning."""
    if name == "FringeReport":
        warnings.warn(
            "FringeReport is deprecated; use MicrographAnalysis", DeprecationWarning, stacklevel=2
        )
        return MicrographAnalysis
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def hkl_labels(lattice: LatticeAnalysis, sol: ZoneSolution | None) -> dict[int, str]:
    """Label every reflection with its "(hkl)" from the best solution: m1 h1 + m2 h2 for order (m1, m2)."""
    if sol is None or not sol.hkl:
        return {}
    h1 = sol.hkl[0]
    h2 = sol.hkl[1] if len(sol.hkl) > 1 else (0, 0, 0)
    out = {}
    for k, r in enumerate(lattice.reflections):
        if r.order == (0, 0):
            continue
        m1, m2 = r.order
        out[k] = "".join(str(m1 * a + m2 * b) for a, b in zip(h1, h2, strict=True))
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
    calibration_rel_err: float = NOMINAL_CALIBRATION_REL_ERR,
    d_tol: float = 0.05,
    angle_tol_deg: float = 3.0,
) -> MicrographAnalysis:
    """Analyse the lattice fringes of a micrograph, index them and map the domains.

    Parameters
    ----------
    micrograph : Micrograph
        The calibrated image (not modified).
    roi : (x0, y0, width, height), optional
        Region analysed, in pixels (default: the whole image).
    lattice_A : ndarray, optional
        Direct-lattice vectors (rows, Å) of the phase to index against.
    spacegroup : str, optional
        Its space group (extinctions).
    phase : str
        Name of the phase (for the report).
    domain_map : bool
        Also map the crystalline domains (local FFT, Hÿtch 1998).
    tile_px : int, optional
        Tile size of the domain map.
    threshold, d_min_A, d_max_A, calibration_rel_err
        Spot search (:func:`~mofglass.microscopy.lattice.analyse_lattice`).
    d_tol, angle_tol_deg
        Indexing tolerances (:func:`~mofglass.microscopy.indexing.index_fringes`).

    Returns
    -------
    MicrographAnalysis
        With the thumbnails of the figure in ``view``.
    """
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
    warns = list(lat.warnings)
    if lattice_A is not None and not sols:
        warns.append(
            f"no (hkl) of {phase or 'the phase'} matches the spacings within the tolerances"
        )
    return MicrographAnalysis(
        lattice=lat,
        solutions=sols,
        domains=dom,
        phase=phase,
        view=fringe_view(micrograph, lat, domains=dom),
        warnings=tuple(warns),
    )
