"""Peaks of a computed PDF with the element pairs and network kinds that make them."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.signal import find_peaks

from mofglass._renamed import renamed_keywords
from mofglass.results import Result
from mofglass.scattering.pdf import PDFResult

__all__ = ["PDFPeak", "label_peaks"]


@dataclass(frozen=True)
class PDFPeak(Result):
    """One PDF peak: position, height and the fractions of its pair part by pair and kind."""

    r_A: float
    height: float
    pairs: dict[str, float] = field(default_factory=dict)
    kinds: dict[str, float] = field(default_factory=dict)
    method: str = "local maxima of G(r); fractions of the pair parts at the maximum"


@renamed_keywords(rmax_A="r_max_A")
def label_peaks(
    result: PDFResult,
    *,
    r_max_A: float = 8.0,
    n_peaks: int = 7,
    min_prominence: float = 0.0,
    top: int = 3,
) -> list[PDFPeak]:
    """Find the ``n_peaks`` most prominent maxima of G(r) below ``r_max_A`` with their main pairs.

    Each peak lists the ``top`` element pairs by their share of the pair part of G at the
    maximum, and the shares of intra- / inter-network pairs when labels were given.
    """
    r = result.r_A
    sel = r <= r_max_A
    idx, props = find_peaks(result.G[sel], prominence=min_prominence)
    order = np.argsort(props["prominences"])[::-1][:n_peaks]
    peaks = []
    for i in sorted(idx[order]):
        parts = {k: float(v[i]) for k, v in result.element_partials.items()}
        tot = sum(max(v, 0.0) for v in parts.values()) or 1.0
        shares = sorted(((k, max(v, 0.0) / tot) for k, v in parts.items()), key=lambda kv: -kv[1])
        kinds = {k: float(v[i]) for k, v in result.kind_partials.items()}
        ktot = sum(max(v, 0.0) for v in kinds.values()) or 1.0
        peaks.append(
            PDFPeak(
                float(r[i]),
                float(result.G[i]),
                dict(shares[:top]),
                {k: max(v, 0.0) / ktot for k, v in kinds.items()},
            )
        )
    return peaks
