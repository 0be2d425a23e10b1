"""Analysis of one spectrum: fit its band windows, the shared core of the technique and the CLI.

:func:`analyse_spectrum` returns a :class:`SpectrumAnalysis` (rows, curves, report) that the
``ftir`` / ``nmr`` techniques turn into their output and figures.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from mofglass.errors import MofglassError
from mofglass.results import Result, ResultRow, thin
from mofglass.spectroscopy.bands import Band, BandFit, fit_bands
from mofglass.spectroscopy.spectrum import Spectrum

__all__ = [
    "BandWindow",
    "SpectrumAnalysis",
    "WindowBand",
    "analyse_spectrum",
    "fit_windows",
    "parse_band_spec",
]


#: Name tokens of the units of band quantities (units in row names, issue 11).
_UNIT_TOKENS = {"": "", "cm^-1": "cm1", "ppm": "ppm", "a.u.": "au", "a.u.·ppm": "au_ppm"}


def unit_token(unit: str) -> str:
    """Return ``"_<unit>"`` for a row name (``"cm^-1"`` -> ``"_cm1"``), ``""`` without a unit.

    Examples
    --------
    >>> unit_token("cm^-1"), unit_token("a.u.·ppm"), unit_token("")
    ('_cm1', '_au_ppm', '')
    """
    token = _UNIT_TOKENS.get(unit)
    if token is None:
        token = "_".join(t for t in re.split(r"[^A-Za-z0-9]+", unit) if t)
    return f"_{token}" if token else ""


@dataclass(frozen=True)
class BandWindow:
    """A band to fit: its starting centre and the fitted x window (cm⁻¹ or ppm)."""

    center: float
    window: tuple[float, float]
    label: str = ""

    @property
    def name(self) -> str:
        """Label used in result rows, default the centre (``"252"``)."""
        return self.label or f"{self.center:g}"


def parse_band_spec(text: str) -> BandWindow:
    """Parse ``"252:200-300"`` (centre:low-high) or ``"252"`` (window ±50 units).

    Negative bounds are written with a comma instead: ``"-10:-40,20"``.
    """
    t = text.strip()
    try:
        if ":" not in t:
            c = float(t)
            return BandWindow(c, (c - 50.0, c + 50.0))
        c_text, w_text = t.split(":", 1)
        sep = "," if "," in w_text else "-"
        lo_text, hi_text = w_text.split(sep, 1) if sep == "," else w_text.rsplit("-", 1)
        lo, hi = float(lo_text), float(hi_text)
        c = float(c_text)
    except ValueError:
        raise MofglassError(
            f"band {text!r}: expected 'centre:low-high' such as '252:200-300'"
        ) from None
    if not min(lo, hi) < c < max(lo, hi):
        raise MofglassError(f"band {text!r}: the centre must lie inside the window")
    return BandWindow(c, (min(lo, hi), max(lo, hi)))


def fit_windows(
    spectrum: Spectrum, windows: Sequence[BandWindow], *, shape: str = "voigt"
) -> list[tuple[BandWindow, BandFit]]:
    """Fit each window with one band at its centre (lmfit; see :func:`fit_bands`).

    Windows sharing the same x range are fitted together as overlapping bands.
    """
    groups: dict[tuple[float, float], list[BandWindow]] = {}
    for w in windows:
        groups.setdefault(w.window, []).append(w)
    out: list[tuple[BandWindow, BandFit]] = []
    for rng, ws in groups.items():
        fit = fit_bands(spectrum, [w.center for w in ws], window=rng, shape=shape)
        for w in ws:
            out.append((w, fit))
    return out


@dataclass(frozen=True)
class WindowBand(Result):
    """The band fitted nearest a window's centre, with the window and the fit's verdict.

    ``flags`` is empty when the fit converged with error bars and no parameter on an imposed
    bound; a flagged band is reported but kept out of the result rows.
    """

    name: str
    center: float
    window: tuple[float, float]
    band: Band
    flags: tuple[str, ...] = ()
    at_limits: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)
class SpectrumAnalysis(Result):
    """Band fits of one spectrum (x ascending; transmittance converted to absorbance).

    Attributes
    ----------
    bands : tuple of WindowBand
        One per requested window, in the order given.
    x_unit, y_kind : str
        The spectrum's axis kinds (``wavenumber_cm1`` / ``shift_ppm``; ``absorbance`` ...).
    x, y : ndarray
        The analysed spectrum.
    fit_x, fit_model : tuple of ndarray
        x and model of each fitted window (overlapping bands share one window).
    """

    bands: tuple[WindowBand, ...]
    x_unit: str
    y_kind: str
    x: np.ndarray
    y: np.ndarray
    fit_x: tuple[np.ndarray, ...] = field(default_factory=tuple)
    fit_model: tuple[np.ndarray, ...] = field(default_factory=tuple)
    method: ClassVar[str] = Band.method

    def __post_init__(self) -> None:
        if len(self.fit_x) != len(self.fit_model):
            raise ValueError("fit_x and fit_model must have one entry per fitted window")

    @property
    def warnings(self) -> tuple[str, ...]:
        """One line per flagged band."""
        return tuple(f"band {b.name}: {'; '.join(b.flags)}" for b in self.bands if b.flags)

    def rows(self, *, sample_id: str, technique: str, source: str = "") -> list[ResultRow]:
        """``band_<name>_<position|fwhm|area|height>_<unit>`` of every unflagged band.

        The unit ends the name (``band_CdN4_position_cm1``, ``band_113Cd_area_au_ppm``); a
        dimensionless height has none.
        """
        out: list[ResultRow] = []
        for b in self.bands:
            if b.flags:
                continue
            for name, m in b.band.measured_items():
                out.append(
                    ResultRow(
                        sample_id,
                        f"band_{b.name}_{name}{unit_token(m.unit)}",
                        m.value,
                        m.stderr,
                        m.unit,
                        technique,
                        self.method,
                        source,
                    )
                )
        return out

    def curves(self, max_points: int = 2000) -> dict[str, Any]:
        """Return the spectrum and each window's model, thinned to ``max_points``."""
        return {
            "x": thin(self.x, max_points),
            "y": thin(self.y, max_points),
            "fits": [
                {"x": thin(fx, max_points), "model": thin(fm, max_points)}
                for fx, fm in zip(self.fit_x, self.fit_model, strict=True)
            ],
        }

    def report(self) -> str:
        """One line per band: position, FWHM, area, and the flags of a distrusted fit."""
        lines = [f"{len(self.bands)} band window(s), {self.x_unit}, {self.y_kind}"]
        for b in self.bands:
            p = b.band
            flag = f"  [{'; '.join(b.flags)}]" if b.flags else ""
            lines.append(f"  {b.name}: position {p.position}, FWHM {p.fwhm}, area {p.area}{flag}")
        return "\n".join(lines)


