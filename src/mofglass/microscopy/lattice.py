"""Lattice fringes of an HR-TEM image: spacings, angles, harmonics and the filtered image.

:func:`analyse_lattice` takes the spots of the windowed power spectrum
(:mod:`mofglass.microscopy.fft`), chooses the two shortest non-collinear reciprocal vectors as
the 2D basis (or one, for a single set of fringes), and classifies every other spot as a
harmonic ``n g`` (a higher order of the same planes, not a new lattice plane), a combination
``m1 g1 + m2 g2`` of the basis, or "unexplained" (another crystal or an artefact).

Uncertainties: ``d = 1/|g|``; its standard error combines three parts in quadrature,
``σ_d/d = sqrt((σ_g/g)² + ε_cal² + ε_reg²)``:

* ``σ_g``, the fitted spot-centre error;
* ``ε_cal``, the relative uncertainty of the pixel size. A file's pixel size is the
  microscope's nominal calibration for the magnification used, not a measurement against a
  standard; it is good to a few per cent only (default 3 %), which is why magnification is
  calibrated on a reference lattice [3]_. On the SrTiO3 STEM image of the shared data the
  nominal pixel size makes d(100) 3-4 % long (4.07 and 4.02 Å for 3.905 Å): the FFT centre is
  not the cause (an 8x zero-padded transform gives the same 4.071 / 4.020 Å);
* ``ε_reg``, the scale non-uniformity measured on the image itself: the relative standard
  deviation of the spot's spacing over the 2x2 quadrants of the image (drift and scan
  distortion of a slow STEM frame, lens distortion), omitted when a quadrant is too small.

The direction and the angle between two spots carry the centre errors and the quadrants'
spread of the directions. The spot width (Gaussian sigma in 1/Å) is reported as the spread of
spacings it implies.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from mofglass.microscopy.fft import Spot, find_spots, power_spectrum, regional_spread
from mofglass.microscopy.micrograph import Micrograph
from mofglass.results import Measured, Result, ResultRow

__all__ = [
    "NOMINAL_CALIBRATION_REL_ERR",
    "LatticeAnalysis",
    "Reflection2D",
    "analyse_lattice",
    "bragg_filter",
]

#: Relative standard uncertainty of a nominal (not standard-calibrated) pixel size.
NOMINAL_CALIBRATION_REL_ERR = 0.03


@dataclass(frozen=True)
class Reflection2D(Result):
    """One spot with its spacing, direction and role."""

    d_A: Measured
    direction_deg: Measured
    gx_invA: float
    gy_invA: float
    width_invA: float
    significance: float
    role: str  # "basis 1", "basis 2", "harmonic 2×g1", "g1+g2", "unexplained"
    order: tuple[int, int] = (0, 0)  # (m1, m2) on the basis


@dataclass(frozen=True)
class LatticeAnalysis(Result):
    """Fringe analysis of one image (or ROI)."""

    source: str
    pixel_size_A: tuple[float, float]
    calibration: str
    roi: tuple[int, int, int, int] | None
    reflections: tuple[Reflection2D, ...]
    basis_angle_deg: Measured | None
    warnings: tuple[str, ...] = ()
    method: str = "windowed FFT, Gaussian spot fit, basis and harmonics (mofglass.microscopy)"
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def basis(self) -> tuple[Reflection2D, ...]:
        """Return the basis spots (order (1, 0) and (0, 1))."""
        return tuple(r for r in self.reflections if r.role.startswith("basis"))

    @property
    def planes(self) -> tuple[Reflection2D, ...]:
        """Distinct lattice planes: basis and combinations (harmonics and unexplained excluded)."""
        return tuple(
            r
            for r in self.reflections
            if not r.role.startswith("harmonic") and r.role != "unexplained"
        )

    def rows(self, *, sample_id: str, technique: str = "tem", source: str = "") -> list[ResultRow]:
        """Table rows: fringe spacings d1, d2 (Å) and the angle between them (°)."""
        src = source or self.source
        out = []
        for k, r in enumerate(self.basis, start=1):
            out.append(
                ResultRow(
                    sample_id,
                    f"fringe_d{k}_A",
                    r.d_A.value,
                    r.d_A.stderr,
                    "Å",
                    technique,
                    self.method,
                    src,
                )
            )
        if self.basis_angle_deg is not None:
            m = self.basis_angle_deg
            out.append(
                ResultRow(
                    sample_id,
                    "fringe_angle_deg",
                    m.value,
                    m.stderr,
                    "°",
                    technique,
                    self.method,
                    src,
                )
            )
        return out

    def curves(self, max_points: int = 2000) -> dict[str, Any]:
        """Return the spot positions and spacings as JSON-ready lists."""
        return {
            "spots": [
                {"gx": r.gx_invA, "gy": r.gy_invA, "d": r.d_A.value, "role": r.role}
                for r in self.reflections
            ]
        }

    def report(self) -> str:
        """Summarise the spots, spacings and angle as plain text."""
        lines = [
            f"{self.source}: pixel {self.pixel_size_A[1]:.5g} Å ({self.calibration})"
            + (f", ROI {self.roi}" if self.roi else "")
        ]
        for r in self.reflections:
            lines.append(
                f"  {r.role:<16} d = {r.d_A}  direction {r.direction_deg}  "
                f"(spread ±{_spread(r):.3f} Å, {r.significance:.1f} σ)"
            )
        if self.basis_angle_deg is not None:
            lines.append(f"  angle between basis spots: {self.basis_angle_deg}")
        cal = self.extra.get("calibration_rel_err")
        if cal is not None and self.reflections:
            reg = float(self.extra.get("regional_rel_sd", 0.0))
            lines.append(
                f"  d uncertainties include the pixel calibration (±{100 * cal:.1f} %) and the "
                f"scale spread over the image quadrants (up to ±{100 * reg:.2f} %); ratios of "
                "spacings do not carry the calibration"
            )
        lines += [f"  warning: {w}" for w in self.warnings]
        return "\n".join(lines)


def _spread(r: Reflection2D) -> float:
    g = math.hypot(r.gx_invA, r.gy_invA)
    return r.width_invA / g / g if g else math.nan  # not g**2: no overflow for huge g


def _angle_between(a: Spot | Reflection2D, b: Spot | Reflection2D) -> float:
    ax, ay = (a.gx_invA, a.gy_invA)
    bx, by = (b.gx_invA, b.gy_invA)
    c = (ax * bx + ay * by) / (math.hypot(ax, ay) * math.hypot(bx, by))
    return math.degrees(math.acos(max(-1.0, min(1.0, c))))


def analyse_lattice(
    micrograph: Micrograph,
    *,
    roi: tuple[int, int, int, int] | None = None,
    window: str = "hann",
    d_min_A: float = 1.0,
    d_max_A: float = 30.0,
    threshold: float = 5.0,
    calibration_rel_err: float = NOMINAL_CALIBRATION_REL_ERR,
    tolerance: float = 0.03,
) -> LatticeAnalysis:
    """Spacings and angles of the lattice fringes of an image.

    Parameters
    ----------
    micrograph : Micrograph
    roi : (x0, y0, width, height), optional
        Region in pixels (default: the whole image).
    window : {"hann", "none"}
    d_min_A, d_max_A : float
        Spacing range searched.
    threshold : float
        Spot detection threshold (robust sigmas of log-power).
    calibration_rel_err : float
        Relative standard uncertainty of the pixel size (default 3 %: a nominal microscope
        calibration; give the smaller value of a calibration against a reference lattice).
    tolerance : float
        Relative tolerance on |g - (m1 g1 + m2 g2)| / |g| for harmonics and combinations.
    """
    img = micrograph.crop(roi)
    ps = power_spectrum(img.image, img.pixel_size_A, window=window)
    spots = find_spots(ps, d_min_A=d_min_A, d_max_A=d_max_A, threshold=threshold)
    warns: list[str] = []
    if micrograph.calibration == "user":
        warns.append("pixel size given by the user, not read from the file")
    if not spots:
        warns.append("no lattice spots above the threshold: amorphous or out of the d range")
        return LatticeAnalysis(
            micrograph.source, img.pixel_size_A, micrograph.calibration, roi, (), None, tuple(warns)
        )
    regional = regional_spread(img.image, img.pixel_size_A, window, spots)
    b1, b2 = _choose_basis(spots, tolerance)
    basis = [b1] + ([b2] if b2 is not None else [])
    g1 = np.array([b1.gx_invA, b1.gy_invA])
    g2 = None if b2 is None else np.array([b2.gx_invA, b2.gy_invA])
    refl: list[Reflection2D] = []
    for s in sorted(spots, key=lambda s: (s.g_invA, s.angle_deg)):
        g = np.array([s.gx_invA, s.gy_invA])
        role, order = "unexplained", (0, 0)
        if s is b1:
            role, order = "basis 1", (1, 0)
        elif s is b2:
            role, order = "basis 2", (0, 1)
        else:
            role, order = _harmonic_of(g, refl, tolerance) or _classify(g, g1, g2, tolerance)
        d = 1.0 / s.g_invA
        reg_d, reg_dir = regional[id(s)]
        rel = math.sqrt((s.sigma_invA / s.g_invA) ** 2 + calibration_rel_err**2 + reg_d**2)
        # transverse error of the direction: the along-g error as a proxy, and the regions'
        dir_err = math.hypot(math.degrees(s.sigma_invA / s.g_invA), reg_dir)
        refl.append(
            Reflection2D(
                d_A=Measured(d, d * rel, "Å"),
                direction_deg=Measured(s.angle_deg % 180.0, dir_err, "°"),
                gx_invA=s.gx_invA,
                gy_invA=s.gy_invA,
                width_invA=s.width_invA,
                significance=s.significance,
                role=role,
                order=order,
            )
        )
        if not s.fit_ok:
            warns.append(f"spot at d = {d:.3f} Å: Gaussian fit failed, centroid used (±0.5 px)")
    angle = None
    if b2 is not None:
        err = math.degrees(math.hypot(b1.sigma_invA / b1.g_invA, b2.sigma_invA / b2.g_invA))
        err = math.hypot(err, regional[id(b1)][1], regional[id(b2)][1])
        angle = Measured(_angle_between(b1, b2), err, "°")
    unexpl = [r for r in refl if r.role == "unexplained"]
    if unexpl:
        warns.append(
            f"{len(unexpl)} spot(s) not on the lattice of the basis (another crystal?): d = "
            + ", ".join(f"{r.d_A.value:.3f}" for r in unexpl)
            + " Å"
        )
    return LatticeAnalysis(
        micrograph.source,
        img.pixel_size_A,
        micrograph.calibration,
        roi,
        tuple(refl),
        angle,
        tuple(warns),
        extra={
            "n_basis": len(basis),
            "calibration_rel_err": calibration_rel_err,
            "regional_rel_sd": max((v[0] for v in regional.values()), default=0.0),
        },
    )


def _choose_basis(spots: list[Spot], tol: float) -> tuple[Spot, Spot | None]:
    """Choose the pair of observed spots on whose lattice most spots lie (ties: the shortest pair).

    A single direction (all spots collinear) gives one basis vector.
    """
    by_g = sorted(spots, key=lambda s: s.g_invA)[:12]
    vec = {id(s): np.array([s.gx_invA, s.gy_invA]) for s in spots}
    best: tuple[int, float, Spot, Spot | None] | None = None
    for i, a in enumerate(by_g):
        for b in by_g[i + 1 :]:
            if not 12.0 < _angle_between(a, b) < 168.0:
                continue
            n_ok = sum(
                _classify(vec[id(s)], vec[id(a)], vec[id(b)], tol)[0] != "unexplained"
                for s in spots
                if s is not a and s is not b
            )
            key = (n_ok, -(a.g_invA + b.g_invA))
            if best is None or key > (best[0], best[1]):
                best = (n_ok, key[1], a, b)
    if best is None:
        return by_g[0], None
    return best[2], best[3]


def _classify(
    g: np.ndarray, g1: np.ndarray, g2: np.ndarray | None, tol: float
) -> tuple[str, tuple[int, int]]:
    gn = float(np.linalg.norm(g))
    if g2 is None:
        m = float(g @ g1 / (g1 @ g1))
        for sign in (1, -1):
            mi = round(m) * sign if sign == 1 else round(m)
            if mi != 0 and np.linalg.norm(g - mi * g1) <= tol * gn:
                return f"harmonic {abs(mi)}×g1", (mi, 0)
        return "unexplained", (0, 0)
    basis = np.column_stack([g1, g2])
    m1, m2 = np.linalg.solve(basis, g)
    best = None
    for a in (math.floor(m1), math.ceil(m1)):
        for b in (math.floor(m2), math.ceil(m2)):
            r = float(np.linalg.norm(g - a * g1 - b * g2))
            if best is None or r < best[0]:
                best = (r, int(a), int(b))
    assert best is not None
    r, a, b = best
    if r > tol * gn or (a == 0 and b == 0):
        return "unexplained", (0, 0)
    if b == 0:
        return f"harmonic {abs(a)}×g1", (a, b)
    if a == 0:
        return f"harmonic {abs(b)}×g2", (a, b)
    return f"{_term(a, 'g1')}{'+' if b > 0 else '-'}{_term(abs(b), 'g2')}", (a, b)


def _harmonic_of(
    g: np.ndarray, found: list[Reflection2D], tol: float
) -> tuple[str, tuple[int, int]] | None:
    """``n × g_k`` (n >= 2) of an already found non-harmonic spot k, or None."""
    gn = float(np.linalg.norm(g))
    for r in found:
        if r.role.startswith("harmonic") or r.role == "unexplained":
            continue
        h = np.array([r.gx_invA, r.gy_invA])
        n = round(float(g @ h / (h @ h)))
        if abs(n) >= 2 and np.linalg.norm(g - n * h) <= tol * gn:
            return f"harmonic {abs(n)}×(d {r.d_A.value:.3f} Å)", (n * r.order[0], n * r.order[1])
    return None


def _term(m: int, name: str) -> str:
    if m == 1:
        return name
    if m == -1:
        return "-" + name
    return f"{m}{name}"


def bragg_filter(
    micrograph: Micrograph,
    analysis: LatticeAnalysis,
    *,
    radius_invA: float | None = None,
) -> np.ndarray:
    """Inverse-FFT (Bragg) filtered image: only the lattice spots (and their mates) kept.

    Soft Gaussian apertures of radius ``radius_invA`` (default 3 spot widths, at least 2 px)
    at ±g of every basis, harmonic and combination spot; the unwindowed FFT of the ROI.
    """
    img = micrograph.crop(analysis.roi).image
    ny, nx = img.shape
    py, px = analysis.pixel_size_A
    fy = np.fft.fftfreq(ny, d=py)[:, None]
    fx = np.fft.fftfreq(nx, d=px)[None, :]
    mask = np.zeros((ny, nx))
    step = max(1.0 / (ny * py), 1.0 / (nx * px))
    for r in analysis.reflections:
        if r.role == "unexplained":
            continue
        rad = radius_invA or max(3.0 * r.width_invA, 2.0 * step)
        for s in (1, -1):
            gx, gy = s * r.gx_invA, -s * r.gy_invA  # image rows run down: fy = -gy
            mask = np.maximum(mask, np.exp(-0.5 * ((fx - gx) ** 2 + (fy - gy) ** 2) / rad**2))
    f = np.fft.fft2(img - img.mean())
    return np.fft.ifft2(f * mask).real
