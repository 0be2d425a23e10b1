"""The data object of thermal analysis: one DSC, DTA, TG or STA run.

A :class:`Thermogram` holds the channels of one run on a common index (time in s, sample
temperature in °C, specific heat flow in W/g, mass in mg and %, DTA signal) together with what the
file said about the run (sample mass, crucible, gas, exo direction, programme segments) and
everything the reader had to decide (encoding, decimal mark, dropped rows) as ``warnings``.

Heat-flow sign: ``heat_flow_W_g`` is kept as exported, and ``exo_up`` says which way exothermic
events point (``True``: exothermic positive, as in TA and Setaram exports with "Exotherm Up";
``False``: endothermic positive, NETZSCH ``#EXO: 1``). ``None`` means the file does not say; the
reader then warns. Analyses use :meth:`Thermogram.endo_positive`, which needs a known direction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from mofglass.errors import AnalysisError
from mofglass.units import ZERO_CELSIUS_K

__all__ = ["Thermogram"]


@dataclass(frozen=True, eq=False)
class Thermogram:
    """One thermal-analysis run.

    Attributes
    ----------
    time_s : ndarray
        Time in s (monotonic non-decreasing).
    temperature_C : ndarray
        Sample temperature in °C.
    heat_flow_W_g : ndarray or None
        Specific heat flow in W/g (= mW/mg), sign as exported; see ``exo_up``.
    heat_flow_mW : ndarray or None
        Heat flow in mW as exported, when the export is absolute (blank and reference runs of
        the sapphire method, which have no sample mass).
    mass_mg : ndarray or None
        Sample mass in mg (TG channel).
    dta : ndarray or None
        DTA signal in ``dta_unit`` (µV or K), sign as exported.
    sample_mass_mg : float or None
        Initial sample mass in mg from the file header (or given by the user).
    exo_up : bool or None
        True if exothermic heat flow is positive in ``heat_flow_W_g``.
    metadata : mapping
        Header keys as read (instrument, crucible, gas, programme segments, ...).
    segment_index : ndarray or None
        Segment number of each point when the file records it (NETZSCH "Segment" column).
    source, fmt, encoding : str
        File name, reader format key and the text encoding used.
    warnings : tuple of str
        Decisions the reader took that the user should know about.
    """

    time_s: np.ndarray
    temperature_C: np.ndarray
    heat_flow_W_g: np.ndarray | None = None
    heat_flow_mW: np.ndarray | None = None
    mass_mg: np.ndarray | None = None
    dta: np.ndarray | None = None
    dta_unit: str = ""
    sample_mass_mg: float | None = None
    exo_up: bool | None = None
    metadata: Mapping[str, Any] = field(default_factory=dict)
    segment_index: np.ndarray | None = None
    source: str = "<memory>"
    fmt: str = ""
    encoding: str = ""
    warnings: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        n = len(self.time_s)
        for name in (
            "temperature_C",
            "heat_flow_W_g",
            "heat_flow_mW",
            "mass_mg",
            "dta",
            "segment_index",
        ):
            arr = getattr(self, name)
            if arr is None:
                continue
            arr = np.asarray(arr, dtype=float)
            if arr.shape != (n,):
                raise ValueError(f"{name} has shape {arr.shape}, expected ({n},)")
            arr.setflags(write=False)
            object.__setattr__(self, name, arr)
        t = np.asarray(self.time_s, dtype=float)
        t.setflags(write=False)
        object.__setattr__(self, "time_s", t)

    def __len__(self) -> int:
        return len(self.time_s)

    def __repr__(self) -> str:
        chans = [
            c
            for c in ("heat_flow_W_g", "heat_flow_mW", "mass_mg", "dta")
            if getattr(self, c) is not None
        ]
        return (
            f"Thermogram({self.source!r}, fmt={self.fmt!r}, n={len(self)}, "
            f"T={self.temperature_C.min():.1f}..{self.temperature_C.max():.1f} °C, "
            f"channels={chans}, exo_up={self.exo_up})"
        )

    @property
    def temperature_K(self) -> np.ndarray:
        """Sample temperature in K."""
        return self.temperature_C + ZERO_CELSIUS_K

    @property
    def mass_percent(self) -> np.ndarray | None:
        """Mass in % of the initial sample mass (or of the first point if none is known)."""
        if self.mass_mg is None:
            return None
        m0 = self.sample_mass_mg if self.sample_mass_mg else float(self.mass_mg[0])
        return 100.0 * self.mass_mg / m0

    def endo_positive(self) -> np.ndarray:
        """Specific heat flow in W/g with endothermic events positive.

        Raises
        ------
        AnalysisError
            If there is no heat-flow channel or its exo direction is unknown.
        """
        if self.heat_flow_W_g is None:
            why = (
                f" (only an uncalibrated DTA signal in {self.dta_unit or 'µV'}: a correction "
                "run, or an STA without sensitivity calibration)"
                if self.dta is not None
                else ""
            )
            raise AnalysisError(f"{self.source}: no heat-flow channel{why}")
        if self.exo_up is None:
            raise AnalysisError(
                f"{self.source}: the exo direction is unknown; give it (--exo-up/--exo-down, "
                "manifest exo_up, or exo_up= to the reader)"
            )
        return -self.heat_flow_W_g if self.exo_up else np.asarray(self.heat_flow_W_g)

    def select(self, mask_or_slice: Any) -> Thermogram:
        """Return a new Thermogram with the points selected by a boolean mask or slice."""

        def take(a: np.ndarray | None) -> np.ndarray | None:
            return None if a is None else np.asarray(a)[mask_or_slice]

        return replace(
            self,
            time_s=np.asarray(self.time_s)[mask_or_slice],
            temperature_C=np.asarray(self.temperature_C)[mask_or_slice],
            heat_flow_W_g=take(self.heat_flow_W_g),
            heat_flow_mW=take(self.heat_flow_mW),
            mass_mg=take(self.mass_mg),
            dta=take(self.dta),
            segment_index=take(self.segment_index),
        )

    def with_options(
        self, *, sample_mass_mg: float | None = None, exo_up: bool | None = None
    ) -> Thermogram:
        """Return a copy with the sample mass and/or exo direction set by the user."""
        out = self
        if sample_mass_mg is not None:
            out = replace(out, sample_mass_mg=float(sample_mass_mg))
        if exo_up is not None:
            out = replace(out, exo_up=bool(exo_up))
        return out
