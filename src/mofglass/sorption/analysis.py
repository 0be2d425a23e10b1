"""Isotherm characterisation through pyGAPS: BET (Rouquerol), pore volume, t-plot, DR.

:func:`analyse_isotherm` runs the methods that apply to the adsorptive and temperature:

- BET area (N2 77 K, Ar 87/77 K, Kr 77 K) with pyGAPS's Rouquerol range or a given range; the
  four consistency criteria of Rouquerol et al. [1]_ (ISO 9277:2022) are checked on the chosen
  range and the area stays out of the rows when one fails;
- total pore volume (Gurvich rule) from the amount at p/p0 = 0.95 as bulk liquid;
- t-plot micropore volume (N2 77 K, Harkins-Jura thickness) in a fixed thickness window;
- Dubinin-Radushkevich micropore volume and characteristic energy for CO2 at 273 K [2]_.

References
----------
.. [1] J. Rouquerol, P. Llewellyn, F. Rouquerol, "Is the BET equation applicable to microporous
   adsorbents?", Stud. Surf. Sci. Catal. 160 (2007) 49-56.
.. [2] M. M. Dubinin, "The potential theory of adsorption of gases and vapors for adsorbents with
   energetically nonuniform surfaces", Chem. Rev. 60 (1960) 235.
.. [3] B. C. Lippens, J. H. de Boer, "Studies on pore systems in catalysts V. The t method",
   J. Catal. 4 (1965) 319.
"""

from __future__ import annotations

import logging
import math
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from mofglass.errors import AnalysisError
from mofglass.results import Measured, Result, ResultRow
from mofglass.sorption.isotherm import Isotherm

__all__ = ["BETResult", "SorptionAnalysis", "analyse_isotherm", "bet_area"]

_AVOGADRO = 6.02214076e23
#: (adsorptive, nominal temperature K, tolerance K) for which BET is meaningful
_BET_GASES: tuple[tuple[str, float, float], ...] = (
    ("nitrogen", 77.3, 3.0),
    ("argon", 87.3, 3.0),
    ("argon", 77.3, 3.0),
    ("krypton", 77.3, 3.0),
)


def _quiet() -> None:
    """Silence pyGAPS and adsorption_file_parser, which log to stdout.

    mofglass raises or warns instead; their messages would mix into the command's output and
    its ``--json``.
    """
    for name in ("pygaps", "adsorption_file_parser"):
        logging.getLogger(name).setLevel(logging.CRITICAL + 1)


@dataclass(frozen=True)
class BETResult(Result):
    """BET area with the range used and the Rouquerol criteria checked on it."""

    area_m2_g: Measured
    c_constant: Measured
    monolayer_mmol_g: Measured
    range_p_p0: tuple[float, float]
    n_points: int
    r_squared: float
    range_source: str
    criteria: dict[str, bool] = field(default_factory=dict)
    monolayer_p_p0: float = math.nan
    method: str = "BET, pyGAPS area_BET; Rouquerol criteria (Rouquerol 2007)"

    @property
    def ok(self) -> bool:
        """All four Rouquerol criteria hold on the chosen range."""
        return bool(self.criteria) and all(self.criteria.values())


