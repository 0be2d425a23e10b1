"""Pair distribution functions of periodic structures and boxes: G(r), D(r), g(r) and partials.

One pass of the pair engine over the periodic structure (never a finite cut) gives the pair
histogram by (element, Uiso) type pair and network kind; each class is broadened by a Gaussian of
variance U_a + U_b (uncorrelated isotropic motion), weighted with X-ray Faber-Ziman weights at
Q = 0 (f = Z), then damped (Qdamp), multiplied by a particle envelope and terminated at Qmax.

Conventions (Keen 2001; Egami & Billinge 2012):

* R(r) = (1/N) Σ_i Σ_{j≠i} (f_i f_j / <f>²) δ(r - r_ij), the radial distribution function;
* G(r) = R(r)/r - 4π ρ0 r = 4π ρ0 r [g(r) - 1]  (Å⁻², the PDFgui / PDFgetX G(r));
* D(r) = <f>² G(r) (Keen's D(r), electrons² Å⁻², f = Z);
* partials are the pair parts R_part(r)/r, so that Σ partials = G(r) + 4π ρ0 r γ0(r).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Self

import numpy as np
from scipy.ndimage import gaussian_filter1d

from mofglass._renamed import renamed_keywords
from mofglass.errors import MofglassError
from mofglass.results import Result
from mofglass.scattering.debye import _types
from mofglass.scattering.formfactors import atomic_number
from mofglass.scattering.pairs import KINDS, PairHistogram, pair_histogram
from mofglass.structure import Crystal

__all__ = ["PDFResult", "crystal_pdf", "histogram_reach", "pdf_from_histogram", "terminate"]


@dataclass(frozen=True)
class PDFResult(Result):
    """A computed PDF with its partials.

    Attributes
    ----------
    r_A : ndarray
        r grid, Å.
    G : ndarray
        G(r) = 4πρ0 r [g(r) - 1], Å⁻².
    D : ndarray
        Keen's D(r) = <f>² G(r), electrons² Å⁻² (X-ray, f = Z).
    g : ndarray
        g(r) = 1 + G / (4πρ0 r) (0 at r = 0).
    number_density_invA3 : float
        ρ0, atoms per Å³.
    mean_f : float
        <f> = Σ c_a f_a.
    element_partials : dict
        Pair part of G by element pair ``"A-B"``.
    kind_partials : dict
        Pair part of G by network kind (``intra``, ``inter``, ``other``); empty without labels.
    element_kind_partials : dict
        By element pair and kind, ``"A-B/inter"``; empty without labels.
    weights : dict
        Faber-Ziman weight of each element pair (both orders summed).
    """

    r_A: np.ndarray
    G: np.ndarray
    D: np.ndarray
    g: np.ndarray
    number_density_invA3: float
    mean_f: float
    element_partials: dict[str, np.ndarray] = field(default_factory=dict)
    kind_partials: dict[str, np.ndarray] = field(default_factory=dict)
    element_kind_partials: dict[str, np.ndarray] = field(default_factory=dict)
    weights: dict[str, float] = field(default_factory=dict)
    qmax_invA: float | None = None
    q_damp_invA: float = 0.0
    method: str = "pair histogram, Gaussian peaks (U_i + U_j), Faber-Ziman X-ray weights at Q = 0"

    @property
    def qdamp_invA(self) -> float:
        """Return :attr:`q_damp_invA` (deprecated spelling, issue 11)."""
        warnings.warn(
            "PDFResult.qdamp_invA is deprecated; use q_damp_invA", DeprecationWarning, stacklevel=2
        )
        return self.q_damp_invA

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Self:
        """Rebuild from :meth:`to_dict` output, also from dicts written as ``qdamp_invA``."""
        if "qdamp_invA" in d and "q_damp_invA" not in d:
            d = {**d, "q_damp_invA": d["qdamp_invA"]}
        return super().from_dict(d)


def terminate(r_A: np.ndarray, curves: np.ndarray, qmax_invA: float) -> np.ndarray:
    """Apply the Qmax termination of a Fourier transform to functions of r.

    G_t(r) = (2/π) ∫_0^Qmax dQ sin(Qr) ∫_0^r_end G(r') sin(Qr') dr', i.e. the convolution of
    the odd extension of G with sin(Qmax r)/(π r). ``r_A`` must be uniform from near 0 and
    extend several 2π/Qmax beyond the range of interest.

    References
    ----------
    .. [1] T. Egami, S. J. L. Billinge, Underneath the Bragg Peaks, 2nd ed. (2012), §5.
    """
    from scipy.fft import dst, idst

    r = np.asarray(r_A, dtype=float)
    y = np.atleast_2d(np.asarray(curves, dtype=float))
    dr = r[1] - r[0]
    # DST-I takes samples at r_n = n dr, n = 1..N (the odd extension vanishes at r = 0);
    # zero-padding to twice the length keeps the periodic images away
    if abs(r[0] - round(r[0] / dr) * dr) > 1e-9 * dr:
        raise ValueError("terminate needs r on a grid n dr")
    k0 = round(r[0] / dr)
    n = k0 + r.size
    from scipy.fft import next_fast_len

    m = (next_fast_len(2 * (2 * n + 1), real=True) // 2) - 1  # DST-I of length m uses 2(m+1)
    padded = np.zeros((y.shape[0], m))
    padded[:, k0 - 1 + (k0 == 0) : n - 1] = y[:, (k0 == 0) :]
    spec = dst(padded, type=1, axis=-1)
    q = np.pi * np.arange(1, m + 1) / ((m + 1) * dr)
    spec[:, q > qmax_invA] = 0.0
    full = idst(spec, type=1, axis=-1)
    out = np.zeros_like(y)
    out[:, (k0 == 0) :] = full[:, k0 - 1 + (k0 == 0) : n - 1]
    return out.reshape(np.shape(curves))


@renamed_keywords(rmax_A="r_max_A", qdamp_invA="q_damp_invA")
def crystal_pdf(
    model: Crystal,
    *,
    r_max_A: float = 30.0,
    rstep_A: float = 0.01,
    rmin_A: float = 0.0,
    qmax_invA: float | None = None,
    q_damp_invA: float = 0.0,
    labels: np.ndarray | None = None,
    scattering: Mapping[str, float] | None = None,
    envelope_fn: object = None,
    number_density_invA3: float | None = None,
) -> PDFResult:
    """PDF of a periodic structure or box (all periodic images up to r_max_A).

    Parameters
    ----------
    model : Crystal
        Periodic structure (CIF, P1 after expansion) or periodic box; a finite model needs
        ``number_density_invA3``.
    r_max_A, rstep_A, rmin_A : float
        Output grid, Å.
    qmax_invA : float, optional
        Apply the termination of a measurement to Qmax (Å⁻¹); None for none.
    q_damp_invA : float
        Gaussian damping exp(-(Qdamp r)²/2) of the instrument resolution, Å⁻¹.
    labels : ndarray of int, optional
        Network index per atom (-1 outside any network) for the intra / inter split.
    scattering : mapping, optional
        Scattering power per element (default: X-ray, f = Z).
    envelope_fn : callable, optional
        γ0(r) of a particle shape (:mod:`mofglass.scattering.envelopes`), multiplied into G.
    number_density_invA3 : float, optional
        ρ0; default: atoms (Σ occupancy) per cell volume.

    References
    ----------
    .. [1] C. L. Farrow et al., J. Phys.: Condens. Matter 19, 335219 (2007) (PDFfit2 model).
    .. [2] D. A. Keen, J. Appl. Cryst. 34, 172 (2001) (G, D, g conventions).
    """
    if model.lattice_A is None and number_density_invA3 is None:
        raise MofglassError("a finite model needs number_density_invA3 (or use total_scattering)")
    t, elements, uiso = _types(model)
    occ = model.occupancy
    n = float(occ.sum())
    rho = number_density_invA3 if number_density_invA3 is not None else n / model.cell_volume_A3
    r_end, dh = histogram_reach(uiso, r_max_A=r_max_A, rstep_A=rstep_A, qmax_invA=qmax_invA)
    lab = None if labels is None else np.asarray(labels, dtype=np.int64)
    hist = pair_histogram(
        model.positions_A,
        r_max_A=r_end,
        dr_A=dh,
        types=t,
        labels=lab,
        weights=occ,
        lattice_A=model.lattice_A,
        spread="linear",
    )
    return pdf_from_histogram(
        hist,
        list(zip(elements, uiso, strict=True)),
        r_max_A=r_max_A,
        rstep_A=rstep_A,
        rmin_A=rmin_A,
        qmax_invA=qmax_invA,
        q_damp_invA=q_damp_invA,
        scattering=scattering,
        envelope_fn=envelope_fn,
        number_density_invA3=float(rho),
        kinds=lab is not None,
    )


@renamed_keywords(rmax_A="r_max_A")
def histogram_reach(
    uiso_A2: np.ndarray, *, r_max_A: float, rstep_A: float, qmax_invA: float | None
) -> tuple[float, float]:
    """Pair distance (Å) and step (Å) of the histogram behind a PDF up to r_max_A.

    The histogram reaches past r_max_A by 5 σ of the widest pair (σ² = U_a + U_b) and the ripple
    length of the termination at Qmax; its step divides ``rstep_A`` and is at most 0.005 Å.
    """
    u = np.asarray(uiso_A2, dtype=float)
    sigma_max = float(np.sqrt(2.0 * u.max())) if u.size else 0.0
    ext = 5.0 * sigma_max + (0.0 if qmax_invA is None else max(5.0, 40.0 / qmax_invA))
    return r_max_A + ext + 1.0, rstep_A / max(1, int(np.ceil(rstep_A / 0.005)))


@renamed_keywords(rmax_A="r_max_A", qdamp_invA="q_damp_invA")
def pdf_from_histogram(
    hist: PairHistogram,
    types: Sequence[tuple[str, float]],
    *,
    r_max_A: float,
    rstep_A: float,
    rmin_A: float = 0.0,
    qmax_invA: float | None = None,
    q_damp_invA: float = 0.0,
    scattering: Mapping[str, float] | None = None,
    envelope_fn: object = None,
    number_density_invA3: float,
    kinds: bool = False,
) -> PDFResult:
    """PDF from a pair histogram (``spread="linear"``) of a periodic box or structure.

    Parameters
    ----------
    hist : PairHistogram
        Pairs up to at least :func:`histogram_reach` (e.g. from
        :func:`~mofglass.scattering.mixed.periodic_mixed_pair_histogram`).
    types : sequence of (element, Uiso in Å²)
        The atom type of each type index of ``hist``.
    number_density_invA3 : float
        ρ0, atoms per Å³.
    kinds : bool
        Also give the partials by network kind.

    Other parameters are those of :func:`crystal_pdf`.
    """
    elements = [str(e) for e, _ in types]
    uiso = np.array([float(u) for _, u in types])
    sigma = np.sqrt(uiso[:, None] + uiso[None, :])
    dh = hist.dr_A
    n = hist.n_atoms
    rho = number_density_invA3
    w_type = hist.type_weight
    lab = True if kinds else None
    scat = {
        e: float(scattering[e]) if scattering and e in scattering else float(atomic_number(e))
        for e in set(elements)
    }
    mean_f = float(sum(w_type[k] * scat[e] for k, e in enumerate(elements)) / n)

    rf = hist.r_A
    with np.errstate(divide="ignore", invalid="ignore"):
        inv_r = np.where(rf > 0, 1.0 / rf, 0.0)
    el_parts: dict[str, np.ndarray] = {}
    kind_parts: dict[str, np.ndarray] = {}
    ek_parts: dict[str, np.ndarray] = {}
    for c, (a, b) in enumerate(hist.class_types):
        fa, fb = scat[elements[a]], scat[elements[b]]
        key = "-".join(sorted((elements[a], elements[b])))
        wgt = fa * fb / mean_f**2
        sig = float(sigma[a, b]) / dh
        for kd in range(3):
            cnt = hist.counts[c, kd]
            if not cnt.any():
                continue
            dens = cnt * (2.0 * wgt / (n * dh))
            if sig > 0.3:
                dens = gaussian_filter1d(dens, sig, mode="constant", truncate=6.0)
            part = dens * inv_r
            el_parts[key] = el_parts.get(key, 0.0) + part
            if lab is not None:
                kind_parts[KINDS[kd]] = kind_parts.get(KINDS[kd], 0.0) + part
                ek = f"{key}/{KINDS[kd]}"
                ek_parts[ek] = ek_parts.get(ek, 0.0) + part
    baseline = 4.0 * np.pi * rho * rf
    env = np.ones_like(rf) if envelope_fn is None else np.asarray(envelope_fn(rf))  # type: ignore[operator]
    damp = np.exp(-((q_damp_invA * rf) ** 2) / 2.0) * env

    def finish(y: np.ndarray) -> np.ndarray:
        y = y * damp
        if qmax_invA is not None:
            y = terminate(rf, y, qmax_invA)
        return y

    names = (
        [("e", k) for k in el_parts]
        + [("k", k) for k in kind_parts]
        + [("ek", k) for k in ek_parts]
    )
    stack = np.array(
        [{"e": el_parts, "k": kind_parts, "ek": ek_parts}[g][k] for g, k in names] + [baseline]
    ).reshape(len(names) + 1, -1)
    done = finish(stack)
    r_out = np.arange(rmin_A, r_max_A + rstep_A / 2, rstep_A)
    out = np.array([np.interp(r_out, rf, y) for y in done])
    pair_total = out[[i for i, (g, _) in enumerate(names) if g == "e"]].sum(axis=0)
    G = pair_total - out[-1]
    result_parts: dict[str, dict[str, np.ndarray]] = {"e": {}, "k": {}, "ek": {}}
    for i, (g, k) in enumerate(names):
        result_parts[g][k] = out[i]
    with np.errstate(divide="ignore", invalid="ignore"):
        g_r = np.where(r_out > 0, 1.0 + G / (4 * np.pi * rho * r_out), 0.0)
    pair_w = {}
    for key in el_parts:
        e1, e2 = key.split("-")
        ca = sum(w_type[k] for k, e in enumerate(elements) if e == e1) / n
        cb = sum(w_type[k] for k, e in enumerate(elements) if e == e2) / n
        pair_w[key] = (1.0 if e1 == e2 else 2.0) * ca * cb * scat[e1] * scat[e2] / mean_f**2
    return PDFResult(
        r_out,
        G,
        mean_f**2 * G,
        g_r,
        float(rho),
        mean_f,
        result_parts["e"],
        result_parts["k"],
        result_parts["ek"],
        pair_w,
        qmax_invA,
        q_damp_invA,
    )
