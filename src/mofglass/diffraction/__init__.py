"""Measured powder X-ray diffraction: readers, background, peaks, size/strain, phases.

Simulated patterns from structures live in :mod:`mofglass.scattering`; this package analyses
measured ones.
"""

from __future__ import annotations

from mofglass.diffraction.conversions import (
    d_to_q,
    d_to_two_theta,
    q_to_d,
    q_to_two_theta,
    two_theta_to_d,
    two_theta_to_q,
)
from mofglass.diffraction.pattern import CU_KA1_A, CU_KA2_A, CU_KA2_RATIO, Pattern, Wavelength
from mofglass.diffraction.readers import FORMATS, read_pattern, sniff_format

__all__ = [
    "CU_KA1_A",
    "CU_KA2_A",
    "CU_KA2_RATIO",
    "FORMATS",
    "Pattern",
    "Wavelength",
    "d_to_q",
    "d_to_two_theta",
    "q_to_d",
    "q_to_two_theta",
    "read_pattern",
    "sniff_format",
    "two_theta_to_d",
    "two_theta_to_q",
]
