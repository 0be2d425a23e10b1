"""Small-box real-space refinement of structure models against a measured G(r) (PDFgui-like).

Parameters (names used by ``refine``, ``start``, ``constraints``; prefixed ``<phase>.`` when
several phases are refined): per phase ``scale``, the free cell parameters of its crystal
system (``a``, ``b``, ``c``, ``alpha``, ``beta``, ``gamma``), ``Uiso_<El>`` per element (Å²)
for isotropic atoms, and for the sites a CIF gives anisotropic ADPs (read by
:func:`mofglass.totalscattering.adp.load_phase`) their free CIF components ``U11_<site>``,
``U33_<site>``, ... (Å²; the others follow from the site symmetry, see
:func:`~mofglass.totalscattering.adp.site_constraints`), ``delta1`` (Å), ``delta2`` (Å²), ``diameter_A`` (sphere or spheroid equatorial diameter) and
``polar_diameter_A`` (spheroid); for the data set ``qdamp`` and ``qbroad`` (Å⁻¹).
Group names in ``refine``: ``scale``, ``lattice``, ``Uiso``, ``Uaniso``, ``delta1``, ``delta2``,
``diameter``, ``qdamp``, ``qbroad``.

The fit minimises Σ w (G_obs - G_calc)² over the fit range (w = 1/σ² when the file gives σ,
else 1) with scipy's trust-region least squares; Rw = [Σ w (G_obs - G_calc)² / Σ w G_obs²]^½
(PDFfit2's definition). Standard uncertainties come from the Jacobian at the minimum scaled by
the reduced χ² (adjacent G(r) points are correlated, so they are lower bounds).

References
----------
.. [1] C. L. Farrow et al., J. Phys.: Condens. Matter 19, 335219 (2007) (PDFfit2, PDFgui).
.. [2] T. Proffen, S. J. L. Billinge, J. Appl. Cryst. 32, 572 (1999) (PDFFIT, Rw).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from mofglass.errors import MofglassError
from mofglass.scattering.pdf import terminate
from mofglass.structure import Crystal
from mofglass.totalscattering.data import TotalScatteringData
from mofglass.totalscattering.refine_model import (
    PhaseCalculator,
    PhaseModel,
    envelope,
    neutron_lengths,
    phase_model,
    xray_weights,
)
from mofglass.totalscattering.refine_result import (
    FitParameter,
    PDFFitResult,
    _unit,
    result_summary,
)

__all__ = ["FitParameter", "PDFFitResult", "refine_pdf", "result_summary"]

_GROUPS = (
    "scale",
    "lattice",
    "Uiso",
    "Uaniso",
    "delta1",
    "delta2",
    "diameter",
    "qdamp",
    "qbroad",
)
_UANISO = re.compile(r"^U(11|22|33|12|13|23)_")


@dataclass
class _Par:
    name: str
    value: float
    lower: float
    upper: float
    refined: bool = False
    tie: str | None = None


def _phase_pars(ph: PhaseModel, prefix: str, shape: str, start_d: float) -> list[_Par]:
    pars = [_Par(prefix + "scale", 1.0, 0.0, np.inf)]
    for k in ph.free_cell:
        v = ph.cell[k]
        lo, hi = (0.8 * v, 1.2 * v) if k in ("a", "b", "c") else (v - 20.0, v + 20.0)
        pars.append(_Par(prefix + k, v, lo, hi))
    aniso_only = set()
    if ph.aniso is not None:
        iso = ph.aniso.site < 0
        aniso_only = {e for k, e in enumerate(ph.elements) if not iso[ph.types == k].any()}
        for name, site, comp in ph.aniso.parameter_names():
            lo = 1e-5 if comp < 3 else -0.5
            pars.append(_Par(prefix + name, float(ph.aniso.u_start[site, comp]), lo, 0.5))
    for e in ph.elements:
        if e not in aniso_only:
            pars.append(_Par(f"{prefix}Uiso_{e}", ph.uiso_A2[e], 1e-5, 0.5))
    pars += [_Par(prefix + "delta1", 0.0, 0.0, 5.0), _Par(prefix + "delta2", 0.0, 0.0, 50.0)]
    if shape in ("sphere", "spheroid"):
        pars.append(_Par(prefix + "diameter_A", start_d, 5.0, 2000.0))
    if shape == "spheroid":
        pars.append(_Par(prefix + "polar_diameter_A", start_d, 5.0, 2000.0))
    return pars


def _matches(name: str, key: str) -> bool:
    base = name.rsplit(".", 1)[-1]
    if key == name or key == base:
        return True
    groups = {
        "lattice": base in ("a", "b", "c", "alpha", "beta", "gamma"),
        "Uiso": base.startswith("Uiso_"),
        "Uaniso": bool(_UANISO.match(base)),
        "diameter": base.endswith("diameter_A"),
    }
    return groups.get(key, False)


def refine_pdf(
    data: TotalScatteringData,
    phases: Sequence[Crystal | PhaseModel],
    *,
    probe: str = "xray",
    qmax_invA: float | None = None,
    fit_range_A: tuple[float, float] = (1.5, 30.0),
    refine: Sequence[str] = ("scale", "lattice", "Uiso", "delta2", "qdamp"),
    start: Mapping[str, float] | None = None,
    constraints: Mapping[str, str] | None = None,
    shape: str = "none",
    max_evaluations: int = 2000,
) -> PDFFitResult:
    """Refine one or several periodic phases against a measured G(r) (PDFgui / PDFfit2 model).

    Parameters
    ----------
    data : TotalScatteringData
        Measured G(r) (``kind="G"``, r in Å, the PDFgui convention); σ used as weights if given.
    phases : sequence of Crystal or PhaseModel
        Structure models (CIF, symmetry-expanded); fractional coordinates are kept fixed.
    probe : {"xray", "neutron"}
        Weights f = Z (X-ray at Q = 0) or Sears b_c (neutron, ``periodictable``).
    qmax_invA : float, optional
        Qmax of the measurement's transform (termination ripples); default: the file's header.
    fit_range_A : (float, float)
        r range of the fit, Å.
    refine : sequence of str
        Parameters or groups to refine (see module docstring); the rest stay at their start.
    start : mapping, optional
        Starting values by parameter name (e.g. ``{"qdamp": 0.04, "diameter_A": 40}``).
    constraints : mapping, optional
        ``{name: other}`` ties parameter ``name`` equal to ``other`` (e.g. ``Uiso_S: Uiso_Cd``).
    shape : {"none", "sphere", "spheroid"}
        Particle envelope of every phase (PDFfit2's ``spdiameter`` for "sphere").
    max_evaluations : int
        Bound on model evaluations; reaching it is reported as a failed fit.

    Returns
    -------
    PDFFitResult
    """
    from scipy.optimize import least_squares

    if not phases:
        raise MofglassError("at least one phase is needed")
    probe = probe.lower().replace("-", "")
    if probe not in ("xray", "neutron"):
        raise MofglassError(f"probe must be xray or neutron, got {probe!r}")
    warnings: list[str] = []
    qmax = qmax_invA if qmax_invA is not None else data.metadata.get("qmax_invA")
    if qmax is None:
        warnings.append("no Qmax given or in the file header: termination ripples not modelled")
    lo, hi = fit_range_A
    r, g_obs, w, dr, note = _fit_window(data, lo, hi)
    warnings += note
    models = [p if isinstance(p, PhaseModel) else phase_model(p, shape=shape) for p in phases]
    names = [m.name for m in models]
    if len(set(names)) != len(names):
        models = [
            PhaseModel(**{**m.__dict__, "name": f"{m.name}{i + 1}"}) for i, m in enumerate(models)
        ]
    multi = len(models) > 1
    prefixes = [f"{m.name}." if multi else "" for m in models]
    # calculation grid k·dr from 0, extended by 6 termination ripples as PDFfit2 does
    ext = 0.0 if qmax is None else 6.0 * 2.0 * np.pi / float(qmax)
    n_grid = int(np.ceil((hi + ext + 1.0) / dr)) + 1
    grid = np.arange(n_grid) * dr
    calcs = []
    for m in models:
        els = m.elements
        wts = xray_weights(els) if probe == "xray" else neutron_lengths(els)
        calcs.append(PhaseCalculator(m, wts, float(grid[-1])))

    pars: list[_Par] = []
    for m, pre in zip(models, prefixes, strict=True):
        pars += _phase_pars(m, pre, m.shape if m.shape != "none" else shape, 50.0)
    pars += [_Par("qdamp", 0.0, 0.0, 0.5), _Par("qbroad", 0.0, 0.0, 0.5)]
    _set_up(pars, start or {}, refine, constraints or {})
    free = [p for p in pars if p.refined]
    x0 = np.array([p.value for p in free])

    def values(x: np.ndarray) -> dict[str, float]:
        v = {p.name: p.value for p in pars}
        v.update({p.name: float(xi) for p, xi in zip(free, x, strict=True)})
        for p in pars:
            if p.tie:
                v[p.name] = v[p.tie]
        return v

    evaluate = _PhaseSum(models, prefixes, calcs, grid, shape, qmax)

    def model(x: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
        stack = evaluate(values(x))
        out = [np.interp(r, grid, s) for s in stack]
        return np.sum(out, axis=0), out

    n_eval = [0]

    def resid(x: np.ndarray) -> np.ndarray:
        n_eval[0] += 1
        return (model(x)[0] - g_obs) * w

    lower = np.array([p.lower for p in free])
    upper = np.array([p.upper for p in free])
    if free:
        from threadpoolctl import threadpool_limits

        # the SVDs of a tall, narrow Jacobian are slower with BLAS threads than without
        with threadpool_limits(limits=1, user_api="blas"):
            sol = least_squares(
                resid,
                x0,
                bounds=(lower, upper),
                x_scale="jac",
                max_nfev=max_evaluations,
                method="trf",
            )
        x, success, message = sol.x, bool(sol.status > 0), str(sol.message)
        if sol.status == 0:
            success, message = False, f"stopped after {sol.nfev} evaluations without converging"
        jac = sol.jac
    else:
        x, success, message, jac = x0, True, "no free parameters", np.zeros((r.size, 0))
    g_calc, parts = model(x)
    res = (g_calc - g_obs) * w
    chi2 = float(res @ res)
    n_free = len(free)
    red = chi2 / max(1, r.size - n_free)
    rw = float(np.sqrt(chi2 / float((g_obs * w) @ (g_obs * w))))
    su, undetermined = _uncertainties(jac, red, warnings)
    out_pars = _report_parameters(pars, x, su, undetermined, values(x), success, warnings)
    if not success:
        warnings.append(f"fit failed: {message}")
    return PDFFitResult(
        parameters=tuple(out_pars),
        rw=rw,
        reduced_chi_square=red,
        r_A=r,
        g_obs=g_obs,
        g_calc=g_calc,
        phase_g={m.name: g for m, g in zip(models, parts, strict=True)},
        fit_range_A=(float(lo), float(hi)),
        qmax_invA=None if qmax is None else float(qmax),
        probe=probe,
        success=success,
        message=message,
        n_evaluations=n_eval[0],
        warnings=tuple(warnings),
        source=data.source,
    )


def _fit_window(
    data: TotalScatteringData, lo: float, hi: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float, list[str]]:
    """Select the fitted r (Å), G_obs, weights and step of a G(r) over [lo, hi], with notes."""
    if data.kind != "G" or data.x_kind != "r_A":
        raise MofglassError(
            f"{data.source}: refinement needs a PDFgui G(r), got {data.kind}({data.x_kind})"
        )
    r_all = np.asarray(data.x, dtype=float)
    sel = (r_all >= lo - 1e-9) & (r_all <= hi + 1e-9)
    if sel.sum() < 10:
        raise MofglassError(f"{data.source}: fewer than 10 points in the fit range {lo}-{hi} Å")
    r = r_all[sel]
    steps = np.diff(r)
    dr = float(np.median(steps))
    if np.ptp(steps) > 1e-6 * max(1.0, dr) * 100:
        raise MofglassError(f"{data.source}: the r grid must be uniform for the refinement")
    g_obs = np.asarray(data.y, dtype=float)[sel]
    sig = None if data.sigma is None else np.asarray(data.sigma, dtype=float)[sel]
    notes = []
    if sig is not None and (not np.all(np.isfinite(sig)) or np.any(sig <= 0)):
        notes.append("σ column has non-positive values: unit weights used")
        sig = None
    w = np.ones_like(r) if sig is None else 1.0 / sig
    return r, g_obs, w, dr, notes


def _set_up(
    pars: list[_Par],
    start: Mapping[str, float],
    refine: Sequence[str],
    constraints: Mapping[str, str],
) -> None:
    """Apply start values, mark the refined parameters, tie the constrained ones, clip."""
    by_name = {p.name: p for p in pars}
    for name, value in start.items():
        if name not in by_name:
            raise MofglassError(
                f"unknown parameter {name!r} in start values; known: {sorted(by_name)}"
            )
        by_name[name].value = float(value)
    for key in refine:
        hit = [p for p in pars if _matches(p.name, key)]
        if not hit and key not in _GROUPS:
            raise MofglassError(f"unknown parameter or group {key!r}; known: {sorted(by_name)}")
        for p in hit:
            p.refined = True
    for tied, other in constraints.items():
        if tied not in by_name or other not in by_name:
            raise MofglassError(f"constraint {tied} = {other}: unknown parameter name")
        by_name[tied].tie, by_name[tied].refined = other, False
        by_name[tied].value = by_name[other].value
    for p in pars:
        if p.refined and p.name in ("qdamp", "qbroad") and p.value == 0.0:
            p.value = 0.02 if p.name == "qdamp" else 0.005
        p.value = float(np.clip(p.value, p.lower, p.upper))


def _flag(p: _Par, value: float, su: float, undetermined: bool, success: bool) -> str:
    """Why a refined value is not reported: at a bound, undetermined, failed fit, or ""."""
    span = p.upper - p.lower if np.isfinite(p.upper - p.lower) else abs(p.value) + 1.0
    tol = 1e-6 * span
    flag = ""
    if value - p.lower <= tol:
        flag = "at lower bound"
    elif p.upper - value <= tol:
        flag = "at upper bound"
    elif undetermined or not np.isfinite(su):
        flag = "undetermined"
    if not success:
        flag = flag or "fit failed"
    return flag


def _report_parameters(
    pars: list[_Par],
    x: np.ndarray,
    su: np.ndarray,
    undetermined: np.ndarray,
    vals: dict[str, float],
    success: bool,
    warnings: list[str],
) -> list[FitParameter]:
    """Every parameter with its s.u. or the reason it has none (appended to ``warnings``)."""
    out_pars = []
    k = 0
    for p in pars:
        if not p.refined:
            how = f"= {p.tie}" if p.tie else "fixed"
            out_pars.append(FitParameter(p.name, vals[p.name], None, _unit(p.name), False, how))
            continue
        flag = _flag(p, float(x[k]), float(su[k]), bool(undetermined[k]), success)
        out_pars.append(
            FitParameter(
                p.name, float(x[k]), None if flag else float(su[k]), _unit(p.name), True, flag
            )
        )
        if flag and success:
            warnings.append(f"{p.name} {flag}: kept out of the results")
        k += 1
    return out_pars


class _PhaseSum:
    """The model G(r) of every phase on the calculation grid for a set of parameter values."""

    def __init__(
        self,
        models: list[PhaseModel],
        prefixes: list[str],
        calcs: list[PhaseCalculator],
        grid: np.ndarray,
        shape: str,
        qmax: float | None,
    ) -> None:
        self.models, self.prefixes, self.calcs = models, prefixes, calcs
        self.grid, self.shape, self.qmax = grid, shape, qmax

    def __call__(self, v: dict[str, float]) -> np.ndarray:
        """Scaled, enveloped, damped (and terminated) G(r) per phase, shape (phases, grid)."""
        grid = self.grid
        damp = np.exp(-0.5 * (v["qdamp"] * grid) ** 2)
        parts = []
        for m, pre, calc in zip(self.models, self.prefixes, self.calcs, strict=True):
            cell = m.cell_values({k: v[pre + k] for k in m.free_cell})
            uiso = {e: v[f"{pre}Uiso_{e}"] for e in m.elements if f"{pre}Uiso_{e}" in v}
            u_sites = None
            if m.aniso is not None:
                names = {n: v[pre + n] for n, _, _ in m.aniso.parameter_names()}
                u_sites = m.aniso.site_tensors(names)
            g = calc.pdf(
                grid, cell, uiso, v[pre + "delta1"], v[pre + "delta2"], v["qbroad"], u_sites
            )
            d = v.get(pre + "diameter_A", 0.0)
            shape = m.shape if m.shape != "none" else self.shape
            env = envelope(shape, grid, d, v.get(pre + "polar_diameter_A", d))
            parts.append(v[pre + "scale"] * g * env * damp)
        stack = np.array(parts)
        if self.qmax is not None:
            stack = terminate(grid, stack, float(self.qmax))
        return stack


def _uncertainties(
    jac: np.ndarray, reduced_chi2: float, warnings: list[str]
) -> tuple[np.ndarray, np.ndarray]:
    """s.u.s from (JᵀJ)⁻¹ χ²_red and which parameters are undetermined (singular matrix)."""
    n_free = jac.shape[1]
    su = np.full(n_free, np.nan)
    undetermined = np.zeros(n_free, dtype=bool)
    if n_free:
        try:
            cov = np.linalg.inv(jac.T @ jac) * reduced_chi2
            su = np.sqrt(np.clip(np.diag(cov), 0.0, None))
        except np.linalg.LinAlgError:
            undetermined[:] = True
            warnings.append("singular normal matrix: parameters are not all determined by the data")
    return su, undetermined
