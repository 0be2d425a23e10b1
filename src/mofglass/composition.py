"""Formulas, molar masses and the M(im)2-x(bim)x mixed-linker family.

Formulas may use element symbols, parentheses with integer or decimal multipliers and named
linkers written in lower case (``im`` = imidazolate C3H3N2, ``bim`` = benzimidazolate C7H5N2, ...),
e.g. ``Cd(im)2``, ``Zn(im)1.75(bim)0.25``, ``C3H4N2``. Molar masses use the IUPAC 2016 standard
atomic weights as tabulated by ASE (``ase.data.atomic_masses_iupac2016``; Meija et al.,
Pure Appl. Chem. 88 (2016) 265).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from ase.data import atomic_masses_iupac2016, atomic_numbers

from mofglass.errors import InputFormatError
from mofglass.units import j_per_g_to_kj_per_mol, kj_per_mol_to_j_per_g

__all__ = [
    "LINKERS",
    "Composition",
    "bim_fraction_from_nmr",
    "mixed_linker",
    "molar_mass",
    "parse_formula",
]

#: Named linkers (anionic form) and their formulas.
LINKERS: Mapping[str, str] = MappingProxyType(
    {
        "im": "C3H3N2",  # imidazolate
        "bim": "C7H5N2",  # benzimidazolate
        "mim": "C4H5N2",  # 2-methylimidazolate
        "eim": "C5H7N2",  # 2-ethylimidazolate
        "nim": "C3H2N3O2",  # 2-nitroimidazolate
        "cnim": "C4H2N3",  # 4-cyanoimidazolate
        "bdc": "C8H4O4",  # terephthalate
    }
)

_TOKEN = re.compile(r"\s*(?:([A-Z][a-z]?)|([a-z]+)|(\()|(\))|(\d+\.?\d*|\.\d+))")


def _atomic_mass(symbol: str) -> float:
    return float(atomic_masses_iupac2016[atomic_numbers[symbol]])


def parse_formula(formula: str, *, source: str = "<formula>") -> dict[str, float]:
    """Element counts of a formula, e.g. ``{"Cd": 1, "C": 6, "H": 6, "N": 4}`` for ``Cd(im)2``.

    Raises
    ------
    InputFormatError
        With the column of the first character that is not understood.
    """
    text = formula.strip()
    if not text:
        raise InputFormatError(source, expected="a chemical formula", got=formula)
    stack: list[dict[str, float]] = [{}]
    pos = 0
    last: dict[str, float] | None = None  # the group a following number multiplies
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise InputFormatError(
                source,
                column=pos + 1,
                expected="an element, linker, '(', ')' or a number",
                got=text[pos:],
            )
        element, linker, open_, close, number = m.groups()
        col = m.start() + 1
        if element:
            if element not in atomic_numbers or atomic_numbers[element] == 0:
                raise InputFormatError(
                    source, column=col, expected="an element symbol", got=element
                )
            last = {element: 1.0}
            _merge(stack[-1], last)
        elif linker:
            if linker not in LINKERS:
                raise InputFormatError(
                    source,
                    column=col,
                    expected=f"a named linker ({', '.join(LINKERS)})",
                    got=linker,
                )
            last = parse_formula(LINKERS[linker])
            _merge(stack[-1], last)
        elif open_:
            stack.append({})
            last = None
        elif close:
            if len(stack) == 1:
                raise InputFormatError(source, column=col, expected="a matching '('", got=")")
            group = stack.pop()
            _merge(stack[-1], group)
            last = group
        else:
            if last is None:
                raise InputFormatError(
                    source, column=col, expected="an element or group before a number", got=number
                )
            factor = float(number) - 1.0
            _merge(stack[-1], {k: v * factor for k, v in last.items()})
            last = None
        pos = m.end()
    if len(stack) != 1:
        raise InputFormatError(source, column=len(text) + 1, expected="')'", got="end of formula")
    counts = {k: v for k, v in stack[0].items() if abs(v) > 1e-12}
    if not counts:
        raise InputFormatError(source, expected="at least one element", got=formula)
    return counts


def _merge(into: dict[str, float], other: Mapping[str, float]) -> None:
    for k, v in other.items():
        into[k] = into.get(k, 0.0) + v


def molar_mass(formula: str | Mapping[str, float]) -> float:
    """Molar mass in g/mol from IUPAC standard atomic weights.

    Examples
    --------
    >>> round(molar_mass("Cd(im)2"), 1)
    246.6
    """
    counts = parse_formula(formula) if isinstance(formula, str) else formula
    return sum(_atomic_mass(el) * n for el, n in counts.items())


def _hill(counts: Mapping[str, float]) -> str:
    def fmt(n: float) -> str:
        if abs(n - round(n)) < 1e-9:
            return "" if round(n) == 1 else str(round(n))
        return f"{n:.4g}"

    keys = sorted(counts)
    if "C" in counts:
        keys = ["C"] + (["H"] if "H" in counts else []) + [k for k in keys if k not in ("C", "H")]
    return "".join(f"{k}{fmt(counts[k])}" for k in keys)


@dataclass(frozen=True)
class Composition:
    """A formula unit: its name, element counts and molar mass.

    Attributes
    ----------
    formula : str
        The formula as written (``"Cd(im)2"``).
    counts : Mapping[str, float]
        Atoms of each element per formula unit.
    molar_mass_g_mol : float
        Molar mass of one formula unit, g/mol.
    """

    formula: str
    counts: Mapping[str, float] = field(repr=False)
    molar_mass_g_mol: float

    @classmethod
    def from_formula(cls, formula: str, *, source: str = "<formula>") -> Composition:
        """Parse ``formula`` (e.g. ``Cd(C3H3N2)2``) into a composition."""
        counts = parse_formula(formula, source=source)
        return cls(formula, MappingProxyType(dict(counts)), molar_mass(counts))

    @property
    def hill_formula(self) -> str:
        """Element formula in Hill order (C, H, then alphabetical): ``C6H6CdN4``."""
        return _hill(self.counts)

    @property
    def metals(self) -> tuple[str, ...]:
        """Elements of the formula that are metals (not C, H, N, O, halogens, ...)."""
        nonmetals = {
            "H",
            "B",
            "C",
            "N",
            "O",
            "F",
            "Si",
            "P",
            "S",
            "Cl",
            "Se",
            "Br",
            "I",
            "He",
            "Ne",
            "Ar",
        }
        return tuple(el for el in self.counts if el not in nonmetals)

    def to_molar(self, value_J_g: float) -> float:
        """J/g -> kJ/mol of this formula unit."""
        return j_per_g_to_kj_per_mol(value_J_g, self.molar_mass_g_mol)

    def to_specific(self, value_kJ_mol: float) -> float:
        """kJ/mol of this formula unit -> J/g."""
        return kj_per_mol_to_j_per_g(value_kJ_mol, self.molar_mass_g_mol)


def mixed_linker(metal: str, x: float, *, linker: str = "im", colinker: str = "bim") -> Composition:
    """Composition of ``M(linker)2-x(colinker)x``, e.g. ``Cd(im)1.75(bim)0.25`` for x = 0.25.

    Parameters
    ----------
    metal : str
        Metal element symbol.
    x : float
        Co-linker content per metal, 0 <= x <= 2.
    """
    if not 0.0 <= x <= 2.0:
        raise ValueError(f"x must be between 0 and 2, got {x}")
    if x == 0:
        formula = f"{metal}({linker})2"
    elif x == 2:
        formula = f"{metal}({colinker})2"
    else:
        formula = f"{metal}({linker}){2 - x:g}({colinker}){x:g}"
    return Composition.from_formula(formula)


def bim_fraction_from_nmr(
    integral_linker: float,
    integral_colinker: float,
    *,
    protons_linker: int = 1,
    protons_colinker: int = 1,
) -> float:
    """Co-linker content x of ``M(im)2-x(bim)x`` from 1H NMR integrals of a digested sample.

    Each integral is divided by the number of protons of its signal; then
    ``x = 2 n_bim / (n_im + n_bim)``.

    Parameters
    ----------
    integral_linker, integral_colinker : float
        Integrals of one signal of each linker (any common scale).
    protons_linker, protons_colinker : int
        Protons contributing to each integrated signal (e.g. 1 for the C2-H of imidazole).
    """
    if integral_linker < 0 or integral_colinker < 0 or integral_linker + integral_colinker <= 0:
        raise ValueError("integrals must be non-negative and not both zero")
    n_a = integral_linker / protons_linker
    n_b = integral_colinker / protons_colinker
    return 2.0 * n_b / (n_a + n_b)
