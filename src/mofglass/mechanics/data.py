"""The load-displacement data object shared by every indentation reader and analysis.

An :class:`Indentation` is one test (one indent): depth in nm, load in mN and time in s, plus
the continuous-stiffness (CSM) channels when the instrument recorded them, and the metadata the
file carries (area-function coefficients, machine compliance, Poisson's ratio, ...).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np

__all__ = ["Indentation"]


def _frozen_array(values: Any) -> np.ndarray:
    arr = np.array(values, dtype=float)  # copy: the caller's array is never shared
    arr.setflags(write=False)
    return arr


@dataclass(frozen=True, eq=False)
class Indentation:
    """One indentation test.

    Parameters
    ----------
    depth_nm : ndarray
        Displacement into the surface in nm (as exported; no correction applied).
    load_mN : ndarray
        Load on the sample in mN.
    time_s : ndarray
        Time in s.
    name : str
        Test name within its file ("Test 001", a zip member, a FischerScope block).
    source : str
        File the test was read from (``""`` for simulated data).
    instrument : str
        Export format, e.g. ``"hysitron-txt"``, ``"agilent-xls"``, ``"synthetic"``.
    harmonic_stiffness_N_m : ndarray, optional
        CSM harmonic contact stiffness in N/m (= mN/mm), same length as ``depth_nm``; NaN where
        the instrument reported no valid value.
    channels : mapping of str to ndarray, optional
        Further per-point channels with unit-suffixed names (``"hardness_GPa"``,
        ``"modulus_GPa"`` from the vendor's CSM analysis).
    metadata : mapping, optional
        What the file says about the test: ``area_coefficients`` (list of C0..Cn in the
        Oliver-Pharr series of :class:`mofglass.mechanics.area.AreaFunction`),
        ``frame_compliance_nm_mN``, ``poisson_ratio``, segment marks, vendor results.

    Notes
    -----
    Arrays are copied and made read-only, so an ``Indentation`` never changes after reading.
    """

    depth_nm: np.ndarray
    load_mN: np.ndarray
    time_s: np.ndarray
    name: str = ""
    source: str = ""
    instrument: str = ""
    harmonic_stiffness_N_m: np.ndarray | None = None
    channels: Mapping[str, np.ndarray] = field(default_factory=dict)
    metadata: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        depth = _frozen_array(self.depth_nm)
        n = depth.shape[0]
        object.__setattr__(self, "depth_nm", depth)
        for name in ("load_mN", "time_s"):
            arr = _frozen_array(getattr(self, name))
            if arr.shape != (n,):
                raise ValueError(f"{name} has shape {arr.shape}, expected ({n},)")
            object.__setattr__(self, name, arr)
        if self.harmonic_stiffness_N_m is not None:
            s = _frozen_array(self.harmonic_stiffness_N_m)
            if s.shape != (n,):
                raise ValueError(f"harmonic_stiffness_N_m has shape {s.shape}, expected ({n},)")
            object.__setattr__(self, "harmonic_stiffness_N_m", s)
        chans = {}
        for key, values in self.channels.items():
            arr = _frozen_array(values)
            if arr.shape != (n,):
                raise ValueError(f"channel {key!r} has shape {arr.shape}, expected ({n},)")
            chans[key] = arr
        object.__setattr__(self, "channels", MappingProxyType(chans))
        object.__setattr__(self, "metadata", MappingProxyType(dict(self.metadata)))

    def __len__(self) -> int:
        return int(self.depth_nm.shape[0])

    @property
    def has_csm(self) -> bool:
        """Whether the test carries a usable harmonic (CSM) stiffness channel."""
        s = self.harmonic_stiffness_N_m
        return s is not None and int(np.count_nonzero(np.isfinite(s) & (s > 0))) >= 10

    @property
    def label(self) -> str:
        """``file:test`` for tables and messages."""
        base = self.source.replace("\\", "/").rsplit("/", 1)[-1]
        if not self.name or base.endswith(self.name):
            return base
        return f"{base}:{self.name}"
