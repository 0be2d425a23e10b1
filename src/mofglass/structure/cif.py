"""CIF reading (gemmi): symmetry expansion, disorder, duplicate sites, numbers with s.u.s.

Parsing is separate from opening: :func:`parse_cif` takes text, :func:`read_structure` a file.

Disorder rule (``disorder=``, documented and overridable):

- ``"major"`` (default): where ``_atom_site_disorder_group`` is given, keep the sites without a
  group and those of the group with the largest mean occupancy (lowest group number on a tie);
  then partially occupied sites that clash after symmetry expansion are alternatives (closer
  than ``overlap_A``, or closer than 0.8 x the sum of their covalent radii - 0.9 x for two
  metals - with occupancies summing to at most 1): a maximal compatible set is kept, highest
  occupancy first (then file order). A non-metal site closer to its own symmetry image than
  0.9 x the shortest bond between two such atoms (C≡C 1.20 Å, N≡N 1.10 Å, O=O 1.21 Å, ...)
  is disordered over its images even if the file says occupancy 1 (a special-position
  occupancy left out): its images are alternatives in the same way.
- ``"all"``: keep every site (overlaps then raise in the bond search).
- ``"error"``: raise if any site is partially occupied.

Sites of one element listed twice (closer than 0.1 Å after expansion, occupancies summing to at
most 1 or both full) are merged with a warning. Every decision is recorded in
``crystal.metadata["warnings"]``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np

from mofglass.errors import InputFormatError, reader_boundary
from mofglass.structure.cif_dialects import normalise_block
from mofglass.structure.crystal import Crystal

__all__ = ["parse_cif", "parse_su", "read_structure"]

_NONMETAL = frozenset("H D C N O F Si P S Cl Se Br I B".split())
#: Shortest bond between two atoms of one element, Å (H2, C≡C, N≡N, O2, F2, P2, S2, Cl2, Br2,
#: I2; CRC Handbook of Chemistry and Physics, "Bond lengths in diatomic molecules" and
#: acetylene); a site closer than 0.9 x this to its own symmetry image is a disordered one.
_SHORTEST_BOND_A = {
    "H": 0.74,
    "D": 0.74,
    "C": 1.20,
    "N": 1.10,
    "O": 1.21,
    "F": 1.41,
    "P": 1.89,
    "S": 1.89,
    "Cl": 1.99,
    "Br": 2.28,
    "I": 2.67,
}
_NUM = re.compile(r"^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)(?:\((\d+)\))?\s*$")


def parse_su(text: str) -> tuple[float, float | None]:
    """Parse a CIF number with its standard uncertainty: ``"1611(2)"`` -> ``(1611.0, 2.0)``.

    The digits in parentheses apply to the last digits of the value (IUCr convention):
    ``"8.4671(4)"`` -> ``(8.4671, 0.0004)``.
    """
    m = _NUM.match(text)
    if not m:
        raise ValueError(f"not a number: {text!r}")
    value_s, su_s = m.groups()
    value = float(value_s)
    if su_s is None:
        return value, None
    mant = value_s.lower().split("e")[0]
    decimals = len(mant.split(".")[1]) if "." in mant else 0
    exp = int(value_s.lower().split("e")[1]) if "e" in value_s.lower() else 0
    return value, int(su_s) * 10.0 ** (exp - decimals)


@reader_boundary("a CIF file")
def read_structure(
    path: str | Path,
    *,
    disorder: str = "major",
    overlap_A: float = 0.7,
    block: int | str = 0,
) -> Crystal:
    """Read a CIF into a symmetry-expanded :class:`Crystal`.

    Parameters
    ----------
    path : str or Path
        A CIF file.
    disorder : {"major", "all", "error"}
        How partially occupied / disordered sites are resolved (see the module docstring).
    overlap_A : float
        Distance below which two partially occupied sites are alternatives, Å.
    block : int or str
        Data block (index or name) for multi-block files.

    Raises
    ------
    InputFormatError
        Not a CIF, a broken loop (with its line), no cell, no atoms, an unknown element.

    References
    ----------
    .. [1] S. R. Hall, F. H. Allen, I. D. Brown, "The crystallographic information file (CIF)",
       Acta Cryst. A47 (1991) 655.
    .. [2] M. Wojdyr, "GEMMI: a library for structural biology", JOSS 7 (2022) 4200.
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise InputFormatError(p, expected="a readable CIF file", got=str(exc)) from None
    return parse_cif(text, source=p.name, disorder=disorder, overlap_A=overlap_A, block=block)


