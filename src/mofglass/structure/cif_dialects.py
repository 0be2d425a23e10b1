"""CIF dialects and sanity checks applied to a gemmi block before the structure is made.

Real files differ from the textbook CIF:

- DFT and conversion tools write ``_atom_site_type_symbol`` without ``_atom_site_label``
  (gemmi needs labels): labels ``<element><n>`` are added;
- a space group given only by its International Tables number (``_space_group_IT_number`` or
  ``_symmetry_Int_Tables_number``) without operations or symbol: the operations of the
  standard setting (ITA, gemmi's table) are used, with a warning naming the assumption;
- a symmetry operation that does not parse is refused with its line (never skipped);
- a file with several structure blocks: the one read is named in a warning.

References
----------
.. [1] S. R. Hall, F. H. Allen, I. D. Brown, Acta Cryst. A47 (1991) 655 (CIF); the
   ``_space_group_`` dictionary (coreCIF 2.4) for the symmetry tags.
"""

from __future__ import annotations

from typing import Any

from mofglass.errors import InputFormatError

__all__ = ["normalise_block"]

_OPS_TAGS = ("_space_group_symop_operation_xyz", "_symmetry_equiv_pos_as_xyz")
_HM_TAGS = (
    "_space_group_name_H-M_alt",
    "_symmetry_space_group_name_H-M",
    "_space_group_name_Hall",
    "_symmetry_space_group_name_Hall",
)
_IT_TAGS = ("_space_group_IT_number", "_symmetry_Int_Tables_number")


def normalise_block(blk: Any, text: str, source: str, warnings: list[str]) -> None:
    """Make ``blk`` (a gemmi block) readable by gemmi's small-structure reader, in place."""
    import gemmi

    from mofglass.structure.cif import _line_of

    _add_labels(blk, warnings)
    has_ops = False
    for tag in _OPS_TAGS:
        values = blk.find_values(tag)
        for k in range(len(values)):
            op = gemmi.cif.as_string(values[k])
            has_ops = True
            try:
                gemmi.parse_triplet(op)
            except (RuntimeError, ValueError) as exc:
                raise InputFormatError(
                    source,
                    line=_line_of(text, op) or _line_of(text, tag),
                    expected="a symmetry operation like 'x, -y+1/2, z'",
                    got=f"{op!r} ({exc})",
                ) from None
    if has_ops or any(_value(blk, t) for t in _HM_TAGS):
        return
    for tag in _IT_TAGS:
        raw = _value(blk, tag)
        if not raw:
            continue
        try:
            sg = gemmi.find_spacegroup_by_number(int(raw))
        except (ValueError, RuntimeError):
            sg = None
        if sg is None:
            raise InputFormatError(
                source,
                line=_line_of(text, tag),
                expected=f"a space-group number 1-230 in {tag}",
                got=raw,
            )
        blk.set_pair("_symmetry_space_group_name_H-M", gemmi.cif.quote(sg.hm))
        warnings.append(
            f"space group given only as number {raw} ({tag}): the standard setting "
            f"{sg.hm} is assumed"
        )
        return


def _value(blk: Any, tag: str) -> str:
    import gemmi

    raw = blk.find_value(tag)
    if raw is None:
        return ""
    val = gemmi.cif.as_string(raw).strip()
    return "" if val in ("?", ".") else val


def _add_labels(blk: Any, warnings: list[str]) -> None:
    if blk.find_values("_atom_site_label") or not blk.find_values("_atom_site_type_symbol"):
        return
    import gemmi

    loop = blk.find_loop("_atom_site_type_symbol").get_loop()
    if loop is None:
        return
    types = [gemmi.cif.as_string(v) for v in blk.find_values("_atom_site_type_symbol")]
    loop.add_columns(["_atom_site_label"], "?")
    col = blk.find_values("_atom_site_label")
    counts: dict[str, int] = {}
    for k, t in enumerate(types):
        el = "".join(c for c in t if c.isalpha())[:2] or "X"
        counts[el] = counts.get(el, 0) + 1
        col[k] = f"{el}{counts[el]}"
    warnings.append(
        "no _atom_site_label column (a DFT/conversion-tool dialect): sites labelled by "
        "_atom_site_type_symbol"
    )
