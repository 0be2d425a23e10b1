"""The :class:`Isotherm` data object: one gas physisorption isotherm in relative pressure.

Readers (:mod:`mofglass.sorption.readers`) turn AIF, pyGAPS JSON and instrument exports into
this object; the analysis (:mod:`mofglass.sorption.analysis`) hands it back to pyGAPS through
:meth:`Isotherm.to_pygaps`, so every characterisation method is pyGAPS's own.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["Isotherm"]


@dataclass(frozen=True, eq=False)
class Isotherm:
    """An adsorption (and optional desorption) isotherm of one gas on one material.

    Attributes
    ----------
    relative_pressure : ndarray
        p/p0 of every point (adsorption points first, in measurement order).
    loading_mmol_g : ndarray
        Amount adsorbed, mmol per g of adsorbent.
    desorption : ndarray of bool
        True for points of the desorption branch.
    adsorptive : str
        pyGAPS adsorbate name ("nitrogen", "argon", "carbon dioxide", ...).
    temperature_K : float
        Isotherm temperature.
    material : str
        Sample name as given in the file.
    source : str
        File name.
    format : str
        Reader that produced the object ("aif", "pygaps-json", "bel-dat", ...).
    p0_source : str
        Where p0 came from: "file" (the instrument's p0 column or relative pressures) or
        "pyGAPS" (saturation pressure of the adsorptive at the temperature).
    sample_mass_g : float or None
        Sample mass, if the file gives it.
    simulated : bool
        True for isotherms made by :mod:`mofglass.sorption.demo` (never a measurement).
    notes : tuple of str
        What the reader assumed (ambiguous units, ...).
    """

    relative_pressure: np.ndarray
    loading_mmol_g: np.ndarray
    desorption: np.ndarray
    adsorptive: str
    temperature_K: float
    material: str = ""
    source: str = "<memory>"
    format: str = ""
    p0_source: str = "file"
    sample_mass_g: float | None = None
    simulated: bool = False
    notes: tuple[str, ...] = ()
    metadata: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        p = np.asarray(self.relative_pressure, dtype=float).reshape(-1)
        n = np.asarray(self.loading_mmol_g, dtype=float).reshape(-1)
        d = np.asarray(self.desorption, dtype=bool).reshape(-1)
        if not p.size == n.size == d.size:
            raise ValueError(f"{p.size} pressures, {n.size} loadings, {d.size} branch flags")
        for name, arr in (("relative_pressure", p), ("loading_mmol_g", n), ("desorption", d)):
            arr.setflags(write=False)
            object.__setattr__(self, name, arr)

    @property
    def adsorption(self) -> tuple[np.ndarray, np.ndarray]:
        """(p/p0, loading mmol/g) of the adsorption branch with p > 0, sorted by pressure.

        Points at p/p0 <= 0 (a pressure gauge's zero offset in the first doses) cannot be
        placed on the isotherm and are left out; :attr:`n_nonpositive` counts them.
        """
        m = ~self.desorption & (self.relative_pressure > 0)
        order = np.argsort(self.relative_pressure[m], kind="stable")
        return self.relative_pressure[m][order], self.loading_mmol_g[m][order]

    @property
    def n_nonpositive(self) -> int:
        """Number of adsorption points with p/p0 <= 0."""
        return int(np.sum(~self.desorption & (self.relative_pressure <= 0)))

    def to_pygaps(self, **properties: Any) -> Any:
        """Return the adsorption branch as a pyGAPS ``PointIsotherm`` (relative pressure, mmol/g).

        ``properties`` (``comment``, ``user``, ...) are stored on the PointIsotherm.
        """
        import pygaps

        p, n = self.adsorption
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return pygaps.PointIsotherm(
                pressure=p,
                loading=n,
                material=self.material or "sample",
                adsorbate=self.adsorptive,
                temperature=self.temperature_K,
                temperature_unit="K",
                pressure_mode="relative",
                loading_basis="molar",
                loading_unit="mmol",
                material_basis="mass",
                material_unit="g",
                **properties,
            )
