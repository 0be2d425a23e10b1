"""DTG of a TG curve and its smoothing window chosen from the measured noise.

The DTG is dm/dT, Savitzky-Golay smoothed; with a time axis it is (dm/dt) / (dT/dt), both
derivatives taken in time, as Proteus and pyTGA do, so that repeated or backward temperatures do
not break it. :func:`dtg_window_C` picks the window from the noise (module rule below);
:func:`apparent_mass_gain_percent` measures the rise of the mass above its start (buoyancy).

References
----------
.. [1] A. Savitzky, M. J. E. Golay, Anal. Chem. 36, 1627 (1964).
.. [2] ASTM E1131-20, Compositional Analysis by Thermogravimetry (DTG, steps).
"""

from __future__ import annotations

import numpy as np
from scipy.signal import savgol_filter

__all__ = ["apparent_mass_gain_percent", "dtg", "dtg_window_C"]


def _window(n: int, points: int) -> int:
    """Odd Savitzky-Golay window of about ``points`` points (at least 7), shorter than ``n``."""
    w = max(7, points | 1)
    if w >= n:
        w = n - 1 if n % 2 == 0 else n - 2
    return w


def dtg(
    temperature_C: np.ndarray,
    mass_percent: np.ndarray,
    *,
    smooth_C: float = 5.0,
    time_s: np.ndarray | None = None,
    min_rate_K_min: float = 0.3,
) -> np.ndarray:
    """Return the DTG, dm/dT in %/K, Savitzky-Golay smoothed over about ``smooth_C`` kelvin.

    Parameters
    ----------
    temperature_C, mass_percent : numpy.ndarray
        The curve (°C, % of the initial mass).
    smooth_C : float
        Smoothing window in K.
    time_s : numpy.ndarray, optional
        Time (s, increasing). When given, the DTG is (dm/dt) / (dT/dt) with both derivatives
        taken in time, which stays defined when temperatures repeat or jitter backwards.
    min_rate_K_min : float
        With ``time_s``: where the smoothed |dT/dt| is below this (K/min), the DTG is NaN.

    Returns
    -------
    numpy.ndarray
        DTG in %/K (negative for a mass loss).
    """
    T = np.asarray(temperature_C, float)
    m = np.asarray(mass_percent, float)
    if time_s is None:
        dT = float(np.median(np.abs(np.diff(T)))) or 1e-3
        w = _window(len(m), int(np.rint(smooth_C / dT)))
        ms = savgol_filter(m, w, 2) if w >= 5 else m
        Ts = savgol_filter(T, w, 1) if w >= 5 else T
        return np.asarray(np.gradient(ms, Ts))
    t = np.asarray(time_s, float)
    # kelvin per point from the mean |rate|, robust to repeated and backward steps
    dT = float(np.sum(np.abs(np.diff(T))) / max(len(T) - 1, 1)) or 1e-3
    w = _window(len(m), int(np.rint(smooth_C / dT)))
    ms = savgol_filter(m, w, 2) if w >= 5 else m
    Ts = savgol_filter(T, w, 2) if w >= 5 else T
    rate = np.gradient(Ts, t)
    out = np.gradient(ms, t) / np.where(rate == 0, np.nan, rate)
    out[np.abs(rate) * 60.0 < min_rate_K_min] = np.nan
    return np.asarray(out)


#: DTG windows tried (K), smallest first, and the largest DTG noise accepted (fraction of max |DTG|)
_WINDOWS_C = (5.0, 10.0, 20.0, 40.0)
_NOISE_FRACTION = 0.02


def _robust_sigma(x: np.ndarray) -> float:
    x = x[np.isfinite(x)]
    if x.size == 0:
        return 0.0
    return float(1.4826 * np.median(np.abs(x - np.median(x))))


def dtg_window_C(
    temperature_C: np.ndarray,
    mass_percent: np.ndarray,
    *,
    time_s: np.ndarray | None = None,
    min_rate_K_min: float = 0.3,
) -> float:
    """Choose the DTG smoothing window (K) from the measured noise of the run.

    The DTG noise at a window ``w`` is the robust scatter (1.4826 x median absolute deviation)
    of DTG(w) - DTG(2w): what doubling the window removes, which is noise wherever the curve's
    features are broader than ``2w``. The window is the smallest of 5, 10, 20 and 40 K whose
    noise is at most 2 % of the largest |DTG| (a signal-to-noise ratio of 50): step peaks need a
    prominence of 5 sigma (:func:`mass_loss_steps`), so noise cannot raise a peak of less than
    10 % of the main step. The largest window is returned when none qualifies.

    Parameters
    ----------
    temperature_C, mass_percent : numpy.ndarray
        The heating curve (°C, % of the initial mass).
    time_s : numpy.ndarray, optional
        Time (s), as for :func:`dtg`.
    min_rate_K_min : float
        As for :func:`dtg`.

    Returns
    -------
    float
        The window in K.

    Examples
    --------
    >>> T = np.linspace(100.0, 600.0, 2001)
    >>> m = 100.0 - 50.0 / (1.0 + np.exp(-(T - 350.0) / 10.0))
    >>> dtg_window_C(T, m)
    5.0
    """
    T = np.asarray(temperature_C, float)
    m = np.asarray(mass_percent, float)
    for w in _WINDOWS_C:
        d1 = dtg(T, m, smooth_C=w, time_s=time_s, min_rate_K_min=min_rate_K_min)
        d2 = dtg(T, m, smooth_C=2.0 * w, time_s=time_s, min_rate_K_min=min_rate_K_min)
        peak = float(np.nanmax(np.abs(d1))) if np.any(np.isfinite(d1)) else 0.0
        if peak > 0 and _robust_sigma(d1 - d2) <= _NOISE_FRACTION * peak:
            return w
    return _WINDOWS_C[-1]


def apparent_mass_gain_percent(
    temperature_C: np.ndarray, mass_percent: np.ndarray, *, before_C: float
) -> float:
    """Return the largest mass rise (% of the initial mass) above the first point, up to ``before_C``.

    The curve is taken in its order (a heating segment) up to the first point at ``before_C``.
    Used to warn of uncorrected buoyancy: without a blank (correction) run subtracted, the
    sample mass appears to rise on heating as the purge gas thins. The curve is median-filtered
    over 9 points first so that single noise spikes do not count.
    """
    T = np.asarray(temperature_C, float)
    m = np.asarray(mass_percent, float)
    past = np.flatnonzero(T >= before_C)
    part = m[: int(past[0]) if past.size else len(m)]
    if part.size < 2:
        return 0.0
    ms = np.convolve(part, np.ones(9) / 9.0, mode="valid") if part.size > 9 else part
    return float(max(np.max(ms) - part[0], 0.0))
