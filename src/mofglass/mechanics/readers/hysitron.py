"""Hysitron (Bruker) TriboScan ``.txt`` and HighLoad ``.hld`` load-displacement exports.

TriboScan text export::

    Mon Apr 29 10:41:06 2019
    <blank>
    Number of Points = 5304
    Depth (nm)	Load (µN)	Time (s)	Depth (V)	Load (V)
    0.814723	1.836146	0.000000	-0.001850	0.481918
    ...

HighLoad ``.hld``: ``Key: value unit`` header lines (tip area coefficients ``Tip C0..C5`` in the
Oliver-Pharr series, ``Machine Comp`` in nm/µN, segments), then three blocks each introduced by
``... Data Points: n`` and a column-name line: sample approach, drift measurement, test data
(``Time_s Disp_nm Force_µN ...``). Only the test block is returned.
"""

from __future__ import annotations

import re

from mofglass.errors import InputFormatError
from mofglass.mechanics.data import Indentation
from mofglass.mechanics.readers._text import parse_table

__all__ = ["format_hysitron_txt", "parse_hysitron_hld", "parse_hysitron_txt"]

_MICRO = ("µ", "μ", "u", "\ufffd")


def parse_hysitron_txt(text: str, *, source: str = "<string>") -> Indentation:
    """Parse a Hysitron TriboScan text export (depth nm, load µN, time s).

    Parameters
    ----------
    text : str
        The file content.
    source : str
        File name for metadata and error messages.

    Returns
    -------
    Indentation
        Load converted to mN; ``metadata["date"]`` is the first line.

    Raises
    ------
    InputFormatError
        Missing ``Number of Points`` or column header, bad numbers, or fewer rows than declared.
    """
    lines = text.splitlines()
    if len(lines) < 4:
        raise InputFormatError(source, line=len(lines) + 1, expected="a 4-line Hysitron header")
    m = re.match(r"\s*Number of Points\s*=\s*(\d+)", lines[2])
    if m is None:
        raise InputFormatError(
            source, line=3, expected="'Number of Points = <n>'", got=lines[2].strip()
        )
    header = lines[3]
    if "Depth (nm)" not in header or "Load (" not in header:
        raise InputFormatError(
            source, line=4, expected="columns 'Depth (nm)', 'Load (µN)', 'Time (s)'", got=header
        )
    n = int(m.group(1))
    data = parse_table(lines, start=4, n_rows=n, n_cols=3, source=source, skip_blank=True)
    breaks, count = [], 0
    for line in lines[4:]:
        if line.strip():
            count += 1
        elif 0 < count < n:
            breaks.append(count)  # a blank line: the next segment starts at this point index
    load_unit = header.split("Load (", 1)[1].split(")", 1)[0]
    scale = 1e-3 if load_unit.startswith(_MICRO) else 1.0 if load_unit == "mN" else None
    if scale is None:
        raise InputFormatError(source, line=4, expected="load in µN or mN", got=load_unit)
    return Indentation(
        depth_nm=data[:, 0],
        load_mN=data[:, 1] * scale,
        time_s=data[:, 2],
        name="",
        source=source,
        instrument="hysitron-txt",
        metadata={"date": lines[0].strip(), "declared_points": n, "segment_starts": breaks},
    )


