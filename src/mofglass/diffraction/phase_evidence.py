"""Evidence that a phase of a whole-pattern fit is present: the identification rule.

A phase of a Pawley / Le Bail fit (main or impurity) is *identified* only when all three
hold; otherwise it is reported "not identified" with the reason, and its cell is no result
(kept out of the headline rows):

1. **Its cell stayed near its start**: no refined length moved by more than
   :data:`CELL_DRIFT_LIMIT` (2 %) and no angle by more than :data:`ANGLE_DRIFT_LIMIT_DEG`
   (1°) from the cell given. A phase is named by its cell: the limit is the start-cell scale
   search's (±2 %), which covers thermal expansion of frameworks (|α| up to ~6·10⁻⁵ K⁻¹ over
   300 K; Cd(im)2 expands 5.4 % in volume, ~1.8 % in length, between 100 and 500 K),
   whereas a free cell of an absent phase slides onto foreign peaks (measured: the absent
   LaB6 as main phase of the PbSO4 round-robin pattern drifts 4.1569 -> 4.354 Å, +4.7 %).
2. **It carries intensity**: at least :data:`MIN_INTENSITY_SHARE` (0.5 %) of the
   calculated Bragg intensity.
3. **Removing it worsens the fit beyond noise**: with the phase removed and the other
   phases' intensities and the background solved again, Δχ² / max(χ²ν, 1) >
   n + 5 √(2n) + 25, n = its reflections with positive intensity (what n free non-negative
   intensities gain on noise alone, plus 5σ; a likelihood-ratio test [1]_). Since
   Rwp² = χ² / Σ w y², this is the rise of Rwp the phase must cause.

References
----------
.. [1] S. S. Wilks, Ann. Math. Stat. 9 (1938) 60-62.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from mofglass.crystallography.cell import Cell
from mofglass.diffraction._wholepattern import profile_matrix
from mofglass.diffraction._wpsolve import pawley_linear

if TYPE_CHECKING:
    from mofglass.diffraction.pawley import _Problem

__all__ = [
    "ANGLE_DRIFT_LIMIT_DEG",
    "CELL_DRIFT_LIMIT",
    "IDENTIFICATION_RULE",
    "MIN_INTENSITY_SHARE",
    "PhaseContribution",
    "cell_drift",
    "phase_contributions",
]

#: Largest relative change of a cell length (refined vs given) of an identified phase.
CELL_DRIFT_LIMIT = 0.02
#: Largest change of a cell angle (degrees) of an identified phase.
ANGLE_DRIFT_LIMIT_DEG = 1.0
#: Smallest share of the calculated Bragg intensity of an identified phase.
MIN_INTENSITY_SHARE = 0.005
#: The rule in one line (for reports).
IDENTIFICATION_RULE = (
    f"a phase is identified when its cell lengths stay within {100 * CELL_DRIFT_LIMIT:g} % "
    f"(angles {ANGLE_DRIFT_LIMIT_DEG:g}°) of the cell given, it carries ≥ "
    f"{100 * MIN_INTENSITY_SHARE:g} % of the Bragg intensity and removing it raises χ² by "
    "more than noise (Δχ²/χ²ν > n + 5√(2n) + 25, n its live reflections)"
)


@dataclass(frozen=True)
class PhaseContribution:
    """What one phase explains and whether that identifies it (see :func:`phase_contributions`).

    ``cell_drift`` is the largest relative change of a cell length (refined vs given),
    ``angle_drift_deg`` that of an angle; ``reason`` says why a phase is not identified
    (empty when ``detected``).
    """

    intensity_share: float
    chi2_without: float
    n_live: int
    detected: bool
    cell_drift: float = 0.0
    angle_drift_deg: float = 0.0
    reason: str = ""


def cell_drift(start: Cell, refined: Cell) -> tuple[float, float]:
    """Return how far a refined cell moved from its start.

    Parameters
    ----------
    start, refined : Cell
        The cell given and the refined one.

    Returns
    -------
    tuple of float
        Largest relative change of a, b, c (dimensionless) and largest change of α, β, γ
        (degrees).

    Examples
    --------
    >>> c0 = Cell(4.1569, 4.1569, 4.1569, spacegroup="P m -3 m")
    >>> round(cell_drift(c0, Cell(4.243, 4.243, 4.243, spacegroup="P m -3 m"))[0], 4)
    0.0207
    """
    lengths = max(abs(getattr(refined, n) / getattr(start, n) - 1) for n in ("a", "b", "c"))
    angles = max(abs(getattr(refined, n) - getattr(start, n)) for n in ("alpha", "beta", "gamma"))
    return float(lengths), float(angles)


def _verdict(share: float, gain: float, n_live: int, drift: float, angle: float) -> str:
    """Return why a phase is not identified ("" when it is): every failed test of the rule."""
    why = []
    if drift > CELL_DRIFT_LIMIT or angle > ANGLE_DRIFT_LIMIT_DEG:
        why.append(
            f"cell drifted {100 * drift:.2f} % in length / {angle:.2f}° in angle from the cell "
            f"given (limits {100 * CELL_DRIFT_LIMIT:g} %, {ANGLE_DRIFT_LIMIT_DEG:g}°)"
        )
    if share < MIN_INTENSITY_SHARE:
        why.append(
            f"{100 * share:.2f} % of the Bragg intensity (< {100 * MIN_INTENSITY_SHARE:g} %)"
        )
    need = n_live + 5 * np.sqrt(2 * n_live) + 25
    if not gain > need:
        why.append(f"removing it raises χ²/χ²ν by only {gain:.0f} (noise limit {need:.0f})")
    return "; ".join(why)


def phase_contributions(
    prob: _Problem, inten: np.ndarray, coef: np.ndarray
) -> list[PhaseContribution]:
    """Per phase: its share of the Bragg intensity, the χ² without it and the verdict.

    Without phase i, the intensities of the other phases and the background are solved again
    (non-negative least squares at the current profile and cells), so a phase whose reflections
    merely coincide with another's explains nothing. The verdict applies the module's rule
    (cell drift, intensity share, Δχ² beyond noise).

    Parameters
    ----------
    prob : _Problem
        The fitted problem (data, phases as given, current values).
    inten, coef : ndarray
        Reflection intensities (all phases) and background coefficients.

    Returns
    -------
    list of PhaseContribution
        One per phase, main phase first.
    """
    x, y, sig = prob.x, prob.y, prob.sigma
    inv_d2, st = prob.state(prob.values)
    a = profile_matrix(x, inv_d2, prob.lines, st)
    bragg = np.asarray(a.sum(axis=0)).ravel() * inten
    total = max(float(bragg.sum()), 1e-300)
    calc = a @ inten + prob.bg @ coef
    chi2 = float(np.sum(((y - calc) / sig) ** 2))
    n_par = int(np.sum(inten > 0)) + coef.size + len(prob.names)
    scale = max(chi2 / max(x.size - n_par, 1), 1.0)
    out = []
    for i, sl in enumerate(prob.slices):
        keep = np.ones(inten.size, dtype=bool)
        keep[sl] = False
        if keep.any():
            a_k = a[:, keep]
            i_k, c_k = pawley_linear(a_k, prob.bg, y, sig, inten[keep])
            calc_k = a_k @ i_k + prob.bg @ c_k
        else:
            c_k = np.linalg.lstsq(prob.bg / sig[:, None], y / sig, rcond=None)[0]
            calc_k = prob.bg @ c_k
        chi2_k = float(np.sum(((y - calc_k) / sig) ** 2))
        n_live = int(np.sum(inten[sl] > 0))
        share = float(bragg[sl].sum()) / total
        drift, angle = cell_drift(prob.phases[i], prob.cell(prob.values, i))
        reason = _verdict(share, (chi2_k - chi2) / scale, n_live, drift, angle)
        out.append(PhaseContribution(share, chi2_k, n_live, not reason, drift, angle, reason))
    return out
