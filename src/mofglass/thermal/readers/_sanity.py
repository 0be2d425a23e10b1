"""Plausibility checks of the channels of a thermal run, after unit conversion.

Errors (:class:`~mofglass.errors.InputFormatError`, naming the file, line and what was expected)
for what cannot be a measurement; warnings for what is unusual but possible:

* temperatures labelled K below 70 K (under liquid nitrogen, where no DSC/TGA runs): the column is
  in °C - error;
* temperatures above 2500 °C (commercial DSC/STA furnaces end at 2400 °C): another unit or
  quantity - error;
* a temperature column identical to the time column (the time taken as temperature) - error;
* temperature jumping between consecutive points by more than 30 K and 50 times the typical step
  (a column of another quantity, or swapped columns) - error;
* a temperature labelled °C whose first value lies in 273-333 (room temperature to 60 °C in
  kelvin, where runs start; a programme starting at 273-333 °C is rare) - warning;
* a constant temperature over the whole run (an isothermal run, or the wrong column) - warning;
* fewer than 20 points or a span below 5 K (a truncated file) - warning;
* a sample mass <= 0 - error; outside 0.01-1000 mg (g or µg taken as mg?) - warning;
* a heat flow labelled specific (W/g, mW/mg) whose level, divided by the scan rate, exceeds
  8 J/(g K) (solids and liquids have 0.1-4 J/(g K); real exports here reach 6): mW not divided by
  the sample mass? - warning.

References
----------
.. [1] ISO 11357-1:2016 (sample masses, heat-flow signal); heat capacities of solids: NIST-JANAF.
"""

from __future__ import annotations

import numpy as np

from mofglass.errors import InputFormatError

__all__ = ["check_channels", "check_sample_mass"]

_MAX_APPARENT_CP = 8.0  # J/(g K)
_MIN_POINTS, _MIN_SPAN_K = 20, 5.0  # a glass transition alone spans ~10 K
_MAX_TEMPERATURE_C = 2500.0
_ROOM_K = (273.0, 333.0)  # a run starting here in "°C" most likely starts at 0-60 °C in K


def check_sample_mass(source: str, mass_mg: float | None, warnings: list[str]) -> None:
    """Error for a mass <= 0, warning outside 0.01-1000 mg."""
    if mass_mg is None:
        return
    if not mass_mg > 0:
        raise InputFormatError(source, expected="a sample mass > 0 mg", got=f"{mass_mg:g} mg")
    if not 0.01 <= mass_mg <= 1000.0:
        warnings.append(
            f"sample mass {mass_mg:g} mg is outside 0.01-1000 mg: is it in g or µg, not mg?"
        )


def check_channels(
    source: str,
    *,
    lines: np.ndarray,
    time_raw: np.ndarray,
    temperature_raw: np.ndarray,
    temperature_unit: str,
    time_s: np.ndarray,
    temperature_C: np.ndarray,
    heat_flow_W_g: np.ndarray | None,
    heat_labelled_specific: bool,
    warnings: list[str],
) -> None:
    """Run the checks of the module docstring (``*_raw`` as written in the file)."""
    n = len(temperature_C)
    if temperature_unit == "K" and float(np.min(temperature_raw)) < 70.0:
        k = int(np.argmin(temperature_raw))
        raise InputFormatError(
            source,
            line=int(lines[k]),
            expected="temperatures in K above 70 K (no DSC/TGA runs below liquid nitrogen)",
            got=f"{temperature_raw[k]:g} K: the column is labelled K but looks like °C",
        )
    if n > 2 and np.allclose(temperature_raw, time_raw):
        raise InputFormatError(
            source,
            expected="a temperature column different from the time column",
            got="temperature identical to time (the time column taken as temperature?)",
        )
    dT = np.abs(np.diff(temperature_C))
    if dT.size > 10:
        typical = float(np.median(dT)) or float(np.mean(dT)) or 1e-3
        jumps = np.flatnonzero(dT > max(30.0, 50.0 * typical))
        if jumps.size:
            k = int(jumps[0])
            raise InputFormatError(
                source,
                line=int(lines[k + 1]),
                expected=f"a continuous temperature (steps ~{typical:.2g} K)",
                got=f"a jump from {temperature_C[k]:.4g} to {temperature_C[k + 1]:.4g} °C "
                "(another quantity or swapped columns?)",
            )
    if n and float(np.max(temperature_C)) > _MAX_TEMPERATURE_C:
        k = int(np.argmax(temperature_C))
        raise InputFormatError(
            source,
            line=int(lines[k]),
            expected=f"temperatures below {_MAX_TEMPERATURE_C:g} °C (the hottest DSC/STA furnaces "
            "reach 2400 °C)",
            got=f"{temperature_C[k]:.6g} °C: the column is in another unit or another quantity",
        )
    if n and temperature_unit != "K" and _ROOM_K[0] <= float(temperature_raw[0]) <= _ROOM_K[1]:
        warnings.append(
            f"temperature starts at {temperature_raw[0]:.5g} {temperature_unit}, which is room "
            f"temperature to 60 °C in kelvin ({_ROOM_K[0]:g}-{_ROOM_K[1]:g} K): is the "
            "column in K?"
        )
    span = float(np.ptp(temperature_C)) if n else 0.0
    if n > 1 and span < 0.5:
        warnings.append(
            f"temperature is constant ({temperature_C[0]:.1f} °C) over the whole run: an "
            "isothermal run, or the wrong column?"
        )
    elif n < _MIN_POINTS or span < _MIN_SPAN_K:
        warnings.append(
            f"the run has {n} points over {span:.3g} K: too short to resolve a thermal event "
            "(a truncated file?)"
        )
    if heat_flow_W_g is not None and heat_labelled_specific and n > 20:
        dt = np.gradient(time_s)
        with np.errstate(divide="ignore", invalid="ignore"):
            q = np.abs(np.gradient(temperature_C) / np.where(dt > 0, dt, np.nan))
        scan = np.isfinite(q) & (q > 0.5 / 60.0)
        if scan.sum() > 10:
            cp = float(np.median(np.abs(heat_flow_W_g[scan]) / q[scan]))
            if cp > _MAX_APPARENT_CP:
                warnings.append(
                    f"heat flow labelled per mass reaches {cp:.0f} J/(g K) of apparent heat "
                    f"capacity (solids and liquids: 0.1-4): mW not divided by the sample mass?"
                )
