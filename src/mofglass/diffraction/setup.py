"""Inputs of a powder analysis shared by the CLI and the study technique.

Inputs of a powder analysis shared by the CLI and the study technique: the start cell (CIF
or cell + space group), the instrument (file given, or found beside the pattern) and the
radiation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from mofglass._renamed import renamed_keywords
from mofglass.crystallography.cell import Cell
from mofglass.crystallography.radiation import radiation as radiation_by_name
from mofglass.diffraction.instrument import find_instrument_file, read_instrument
from mofglass.diffraction.pattern import Pattern, Wavelength
from mofglass.diffraction.size import InstrumentProfile
from mofglass.errors import MofglassError

__all__ = ["InstrumentChoice", "choose_instrument", "phase_cell", "prepare_pattern", "start_cell"]


def phase_cell(path: str | Path) -> Cell:
    """Cell and space group of a CIF (via :func:`mofglass.structure.read_structure`)."""
    from mofglass.diffraction.cell import cell_from_crystal
    from mofglass.structure import read_structure

    return cell_from_crystal(read_structure(path), name=Path(path).stem)


def start_cell(
    *,
    phase: str | Path | None = None,
    cell: str | Sequence[float] | None = None,
    space_group: str | None = None,
) -> Cell | None:
    """Return the start cell of a whole-pattern fit: a CIF, or ``"a b c [α β γ]"`` + space group.

    Raises
    ------
    MofglassError
        Both or malformed inputs (the message says what was expected).
    """
    if phase is not None and cell is not None:
        raise MofglassError("give --phase or --cell, not both")
    if phase is not None:
        base = phase_cell(phase)
        if space_group:
            base = replace(base, spacegroup=space_group)
        return base
    if cell is None:
        if space_group:
            raise MofglassError("--space-group needs --cell (or give --phase FILE.cif)")
        return None
    try:
        vals = [
            float(v) for v in (cell.replace(",", " ").split() if isinstance(cell, str) else cell)
        ]
    except ValueError:
        raise MofglassError(f"--cell {cell!r}: expected 3 or 6 numbers 'a b c [α β γ]'") from None
    if len(vals) not in (3, 6) or min(vals[:3]) <= 0:
        raise MofglassError(f"--cell {cell!r}: expected 3 or 6 numbers, lengths > 0 Å")
    vals += [90.0] * (6 - len(vals))
    a, b, c, al, be, ga = vals
    out = Cell(a, b, c, al, be, ga, spacegroup=space_group or "P 1", name="cell")
    try:
        out.gemmi_spacegroup()
    except ValueError as exc:
        raise MofglassError(f"--space-group: {exc}") from None
    return out


@dataclass(frozen=True)
class InstrumentChoice:
    """The instrument profile to use, the radiation it states and where it came from."""

    profile: InstrumentProfile | None
    radiation: Wavelength | None
    note: str


def choose_instrument(
    spec: str | None, pattern_path: str | Path | None, *, auto: bool = True
) -> InstrumentChoice:
    """Choose the instrument profile.

    Instrument from ``spec`` (a file, or ``"U,V,W[,X,Y]"``), else from a ``.prm`` /
    ``.instprm`` / ``.inst.json`` beside the pattern (``auto``), else none.
    """
    if spec:
        if Path(spec).is_file():
            prof, wl = read_instrument(spec)
            return InstrumentChoice(prof, wl, f"instrument: {spec}")
        try:
            vals = [float(v) for v in spec.split(",")]
        except ValueError:
            raise MofglassError(
                f"--instrument {spec!r}: not a file, nor 'U,V,W[,X,Y]' numbers"
            ) from None
        if len(vals) not in (3, 5):
            raise MofglassError("--instrument takes a file or 3 or 5 comma-separated numbers")
        vals += [0.0] * (5 - len(vals))
        u, v, w, x, y = vals
        return InstrumentChoice(
            InstrumentProfile(u=u, v=v, w=w, x=x, y=y, source="command line"), None, ""
        )
    if auto and pattern_path is not None:
        found = find_instrument_file(pattern_path)
        if found is not None:
            prof, wl = read_instrument(found)
            return InstrumentChoice(
                prof, wl, f"instrument: {found.name} (found beside the pattern)"
            )
    return InstrumentChoice(None, None, "")


@renamed_keywords(instrument_wavelength="instrument_radiation")
def prepare_pattern(
    pattern: Pattern,
    *,
    radiation: str | None = None,
    wavelength_A: float | None = None,
    instrument_radiation: Wavelength | None = None,
    two_theta_range: tuple[float, float] | None = None,
) -> Pattern:
    """Apply the radiation and crop to the 2θ range.

    Apply the radiation (named, a wavelength, or the instrument file's when the pattern has
    none) and crop to the 2θ range (degrees).
    """
    if radiation is not None:
        try:
            r = radiation_by_name(radiation)
        except ValueError as exc:
            raise MofglassError(str(exc)) from None
        pattern = pattern.with_wavelength(Wavelength(r.ka1_A, r.ka2_A, r.ka2_ratio))
    if wavelength_A is not None:
        pattern = pattern.with_wavelength(wavelength_A)
    if pattern.radiation is None and instrument_radiation is not None:
        pattern = pattern.with_wavelength(instrument_radiation)
    if two_theta_range is not None:
        lo, hi = two_theta_range
        if not lo < hi:
            raise MofglassError(f"2θ range {lo}-{hi}: expected min < max")
        try:
            pattern = pattern.crop(lo, hi)
        except ValueError as exc:
            raise MofglassError(f"{pattern.source}: {exc}") from None
    return pattern
