"""Reduction of measured X-ray total scattering: I(Q) → S(Q) → F(Q) → G(r) → D(r).

Conventions (Keen 2001, Faber-Ziman):

* S(Q) = [α I(Q) - <f²>] / <f>² + 1, with <f²> = Σ c_a f_a², <f> = Σ c_a f_a;
* F(Q) = Q [S(Q) - 1] (Å⁻¹), the reduced structure function;
* G(r) = (2/π) ∫ F(Q) M(Q) sin(Qr) dQ = 4πρ0 r [g(r) - 1] (Å⁻²), M the Lorch function;
* Keen's D(r) = (2/π) ∫ Q F_K(Q) sin(Qr) dQ with his F_K(Q) = <f>² [S(Q) - 1] in the units
  of its source (GudrunX writes F_K per atom in the normalisation of its .int01 files); for
  a Faber-Ziman S(Q) normalised by <f>², D(r) and G(r) coincide up to that factor.

Compton (incoherent) scattering enters :func:`normalise_xray` as ``incoherent`` per atom, from
:func:`mofglass.totalscattering.compton.compton_scattering` (xraylib's Hubbell tables);
:func:`mofglass.totalscattering.analysis.analyse` subtracts it by default.
"""

from __future__ import annotations

import numpy as np

from mofglass._renamed import renamed_keywords
from mofglass.composition import Composition
from mofglass.errors import AnalysisError
from mofglass.scattering.formfactors import form_factor_table
from mofglass.scattering.total import pdf_from_fq
from mofglass.totalscattering.data import TotalScatteringData

__all__ = [
    "AVOGADRO",
    "atomic_fractions",
    "density_from_low_r",
    "fq_from_data",
    "normalise_xray",
    "number_density",
    "reduced_pdf",
    "subtract_background",
    "xray_mean_factors",
]

AVOGADRO = 6.02214076e23


def subtract_background(
    sample: TotalScatteringData, background: TotalScatteringData, *, scale: float = 1.0
) -> TotalScatteringData:
    """I_sample - scale · I_background, the background interpolated onto the sample's x.

    Both must be ``kind="intensity"`` on the same x axis kind.
    """
    names = f"{sample.source} - {background.source}"
    if sample.kind != "intensity" or background.kind != "intensity":
        raise AnalysisError(
            f"{names}: background subtraction needs two intensity curves, "
            f"got {sample.kind} and {background.kind}"
        )
    if sample.x_kind != background.x_kind:
        raise AnalysisError(
            f"{names}: x axes differ ({sample.x_kind} vs {background.x_kind}); give both in Q "
            "or both in 2θ with the same wavelength"
        )
    bg = np.interp(sample.x, background.x, background.y, left=np.nan, right=np.nan)
    if np.isnan(bg).any():
        raise AnalysisError(
            f"{names}: the background ({background.x.min():.4g}-{background.x.max():.4g}) does "
            f"not cover the sample's x range ({sample.x.min():.4g}-{sample.x.max():.4g})"
        )
    meta = dict(sample.metadata)
    meta["background"] = {"source": background.source, "scale": scale}
    return sample.replace(y=np.asarray(sample.y) - scale * bg, metadata=meta)


def atomic_fractions(composition: Composition | str) -> dict[str, float]:
    """Atomic fractions c_a of a formula (``"Zn(im)2"`` → Zn 1/17, C 6/17, ...)."""
    comp = Composition.from_formula(composition) if isinstance(composition, str) else composition
    total = float(sum(comp.counts.values()))
    return {k: float(v) / total for k, v in comp.counts.items()}


