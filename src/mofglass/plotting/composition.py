"""Composition figures."""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.figure import Figure

from mofglass.plotting.style import PALETTE, apply_axes_style, new_figure, styled

__all__ = ["molar_mass_bars"]


@styled
def molar_mass_bars(sample_ids: Sequence[str], molar_mass_g_mol: Sequence[float]) -> Figure:
    """Bar chart of the formula-unit molar mass of each sample (g/mol)."""
    fig = new_figure(max(3.5, 0.5 * len(sample_ids) + 1.5), 2.4)
    ax = fig.add_subplot()
    ax.bar(range(len(sample_ids)), molar_mass_g_mol, color=PALETTE[0], width=0.6)
    ax.set_xticks(range(len(sample_ids)), list(sample_ids), rotation=30, ha="right")
    ax.set_ylabel("M / g mol$^{-1}$")
    lo = min(molar_mass_g_mol)
    ax.set_ylim(lo * 0.9, max(molar_mass_g_mol) * 1.03)
    apply_axes_style(ax)
    return fig
