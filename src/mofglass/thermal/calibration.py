"""Instrument calibration uncertainty, combined in quadrature with the fit and baseline terms.

A calorimetrist states a temperature and a heat (enthalpy) calibration uncertainty for the
instrument; every reported temperature and enthalpy carries it. The default comes from the
file's own calibration records when it has them (native NETZSCH files: the RMS residuals of the
temperature fixpoints and of the sensitivity fit), else the typical uncertainty of a heat-flux
DSC calibrated with pure metals, 0.5 K and 2 % (ISO 11357-1:2016 sec. 8; ASTM E967-18, E968-02).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from mofglass.results import Measured
from mofglass.thermal.events import ThermalEvent
from mofglass.thermal.glass import GlassTransition
from mofglass.thermal.thermogram import Thermogram

__all__ = [
    "Calibration",
    "add_calibration",
    "calibrate_event",
    "calibrate_glass",
    "calibration_option",
]


@dataclass(frozen=True)
class Calibration:
    """Standard uncertainty of the instrument's calibration (temperature, enthalpy).

    It is combined in quadrature with the fit and baseline terms of every temperature and
    enthalpy.

    The default is the typical uncertainty of a heat-flux DSC calibrated with pure metals:
    0.5 K in temperature and 2 % in heat (ISO 11357-1:2016 sec. 8; ASTM E967-18 and E968-02).
    """

    temperature_K: float = 0.5
    enthalpy_relative: float = 0.02
    source: str = "typical value (ISO 11357-1; ASTM E967/E968)"

    @classmethod
    def from_trace(cls, trace: Thermogram) -> Calibration:
        """Return the calibration of the file's own records when it has them, else typical.

        Native NETZSCH files: RMS residual of the temperature fixpoints and of the sensitivity
        fit.
        """
        cal = trace.metadata.get("calibration") or {}
        if "temperature_rms_K" not in cal:
            return cls()
        return cls(
            float(cal["temperature_rms_K"]),
            float(cal.get("sensitivity_rms_relative", cls.enthalpy_relative)),
            "the file's calibration fixpoints (RMS residuals)",
        )


def calibration_option(
    trace: Thermogram, temperature_K: float | None, enthalpy_percent: float | None
) -> Calibration:
    """Return the user's calibration uncertainty where given, else the file's or the typical one."""
    base = Calibration.from_trace(trace)
    if temperature_K is None and enthalpy_percent is None:
        return base
    return Calibration(
        base.temperature_K if temperature_K is None else float(temperature_K),
        base.enthalpy_relative if enthalpy_percent is None else float(enthalpy_percent) / 100.0,
        "given by the user",
    )


def add_calibration(m: Measured, u_abs: float) -> Measured:
    """Return ``m`` with ``u_abs`` added in quadrature to its standard uncertainty."""
    return Measured(m.value, float(np.hypot(m.stderr or 0.0, u_abs)), m.unit)


def calibrate_event(ev: ThermalEvent, cal: Calibration) -> ThermalEvent:
    """Return the event with the calibration added to its temperatures and enthalpies."""
    uT = cal.temperature_K
    h = ev.enthalpy_J_g
    mol = ev.enthalpy_kJ_mol
    return replace(
        ev,
        onset_C=add_calibration(ev.onset_C, uT),
        peak_C=add_calibration(ev.peak_C, uT),
        offset_C=add_calibration(ev.offset_C, uT),
        enthalpy_J_g=add_calibration(h, abs(h.value) * cal.enthalpy_relative),
        enthalpy_kJ_mol=None
        if mol is None
        else add_calibration(mol, abs(mol.value) * cal.enthalpy_relative),
    )


def calibrate_glass(g: GlassTransition, cal: Calibration) -> GlassTransition:
    """Return the glass transition with the calibration added to its temperatures and ΔCp."""
    uT = cal.temperature_K
    d = g.delta_cp_J_gK
    return replace(
        g,
        onset_C=add_calibration(g.onset_C, uT),
        midpoint_C=add_calibration(g.midpoint_C, uT),
        inflection_C=add_calibration(g.inflection_C, uT),
        endset_C=add_calibration(g.endset_C, uT),
        delta_cp_J_gK=add_calibration(d, abs(d.value) * cal.enthalpy_relative),
    )
