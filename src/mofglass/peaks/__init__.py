"""The one numerical peak core: line shapes, window fits, baselines and the noise estimate.

Spectroscopy bands, Bragg peaks and real-space PDF peaks are all fitted here
(:func:`fit_window`), so the same line gives the same parameters whichever technique fits it.
"""

from mofglass.peaks.baseline import Background, estimate_baseline
from mofglass.peaks.fit import (
    FitOutcome,
    Line,
    LineGuess,
    WindowFit,
    correlated_parameters,
    covariance,
    derived,
    fit_window,
    outcome_of,
)
from mofglass.peaks.noise import MAD_TO_SIGMA, noise_sigma
from mofglass.peaks.shapes import (
    SHAPES,
    gaussian,
    line_fwhm,
    line_height,
    lorentzian,
    pseudo_voigt,
    voigt,
)

__all__ = [
    "MAD_TO_SIGMA",
    "SHAPES",
    "Background",
    "FitOutcome",
    "Line",
    "LineGuess",
    "WindowFit",
    "correlated_parameters",
    "covariance",
    "derived",
    "estimate_baseline",
    "fit_window",
    "gaussian",
    "line_fwhm",
    "line_height",
    "lorentzian",
    "noise_sigma",
    "outcome_of",
    "pseudo_voigt",
    "voigt",
]
