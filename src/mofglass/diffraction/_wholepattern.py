"""Numerical kernel of the whole-pattern (Pawley / Le Bail) fit.

Numerical kernel of the whole-pattern (Pawley / Le Bail) fit: peak positions, the profile
function and the sparse design matrix. Private: :mod:`mofglass.diffraction.pawley` is the API.

Profile (all angles in degrees 2θ), for reflection k at 2θ_k:

* position: 2θ_k + zero + D cos θ_k (D: specimen-displacement coefficient of Bragg-Brentano
  geometry, D = -2 s / R in radians for a sample displaced by s on a goniometer of radius R
  [4]_; converted to degrees);
* Thompson-Cox-Hastings pseudo-Voigt [1]_ with Gaussian FWHM² = U tan²θ + V tanθ + W
  (Caglioti [2]_) and Lorentzian FWHM = X tanθ + Y / cosθ, plus the sample's Lorentzian size
  and strain breadths of :mod:`mofglass.crystallography.broadening`;
* asymmetry by the Bérar-Baldinozzi correction [3]_ (a documented simpler model than
  Finger-Cox-Jephcoat): profile × [1 + (P1 Fa(z) + P2 Fb(z)) / tan 2θ], z = (2θ - 2θ_k)/FWHM,
  Fa(z) = 2 z exp(-z²), Fb(z) = 2 (2 z² - 3) Fa(z); both are odd in z, so areas are kept;
  the cot 2θ dependence is that of axial divergence (asymmetry changes sign at 90°; FullProf's
  P3, P4 terms), and P/tan 2θ is clipped to ±0.9 (Fa) and ±0.2 (Fb) near 2θ = 0;
* Kα2: every reflection is the weighted sum of its Kα1 and Kα2 images.

References
----------
.. [1] P. Thompson, D. E. Cox, J. B. Hastings, J. Appl. Cryst. 20 (1987) 79-83.
.. [2] G. Caglioti, A. Paoletti, F. P. Ricci, Nucl. Instrum. 3 (1958) 223-228.
.. [3] J.-F. Bérar, G. Baldinozzi, J. Appl. Cryst. 26 (1993) 128-129.
.. [4] H. P. Klug, L. E. Alexander, X-ray Diffraction Procedures, 2nd ed. (1974), §5-2.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numba import njit

from mofglass.crystallography.broadening import LORENTZ_FWHM_PER_BETA, tch_fwhm_eta

__all__ = [
    "ProfileState",
    "inverse_d_squared",
    "model_jacobian",
    "peak_widths",
    "profile_matrix",
    "profile_sum",
]

_LN2 = np.log(2.0)


@dataclass(frozen=True)
class ProfileState:
    """Values of the nonlinear profile parameters at one step of the fit (degrees 2θ)."""

    zero: float = 0.0
    displacement: float = 0.0
    u: float = 0.0
    v: float = 0.0
    w: float = 1e-4
    x: float = 0.0
    y: float = 0.0
    asym1: float = 0.0
    asym2: float = 0.0
    inv_size_per_nm: float = 0.0
    strain: float = 0.0
    k_factor: float = 1.0


def inverse_d_squared(hkl: np.ndarray, params: tuple[float, ...]) -> np.ndarray:
    """1/d² (Å⁻²) of each row of ``hkl`` for cell ``(a, b, c, α, β, γ)`` (reciprocal metric)."""
    a, b, c, al, be, ga = params
    ca, cb, cg = (np.cos(np.radians(t)) for t in (al, be, ga))
    g = np.array(
        [
            [a * a, a * b * cg, a * c * cb],
            [a * b * cg, b * b, b * c * ca],
            [a * c * cb, b * c * ca, c * c],
        ]
    )
    gs = np.linalg.inv(g)
    return np.einsum("ni,ij,nj->n", hkl, gs, hkl)


def _tch(fg: np.ndarray, fl: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """TCH total FWHM and Lorentzian fraction η (clipped to [0, 1])."""
    fw, eta = tch_fwhm_eta(fg, fl)
    return fw, np.clip(eta, 0.0, 1.0)


def peak_widths(
    two_theta_deg: np.ndarray, st: ProfileState, wavelength_A: float
) -> tuple[np.ndarray, np.ndarray]:
    """Gaussian and Lorentzian FWHM (degrees) at the given peak positions."""
    th = np.deg2rad(two_theta_deg) / 2
    t = np.tan(th)
    fg = np.sqrt(np.maximum(st.u * t * t + st.v * t + st.w, 1e-12))
    fl = st.x * t + st.y / np.cos(th)
    if st.inv_size_per_nm or st.strain:
        beta = np.rad2deg(
            st.k_factor * wavelength_A * st.inv_size_per_nm / 10.0 / np.cos(th)
            + 4.0 * st.strain * t
        )
        fl = fl + beta * LORENTZ_FWHM_PER_BETA
    return fg, np.maximum(fl, 0.0)


@njit(cache=True)
def _fill(x, c, fw, eta, a1, a2, lo, hi, col, weight, inten, rows, cols, vals, out, offset):
    """Fill profile values of peaks as sparse triplets or into a sum.

    Profile values of peaks (centre c, FWHM fw, Lorentz fraction eta, asymmetry a1, a2 =
    P/tanθ) over x[lo:hi]: into (rows, cols, vals) from ``offset`` when ``out`` is empty,
    else accumulated as inten[col] * value into ``out``.
    """
    g0 = np.sqrt(4 * _LN2 / np.pi)
    k = offset
    accumulate = out.size > 0
    for j in range(c.size):
        f = fw[j]
        e = eta[j]
        amp = weight if not accumulate else weight * inten[col[j]]
        for i in range(lo[j], hi[j]):
            z = (x[i] - c[j]) / f
            z2 = z * z
            v = e * (2 / (np.pi * f)) / (1 + 4 * z2) + (1 - e) * g0 / f * np.exp(-4 * _LN2 * z2)
            if a1[j] != 0.0 or a2[j] != 0.0:
                fa = 2 * z * np.exp(-z2)
                v *= 1 + a1[j] * fa + a2[j] * 2 * (2 * z2 - 3) * fa
            if accumulate:
                out[i] += amp * v
            else:
                rows[k] = i
                cols[k] = col[j]
                vals[k] = amp * v
                k += 1
    return k


def _peaks(
    x: np.ndarray,
    inv_d2: np.ndarray,
    lam: float,
    st: ProfileState,
    window_fwhm: float,
    broaden: float,
) -> tuple[np.ndarray, ...]:
    s = lam * np.sqrt(inv_d2) / 2
    col = np.nonzero(s < 1)[0]
    th = np.arcsin(s[col])
    c = np.rad2deg(2 * th) + st.zero + st.displacement * np.cos(th)
    fg, fl = peak_widths(np.rad2deg(2 * th), st, lam)
    fw, eta = _tch(fg * broaden, fl * broaden)
    lo = np.searchsorted(x, c - window_fwhm * fw)
    hi = np.searchsorted(x, c + window_fwhm * fw)
    a1, a2 = _asym(th, st)
    return c, fw, eta, a1, a2, lo, hi, col


def _triplets(
    x: np.ndarray,
    inv_d2: np.ndarray,
    lines: tuple[tuple[float, float], ...],
    st: ProfileState,
    window_fwhm: float,
    broaden: float,
    inten: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    peaks = [_peaks(x, inv_d2, lam, st, window_fwhm, broaden) for lam, _ in lines]
    empty_f = np.zeros(0)
    if inten is not None:
        out = np.zeros(x.size)
        for (_lam, wgt), pk in zip(lines, peaks, strict=True):
            e_i = np.zeros(0, dtype=np.int64)
            _fill(x, *pk, wgt, inten, e_i, e_i, empty_f, out, 0)  # type: ignore[call-arg]
        return out, empty_f, empty_f
    n = int(sum(int(np.sum(pk[6] - pk[5])) for pk in peaks))
    rows = np.empty(n, dtype=np.int64)
    cols = np.empty(n, dtype=np.int64)
    vals = np.empty(n)
    k = 0
    for (_lam, wgt), pk in zip(lines, peaks, strict=True):
        k = _fill(x, *pk, wgt, empty_f, rows, cols, vals, empty_f, k)  # type: ignore[call-arg]
    return rows, cols, vals


def profile_matrix(
    x: np.ndarray,
    inv_d2: np.ndarray,
    lines: tuple[tuple[float, float], ...],
    st: ProfileState,
    *,
    window_fwhm: float = 15.0,
    broaden: float = 1.0,
) -> sp.csc_matrix:
    """Build the sparse design matrix of unit-area reflection profiles.

    Sparse (n_points, n_reflections) matrix: column k is reflection k's unit-area profile
    (per degree) on the grid ``x`` (increasing), all radiation lines included; ``broaden``
    scales every width (coarse-to-fine start of a fit).
    """
    r, c, v = _triplets(x, inv_d2, lines, st, window_fwhm, broaden)
    return sp.csc_matrix((v, (r, c)), shape=(x.size, inv_d2.size))


def profile_sum(
    x: np.ndarray,
    inv_d2: np.ndarray,
    lines: tuple[tuple[float, float], ...],
    st: ProfileState,
    intensities: np.ndarray,
    *,
    window_fwhm: float = 15.0,
    broaden: float = 1.0,
) -> np.ndarray:
    """Σ_k I_k profile_k(x) without building the matrix (for finite-difference Jacobians)."""
    return _triplets(x, inv_d2, lines, st, window_fwhm, broaden, intensities)[0]


@njit(cache=True)
def _fill_deriv(x, c, fw, eta, a1, a2, lo, hi, col, weight, rows, cols, der, offset):
    """Compute the derivatives of every profile value.

    Derivatives of each profile value with respect to its peak's centre, FWHM, η and the
    two asymmetry factors (columns of ``der``), with row/column indices as in :func:`_fill`.
    """
    g0 = np.sqrt(4 * _LN2 / np.pi)
    k = offset
    for j in range(c.size):
        f = fw[j]
        e = eta[j]
        for i in range(lo[j], hi[j]):
            z = (x[i] - c[j]) / f
            z2 = z * z
            q = 1 + 4 * z2
            lor = (2 / (np.pi * f)) / q
            gau = g0 / f * np.exp(-4 * _LN2 * z2)
            p0 = e * lor + (1 - e) * gau
            dp0 = e * lor * (-8 * z / q) + (1 - e) * gau * (-8 * _LN2 * z)  # dP0/dz
            ex = np.exp(-z2)
            fa = 2 * z * ex
            fb = 2 * (2 * z2 - 3) * fa
            dfa = 2 * ex * (1 - 2 * z2)
            dfb = 2 * (4 * z * fa + (2 * z2 - 3) * dfa)
            aq = 1 + a1[j] * fa + a2[j] * fb
            daq = a1[j] * dfa + a2[j] * dfb
            dz = dp0 * aq + p0 * daq
            rows[k] = i
            cols[k] = col[j]
            der[k, 0] = weight * dz * (-1 / f)
            der[k, 1] = weight * (-p0 * aq / f - dz * z / f)
            der[k, 2] = weight * (lor - gau) * aq
            der[k, 3] = weight * p0 * fa
            der[k, 4] = weight * p0 * fb
            k += 1
    return k


@njit(cache=True)
def _chain(rows, owner, der, dq, out):
    """out[row, j] += Σ_m der[k, m] dq[m, j, owner[k]] over all profile values k."""
    for k in range(rows.size):
        i = rows[k]
        o = owner[k]
        for j in range(dq.shape[1]):
            acc = 0.0
            for m in range(5):
                acc += der[k, m] * dq[m, j, o]
            out[i, j] += acc


def model_jacobian(
    x: np.ndarray,
    inv_d2_of: Callable[[dict[str, float]], np.ndarray],
    state_of: Callable[[dict[str, float]], ProfileState],
    values: dict[str, float],
    free: list[str],
    steps: dict[str, float],
    lines: tuple[tuple[float, float], ...],
    intensities: np.ndarray,
    *,
    window_fwhm: float = 15.0,
    broaden: float = 1.0,
) -> np.ndarray:
    """Compute the Jacobian of the calculated pattern at fixed intensities.

    ∂(Σ_k I_k profile_k)/∂p for the ``free`` parameters at fixed intensities, shape
    (len(x), len(free)): analytic in each peak's centre, width, η and asymmetry, chained with
    finite-difference derivatives of those per-reflection quantities (cheap: one value per
    reflection). ``inv_d2_of(values)`` gives 1/d² (Å⁻²) of every reflection of every phase.
    """
    out = np.zeros((x.size, len(free)))
    inv0 = inv_d2_of(values)
    st0 = state_of(values)
    for lam, weight in lines:
        pk = _peaks(x, inv0, lam, st0, window_fwhm, broaden)
        col = pk[7]
        n = int(np.sum(pk[6] - pk[5]))
        rows = np.empty(n, dtype=np.int64)
        cols = np.empty(n, dtype=np.int64)
        der = np.empty((n, 5))
        _fill_deriv(x, *pk, weight, rows, cols, der, 0)  # type: ignore[call-arg]
        q0 = np.stack(pk[:5])
        dq = np.empty((5, len(free), col.size))
        for j, name in enumerate(free):
            v = dict(values)
            v[name] += steps[name]
            inv_j = inv_d2_of(v)
            dq[:, j] = (np.stack(_peaks_at(inv_j, col, lam, state_of(v), broaden)) - q0) / steps[
                name
            ]
        dq *= intensities[col][None, None, :]
        owner = np.repeat(np.arange(col.size), pk[6] - pk[5])  # peak of each value (in order)
        _chain(rows, owner, der, np.ascontiguousarray(dq), out)
    return out


def _peaks_at(
    inv_d2: np.ndarray, col: np.ndarray, lam: float, st: ProfileState, broaden: float
) -> tuple[np.ndarray, ...]:
    th = np.arcsin(np.clip(lam * np.sqrt(inv_d2[col]) / 2, 0, 1 - 1e-15))
    c = np.rad2deg(2 * th) + st.zero + st.displacement * np.cos(th)
    fg, fl = peak_widths(np.rad2deg(2 * th), st, lam)
    fw, eta = _tch(fg * broaden, fl * broaden)
    return (c, fw, eta, *_asym(th, st))


def _asym(th: np.ndarray, st: ProfileState) -> tuple[np.ndarray, np.ndarray]:
    """Asymmetry factors P / tan 2θ, clipped so that the profile stays positive."""
    cot = 1 / np.tan(2 * th)
    return np.clip(st.asym1 * cot, -0.9, 0.9), np.clip(st.asym2 * cot, -0.2, 0.2)
