"""Thermal-expansion tensor from a series of unit cells, as PASCal computes it.

For cells (a, b, c, α, β, γ) at temperatures T_0 ... T_N the strain relative to the first
cell is computed in the orthogonal frame x ∥ a*, z ∥ c (IRE convention) [1]_: with A the matrix
whose columns are the lattice vectors and F = A_T A_0⁻¹,

* Lagrangian finite strain:  ε = ½ (F Fᵀ - I)
* Eulerian finite strain:    ε = ½ (H + Hᵀ + H Hᵀ), H = I - F⁻¹   (PASCal's definition)
* infinitesimal:             ε = ½ (G + Gᵀ), G = F - I (Lagrangian) or I - F⁻¹ (Eulerian).

Each ε is diagonalised; eigenvalues are ordered as at the second temperature (ascending) and
later ones matched to it by the permutation that best aligns the eigenvectors. Principal
coefficients α_i = dε_i/dT and α_V = (dV/dT) / V_0 come from straight-line least squares over
all points; their standard uncertainties are heteroscedasticity-consistent (HC0), as PASCal
reports them. Principal axes are given in crystal coordinates (UVW, normalised, largest
component positive) at the median temperature.

References
----------
.. [1] M. J. Cliffe, A. L. Goodwin, J. Appl. Cryst. 45 (2012) 1321-1329 (PASCal).
.. [2] M. Lertkiattrakul, M. L. Evans, M. J. Cliffe, J. Open Source Softw. 8 (2023) 5556.
.. [3] H. White, Econometrica 48 (1980) 817-838 (HC0 covariance).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar, Literal

import numpy as np

from mofglass.results import Measured, Result

__all__ = ["ExpansionResult", "orthogonal_cell", "strain_series", "thermal_expansion"]


def orthogonal_cell(params: Sequence[float]) -> np.ndarray:
    """Lattice vectors as columns (Å) in the frame x ∥ a*, z ∥ c (b in the yz plane)."""
    a, b, c = params[:3]
    al, be, ga = np.radians(params[3:6])
    cos_gs = (np.cos(al) * np.cos(be) - np.cos(ga)) / (np.sin(al) * np.sin(be))
    sin_gs = np.sqrt(1 - cos_gs**2)
    return np.array(
        [
            [a * np.sin(be) * sin_gs, 0.0, 0.0],
            [-a * np.sin(be) * cos_gs, b * np.sin(al), 0.0],
            [a * np.cos(be), b * np.cos(al), c],
        ]
    )


def strain_series(
    cells: np.ndarray,
    *,
    mode: Literal["lagrangian", "eulerian"] = "eulerian",
    finite: bool = True,
) -> np.ndarray:
    """Strain tensors (N, 3, 3) of cells (N, 6) relative to the first one (see module doc)."""
    mats = np.array([orthogonal_cell(c) for c in np.asarray(cells, dtype=float)])
    f = mats @ np.linalg.inv(mats[0])
    eye = np.eye(3)
    g = f - eye if mode == "lagrangian" else eye - np.linalg.inv(f)
    gt = np.transpose(g, (0, 2, 1))
    if finite:
        return 0.5 * (g + gt + g @ gt)
    return 0.5 * (g + gt)


def _hc0_line(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    """Intercept, slope and the slope's HC0 standard uncertainty of y = p0 + p1 x."""
    design = np.column_stack([np.ones_like(x), x])
    xtx_inv = np.linalg.inv(design.T @ design)
    p = xtx_inv @ design.T @ y
    r = y - design @ p
    meat = design.T @ (design * (r**2)[:, None])
    cov = xtx_inv @ meat @ xtx_inv
    return float(p[0]), float(p[1]), float(np.sqrt(max(cov[1, 1], 0.0)))


