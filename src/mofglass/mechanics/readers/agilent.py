"""Agilent / Keysight / KLA Nano Indenter G200 Excel (``.xls``) exports, read with xlrd.

One sheet per test (``Test 001``, ...): row 1 names the channels, row 2 their units, then the
data until ``END``; column A marks segments (``Load Segment Type``, ``Hold Segment Type``,
``Unload From Peak Segment Type``, ``Thermal Drift Hold Segment``). CSM tests carry
``Harmonic Contact Stiffness`` (N/m) and the vendor's ``Hardness`` / ``Modulus`` (GPa); the
``Results`` sheet gives the tip area coefficients and ``Required Inputs`` the Poisson's ratio.
The value 1.797e308 marks "no value" and becomes NaN.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import numpy as np

from mofglass.errors import InputFormatError, MofglassError
from mofglass.mechanics.data import Indentation

__all__ = ["read_agilent_xls"]

_COLUMNS = {
    "Displacement Into Surface": "depth",
    "Load On Sample": "load",
    "Time On Sample": "time",
    "Harmonic Contact Stiffness": "stiffness",
    "Hardness": "hardness_GPa",
    "Modulus": "modulus_GPa",
}
_NO_VALUE = 1e300


def read_agilent_xls(path: str | Path) -> list[Indentation]:
    """Read every test sheet of a G200 ``.xls`` workbook.

    Parameters
    ----------
    path : str or Path
        The workbook.

    Returns
    -------
    list of Indentation
        One per ``Test NNN`` sheet in sheet order; ``metadata`` holds ``area_coefficients``
        (Area Coefficient 1..n = C0, C1, C2, ... of the Oliver-Pharr series), ``poisson_ratio``,
        ``frame_stiffness_N_m``, ``segments`` (name, first point index) and the vendor's
        ``vendor_modulus_GPa`` / ``vendor_hardness_GPa`` averages.

    Raises
    ------
    InputFormatError
        The file is not a readable workbook, has no test sheet, or lacks depth/load/time.
    MofglassError
        xlrd (the .xls reader) is not installed.
    """
    try:
        import xlrd
    except ImportError:  # pragma: no cover - depends on the environment
        raise MofglassError("reading G200 .xls files needs xlrd: pip install xlrd") from None
    source = str(path)
    try:
        # xlrd writes its complaints to stdout unless given a log file; the error says it all
        book = xlrd.open_workbook(source, on_demand=True, logfile=io.StringIO())
    except Exception as exc:  # xlrd raises several unrelated types for corrupt files
        raise InputFormatError(
            source, expected="an Excel 97-2003 (.xls) workbook", got=f"{type(exc).__name__}: {exc}"
        ) from None
    try:
        names = book.sheet_names()
        book_meta = _workbook_metadata(book, names)
        tests = [n for n in names if n.startswith("Test ") and "Tagged" not in n]
        if not tests:
            raise InputFormatError(source, expected="a 'Test NNN' sheet", got=", ".join(names))
        out = [_read_test(book.sheet_by_name(n), n, source, book_meta) for n in tests]
    finally:
        book.release_resources()
    return out


def _workbook_metadata(book: Any, names: list[str]) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    tables = {}
    for sheet in ("Results", "Required Inputs", "Inputs Editable Post Test"):
        if sheet in names:
            s = book.sheet_by_name(sheet)
            if s.nrows >= 3:
                tables[sheet] = (s.row_values(0), s.row_values(2))
    if "Results" in tables:
        head, first = tables["Results"]
        coeffs = [
            (int(h.rsplit(" ", 1)[1]), float(v))
            for h, v in zip(head, first, strict=False)
            if str(h).startswith("Area Coefficient") and v != ""
        ]
        if coeffs:
            meta["area_coefficients"] = [v for _, v in sorted(coeffs)]
        for h, key in (
            ("E Average Over Defined Range", "modulus"),
            ("H Average Over Defined Range", "hardness"),
        ):
            if h in head:
                col = head.index(h)
                s = book.sheet_by_name("Results")
                meta[f"vendor_{key}_by_test_GPa"] = {
                    str(s.cell_value(r, 0)): float(s.cell_value(r, col))
                    for r in range(2, s.nrows)
                    if isinstance(s.cell_value(r, col), float) and str(s.cell_value(r, 0)).isdigit()
                }
    for sheet in ("Required Inputs", "Inputs Editable Post Test"):
        if sheet in tables:
            head, first = tables[sheet]
            if "Poissons Ratio" in head:
                meta["poisson_ratio"] = float(first[head.index("Poissons Ratio")])
            if "Frame Stiffness Correction" in head:
                meta["frame_stiffness_N_m"] = float(first[head.index("Frame Stiffness Correction")])
    return meta


def _read_test(sheet: Any, name: str, source: str, book_meta: dict[str, Any]) -> Indentation:
    header = [str(v).strip() for v in sheet.row_values(0)]
    cols = {key: header.index(col) for col, key in _COLUMNS.items() if col in header}
    for needed in ("depth", "load", "time"):
        if needed not in cols:
            raise InputFormatError(
                f"{source}[{name}]",
                line=1,
                expected="columns 'Displacement Into Surface', 'Load On Sample', 'Time On Sample'",
                got=", ".join(header),
            )
    rows: list[list[float]] = []
    segments: list[tuple[str, int]] = []
    for r in range(2, sheet.nrows):
        mark = sheet.cell_value(r, 0)
        if mark == "END":
            break
        if mark:
            segments.append((str(mark), len(rows)))
        values = []
        for key in ("depth", "load", "time", "stiffness", "hardness_GPa", "modulus_GPa"):
            v = sheet.cell_value(r, cols[key]) if key in cols else np.nan
            if not isinstance(v, float):
                v = np.nan
            values.append(np.nan if abs(v) > _NO_VALUE else v)
        rows.append(values)
    data = np.asarray(rows, dtype=float)
    ok = np.isfinite(data[:, :3]).all(axis=1)
    if not ok.any():
        raise InputFormatError(
            f"{source}[{name}]", line=3, expected="numeric data rows", got="none"
        )
    test_no = name.split()[-1].lstrip("0") or "0"
    meta = {k: v for k, v in book_meta.items() if not k.endswith("_by_test_GPa")}
    for key in ("modulus", "hardness"):
        by_test = book_meta.get(f"vendor_{key}_by_test_GPa", {})
        if test_no in by_test:
            meta[f"vendor_{key}_GPa"] = by_test[test_no]
    meta["segments"] = [(s, int(np.count_nonzero(ok[:i]))) for s, i in segments]
    meta["declared_points"] = len(rows)
    channels = {k: data[ok, j] for j, k in ((4, "hardness_GPa"), (5, "modulus_GPa")) if k in cols}
    return Indentation(
        depth_nm=data[ok, 0],
        load_mN=data[ok, 1],
        time_s=data[ok, 2],
        name=name,
        source=source,
        instrument="agilent-xls",
        harmonic_stiffness_N_m=data[ok, 3] if "stiffness" in cols else None,
        channels=channels,
        metadata=meta,
    )
