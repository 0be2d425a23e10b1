"""X-ray scattering of finite models by the Debye equation: exact, or through a pair histogram.

I(Q) = Σ_i Σ_j f_i(Q) f_j(Q) sin(Q r_ij) / (Q r_ij), self terms included (electrons²).
The exact route sums every pair (small models); the histogram route spreads every pair linearly
onto a distance grid of step dr (one pass of the pair engine) and sums the grid, with a
per-pair error of at most (Q dr)² / 24 (linear interpolation of sinc, whose second derivative is
bounded by 1/3).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from mofglass.results import Result
from mofglass.scattering import _engine
from mofglass.scattering.crystallites import (
    Crystallite,
    crystallite_model,
    crystallite_of,
    lattice_pair_histogram,
)
from mofglass.scattering.formfactors import form_factor_table
from mofglass.scattering.pairs import KINDS, PairHistogram, _n_chunks, pair_histogram
from mofglass.structure import Crystal

__all__ = [
    "DebyeResult",
    "debye_from_histogram",
    "debye_intensity",
    "histogram_bin_error",
    "sinc_sums",
]

EXACT_MAX_ATOMS = 4000


@dataclass(frozen=True)
class DebyeResult(Result):
    """Debye intensity of a finite model.

    Attributes
    ----------
    q_invA : ndarray
        Q grid, Å⁻¹.
    intensity : ndarray
        I(Q) = Σ_ij f_i f_j sinc(Q r_ij), electrons² (self terms included).
    self_intensity : ndarray
        Σ_i w_i f_i², electrons².
    partials : dict of str to ndarray
        Distinct-pair part by element pair ``"A-B"`` (both orders summed); they add up to
        ``intensity - self_intensity``.
    mean_f2 : ndarray
        <f>² = (Σ c_a f_a)² for the normalisation S(Q) = 1 + (I - self) / (N <f>²).
    n_atoms : float
        Σ w over atoms.
    route : str
        ``"exact"``, ``"histogram"`` or ``"lattice"``.
    bin_error : float
        Upper bound of the relative error per pair term, (Q_max dr)² / 24 (0 for exact).
    kind_partials : dict of str to ndarray
        Distinct-pair part by network kind (``intra``, ``inter``, ``other``) when network
        labels were given (histogram and lattice routes); they also add up to
        ``intensity - self_intensity``.
    """

    q_invA: np.ndarray
    intensity: np.ndarray
    self_intensity: np.ndarray
    partials: dict[str, np.ndarray] = field(default_factory=dict)
    mean_f2: np.ndarray = field(default_factory=lambda: np.zeros(0))
    n_atoms: float = 0.0
    route: str = "exact"
    bin_error: float = 0.0
    kind_partials: dict[str, np.ndarray] = field(default_factory=dict)
    method: str = "Debye (1915) scattering equation; IT Vol. C form factors"

    @property
    def structure_factor(self) -> np.ndarray:
        """S(Q) = 1 + (I - Σ w f²) / (N <f>²) (Faber-Ziman normalisation)."""
        return 1.0 + (self.intensity - self.self_intensity) / (self.n_atoms * self.mean_f2)

    @property
    def reduced_structure_factor(self) -> np.ndarray:
        """F(Q) = Q [S(Q) - 1], Å⁻¹."""
        return self.q_invA * (self.structure_factor - 1.0)


def histogram_bin_error(q_max_invA: float, dr_A: float) -> float:
    """Bound of |Δ sinc| per pair when pairs are spread linearly onto a grid of step dr_A."""
    return float((q_max_invA * dr_A) ** 2 / 24.0)


def sinc_sums(weights: np.ndarray, r_A: np.ndarray, q_invA: np.ndarray) -> np.ndarray:
    """Σ_n H_n sin(Q r_n)/(Q r_n) for rows of node weights H on a uniform grid r_n.

    On a uniform Q grid the sum Σ_n (H_n / r_n) exp(i Q_k r_n) is a chirp z-transform
    (Rabiner et al. 1969): O((n_nodes + n_q) log(n_nodes + n_q)) per row by FFTs, exact to
    round-off. A non-uniform Q grid goes through :func:`_sinc_sums_blocked`.

    Parameters
    ----------
    weights : ndarray, shape (n_rows, n_nodes)
    r_A : ndarray, shape (n_nodes,), uniform, starting at any r >= 0
    q_invA : ndarray, shape (n_q,)

    References
    ----------
    .. [1] L. R. Rabiner, R. W. Schafer, C. M. Rader, IEEE Trans. Audio Electroacoust. 17, 86
       (1969) (chirp z-transform).
    """
    h = np.atleast_2d(np.asarray(weights, dtype=float))
    r = np.asarray(r_A, dtype=float)
    q = np.asarray(q_invA, dtype=float)
    n = h.shape[1]
    dq = float(q[-1] - q[0]) / (q.size - 1) if q.size > 1 else 1.0
    if q.size < 2 or n < 2 or not np.allclose(np.diff(q), dq, rtol=1e-9, atol=1e-12):
        return _sinc_sums_blocked(h, r, q)
    dr = float(r[1] - r[0])
    at_zero = r == 0
    with np.errstate(divide="ignore", invalid="ignore"):
        v = np.where(at_zero, 0.0, h / np.where(at_zero, 1.0, r))
    x = _czt(v, q.size, dq * dr, float(q[0]) * dr)
    s = (x * np.exp(1j * q * float(r[0]))).imag
    qs = np.where(q == 0, 1.0, q)
    res = s / qs + h[:, at_zero].sum(axis=1)[:, None]
    res[:, q == 0] = h.sum(axis=1)[:, None]
    return res


def _czt(v: np.ndarray, m: int, theta: float, phi: float) -> np.ndarray:
    """X_k = Σ_n v_n exp(i (phi n + theta n k)) for k < m, rows of v, by Bluestein's FFTs.

    n k = (n² + k² - (k - n)²) / 2 turns the sum into a convolution with the chirp
    exp(-i theta j² / 2); the phases theta n² / 2 are formed in float64 (n² is exact).
    """
    from scipy import fft

    n = v.shape[-1]
    length = fft.next_fast_len(n + m - 1)
    kn = np.arange(max(n, m), dtype=float)
    chirp = np.exp(0.5j * theta * kn**2)
    pre = np.exp(1j * phi * kn[:n]) * chirp[:n]
    kern = np.zeros(length, dtype=complex)
    kern[:m] = np.conj(chirp[:m])
    kern[length - n + 1 :] = np.conj(chirp[1:n][::-1])
    fk = fft.fft(kern)
    out = np.empty((v.shape[0], m), dtype=complex)
    for row in range(v.shape[0]):  # one row at a time bounds the memory to a few FFT lengths
        conv = fft.ifft(fft.fft(v[row] * pre, n=length) * fk)
        out[row] = conv[:m] * chirp[:m]
    return out


def _sinc_sums_blocked(h: np.ndarray, r: np.ndarray, q: np.ndarray) -> np.ndarray:
    """:func:`sinc_sums` for any Q grid.

    The nodes are split as r_n = r_c + r_f (coarse plus fine), so that
    sin(Q r_n) = sin(Q r_c) cos(Q r_f) + cos(Q r_c) sin(Q r_f) turns the sum into matrix
    products with O((C + B) n_q) sines instead of O(n_nodes n_q).
    """
    n_rows, n = h.shape
    dr = r[1] - r[0] if n > 1 else 1.0
    b = max(1, int(np.ceil(np.sqrt(n))))
    c = int(np.ceil(n / b))
    v = np.zeros((n_rows, c * b))
    rr = r[0] + dr * np.arange(c * b)
    safe = np.where(rr > 0, rr, 1.0)
    v[:, :n] = np.where(rr[:n] > 0, h / safe[:n], 0.0)
    at_zero = h[:, r == 0].sum(axis=1) if np.any(r == 0) else np.zeros(n_rows)
    v3 = v.reshape(n_rows, c, b)
    rf = dr * np.arange(b)
    rc = r[0] + dr * b * np.arange(c)
    cos_f, sin_f = np.cos(np.outer(rf, q)), np.sin(np.outer(rf, q))
    out = np.zeros((n_rows, q.size))
    step = max(1, int(2e7 // max(1, n_rows * q.size)))
    for s in range(0, c, step):
        e = min(c, s + step)
        qc = np.outer(rc[s:e], q)
        out += np.einsum("cq,rcq->rq", np.sin(qc), v3[:, s:e] @ cos_f)
        out += np.einsum("cq,rcq->rq", np.cos(qc), v3[:, s:e] @ sin_f)
    qs = np.where(q == 0, 1.0, q)
    res = out / qs + at_zero[:, None]
    res[:, q == 0] = h.sum(axis=1)[:, None]
    return res


def _types(model: Crystal) -> tuple[np.ndarray, list[str], np.ndarray]:
    """Atom types = distinct (element, Uiso); returns type per atom, element and Uiso per type.

    Types are ordered by element, then Uiso (rounded to 1e-8 Å²).
    """
    el, el_idx = np.unique(np.asarray(model.species, dtype=str), return_inverse=True)
    uu, u_idx = np.unique(np.round(np.asarray(model.uiso_A2, dtype=float), 8), return_inverse=True)
    codes, t = np.unique(el_idx.ravel() * uu.size + u_idx.ravel(), return_inverse=True)
    elements = [str(el[c // uu.size]) for c in codes]
    return t.ravel().astype(np.int64), elements, uu[codes % uu.size]


def debye_intensity(
    model: Crystal | Crystallite,
    q_invA: np.ndarray,
    *,
    route: str = "auto",
    dr_A: float | None = None,
    form_factors: Mapping[str, np.ndarray] | None = None,
    displacements: bool = True,
    labels: np.ndarray | None = None,
) -> DebyeResult:
    """X-ray Debye intensity of a finite model (a cluster or nanoparticle).

    Parameters
    ----------
    model : Crystal or Crystallite
        Atoms; the lattice (if any) is ignored: the atoms are taken as one finite object. A
        :class:`~mofglass.scattering.crystallites.Crystallite` (or a model made from one by
        :func:`~mofglass.scattering.crystallites.crystallite_model`) can use lattice sums.
    q_invA : ndarray
        Uniform Q grid, Å⁻¹.
    route : {"auto", "exact", "histogram", "lattice"}
        ``"auto"``: lattice sums for a known crystallite when they are cheaper than all pairs
        (:meth:`~mofglass.scattering.crystallites.Crystallite.lattice_sums_pay`), else exact
        for at most 4000 atoms, else histogram. ``"lattice"`` is the histogram route with the pair histogram from
        :func:`~mofglass.scattering.crystallites.lattice_pair_histogram` (same result).
    dr_A : float, optional
        Grid step of the histogram route; default min(0.005, 0.03 / Q_max) Å, which bounds the
        error per pair by 3.75e-5.
    form_factors : mapping, optional
        Element to f(Q) on ``q_invA`` (overrides the IT Vol. C table).
    displacements : bool
        Damp each pair term by exp(-Q² (U_i + U_j) / 2) with the atoms' Uiso.
    labels : ndarray of int, optional
        Network index of every atom (-1 outside any network; for a
        :class:`~mofglass.scattering.crystallites.Crystallite`, of every atom of its periodic
        structure) for ``kind_partials``; needs the histogram or lattice route.

    Returns
    -------
    DebyeResult

    References
    ----------
    .. [1] P. Debye, Ann. Phys. 351, 809 (1915).
    .. [2] B. D. Hall, J. Appl. Phys. 87, 1666 (2000) (histogram approximation of the Debye sum).
    """
    q = np.asarray(q_invA, dtype=float)
    cryst = crystallite_of(model)
    if route == "auto" and cryst is not None and cryst.lattice_sums_pay():
        route = "lattice"
    if route == "lattice" and cryst is None:
        raise ValueError("route 'lattice' needs a crystallite (see scattering.crystallites)")
    if isinstance(model, Crystallite) and route != "lattice":
        model = crystallite_model(model)
    basis = cryst.crystal if route == "lattice" and cryst is not None else model
    assert isinstance(basis, Crystal)
    t, elements, uiso = _types(basis)
    pos = basis.positions_A
    w = basis.occupancy
    n_types = len(elements)
    f_type = _type_form_factors(elements, q, form_factors)
    if route == "auto":
        small = basis.n_atoms <= EXACT_MAX_ATOMS and labels is None
        route = "exact" if small else "histogram"
    if route == "exact":
        ctab = np.zeros((n_types, n_types), dtype=np.int64)
        pairs = [(a, b) for a in range(n_types) for b in range(a, n_types)]
        for c, (a, b) in enumerate(pairs):
            ctab[a, b] = ctab[b, a] = c
        dq = float(q[-1] - q[0]) / (q.size - 1) if q.size > 1 else 1.0
        if q.size > 1 and not np.allclose(np.diff(q), dq, rtol=1e-4, atol=1e-9):
            raise ValueError("the exact route needs a uniform Q grid")
        x, y, z = (np.ascontiguousarray(pos[:, k]) for k in range(3))
        sums = _engine.debye_exact(
            x, y, z, t, w, ctab, float(q[0]), dq, q.size, len(pairs), _n_chunks()
        )
        class_types = np.array(pairs, dtype=np.int64).reshape(-1, 2)
        err = 0.0
    elif route in ("histogram", "lattice"):
        dr = dr_A if dr_A is not None else min(0.005, 0.03 / max(float(q.max()), 1e-6))
        lab = None
        if labels is not None:
            lab = _basis_labels(np.asarray(labels, dtype=np.int64), model, cryst, route)
        if cryst is not None and route == "lattice":
            hist = lattice_pair_histogram(cryst, dr_A=dr, types=t, labels=lab, spread="linear")
            w = w * cryst.site_counts  # weight of each basis atom in the self terms
        else:
            hist = pair_histogram(
                pos, r_max_A=None, dr_A=dr, types=t, labels=lab, weights=w, spread="linear"
            )
        sums = sinc_sums(hist.counts.sum(axis=1), hist.r_A, q)
        class_types = hist.class_types
        err = histogram_bin_error(float(q.max()), dr)
    else:
        raise ValueError("route must be 'auto', 'exact', 'histogram' or 'lattice'")
    w_type = np.bincount(t, weights=w, minlength=n_types)
    res = _assemble(q, sums, class_types, elements, uiso, f_type, w_type, displacements, route, err)
    if labels is not None and route in ("histogram", "lattice"):
        for kd, name in enumerate(KINDS):
            rows = hist.counts[:, kd]
            if rows.any():
                part = _assemble(
                    q, sinc_sums(rows, hist.r_A, q), class_types, elements, uiso, f_type,
                    w_type, displacements, route, err,
                )  # fmt: skip
                res.kind_partials[name] = part.intensity - part.self_intensity
    return res


def _basis_labels(
    labels: np.ndarray, model: object, cryst: Crystallite | None, route: str
) -> np.ndarray:
    """Labels per atom of the route's atoms (basis atoms for lattice sums)."""
    if cryst is not None and route != "lattice" and labels.size == cryst.crystal.n_atoms:
        return np.repeat(labels, cryst.site_counts)  # all pairs over the crystallite's atoms
    if route != "lattice" or cryst is None or labels.size == cryst.crystal.n_atoms:
        return labels
    # a model made by crystallite_model: atoms grouped by basis atom
    counts = cryst.site_counts
    if labels.size != counts.sum():
        raise ValueError("labels need one value per atom")
    first = np.concatenate([[0], np.cumsum(counts)[:-1]])
    basis = np.where(counts > 0, labels[np.minimum(first, labels.size - 1)], -1)
    if not np.array_equal(np.repeat(basis, counts), labels):
        raise ValueError("the labels differ between copies of one basis atom")
    return basis