def bet_area(iso: Isotherm, *, p_range: tuple[float, float] | None = None) -> BETResult:
    """BET area of the adsorption branch, by pyGAPS, with the Rouquerol criteria checked.

    Parameters
    ----------
    iso : Isotherm
        The isotherm (p/p0, mmol/g).
    p_range : (float, float), optional
        p/p0 limits; default: pyGAPS's automatic Rouquerol range.

    Returns
    -------
    BETResult
        ``area_m2_g`` with the standard error propagated from the covariance of the straight
        line fitted to ``p / (n (1 - p))`` against ``p``.

    Raises
    ------
    AnalysisError
        If fewer than 3 points lie in the range.
    """
    import pygaps.characterisation as pgc
    from pygaps import Adsorbate

    _quiet()
    piso = iso.to_pygaps()
    p, n = iso.adsorption
    source = "user"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            res = pgc.area_BET(piso, p_limits=p_range)
            if p_range is None:
                source = "automatic (pyGAPS, Rouquerol)"
                lo, hi = (int(i) for i in res["p_limit_indices"])
                roq = n * (1.0 - p)
                if hi > lo + 2 and roq[hi] < roq[hi - 1]:
                    # pyGAPS's range ends one point past the maximum of n(1-p/p0); end at it
                    upper = 0.5 * (p[hi - 1] + p[hi])
                    res = pgc.area_BET(piso, p_limits=(float(p[lo]), float(upper)))
                    source += ", ending at the maximum of n(1-p/p0)"
            cross_nm2 = float(Adsorbate.find(iso.adsorptive).get_prop("cross_sectional_area"))
        except Exception as exc:
            raise AnalysisError(f"{iso.source}: BET failed: {exc}") from exc
    lo, hi = (int(i) for i in res["p_limit_indices"])
    ps, ns = p[lo : hi + 1], n[lo : hi + 1] * 1e-3  # mol/g
    y = ps / (ns * (1.0 - ps))
    coef, cov = np.polyfit(ps, y, 1, cov=True) if ps.size > 3 else (np.polyfit(ps, y, 1), None)
    slope, intercept = float(coef[0]), float(coef[1])
    nm = 1.0 / (slope + intercept)  # mol/g
    var_sum = float(cov[0, 0] + cov[1, 1] + 2 * cov[0, 1]) if cov is not None else math.nan
    nm_err = math.sqrt(var_sum) * nm**2 if var_sum >= 0 else math.nan
    factor = cross_nm2 * 1e-18 * _AVOGADRO
    c = slope / intercept + 1.0
    c_err = None
    if cov is not None and intercept != 0:
        ds, di = 1.0 / intercept, -slope / intercept**2
        c_err = math.sqrt(
            max(0.0, ds * ds * cov[0, 0] + di * di * cov[1, 1] + 2 * ds * di * cov[0, 1])
        )
    err = None if not math.isfinite(nm_err) else nm_err
    area = float(res["area"])
    pm = 1.0 / (math.sqrt(c) + 1.0) if c > 0 else math.nan
    roq = n * (1.0 - p)
    crit = {
        "n(1-p/p0) increases over the range": bool(np.all(np.diff(roq[lo : hi + 1]) > 0)),
        "C > 0": bool(c > 0),
        "monolayer amount within the range": bool(ns[0] <= nm <= ns[-1]),
        "p/p0 at the monolayer = 1/(sqrt(C)+1) within 10 %": bool(
            c > 0 and ns[0] <= nm <= ns[-1] and abs(float(np.interp(nm, ns, ps)) - pm) <= 0.1 * pm
        ),
    }
    ss_res = float(np.sum((y - np.polyval(coef, ps)) ** 2))
    ss_tot = float(np.sum((y - y.mean()) ** 2))
    return BETResult(
        area_m2_g=Measured(area, None if err is None else err * factor, "m2/g"),
        c_constant=Measured(c, c_err, ""),
        monolayer_mmol_g=Measured(nm * 1e3, None if err is None else err * 1e3, "mmol/g"),
        range_p_p0=(float(ps[0]), float(ps[-1])),
        n_points=int(ps.size),
        r_squared=1.0 - ss_res / ss_tot if ss_tot > 0 else math.nan,
        range_source=source,
        criteria=crit,
        monolayer_p_p0=pm,
    )


