"""Scattering computed from structures and atom models, on one fast pair engine.

Powder patterns (:func:`powder_pattern`), crystal and box PDFs with partials by element pair and
network kind (:func:`crystal_pdf`), total scattering S(Q), F(Q) (:func:`total_scattering`), Debye
intensities of finite models (:func:`debye_intensity`), the pair engine itself
(:func:`pair_histogram`) and readers of atom models (:func:`read_model`, :func:`iter_frames`).
Crystallites cut from a structure (:func:`crystallite` with a :class:`Sphere`, :class:`Spheroid`,
:class:`Polyhedron` or :class:`Mask`) scatter by exact lattice sums
(:func:`lattice_pair_histogram`), mixed with other atoms by :func:`mixed_pair_histogram`.
"""

from mofglass.scattering.crystallites import (
    Crystallite,
    crystallite,
    crystallite_model,
    lattice_pair_histogram,
)
from mofglass.scattering.debye import DebyeResult, debye_from_histogram, debye_intensity
from mofglass.scattering.envelopes import sphere_envelope, spheroid_envelope
from mofglass.scattering.formfactors import form_factor
from mofglass.scattering.mixed import mixed_pair_histogram
from mofglass.scattering.models import average_pdf, nanoparticle, supercell
from mofglass.scattering.models_io import iter_frames, read_model
from mofglass.scattering.pairs import PairHistogram, pair_histogram
from mofglass.scattering.pdf import PDFResult, crystal_pdf
from mofglass.scattering.peaks import label_peaks
from mofglass.scattering.shapes import Mask, Polyhedron, Sphere, Spheroid
from mofglass.scattering.total import TotalScattering, pdf_from_fq, total_scattering
from mofglass.scattering.xrd import PowderPattern, Reflections, powder_pattern, reflections

__all__ = [
    "Crystallite",
    "DebyeResult",
    "Mask",
    "PDFResult",
    "PairHistogram",
    "Polyhedron",
    "PowderPattern",
    "Reflections",
    "Sphere",
    "Spheroid",
    "TotalScattering",
    "average_pdf",
    "crystal_pdf",
    "crystallite",
    "crystallite_model",
    "debye_from_histogram",
    "debye_intensity",
    "form_factor",
    "iter_frames",
    "label_peaks",
    "lattice_pair_histogram",
    "mixed_pair_histogram",
    "nanoparticle",
    "pair_histogram",
    "pdf_from_fq",
    "powder_pattern",
    "read_model",
    "reflections",
    "sphere_envelope",
    "spheroid_envelope",
    "supercell",
    "total_scattering",
]
