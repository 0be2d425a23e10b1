"""How the RMC model curve is weighted and broadened the way the measured curve was made.

A measured X-ray D(r) is the sine transform, to a finite Qmax and usually with the Lorch
modification M(Q), of i(Q) = Σ_ab c_a c_b f_a(Q) f_b(Q) [S_ab(Q) - 1] / N(Q), with the
Q-dependent form factors f(Q) and a normalisation N(Q): (Σ c f)² (Faber-Ziman, ``"fz"``) or
Σ c f² (GudrunX's "normalise to <f²>", ``"f2"``). Because the weight of each pair changes
with Q, its peaks in real space are not the Z-weighted partials: every pair type ab gets its
own peak function

    P_ab(x) = (1/π) ∫₀^Qmax w_ab(Q) M(Q) cos(Qx) dQ,   w_ab(Q) = f_a(Q) f_b(Q) / N(Q),

and the model is D(r) = Σ_ab P_ab ⊛ D_ab(r), D_ab = 4πρ0 r n_ab [g_ab(r) - 1] (n_ab = c_a²
or 2 c_a c_b). Neutron data (constant b) and ``"z"`` (f = Z) give one shape for all pairs.
The pair kernels are stored as a few shared shapes (a truncated SVD, rank 1 for constant
weights) so that each RMC move convolves only that many channels.

References
----------
.. [1] D. A. Keen, J. Appl. Cryst. 34 (2001) 172 (total-scattering functions, X-ray
   normalisations).
.. [2] E. Lorch, J. Phys. C 2 (1969) 229 (modification function, real-space peak shape).
.. [3] T. E. Faber, J. M. Ziman, Phil. Mag. 11 (1965) 153.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from mofglass.errors import AnalysisError

__all__ = ["WEIGHTINGS", "pair_kernels", "pair_weights", "shared_channels"]

WEIGHTINGS = ("fz", "f2", "z")
"""X-ray weightings: f(Q) over (Σcf)², f(Q) over Σcf², or f = Z (Q-independent)."""


def pair_weights(
    elements: Sequence[str],
    fractions: np.ndarray,
    pairs: Sequence[tuple[int, int]],
    q_invA: np.ndarray,
    *,
    probe: str = "xray",
    weighting: str = "fz",
) -> np.ndarray:
    """w_ab(Q) = f_a(Q) f_b(Q) / N(Q) of each pair type, shape (n_pairs, n_q).

    Parameters
    ----------
    elements : sequence of str
        Element symbols, the order of ``fractions`` and of the indices in ``pairs``.
    fractions : ndarray
        Atomic fractions c_a.
    pairs : sequence of (int, int)
        Element-index pairs (a ≤ b).
    q_invA : ndarray
        Q grid, Å⁻¹.
    probe : str
        ``xray`` (IT92 form factors, or Z for ``weighting="z"``) or ``neutron`` (coherent b).
    weighting : str
        ``fz``: N = (Σ c f)²; ``f2``: N = Σ c f²; ``z``: f = Z, N = (Σ c Z)².
    """
    q = np.asarray(q_invA, dtype=float)
    if probe == "neutron":
        from mofglass.totalscattering.refine_model import neutron_lengths

        b = neutron_lengths(list(elements))
        f = np.array([[b[e]] * q.size for e in elements], dtype=float)
        weighting = "fz" if weighting == "z" else weighting
    elif probe == "xray":
        if weighting == "z":
            from mofglass.scattering.formfactors import atomic_number

            f = np.array([[float(atomic_number(e))] * q.size for e in elements])
        else:
            from mofglass.scattering.formfactors import form_factor_table

            f = form_factor_table(list(elements), q)
    else:
        raise AnalysisError(f"probe must be xray or neutron, got {probe!r}")
    if weighting not in WEIGHTINGS:
        raise AnalysisError(f"weighting must be one of {', '.join(WEIGHTINGS)}, got {weighting!r}")
    c = np.asarray(fractions, dtype=float)[:, None]
    norm = (c * f**2).sum(axis=0) if weighting == "f2" else (c * f).sum(axis=0) ** 2
    return np.array([f[a] * f[b] / norm for a, b in pairs])


def pair_kernels(
    weights_q: np.ndarray,
    q_invA: np.ndarray,
    *,
    qmax_invA: float | None,
    lorch: bool,
    dr_A: float,
    half_width_A: float = 1.0,
) -> np.ndarray:
    """Discrete peak functions dr·P_ab(k dr), k = -h..h, of every pair type.

    Parameters
    ----------
    weights_q : ndarray, shape (n_pairs, n_q)
        w_ab(Q) on ``q_invA`` (:func:`pair_weights`), which must span 0..Qmax.
    qmax_invA : float or None
        Qmax of the transform; None: no termination, every kernel a delta of height w_ab(0).
    lorch : bool
        Whether the transform used the Lorch function M(Q) = sinc(Q/Qmax).
    dr_A, half_width_A : float
        Grid step and half-width of the kernels, Å.

    Returns
    -------
    ndarray, shape (n_pairs, 2h + 1)
        Σ_k of a row is ≈ w_ab(0) (the Q = 0 weight), as for a delta.
    """
    w = np.asarray(weights_q, dtype=float)
    if qmax_invA is None:
        out = np.zeros((w.shape[0], 1))
        out[:, 0] = w[:, 0]
        return out
    h = round(half_width_A / dr_A)
    x = np.arange(-h, h + 1) * dr_A
    q = np.asarray(q_invA, dtype=float)
    m = np.sinc(q / qmax_invA) if lorch else np.ones_like(q)
    cos = np.cos(np.outer(q, x))
    return np.asarray(dr_A / np.pi * np.trapezoid((w * m)[:, :, None] * cos[None], q, axis=1))


def shared_channels(kernels: np.ndarray, *, rtol: float = 3e-3) -> tuple[np.ndarray, np.ndarray]:
    """Factor pair kernels K (n_pairs, width) ≈ U V into few shared shapes (truncated SVD).

    Returns ``coef`` (n_channels, n_pairs) and ``shapes`` (n_channels, width) with
    K ≈ coefᵀ shapes, keeping the fewest channels whose largest error is below ``rtol``
    times max |K|. Constant (Q-independent) weights give one channel.
    """
    u, s, vt = np.linalg.svd(kernels, full_matrices=False)
    scale = float(np.abs(kernels).max()) or 1.0
    for j in range(1, len(s) + 1):
        approx = (u[:, :j] * s[:j]) @ vt[:j]
        if np.abs(approx - kernels).max() <= rtol * scale:
            break
    return np.ascontiguousarray((u[:, :j] * s[:j]).T), np.ascontiguousarray(vt[:j])