def parse_hysitron_hld(text: str, *, source: str = "<string>") -> Indentation:
    """Parse a Hysitron HighLoad ``.hld`` file (test block: time s, depth nm, force µN).

    Returns
    -------
    Indentation
        ``metadata`` holds ``area_coefficients`` (Tip C0..C5, nm-based Oliver-Pharr series),
        ``frame_compliance_nm_mN`` (from ``Machine Comp``, nm/µN x 1000), ``drift_rate_nm_s``,
        ``segments`` (begin time s, begin/end demand mN) and all raw ``header`` values.

    Raises
    ------
    InputFormatError
        Not a HighLoad file, a missing data block, or a truncated block.
    """
    lines = text.splitlines()
    if not lines or not lines[0].startswith("File Version: Hysitron"):
        raise InputFormatError(
            source, line=1, expected="'File Version: Hysitron ...'", got=lines[0] if lines else ""
        )
    header: dict[str, str] = {}
    tip: dict[int, float] = {}
    segments: list[dict[str, float]] = []
    i = 1
    blocks: dict[str, tuple[int, int]] = {}
    while i < len(lines):
        line = lines[i]
        key, sep, rest = line.partition(":")
        if not sep:
            i += 1
            continue
        key = key.strip()
        if key.endswith("Data Points"):
            try:
                n = int(rest.split()[0])
                if n < 0:  # a negative count would step back and loop for ever
                    raise ValueError
            except (ValueError, IndexError):
                raise InputFormatError(
                    source, line=i + 1, expected="a point count", got=line
                ) from None
            blocks[key] = (i + 2, n)  # column-name line, then n rows
            i += 2 + n
            continue
        _header_item(key, rest.strip(), header, tip, segments, source, i)
        i += 1
    if "Test Data Points" not in blocks:
        raise InputFormatError(
            source, line=len(lines), expected="a 'Test Data Points: n' block", got="end of file"
        )
    start, n = blocks["Test Data Points"]
    columns = lines[start - 1].split("\t") if start - 1 < len(lines) else []
    if len(columns) < 3 or not columns[0].startswith("Time") or "Disp_nm" not in columns[1]:
        raise InputFormatError(
            source, line=start, expected="'Time_s Disp_nm Force_µN ...'", got="\t".join(columns)
        )
    data = parse_table(lines, start=start, n_rows=n, n_cols=3, source=source)
    meta: dict[str, object] = {"header": header, "segments": segments, "declared_points": n}
    if tip:
        meta["area_coefficients"] = [tip.get(k, 0.0) for k in range(max(tip) + 1)]
    if "Machine Comp" in header:
        meta["frame_compliance_nm_mN"] = _number(header["Machine Comp"].split()[0], source, 0) * 1e3
    if "Drift Rate" in header:
        meta["drift_rate_nm_s"] = _number(header["Drift Rate"].split()[0], source, 0)
    return Indentation(
        depth_nm=data[:, 1],
        load_mN=data[:, 2] * 1e-3,
        time_s=data[:, 0],
        source=source,
        instrument="hysitron-hld",
        metadata=meta,
    )


def _header_item(
    key: str,
    value: str,
    header: dict[str, str],
    tip: dict[int, float],
    segments: list[dict[str, float]],
    source: str,
    i: int,
) -> None:
    """Store one ``key: value`` header line (tip coefficients and segments by their keys)."""
    header[key] = value
    number = value.split(" ", 1)[0]
    if m := re.fullmatch(r"Tip C(\d)", key):
        tip[int(m.group(1))] = _number(number, source, i)
    elif key == "Segment Begin Time":
        segments.append({"begin_time_s": _number(number, source, i)})
    elif key == "Segment Begin Demand" and segments:
        segments[-1]["begin_demand_mN"] = _number(number, source, i) * 1e-3
    elif key == "Segment End Demand" and segments:
        segments[-1]["end_demand_mN"] = _number(number, source, i) * 1e-3


def _number(token: str, source: str, index: int) -> float:
    try:
        return float(token)
    except ValueError:
        raise InputFormatError(source, line=index + 1, expected="a number", got=token) from None


def format_hysitron_txt(indentation: Indentation, *, date: str = "Wed Jan 01 00:00:00 2025") -> str:
    """Write an :class:`Indentation` as TriboScan text (the inverse of :func:`parse_hysitron_txt`).

    Used by the demo to store simulated indents in a real instrument format. The voltage
    columns are written as zeros.
    """
    body = "\n".join(
        f"{h:.6f}\t{p * 1e3:.6f}\t{t:.6f}\t0.000000\t0.000000"
        for h, p, t in zip(
            indentation.depth_nm, indentation.load_mN, indentation.time_s, strict=True
        )
    )
    return (
        f"{date}\n\nNumber of Points = {len(indentation)}\n"
        "Depth (nm)\tLoad (µN)\tTime (s)\tDepth (V)\tLoad (V)\n" + body + "\n"
    )