def _type_form_factors(
    elements: Sequence[str], q: np.ndarray, overrides: Mapping[str, np.ndarray] | None
) -> np.ndarray:
    """Return f(Q) of each atom type, shape (n_types, n_q); each element is tabulated once."""
    unique_el = sorted(set(elements))
    ftab = form_factor_table(unique_el, q, overrides=overrides)
    return ftab[[unique_el.index(e) for e in elements]]


def _assemble(
    q: np.ndarray,
    sums: np.ndarray,
    class_types: np.ndarray,
    elements: list[str],
    uiso: np.ndarray,
    f_type: np.ndarray,
    w_type: np.ndarray,
    displacements: bool,
    route: str,
    err: float,
) -> DebyeResult:
    """I(Q) from the sinc sums per type-pair class, the self terms and <f>²."""
    partials: dict[str, np.ndarray] = {}
    for c, (a, b) in enumerate(class_types):
        term = 2.0 * f_type[a] * f_type[b] * sums[c]
        if displacements:
            term = term * np.exp(-(q**2) * (uiso[a] + uiso[b]) / 2.0)
        key = "-".join(sorted((elements[a], elements[b])))
        partials[key] = partials.get(key, 0.0) + term
    self_i = (w_type[:, None] * f_type**2).sum(axis=0)
    n = float(w_type.sum())
    mean_f = (w_type[:, None] * f_type).sum(axis=0) / n
    distinct = np.sum(list(partials.values()), axis=0) if partials else np.zeros_like(q)
    return DebyeResult(q, self_i + distinct, self_i, partials, mean_f**2, n, route, err)