@dataclass(frozen=True)
class SorptionAnalysis(Result):
    """Characterisation of one isotherm; ``None`` for methods that do not apply."""

    adsorptive: str
    temperature_K: float
    source: str
    bet: BETResult | None = None
    total_pore_volume_cm3_g: Measured | None = None
    micropore_volume_tplot_cm3_g: Measured | None = None
    external_area_tplot_m2_g: Measured | None = None
    micropore_volume_dr_cm3_g: Measured | None = None
    dr_energy_kJ_mol: Measured | None = None
    warnings: tuple[str, ...] = ()
    curves_data: dict[str, Any] = field(default_factory=dict)
    method: str = "pyGAPS characterisation (BET, Gurvich, t-plot Harkins-Jura, DR)"

    def _secondary(self) -> list[tuple[str, str, Measured]]:
        """(row name, report label, value) of the pore volumes and areas that were measured."""
        table = (
            (
                "total_pore_volume_cm3_g",
                "total pore volume (p/p0 0.95)",
                self.total_pore_volume_cm3_g,
            ),
            (
                "micropore_volume_tplot_cm3_g",
                "t-plot micropore volume",
                self.micropore_volume_tplot_cm3_g,
            ),
            ("external_area_tplot_m2_g", "t-plot external area", self.external_area_tplot_m2_g),
            ("micropore_volume_dr_cm3_g", "DR micropore volume", self.micropore_volume_dr_cm3_g),
            ("dr_energy_kJ_mol", "DR characteristic energy", self.dr_energy_kJ_mol),
        )
        return [(name, label, m) for name, label, m in table if m is not None]

    def rows(
        self, *, sample_id: str, technique: str = "sorption", source: str = ""
    ) -> list[ResultRow]:
        """Table rows; a BET area that fails a Rouquerol criterion is left out (see warnings)."""
        out: list[tuple[str, Measured, str]] = []
        if self.bet is not None and self.bet.ok:
            out += [
                ("bet_area_m2_g", self.bet.area_m2_g, self.bet.method),
                ("bet_c", self.bet.c_constant, self.bet.method),
            ]
        for name, _, m in self._secondary():
            out.append((name, m, self.method))
        src = source or self.source
        return [
            ResultRow(sample_id, q, m.value, m.stderr, m.unit, technique, meth, src)
            for q, m, meth in out
        ]

    def curves(self, max_points: int = 2000) -> dict[str, Any]:
        """Isotherm and BET-plot arrays for figures (JSON-ready)."""
        return dict(self.curves_data)

    def report(self) -> str:
        """Plain-text summary."""
        lines = [f"{self.source}: {self.adsorptive} at {self.temperature_K:g} K"]
        if self.bet is not None:
            b = self.bet
            lines.append(
                f"  BET area {b.area_m2_g} (C = {b.c_constant}), p/p0 {b.range_p_p0[0]:.4g}-"
                f"{b.range_p_p0[1]:.4g} ({b.n_points} points, {b.range_source}), R² {b.r_squared:.5f}"
            )
            for k, v in b.criteria.items():
                lines.append(f"    [{'x' if v else ' '}] {k}")
        lines += [f"  {label}: {m}" for _, label, m in self._secondary()]
        lines += [f"  warning: {w}" for w in self.warnings]
        return "\n".join(lines)


def _is(iso: Isotherm, gas: str, temp: float, tol: float = 3.0) -> bool:
    return iso.adsorptive.lower() == gas and abs(iso.temperature_K - temp) <= tol