def parse_cif(
    text: str,
    *,
    source: str = "<string>",
    disorder: str = "major",
    overlap_A: float = 0.7,
    block: int | str = 0,
) -> Crystal:
    """Parse CIF text into a :class:`Crystal` (see :func:`read_structure`)."""
    import gemmi

    if disorder not in ("major", "all", "error"):
        raise ValueError(f"disorder must be 'major', 'all' or 'error', not {disorder!r}")
    try:
        doc = gemmi.cif.read_string(text)
    except (RuntimeError, ValueError) as exc:
        line, msg = _gemmi_line(str(exc))
        raise InputFormatError(source, line=line, expected="valid CIF syntax", got=msg) from None
    warnings: list[str] = []
    blk = _select_block(doc, block, source, warnings)
    cell_values, cell_su = _read_cell(blk, text, source)
    normalise_block(blk, text, source, warnings)
    try:
        small = gemmi.make_small_structure_from_block(blk)
    except (RuntimeError, ValueError) as exc:
        raise InputFormatError(
            source, expected="valid symmetry and atom-site values", got=str(exc)
        ) from None
    _check_sites(small, text, source)
    if small.cell.volume <= 1.0 or not np.isfinite(small.cell.volume):
        raise InputFormatError(
            source, expected="cell lengths and angles giving a cell", got=str(cell_values)
        )
    if not small.sites:
        raise InputFormatError(source, expected="an _atom_site_ loop with atoms", got="no atoms")
    for site in small.sites:
        if site.element.name == "X":
            sym = site.type_symbol or site.label
            raise _site_error(
                source,
                text,
                site.label,
                expected="a known element in _atom_site_type_symbol or the label",
                got=f"{sym!r} (site {site.label})",
            )
    model_note = blk.find_value("_mofglass_model_note")
    if model_note:
        warnings.append("model: " + " ".join(gemmi.cif.as_string(model_note).split()))
    if not small.symops and small.spacegroup is None:
        warnings.append("no symmetry operators or space group: read as P 1")
    _resolve_groups(small, disorder, warnings)
    sites = small.get_all_unit_cell_sites()
    lattice = np.array(small.cell.orth.mat, dtype=float).T
    frac = np.array([[s.fract.x, s.fract.y, s.fract.z] for s in sites], dtype=float) % 1.0
    occ = np.array([s.occ for s in sites], dtype=float)
    keep = _resolve_overlaps(
        frac,
        lattice,
        occ,
        [s.element.name for s in sites],
        [s.label for s in sites],
        disorder,
        overlap_A,
        warnings,
    )
    if disorder == "error" and np.any(occ[keep] < 0.999):
        raise InputFormatError(
            source, expected="fully occupied sites (disorder='error')", got="partial occupancy"
        )
    kept_sites = [sites[k] for k in keep]
    stacked = _stacked_atoms(frac[keep], lattice, [s.label for s in kept_sites])
    if stacked:
        warnings.append(stacked)
    missing = _missing_atoms(blk, [s.element.name for s in kept_sites])
    if missing:
        warnings.append(missing)
    frac, occ = frac[keep], occ[keep]
    crystal = Crystal.from_fractional(
        [s.element.name for s in kept_sites],
        frac,
        lattice,
        occupancy=occ,
        uiso_A2=np.array([s.u_iso if s.u_iso > 0 else 0.01 for s in kept_sites]),
        labels=[s.label for s in kept_sites],
        source=source,
        spacegroup=small.spacegroup_hm or (small.spacegroup.hm if small.spacegroup else "P 1"),
    )
    sg = small.spacegroup
    crystal.metadata.update(
        {
            "cell_A_deg": cell_values,
            "cell_su": cell_su,
            "warnings": warnings,
            "block": blk.name,
            "crystal_system": sg.crystal_system_str() if sg is not None else "",
            "rhombohedral_axes": bool(sg is not None and sg.ext == "R"),
        }
    )
    return crystal


