"""Scattering computed from structures and atom models, on one fast pair engine.

Powder patterns (:func:`powder_pattern`), crystal and box PDFs with partials by element pair and
network kind (:func:`crystal_pdf`), total scattering S(Q), F(Q) (:func:`total_scattering`), Debye
intensities of finite models (:func:`debye_intensity`), the pair engine itself
(:func:`pair_histogram`) and readers of atom models (:func:`read_model`, :func:`iter_frames`).
"""

from mofglass.scattering.debye import DebyeResult, debye_intensity
from mofglass.scattering.envelopes import sphere_envelope, spheroid_envelope
from mofglass.scattering.formfactors import form_factor
from mofglass.scattering.models import average_pdf, nanoparticle, supercell
from mofglass.scattering.models_io import iter_frames, read_model
from mofglass.scattering.pairs import PairHistogram, pair_histogram
from mofglass.scattering.pdf import PDFResult, crystal_pdf
from mofglass.scattering.peaks import label_peaks
from mofglass.scattering.total import TotalScattering, pdf_from_fq, total_scattering
from mofglass.scattering.xrd import PowderPattern, Reflections, powder_pattern, reflections

__all__ = [
    "DebyeResult",
    "PDFResult",
    "PairHistogram",
    "PowderPattern",
    "Reflections",
    "TotalScattering",
    "average_pdf",
    "crystal_pdf",
    "debye_intensity",
    "form_factor",
    "iter_frames",
    "label_peaks",
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