def debye_from_histogram(
    hist: PairHistogram,
    types: Sequence[tuple[str, float]],
    q_invA: np.ndarray,
    *,
    form_factors: Mapping[str, np.ndarray] | None = None,
    displacements: bool = True,
    route: str = "histogram",
) -> DebyeResult:
    """Debye intensity from a pair histogram made with ``spread="linear"``.

    Parameters
    ----------
    hist : PairHistogram
        E.g. from :func:`mofglass.scattering.mixed.mixed_pair_histogram`.
    types : sequence of (element, Uiso in Å²)
        The atom type of each type index of ``hist``.
    q_invA : ndarray
        Q grid, Å⁻¹.
    """
    if hist.spread != "linear":
        raise ValueError("the Debye sum needs a histogram with spread='linear'")
    q = np.asarray(q_invA, dtype=float)
    elements = [str(e) for e, _ in types]
    uiso = np.array([float(u) for _, u in types])
    f_type = _type_form_factors(elements, q, form_factors)
    sums = sinc_sums(hist.counts.sum(axis=1), hist.r_A, q)
    err = histogram_bin_error(float(q.max()), hist.dr_A)
    return _assemble(
        q, sums, hist.class_types, elements, uiso, f_type, hist.type_weight, displacements,
        route, err,
    )  # fmt: skip
