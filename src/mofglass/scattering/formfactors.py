"""X-ray atomic form factors and scattering weights.

Form factors come from the International Tables for Crystallography Vol. C, Table 6.1.1.4
(four Gaussians plus a constant, "IT92"), as shipped by gemmi. They are evaluated on a grid of
Q = 4π sinθ/λ in Å⁻¹.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from mofglass.errors import MofglassError

__all__ = ["atomic_number", "faber_ziman_weights", "form_factor", "form_factor_table"]


def _element(symbol: str) -> Any:
    import gemmi

    el = gemmi.Element(symbol)
    if el.atomic_number == 0 and symbol.upper() not in ("X",):
        raise MofglassError(f"unknown element symbol {symbol!r}")
    return el


def atomic_number(symbol: str) -> int:
    """Atomic number Z of an element symbol (``"D"`` counts as H)."""
    return int(_element(symbol).atomic_number)


def form_factor(symbol: str, q_invA: np.ndarray | float) -> np.ndarray:
    """X-ray form factor f(Q) of a neutral atom, in electrons.

    Parameters
    ----------
    symbol : str
        Element symbol.
    q_invA : array_like
        Scattering vector magnitude Q = 4π sinθ / λ in Å⁻¹.

    Returns
    -------
    ndarray
        f(Q) = Σ a_i exp(-b_i s²) + c with s = Q / 4π (sinθ/λ in Å⁻¹).

    References
    ----------
    .. [1] Waasmaier-Kirfel-type Gaussian fit, coefficients of International Tables for
       Crystallography Vol. C (1992), Table 6.1.1.4, as distributed with gemmi.
    """
    el = _element(symbol)
    coefs = np.asarray(el.it92.get_coefs(), dtype=float)
    a, b, c = coefs[:4], coefs[4:8], coefs[8]
    s2 = (np.asarray(q_invA, dtype=float) / (4.0 * np.pi)) ** 2
    return np.asarray(
        c + np.sum(a[:, None] * np.exp(-np.outer(b, s2.reshape(-1))), axis=0)
    ).reshape(np.shape(s2))


def form_factor_table(
    elements: Sequence[str],
    q_invA: np.ndarray,
    *,
    overrides: Mapping[str, np.ndarray] | None = None,
) -> np.ndarray:
    """Form factors of several elements on one Q grid, shape (n_elements, n_q).

    ``overrides`` maps an element to its own f(Q) array (another table, or constant weights,
    e.g. neutron scattering lengths).
    """
    q = np.asarray(q_invA, dtype=float)
    out = np.empty((len(elements), q.size))
    for k, el in enumerate(elements):
        if overrides is not None and el in overrides:
            out[k] = np.broadcast_to(np.asarray(overrides[el], dtype=float), q.shape)
        else:
            out[k] = form_factor(el, q)
    return out


def faber_ziman_weights(fractions: np.ndarray, scattering: np.ndarray) -> np.ndarray:
    """Faber-Ziman weights w_ab = c_a c_b f_a f_b / (Σ c f)² of ordered element pairs.

    Parameters
    ----------
    fractions : ndarray, shape (n,)
        Atomic fractions c_a (summing to 1).
    scattering : ndarray, shape (n,) or (n, n_q)
        Scattering powers f_a (constant, e.g. Z at Q = 0, or Q-dependent).

    Returns
    -------
    ndarray, shape (n, n) or (n, n, n_q)
        Weights that sum to 1 over (a, b) at every Q.

    References
    ----------
    .. [1] T. E. Faber, J. M. Ziman, Phil. Mag. 11, 153 (1965).
    .. [2] D. A. Keen, J. Appl. Cryst. 34, 172 (2001).
    """
    c = np.asarray(fractions, dtype=float)
    f = np.asarray(scattering, dtype=float)
    cf = c.reshape((-1,) + (1,) * (f.ndim - 1)) * f
    mean = cf.sum(axis=0)
    return np.asarray(cf[:, None] * cf[None, :] / mean**2)
