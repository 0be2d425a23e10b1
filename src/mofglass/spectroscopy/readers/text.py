"""Generic two-column text/CSV spectra and Bruker TopSpin ``totxt`` 1D exports.

Two-column files: leading header/comment lines are skipped (and sniffed for units: ``ppm``,
``cm-1``/``cm^-1``/``1/cm``, ``%T``/``transmittance``, ``absorbance``); columns are separated by
tabs, semicolons, commas or blanks. A decimal comma is recognised when the separator is a tab,
semicolon or blank (``1234,5;0,87``).

TopSpin ``totxt`` export (processed 1r data): ``#`` comment lines with ``LEFT = a ppm. RIGHT =
b ppm.`` and ``SIZE = n``, then one intensity per line from LEFT to RIGHT [1]_.

References
----------
.. [1] Bruker TopSpin "totxt" command: ASCII export of the processed 1D spectrum (Bruker
       TopSpin User Manual, "Processing commands: totxt").
"""

from __future__ import annotations

import re
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np

from mofglass.errors import InputFormatError
from mofglass.spectroscopy.spectrum import Spectrum

__all__ = ["parse_topspin_txt", "parse_two_column", "read_text_spectrum", "read_topspin_raw"]

_NUM = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_LEFT = re.compile(r"LEFT\s*=\s*([-+0-9.eE]+)\s*ppm.*RIGHT\s*=\s*([-+0-9.eE]+)\s*ppm", re.I)
_SIZE = re.compile(r"SIZE\s*=\s*(\d+)", re.I)


def _fields(line: str) -> list[str]:
    """Split a data line; turn decimal commas into points where unambiguous."""
    s = line.strip()
    if ";" in s:
        return [t.strip().replace(",", ".") for t in s.split(";") if t.strip()]
    if "\t" in s:
        return [t.strip().replace(",", ".") for t in s.split("\t") if t.strip()]
    if "," in s:
        blank = s.split()
        if len(blank) >= 2:  # "1234,5 0,87": commas are decimal marks
            return [t.replace(",", ".") for t in blank]
        return [t.strip() for t in s.split(",") if t.strip()]
    return s.split()


def _is_data(fields: list[str]) -> bool:
    return len(fields) >= 1 and all(_NUM.match(f) for f in fields[:2])


def sniff_units(header: str) -> tuple[str | None, str | None]:
    """(x_unit, y_kind) named in header text, or None for what it does not say."""
    h = header.lower()
    x = None
    if "ppm" in h:
        x = "shift_ppm"
    elif re.search(r"cm\s*(-1|\^-1|⁻¹|-¹)|1/cm|wavenumber", h):
        x = "wavenumber_cm1"
    y = None
    if "%t" in h or "transmittance" in h:
        y = "transmittance"
    elif "absorbance" in h or re.search(r"\babs\b", h):
        y = "absorbance"
    elif "intensity" in h or "counts" in h:
        y = "intensity"
    return x, y


def parse_topspin_txt(text: str, source: str = "<string>") -> Spectrum:
    """Parse a TopSpin ``totxt`` export (see module docstring); x is the shift in ppm."""
    lines = text.splitlines()
    comments = "\n".join(ln for ln in lines if ln.lstrip().startswith("#"))
    m = _LEFT.search(comments)
    if m is None:
        raise InputFormatError(source, expected="'# LEFT = a ppm. RIGHT = b ppm.' header")
    left, right = float(m.group(1)), float(m.group(2))
    ys: list[float] = []
    for i, ln in enumerate(lines):
        s = ln.strip()
        if not s or s.startswith("#"):
            continue
        try:
            ys.append(float(s.replace(",", ".")))
        except ValueError:
            raise InputFormatError(source, line=i + 1, expected="one intensity", got=s) from None
    size = _SIZE.search(comments)
    if size is not None and int(size.group(1)) != len(ys):
        raise InputFormatError(
            source, expected=f"SIZE = {size.group(1)} intensities", got=f"{len(ys)}"
        )
    if len(ys) < 2:
        raise InputFormatError(source, expected="at least 2 intensities", got=str(len(ys)))
    x = np.linspace(left, right, len(ys))
    meta = {"format": "topspin-totxt", "left_ppm": left, "right_ppm": right}
    return Spectrum(x, np.array(ys), "shift_ppm", "intensity", meta, source)


def parse_two_column(
    text: str,
    source: str = "<string>",
    *,
    x_unit: str | None = None,
    y_kind: str | None = None,
) -> Spectrum:
    """Parse x/y text; units from the arguments, else the header, else cm⁻¹ and absorbance."""
    lines = text.splitlines()
    header: list[str] = []
    xs: list[float] = []
    ys: list[float] = []
    started = False
    for i, ln in enumerate(lines):
        s = ln.strip()
        if not s:
            continue
        if s.startswith(("#", "%", "!", "//")) and not started:
            header.append(s)
            continue
        f = _fields(s)
        if not _is_data(f):
            if started:
                raise InputFormatError(source, line=i + 1, expected="two numeric columns", got=s)
            header.append(s)
            continue
        if len(f) < 2:
            raise InputFormatError(source, line=i + 1, expected="two numeric columns", got=s)
        started = True
        xs.append(float(f[0]))
        ys.append(float(f[1]))
    if len(xs) < 2:
        raise InputFormatError(source, expected="at least 2 rows of two numbers", got=str(len(xs)))
    hx, hy = sniff_units("\n".join(header))
    xu = x_unit or hx or "wavenumber_cm1"
    yk = y_kind or hy or ("intensity" if xu == "shift_ppm" else "absorbance")
    meta: dict[str, Any] = {"format": "two-column", "header": "\n".join(header)}
    return Spectrum(np.array(xs), np.array(ys), xu, yk, meta, source)  # type: ignore[arg-type]


def read_text_spectrum(
    path: str | PathLike[str], *, x_unit: str | None = None, y_kind: str | None = None
) -> Spectrum:
    """Read a TopSpin ``totxt`` export or a two-column file (decided from the content)."""
    p = Path(path)
    raw = p.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    if _LEFT.search(text[:4000]):
        return parse_topspin_txt(text, p.name)
    return parse_two_column(text, p.name, x_unit=x_unit, y_kind=y_kind)


def read_topspin_raw(path: str | PathLike[str]) -> Spectrum:
    """Refuse a Bruker TopSpin raw experiment (``acqus`` + ``fid``, e.g. a zipped folder).

    A raw FID needs Fourier transform, phasing and referencing before it is a spectrum;
    mofglass reads the processed spectrum that TopSpin exports (``totxt`` or JCAMP-DX).

    Raises
    ------
    InputFormatError
        Always, at line 1, saying what to export instead.
    """
    raise InputFormatError(
        Path(path).name,
        line=1,
        expected="a processed spectrum (TopSpin 'totxt' text or a JCAMP-DX export); raw FIDs "
        "are not Fourier-transformed by mofglass",
        got="a TopSpin raw experiment (acqus, fid)",
    )
