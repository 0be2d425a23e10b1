"""Measured total scattering: readers, I(Q) → S(Q) → F(Q) → G(r)/D(r), comparisons.

The sine transform and the X-ray form factors are those of :mod:`mofglass.scattering`.
"""

from mofglass.totalscattering.compare import (
    MixtureFit,
    PDFPeak,
    SeriesSummary,
    first_peaks,
    fit_mixture,
    fit_peak,
    long_range_order,
    r_factor,
    series_summary,
)
from mofglass.totalscattering.data import TotalScatteringData, q_from_two_theta
from mofglass.totalscattering.processing import (
    density_from_low_r,
    fq_from_data,
    normalise_xray,
    number_density,
    reduced_pdf,
    subtract_background,
    xray_mean_factors,
)
from mofglass.totalscattering.readers import (
    read_chi,
    read_diffpy,
    read_gudrun,
    read_pyfai_xy,
    read_total_scattering,
)

__all__ = [
    "MixtureFit",
    "PDFPeak",
    "SeriesSummary",
    "TotalScatteringData",
    "density_from_low_r",
    "first_peaks",
    "fit_mixture",
    "fit_peak",
    "fq_from_data",
    "long_range_order",
    "normalise_xray",
    "number_density",
    "q_from_two_theta",
    "r_factor",
    "read_chi",
    "read_diffpy",
    "read_gudrun",
    "read_pyfai_xy",
    "read_total_scattering",
    "reduced_pdf",
    "series_summary",
    "subtract_background",
    "xray_mean_factors",
]