def analyse_isotherm(
    iso: Isotherm,
    *,
    bet_range: tuple[float, float] | None = None,
    pore_volume_p_p0: float = 0.95,
    t_range_nm: tuple[float, float] = (0.35, 0.50),
    dr_range: tuple[float, float] | None = None,
) -> SorptionAnalysis:
    """Run the methods that apply to ``iso`` and collect them in a :class:`SorptionAnalysis`.

    Parameters
    ----------
    iso : Isotherm
        The isotherm.
    bet_range : (float, float), optional
        p/p0 range of the BET fit; default pyGAPS's Rouquerol range.
    pore_volume_p_p0 : float
        p/p0 of the Gurvich total pore volume (0.95); the amount is interpolated between
        measured points, never extrapolated.
    t_range_nm : (float, float)
        Thickness window (nm) of the t-plot line whose intercept is the micropore volume.
    dr_range : (float, float), optional
        p/p0 range of the DR fit (CO2 at 273 K); default the whole branch.
    """
    from pygaps import Adsorbate

    _quiet()
    warns: list[str] = list(iso.notes)
    p, n = iso.adsorption
    if iso.n_nonpositive:
        warns.append(f"{iso.n_nonpositive} adsorption point(s) at p/p0 <= 0 left out")
    if p.size < 3:
        raise AnalysisError(f"{iso.source}: fewer than 3 adsorption points")
    curves: dict[str, Any] = {
        "p_p0": p.tolist(),
        "loading_mmol_g": n.tolist(),
    }
    m = iso.desorption
    if np.any(m):
        curves["des_p_p0"] = iso.relative_pressure[m].tolist()
        curves["des_loading_mmol_g"] = iso.loading_mmol_g[m].tolist()
    bet = None
    if any(_is(iso, g, t, tol) for g, t, tol in _BET_GASES) or bet_range is not None:
        try:
            bet = bet_area(iso, p_range=bet_range)
        except AnalysisError as exc:
            warns.append(str(exc))
        if bet is not None:
            failed = [k for k, v in bet.criteria.items() if not v]
            if failed:
                warns.append(
                    f"BET area {bet.area_m2_g} left out: Rouquerol criteria not met ("
                    + "; ".join(failed)
                    + "); choose the range by hand (--bet-range)"
                )
            cap = max(0.35, 1.2 * bet.range_p_p0[1])
            sel = (p >= 0.5 * bet.range_p_p0[0]) & (p <= cap) & (p < 1)
            curves["bet_p_p0"] = p[sel].tolist()
            curves["bet_y"] = (p[sel] / (n[sel] * 1e-3 * (1 - p[sel]))).tolist()
            curves["bet_range"] = list(bet.range_p_p0)
            nm = bet.monolayer_mmol_g.value * 1e-3
            c = bet.c_constant.value
            curves["bet_line"] = [1.0 / (nm * c), (c - 1.0) / (nm * c)]  # intercept, slope
    elif not _is(iso, "carbon dioxide", 273.15, 5.0):
        warns.append(f"BET not computed for {iso.adsorptive} at {iso.temperature_K:g} K")
    tpv = None
    if p.max() >= pore_volume_p_p0 and p.min() < pore_volume_p_p0 and iso.temperature_K < 150:
        try:
            ads = Adsorbate.find(iso.adsorptive)
            rho = float(ads.liquid_density(iso.temperature_K))  # g/cm3
            mm = float(ads.molar_mass())
            n95 = float(np.interp(pore_volume_p_p0, p, n))
            tpv = Measured(n95 * 1e-3 * mm / rho, None, "cm3/g")
        except Exception as exc:  # unknown adsorptive or no liquid density
            warns.append(f"total pore volume not computed: {exc}")
    t_mp = t_ext = None
    if _is(iso, "nitrogen", 77.3):
        t_mp, t_ext, msg = _t_plot(iso, t_range_nm)
        if msg:
            warns.append(msg)
    dr_v = dr_e = None
    if _is(iso, "carbon dioxide", 273.15, 5.0):
        dr_v, dr_e, msg = _dr(iso, dr_range)
        if msg:
            warns.append(msg)
    return SorptionAnalysis(
        adsorptive=iso.adsorptive,
        temperature_K=iso.temperature_K,
        source=iso.source,
        bet=bet,
        total_pore_volume_cm3_g=tpv,
        micropore_volume_tplot_cm3_g=t_mp,
        external_area_tplot_m2_g=t_ext,
        micropore_volume_dr_cm3_g=dr_v,
        dr_energy_kJ_mol=dr_e,
        warnings=tuple(warns),
        curves_data=curves,
    )


def _t_plot(
    iso: Isotherm, t_range_nm: tuple[float, float]
) -> tuple[Measured | None, Measured | None, str]:
    import pygaps.characterisation as pgc

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            res = pgc.t_plot(iso.to_pygaps(), thickness_model="Harkins/Jura", t_limits=t_range_nm)
        except Exception as exc:
            return None, None, f"t-plot failed: {exc}"
    if not res["results"]:
        return None, None, "t-plot: no straight section in the thickness window"
    r = res["results"][0]
    if r["corr_coef"] < 0.99:
        return None, None, f"t-plot line not straight (r = {r['corr_coef']:.3f}): left out"
    vol = float(r["adsorbed_volume"])
    if vol < 0:
        return None, None, f"t-plot intercept negative ({vol:.3g} cm3/g): no micropores"
    return Measured(vol, None, "cm3/g"), Measured(float(r["area"]), None, "m2/g"), ""


def _dr(
    iso: Isotherm, p_range: tuple[float, float] | None
) -> tuple[Measured | None, Measured | None, str]:
    import pygaps.characterisation as pgc

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            res = pgc.dr_plot(iso.to_pygaps(), p_limits=p_range)
        except Exception as exc:
            return None, None, f"DR fit failed: {exc}"
    return (
        Measured(float(res["pore_volume"]), None, "cm3/g"),
        Measured(float(res["adsorption_potential"]), None, "kJ/mol"),
        "",
    )
