"""Study technique ``sorption``: BET area, pore volumes and DR of gas isotherms per sample.

Manifest entries::

    [[samples.sorption]]
    file = "sorption/cdim2_n2_77K.aif"     # AIF, pyGAPS .json, BEL .DAT/.csv, Quantachrome .txt, .xls
    bet_range = [0.01, 0.1]                # optional p/p0 range (default: Rouquerol, automatic)

Rows: ``bet_area_m2_g`` and ``bet_c`` only when the four Rouquerol criteria hold on the range,
``total_pore_volume_cm3_g`` (p/p0 0.95), ``micropore_volume_tplot_cm3_g``,
``external_area_tplot_m2_g`` (N2 77 K), ``micropore_volume_dr_cm3_g`` and ``dr_energy_kJ_mol``
(CO2 273 K). The report compares the
phases (crystal, glass, glass-ceramic) in one table.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, field_validator

from mofglass.results import Measured
from mofglass.sorption.analysis import SorptionAnalysis
from mofglass.study.technique import DemoSample, Task, Technique, TechniqueOutput, register

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from mofglass.sorption.isotherm import Isotherm

__all__ = ["SorptionOptions", "SorptionTechnique"]


def _range(v: tuple[float, float] | None) -> tuple[float, float] | None:
    if v is not None and not 0 <= v[0] < v[1] <= 1:
        raise ValueError("range must be [low, high] with 0 <= low < high <= 1 (p/p0)")
    return v


class SorptionOptions(BaseModel):
    """Options of one ``[[samples.sorption]]`` entry."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    format: Literal[
        "auto", "aif", "pygaps-json", "bel-dat", "bel-csv", "quantachrome-txt", "micromeritics-xls"
    ] = "auto"
    bet_range: tuple[float, float] | None = None
    dr_range: tuple[float, float] | None = None
    pore_volume_p_p0: float = 0.95
    t_range_nm: tuple[float, float] = (0.35, 0.50)

    _check_bet = field_validator("bet_range")(classmethod(lambda cls, v: _range(v)))
    _check_dr = field_validator("dr_range")(classmethod(lambda cls, v: _range(v)))


@register
class SorptionTechnique(Technique):
    """Gas physisorption isotherms through pyGAPS."""

    key = "sorption"
    title = "Gas sorption"
    order = 75
    Options = SorptionOptions

    def read(self, task: Task, opts: SorptionOptions) -> Isotherm:
        """Read the isotherm (format sniffed unless given)."""
        from mofglass.sorption.readers import read_isotherm

        return read_isotherm(task.file, opts.format)

    def analyse(self, data: Isotherm, task: Task, opts: SorptionOptions) -> SorptionAnalysis:
        """Characterise the isotherm (BET, pore volumes, t-plot, DR)."""
        from mofglass.sorption.analysis import analyse_isotherm

        return analyse_isotherm(
            data,
            bet_range=opts.bet_range,
            dr_range=opts.dr_range,
            pore_volume_p_p0=opts.pore_volume_p_p0,
            t_range_nm=opts.t_range_nm,
        )

    def details(
        self, result: SorptionAnalysis, data: Isotherm, task: Task, opts: SorptionOptions
    ) -> dict[str, Any]:
        """Return the phase, label, format and p0 source the report's comparison table shows."""
        return {
            "phase": task.sample.phase,
            "label": task.sample.label,
            "format": data.format,
            "p0_source": data.p0_source,
            "simulated": data.simulated or task.sample.simulated,
        }

    def figures(self, outputs: Sequence[TechniqueOutput]) -> dict[str, Figure]:
        """Draw the isotherms per gas and the BET plot of each file."""
        from mofglass.plotting.sorption import bet_plot_figure, isotherms_figure

        groups: dict[str, list[tuple[str, dict[str, Any]]]] = {}
        figs: dict[str, Figure] = {}
        for out in self.analysed(outputs):
            a = SorptionAnalysis.from_dict(out.details["result"])
            gas = f"{a.adsorptive} {a.temperature_K:.0f} K"
            curves = a.curves()
            groups.setdefault(gas, []).append((out.sample_id, curves))
            if curves.get("bet_p_p0"):
                stem = f"sorption_bet_{out.sample_id}_{Path(out.source).stem}"
                figs[_safe(stem)] = bet_plot_figure(curves, title=f"{out.sample_id}: BET")
        for gas, members in groups.items():
            figs[_safe(f"sorption_isotherms_{gas}")] = isotherms_figure(members, title=gas)
        return figs

    def report_html(self, outputs: Sequence[TechniqueOutput]) -> str:
        """One table comparing the phases: gas, BET area (or why not), pore volumes, DR."""
        lines = []
        order = {"crystal": 0, "glass": 1, "glass-ceramic": 2}
        for o in sorted(
            self.analysed(outputs),
            key=lambda o: (order.get(str(o.details.get("phase")), 9), o.sample_id),
        ):
            a = SorptionAnalysis.from_dict(o.details["result"])
            bet = a.bet
            if bet is None:
                bet_txt = "-"
            else:
                rng = f"p/p0 {bet.range_p_p0[0]:.3g}-{bet.range_p_p0[1]:.3g}"
                bet_txt = (
                    f"{bet.area_m2_g} ({rng})"
                    if bet.ok
                    else f"not valid: {bet.area_m2_g} fails Rouquerol ({rng})"
                )
            cells = [
                o.sample_id,
                str(o.details.get("phase", "")),
                f"{a.adsorptive} {a.temperature_K:g} K",
                bet_txt,
                _m(a.total_pore_volume_cm3_g),
                _m(a.micropore_volume_tplot_cm3_g),
                _m(a.micropore_volume_dr_cm3_g),
                _m(a.dr_energy_kJ_mol),
            ]
            lines.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
        if not lines:
            return ""
        head = (
            "sample",
            "phase",
            "gas",
            "BET area",
            "V total (0.95)",
            "V micro t-plot",
            "V micro DR",
            "E DR",
        )
        return (
            "<p>Gas sorption by phase (pyGAPS; BET range by the Rouquerol criteria).</p><table><tr>"
            + "".join(f"<th>{h}</th>" for h in head)
            + "</tr>"
            + "".join(lines)
            + "</table>"
        )

    def demo_inputs(
        self, samples: Sequence[DemoSample], folder: Path, *, seed: int
    ) -> dict[str, list[dict[str, Any]]]:
        """Write the demo isotherms (see :func:`mofglass.sorption.demo.write_demo_isotherms`)."""
        from mofglass.sorption.demo import write_demo_isotherms

        return write_demo_isotherms(samples, folder, seed=seed)


def _m(m: Measured | None) -> str:
    return "-" if m is None else str(m)


def _safe(stem: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in stem)
