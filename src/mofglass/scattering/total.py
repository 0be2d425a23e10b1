"""X-ray total scattering S(Q), F(Q) of finite models and periodic boxes, and G(r) from F(Q).

* Finite models (clusters, nanoparticles): the Debye equation over all pairs
  (:func:`mofglass.scattering.debye.debye_intensity`), S(Q) = 1 + (I - Σ f²) / (N <f>²).
* Periodic boxes: the pair histogram up to r_max of the box,
  S(Q) = 1 + (1/<f>²) [Σ_ab f_a f_b (1/N) Σ_pairs W sinc(Q r) - <f>² ρ0 ∫ 4π r² W sinc(Q r) dr]
  with Q-dependent form factors and the Lorch window W(r) = sinc(π r / r_max) against the
  cut-off ripples.

F(Q) = Q [S(Q) - 1] and G(r) = (2/π) ∫ F(Q) sin(Q r) dQ (optionally Lorch-modified in Q and
damped by exp(-(Qdamp r)²/2)).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from mofglass._renamed import renamed_keywords
from mofglass.results import Result
from mofglass.scattering.crystallites import Crystallite
from mofglass.scattering.debye import debye_intensity, sinc_sums
from mofglass.scattering.formfactors import form_factor_table
from mofglass.scattering.pairs import pair_histogram
from mofglass.structure import Crystal

__all__ = ["TotalScattering", "pdf_from_fq", "total_scattering"]


@dataclass(frozen=True)
class TotalScattering(Result):
    """S(Q) and F(Q) of a model.

    Attributes
    ----------
    q_invA : ndarray
        Q, Å⁻¹.
    S : ndarray
        Faber-Ziman total structure factor S(Q).
    F : ndarray
        F(Q) = Q [S(Q) - 1], Å⁻¹.
    partials : dict
        Contribution of each element pair ``"A-B"`` to S(Q) - 1.
    route : str
        ``"debye-exact"``, ``"debye-histogram"`` or ``"periodic"``.
    """

    q_invA: np.ndarray
    S: np.ndarray
    F: np.ndarray
    partials: dict[str, np.ndarray] = field(default_factory=dict)
    route: str = ""
    method: str = "Faber-Ziman S(Q), IT Vol. C form factors"


@renamed_keywords(rmax_A="r_max_A")
def total_scattering(
    model: Crystal | Crystallite,
    q_invA: np.ndarray,
    *,
    r_max_A: float | None = None,
    lorch: bool = True,
    form_factors: Mapping[str, np.ndarray] | None = None,
    dr_A: float = 0.01,
) -> TotalScattering:
    """S(Q) and F(Q) of a finite model (Debye) or a periodic box (pair histogram to r_max_A).

    Parameters
    ----------
    model : Crystal or Crystallite
        Finite model (``lattice_A`` None), crystallite (Debye route by lattice sums) or
        periodic box.
    q_invA : ndarray
        Q grid, Å⁻¹ (uniform for finite models).
    r_max_A : float, optional
        Periodic boxes: cut-off of the real-space sum; default half the smallest box width.
    lorch : bool
        Periodic boxes: apply the Lorch window in r.
    form_factors : mapping, optional
        Element to f(Q) overrides.
    dr_A : float
        Periodic boxes: histogram step.

    References
    ----------
    .. [1] T. E. Faber, J. M. Ziman, Phil. Mag. 11, 153 (1965).
    .. [2] E. Lorch, J. Phys. C 2, 229 (1969).
    .. [3] D. A. Keen, J. Appl. Cryst. 34, 172 (2001).
    """
    q = np.asarray(q_invA, dtype=float)
    if isinstance(model, Crystallite) or model.lattice_A is None:
        res = debye_intensity(model, q, form_factors=form_factors)
        norm = res.n_atoms * res.mean_f2
        dparts = {k: v / norm for k, v in res.partials.items()}
        s = res.structure_factor
        return TotalScattering(q, s, q * (s - 1.0), dparts, f"debye-{res.route}")
    lat = model.lattice_A
    vol = model.cell_volume_A3
    widths = [
        float(vol / np.linalg.norm(np.cross(lat[(k + 1) % 3], lat[(k + 2) % 3]))) for k in range(3)
    ]
    rmax = float(r_max_A) if r_max_A is not None else 0.5 * min(widths)
    elements = sorted(set(model.species))
    t = np.array([elements.index(s) for s in model.species], dtype=np.int64)
    w = model.occupancy
    hist = pair_histogram(
        model.positions_A,
        r_max_A=rmax,
        dr_A=dr_A,
        types=t,
        weights=w,
        lattice_A=lat,
        spread="linear",
    )
    n = float(w.sum())
    rho = n / vol
    r = hist.r_A
    win = np.sinc(r / rmax) if lorch else np.ones_like(r)
    counts = hist.counts.sum(axis=1) * win[None, :]
    sums = sinc_sums(counts, r, q)
    f = form_factor_table(elements, q, overrides=form_factors)
    u_el = np.array([model.uiso_A2[t == k].mean() for k in range(len(elements))])
    c = np.bincount(t, weights=w, minlength=len(elements)) / n
    mean_f = (c[:, None] * f).sum(axis=0)
    shell = sinc_sums((4 * np.pi * r**2 * win * dr_A)[None, :], r, q)[0] * rho
    parts: dict[str, np.ndarray] = {}
    for k, (a, b) in enumerate(hist.class_types):
        dw = np.exp(-(q**2) * (u_el[a] + u_el[b]) / 2.0)
        ab = 2.0 * f[a] * f[b] * dw * sums[k] / n
        ab -= (2.0 if a != b else 1.0) * c[a] * c[b] * f[a] * f[b] * shell
        parts[f"{elements[a]}-{elements[b]}"] = ab / mean_f**2
    s = 1.0 + np.sum(list(parts.values()), axis=0)
    return TotalScattering(q, s, q * (s - 1.0), parts, "periodic")


@renamed_keywords(qdamp_invA="q_damp_invA")
def pdf_from_fq(
    q_invA: np.ndarray,
    fq: np.ndarray,
    r_A: np.ndarray,
    *,
    qmin_invA: float = 0.0,
    qmax_invA: float | None = None,
    q_damp_invA: float = 0.0,
    lorch: bool = False,
) -> np.ndarray:
    """G(r) = (2/π) ∫_{Qmin}^{Qmax} F(Q) M(Q) sin(Qr) dQ · exp(-(Qdamp r)²/2).

    M(Q) is the Lorch function sinc(πQ/Qmax) when ``lorch`` (trapezoid rule in Q).

    References
    ----------
    .. [1] T. Egami, S. J. L. Billinge, Underneath the Bragg Peaks, 2nd ed. (2012), eq. 3.31.
    """
    q = np.asarray(q_invA, dtype=float)
    f = np.asarray(fq, dtype=float)
    qmax = float(q.max()) if qmax_invA is None else qmax_invA
    keep = (q >= qmin_invA) & (q <= qmax)
    q, f = q[keep], f[keep]
    if lorch:
        f = f * np.sinc(q / qmax)
    wq = _trapezoid_weights(q)
    r = np.asarray(r_A, dtype=float)
    fw = f * wq
    g = np.empty(r.shape)
    # blocks of r rows keep the sine matrix below ~16 MB whatever the grids
    step = max(1, int(2e6 // max(1, q.size)))
    for s in range(0, r.size, step):
        g[s : s + step] = np.sin(np.outer(r[s : s + step], q)) @ fw
    g *= 2.0 / np.pi
    return np.asarray(g * np.exp(-((q_damp_invA * r) ** 2) / 2.0))


def _trapezoid_weights(x: np.ndarray) -> np.ndarray:
    """Weights w with Σ w f = trapezoid integral of f over the (possibly non-uniform) grid x."""
    if x.size < 2:
        return np.zeros(x.size)
    dx = np.diff(x)
    w = np.zeros(x.size)
    w[:-1] += dx / 2.0
    w[1:] += dx / 2.0
    return w
