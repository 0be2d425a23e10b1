"""Measured DSC traces turned into what the model calibrations fit.

- :func:`normalised_cp`: Cpn(T) of a glass-transition scan, the heat flow between the glass and
  liquid lines scaled to 0 (glass) and 1 (liquid) (Moynihan et al. [1]_); the input of
  :func:`mofglass.models.relaxation_fit.fit_relaxation`.
- :func:`conversion_from_exotherm`: X(T) of a crystallisation exotherm from its partial areas
  over a straight baseline, divided by ΔHm (or normalised to 1); the input of
  :class:`mofglass.models.calibration.ConversionCurveObservation`.

Both accept either sign convention of the heat flow (the result is a ratio of areas or of
differences), and refuse windows outside the data.

References
----------
.. [1] C. T. Moynihan, A. J. Easteal, M. A. DeBolt, J. Tucker, J. Am. Ceram. Soc. 59 (1976) 12.
.. [2] ISO 11357-3:2018, Plastics — DSC — Part 3: temperature and enthalpy of melting and
       crystallisation (partial areas over an interpolated baseline).
"""

from __future__ import annotations

import numpy as np

__all__ = ["conversion_from_exotherm", "normalised_cp"]


def _window(temperature_C: np.ndarray, window_C: tuple[float, float], what: str) -> np.ndarray:
    lo, hi = window_C
    if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
        raise ValueError(f"{what} window must be two ordered finite temperatures, got {window_C}")
    sel = (temperature_C >= lo) & (temperature_C <= hi)
    if np.count_nonzero(sel) < 3:
        span = f"{np.nanmin(temperature_C):.1f}-{np.nanmax(temperature_C):.1f} °C"
        raise ValueError(f"{what} window {lo:g}-{hi:g} °C holds < 3 points of the data ({span})")
    return sel


def normalised_cp(
    temperature_C: np.ndarray,
    heat_flow: np.ndarray,
    *,
    glass_window_C: tuple[float, float],
    liquid_window_C: tuple[float, float],
) -> np.ndarray:
    """Normalised heat capacity Cpn = (q − q_glass(T)) / (q_liquid(T) − q_glass(T)).

    Parameters
    ----------
    temperature_C, heat_flow : ndarray
        One heating scan (any heat-flow unit and sign convention).
    glass_window_C, liquid_window_C : (float, float)
        Where straight lines are fitted to the glass and to the liquid, °C.

    Returns
    -------
    ndarray
        Cpn at every point (0 on the glass line, 1 on the liquid line).
    """
    T = np.asarray(temperature_C, dtype=float)
    q = np.asarray(heat_flow, dtype=float)
    g = np.polyfit(
        T[_window(T, glass_window_C, "glass")], q[_window(T, glass_window_C, "glass")], 1
    )
    sel_l = _window(T, liquid_window_C, "liquid")
    lq = np.polyfit(T[sel_l], q[sel_l], 1)
    step = np.polyval(lq, T) - np.polyval(g, T)
    if np.min(np.abs(step[_window(T, (glass_window_C[0], liquid_window_C[1]), "scan")])) < 1e-12:
        raise ValueError("the glass and liquid lines cross inside the scan: no Cp step to scale")
    return (q - np.polyval(g, T)) / step


def conversion_from_exotherm(
    time_s: np.ndarray,
    temperature_C: np.ndarray,
    heat_flow_W_g: np.ndarray,
    *,
    window_C: tuple[float, float],
    enthalpy_J_g: float | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Crystallised fraction X(T) from the partial areas of one exotherm.

    Parameters
    ----------
    time_s, temperature_C, heat_flow_W_g : ndarray
        One heating (or cooling) segment; the heat flow in W/g with either sign convention (the
        peak's own sign is used).
    window_C : (float, float)
        The exotherm's limits; the baseline is the straight line between them.
    enthalpy_J_g : float, optional
        ΔHm of the crystal (J/g): X = partial area / ΔHm, so a partial crystallisation gives
        X < 1. Without it, X is normalised to 1 at the window's end.

    Returns
    -------
    (ndarray, ndarray)
        Temperature (°C) and X inside the window.
    """
    t = np.asarray(time_s, dtype=float)
    T = np.asarray(temperature_C, dtype=float)
    q = np.asarray(heat_flow_W_g, dtype=float)
    sel = _window(T, window_C, "exotherm")
    t, T, q = t[sel], T[sel], q[sel]
    base = q[0] + (q[-1] - q[0]) * (t - t[0]) / (t[-1] - t[0])
    signal = q - base
    if abs(signal.max()) < abs(signal.min()):
        signal = -signal  # the peak points down in this file's convention
    area = np.concatenate([[0.0], np.cumsum(0.5 * (signal[1:] + signal[:-1]) * np.diff(t))])
    if area[-1] <= 0:
        raise ValueError(f"no exotherm between {window_C[0]:g} and {window_C[1]:g} °C")
    if enthalpy_J_g is None:
        return T, area / area[-1]
    if enthalpy_J_g <= 0:
        raise ValueError(f"ΔHm must be positive, got {enthalpy_J_g} J/g")
    return T, area / enthalpy_J_g