def _stacked_atoms(frac: np.ndarray, lattice: np.ndarray, labels: list[str]) -> str:
    """Warn about atoms closer than 0.5 Å (on top of each other) that were kept."""
    from ase.neighborlist import primitive_neighbor_list

    if len(frac) < 2:
        return ""
    i, j, d = primitive_neighbor_list("ijd", (True,) * 3, lattice, frac @ lattice, 0.5)
    pairs = sorted(
        {
            (min(a, b), max(a, b), round(float(x), 2))
            for a, b, x in zip(i, j, d, strict=True)
            if a != b
        }
    )
    if not pairs:
        return ""
    shown = ", ".join(f"{labels[a]}/{labels[b]} {x:.2f} Å" for a, b, x in pairs[:3])
    return (
        f"{len(pairs)} pair(s) of atoms closer than 0.5 Å (on top of each other: {shown}"
        f"{', ...' if len(pairs) > 3 else ''}): unresolved disorder or duplicated sites"
    )


def _check_sites(small: Any, text: str, source: str) -> None:
    """Refuse coordinates ``?``/``.``/nan (gemmi reads them as NaN).

    This runs before gemmi's symmetry expansion, spglib or the numba kernels see them.
    """
    for site in small.sites:
        xyz = (site.fract.x, site.fract.y, site.fract.z)
        if not (all(np.isfinite(xyz)) and np.isfinite(site.occ) and np.isfinite(site.u_iso)):
            raise _site_error(
                source,
                text,
                site.label,
                expected="numeric fractional coordinates, occupancy and Uiso",
                got=f"site {site.label}: x, y, z = {xyz}, occ = {site.occ}",
            )
        if not 0 <= site.occ <= 1.01:
            raise _site_error(
                source,
                text,
                site.label,
                expected="an occupancy between 0 and 1",
                got=f"site {site.label}: occ = {site.occ}",
            )


def _missing_atoms(blk: object, elements: list[str]) -> str:
    """Warn when the atom sites hold fewer atoms per cell than the declared formula.

    Compares the sites kept (one atom each) with ``_chemical_formula_sum`` x
    ``_cell_formula_units_Z``; "" when they agree within half an atom, or when either is
    missing. Atoms left out of the model (SQUEEZEd solvent, unresolved parts of linkers,
    hydrogen atoms) then are named, since a net built without them can differ.
    """
    import gemmi

    raw = blk.find_value("_chemical_formula_sum")  # type: ignore[attr-defined]
    z_raw = blk.find_value("_cell_formula_units_Z")  # type: ignore[attr-defined]
    if raw is None or z_raw is None:
        return ""
    try:
        z = float(parse_su(gemmi.cif.as_string(z_raw))[0])
        pairs = re.findall(r"([A-Z][a-z]?)\s*([0-9.]*)", gemmi.cif.as_string(raw))
        formula = {el: float(n) if n else 1.0 for el, n in pairs}
    except ValueError:
        return ""
    have: dict[str, int] = {}
    for el in elements:
        have[el] = have.get(el, 0) + 1
    short = {
        el: n * z - have.get(el, 0) for el, n in formula.items() if n * z - have.get(el, 0) > 0.5
    }
    if not short or not formula:
        return ""
    want = " ".join(f"{el}{n * z:g}" for el, n in formula.items())
    lack = ", ".join(f"{v:g} {el}" for el, v in short.items())
    return (
        f"the atom sites hold {lack} fewer per cell than _chemical_formula_sum x Z "
        f"({want}): atoms left out of the model (SQUEEZEd solvent, unresolved disorder, "
        "hydrogen) are missing from the net"
    )


def _resolve_groups(small: object, disorder: str, warnings: list[str]) -> None:
    sites = small.sites  # type: ignore[attr-defined]
    groups: dict[int, list[float]] = {}
    for s in sites:
        if s.disorder_group:
            groups.setdefault(abs(s.disorder_group), []).append(s.occ)
    if disorder != "major" or len(groups) < 2:
        return
    best = max(sorted(groups), key=lambda g: np.mean(groups[g]))
    drop = [g for g in groups if g != best]
    kept = [s for s in sites if not s.disorder_group or abs(s.disorder_group) == best]
    warnings.append(
        f"disorder groups {sorted(groups)}: kept group {best} (largest mean occupancy), "
        f"dropped {sorted(drop)}"
    )
    new = type(sites)()
    for s in kept:
        new.append(s)
    small.sites = new  # type: ignore[attr-defined]


