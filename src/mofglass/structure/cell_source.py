"""Where a model's cell can come from: a Pawley result (mofglass results) or another CIF.

:func:`cell_from_file` reads

- a mofglass ``results.json`` / ``results.csv`` (the ``pxrd`` technique's Pawley rows
  ``cell_a_A``, ``cell_b_A``, ``cell_c_A``, ``cell_volume_A3``): the lengths when all three are
  there (angles then stay the template's), else the volume;
- a CIF: its cell lengths and angles.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from mofglass.errors import InputFormatError

__all__ = ["cell_from_file"]

_KEYS = ("cell_a_A", "cell_b_A", "cell_c_A", "cell_volume_A3")


def cell_from_file(
    path: str | Path, *, sample: str | None = None
) -> tuple[list[float] | None, float | None]:
    """``(cell, volume_A3)`` from a results file or a CIF: one of the two is None.

    Parameters
    ----------
    path : str or Path
        ``results.json``, ``results.csv`` or a ``.cif``.
    sample : str, optional
        Sample id in a results file (default: the only sample with cell rows).
    """
    p = Path(path)
    if p.suffix.lower() == ".cif":
        from mofglass.structure.cif import read_structure

        c = read_structure(p).metadata["cell_A_deg"]
        return [float(c[k]) for k in ("a", "b", "c", "alpha", "beta", "gamma")], None  # type: ignore[index]
    try:
        if p.suffix.lower() == ".json":
            rows = json.loads(p.read_text(encoding="utf-8"))["results"]
        else:
            with p.open(encoding="utf-8", newline="") as fh:
                rows = list(csv.DictReader(fh))
    except (OSError, ValueError, KeyError) as exc:
        raise InputFormatError(
            p, expected="a mofglass results.json/.csv or a CIF", got=str(exc)
        ) from None
    found: dict[str, dict[str, float]] = {}
    for r in rows:
        if r.get("quantity") in _KEYS and r.get("value") not in (None, ""):
            found.setdefault(str(r.get("sample_id")), {})[str(r["quantity"])] = float(r["value"])
    if sample is not None:
        found = {k: v for k, v in found.items() if k == sample}
    if len(found) != 1:
        raise InputFormatError(
            p,
            expected="Pawley cell rows (cell_a_A ... cell_volume_A3) of one sample"
            + ("" if sample is None else f" ({sample!r})"),
            got=f"samples with cell rows: {sorted(found) or 'none'}",
        )
    vals = next(iter(found.values()))
    if all(k in vals for k in _KEYS[:3]):
        return [vals["cell_a_A"], vals["cell_b_A"], vals["cell_c_A"]], None
    if "cell_volume_A3" in vals:
        return None, vals["cell_volume_A3"]
    raise InputFormatError(
        p, expected="cell_a_A, cell_b_A, cell_c_A or cell_volume_A3", got=str(vals)
    )
