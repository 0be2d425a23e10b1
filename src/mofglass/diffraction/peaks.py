"""Peak finding and profile fitting of Bragg peaks (lmfit Voigt / pseudo-Voigt).

:func:`find_peaks` locates candidate peaks above the noise; :func:`fit_peaks` fits each group of
overlapping peaks in a window with a sum of profiles plus a local linear background, optionally
with each peak's Kα2 companion (same shape, intensity ratio R, position from Bragg's law with
λ2/λ1). Widths come out as FWHM and integral breadth (area/height) with the Lorentzian and
Gaussian integral breadths βL, βG of the Voigt and their covariance, all from the fit's
covariance matrix, for the size/strain analysis in :mod:`mofglass.diffraction.size`.

References
----------
.. [1] M. Newville et al., LMFIT: Non-Linear Least-Squares Minimization and Curve-Fitting for
       Python, doi:10.5281/zenodo.11813.
.. [2] J. I. Langford, J. Appl. Cryst. 11 (1978) 10 (Voigt integral breadths).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import scipy.signal

from mofglass.diffraction._peakfit_engine import extract_peaks, fit_group
from mofglass.diffraction.background import Background
from mofglass.diffraction.noise import pattern_noise
from mofglass.diffraction.pattern import Pattern, Wavelength
from mofglass.diffraction.peakfit_result import FittedPeak, PeakCandidate, PeakFit
from mofglass.errors import AnalysisError
from mofglass.peaks import noise_sigma

__all__ = [
    "FittedPeak",
    "PeakCandidate",
    "PeakFit",
    "drop_ka2_companions",
    "find_peaks",
    "fit_peaks",
    "noise_sigma",
]

SHAPES = ("voigt", "pseudo_voigt", "gaussian", "lorentzian")


def _point_noise(pattern: Pattern) -> np.ndarray:
    """Noise σ at each point from the pattern's one noise model (:func:`pattern_noise`).

    The file's sigma (points with sigma <= 0 are ignored: infinite σ), √I for whole-number
    counts, else σ² = k(2θ)·I estimated from the data (normalised, averaged or scaled data
    labelled as counts by a plain column file are not counts).
    """
    if pattern.sigma is not None:
        return np.where(pattern.sigma > 0, pattern.sigma, np.inf)
    return pattern_noise(pattern).sigma


def _net(pattern: Pattern, background: Background | np.ndarray | None) -> np.ndarray:
    if background is None:
        return pattern.intensity.astype(float)
    b = background.intensity if isinstance(background, Background) else np.asarray(background)
    if b.shape != pattern.intensity.shape:
        raise ValueError("background must be on the pattern's 2θ grid")
    return pattern.intensity - b


def find_peaks(
    pattern: Pattern,
    *,
    background: Background | np.ndarray | None = None,
    min_snr: float = 5.0,
    min_fwhm_deg: float = 0.0,
    max_fwhm_deg: float | None = None,
    min_separation_deg: float = 0.05,
    min_width_points: float = 2.5,
) -> tuple[PeakCandidate, ...]:
    """Candidate Bragg peaks: local maxima whose prominence exceeds ``min_snr`` × noise.

    Parameters
    ----------
    pattern : Pattern
        The scan.
    background : Background or array, optional
        Subtracted before the search (heights are then net of background).
    min_snr : float
        Minimum prominence in units of the noise at the peak: the pattern's sigma, √I for
        counts, else σ estimated from the data (:mod:`mofglass.diffraction.noise`).
    min_fwhm_deg, max_fwhm_deg : float
        Accepted range of the estimated FWHM (degrees 2θ); ``max_fwhm_deg`` rejects broad
        amorphous humps.
    min_separation_deg : float
        Minimum distance between two peaks (degrees 2θ).
    min_width_points : float
        Minimum width at half prominence in points (rejects noise spikes).

    Returns
    -------
    tuple of PeakCandidate
        Sorted by 2θ.
    """
    y = _net(pattern, background)
    x = pattern.two_theta_deg
    step = pattern.step_deg
    sigma = _point_noise(pattern)
    # light smoothing (5-point quadratic Savitzky-Golay) so single-point noise spikes do not
    # count; the threshold stays in units of the raw noise at each peak
    ys = scipy.signal.savgol_filter(y, 5, 2) if y.size > 7 else y
    idx, props = scipy.signal.find_peaks(
        ys,
        prominence=min_snr * float(np.min(sigma)),
        distance=max(1, round(min_separation_deg / step)),
        width=min_width_points,
    )
    if idx.size == 0:
        return ()
    widths = props["widths"]
    out = []
    for i, w, prom in zip(idx, widths, props["prominences"], strict=True):
        fwhm = float(w * step)
        snr = float(prom / sigma[i])
        if snr < min_snr:
            continue
        if fwhm < min_fwhm_deg or (max_fwhm_deg is not None and fwhm > max_fwhm_deg):
            continue
        out.append(
            PeakCandidate(
                two_theta_deg=float(x[i]),
                height=float(y[i]),
                prominence=float(prom),
                fwhm_deg=max(fwhm, 2 * step),
                snr=snr,
            )
        )
    return tuple(out)


def drop_ka2_companions(
    candidates: tuple[PeakCandidate, ...] | list[PeakCandidate], radiation: Wavelength
) -> list[PeakCandidate]:
    """Remove candidates that sit at the Kα2 position of a stronger candidate.

    A candidate is a companion when it lies within half a FWHM (at least 0.02°) of
    2θ₂ = 2 asin((λ2/λ1) sin θ₁) of a peak at least 1.3 times higher.
    """
    if not radiation.has_ka2 or radiation.ka2_A is None:
        return list(candidates)
    r = radiation.ka2_A / radiation.ka1_A
    keep = []
    for c in candidates:
        companion = False
        for big in candidates:
            if big is c or big.height < 1.3 * c.height:
                continue
            s = r * np.sin(np.deg2rad(big.two_theta_deg) / 2)
            if s >= 1:
                continue
            pos2 = float(np.rad2deg(2 * np.arcsin(s)))
            if abs(c.two_theta_deg - pos2) <= max(0.5 * big.fwhm_deg, 0.02):
                companion = True
                break
        if not companion:
            keep.append(c)
    return keep


def _groups(
    cands: list[PeakCandidate], window_fwhm: float, min_window_deg: float, overlap_fwhm: float
) -> list[tuple[float, float, list[PeakCandidate]]]:
    """Group overlapping peaks and give each group a window, clipped half-way to neighbours.

    Peaks closer than ``overlap_fwhm`` × the larger FWHM are fitted together. A group's window
    spans ± max(window_fwhm × FWHM, min_window_deg) around its outer peaks, but stops half-way
    to the next peak outside the group.
    """
    cs = sorted(cands, key=lambda c: c.two_theta_deg)
    members: list[list[PeakCandidate]] = []
    for c in cs:
        if members:
            last = members[-1][-1]
            if c.two_theta_deg - last.two_theta_deg < overlap_fwhm * max(c.fwhm_deg, last.fwhm_deg):
                members[-1].append(c)
                continue
        members.append([c])
    out = []
    for g, ms in enumerate(members):
        lo = ms[0].two_theta_deg - max(window_fwhm * ms[0].fwhm_deg, min_window_deg)
        hi = ms[-1].two_theta_deg + max(window_fwhm * ms[-1].fwhm_deg, min_window_deg)
        if g > 0:
            lo = max(lo, 0.5 * (members[g - 1][-1].two_theta_deg + ms[0].two_theta_deg))
        if g + 1 < len(members):
            hi = min(hi, 0.5 * (ms[-1].two_theta_deg + members[g + 1][0].two_theta_deg))
        out.append((lo, hi, ms))
    return out


def _flag_failed(
    res: Any, found: list[FittedPeak], group: tuple[float, float, Any], msgs: list[str]
) -> list[FittedPeak]:
    """Flag the peaks of a window whose fit failed or that ended on a bound (never sized).

    A whole window is flagged when lmfit did not converge; a single peak when its centre
    sits on its bound (the window edge: not where the peak was found), its area on zero (no
    peak) or its width on the upper bound (a peak wider than its window).
    """
    if not res.success:
        lo, hi = group[0], group[1]
        msgs.append(f"2θ {lo:.2f}-{hi:.2f}°: {res.message}")
        flag = f"fit of the window 2θ {lo:.2f}-{hi:.2f}° did not converge ({res.message})"
        return [dataclasses.replace(p, flags=(flag,)) for p in found]
    out = []
    for i, peak in enumerate(found):
        bad = [
            what
            for name, what, side in (
                ("center", "centre on its window edge", "both"),
                ("amplitude", "area on zero", "min"),
                ("sigma", "width on its upper bound", "max"),
            )
            if _on_bound(res.params.get(f"p{i}_{name}"), side)
        ]
        out.append(
            dataclasses.replace(peak, flags=(f"peak fit: {', '.join(bad)}",)) if bad else peak
        )
    return out


def _on_bound(par: Any, side: str) -> bool:
    """Whether an lmfit parameter ended on its lower/upper bound (within 1e-6 of the span)."""
    if par is None or not par.vary:
        return False
    lo, hi, v = float(par.min), float(par.max), float(par.value)
    span = hi - lo if np.isfinite(lo) and np.isfinite(hi) else max(abs(v), 1.0)
    at_lo = np.isfinite(lo) and v - lo <= 1e-6 * span
    at_hi = np.isfinite(hi) and hi - v <= 1e-6 * span
    return bool({"min": at_lo, "max": at_hi, "both": at_lo or at_hi}[side])


def fit_peaks(
    pattern: Pattern,
    positions_deg: list[float] | None = None,
    *,
    shape: str = "voigt",
    background: Background | np.ndarray | None = None,
    ka2: str = "auto",
    window_fwhm: float = 3.0,
    min_window_deg: float = 0.3,
    overlap_fwhm: float = 2.5,
    passes: int = 2,
    min_snr: float = 5.0,
    max_fwhm_deg: float | None = 3.0,
    max_peaks: int = 60,
) -> PeakFit:
    """Fit Bragg peaks with Voigt or pseudo-Voigt profiles.

    Parameters
    ----------
    pattern : Pattern
        The scan (not modified). Its ``sigma`` (or Poisson √I) weights the fit.
    positions_deg : list of float, optional
        Starting 2θ of the peaks (degrees); default from :func:`find_peaks`.
    shape : {"voigt", "pseudo_voigt"}
        Profile. For pseudo-Voigt, βL and βG come from de Keijser et al.'s relations.
    background : Background or array, optional
        Subtracted first; a linear background is fitted in each window in any case.
    ka2 : {"auto", "model", "none"}
        Model each peak's Kα2 companion (``"auto"``: when the pattern's wavelength has Kα2).
    window_fwhm, min_window_deg : float
        Each peak is fitted over ± max(window_fwhm × FWHM, min_window_deg) degrees, clipped
        half-way to the neighbouring peaks.
    overlap_fwhm : float
        Peaks closer than this many FWHM are fitted together.
    passes : int
        1 fits each group alone; 2 (default) refits each group with the other groups' fitted
        profiles subtracted, removing the bias of neighbouring peaks' Lorentzian tails.
    min_snr, max_fwhm_deg : float
        Passed to :func:`find_peaks` when ``positions_deg`` is None.
    max_peaks : int
        Fit at most this many (the most prominent) peaks.

    Returns
    -------
    PeakFit
        Fitted peaks (Kα1 components) with Measured centre, area, height, FWHM and integral
        breadths; the model and residual over the fitted windows.

    Raises
    ------
    AnalysisError
        If no peak is found or given.
    """
    if shape not in SHAPES:
        raise ValueError(f"shape must be one of {SHAPES}, got {shape!r}")
    if ka2 not in ("auto", "model", "none"):
        raise ValueError("ka2 must be 'auto', 'model' or 'none'")
    wl = pattern.radiation
    use_ka2 = (ka2 == "model") or (ka2 == "auto" and wl is not None and wl.has_ka2)
    if use_ka2 and (wl is None or not wl.has_ka2):
        raise AnalysisError("ka2='model' needs a pattern wavelength with Kα2 (ka2_A, ratio)")
    y_all = _net(pattern, background)
    x_all = pattern.two_theta_deg
    s_all = pattern.weights_sigma()
    found: tuple[PeakCandidate, ...] | list[PeakCandidate] = find_peaks(
        pattern, background=background, min_snr=min_snr, max_fwhm_deg=max_fwhm_deg
    )
    if use_ka2 and wl is not None:
        found = drop_ka2_companions(found, wl)
    if positions_deg is None:
        cands = sorted(found, key=lambda c: -c.prominence)[:max_peaks]
    else:
        cands = []
        for pos in positions_deg:
            near = [c for c in found if abs(c.two_theta_deg - pos) < 0.5]
            i = int(np.argmin(np.abs(x_all - pos)))
            fwhm = near[0].fwhm_deg if near else max(0.1, 5 * pattern.step_deg)
            cands.append(PeakCandidate(float(pos), float(y_all[i]), float(y_all[i]), fwhm, 0.0))
    if not cands:
        raise AnalysisError(f"{pattern.source}: no Bragg peak above {min_snr} sigma to fit")
    cands.sort(key=lambda c: c.two_theta_deg)
    peaks: list[FittedPeak] = []
    xs, obs, mods = [], [], []
    msgs: list[str] = []
    converged = True
    chi2 = 0.0
    nfree = 0
    groups = [
        g
        for g in _groups(cands, window_fwhm, min_window_deg, overlap_fwhm)
        if ((x_all >= g[0]) & (x_all <= g[1])).sum() >= 4 * len(g[2]) + 3
    ]
    # pass 1 fits each group alone; pass 2 refits each group after subtracting the fitted
    # profiles (tails) of all other groups, which a local linear background cannot absorb
    tails = [np.zeros_like(y_all) for _ in groups]
    results: list[tuple[Any, list[str], np.ndarray]] = []
    for _pass in range(passes):
        others = np.sum(tails, axis=0) if tails else np.zeros_like(y_all)
        results = []
        for gi, (lo, hi, members) in enumerate(groups):
            m = (x_all >= lo) & (x_all <= hi)
            y_fit = y_all - (others - tails[gi])
            res, comps = fit_group(x_all[m], y_fit[m], s_all[m], members, shape, use_ka2, wl)
            results.append((res, comps, m))
        if _pass + 1 < passes:
            for gi, (res, _comps, _m) in enumerate(results):
                full = res.eval(x=x_all)
                bg = res.eval_components(x=x_all).get("bg_", 0.0)
                tails[gi] = full - bg
    for gi, (res, comps, m) in enumerate(results):
        converged &= bool(res.success)
        chi2 += float(res.chisqr)
        nfree += int(res.nfree)
        others = np.sum(tails, axis=0) - tails[gi]
        xs.append(x_all[m])
        obs.append(y_all[m])
        mods.append(res.best_fit + others[m])
        peaks.extend(_flag_failed(res, extract_peaks(res, comps, shape), groups[gi], msgs))
    if not converged:
        n_bad = sum(not r.success for r, _, _ in results)
        msgs.insert(0, f"{n_bad} of {len(groups)} peak windows did not converge")
    if not peaks:
        raise AnalysisError(f"{pattern.source}: no peak window had enough points to fit")
    return PeakFit(
        peaks=tuple(peaks),
        two_theta_deg=np.concatenate(xs),
        observed=np.concatenate(obs),
        model=np.concatenate(mods),
        shape=shape,
        ka2_modelled=use_ka2,
        converged=converged,
        reduced_chi_square=chi2 / max(nfree, 1),
        message="; ".join(dict.fromkeys(msgs))[:300],
        wavelength_A=None if wl is None else wl.ka1_A,
    )