def _select_block(doc: Any, block: int | str, source: str, warnings: list[str]) -> Any:
    """Pick the data block to read: ``block`` among those with a cell or atom sites.

    Several structure blocks add a warning naming them.
    """
    blocks = [
        b
        for b in doc
        if b.find_value("_cell_length_a")
        or b.find_loop("_atom_site_label")
        or b.find_loop("_atom_site_type_symbol")
    ]
    if not blocks:
        blocks = list(doc)
    if not blocks:
        raise InputFormatError(source, expected="a data_ block", got="none")
    try:
        blk = blocks[block] if isinstance(block, int) else doc[block]
    except (IndexError, KeyError):
        raise InputFormatError(
            source, expected=f"data block {block!r}", got=f"{len(blocks)} blocks"
        ) from None
    if len(blocks) > 1:
        warnings.append(
            f"{len(blocks)} structure data blocks ({', '.join(b.name for b in blocks)}): "
            f"read {blk.name!r} (choose another with block=)"
        )
    return blk


def _read_cell(
    blk: Any, text: str, source: str
) -> tuple[dict[str, float], dict[str, float | None]]:
    """Read a, b, c (Å) and alpha, beta, gamma (degrees) with their s.u.s; refuse bad ones."""
    import gemmi

    cell_values, cell_su = {}, {}
    for key in ("a", "b", "c", "alpha", "beta", "gamma"):
        tag = f"_cell_length_{key}" if len(key) == 1 else f"_cell_angle_{key}"
        raw = blk.find_value(tag)
        if raw is None or raw in ("?", "."):
            raise InputFormatError(
                source,
                line=_line_of(text, "_cell_") or None,
                expected=f"{tag} giving the cell",
                got="missing",
            )
        try:
            v, su = parse_su(gemmi.cif.as_string(raw))
        except ValueError:
            raise InputFormatError(
                source, line=_line_of(text, tag), expected=f"a number for {tag}", got=raw
            ) from None
        cell_values[key], cell_su[key] = v, su
    if min(cell_values["a"], cell_values["b"], cell_values["c"]) <= 0:
        raise InputFormatError(
            source,
            line=_line_of(text, "_cell_length"),
            expected="positive cell lengths",
            got=str(cell_values),
        )
    for key, v in cell_values.items():
        if not np.isfinite(v) or (len(key) > 1 and not 0 < v < 180):
            raise InputFormatError(
                source,
                line=_line_of(text, f"_cell_{'length' if len(key) == 1 else 'angle'}_{key}"),
                expected="finite cell lengths and angles between 0 and 180 degrees",
                got=f"{key} = {v}",
            )
    return cell_values, cell_su


def _resolve_overlaps(
    frac: np.ndarray,
    lattice: np.ndarray,
    occ: np.ndarray,
    elements: list[str],
    labels: list[str],
    disorder: str,
    overlap_A: float,
    warnings: list[str],
) -> list[int]:
    """Return the sites kept after merging duplicates and resolving alternative positions."""
    n = len(frac)
    if n < 2:
        return list(range(n))
    dropped, merged, clash, self_clash = _find_clashes(
        frac, lattice, occ, elements, labels, overlap_A
    )
    if merged:
        warnings.append(f"{merged} duplicated site(s) (same element, < 0.1 Å apart) merged")
    if self_clash:
        warnings.append(
            f"site(s) {', '.join(sorted(self_clash))} closer than a bond to their own symmetry "
            "images: disordered over the images (occupancy missing in the file)"
        )
    if disorder != "major" or not clash:
        return [k for k in range(n) if k not in dropped]
    removed = _drop_alternatives(clash, dropped, occ, labels)
    if removed:
        text = ", ".join(f"{lab} x{c}" for lab, c in sorted(removed.items()))
        warnings.append(
            "alternative positions (clashing sites) resolved, highest occupancy kept: "
            f"removed {text}"
        )
    return [k for k in range(n) if k not in dropped]


