"""The paper's view of a study: one row per sample, the headline quantities as columns.

A MOF-glass paper tabulates, per sample, the melting point and enthalpy, the glass transition
and its heat-capacity step, the fragility, the decomposition onset, crystallite size, cell
volume and the mechanical moduli. :func:`headline_table` picks these from a study's result rows
by their machine names (the first candidate name a sample has wins; further values of the same
quantity, from other files, are counted and listed in the cell's tooltip) and
:func:`display_name` gives every machine name its symbol for the detailed tables.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from mofglass.results import ResultRow, format_value

__all__ = ["HEADLINE", "Column", "display_name", "headline_table", "label_html"]


@dataclass(frozen=True)
class Column:
    """One headline column: symbol (HTML), unit (HTML) and the row names that fill it."""

    symbol: str
    unit: str
    quantities: tuple[str, ...]
    title: str


HEADLINE: tuple[Column, ...] = (
    Column("T<sub>m</sub>", "°C", ("melting_offset_C",), "melting point (offset of the endotherm)"),
    Column(
        "ΔH<sub>m</sub>", "kJ mol<sup>−1</sup>", ("melting_enthalpy_kJ_mol",), "melting enthalpy"
    ),
    Column("T<sub>g</sub>", "°C", ("tg_onset_C", "tg_mid_C"), "glass transition (onset)"),
    Column(
        "ΔC<sub>p</sub>",
        "J g<sup>−1</sup> K<sup>−1</sup>",
        ("delta_cp_J_gK",),
        "heat-capacity step",
    ),
    Column("<i>m</i>", "", ("fragility_m",), "kinetic fragility"),
    Column("T<sub>d</sub>", "°C", ("decomposition_onset_C",), "decomposition onset"),
    Column(
        "size",
        "nm",
        ("crystallite_size_nm", "crystallite_size_lower_bound_nm"),
        "crystallite size (Scherrer, integral breadth)",
    ),
    Column("V", "Å<sup>3</sup>", ("cell_volume_A3",), "cell volume"),
    Column("E<sub>r</sub>", "GPa", ("reduced_modulus_GPa",), "reduced modulus (mean ± SD)"),
    Column("H", "GPa", ("hardness_GPa",), "hardness (mean ± SD)"),
    Column(
        "E",
        "GPa",
        ("youngs_modulus_rigid_indenter_GPa", "youngs_modulus_GPa"),
        "Young's modulus",
    ),
)

#: machine-name patterns (after an optional ``segN_`` / ``stepN_`` prefix) and their symbols
_SYMBOLS: tuple[tuple[str, str], ...] = (
    (r"melting\d*_offset_C", "T<sub>m</sub> (offset)"),
    (r"melting\d*_onset_C", "T<sub>m</sub> (onset)"),
    (r"melting\d*_peak_C", "T<sub>m</sub> (peak)"),
    (r"melting\d*_enthalpy_kJ_mol", "ΔH<sub>m</sub>"),
    (r"melting\d*_enthalpy_J_g", "ΔH<sub>m</sub>"),
    (r"cold_crystallisation_enthalpy_(kJ_mol|J_g)", "ΔH<sub>rc</sub>"),
    (r"crystallisation_enthalpy_(kJ_mol|J_g)", "ΔH<sub>c</sub>"),
    (r"tg_onset_C", "T<sub>g</sub> (onset)"),
    (r"tg_mid_C", "T<sub>g</sub> (midpoint)"),
    (r"delta_cp_J_gK", "ΔC<sub>p</sub>"),
    (r"fictive_C", "T<sub>f</sub>′"),
    (r"fragility_m", "<i>m</i>"),
    (r"decomposition_onset_C", "T<sub>d</sub>"),
    (r"crystallite_size_nm", "D<sub>Scherrer</sub>"),
    (r"wh_crystallite_size_nm", "D<sub>W–H</sub>"),
    (r"wh_microstrain", "ε"),
    (r"cell_volume_A3", "V"),
    (r"reduced_modulus_GPa", "E<sub>r</sub>"),
    (r"hardness_(GPa|MPa)", "H"),
    (r"youngs_modulus(_rigid_indenter)?_GPa", "E"),
    (r"critical_cooling_rate_(K|C)_min", "q<sub>c</sub>"),
    (r"molar_mass_g_mol", "M"),
    (r"metal_density_per_nm3", "ρ<sub>M</sub>"),
    (r"density_g_cm3", "ρ"),
)


def display_name(quantity: str) -> str:
    """Symbol (HTML) of a machine name, or ``""`` when it has none."""
    core = re.sub(r"^(seg|step|treatment|pdf_peak)\d+_", "", quantity)
    for pattern, symbol in _SYMBOLS:
        if re.fullmatch(pattern, core):
            return symbol
    return ""


def label_html(label: str) -> str:
    """Format a sample label with formula subscripts: ``Cd(im)2`` -> ``Cd(im)<sub>2</sub>``.

    Digits directly after a letter or a closing bracket are subscripts (``Cd(im)1.75(bim)0.25``
    too); a digit after a space, a hyphen or ``=`` is left alone (``ZIF-4``, ``x = 0.25``).
    """
    from html import escape

    text = escape(label)
    return re.sub(r"(?<=[A-Za-z\)\]])(\d+(?:\.\d+)?)", r"<sub>\1</sub>", text)


@dataclass(frozen=True)
class Cell:
    """One cell of the headline table (empty when the sample has no such quantity)."""

    text: str
    title: str
    technique: str
    extra: int


def headline_table(
    sample_ids: Sequence[str], rows: Sequence[ResultRow]
) -> tuple[tuple[Column, ...], list[tuple[str, list[Cell]]]]:
    """Columns that some sample has, and one list of cells per sample.

    Returns
    -------
    (columns, [(sample_id, cells), ...])
        Only columns with at least one value are kept.
    """
    table: list[tuple[str, list[Cell]]] = []
    for sid in sample_ids:
        cells = []
        mine = [r for r in rows if r.sample_id == sid]
        for col in HEADLINE:
            hits: list[ResultRow] = []
            for name in col.quantities:
                hits = [r for r in mine if r.quantity == name]
                if hits:
                    break
            if not hits:
                cells.append(Cell("", "", "", 0))
                continue
            first = hits[0]
            shown = format_value(first.value, first.stderr)
            if first.quantity.endswith("lower_bound_nm"):
                shown = "> " + shown
            others = "; ".join(f"{format_value(r.value, r.stderr)} ({r.source})" for r in hits[1:])
            title = f"{first.quantity} from {first.source or first.technique}: {first.method}"
            if others:
                title += f". Also: {others}"
            cells.append(Cell(shown, title, first.technique, len(hits) - 1))
        table.append((sid, cells))
    keep = [k for k in range(len(HEADLINE)) if any(cells[k].text for _, cells in table)]
    columns = tuple(HEADLINE[k] for k in keep)
    return columns, [(sid, [cells[k] for k in keep]) for sid, cells in table]
