"""FTIR and MAS NMR spectra: readers, baselines, band fits and broadening between phases.

>>> from mofglass.spectroscopy import read_spectrum, fit_bands
>>> spec = read_spectrum("cdim2_farir.jdx")                       # doctest: +SKIP
>>> fit = fit_bands(spec, [252.0], window=(200.0, 300.0), shape="voigt")  # doctest: +SKIP
>>> fit.bands[0].fwhm                                              # doctest: +SKIP
Measured(value=18.1, stderr=0.3, unit='cm^-1')
"""

from mofglass.spectroscopy.analysis import (
    BandWindow,
    SpectrumAnalysis,
    WindowBand,
    analyse_spectrum,
    fit_windows,
    parse_band_spec,
)
from mofglass.spectroscopy.bands import (
    SHAPES,
    Band,
    BandCandidate,
    BandFit,
    Broadening,
    compare_broadening,
    estimate_baseline,
    find_bands,
    fit_bands,
)
from mofglass.spectroscopy.readers import read_spectrum
from mofglass.spectroscopy.spectrum import (
    Spectrum,
    absorbance_to_transmittance,
    transmittance_to_absorbance,
)
from mofglass.spectroscopy.synthetic import SyntheticBand, synthetic_spectrum

__all__ = [
    "SHAPES",
    "Band",
    "BandCandidate",
    "BandFit",
    "BandWindow",
    "Broadening",
    "Spectrum",
    "SpectrumAnalysis",
    "SyntheticBand",
    "WindowBand",
    "absorbance_to_transmittance",
    "analyse_spectrum",
    "compare_broadening",
    "estimate_baseline",
    "find_bands",
    "fit_bands",
    "fit_windows",
    "parse_band_spec",
    "read_spectrum",
    "synthetic_spectrum",
    "transmittance_to_absorbance",
]
