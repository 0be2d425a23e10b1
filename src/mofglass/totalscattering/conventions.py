"""Total-scattering function conventions (Keen 2001) and conversions between them.

With Faber-Ziman partials, concentrations c_i, scattering lengths (or f(0)) b_i, W = (Σ c_i b_i)²
and the number density ρ0 (atoms Å⁻³), Keen's Table 1 [1]_ relates:

========  ====================================================  ===========================
kind      definition                                            unit
========  ====================================================  ===========================
``S``     S(Q), the Faber-Ziman total structure factor (→ 1)    1
``i``     i(Q) = S(Q) - 1                                       1
``F``     F(Q) = Q [S(Q) - 1] (PDFgetX3 / Egami-Billinge)        Å⁻¹
``FK``    Keen's F(Q) = W [S(Q) - 1] (GudrunN / RMCProfile)      barn (neutron), e² (X-ray)
``g``     g(r), the pair distribution function (→ 1)             1
``GK``    Keen's G(r) = W [g(r) - 1] (RMCProfile)                barn, e²
``G``     G(r) = 4πρ0 r [g(r) - 1] (PDFgui / PDFgetX3)           Å⁻²
``D``     Keen's D(r) = 4πρ0 r W [g(r) - 1] (GudrunX)            barn Å⁻², e² Å⁻²
``T``     Keen's T(r) = 4πρ0 r W g(r)                            barn Å⁻², e² Å⁻²
========  ====================================================  ===========================

W is 1 for normalised functions: an RMCProfile ``G(r)`` written as g(r) - 1 is ``GK`` with
W = 1. Conversions go through the canonical h = S - 1 (reciprocal space) or h = g - 1 (real
space); converting between Q and r spaces needs a Fourier transform (:mod:`.processing`).

References
----------
.. [1] D. A. Keen, J. Appl. Cryst. 34, 172-177 (2001).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from mofglass.errors import MofglassError

__all__ = [
    "CONVENTIONS",
    "Q_KINDS",
    "R_KINDS",
    "convert",
    "low_r_shape",
    "mean_scattering_squared",
]

CONVENTIONS: dict[str, str] = {
    "S": "S(Q) Faber-Ziman total structure factor",
    "i": "i(Q) = S(Q) - 1",
    "F": "F(Q) = Q[S(Q) - 1] (PDFgetX3)",
    "FK": "Keen F(Q) = (Σcb)²[S(Q) - 1]",
    "g": "g(r) pair distribution function",
    "GK": "Keen G(r) = (Σcb)²[g(r) - 1] (RMCProfile)",
    "G": "G(r) = 4πρ0 r[g(r) - 1] (PDFgui, PDFgetX3)",
    "D": "Keen D(r) = 4πρ0 r (Σcb)²[g(r) - 1] (GudrunX)",
    "T": "Keen T(r) = 4πρ0 r (Σcb)² g(r)",
}
Q_KINDS = ("S", "i", "F", "FK")
R_KINDS = ("g", "GK", "G", "D", "T")
_NEEDS_RHO = {"G", "D", "T"}
_NEEDS_W = {"FK", "GK", "D", "T"}


def mean_scattering_squared(composition: Mapping[str, float], *, probe: str = "xray") -> float:
    """W = (Σ c_i b_i)²: barns for neutrons (Sears b_c), electrons² for X-rays (f(0) = Z).

    ``composition`` maps element symbols to amounts (normalised here).
    """
    from mofglass.scattering.formfactors import atomic_number

    total = float(sum(composition.values()))
    if total <= 0:
        raise MofglassError("composition has no atoms")
    if probe == "neutron":
        from mofglass.totalscattering.refine_model import neutron_lengths

        b = neutron_lengths(list(composition))
        mean = sum(composition[e] * b[e] for e in composition) / total / 10.0  # fm → 10⁻¹² cm
        return float(mean**2)  # (10⁻¹² cm)² = barn
    if probe != "xray":
        raise MofglassError(f"probe must be xray or neutron, got {probe!r}")
    return float((sum(composition[e] * atomic_number(e) for e in composition) / total) ** 2)


def convert(
    x: np.ndarray,
    y: np.ndarray,
    from_kind: str,
    to_kind: str,
    *,
    number_density_invA3: float | None = None,
    mean_b_squared: float | None = None,
) -> np.ndarray:
    """Convert y(x) between the conventions of one space (see the module table).

    Parameters
    ----------
    x : ndarray
        Q (Å⁻¹) for reciprocal-space kinds, r (Å) for real-space kinds.
    y : ndarray
        Values in ``from_kind``.
    from_kind, to_kind : str
        Keys of :data:`CONVENTIONS`, both in Q or both in r.
    number_density_invA3 : float, optional
        ρ0, needed by G, D and T.
    mean_b_squared : float, optional
        W = (Σcb)² (:func:`mean_scattering_squared`), needed by FK, GK, D and T.

    Returns
    -------
    ndarray
        y in ``to_kind``; at x = 0, where r- or Q-proportional forms carry no information, 0
        for the h-like kinds and 1 (S, g) or 0 (T) for the others.
    """
    for k in (from_kind, to_kind):
        if k not in CONVENTIONS:
            raise MofglassError(f"unknown convention {k!r}; known: {', '.join(CONVENTIONS)}")
    if (from_kind in Q_KINDS) != (to_kind in Q_KINDS):
        raise MofglassError(f"{from_kind} → {to_kind} changes space: needs a Fourier transform")
    need = {from_kind, to_kind}
    if need & _NEEDS_RHO and number_density_invA3 is None:
        raise MofglassError(f"{from_kind} → {to_kind} needs the number density ρ0")
    if need & _NEEDS_W and mean_b_squared is None:
        raise MofglassError(f"{from_kind} → {to_kind} needs the weights (Σcb)²")
    if number_density_invA3 is not None and number_density_invA3 <= 0:
        raise MofglassError(f"number density must be > 0, got {number_density_invA3}")
    xv = np.asarray(x, dtype=float)
    yv = np.asarray(y, dtype=float)
    rho = float(number_density_invA3 or 0.0)
    w = float(mean_b_squared or 1.0)
    if from_kind == to_kind:
        return yv.copy()
    with np.errstate(divide="ignore", invalid="ignore"):
        lin = 4.0 * np.pi * rho * xv  # 4πρ0 r
        to_h = {
            "S": lambda v: v - 1.0,
            "i": lambda v: v,
            "F": lambda v: np.where(xv > 0, v / xv, 0.0),
            "FK": lambda v: v / w,
            "g": lambda v: v - 1.0,
            "GK": lambda v: v / w,
            "G": lambda v: np.where(xv > 0, v / lin, 0.0),
            "D": lambda v: np.where(xv > 0, v / (lin * w), 0.0),
            "T": lambda v: np.where(xv > 0, v / (lin * w) - 1.0, -1.0),
        }
        h = to_h[from_kind](yv)
    back = {
        "S": lambda v: v + 1.0,
        "i": lambda v: v,
        "F": lambda v: xv * v,
        "FK": lambda v: w * v,
        "g": lambda v: v + 1.0,
        "GK": lambda v: w * v,
        "G": lambda v: lin * v,
        "D": lambda v: lin * w * v,
        "T": lambda v: lin * w * (v + 1.0),
    }
    return np.asarray(back[to_kind](h))


def low_r_shape(r_A: np.ndarray, y: np.ndarray) -> tuple[str, float]:
    """How a real-space function behaves below its first peak, where g(r) = 0.

    G(r), D(r) and T(r) vanish at r → 0 and fall as -4πρ0 r (times W): y/r is constant there;
    g(r) - 1 and Keen's G(r) stay flat at -1 (-W): y is constant. Over the points between the
    first r (or 0.3 Å) and 0.8 x the first peak, the relative spread (interquartile range /
    |median|) of y and of y/r decides, robustly against termination ripples:

    * ``("flat", median y)`` when y spreads < 0.5 and less than half as much as y/r;
    * ``("falling", s)`` or ``("rising", s)`` (s = median y/r) in the opposite case;
    * ``("unclear", 0)`` otherwise.

    The first peak is the first point beyond 0.8 Å with |y| ≥ half the largest |y| there.
    """
    r = np.asarray(r_A, dtype=float)
    v = np.asarray(y, dtype=float)
    beyond = r > 0.8
    if not beyond.any() or not np.any(r > 0):
        return "unclear", 0.0
    big = np.abs(v) >= 0.5 * float(np.max(np.abs(v[beyond])))
    first = float(r[beyond & big][0])
    r0 = float(r[r > 0][0])
    pre = (r >= max(0.3, r0)) & (r <= 0.8 * first)
    if pre.sum() < 8:
        return "unclear", 0.0

    def spread(a: np.ndarray) -> float:
        q1, med, q3 = np.percentile(a, [25, 50, 75])
        return float((q3 - q1) / abs(med)) if med != 0 else np.inf

    flat, prop = spread(v[pre]), spread(v[pre] / r[pre])
    if flat < 0.5 and flat < 0.5 * prop and np.median(v[pre]) < 0:
        return "flat", float(np.median(v[pre]))
    if prop < 0.5 and prop < 0.5 * flat:
        s = float(np.median(v[pre] / r[pre]))
        return ("rising" if s > 0 else "falling"), s
    return "unclear", 0.0
