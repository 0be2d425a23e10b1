"""The :class:`Spectrum` data object and transmittance <-> absorbance conversion.

A spectrum is y against x, with x either a wavenumber in cm⁻¹ (IR) or a chemical shift in ppm
(NMR), and y an absorbance, a transmittance (in %) or an intensity (arbitrary units).

References
----------
.. [1] IUPAC Compendium of Chemical Terminology ("Gold Book"), "absorbance":
       A = log10(1/T) = -log10(T) (decadic absorbance, T as a fraction).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any, Literal

import numpy as np

__all__ = [
    "X_UNITS",
    "Y_KINDS",
    "Spectrum",
    "absorbance_to_transmittance",
    "transmittance_to_absorbance",
]

XUnit = Literal["wavenumber_cm1", "shift_ppm"]
YKind = Literal["absorbance", "transmittance", "intensity"]
X_UNITS: tuple[str, ...] = ("wavenumber_cm1", "shift_ppm")
Y_KINDS: tuple[str, ...] = ("absorbance", "transmittance", "intensity")
#: Unit symbol of each x axis, for Measured values and labels.
X_SYMBOL = {"wavenumber_cm1": "cm^-1", "shift_ppm": "ppm"}


@dataclass(frozen=True)
class Spectrum:
    """One 1D spectrum.

    Parameters
    ----------
    x : ndarray
        Wavenumber in cm⁻¹ or chemical shift in ppm (as stored in the file; any order).
    y : ndarray
        Ordinate, same length as ``x``.
    x_unit : {"wavenumber_cm1", "shift_ppm"}
        What ``x`` is.
    y_kind : {"absorbance", "transmittance", "intensity"}
        What ``y`` is; transmittance is in percent (0-100).
    metadata : mapping
        Header fields of the file (strings or numbers), read-only.
    source : str
        File name the spectrum came from (or ``"<string>"``).
    """

    x: np.ndarray
    y: np.ndarray
    x_unit: XUnit = "wavenumber_cm1"
    y_kind: YKind = "absorbance"
    metadata: Mapping[str, Any] = field(default_factory=dict)
    source: str = "<memory>"

    def __post_init__(self) -> None:
        x = np.asarray(self.x, dtype=float).copy()
        y = np.asarray(self.y, dtype=float).copy()
        if x.ndim != 1 or x.shape != y.shape:
            raise ValueError(f"x and y must be 1D of equal length, got {x.shape} and {y.shape}")
        if self.x_unit not in X_UNITS:
            raise ValueError(f"x_unit must be one of {X_UNITS}, got {self.x_unit!r}")
        if self.y_kind not in Y_KINDS:
            raise ValueError(f"y_kind must be one of {Y_KINDS}, got {self.y_kind!r}")
        x.flags.writeable = False
        y.flags.writeable = False
        object.__setattr__(self, "x", x)
        object.__setattr__(self, "y", y)
        object.__setattr__(self, "metadata", MappingProxyType(dict(self.metadata)))

    def __len__(self) -> int:
        return int(self.x.size)

    @property
    def x_symbol(self) -> str:
        """Unit symbol of x: ``"cm^-1"`` or ``"ppm"``."""
        return X_SYMBOL[self.x_unit]

    def sorted(self) -> Spectrum:
        """Return the same spectrum with x ascending."""
        order = np.argsort(self.x, kind="stable")
        return replace(self, x=self.x[order], y=self.y[order])

    def crop(self, x_min: float, x_max: float) -> Spectrum:
        """Points with ``x_min <= x <= x_max`` (x in the spectrum's unit)."""
        keep = (self.x >= min(x_min, x_max)) & (self.x <= max(x_min, x_max))
        return replace(self, x=self.x[keep], y=self.y[keep])

    def as_absorbance(self) -> Spectrum:
        """Absorbance spectrum (converted from %T when needed; absorbance unchanged)."""
        return self._as("absorbance", transmittance_to_absorbance)

    def as_transmittance(self) -> Spectrum:
        """Transmittance spectrum in % (converted from absorbance when needed)."""
        return self._as("transmittance", absorbance_to_transmittance)

    def _as(self, kind: YKind, convert: Callable[[np.ndarray], np.ndarray]) -> Spectrum:
        """Return the spectrum as ``kind``, converting the other of absorbance / transmittance."""
        if self.y_kind == kind:
            return self
        if self.y_kind in ("absorbance", "transmittance"):
            return replace(self, y=convert(self.y), y_kind=kind)
        raise ValueError(f"an intensity spectrum has no {kind}")


def transmittance_to_absorbance(transmittance_percent: np.ndarray) -> np.ndarray:
    """Decadic absorbance A = -log10(T/100) from transmittance in percent.

    Non-positive transmittance (noise at total absorption) gives ``inf``/``nan`` as numpy does;
    see [1]_ in the module references.
    """
    t = np.asarray(transmittance_percent, dtype=float) / 100.0
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray(-np.log10(t))


def absorbance_to_transmittance(absorbance: np.ndarray) -> np.ndarray:
    """Transmittance in percent, T = 100 · 10^(-A) (inverse of the above)."""
    return np.asarray(100.0 * 10.0 ** (-np.asarray(absorbance, dtype=float)))