def analyse_spectrum(
    spectrum: Spectrum, *, windows: Sequence[BandWindow], shape: str = "voigt"
) -> SpectrumAnalysis:
    """Fit each band window of ``spectrum`` (see :func:`fit_windows`) into a SpectrumAnalysis.

    Parameters
    ----------
    spectrum : Spectrum
        The spectrum (not modified); transmittance is fitted as absorbance.
    windows : sequence of BandWindow
        Bands to fit: start centre and x window (cm⁻¹ or ppm); windows with the same range are
        fitted together.
    shape : {"gaussian", "lorentzian", "pseudo_voigt", "voigt"}
        Line shape (:mod:`mofglass.peaks.shapes`).

    Returns
    -------
    SpectrumAnalysis
        A band whose fit failed or ended on an imposed bound is flagged and left out of rows.

    References
    ----------
    .. [1] M. Newville et al., LMFIT, doi:10.5281/zenodo.11813.
    """
    fits = fit_windows(spectrum, windows, shape=shape)
    out: list[WindowBand] = []
    fit_x: list[np.ndarray] = []
    fit_model: list[np.ndarray] = []
    seen: set[int] = set()
    for w, fit in fits:
        band = min(fit.bands, key=lambda b: abs(b.position.value - w.center))
        flags: tuple[str, ...] = ()
        limits: tuple[str, ...] = ()
        if fit.outcome is not None:
            flags, limits = fit.outcome.flags(), fit.outcome.at_limits
        elif not fit.success:
            flags = ("fit did not converge or has no error bars",)
        out.append(WindowBand(w.name, w.center, w.window, band, flags, limits))
        if id(fit) not in seen:
            seen.add(id(fit))
            fit_x.append(fit.x)
            fit_model.append(fit.model)
    s = spectrum.sorted()
    s = s.as_absorbance() if s.y_kind == "transmittance" else s
    return SpectrumAnalysis(
        bands=tuple(out),
        x_unit=s.x_unit,
        y_kind=s.y_kind,
        x=s.x,
        y=s.y,
        fit_x=tuple(fit_x),
        fit_model=tuple(fit_model),
    )