@dataclass(frozen=True)
class ExpansionResult(Result):
    """Principal thermal-expansion coefficients (MK⁻¹ = 10⁻⁶ K⁻¹) and axes.

    ``principal_strain`` is (N, 3) (fraction), ``axes_uvw`` (3, 3) rows = principal axes in
    crystal coordinates at the median temperature; ``volume_change_percent`` is the volume
    change between the first and last temperature.
    """

    temperature_K: np.ndarray
    principal_strain: np.ndarray
    alpha1_per_MK: Measured
    alpha2_per_MK: Measured
    alpha3_per_MK: Measured
    alpha_volume_per_MK: Measured
    axes_uvw: np.ndarray
    volume_A3: np.ndarray
    volume_change_percent: float
    strain_mode: str
    method: ClassVar[str] = "principal-axis strain, linear fit (Cliffe & Goodwin 2012, PASCal)"

    def report(self) -> str:
        """Text table of the principal coefficients and axes."""
        rows = [f"thermal expansion ({self.strain_mode} strain), principal axes at median T"]
        for i, m in enumerate((self.alpha1_per_MK, self.alpha2_per_MK, self.alpha3_per_MK)):
            u, v, w = self.axes_uvw[i]
            rows.append(f"  X{i + 1}: α = {m}   axis [{u:+.4f} {v:+.4f} {w:+.4f}]")
        rows.append(f"  V:  α = {self.alpha_volume_per_MK}")
        rows.append(
            f"  volume change {self.temperature_K[0]:g}-{self.temperature_K[-1]:g} K: "
            f"{self.volume_change_percent:+.2f} %"
        )
        return "\n".join(rows)


def thermal_expansion(
    temperature_K: Sequence[float] | np.ndarray,
    cells: np.ndarray | Sequence[Sequence[float]],
    *,
    mode: Literal["lagrangian", "eulerian"] = "eulerian",
    finite: bool = True,
) -> ExpansionResult:
    """Principal-axis thermal expansion of a variable-temperature series of cells.

    Parameters
    ----------
    temperature_K : sequence of float
        Temperatures (K), one per cell, increasing.
    cells : array (N, 6)
        a, b, c (Å), α, β, γ (degrees); the first is the reference.
    mode, finite
        Strain definition (PASCal's default: Eulerian, finite).

    Returns
    -------
    ExpansionResult
    """
    t = np.asarray(temperature_K, dtype=float)
    cl = np.asarray(cells, dtype=float)
    if cl.ndim != 2 or cl.shape[1] != 6 or cl.shape[0] != t.size or t.size < 3:
        raise ValueError("need >= 3 cells (N, 6) and one temperature per cell")
    eps = strain_series(cl, mode=mode, finite=finite)
    vals, vecs = np.linalg.eigh(eps)  # ascending eigenvalues, eigenvectors in columns
    perms = list(itertools.permutations(range(3)))
    for n in range(2, t.size):
        overlap = np.abs(vecs[1].T @ vecs[n])  # (ref axis, axis n)
        best = max(perms, key=lambda p: sum(overlap[i, p[i]] for i in range(3)))
        vals[n] = vals[n][list(best)]
        vecs[n] = vecs[n][:, list(best)]
    mats = np.array([orthogonal_cell(c) for c in cl])
    mid = int(np.ceil(t.size / 2)) - 1
    uvw = (np.linalg.inv(mats[mid]) @ vecs[mid]).T  # rows: axes in lattice coordinates
    uvw /= np.linalg.norm(uvw, axis=1)[:, None]
    big = np.argmax(np.abs(uvw), axis=1)
    uvw *= np.sign(uvw[np.arange(3), big])[:, None]
    alphas = []
    for i in range(3):
        _, slope, err = _hc0_line(t, vals[:, i])
        alphas.append(Measured(slope * 1e6, err * 1e6, "1/MK"))
    vol = np.abs(np.linalg.det(mats))
    _, vslope, verr = _hc0_line(t, vol)
    return ExpansionResult(
        temperature_K=t,
        principal_strain=vals,
        alpha1_per_MK=alphas[0],
        alpha2_per_MK=alphas[1],
        alpha3_per_MK=alphas[2],
        alpha_volume_per_MK=Measured(vslope / vol[0] * 1e6, verr / vol[0] * 1e6, "1/MK"),
        axes_uvw=uvw,
        volume_A3=vol,
        volume_change_percent=float(100 * (vol[-1] / vol[0] - 1)),
        strain_mode=f"{mode}, {'finite' if finite else 'infinitesimal'}",
    )
