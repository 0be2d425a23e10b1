"""PerkinElmer Pyris text exports (TGA 8000, TGA 4000, DSC 8000 "Save as ASCII").

The export starts with ``Key:<TAB>value`` lines (``Filename:``, ``Sample ID:``, ``Sample
Weight:<TAB>7.026 mg``, ``Data Collected:``), the method (``Method Steps:`` then numbered steps
``1)<TAB>Hold for 1.0 min at 50.00 °C``), then one block per method step: a title line such as
``4) TGA Temperature Scan``, the column names split over two lines (``Time / Unsubtracted Weight /
Baseline Weight / Program Temperature / Sample Temperature / Sample Purge Flow / Balance Purge
Flow``), and tab-indented numbers. Time runs on across the blocks; calibration records follow the
last block. The names carry no units: Pyris writes time in min, weights in mg, temperatures in
°C, heat flow in mW and gas flows in mL/min (stated as a warning). The step number of each block
becomes the segment index; the method steps go into ``metadata["segments"]``.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from mofglass.errors import InputFormatError
from mofglass.thermal.readers._build import ParsedExport, ThermalReadOptions
from mofglass.thermal.readers._table import find_table
from mofglass.thermal.readers._text import Column, recognise_columns

__all__ = ["parse", "sniff"]

_BLOCK = re.compile(r"^\s*(\d+)\)\s+(\S.*?)\s*$")
_STEP = re.compile(r"^\s*(\d+)\)\t\s*(\S.*?)\s*$")
_MASS = re.compile(r"([-\d.,]+)\s*mg", re.I)
_NUMERIC = re.compile(r"^[-+]?\d")
_HEAT = re.compile(
    r"(Heat|Cool)\s+from\s+([-\d.]+)\s*\S?C\s+to\s+([-\d.]+)\s*\S?C\s+at\s+([-\d.]+)", re.I
)
_HOLD = re.compile(r"Hold\s+for\s+([-\d.]+)\s*min\s+at\s+([-\d.]+)", re.I)
#: Pyris default units by column name (the export writes none)
_UNITS = (
    ("time", "min"),
    ("weight", "mg"),
    ("temperature", "°C"),
    ("heat flow", "mW"),
    ("flow", "ml/min"),
    ("derivative", ""),
)


def sniff(text: str) -> bool:
    """Return True for a Pyris export: a ``Filename:`` first line and Pyris-style step blocks."""
    head = text[:20000]
    return head.startswith("Filename:") and (
        "Pyris" in head or "Method Steps" in head or bool(re.search(r"\n\d+\) (TGA|DSC)", head))
    )


def _method_steps(lines: list[str]) -> list[dict[str, Any]]:
    """Parse the numbered method steps (heat/cool ramps and holds) of the header."""
    steps: list[dict[str, Any]] = []
    for line in lines:
        m = _STEP.match(line)
        if not m:
            continue
        text = m.group(2)
        seg: dict[str, Any] = {"number": int(m.group(1)), "text": text}
        r = _HEAT.search(text)
        h = _HOLD.search(text)
        if r:
            a, b, q = float(r.group(2)), float(r.group(3)), float(r.group(4))
            seg.update(
                kind="heating" if b > a else "cooling",
                start_C=a,
                end_C=b,
                rate_K_min=q if b > a else -q,
            )
        elif h:
            T = float(h.group(2))
            seg.update(kind="isothermal", start_C=T, end_C=T, hold_min=float(h.group(1)))
        steps.append(seg)
    return steps


def _column_names(lines: list[str], i: int) -> list[str]:
    """Join the two header lines after a block title into one name per column."""
    top = lines[i + 1].strip("\r\n").split("\t")[1:]
    bottom = lines[i + 2].strip("\r\n").split("\t")[1:] if i + 2 < len(lines) else []
    bottom += [""] * (len(top) - len(bottom))
    names = [f"{a.strip()} {b.strip()}".strip() for a, b in zip(top, bottom, strict=False)]
    while names and not names[-1]:
        names.pop()
    return names


def _with_unit(name: str) -> str:
    low = name.lower()
    for key, unit in _UNITS:
        if key in low:
            return f"{name} ({unit})" if unit else name
    return name


def parse(text: str, source: str, options: ThermalReadOptions) -> ParsedExport:
    """Parse a PerkinElmer Pyris text export (see module docstring)."""
    lines = text.splitlines()
    meta: dict[str, Any] = {}
    for line in lines[:40]:
        key, sep, value = line.partition(":")
        if sep and key.strip() and not _STEP.match(line):
            meta.setdefault(key.strip(), value.strip())
    meta["segments"] = _method_steps(lines)
    mass = options.sample_mass_mg
    if mass is None and "Sample Weight" in meta:
        m = _MASS.search(meta["Sample Weight"])
        if m:
            mass = float(m.group(1).replace(",", "."))
    blocks = [
        (i, int(m.group(1)), m.group(2))
        for i, line in enumerate(lines)
        if (m := _BLOCK.match(line)) and not _STEP.match(line) and i + 3 < len(lines)
    ]
    if not blocks:
        raise InputFormatError(source, expected="numbered data blocks such as '1) TGA Isothermal'")
    names = [_with_unit(n) for n in _column_names(lines, blocks[0][0])]
    stripped = [ln.strip() for ln in lines]
    parts, rows, step_of_row = [], [], []
    ends = [b[0] for b in blocks[1:]] + [len(lines)]
    for (i, number, _title), end in zip(blocks, ends, strict=True):
        if not _NUMERIC.match(stripped[i + 1]):  # a block with its own column header
            block_names = [_with_unit(n) for n in _column_names(lines, i)]
            if block_names != names:
                raise InputFormatError(
                    source, line=i + 2, expected=f"the columns {names}", got=str(block_names)
                )
        table = find_table(stripped[:end], source, start=i + 1, separator="\t", names=names)
        parts.append(table.data)
        rows.append(table.lines)
        step_of_row.append(np.full(len(table.data), float(number)))
    data = np.vstack(parts)
    cols = recognise_columns(*zip(*(_split(n) for n in names), strict=True))
    seg_col = Column(len(names), "segment", "Method step", "")
    data = np.column_stack([data, np.concatenate(step_of_row)])
    meta["instrument"] = "PerkinElmer " + meta.get("Serial Number", "").strip()
    return ParsedExport(
        data,
        [*cols, seg_col],
        np.concatenate(rows),
        metadata=meta,
        warnings=[
            "PerkinElmer Pyris exports carry no units; Pyris defaults assumed "
            "(time min, weight mg, temperature °C, heat flow mW)"
        ],
        sample_mass_mg=mass,
    )


def _split(name: str) -> tuple[str, str]:
    m = re.match(r"^(.*?)\s*\(([^()]*)\)$", name)
    return (m.group(1), m.group(2)) if m else (name, "")
