"""Fitting engine of :func:`mofglass.diffraction.peaks.fit_peaks` (private).

One window = linear background + a line (with built-in Kα2 companion) per peak; the Kα1 line's
breadths and their covariance are extracted from lmfit's covariance matrix.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from lmfit import Model, Parameters, lineshapes

from mofglass.diffraction.peakfit_result import FittedPeak, PeakCandidate
from mofglass.diffraction.profiles import (
    FWHM_TO_BETA_GAUSS,
    propagate,
    pseudo_voigt_components,
    voigt_fwhm,
    voigt_integral_breadth,
)
from mofglass.results import Measured

__all__ = ["extract_peaks", "fit_group"]


def _line_model(shape: str, prefix: str, ka2: tuple[float, float] | None) -> Model:
    """A Voigt / pseudo-Voigt line, with its Kα2 companion built in when ``ka2`` = (λ2/λ1, R).

    The companion has the same shape and widths, area R × amplitude and centre
    2 asin((λ2/λ1) sin θ) - computed in numpy, not via lmfit constraint expressions (which
    are evaluated through asteval and dominate the run time).
    """
    r, ratio = ka2 if ka2 is not None else (1.0, 0.0)

    def companion(center: np.ndarray | float) -> np.ndarray:
        s = np.clip(r * np.sin(np.deg2rad(center) / 2), -1.0, 1.0)
        return np.rad2deg(2 * np.arcsin(s))

    if shape == "voigt":

        def voigt_line(
            x: np.ndarray,
            amplitude: float = 1.0,
            center: float = 0.0,
            sigma: float = 0.1,
            gamma: float = 0.1,
        ) -> np.ndarray:
            out = lineshapes.voigt(x, amplitude, center, sigma, gamma)
            if ratio:
                out = out + lineshapes.voigt(x, ratio * amplitude, companion(center), sigma, gamma)
            return out

        return Model(voigt_line, prefix=prefix)

    def pseudo_voigt_line(
        x: np.ndarray,
        amplitude: float = 1.0,
        center: float = 0.0,
        sigma: float = 0.1,
        fraction: float = 0.5,
    ) -> np.ndarray:
        out = lineshapes.pvoigt(x, amplitude, center, sigma, fraction)
        if ratio:
            out = out + lineshapes.pvoigt(x, ratio * amplitude, companion(center), sigma, fraction)
        return out

    return Model(pseudo_voigt_line, prefix=prefix)


def _arg_names(shape: str, prefix: str) -> list[str]:
    last = "gamma" if shape == "voigt" else "fraction"
    return [f"{prefix}{n}" for n in ("amplitude", "center", "sigma", last)]


def _breadths(shape: str, vals: np.ndarray) -> np.ndarray:
    """(β, βL, βG, FWHM) from (sigma, gamma) [Voigt] or (sigma, fraction) [pseudo-Voigt]."""
    if shape == "voigt":
        sigma, gamma = vals
        bl, bg = np.pi * gamma, sigma * np.sqrt(2 * np.pi)
        fwhm = voigt_fwhm(2 * gamma, 2 * np.sqrt(2 * np.log(2)) * sigma)
        return np.array([voigt_integral_breadth(bl, bg), bl, bg, fwhm], dtype=float)
    hwhm, eta = vals
    fwhm = 2 * hwhm
    height_per_area = eta / (np.pi * hwhm) + (1 - eta) / (FWHM_TO_BETA_GAUSS * fwhm)
    beta = 1.0 / height_per_area
    bl, bg = pseudo_voigt_components(fwhm, beta)
    return np.array([beta, float(bl), float(bg), fwhm], dtype=float)


def fit_group(
    x: np.ndarray,
    y: np.ndarray,
    s: np.ndarray,
    members: list[PeakCandidate],
    shape: str,
    use_ka2: bool,
    wl: Any,
) -> tuple[Any, list[str]]:
    xm = float(np.mean(x))

    def linear_background(x: np.ndarray, level: float = 0.0, slope: float = 0.0) -> np.ndarray:
        # centred on the window so level and slope are not correlated (x ~ 30° otherwise
        # makes the intercept-slope pair ill-conditioned and can stall leastsq)
        return level + slope * (x - xm)

    model: Model = Model(linear_background, prefix="bg_")
    params = Parameters()
    params.add("bg_slope", value=0.0)
    params.add("bg_level", value=float(np.percentile(y, 10)))
    prefixes = []
    for j, c in enumerate(members):
        p = f"p{j}_"
        prefixes.append(p)
        ka2 = (wl.ka2_A / wl.ka1_A, wl.ka2_ratio) if use_ka2 else None
        model = model + _line_model(shape, p, ka2)
        fw = max(c.fwhm_deg, 1e-3)
        height = max(c.height - float(np.percentile(y, 10)), 1e-9)
        # only the function arguments: lmfit's derived fwhm/height expressions are slow to
        # evaluate with uncertainties and are recomputed here from the covariance anyway
        for name in _arg_names(shape, p):
            params.add(name, value=1.0)
        # asymmetric bounds: a start exactly mid-way maps to internal value 0 in lmfit's
        # bounds transform, where leastsq's relative finite-difference step vanishes
        params[f"{p}center"].set(
            value=c.two_theta_deg,
            min=c.two_theta_deg - 1.1 * max(fw, 0.05),
            max=c.two_theta_deg + max(fw, 0.05),
        )
        if shape == "voigt":
            params[f"{p}sigma"].set(value=fw / 3.6, min=1e-5, max=5 * fw + 1)
            params[f"{p}gamma"].set(value=fw / 4, min=0.0, max=5 * fw + 1, vary=True, expr=None)
            params[f"{p}amplitude"].set(value=height * fw * 1.2, min=0)
        else:
            params[f"{p}sigma"].set(value=fw / 2, min=1e-5, max=5 * fw + 1)
            params[f"{p}fraction"].set(value=0.5, min=0.0, max=1.0)
            params[f"{p}amplitude"].set(value=height * fw * 1.2, min=0)
    res = model.fit(y, params, x=x, weights=1.0 / s, nan_policy="omit")
    return res, prefixes


def _measured(res: Any, name: str, unit: str) -> Measured:
    p = res.params[name]
    err = p.stderr if p.stderr is not None and np.isfinite(p.stderr) else None
    return Measured(float(p.value), err, unit)


def extract_peaks(res: Any, prefixes: list[str], shape: str) -> list[FittedPeak]:
    out = []
    names = list(res.var_names)
    cov = res.covar
    for p in prefixes:
        wnames = [f"{p}sigma", f"{p}gamma" if shape == "voigt" else f"{p}fraction"]
        vals = np.array([res.params[n].value for n in wnames], dtype=float)
        b = _breadths(shape, vals)
        sub = None
        if cov is not None and all(n in names for n in wnames):
            ii = [names.index(n) for n in wnames]
            sub = cov[np.ix_(ii, ii)]
        errs: list[float | None] = [None] * 4
        bcov = ((float("nan"),) * 2,) * 2
        if sub is not None and np.all(np.isfinite(sub)):
            for k in range(4):

                def comp(v: np.ndarray, k: int = k) -> float:
                    return float(_breadths(shape, v)[k])

                errs[k] = propagate(comp, vals, sub)[1]
            jac = np.zeros((2, 2))
            for k in (1, 2):
                for i in range(2):
                    h = 1e-6 * max(abs(vals[i]), 1e-9)
                    vp, vm = vals.copy(), vals.copy()
                    vp[i] += h
                    vm[i] -= h
                    jac[k - 1, i] = (_breadths(shape, vp)[k] - _breadths(shape, vm)[k]) / (2 * h)
            c2 = jac @ sub @ jac.T
            bcov = ((float(c2[0, 0]), float(c2[0, 1])), (float(c2[1, 0]), float(c2[1, 1])))
        area = _measured(res, f"{p}amplitude", "")
        height_val = area.value / b[0]
        height_err = None
        if area.stderr is not None and errs[0] is not None:
            height_err = height_val * float(
                np.hypot(area.stderr / max(area.value, 1e-300), errs[0] / b[0])
            )
        out.append(
            FittedPeak(
                center_deg=_measured(res, f"{p}center", "deg"),
                area=area,
                height=Measured(height_val, height_err, ""),
                fwhm_deg=Measured(b[3], errs[3], "deg"),
                integral_breadth_deg=Measured(b[0], errs[0], "deg"),
                lorentz_breadth_deg=Measured(b[1], errs[1], "deg"),
                gauss_breadth_deg=Measured(b[2], errs[2], "deg"),
                breadth_covariance_deg2=bcov,
                shape=shape,
            )
        )
    return out