def _find_clashes(
    frac: np.ndarray,
    lattice: np.ndarray,
    occ: np.ndarray,
    elements: list[str],
    labels: list[str],
    overlap_A: float,
) -> tuple[set[int], int, dict[int, set[int]], set[str]]:
    """Find duplicated sites (dropped, count merged), clashing alternatives and self-clashes."""
    from ase.data import atomic_numbers, covalent_radii
    from ase.neighborlist import primitive_neighbor_list

    radii = np.array([covalent_radii[atomic_numbers.get(e, 0)] for e in elements])
    reach = max(overlap_A, 0.1, 0.9 * 2 * float(radii.max()))
    i, j, d = primitive_neighbor_list("ijd", (True,) * 3, lattice, frac @ lattice, reach)
    dropped: set[int] = set()
    merged = 0
    clash: dict[int, set[int]] = {}
    self_clash: set[str] = set()
    for a, b, dist in zip(i.tolist(), j.tolist(), d.tolist(), strict=True):
        if a >= b:
            continue
        same = elements[a] == elements[b]
        if same and dist < 0.1 and (occ[a] + occ[b] <= 1.001 or min(occ[a], occ[b]) > 0.999):
            if b not in dropped:
                dropped.add(b)
                merged += 1
            continue
        partial = occ[a] < 0.999 or occ[b] < 0.999
        # alternatives: partially occupied, and either on top of each other or closer than a
        # bond between them could be while their occupancies sum to at most one
        factor = 0.9 if (elements[a] not in _NONMETAL and elements[b] not in _NONMETAL) else 0.8
        too_close = dist < factor * (radii[a] + radii[b])
        close = too_close and occ[a] + occ[b] <= 1.001
        # a non-metal site closer to its own symmetry image than any bond between two such
        # atoms is disordered over the images even when the file gives it full occupancy (a
        # missing occupancy of 1/k on a special position); metals are left alone (Cr-Cr and
        # Mo-Mo quadruple bonds across a centre are short)
        shortest = _SHORTEST_BOND_A.get(elements[a])
        own_image = labels[a] == labels[b] and shortest is not None and dist < 0.9 * shortest
        if own_image and not partial:
            self_clash.add(labels[a])
        if (partial and (dist < overlap_A or close)) or own_image:
            clash.setdefault(a, set()).add(b)
            clash.setdefault(b, set()).add(a)
    return dropped, merged, clash, self_clash


def _drop_alternatives(
    clash: dict[int, set[int]], dropped: set[int], occ: np.ndarray, labels: list[str]
) -> dict[str, int]:
    """Drop the losing alternatives of each clashing set (in ``dropped``); count by label.

    Each connected set of clashing sites: if it splits into two alternatives (bipartite), keep
    the side with the larger total occupancy (the one holding the first site on a tie);
    otherwise keep a maximal compatible set greedily, highest occupancy first.
    """
    removed: dict[str, int] = {}
    seen: set[int] = set()
    for start in sorted(clash):
        if start in seen or start in dropped:
            continue
        colour, bipartite = _two_colour(start, clash, dropped)
        seen |= set(colour)
        if bipartite:
            w = [sum(occ[k] for k, c in colour.items() if c == side) for side in (0, 1)]
            keep = 0 if w[0] >= w[1] - 1e-9 else 1
            lose = [k for k, c in colour.items() if c != keep]
        else:
            lose = []
            for a in sorted(colour, key=lambda k: (-occ[k], k)):
                if a in lose:
                    continue
                lose.extend(b for b in clash[a] if b in colour and b not in lose)
        for b in lose:
            dropped.add(b)
            removed[labels[b]] = removed.get(labels[b], 0) + 1
    return removed


def _two_colour(
    start: int, clash: dict[int, set[int]], dropped: set[int]
) -> tuple[dict[int, int], bool]:
    """Two-colour the clash graph component of ``start``; say whether it is bipartite."""
    colour = {start: 0}
    queue, bipartite = [start], True
    while queue:
        a = queue.pop()
        for b in clash[a]:
            if b in dropped:
                continue
            if b not in colour:
                colour[b] = 1 - colour[a]
                queue.append(b)
            elif colour[b] == colour[a]:
                bipartite = False
    return colour, bipartite


def _gemmi_line(msg: str) -> tuple[int | None, str]:
    m = re.search(r":(\d+):", msg)
    return (int(m.group(1)) if m else None), msg.split(": ", 1)[-1] if m else msg


def _site_error(source: str, text: str, label: str, *, expected: str, got: str) -> InputFormatError:
    """Return the input error of atom site ``label``, at its line of the ``_atom_site_`` loop."""
    line = _line_of(text, label, start_tag="_atom_site_")
    return InputFormatError(source, line=line, expected=expected, got=got)


def _line_of(text: str, needle: str, *, start_tag: str | None = None) -> int | None:
    start = text.find(start_tag) if start_tag else 0
    pos = text.find(needle, max(start, 0))
    if pos < 0:
        return None
    return text.count("\n", 0, pos) + 1
