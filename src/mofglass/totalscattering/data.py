"""The measured total-scattering data object: one curve in Q, 2θ or r, with what it is.

``kind`` names what the y column holds (Keen 2001 notation in brackets):

* ``"intensity"``: raw or background-subtracted I(Q) or I(2θ), arbitrary units;
* ``"S"``: the Faber-Ziman total structure factor S(Q) (→ 1 at high Q);
* ``"i"``: i(Q) = S(Q) - 1 (Keen's F(Q) normalised by <f>², dimensionless);
* ``"F"``: the reduced structure function F(Q) = Q [S(Q) - 1], Å⁻¹;
* ``"G"``: the reduced PDF G(r) = 4πρ0 r [g(r) - 1], Å⁻² (PDFgui / PDFgetX3);
* ``"D"``: Keen's D(r) = 4πρ0 r [g(r) - 1] scaled as its source wrote it (see ``metadata``);
* ``"FK"``, ``"GK"``, ``"g"``, ``"T"``: Keen's F(Q) and G(r), g(r) and T(r)
  (:mod:`mofglass.totalscattering.conventions` has the table and the conversions).

References
----------
.. [1] D. A. Keen, J. Appl. Cryst. 34, 172 (2001).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from mofglass.errors import InputFormatError

__all__ = ["KINDS", "X_KINDS", "TotalScatteringData", "q_from_two_theta"]

KINDS = ("intensity", "S", "i", "F", "FK", "G", "D", "GK", "g", "T")
X_KINDS = ("q_invA", "two_theta_deg", "r_A")


def q_from_two_theta(two_theta_deg: np.ndarray, wavelength_A: float) -> np.ndarray:
    """Q = 4π sin(θ) / λ in Å⁻¹ from 2θ in degrees and λ in Å."""
    return np.asarray(4.0 * np.pi * np.sin(np.radians(two_theta_deg) / 2.0) / wavelength_A)


@dataclass(frozen=True)
class TotalScatteringData:
    """One measured curve.

    Attributes
    ----------
    x : ndarray
        Abscissa in the unit named by ``x_kind``.
    y : ndarray
        Ordinate; what it is is named by ``kind``.
    x_kind : str
        ``"q_invA"``, ``"two_theta_deg"`` or ``"r_A"``.
    kind : str
        One of :data:`KINDS`.
    sigma : ndarray or None
        Standard uncertainty of y, same unit, when the file has it.
    wavelength_A : float or None
        Wavelength, Å (needed to turn 2θ into Q).
    metadata : mapping
        Header values read from the file (qmax, temperature, ...).
    source : str
        File the data came from.
    """

    x: np.ndarray
    y: np.ndarray
    x_kind: str
    kind: str
    sigma: np.ndarray | None = None
    wavelength_A: float | None = None
    metadata: Mapping[str, Any] = field(default_factory=dict)
    source: str = ""

    def __post_init__(self) -> None:
        if self.x_kind not in X_KINDS:
            raise ValueError(f"x_kind must be one of {X_KINDS}, got {self.x_kind!r}")
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, got {self.kind!r}")
        if np.shape(self.x) != np.shape(self.y):
            raise ValueError("x and y must have the same shape")

    @property
    def q_invA(self) -> np.ndarray:
        """Q in Å⁻¹ (converted from 2θ with ``wavelength_A`` when needed)."""
        if self.x_kind == "q_invA":
            return np.asarray(self.x)
        if self.x_kind == "two_theta_deg":
            if self.wavelength_A is None:
                raise InputFormatError(
                    self.source,
                    expected="a wavelength for 2θ data (--wavelength, or wavelength_A=)",
                    got="none in the file",
                )
            return q_from_two_theta(self.x, self.wavelength_A)
        raise ValueError(f"{self.source}: real-space data (r) have no Q axis")

    @property
    def r_A(self) -> np.ndarray:
        """R in Å (real-space data only)."""
        if self.x_kind != "r_A":
            raise ValueError(f"{self.source}: reciprocal-space data have no r axis")
        return np.asarray(self.x)

    def replace(self, **changes: Any) -> TotalScatteringData:
        """Return a copy with some fields changed (the object itself is never modified)."""
        import dataclasses

        return dataclasses.replace(self, **changes)
