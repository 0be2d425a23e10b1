"""One measured file → reciprocal- and real-space curves and a small result (study and CLI).

:func:`analyse` chains the pure steps of :mod:`mofglass.totalscattering.processing`:
background subtraction, Compton subtraction and Krogh-Moe–Norman normalisation for raw X-ray
intensities, then
F(Q) and the sine transform, or takes G(r) / D(r) as given, and fits the first peaks.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np

from mofglass.errors import AnalysisError, DataWarning
from mofglass.results import Measured, Result
from mofglass.totalscattering.compton import compton_scattering
from mofglass.totalscattering.data import TotalScatteringData
from mofglass.totalscattering.pdf_peaks import PDFPeak, screened_first_peaks
from mofglass.totalscattering.processing import (
    density_from_low_r,
    fq_from_data,
    normalise_xray,
    number_density,
    reduced_pdf,
    subtract_background,
    usable_q_range,
)

__all__ = ["PDFSummary", "analyse"]

#: The shortest interatomic distance there is (H2, Å): a curve ending before it holds no peak.
_SHORTEST_BOND_A = 0.74


@dataclass(frozen=True)
class PDFSummary(Result):
    """Curves and numbers from one measured total-scattering file.

    Attributes
    ----------
    q_invA, fq : ndarray or None
        Q (Å⁻¹) and F(Q) = Q[S - 1] (Å⁻¹; Keen's Q·F_K for GudrunX data); None for r-space input.
    r_A, pdf : ndarray
        r (Å) and G(r) (Å⁻²) or Keen's D(r) (``pdf_kind``).
    pdf_kind : str
        ``"G"`` or ``"D"``.
    peaks : list of PDFPeak
        First peaks (Gaussian fits).
    number_density_invA3 : Measured or None
        From composition and density, else from the low-r slope of G(r) (G only).
    qmax_invA : float or None
        Qmax of the transform (None for r-space input).
    ripples_A : tuple of float
        r (Å) of low-r maxima classed as termination ripples (kept out of ``peaks``; see
        :mod:`mofglass.totalscattering.ripples`).
    """

    q_invA: np.ndarray | None
    fq: np.ndarray | None
    r_A: np.ndarray
    pdf: np.ndarray
    pdf_kind: str
    peaks: list[PDFPeak] = field(default_factory=list)
    number_density_invA3: Measured | None = None
    qmax_invA: float | None = None
    lorch: bool = True
    ripples_A: tuple[float, ...] = ()
    method: str = "Faber-Ziman S(Q); G(r) sine transform (Lorch 1969); Keen 2001 conventions"


def _trim_to_measured(data: TotalScatteringData) -> TotalScatteringData:
    """Keep the Q range that holds measured intensity (:func:`usable_q_range`), with a warning."""
    q = data.q_invA
    qmin, qmax = usable_q_range(q, np.asarray(data.y))
    keep = (q >= qmin) & (q <= qmax)
    if keep.all():
        return data
    warnings.warn(
        f"{data.source}: intensity used over Q {qmin:.3f}-{qmax:.3f} Å⁻¹ only; the "
        f"{int((~keep).sum())} points outside are zero padding or a detector-edge roll-off "
        f"(file range {q.min():.3f}-{q.max():.3f} Å⁻¹)",
        DataWarning,
        stacklevel=3,
    )
    meta = dict(data.metadata)
    meta["q_range_used_invA"] = (qmin, qmax)
    x = np.asarray(data.x)[keep]
    return data.replace(x=x, y=np.asarray(data.y)[keep], metadata=meta)


def analyse(
    data: TotalScatteringData,
    *,
    qmax_invA: float | None = None,
    lorch: bool = True,
    formula: str | None = None,
    density_g_cm3: float | None = None,
    background: TotalScatteringData | None = None,
    background_scale: float = 1.0,
    r_max_A: float = 30.0,
    n_peaks: int = 3,
    compton: bool = True,
    breit_dirac_exponent: float = 2.0,
    probe: str | None = None,
) -> PDFSummary:
    """Reduce one file to F(Q) and G(r)/D(r) and fit its first peaks.

    Raw intensities need ``formula``: they are normalised by the Krogh-Moe-Norman integral
    (:func:`~mofglass.totalscattering.processing.normalise_xray`) with the Compton scattering
    of the formula subtracted (``compton``; :func:`~mofglass.totalscattering.compton.
    compton_scattering`, with the Breit-Dirac factor R^n when the file gives the wavelength).

    ``probe`` ("xray" or "neutron"; default: the file header's, else X-rays): neutron data
    may hold negative peaks (pairs of opposite scattering-length signs, e.g. Mn-O); they are
    searched before the first positive peak and reported with ``sign = -1``.

    References
    ----------
    .. [1] D. A. Keen, J. Appl. Cryst. 34, 172 (2001).
    .. [2] E. Lorch, J. Phys. C 2, 229 (1969).
    """
    rho = None
    if formula is not None and density_g_cm3 is not None:
        rho = Measured(number_density(formula, density_g_cm3), None, "Å⁻³")
    if data.x_kind == "r_A":
        r, y, kind = np.asarray(data.x), np.asarray(data.y), data.kind
        q = fq = None
        qmax = data.metadata.get("qmax_invA")
        if r.size and float(np.max(r)) < _SHORTEST_BOND_A:
            raise AnalysisError(
                f"{data.source}: r ends at {float(np.max(r)):g} Å ({r.size} points), before "
                f"any interatomic distance (H-H {_SHORTEST_BOND_A} Å): nothing to fit "
                "(a truncated file, or r in nm?)"
            )
    else:
        d = data
        if d.kind == "intensity":
            if background is not None:
                d = subtract_background(d, background, scale=background_scale)
            if formula is None:
                raise AnalysisError(f"{data.source}: a raw intensity needs the sample formula")
            d = _trim_to_measured(d)
            inc = (
                compton_scattering(
                    formula,
                    d.q_invA,
                    wavelength_A=d.wavelength_A,
                    breit_dirac_exponent=breit_dirac_exponent,
                )
                if compton
                else None
            )
            d = normalise_xray(
                d, formula, number_density_invA3=rho.value if rho else 0.0, incoherent=inc
            )
        q, fq = fq_from_data(d)
        qmax = float(q.max()) if qmax_invA is None else float(qmax_invA)
        res = reduced_pdf(d, r_A=np.arange(0.01, r_max_A, 0.01), qmax_invA=qmax, lorch=lorch)
        r, y, kind = res.x, res.y, res.kind
    if kind not in ("G", "D", "GK", "g", "T"):
        raise AnalysisError(f"{data.source}: real-space data must be G, D, G_K, g or T(r)")
    peaks, screen = screened_first_peaks(
        r,
        y,
        n=n_peaks,
        qmax_invA=None if qmax is None else float(qmax),
        formula=formula,
        lorch=lorch and data.x_kind != "r_A",
        negative=(probe or data.metadata.get("probe")) == "neutron",
    )
    if screen.ripples_A:
        bound = screen.shortest_distance_A
        warnings.warn(
            f"{data.source}: maxima at {', '.join(f'{x:.2f}' for x in screen.ripples_A)} Å are "
            "termination ripples, not peaks ("
            + (f"below the shortest distance {formula} allows, {bound:.2f} Å, or " if bound else "")
            + "no higher above -4πρ0 r than the ripples below them); peaks searched from "
            f"{screen.rmin_A:.2f} Å",
            DataWarning,
            stacklevel=2,
        )
    if rho is None and kind == "G" and peaks:
        lim = 0.8 * peaks[0].position_A.value
        if np.sum((r > 0) & (r <= lim)) >= 3:
            v, se = density_from_low_r(r, y, r_max_A=lim)
            rho = Measured(v, se, "Å⁻³")
    qmax_f = None if qmax is None else float(qmax)
    return PDFSummary(q, fq, r, y, kind, peaks, rho, qmax_f, lorch, screen.ripples_A)
