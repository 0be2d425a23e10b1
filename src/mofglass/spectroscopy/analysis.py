"""Fit a list of band windows of one spectrum: the shared core of the technique and the CLI."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from mofglass.errors import MofglassError
from mofglass.spectroscopy.bands import BandFit, fit_bands
from mofglass.spectroscopy.spectrum import Spectrum

__all__ = ["BandWindow", "fit_windows", "parse_band_spec"]


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
