"""TA Instruments TRIOS JSON exports, read through ``tadatakit`` (extra ``mofglass[trios]``).

A TRIOS JSON export (schema ``TRIOSJSONExportSchema``, package ``tainstruments_triosdataschema``)
holds one experiment: ``Sample`` (``Mass`` as a value with its unit, ``PanType``), ``Procedure``
(``Steps`` with a ``Name`` such as ``Ramp 10.00 °C/min to 200.00 °C`` and an ``Id``;
``Configuration.InstrumentConfigurations`` with the instrument ``Type``/``Name``) and ``Results``
(``Original`` and/or ``Processed`` data sets: ``ColumnHeaders`` keyed by column id with a
``DisplayName``, ``ValueType`` and ``Unit``, ``ResultsSteps`` pointing back to their
``SourceProcedureStepId``, and ``Rows`` of values by column id). The original data set is read
(the processed one when there is none, with a warning); columns become roles by display name and
unit; the procedure step of every row is the segment index, and the step names parsed as ramps,
isotherms and equilibrations are the programme. The export does not state the exo direction of
heat flow (TRIOS plots it by a user setting): it must be given, as for other exports without it.

References
----------
.. [1] TA Instruments, TRIOS JSON Export schema and ``tadatakit`` 0.1 (MIT), 2024.
"""

from __future__ import annotations

import json
import re
import warnings as _warnings
from typing import Any

import numpy as np

from mofglass.errors import InputFormatError
from mofglass.thermal.readers._build import ParsedExport, ThermalReadOptions
from mofglass.thermal.readers._text import Column, recognise_columns, split_name_unit

__all__ = ["parse", "parse_step", "sniff"]

_RAMP = re.compile(r"Ramp\s+([-\d.]+)\s*°?C/min\s+to\s+([-\d.]+)\s*°?C", re.I)
_ISO = re.compile(r"Isothermal\s+for\s+([\d.]+)\s*min", re.I)
_EQUIL = re.compile(r"Equilibrate\s+at\s+([-\d.]+)\s*°?C", re.I)


def sniff(text: str) -> bool:
    """Return True for a TRIOS JSON export (a JSON object naming the TRIOS export schema)."""
    head = text[:4000].lstrip()
    return head.startswith("{") and "TRIOSJSONExportSchema" in head


def parse_step(name: str) -> dict[str, Any]:
    """Return a TRIOS procedure step name as a programme segment (empty dict if not a temperature step).

    >>> parse_step("Ramp 10.00 °C/min to 200.00 °C")
    {'kind': 'ramp', 'rate_K_min': 10.0, 'end_C': 200.0}
    >>> parse_step("Isothermal for 5.00 min")
    {'kind': 'isothermal', 'hold_min': 5.0}
    """
    if m := _RAMP.search(name):
        return {"kind": "ramp", "rate_K_min": float(m.group(1)), "end_C": float(m.group(2))}
    if m := _ISO.search(name):
        return {"kind": "isothermal", "hold_min": float(m.group(1))}
    if m := _EQUIL.search(name):
        return {"kind": "equilibrate", "end_C": float(m.group(1))}
    return {}


def _experiment(text: str, source: str) -> Any:
    """Return the tadatakit ``Experiment`` of the export (InputFormatError if it is not one)."""
    try:
        from tadatakit.classes import Experiment
    except ImportError as exc:
        raise InputFormatError(
            source,
            expected="tadatakit for TRIOS JSON exports (pip install 'mofglass[trios]')",
            got="tadatakit not installed",
        ) from exc
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputFormatError(
            source, line=exc.lineno, column=exc.colno, expected="valid JSON", got=exc.msg
        ) from None
    try:
        return Experiment.from_dict(doc)
    except Exception as exc:  # tadatakit raises plain errors on a schema mismatch
        raise InputFormatError(
            source, expected="a TRIOS JSON export (TRIOSJSONExportSchema)", got=str(exc)
        ) from None


def _mass_mg(exp: Any) -> float | None:
    mass = getattr(getattr(exp, "sample", None), "mass", None)
    if mass is None or mass.value is None:
        return None
    unit = getattr(getattr(mass, "unit", None), "name", "mg") or "mg"
    factor = {"mg": 1.0, "g": 1e3, "µg": 1e-3, "ug": 1e-3}.get(unit)
    return None if factor is None else float(mass.value) * factor


def _segments(exp: Any, dataset: Any) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Procedure steps as segments, and results-step id -> 1-based step number."""
    steps = list(getattr(exp.procedure, "steps", None) or [])
    number = {str(s.id): k for k, s in enumerate(steps, 1) if getattr(s, "id", None)}
    segs = [{"number": k, "text": s.name, **parse_step(s.name)} for k, s in enumerate(steps, 1)]
    by_result = {}
    for r in getattr(dataset, "results_steps", None) or []:
        src = str(getattr(r, "source_procedure_step_id", "") or "")
        if src in number:
            by_result[str(r.id)] = number[src]
    return segs, by_result


def parse(text: str, source: str, options: ThermalReadOptions) -> ParsedExport:
    """Parse a TRIOS JSON export (see module docstring)."""
    warn: list[str] = []
    exp = _experiment(text, source)
    results = exp.results
    section = "original" if getattr(results, "original", None) is not None else "processed"
    if section == "processed":
        warn.append("no original data set in the TRIOS export: the processed one is read")
    dataset = getattr(results, section, None)
    if dataset is None:
        raise InputFormatError(source, expected="Results.Original or Results.Processed data")
    with _warnings.catch_warnings(record=True) as caught:
        _warnings.simplefilter("always")
        df = exp.get_dataframe(section)
    warn += [str(w.message) for w in caught]
    numeric = [c for c in df.columns if df[c].dtype.kind == "f"]
    if not numeric or len(df) < 2:
        raise InputFormatError(source, expected="numeric data rows", got=f"{len(df)} rows")
    pairs = [split_name_unit(c.replace(" / ", " (", 1) + ")") for c in numeric]
    cols = recognise_columns([n for n, _ in pairs], [u for _, u in pairs])
    data = df[numeric].to_numpy(dtype=float)
    segs, by_result = _segments(exp, dataset)
    step_col = next((c for c in df.columns if c in ("Results Step Id", "Procedure Step Id")), None)
    if step_col is not None and by_result:
        steps = np.array([by_result.get(str(v), 0) for v in df[step_col]], float)
        data = np.column_stack([data, steps])
        cols = [*cols, Column(len(numeric), "segment", "Procedure step", "")]
    config = getattr(exp.procedure, "configuration", None)
    instruments = getattr(config, "instrument_configurations", None) or []
    meta: dict[str, Any] = {"segments": segs, "sample": getattr(exp.sample, "name", "")}
    if instruments:
        meta["instrument"] = " ".join(
            str(getattr(instruments[0], k, "") or "") for k in ("type", "name")
        ).strip()
    if getattr(exp.sample, "pan_type", None):
        meta["crucible"] = exp.sample.pan_type
    return ParsedExport(
        data,
        cols,
        np.arange(1, len(data) + 1),
        metadata=meta,
        warnings=warn,
        sample_mass_mg=_mass_mg(exp) if options.sample_mass_mg is None else None,
    )
