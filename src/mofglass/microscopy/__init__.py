"""HR-TEM / STEM images: lattice fringes from calibrated micrographs.

Calibrated readers (rosettasciio), windowed FFT, lattice-fringe spacings and angles with uncertainties, harmonics, indexing against a structure (zone axis and
(hkl)), Bragg-filtered image and a local-FFT crystalline-domain map.

>>> from mofglass.microscopy import read_micrograph, analyse_lattice   # doctest: +SKIP
>>> lat = analyse_lattice(read_micrograph("16_STOimage_1.ser"))       # doctest: +SKIP
>>> [(r.role, r.d_A) for r in lat.reflections]                          # doctest: +SKIP
"""

from mofglass.microscopy.domains import DomainMap, crystalline_domains
from mofglass.microscopy.fft import PowerSpectrum, Spot, find_spots, power_spectrum
from mofglass.microscopy.indexing import ZoneSolution, index_fringes
from mofglass.microscopy.lattice import LatticeAnalysis, Reflection2D, analyse_lattice, bragg_filter
from mofglass.microscopy.micrograph import Micrograph
from mofglass.microscopy.readers import read_micrograph

__all__ = [
    "DomainMap",
    "LatticeAnalysis",
    "Micrograph",
    "PowerSpectrum",
    "Reflection2D",
    "Spot",
    "ZoneSolution",
    "analyse_lattice",
    "bragg_filter",
    "crystalline_domains",
    "find_spots",
    "index_fringes",
    "power_spectrum",
    "read_micrograph",
]
