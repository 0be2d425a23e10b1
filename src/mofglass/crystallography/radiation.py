"""Characteristic X-ray radiation: one table of Kα1, Kα2 wavelengths and Kα2/Kα1 ratios.

Names follow TOPAS / GSAS-II usage: ``"CuKa1"`` (monochromatic Kα1), ``"CuKa12"`` (Kα1 + Kα2
doublet), ``"CuKa"`` (same as ``"CuKa12"``). Wavelengths in Å.

References
----------
.. [1] G. Hölzer, M. Fritsch, M. Deutsch, J. Härtwig, E. Förster, Phys. Rev. A 56 (1997)
       4554-4568 (Cr, Mn, Fe, Co, Ni, Cu Kα1,2).
.. [2] International Tables for Crystallography Vol. C (2004), Table 4.2.2.1 (Mo, Ag).

Examples
--------
>>> r = radiation("CuKa12")
>>> (r.ka1_A, r.ka2_A, r.ka2_ratio)
(1.5405929, 1.5444274, 0.5)
>>> radiation("MoKa1").ka2_A is None
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from types import MappingProxyType

__all__ = ["RADIATIONS", "Radiation", "radiation"]


@dataclass(frozen=True)
class Radiation:
    """A radiation: Kα1 (or single) wavelength, optional Kα2 and its intensity ratio.

    Attributes
    ----------
    ka1_A : float
        Main wavelength, Å.
    ka2_A : float or None
        Kα2 wavelength, Å (None when monochromatic).
    ka2_ratio : float
        I(Kα2) / I(Kα1); 0 when monochromatic.
    name : str
        Table name (``"CuKa12"``) or ``""`` for a user wavelength.
    """

    ka1_A: float
    ka2_A: float | None = None
    ka2_ratio: float = 0.0
    name: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not self.ka1_A > 0:
            raise ValueError(f"wavelength must be > 0 Å, got {self.ka1_A}")
        if self.ka2_A is None or self.ka2_ratio <= 0:
            object.__setattr__(self, "ka2_ratio", 0.0)
            object.__setattr__(self, "ka2_A", None)

    @property
    def has_ka2(self) -> bool:
        """Whether the beam contains a Kα2 component."""
        return self.ka2_A is not None and self.ka2_ratio > 0

    @classmethod
    def copper(cls, *, ka2: bool = True) -> Radiation:
        """Cu Kα1 (+ Kα2 at ratio 0.5 unless ``ka2=False``)."""
        return radiation("CuKa12" if ka2 else "CuKa1")

    def lines(self) -> tuple[tuple[float, float], ...]:
        """``((λ, weight), ...)`` with weights summing to 1 (Kα1 first)."""
        if not self.has_ka2 or self.ka2_A is None:
            return ((self.ka1_A, 1.0),)
        r = self.ka2_ratio
        return ((self.ka1_A, 1.0 / (1.0 + r)), (self.ka2_A, r / (1.0 + r)))


#: Kα1, Kα2 (Å) and I(Kα2)/I(Kα1) per anode (see module references).
RADIATIONS = MappingProxyType(
    {
        "Cr": (2.2897260, 2.2936510, 0.5),
        "Fe": (1.9360410, 1.9399730, 0.5),
        "Co": (1.7889961, 1.7928350, 0.5),
        "Cu": (1.5405929, 1.5444274, 0.5),
        "Mo": (0.7093171, 0.7136043, 0.5),
        "Ag": (0.5594218, 0.5638131, 0.5),
    }
)


def radiation(name: str) -> Radiation:
    """Return the :class:`Radiation` called ``name`` (``"CuKa1"``, ``"CuKa12"``, ``"Mo"``, ...).

    Raises
    ------
    ValueError
        For an unknown anode or suffix (the message lists the known names).
    """
    m = re.fullmatch(r"\s*([A-Z][a-z]?)\s*(K[aα](1|12|2)?)?\s*", name or "")
    if m is None or m.group(1) not in RADIATIONS:
        known = ", ".join(f"{k}Ka1, {k}Ka12" for k in RADIATIONS)
        raise ValueError(f"unknown radiation {name!r}; known: {known}")
    ka1, ka2, ratio = RADIATIONS[m.group(1)]
    if m.group(3) == "1":
        return Radiation(ka1, None, 0.0, f"{m.group(1)}Ka1")
    if m.group(3) == "2":
        raise ValueError(f"radiation {name!r}: Kα2 alone is not a beam; use Ka1 or Ka12")
    return Radiation(ka1, ka2, ratio, f"{m.group(1)}Ka12")
