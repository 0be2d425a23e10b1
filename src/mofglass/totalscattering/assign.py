"""Measured PDF features (maxima and minima) assigned to the pair partials of a structure model.

The paper's Figure 4 analysis: the sharp features of a measured G(r) / D(r) below 8 Å are
labelled by the element pairs (and intra- / inter-network kinds) whose computed partials
dominate at that distance. Features of either sign are found: with neutrons, pairs with
b_a b_b < 0 (e.g. Mn-O, b_Mn < 0) give negative peaks; a minimum is assigned to the negative
partials there and a maximum to the positive ones. A feature with no partial of its sign
there (a gap between peaks, a ripple) is reported unassigned.

References
----------
.. [1] D. A. Keen, J. Appl. Cryst. 34, 172 (2001) (weights and signs of partials).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.signal import find_peaks

from mofglass._renamed import renamed_keywords
from mofglass.errors import MofglassError
from mofglass.results import Result
from mofglass.scattering.pdf import PDFResult

__all__ = ["PDFFeature", "assign_features"]


@dataclass(frozen=True)
class PDFFeature(Result):
    """One measured extremum and the partials that make it.

    Attributes
    ----------
    r_A : float
        Position of the extremum in the measured curve, Å.
    sign : int
        +1 for a maximum, -1 for a minimum.
    pairs : dict
        Element pair → share (0-1) of the partials of the feature's sign at r (largest first).
    network : dict
        ``intra`` / ``inter`` / ``other`` → share, when the model has network labels.
    """

    r_A: float
    sign: int
    height: float
    pairs: dict[str, float] = field(default_factory=dict)
    network: dict[str, float] = field(default_factory=dict)
    method: str = "extrema of the measured curve; shares of same-sign model partials (Keen 2001)"

    @property
    def label(self) -> str:
        """Pairs with at least a quarter of the feature ("C-N/N-Zn"), or ``"unassigned"``."""
        if not self.pairs:
            return "unassigned"
        return "/".join(k for k, v in self.pairs.items() if v >= 0.25) or next(iter(self.pairs))


def _shares(values: dict[str, float], sign: int, top: int, floor: float) -> dict[str, float]:
    same = {k: v * sign for k, v in values.items() if v * sign > 0}
    tot = sum(same.values())
    if tot <= floor:
        return {}
    ranked = sorted(same.items(), key=lambda kv: -kv[1])[:top]
    return {k: v / tot for k, v in ranked}


@renamed_keywords(rmax_A="r_max_A")
def assign_features(
    r_A: np.ndarray,
    y: np.ndarray,
    model: PDFResult,
    *,
    r_max_A: float = 8.0,
    rmin_A: float = 0.8,
    n_features: int = 12,
    min_prominence: float = 0.05,
    top: int = 3,
) -> list[PDFFeature]:
    """Find the sharp maxima and minima of a measured curve and assign them to model partials.

    Parameters
    ----------
    r_A, y : ndarray
        Measured G(r) or D(r) (any convention: only positions and signs are used).
    model : PDFResult
        Computed PDF of a structure model (:func:`mofglass.scattering.crystal_pdf`) with the
        same probe's weights and no Qmax termination (``qmax_invA=None``); its element (and
        network) partials are evaluated at each feature, and the same-sign partials must reach
        5 % of the largest partial sum in the range for an assignment.
    r_max_A, rmin_A : float
        Range searched, Å.
    n_features : int
        Most prominent extrema kept.
    min_prominence : float
        Prominence threshold as a fraction of the largest |y| in the range.
    top : int
        Element pairs listed per feature.

    Returns
    -------
    list of PDFFeature, sorted by r.
    """
    if model.qmax_invA is not None:
        raise MofglassError(
            "compute the model without Qmax termination: its ripples would be taken for pairs"
        )
    r = np.asarray(r_A, dtype=float)
    v = np.asarray(y, dtype=float)
    sel = (r >= rmin_A) & (r <= r_max_A)
    msel = (model.r_A >= rmin_A) & (model.r_A <= r_max_A)
    size = np.sum([np.abs(p[msel]) for p in model.element_partials.values()], axis=0)
    floor = 0.05 * float(np.max(size)) if np.size(size) else 0.0
    rs, ys = r[sel], v[sel]
    if rs.size < 5:
        return []
    prom = min_prominence * float(np.max(np.abs(ys)))
    found = []
    for sign in (1, -1):
        idx, props = find_peaks(sign * ys, prominence=prom)
        found += [(float(p), int(i), sign) for i, p in zip(idx, props["prominences"], strict=True)]
    found.sort(key=lambda t: -t[0])
    out = []
    for _, i, sign in sorted(found[:n_features], key=lambda t: rs[t[1]]):
        x = float(rs[i])
        parts = {k: float(np.interp(x, model.r_A, p)) for k, p in model.element_partials.items()}
        kinds = {k: float(np.interp(x, model.r_A, p)) for k, p in model.kind_partials.items()}
        out.append(
            PDFFeature(
                x,
                sign,
                float(ys[i]),
                _shares(parts, sign, top, floor),
                _shares(kinds, sign, 3, floor),
            )
        )
    return out
