r"""Indenter area functions Ac(hc) and their calibration on a reference material.

The Oliver-Pharr series [1]_ is

.. math:: A_c(h_c) = C_0 h_c^2 + C_1 h_c + C_2 h_c^{1/2} + C_3 h_c^{1/4} + \dots

with hc in nm and Ac in nm²; an ideal Berkovich tip has C0 = 24.5 and no further terms (24.56
for the exact 65.27° face angle; 24.5 is the customary value). Hysitron ``Tip C0..C5`` and G200
``Area Coefficient 1..n`` use the same series.

References
----------
.. [1] W. C. Oliver, G. M. Pharr, J. Mater. Res. 7 (1992) 1564-1583, eq. (24).
.. [2] W. C. Oliver, G. M. Pharr, J. Mater. Res. 19 (2004) 3-20.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from mofglass.errors import AnalysisError
from mofglass.results import Result

__all__ = [
    "BERKOVICH_C0",
    "AreaCalibration",
    "AreaFunction",
    "area_from_stiffness_nm2",
    "calibrate_area_function",
]

BERKOVICH_C0 = 24.5
"""Ideal Berkovich area coefficient (Ac = 24.5 hc²) [1]_."""


@dataclass(frozen=True)
class AreaFunction:
    """Projected contact area of an indenter as a function of contact depth.

    Parameters
    ----------
    coefficients : tuple of float
        C0 (dimensionless), C1 (nm), C2 (nm^1.5), C3 (nm^1.75), ...; term k multiplies
        hc**(2**(1-k)).

    Examples
    --------
    >>> float(AreaFunction.berkovich().area_nm2(100.0))
    245000.0
    """

    coefficients: tuple[float, ...] = (BERKOVICH_C0,)

    def __post_init__(self) -> None:
        coeffs = tuple(float(c) for c in self.coefficients)
        if not coeffs or coeffs[0] <= 0:
            raise ValueError(f"C0 must be > 0, got {coeffs[:1]}")
        object.__setattr__(self, "coefficients", coeffs)

    @classmethod
    def berkovich(cls) -> AreaFunction:
        """Return the ideal Berkovich tip, Ac = 24.5 hc²."""
        return cls((BERKOVICH_C0,))

    @staticmethod
    def exponents(n: int) -> np.ndarray:
        """Exponents 2, 1, 1/2, 1/4, ... of the first ``n`` terms."""
        return 2.0 ** (1 - np.arange(n, dtype=float))

    def area_nm2(self, contact_depth_nm: float | np.ndarray) -> np.ndarray:
        """Contact area in nm² at contact depth(s) in nm (0 for hc <= 0)."""
        hc = np.clip(np.asarray(contact_depth_nm, dtype=float), 0.0, None)
        c = np.asarray(self.coefficients)
        return np.asarray(
            np.sum(
                c[:, None] * hc.reshape(1, -1) ** self.exponents(c.size)[:, None], axis=0
            ).reshape(hc.shape)
        )

    def derivative_nm(self, contact_depth_nm: float | np.ndarray) -> np.ndarray:
        """dAc/dhc in nm at contact depth(s) in nm (for uncertainty propagation)."""
        hc = np.clip(np.asarray(contact_depth_nm, dtype=float), 1e-12, None)
        c = np.asarray(self.coefficients)
        e = self.exponents(c.size)[:, None]
        return np.asarray(
            np.sum(c[:, None] * e * hc.reshape(1, -1) ** (e - 1), axis=0).reshape(hc.shape)
        )

    def contact_depth_nm(self, area_nm2: float | np.ndarray) -> np.ndarray:
        """Inverse: contact depth in nm giving ``area_nm2`` (Ac must increase with hc).

        Closed form for the one-term series; otherwise Newton steps from sqrt(A/C0), with a
        bisection fallback where Newton does not converge.
        """
        a = np.atleast_1d(np.asarray(area_nm2, dtype=float))
        c0 = self.coefficients[0]
        hc = np.sqrt(np.clip(a, 0, None) / c0)
        if len(self.coefficients) > 1:
            pos = a > 0
            for _ in range(60):
                f = self.area_nm2(hc[pos]) - a[pos]
                step = f / self.derivative_nm(hc[pos])
                hc[pos] = np.clip(hc[pos] - step, 1e-12, None)
                if np.all(np.abs(step) <= 1e-12 * np.maximum(hc[pos], 1.0)):
                    break
            bad = pos & ~np.isclose(self.area_nm2(hc), a, rtol=1e-9, atol=1e-9)
            if np.any(bad):
                hc[bad] = self._bisect(a[bad])
        return hc.reshape(np.shape(area_nm2))

    def _bisect(self, a: np.ndarray) -> np.ndarray:
        lo = np.zeros_like(a)
        hi = np.sqrt(a / self.coefficients[0]) * 4 + 10.0
        while np.any(self.area_nm2(hi) < a):
            hi = np.where(self.area_nm2(hi) < a, hi * 2, hi)
        for _ in range(100):
            mid = 0.5 * (lo + hi)
            below = self.area_nm2(mid) < a
            lo = np.where(below, mid, lo)
            hi = np.where(below, hi, mid)
        return 0.5 * (lo + hi)

    def to_dict(self) -> dict[str, list[float]]:
        """Return ``{coefficients: [C0, C1, ...]}``."""
        return {"coefficients": list(self.coefficients)}


def area_from_stiffness_nm2(
    stiffness_mN_nm: float | np.ndarray, *, reduced_modulus_GPa: float, beta: float = 1.0
) -> np.ndarray:
    """Contact area from stiffness and a known reduced modulus, A = π/(4β²)·(S/Er)².

    Parameters
    ----------
    stiffness_mN_nm : float or ndarray
        Contact stiffness in mN/nm.
    reduced_modulus_GPa : float
        Reduced modulus of the reference in GPa (1 GPa = 1e-6 mN/nm²).
    beta : float
        Indenter-shape correction (1.034 for a Berkovich tip [2]_).

    Returns
    -------
    ndarray
        Area in nm².
    """
    er = reduced_modulus_GPa * 1e-6
    return np.asarray(math.pi / (4 * beta**2) * (np.asarray(stiffness_mN_nm) / er) ** 2)


@dataclass(frozen=True)
class AreaCalibration(Result):
    """An area function fitted to (hc, Ac) pairs of a reference material."""

    area: AreaFunction
    contact_depth_nm: np.ndarray
    area_nm2: np.ndarray
    relative_rms: float
    method: str = "Oliver-Pharr 1992 area-function calibration on a reference of known Er"


def calibrate_area_function(
    contact_depth_nm: Sequence[float] | np.ndarray,
    area_nm2: Sequence[float] | np.ndarray,
    *,
    n_terms: int = 3,
    c0: float | None = None,
) -> AreaCalibration:
    """Fit C0..C(n-1) of the Oliver-Pharr series to measured (hc, Ac) pairs.

    The pairs usually come from a fused-silica reference: Ac from
    :func:`area_from_stiffness_nm2` and hc = h - εP/S. The fit is linear least squares on the
    relative residual (each point weighted by 1/Ac), as the area spans decades.

    Parameters
    ----------
    contact_depth_nm, area_nm2 : array_like
        Contact depths in nm and areas in nm².
    n_terms : int
        Number of series terms (C0 ... C(n_terms-1)).
    c0 : float, optional
        Fix C0 (e.g. 24.5) and fit only the further terms.

    Returns
    -------
    AreaCalibration

    References
    ----------
    .. [1] W. C. Oliver, G. M. Pharr, J. Mater. Res. 7 (1992) 1564, section IV.A.
    """
    hc = np.asarray(contact_depth_nm, dtype=float)
    a = np.asarray(area_nm2, dtype=float)
    ok = np.isfinite(hc) & np.isfinite(a) & (hc > 0) & (a > 0)
    hc, a = hc[ok], a[ok]
    if hc.size < n_terms + 1:
        raise AnalysisError(f"area calibration needs > {n_terms} valid points, got {hc.size}")
    design = hc[:, None] ** AreaFunction.exponents(n_terms)[None, :]
    target = a.copy()
    if c0 is not None:
        target = target - c0 * design[:, 0]
        design = design[:, 1:]
    w = 1.0 / a
    coef, *_ = np.linalg.lstsq(design * w[:, None], target * w, rcond=None)
    coeffs = (c0, *coef) if c0 is not None else tuple(coef)
    area = AreaFunction(tuple(float(c) for c in coeffs))
    rel = (area.area_nm2(hc) - a) / a
    return AreaCalibration(area, hc, a, float(np.sqrt(np.mean(rel**2))))
