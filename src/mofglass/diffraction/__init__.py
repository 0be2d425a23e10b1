"""Measured powder X-ray diffraction: readers, background, peaks, size/strain, phases, Pawley.

Simulated patterns from structures live in :mod:`mofglass.scattering`; this package analyses
measured ones (its :mod:`~mofglass.diffraction.synthetic` generator only makes test and demo
patterns with known peak positions and widths).

Examples
--------
>>> from mofglass.diffraction import read_pattern, analyse_pattern, InstrumentProfile
>>> p = read_pattern("scan.xrdml")                                  # doctest: +SKIP
>>> res = analyse_pattern(p, instrument=InstrumentProfile(u=0.004, w=0.0025))  # doctest: +SKIP
>>> print(res.summary())                                            # doctest: +SKIP
"""

from __future__ import annotations

from mofglass.crystallography.conversions import (
    d_to_q,
    d_to_two_theta,
    q_to_d,
    q_to_two_theta,
    two_theta_to_d,
    two_theta_to_q,
)
from mofglass.diffraction.analysis import analyse_pattern, analyze_pattern
from mofglass.diffraction.analysis_result import PatternAnalysis
from mofglass.diffraction.background import Background, estimate_background
from mofglass.diffraction.cell import REFERENCE_PHASES, Cell, Reflection, reflections
from mofglass.diffraction.kalpha2 import strip_ka2
from mofglass.diffraction.pattern import CU_KA1_A, CU_KA2_A, CU_KA2_RATIO, Pattern, Wavelength
from mofglass.diffraction.pawley import PawleyResult, pawley_refine
from mofglass.diffraction.peaks import FittedPeak, PeakFit, find_peaks, fit_peaks
from mofglass.diffraction.phases import (
    BraggPeakTest,
    Crystallinity,
    PhaseMatch,
    bragg_peak_test,
    crystalline_fraction,
    match_phase,
)
from mofglass.diffraction.readers import FORMATS, read_pattern, sniff_format
from mofglass.diffraction.size import InstrumentProfile, ScherrerResult, scherrer_size
from mofglass.diffraction.strain import WilliamsonHallResult, williamson_hall
from mofglass.diffraction.synthetic import simulate_pattern

__all__ = [
    "CU_KA1_A",
    "CU_KA2_A",
    "CU_KA2_RATIO",
    "FORMATS",
    "REFERENCE_PHASES",
    "Background",
    "BraggPeakTest",
    "Cell",
    "Crystallinity",
    "FittedPeak",
    "InstrumentProfile",
    "Pattern",
    "PatternAnalysis",
    "PawleyResult",
    "PeakFit",
    "PhaseMatch",
    "Reflection",
    "ScherrerResult",
    "Wavelength",
    "WilliamsonHallResult",
    "analyse_pattern",
    "analyze_pattern",
    "bragg_peak_test",
    "crystalline_fraction",
    "d_to_q",
    "d_to_two_theta",
    "estimate_background",
    "find_peaks",
    "fit_peaks",
    "match_phase",
    "pawley_refine",
    "q_to_d",
    "q_to_two_theta",
    "read_pattern",
    "reflections",
    "scherrer_size",
    "simulate_pattern",
    "sniff_format",
    "strip_ka2",
    "two_theta_to_d",
    "two_theta_to_q",
    "williamson_hall",
]