def xray_mean_factors(
    composition: Composition | str, q_invA: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """<f>(Q) and <f²>(Q) of a composition with the IT Vol. C form factors.

    References
    ----------
    .. [1] T. E. Faber, J. M. Ziman, Phil. Mag. 11, 153 (1965).
    .. [2] International Tables for Crystallography Vol. C, Table 6.1.1.4.
    """
    c = atomic_fractions(composition)
    els = sorted(c)
    f = form_factor_table(els, np.asarray(q_invA, dtype=float))
    w = np.array([c[e] for e in els])[:, None]
    return (w * f).sum(axis=0), (w * f**2).sum(axis=0)


def number_density(composition: Composition | str, density_g_cm3: float) -> float:
    """ρ0 in atoms Å⁻³ from a formula and a mass density in g cm⁻³."""
    comp = Composition.from_formula(composition) if isinstance(composition, str) else composition
    atoms = float(sum(comp.counts.values()))
    return density_g_cm3 * AVOGADRO * atoms / comp.molar_mass_g_mol * 1e-24


def normalise_xray(
    data: TotalScatteringData,
    composition: Composition | str,
    *,
    number_density_invA3: float = 0.0,
    qmin_invA: float | None = None,
    incoherent: np.ndarray | None = None,
) -> TotalScatteringData:
    """S(Q) from a background-subtracted X-ray I(Q) by the Krogh-Moe–Norman integral.

    α = [∫ Q² (<f²> + C) dQ - 2π² ρ0 <f>²(0)] / ∫ Q² I(Q) dQ over the measured range, then
    S(Q) = [α I - <f²> - C] / <f>² + 1, C the incoherent (Compton) scattering per atom.
    With ρ0 = 0 (default) this is the density-free high-Q limit (exact as Qmax → ∞), the usual choice when the density is unknown.

    Parameters
    ----------
    data : TotalScatteringData
        ``kind="intensity"`` in Q (or 2θ with a wavelength); polarisation and absorption
        corrections are assumed done.
    composition : Composition or str
        Formula of the sample.
    number_density_invA3 : float
        ρ0, atoms Å⁻³, for the Norman term; 0 for the density-free version.
    qmin_invA : float, optional
        Ignore data below this Q.
    incoherent : ndarray, optional
        Compton scattering per atom in electron units on the data's Q grid (after the
        Breit-Dirac factor), e.g. from :func:`~mofglass.totalscattering.compton.
        compton_scattering`; default none. Without it the light-element high-Q intensity is
        mis-normalised (S(Q) rises above 1: 1.9 at 15-20 Å⁻¹ for Glassure's Mg2SiO4 glass).

    References
    ----------
    .. [1] J. Krogh-Moe, Acta Cryst. 9, 951 (1956).
    .. [2] N. Norman, Acta Cryst. 10, 370 (1957).
    """
    if data.kind != "intensity":
        raise AnalysisError(f"normalisation needs an intensity, got kind {data.kind!r}")
    q = data.q_invA
    keep = q >= (qmin_invA if qmin_invA is not None else -np.inf)
    q, y = q[keep], np.asarray(data.y)[keep]
    mean_f, mean_f2 = xray_mean_factors(composition, q)
    if incoherent is not None:
        mean_f2 = mean_f2 + np.asarray(incoherent, dtype=float)[keep]
    f0 = xray_mean_factors(composition, np.zeros(1))[0][0]
    num = np.trapezoid(q**2 * mean_f2, q) - 2.0 * np.pi**2 * number_density_invA3 * f0**2
    den = np.trapezoid(q**2 * y, q)
    if den <= 0:
        raise AnalysisError("∫ Q² I(Q) dQ ≤ 0: is the background over-subtracted?")
    alpha = num / den
    s = (alpha * y - mean_f2) / mean_f**2 + 1.0
    meta = dict(data.metadata)
    meta.update(
        {
            "alpha": float(alpha),
            "normalisation": "Krogh-Moe-Norman",
            "rho0": number_density_invA3,
            "compton": incoherent is not None,
        }
    )
    return TotalScatteringData(q, s, "q_invA", "S", None, data.wavelength_A, meta, data.source)


def usable_q_range(
    q_invA: np.ndarray, intensity: np.ndarray, *, edge_window_invA: float = 1.0, drop: float = 0.75
) -> tuple[float, float]:
    """Find the Q range of a raw intensity that holds measured data (padding and edges cut).

    Two things at the ends of a raw I(Q) are not scattering and must not enter the
    normalisation or the sine transform:

    1. runs of exactly zero (or negative) intensity that reduction programs write where there
       is no data (PDFgetX2 pads its ``.iq`` files with zeros beyond the detector);
    2. the roll-off at the detector or mask edge at high Q, where the counts fall to zero
       over a few points. The last point is cut while it lies below ``drop`` times the
       median intensity of the ``edge_window_invA`` wide window 1-2 windows inside it: at
       high Q the intensity is the smooth self scattering <f²> + Compton, which changes by
       far less than 25 % over 2 Å⁻¹. The low-Q end is only cleared of padding, as the
       intensity there may be low for a physical reason (S(Q → 0) of a liquid or glass).

    Left in, both make S(Q) jump by several units at the edge, and the sine transform turns
    that step into ripples of period 2π/Qmax that the peak finder reads as peaks (PDFgetX2's
    ``ni.iq``: "peaks" at 1.03 and 1.32 Å instead of Ni's 2.49 Å).

    Parameters
    ----------
    q_invA, intensity : ndarray
        Q (Å⁻¹, increasing) and the raw intensity.
    edge_window_invA : float
        Width of the reference window inside each end, Å⁻¹.
    drop : float
        Fraction of the window's median below which an end point is taken as roll-off.

    Returns
    -------
    tuple of float
        (qmin, qmax) in Å⁻¹ of the data to use.

    References
    ----------
    .. [1] P. Juhás et al., J. Appl. Cryst. 46, 560 (2013) (the usable range, qmaxinst, of
       PDFgetX3).
    """
    q = np.asarray(q_invA, dtype=float)
    y = np.asarray(intensity, dtype=float)
    good = np.flatnonzero(np.isfinite(y) & (y > 0))
    if good.size < 10:
        raise AnalysisError("fewer than 10 points of positive intensity: nothing to reduce")
    lo, hi = int(good[0]), int(good[-1])
    while hi - lo > 10:
        inside = (q >= q[hi] - 2 * edge_window_invA) & (q < q[hi] - edge_window_invA)
        if inside.sum() < 3 or y[hi] >= drop * np.median(y[inside]):
            break
        hi -= 1
    return float(q[lo]), float(q[hi])


def fq_from_data(data: TotalScatteringData) -> tuple[np.ndarray, np.ndarray]:
    """(Q, F(Q) = Q[S - 1]) from data of kind ``S``, ``i`` or ``F``."""
    q = data.q_invA
    y = np.asarray(data.y, dtype=float)
    if data.kind == "S":
        return q, q * (y - 1.0)
    if data.kind == "i":
        return q, q * y
    if data.kind == "F":
        return q, y
    raise AnalysisError(f"{data.source}: need S(Q), S-1 or F(Q), got kind {data.kind!r}")


def reduced_pdf(
    data: TotalScatteringData,
    *,
    r_A: np.ndarray | None = None,
    qmin_invA: float = 0.0,
    qmax_invA: float | None = None,
    lorch: bool = True,
) -> TotalScatteringData:
    """G(r) (or Keen's D(r) for GudrunX ``i`` data) by the sine transform of F(Q).

    Calls :func:`mofglass.scattering.total.pdf_from_fq` (trapezoid sine transform with the
    Lorch function M(Q) = sinc(πQ/Qmax)). For ``kind="i"`` from GudrunX the result is in the
    units of Keen's D(r) and is returned as ``kind="D"``; otherwise ``kind="G"``.

    References
    ----------
    .. [1] E. Lorch, J. Phys. C 2, 229 (1969).
    .. [2] D. A. Keen, J. Appl. Cryst. 34, 172 (2001).
    """
    q, f = fq_from_data(data)
    qmax = float(q.max()) if qmax_invA is None else float(qmax_invA)
    if qmax <= qmin_invA:
        raise AnalysisError("qmax must exceed qmin")
    r = np.arange(0.01, 30.0, 0.01) if r_A is None else np.asarray(r_A, dtype=float)
    g = pdf_from_fq(q, f, r, qmin_invA=qmin_invA, qmax_invA=qmax, lorch=lorch)
    meta = dict(data.metadata)
    meta.update({"qmax_invA": qmax, "qmin_invA": qmin_invA, "lorch": lorch})
    kind = "D" if data.kind == "i" else "G"
    return TotalScatteringData(r, g, "r_A", kind, None, None, meta, data.source)


@renamed_keywords(rmax_A="r_max_A")
def density_from_low_r(r_A: np.ndarray, g: np.ndarray, *, r_max_A: float) -> tuple[float, float]:
    """ρ0 (atoms Å⁻³) and its standard error from the slope G(r) = -4πρ0 r below r_max_A.

    r_max_A must lie below the first interatomic distance (no atom pairs there). Termination
    ripples bias the slope; use Lorch-modified G(r).

    References
    ----------
    .. [1] D. A. Keen, J. Appl. Cryst. 34, 172 (2001), eq. for G(r → 0).
    """
    r = np.asarray(r_A, dtype=float)
    m = (r > 0) & (r <= r_max_A)
    if m.sum() < 3:
        raise AnalysisError("fewer than 3 points below r_max_A")
    x, y = r[m], np.asarray(g, dtype=float)[m]
    slope = float(np.dot(x, y) / np.dot(x, x))
    resid = y - slope * x
    se = float(np.sqrt(np.sum(resid**2) / (x.size - 1) / np.dot(x, x)))
    return -slope / (4.0 * np.pi), se / (4.0 * np.pi)
