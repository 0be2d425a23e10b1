"""The result of :func:`~mofglass.mechanics.analysis.analyse_indentations` and its parts.

:class:`IndentationAnalysis` holds the headline Er, H (and E) over indents, the per-indent
Oliver-Pharr results, the load-displacement curves with their unloading fits (for display) and,
for CSM tests, the averaged depth profile. Its :meth:`~IndentationAnalysis.rows`,
:meth:`~IndentationAnalysis.curves`, :meth:`~IndentationAnalysis.report` and
``_repr_html_`` are what the study technique, the CLI and notebooks show.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any

import numpy as np

from mofglass.mechanics.csm import DepthProfile, ProfileAverage
from mofglass.mechanics.oliver_pharr import OliverPharrResult
from mofglass.results import Measured, Result, ResultRow, format_value, thin

__all__ = ["IndentCurve", "IndentationAnalysis"]


@dataclass(frozen=True)
class IndentCurve(Result):
    """One indent's load-displacement curve (frame-corrected depth) and its unloading fit.

    Attributes
    ----------
    label : str
        The indent's name.
    depth_nm, load_mN : ndarray
        Depth h (nm, frame compliance removed) and load P (mN), thinned for display.
    fit_depth_nm, fit_load_mN : ndarray
        The fitted power law P = P0 ((h - hf)/(hmax - hf))^m over the fit window.
    """

    label: str
    depth_nm: np.ndarray
    load_mN: np.ndarray
    fit_depth_nm: np.ndarray
    fit_load_mN: np.ndarray


@dataclass(frozen=True)
class IndentationAnalysis(Result):
    """Er, H and E of a set of indents: mean ± standard deviation over ``n_indents``.

    ``youngs_modulus_GPa`` uses the full relation with a diamond indenter;
    ``youngs_modulus_rigid_indenter_GPa`` the paper's E = (1 - ν²)·Er. Both are None without
    a Poisson's ratio. ``load_curves`` are the first (at most 12) indents' curves, thinned to
    about 2000 points in all; ``mean_profile`` is the CSM profiles' mean ± SD on a 200-point
    depth grid (None for quasi-static tests).
    """

    reduced_modulus_GPa: Measured
    hardness_GPa: Measured
    youngs_modulus_GPa: Measured | None
    youngs_modulus_rigid_indenter_GPa: Measured | None
    n_indents: int
    mode: str
    poisson_ratio: float | None
    depth_window_nm: tuple[float, float] | None
    area_coefficients: tuple[float, ...]
    frame_compliance_nm_mN: float
    indents: tuple[OliverPharrResult, ...] = ()
    profiles: tuple[DepthProfile, ...] = ()
    warnings: tuple[str, ...] = ()
    load_curves: tuple[IndentCurve, ...] = ()
    mean_profile: ProfileAverage | None = None
    method: str = "Oliver-Pharr (J. Mater. Res. 7 (1992) 1564; 19 (2004) 3); mean ± SD over indents"

    def rows(
        self, *, sample_id: str, technique: str = "nanoindentation", source: str = ""
    ) -> list[ResultRow]:
        """Table rows: Er, H (GPa and MPa), n_indents and, with a Poisson's ratio, E.

        ``youngs_modulus_GPa`` is the full relation 1/Er = (1-ν²)/E + (1-νi²)/Ei (diamond
        indenter); ``youngs_modulus_rigid_indenter_GPa`` the paper's E = (1 - ν²)·Er.
        """
        method = f"{self.method}; {self.mode}"
        er, h = self.reduced_modulus_GPa, self.hardness_GPa
        h_sd = None if h.stderr is None else h.stderr * 1e3

        def row(name: str, value: float, sd: float | None, unit: str, how: str) -> ResultRow:
            return ResultRow(sample_id, name, value, sd, unit, technique, how, source)

        out = [
            row("reduced_modulus_GPa", er.value, er.stderr, "GPa", method),
            row("hardness_GPa", h.value, h.stderr, "GPa", method),
            row("hardness_MPa", h.value * 1e3, h_sd, "MPa", method),
            row("n_indents", float(self.n_indents), None, "", method),
        ]
        nu = self.poisson_ratio
        for name, m, how in (
            ("youngs_modulus_GPa", self.youngs_modulus_GPa,
             f"1/Er = (1-ν²)/E + (1-νi²)/Ei, ν = {nu}"),
            ("youngs_modulus_rigid_indenter_GPa", self.youngs_modulus_rigid_indenter_GPa,
             f"E = (1-ν²)·Er (the paper's), ν = {nu}"),
        ):  # fmt: skip
            if m is not None:
                out.append(row(name, m.value, m.stderr, "GPa", how))
        return out

    def curves(self, max_points: int = 2000) -> dict[str, Any]:
        """Load-displacement curves with their fits and, for CSM, the mean depth profile.

        Returns
        -------
        dict
            ``indents``: a list of mappings (``label``, ``depth_nm``, ``load_mN``,
            ``fit_depth_nm``, ``fit_load_mN``) as
            :func:`mofglass.plotting.mechanics.load_displacement` takes them; ``profile``
            (CSM only): ``depth_nm``, ``reduced_modulus_GPa``, ``reduced_modulus_std_GPa``,
            ``hardness_GPa``, ``hardness_std_GPa``; else ``points``: per indent its maximum
            depth, Er and H (quasi-static indents at several depths).
        """
        per_curve = max(2, max_points // max(1, len(self.load_curves)))
        out: dict[str, Any] = {
            "indents": [
                {
                    "label": c.label,
                    "depth_nm": thin(c.depth_nm, per_curve),
                    "load_mN": thin(c.load_mN, per_curve),
                    "fit_depth_nm": thin(c.fit_depth_nm, per_curve),
                    "fit_load_mN": thin(c.fit_load_mN, per_curve),
                }
                for c in self.load_curves
            ]
        }
        p = self.mean_profile
        if p is not None:
            out["profile"] = {
                "depth_nm": thin(p.depth_nm, max_points),
                "reduced_modulus_GPa": thin(p.reduced_modulus_mean_GPa, max_points),
                "reduced_modulus_std_GPa": thin(p.reduced_modulus_std_GPa, max_points),
                "hardness_GPa": thin(p.hardness_mean_GPa, max_points),
                "hardness_std_GPa": thin(p.hardness_std_GPa, max_points),
            }
        elif self.indents:
            out["points"] = {
                "depth_nm": [r.max_depth_nm.value for r in self.indents],
                "reduced_modulus_GPa": [r.reduced_modulus_GPa.value for r in self.indents],
                "hardness_GPa": [r.hardness_GPa.value for r in self.indents],
            }
        return out

    def report(self) -> str:
        """Plain text: the averages, the settings and one line per indent."""
        coeffs = ", ".join(f"{c:.6g}" for c in self.area_coefficients)
        lines = [
            f"{self.mode}: n = {self.n_indents}, Er = {self.reduced_modulus_GPa}, "
            f"H = {self.hardness_GPa}",
            f"  area function C = [{coeffs}]; frame compliance "
            f"{self.frame_compliance_nm_mN:.4g} nm/mN",
        ]
        for m, name in (
            (self.youngs_modulus_GPa, "E (full relation)"),
            (self.youngs_modulus_rigid_indenter_GPa, "E = (1-ν²)·Er"),
        ):
            if m is not None:
                lines.append(f"  {name} = {m} (ν = {self.poisson_ratio})")
        for r in self.indents:
            flag = "" if r.converged else "  [fit did not converge]"
            lines.append(
                f"  {r.name}: hc {r.contact_depth_nm.value:.1f} nm, "
                f"Er {r.reduced_modulus_GPa.value:.3f} GPa, "
                f"H {r.hardness_GPa.value * 1e3:.0f} MPa{flag}"
            )
        lines += [f"  warning: {w}" for w in self.warnings]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        """Show the settings and a per-indent table (contact depth, Er, H), as in the report."""
        coeffs = ", ".join(f"{c:.6g}" for c in self.area_coefficients)
        rows = "".join(
            f"<tr><td>{escape(r.name)}</td><td>{r.contact_depth_nm.value:.1f}</td>"
            f"<td>{r.reduced_modulus_GPa.value:.3f}</td><td>{r.hardness_GPa.value * 1e3:.0f}</td></tr>"
            for r in self.indents
        )
        er, h = self.reduced_modulus_GPa, self.hardness_GPa
        return (
            f"<table><caption>{escape(self.mode)}: n = {self.n_indents}, E<sub>r</sub> = "
            f"{escape(format_value(er.value, er.stderr))} GPa, H = "
            f"{escape(format_value(h.value, h.stderr))} GPa; area function C = "
            f"[{escape(coeffs)}]; frame compliance {self.frame_compliance_nm_mN:.4g} nm/mN</caption><thead><tr><th>indent</th><th>h<sub>c</sub> / nm</th>"
            "<th>E<sub>r</sub> / GPa</th><th>H / MPa</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>"
        )
