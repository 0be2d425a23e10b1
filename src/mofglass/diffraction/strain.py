"""Williamson-Hall size and microstrain from Bragg-peak integral breadths.

β_s cos θ = K λ / ⟨D⟩ + 4 ε sin θ [1]_ (size and strain breadths add, as for Lorentzian
profiles), with β_s the sample integral breadth (radians of 2θ) after the instrumental
correction of :func:`mofglass.diffraction.size.sample_breadth`; a weighted straight line gives
⟨D⟩ from the intercept and the apparent microstrain ε (integral-breadth strain, Stokes & Wilson
[2]_) from the slope. Both are reported only when significantly positive: an integral-breadth
strain or an inverse size cannot be negative, so a significantly negative slope or intercept
means the instrumental broadening is not (or wrongly) removed, and is flagged, not printed.

References
----------
.. [1] G. K. Williamson, W. H. Hall, Acta Metall. 1 (1953) 22-31.
.. [2] A. R. Stokes, A. J. C. Wilson, Proc. Phys. Soc. 56 (1944) 174-181.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from mofglass.diffraction.peakfit_result import FittedPeak
from mofglass.diffraction.profiles import voigt_integral_breadth
from mofglass.diffraction.size import InstrumentProfile, _size_nm, sample_breadth
from mofglass.errors import AnalysisError
from mofglass.results import Measured, Result, ResultRow

__all__ = ["WilliamsonHallResult", "williamson_hall"]


@dataclass(frozen=True)
class WilliamsonHallResult(Result):
    """Williamson-Hall line β_s cos θ = K λ / D + 4 ε sin θ (β in radians).

    ``intercept_rad`` and ``slope`` are the fitted line (y = β cos θ against x = 4 sin θ);
    ``crystallite_size_nm`` is None (and ``size_lower_bound_nm`` set) when the intercept is not
    significantly positive; ``microstrain`` is ε (dimensionless), None when the slope is not
    significantly positive (then ``microstrain_upper_bound`` holds ε < bound when the slope is
    consistent with zero). A significantly negative slope or intercept - breadths falling with
    angle, or a line through negative β cos θ - is not a strain or a size: the instrumental
    broadening is not (or wrongly) removed; no value and no bound is given (a negative slope
    withholds the size too) and ``flags`` says why. :meth:`rows` holds only the resolved quantities.
    """

    crystallite_size_nm: Measured | None
    size_lower_bound_nm: Measured | None
    microstrain: Measured | None
    intercept_rad: Measured
    slope: Measured
    k_factor: float
    n_peaks: int
    x_4sin_theta: tuple[float, ...]
    y_beta_cos_theta_rad: tuple[float, ...]
    y_err_rad: tuple[float, ...]
    microstrain_upper_bound: Measured | None = None
    flags: tuple[str, ...] = ()
    method: ClassVar[str] = "Williamson-Hall (1953), integral breadths, instrument removed"

    def rows(self, *, sample_id: str, technique: str, source: str = "") -> list[ResultRow]:
        """Table rows of the resolved size/strain (or their bounds), not the raw line."""
        keep = {"crystallite_size_nm", "size_lower_bound_nm"}
        keep |= {"microstrain", "microstrain_upper_bound"}
        return [
            r
            for r in super().rows(sample_id=sample_id, technique=technique, source=source)
            if r.quantity in keep
        ]

    def size_text(self) -> str:
        """Size as printed: the value, a lower bound or "not resolved"."""
        if self.crystallite_size_nm is not None:
            return str(self.crystallite_size_nm)
        if self.size_lower_bound_nm is not None:
            return f"> {self.size_lower_bound_nm.value:.0f} nm"
        return "not resolved"

    def strain_text(self) -> str:
        """Microstrain as printed: the value, an upper bound or "not resolved"."""
        if self.microstrain is not None:
            return str(self.microstrain)
        if self.microstrain_upper_bound is not None:
            return f"< {self.microstrain_upper_bound.value:.2g} (not resolved)"
        return "not resolved"

    def __str__(self) -> str:
        return f"Williamson-Hall: size {self.size_text()}, microstrain {self.strain_text()}"


def _wh_points(
    peaks: Sequence[FittedPeak], instrument: InstrumentProfile | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[float], int]:
    """Williamson-Hall points (4 sin θ, β_s cos θ, σ) of the peaks with a finite breadth s.u.

    Also returns the instrumental β cos θ of each point and the number of peaks whose sample
    breadth is <= 0 after the instrumental correction (no broader than the instrument).
    """
    xs, ys, es, inst = [], [], [], []
    n_narrow = 0
    for p in peaks:
        b, eb = sample_breadth(p, instrument)
        th = np.deg2rad(p.center_deg.value) / 2
        if not np.isfinite(b):
            continue
        n_narrow += int(b <= 0)
        if not np.isfinite(eb) or eb <= 0:
            continue
        xs.append(4 * np.sin(th))
        ys.append(np.deg2rad(b) * np.cos(th))
        es.append(np.deg2rad(eb) * np.cos(th))
        if instrument is not None:
            il, ig = instrument.breadths_deg(p.center_deg.value)
            inst.append(np.deg2rad(float(voigt_integral_breadth(il, ig))) * np.cos(th))
    return np.array(xs), np.array(ys), np.array(es), inst, n_narrow


def _wh_line(x: np.ndarray, y: np.ndarray, e: np.ndarray) -> tuple[float, float, float, float]:
    """Weighted straight line y = c0 + c1 x: (c0, c1, σ0, σ1), σ scaled by χ²/ν when > 1."""
    a = np.column_stack([np.ones_like(x), x]) / e[:, None]
    try:
        coef, *_ = np.linalg.lstsq(a, y / e, rcond=None)
        cov = np.linalg.inv(a.T @ a)
    except np.linalg.LinAlgError:
        cov = np.full((2, 2), np.inf)
    if not np.all(np.isfinite(cov)) or np.linalg.cond(a) > 1e12:
        raise AnalysisError(
            "Williamson-Hall line is undetermined (peaks at one angle or uncertainties "
            "spanning > 12 decades)"
        )
    nu = x.size - 2
    if nu > 0:
        chi2 = float(np.sum(((y - coef[0] - coef[1] * x) / e) ** 2)) / nu
        cov = cov * max(chi2, 1.0)
    return float(coef[0]), float(coef[1]), float(np.sqrt(cov[0, 0])), float(np.sqrt(cov[1, 1]))


def williamson_hall(
    peaks: Sequence[FittedPeak],
    wavelength_A: float,
    *,
    instrument: InstrumentProfile | None = None,
    k_factor: float = 1.0,
    resolution_fraction: float = 0.1,
) -> WilliamsonHallResult:
    """Size and microstrain from a weighted Williamson-Hall line over >= 3 peaks.

    Parameters are as for :func:`scherrer_size`. Uncertainties of slope and intercept come from
    the weighted least-squares covariance, scaled by χ²/ν when that exceeds 1. The size is
    reported only when the intercept exceeds 2σ and ``resolution_fraction`` of the mean
    instrumental β cos θ; otherwise a lower bound. The microstrain is reported only when the
    slope exceeds 2σ; a slope within 2σ of zero gives an upper bound ε < max(slope, 0) + 2σ.
    A slope or intercept below -2σ gives neither value nor bound, only a flag (the
    instrumental broadening is not, or wrongly, removed); a negative slope also withholds the
    size, since the intercept of a line that is not a Williamson-Hall line is no size. Peaks whose sample breadth is <= 0
    after the instrumental correction are left out and counted in a flag.
    """
    x, y, e, inst, n_narrow = _wh_points(peaks, instrument)
    if x.size < 3:
        raise AnalysisError(f"Williamson-Hall needs >= 3 peaks with uncertainties, got {x.size}")
    c0, c1, s0, s1 = _wh_line(x, y, e)
    flags: list[str] = []
    if n_narrow:
        flags.append(
            f"{n_narrow} peak(s) no broader than the instrument profile "
            "(sample breadth <= 0 after correction)"
        )
    strain = strain_max = None
    if c1 > 2 * s1:
        strain = Measured(c1, s1, "")
    elif c1 < -2 * s1:
        flags.append(
            "microstrain and size not resolved: negative slope (breadths fall with angle: "
            "instrument broadening not, or wrongly, removed)"
        )
    else:
        strain_max = Measured(max(c1, 0.0) + 2 * s1, None, "")
    size = bound = None
    floor = resolution_fraction * float(np.mean(inst)) if inst else 0.0
    if c1 < -2 * s1:
        pass  # the intercept of a line that is not a Williamson-Hall line is no size
    elif c0 > 2 * s0 and c0 > floor:
        d = _size_nm(k_factor, wavelength_A, c0)
        size = Measured(d, d * s0 / c0, "nm")
    elif c0 < -2 * s0:
        flags.append("size not resolved: negative intercept (instrument broadening overcorrected?)")
    else:
        beta_max = max(max(c0, 0.0) + 2 * s0, floor, 1e-12)
        bound = Measured(_size_nm(k_factor, wavelength_A, beta_max), None, "nm")
    return WilliamsonHallResult(
        crystallite_size_nm=size,
        size_lower_bound_nm=bound,
        microstrain=strain,
        intercept_rad=Measured(c0, s0, "rad"),
        slope=Measured(c1, s1, ""),
        k_factor=k_factor,
        n_peaks=int(x.size),
        x_4sin_theta=tuple(float(v) for v in x),
        y_beta_cos_theta_rad=tuple(float(v) for v in y),
        y_err_rad=tuple(float(v) for v in e),
        microstrain_upper_bound=strain_max,
        flags=tuple(flags),
    )
