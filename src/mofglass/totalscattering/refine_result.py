"""Results of :func:`mofglass.totalscattering.refine.refine_pdf`: parameters with flags, Rw, curves."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from mofglass.results import Measured, Result, ResultRow, format_value, thin_step

__all__ = ["FitParameter", "PDFFitResult", "result_summary"]

_UNITS = {"a": "Å", "b": "Å", "c": "Å", "alpha": "°", "beta": "°", "gamma": "°", "delta1": "Å"}


def _unit(name: str) -> str:
    base = name.rsplit(".", 1)[-1]
    if base.startswith(("Uiso", "U11", "U22", "U33", "U12", "U13", "U23")) or base == "delta2":
        return "Å²"
    if base in ("qdamp", "qbroad"):
        return "Å⁻¹"
    if base.endswith("_A"):
        return "Å"
    return _UNITS.get(base, "")


@dataclass(frozen=True)
class FitParameter:
    """One model parameter after the fit.

    ``flag`` is "" for a well-determined refined value, else why it is not one
    (``"at lower bound"``, ``"at upper bound"``, ``"undetermined"``, ``"fixed"``, ``"= <name>"``).
    """

    name: str
    value: float
    stderr: float | None
    unit: str
    refined: bool
    flag: str = ""

    @property
    def measured(self) -> Measured:
        """The value with its s.u. and unit."""
        return Measured(self.value, self.stderr, self.unit)


@dataclass(frozen=True)
class PDFFitResult(Result):
    """Outcome of :func:`refine_pdf`; curves on the fit range."""

    parameters: tuple[FitParameter, ...]
    rw: float
    reduced_chi_square: float
    r_A: np.ndarray
    g_obs: np.ndarray
    g_calc: np.ndarray
    phase_g: dict[str, np.ndarray]
    fit_range_A: tuple[float, float]
    qmax_invA: float | None
    probe: str
    success: bool
    message: str
    n_evaluations: int
    warnings: tuple[str, ...] = ()
    source: str = ""
    method: str = field(
        default="small-box PDF refinement, PDFfit2 model (Farrow et al. 2007) on the pair engine"
    )

    @property
    def reduced_chi2(self) -> float:
        """Deprecated alias of :attr:`reduced_chi_square` (one name per concept)."""
        warnings.warn(
            "reduced_chi2 is deprecated; use reduced_chi_square", DeprecationWarning, stacklevel=2
        )
        return self.reduced_chi_square

    def parameter(self, name: str) -> FitParameter:
        """Return the parameter called ``name`` (KeyError if none)."""
        for p in self.parameters:
            if p.name == name:
                return p
        raise KeyError(name)

    def value(self, name: str) -> float:
        """Return the value of the parameter called ``name``."""
        return self.parameter(name).value

    def rows(self, *, sample_id: str, technique: str, source: str = "") -> list[ResultRow]:
        """One row per well-determined refined parameter, plus Rw (flagged ones are left out).

        A failed fit gives no rows.
        """
        if not self.success:
            return []
        out = [
            ResultRow(
                sample_id,
                f"pdf_fit.{p.name}",
                p.value,
                p.stderr,
                p.unit,
                technique,
                self.method,
                source,
            )
            for p in self.parameters
            if p.refined and not p.flag and self.success
        ]
        out.append(
            ResultRow(sample_id, "pdf_fit.Rw", self.rw, None, "", technique, self.method, source)
        )
        return out

    def curves(self, max_points: int | None = None) -> dict[str, Any]:
        """r, G_obs, G_calc, difference and each phase's part, on the fit range.

        Every point by default; every k-th point when ``max_points`` is given.
        """
        out = {"r_A": self.r_A, "G_obs": self.g_obs, "G_calc": self.g_calc}
        out["G_diff"] = self.g_obs - self.g_calc
        out.update({f"G_{k}": v for k, v in self.phase_g.items()})
        if max_points is not None:
            step = thin_step(self.r_A.size, max_points)
            out = {k: np.asarray(v)[::step] for k, v in out.items()}
        return out

    def report(self) -> str:
        """Plain-text summary: Rw, every parameter with its s.u. or flag, the warnings."""
        lines = [
            f"PDF refinement of {self.source or 'data'} ({self.probe}, "
            f"{self.fit_range_A[0]:g}-{self.fit_range_A[1]:g} Å, Qmax "
            f"{self.qmax_invA if self.qmax_invA else 'none'}): Rw = {self.rw:.4f}"
            + ("" if self.success else f"  FAILED: {self.message}")
        ]
        for p in self.parameters:
            val = format_value(p.value, p.stderr) if p.refined else f"{p.value:.6g}"
            lines.append(
                f"  {p.name:<22} {val} {p.unit}".rstrip() + (f"   [{p.flag}]" if p.flag else "")
            )
        lines += [f"  warning: {w}" for w in self.warnings]
        return "\n".join(lines)


def result_summary(res: PDFFitResult) -> dict[str, Any]:
    """Compact JSON summary (parameters by name, Rw, flags) for the CLI."""
    return {
        "source": res.source,
        "rw": res.rw,
        "reduced_chi_square": res.reduced_chi_square,
        "success": res.success,
        "message": res.message,
        "fit_range_A": list(res.fit_range_A),
        "qmax_invA": res.qmax_invA,
        "probe": res.probe,
        "parameters": {
            p.name: {
                "value": p.value,
                "stderr": p.stderr,
                "unit": p.unit,
                "refined": p.refined,
                "flag": p.flag,
            }
            for p in res.parameters
        },
        "warnings": list(res.warnings),
    }
