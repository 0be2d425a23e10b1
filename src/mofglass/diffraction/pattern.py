"""The :class:`Pattern` data object: one measured powder diffraction scan.

Readers (:mod:`mofglass.diffraction.readers`) return a Pattern; every analysis takes one (or its
arrays). Angles are degrees 2θ, wavelengths Å; intensities keep the unit the instrument wrote
(counts or counts per second), recorded in ``intensity_unit``.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from mofglass._renamed import renamed_keywords
from mofglass.crystallography.radiation import RADIATIONS, Radiation

__all__ = ["CU_KA1_A", "CU_KA2_A", "CU_KA2_RATIO", "HasRadiation", "Pattern", "Wavelength"]

#: Cu Kα1 and Kα2 emission lines in Å and the Kα2/Kα1 ratio (from the radiation table).
CU_KA1_A, CU_KA2_A, CU_KA2_RATIO = RADIATIONS["Cu"]

#: The radiation of a scan: :class:`mofglass.crystallography.Radiation` (Kα1, optional Kα2
#: and ratio), under the name readers have always used.
Wavelength = Radiation


class HasRadiation:
    """Mixin of the records that carry a ``radiation``: its main wavelength."""

    radiation: Radiation | None

    @property
    def wavelength_A(self) -> float | None:
        """Main (Kα1) wavelength in Å, or None."""
        return None if self.radiation is None else self.radiation.ka1_A


@dataclass(frozen=True, eq=False)
class Pattern(HasRadiation):
    """A powder diffraction scan on a 2θ grid.

    Attributes
    ----------
    two_theta_deg : ndarray
        Scattering angle 2θ in degrees, strictly increasing.
    intensity : ndarray
        Intensity per point (unit in ``intensity_unit``).
    sigma : ndarray or None
        Standard uncertainty of each intensity (the file's esd column), same unit; None when
        the file has none (:meth:`weights_sigma` then uses counting statistics or a noise
        estimated from the data). The old
        name ``esd`` still works, with a DeprecationWarning.
    radiation : Radiation or None
        Radiation (Kα1, Kα2 and ratio), when the file (or the user) states it. The old name
        ``wavelength`` still works, with a DeprecationWarning.
    metadata : mapping
        Instrument and sample information found in the file (strings and numbers).
    source : str
        File name (or a description) the pattern was read from.
    intensity_unit : str
        ``"counts"``, ``"cps"`` or ``"arb."``.
    """

    two_theta_deg: np.ndarray
    intensity: np.ndarray
    sigma: np.ndarray | None = None
    radiation: Radiation | None = None
    metadata: Mapping[str, Any] = field(default_factory=dict)
    source: str = "<memory>"
    intensity_unit: str = "arb."

    def __post_init__(self) -> None:
        x = np.array(self.two_theta_deg, dtype=float, copy=True).ravel()
        y = np.array(self.intensity, dtype=float, copy=True).ravel()
        if x.shape != y.shape:
            raise ValueError(f"{x.size} angles but {y.size} intensities")
        if x.size < 2:
            raise ValueError("a pattern needs at least 2 points")
        e = None if self.sigma is None else np.array(self.sigma, dtype=float, copy=True).ravel()
        if e is not None and e.shape != x.shape:
            raise ValueError(f"{x.size} angles but {e.size} uncertainties (sigma)")
        order = np.argsort(x, kind="stable")
        if not np.all(order == np.arange(x.size)):
            if np.all(np.diff(x) < 0):  # kept for the axis sanity check (d-spacing files)
                object.__setattr__(
                    self, "metadata", {**dict(self.metadata), "x_descending_in_file": True}
                )
            x, y = x[order], y[order]
            e = None if e is None else e[order]
        for arr in (x, y, e):
            if arr is not None:
                arr.flags.writeable = False
        object.__setattr__(self, "two_theta_deg", x)
        object.__setattr__(self, "intensity", y)
        object.__setattr__(self, "sigma", e)

    def __len__(self) -> int:
        return int(self.two_theta_deg.size)

    def __repr__(self) -> str:
        lam = "?" if self.radiation is None else f"{self.radiation.ka1_A:.5f} Å"
        return (
            f"Pattern({len(self)} points, 2θ {self.two_theta_deg[0]:.3f}-"
            f"{self.two_theta_deg[-1]:.3f}°, λ={lam}, source={self.source!r})"
        )

    @property
    def step_deg(self) -> float:
        """Median 2θ step in degrees."""
        return float(np.median(np.diff(self.two_theta_deg)))

    @property
    def wavelength(self) -> Radiation | None:
        """Deprecated name of :attr:`radiation` (one radiation argument in mofglass)."""
        warnings.warn(
            "Pattern.wavelength is deprecated; use Pattern.radiation",
            DeprecationWarning,
            stacklevel=2,
        )
        return self.radiation

    @property
    def esd(self) -> np.ndarray | None:
        """Deprecated name of :attr:`sigma` (mofglass calls per-point noise ``sigma``)."""
        warnings.warn(
            "Pattern.esd is deprecated; use Pattern.sigma", DeprecationWarning, stacklevel=2
        )
        return self.sigma

    def weights_sigma(self) -> np.ndarray:
        """Return the uncertainty of each intensity for weighting a fit (same unit).

        :attr:`sigma` where the file gives it (values <= 0 replaced by 1), else counting
        statistics sqrt(max(I, 1)) for whole-number counts, else σ² = a + b·I estimated from
        the data (:func:`mofglass.diffraction.noise.pattern_noise`, which also says which).
        """
        from mofglass.diffraction.noise import pattern_noise

        return pattern_noise(self).sigma

    def crop(self, two_theta_min_deg: float, two_theta_max_deg: float) -> Pattern:
        """Return a new pattern restricted to ``min <= 2θ <= max`` (degrees)."""
        m = (self.two_theta_deg >= two_theta_min_deg) & (self.two_theta_deg <= two_theta_max_deg)
        if m.sum() < 2:
            raise ValueError(
                f"2θ range {two_theta_min_deg}-{two_theta_max_deg}° keeps fewer than 2 points"
            )
        return self.replace(
            two_theta_deg=self.two_theta_deg[m],
            intensity=self.intensity[m],
            sigma=None if self.sigma is None else self.sigma[m],
        )

    def with_wavelength(self, wavelength: Radiation | float) -> Pattern:
        """Return a copy with the given radiation (a float is a monochromatic wavelength in Å)."""
        w = wavelength if isinstance(wavelength, Radiation) else Radiation(float(wavelength))
        return self.replace(radiation=w)

    def replace(self, **changes: Any) -> Pattern:
        """Return a copy with some attributes changed (the original is unchanged)."""
        kw: dict[str, Any] = {
            "two_theta_deg": self.two_theta_deg,
            "intensity": self.intensity,
            "sigma": self.sigma,
            "radiation": self.radiation,
            "metadata": self.metadata,
            "source": self.source,
            "intensity_unit": self.intensity_unit,
        }
        for old, new in (("esd", "sigma"), ("wavelength", "radiation")):
            if old in changes:  # a deprecated name (Pattern warns)
                del kw[new]
        kw.update(changes)
        return Pattern(**kw)


# Pattern(..., esd=..., wavelength=...) and pattern.replace(...): the old keywords, with a warning
Pattern.__init__ = renamed_keywords(esd="sigma", wavelength="radiation")(Pattern.__init__)  # type: ignore[method-assign]
