"""One sample's total-scattering analysis: reduction, mixture fit and model features in one call.

:func:`analyse_sample` is what the ``pdf`` study technique runs on each manifest entry and what a
script calls on its own data:

1. the file is reduced to F(Q) and G(r) / D(r) with its first peaks
   (:func:`mofglass.totalscattering.analysis.analyse`);
2. with a crystal and a glass reference, the crystalline fraction is fitted as the weight of
   the crystal PDF in a linear combination of the two (:func:`~mofglass.totalscattering.
   compare.fit_mixture`; Egami & Billinge 2012, §5), the references reduced exactly like the
   sample;
3. with a structure model, its PDF partials by element pair and by intra- / inter-network
   pairs are computed (:func:`mofglass.scattering.crystal_pdf`, the probe's weights, no Qmax
   termination) and the sharp extrema of the measured curve below 8 Å are labelled by their
   dominant pairs (:func:`~mofglass.totalscattering.assign.assign_features`) - the analysis of
   the paper's Figure 4.

The result is a frozen :class:`PDFSampleResult` with ``rows()`` (first-peak positions, number
density, crystalline fraction), ``curves()`` and ``to_dict()`` / ``from_dict()``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from mofglass._renamed import renamed_keywords
from mofglass.results import Result, ResultRow, thin
from mofglass.totalscattering.analysis import PDFSummary, analyse
from mofglass.totalscattering.assign import PDFFeature, assign_features
from mofglass.totalscattering.compare import MixtureFit, fit_mixture
from mofglass.totalscattering.data import TotalScatteringData

if TYPE_CHECKING:
    from mofglass.structure.crystal import Crystal

__all__ = ["ModelPartials", "PDFSampleResult", "analyse_sample", "model_partials"]

#: Model partials are kept to this r (Å): the features are labelled below 8 Å.
_MODEL_RMAX_A = 10.0


@dataclass(frozen=True)
class ModelPartials(Result):
    """PDF partials of a structure model, by element pair and by network kind.

    Attributes
    ----------
    r_A : ndarray
        r grid, Å.
    pairs : dict
        Element pair (``"Cd-N"``) → pair part of G(r), Å⁻², with the probe's weights.
    network : dict
        ``intra`` / ``inter`` / ``other`` → pair part of G(r), Å⁻²; empty without labels.
    source : str
        Name of the model (its CIF).
    probe : str
        ``"xray"`` (form factors at Q = 0) or ``"neutron"`` (Sears lengths).
    """

    r_A: np.ndarray
    pairs: dict[str, np.ndarray] = field(default_factory=dict)
    network: dict[str, np.ndarray] = field(default_factory=dict)
    source: str = ""
    probe: str = "xray"
    method: str = "pair histogram of the model, Gaussian peaks (U_i + U_j), Faber-Ziman weights"


@renamed_keywords(rmax_A="r_max_A")
def model_partials(
    crystal: Crystal,
    *,
    probe: Literal["xray", "neutron"] = "xray",
    r_max_A: float = _MODEL_RMAX_A,
) -> tuple[ModelPartials, Any]:
    """Compute a model's partials by element pair and network kind, without termination.

    Parameters
    ----------
    crystal : Crystal
        The structure model (periodic).
    probe : {"xray", "neutron"}
        Weights: X-ray form factors at Q = 0 or Sears (1992) neutron lengths.
    r_max_A : float
        Largest r computed, Å.

    Returns
    -------
    tuple
        (:class:`ModelPartials`, the full :class:`mofglass.scattering.pdf.PDFResult` for
        :func:`~mofglass.totalscattering.assign.assign_features`).

    References
    ----------
    .. [1] D. A. Keen, J. Appl. Cryst. 34, 172 (2001) (Faber-Ziman partials and weights).
    """
    from mofglass.scattering import crystal_pdf
    from mofglass.structure import network_labels
    from mofglass.totalscattering.refine_model import neutron_lengths

    weights = neutron_lengths(sorted(set(crystal.species))) if probe == "neutron" else None
    pdf = crystal_pdf(
        crystal, r_max_A=r_max_A, rstep_A=0.01, labels=network_labels(crystal), scattering=weights
    )
    parts = ModelPartials(
        np.asarray(pdf.r_A),
        {k: np.asarray(v) for k, v in pdf.element_partials.items()},
        {k: np.asarray(v) for k, v in pdf.kind_partials.items()},
        str(getattr(crystal, "source", "") or ""),
        probe,
    )
    return parts, pdf


@dataclass(frozen=True)
class PDFSampleResult(Result):
    """Everything the total-scattering analysis of one sample file gives.

    Attributes
    ----------
    summary : PDFSummary
        F(Q), G(r) / D(r), first peaks, number density.
    mixture : MixtureFit or None
        Crystalline fraction from the crystal / glass references (None without them).
    features : list of PDFFeature
        Extrema below 8 Å labelled by the model's dominant pairs (empty without a model).
    model : ModelPartials or None
        The model's partials (for the Figure 4 view).
    temperature_C : float or None
        Sample temperature from the file's metadata, °C.
    warnings : tuple of str
        Results kept out of the rows, and why.
    """

    summary: PDFSummary
    mixture: MixtureFit | None = None
    features: list[PDFFeature] = field(default_factory=list)
    model: ModelPartials | None = None
    temperature_C: float | None = None
    warnings: tuple[str, ...] = ()
    method: str = "Keen (2001) conventions; mixture of reference PDFs; model partials"

    def rows(self, *, sample_id: str, technique: str, source: str = "") -> list[ResultRow]:
        """First-peak positions, the number density and the crystalline fraction as rows."""
        s = self.summary
        method = s.method + (f", Qmax {s.qmax_invA:.2f} Å⁻¹" if s.qmax_invA else "")
        out = [
            ResultRow(
                sample_id,
                f"pdf_peak{i}_r_A",
                p.position_A.value,
                p.position_A.stderr,
                "Å",
                technique,
                method,
                source,
            )
            for i, p in enumerate(s.peaks, start=1)
        ]
        rho = s.number_density_invA3
        if rho is not None:
            how = "composition and density" if rho.stderr is None else "low-r slope -4πρ0 r"
            out.append(
                ResultRow(
                    sample_id,
                    "number_density_invA3",
                    rho.value,
                    rho.stderr,
                    "Å⁻³",
                    technique,
                    how,
                    source,
                )
            )
        fit = self.mixture
        if fit is not None and mixture_is_reportable(fit):
            x = fit.crystalline_fraction
            out.append(
                ResultRow(
                    sample_id,
                    "crystalline_fraction",
                    x.value,
                    x.stderr,
                    "",
                    technique,
                    f"{fit.method}, Rw {fit.rw:.3f}",
                    source,
                )
            )
        return out

    def curves(self, max_points: int = 2000) -> dict[str, Any]:
        """r, G(r)/D(r) and (reciprocal-space input) Q, F(Q), thinned, JSON-ready."""
        s = self.summary
        out: dict[str, Any] = {"r_A": thin(s.r_A, max_points), "pdf": thin(s.pdf, max_points)}
        if s.q_invA is not None and s.fq is not None:
            out.update(q_invA=thin(s.q_invA, max_points), fq=thin(s.fq, max_points))
        return out


def mixture_is_reportable(fit: MixtureFit) -> bool:
    """Tell whether a mixture fit gives a fraction (not failed, not at its bound 0 or 1)."""
    x = fit.crystalline_fraction
    return fit.converged and x.stderr is not None and 1e-4 < x.value < 1 - 1e-4


@renamed_keywords(feature_rmax_A="feature_r_max_A")
def analyse_sample(
    data: TotalScatteringData,
    *,
    crystal_reference: TotalScatteringData | None = None,
    glass_reference: TotalScatteringData | None = None,
    mixture_r_range_A: tuple[float, float] = (1.0, 20.0),
    model: Crystal | None = None,
    probe: Literal["xray", "neutron"] = "xray",
    feature_r_max_A: float = 8.0,
    **reduction: Any,
) -> PDFSampleResult:
    """Reduce one file, fit its crystalline fraction and label its features by a model.

    Parameters
    ----------
    data : TotalScatteringData
        The sample's file as read.
    crystal_reference, glass_reference : TotalScatteringData, optional
        The two references of the mixture fit (both or neither), reduced like ``data``.
    mixture_r_range_A : tuple of float
        r range of the mixture fit, Å.
    model : Crystal, optional
        Structure model whose partials label the features below ``feature_r_max_A``.
    probe : {"xray", "neutron"}
        Weights of the model's partials.
    feature_r_max_A : float
        Features are searched up to this r, Å.
    **reduction
        Keyword options of :func:`~mofglass.totalscattering.analysis.analyse` (``qmax_invA``,
        ``lorch``, ``formula``, ``density_g_cm3``, ``background``, ``background_scale``,
        ``r_max_A``, ``compton``, ``breit_dirac_exponent``); the references get the same
        ones without the background and density.

    Returns
    -------
    PDFSampleResult

    References
    ----------
    .. [1] D. A. Keen, J. Appl. Cryst. 34, 172 (2001).
    .. [2] T. Egami, S. J. L. Billinge, Underneath the Bragg Peaks, 2nd ed. (2012), §5.
    """
    summary = analyse(data, **reduction)
    notes: list[str] = []
    mixture = None
    if crystal_reference is not None and glass_reference is not None:
        mixture = _mixture(
            summary, crystal_reference, glass_reference, mixture_r_range_A, reduction
        )
        if not mixture_is_reportable(mixture):
            x = mixture.crystalline_fraction.value
            notes.append(
                f"crystalline fraction not reported: the mixture fit "
                f"{'failed' if not mixture.converged else f'sits at its bound ({x:.3g})'}"
            )
    parts = None
    features: list[PDFFeature] = []
    if model is not None:
        parts, pdf = model_partials(model, probe=probe)
        features = assign_features(summary.r_A, summary.pdf, pdf, r_max_A=feature_r_max_A)
    temperature = data.metadata.get("temperature_C")
    return PDFSampleResult(
        summary,
        mixture,
        features,
        parts,
        None if temperature is None else float(temperature),
        tuple(notes),
    )


def _mixture(
    summary: PDFSummary,
    crystal: TotalScatteringData,
    glass: TotalScatteringData,
    r_range_A: tuple[float, float],
    reduction: dict[str, Any],
) -> MixtureFit:
    """Reduce both references like the sample and fit the sample as their combination."""
    opts = {k: v for k, v in reduction.items() if k not in ("background", "density_g_cm3")}
    opts.pop("background_scale", None)
    refs = [analyse(d, **opts) for d in (crystal, glass)]
    r = summary.r_A
    c, g = (np.interp(r, s.r_A, s.pdf) for s in refs)
    return fit_mixture(r, summary.pdf, c, g, r_range_A=r_range_A)
