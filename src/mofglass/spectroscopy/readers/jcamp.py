"""JCAMP-DX 4.24 / 5.01 / 6.0 single spectra (IR and 1D NMR): AFFN and compressed (ASDF) tables.

Supported data tables: ``##XYDATA=(X++(Y..Y))`` (equidistant, each line an abscissa then
ordinates) in AFFN (free-format ASCII numbers separated by blanks, commas or signs) or in the
compressed SQZ/DIF/DUP forms (:mod:`~mofglass.spectroscopy.readers.jcamp_asdf`, with the X and Y
checks), and ``##XYPOINTS=(XY..XY)`` in AFFN, with XFACTOR/YFACTOR, FIRSTX/LASTX/NPOINTS.
NTUPLES files are refused with an InputFormatError. X units 1/CM, PPM, or HZ are understood:
Hz become ppm with Bruker's ``##$OFFSET`` (ppm of the first point) and ``##$SF`` when present,
else with ``##.OBSERVE FREQUENCY`` in MHz.

References
----------
.. [1] R. S. McDonald, P. A. Wilks, "JCAMP-DX: A Standard Form for Exchange of Infrared
       Spectra in Computer Readable Form", Appl. Spectrosc. 42 (1988) 151.
.. [2] A. N. Davies, P. Lampen, "JCAMP-DX for NMR", Appl. Spectrosc. 47 (1993) 1093.
"""

from __future__ import annotations

import re
import warnings
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np

from mofglass.errors import DataWarning, InputFormatError
from mofglass.spectroscopy.readers.jcamp_asdf import DecodedTable, decode_xydata, is_compressed
from mofglass.spectroscopy.spectrum import Spectrum

__all__ = ["format_jcamp", "parse_jcamp", "read_jcamp"]

_AFFN = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_COMPRESSED = re.compile(r"[@A-DF-Za-df-z%]")


def _label(key: str) -> str:
    return re.sub(r"[\s\-/_]", "", key.upper())


def _header_float(h: dict[str, str], key: str, source: str, default: float | None = None) -> float:
    if key not in h:
        if default is None:
            raise InputFormatError(source, expected=f"a ##{key}= header")
        return default
    try:
        return float(h[key].split()[0])
    except (ValueError, IndexError):
        raise InputFormatError(source, expected=f"a number in ##{key}=", got=h[key]) from None


def _numbers(line: str, source: str, lineno: int) -> list[float]:
    body = line.split("$$", 1)[0]
    if _COMPRESSED.search(body):
        raise InputFormatError(
            source,
            line=lineno,
            expected="AFFN numbers (compressed SQZ/DIF/DUP JCAMP is not supported)",
            got=body.strip(),
        )
    return [float(t) for t in _AFFN.findall(body)]


def parse_jcamp(text: str, source: str = "<string>") -> Spectrum:
    """Parse a single-block JCAMP-DX spectrum (see module docstring)."""
    h, table, rows = _scan(text, source)
    x, y = _table_xy(h, table, rows, source)
    x, x_unit = _x_axis(h, x, source)
    yunits = h.get("YUNITS", "").upper()
    if "TRANSMITTANCE" in yunits:
        y_kind = "transmittance"
        if np.nanmax(y) <= 1.5:  # fractional transmittance: store percent
            y = 100.0 * y
    elif "ABSORBANCE" in yunits:
        y_kind = "absorbance"
    else:
        y_kind = "intensity"
    meta: dict[str, Any] = {"format": "jcamp-dx", **h}
    return Spectrum(x, y, x_unit, y_kind, meta, source)  # type: ignore[arg-type]


def _scan(text: str, source: str) -> tuple[dict[str, str], str, list[tuple[int, str]]]:
    """Split the block into its labelled header, the table's form and its (line, text) rows."""
    h: dict[str, str] = {}
    table: str | None = None
    rows: list[tuple[int, str]] = []
    for i, ln in enumerate(text.splitlines(), start=1):
        s = ln.strip()
        if s.startswith("##"):
            key, _, val = s[2:].partition("=")
            lab = _label(key)
            if lab == "END":
                break
            if lab in {"XYDATA", "XYPOINTS", "PEAKTABLE", "NTUPLES"}:
                table = lab + "=" + val.replace(" ", "").upper()
                if lab == "NTUPLES":
                    raise InputFormatError(source, line=i, expected="a single XYDATA block", got=s)
                continue
            if table is not None:  # a label after the table ends it
                break
            h[lab] = val.strip()
        elif table is not None and s:
            rows.append((i, s))
    if table is None:
        raise InputFormatError(source, expected="an ##XYDATA= or ##XYPOINTS= table")
    return h, table, rows


def _table_xy(
    h: dict[str, str], table: str, rows: list[tuple[int, str]], source: str
) -> tuple[np.ndarray, np.ndarray]:
    """Decode an (X++(Y..Y)) or (XY..XY) table into x and y, with XFACTOR and YFACTOR."""
    xf = _header_float(h, "XFACTOR", source, 1.0)
    yf = _header_float(h, "YFACTOR", source, 1.0)
    if table == "XYDATA=(X++(Y..Y))":
        n = int(_header_float(h, "NPOINTS", source))
        first = _header_float(h, "FIRSTX", source)
        last = _header_float(h, "LASTX", source)
        bodies = [(lineno, s.split("$$", 1)[0]) for lineno, s in rows]
        if is_compressed([b for _, b in bodies]):
            decoded = decode_xydata(bodies, source)
        else:
            decoded = _affn_table(bodies, source)
        if len(decoded.y) != n:
            raise InputFormatError(
                source, expected=f"NPOINTS = {n} ordinates", got=str(len(decoded.y))
            )
        _check_abscissae(decoded, first, last, n, xf, source)
        y = np.asarray(decoded.y) * yf
        _check_first_y(h, float(y[0]), source)
        return np.linspace(first, last, n), y
    if table in {"XYPOINTS=(XY..XY)", "PEAKTABLE=(XY..XY)"}:
        flat: list[float] = []
        for lineno, s in rows:
            flat.extend(_numbers(s, source, lineno))
        if len(flat) % 2 or len(flat) < 4:
            raise InputFormatError(source, expected="(x, y) pairs", got=f"{len(flat)} numbers")
        return np.asarray(flat[0::2]) * xf, np.asarray(flat[1::2]) * yf
    raise InputFormatError(source, expected="(X++(Y..Y)) or (XY..XY) data", got=table)


def _affn_table(rows: list[tuple[int, str]], source: str) -> DecodedTable:
    """Ordinates and line abscissae of an uncompressed ``(X++(Y..Y))`` table."""
    ys: list[float] = []
    line_x: list[tuple[int, float, int]] = []
    for lineno, s in rows:
        nums = _numbers(s, source, lineno)
        if not nums:
            continue
        if len(nums) < 2:
            raise InputFormatError(source, line=lineno, expected="X Y [Y ...]", got=s)
        line_x.append((lineno, nums[0], len(ys)))
        ys.extend(nums[1:])
    return DecodedTable(ys, line_x)


def _check_abscissae(
    t: DecodedTable, first: float, last: float, n: int, xf: float, source: str
) -> None:
    """X check: each line's abscissa (times XFACTOR) must label its first ordinate.

    A lost, repeated or shuffled line shows as an abscissa more than two points (or one
    written digit of the abscissa, when the abscissae are rounded coarser) from its index.
    """
    if n < 2 or last == first:
        return
    dx = (last - first) / (n - 1)
    tolerance = max(2.0, abs(xf / dx))
    for lineno, x, index in t.line_x:
        position = (x * xf - first) / dx
        if abs(position - index) > tolerance:
            raise InputFormatError(
                source,
                line=lineno,
                expected=f"abscissa {(first + index * dx) / xf:.6g} (ordinate {index + 1})",
                got=f"{x:g}",
            )


def _check_first_y(h: dict[str, str], y0: float, source: str) -> None:
    """Warn when ``##FIRSTY`` disagrees with the first ordinate times YFACTOR (> 0.01 %).

    FIRSTY is the first ordinate in real units, written as a check of YFACTOR [1]_; a mismatch
    means one of the two headers is wrong, and the ordinates keep YFACTOR's scale.
    """
    if "FIRSTY" not in h:
        return
    first_y = _header_float(h, "FIRSTY", source)
    if abs(first_y - y0) > 1e-4 * max(abs(first_y), abs(y0)):
        warnings.warn(
            f"{source}: ##FIRSTY={first_y:.7g} but the first ordinate times ##YFACTOR is "
            f"{y0:.7g} ({100 * (y0 / first_y - 1):+.3g} %): one of the two headers is wrong; "
            "ordinates are scaled by YFACTOR",
            DataWarning,
            stacklevel=2,
        )


def _x_axis(h: dict[str, str], x: np.ndarray, source: str) -> tuple[np.ndarray, str]:
    """Return x and its kind from XUNITS (Hz become ppm, see the module docstring)."""
    xunits = h.get("XUNITS", "1/CM").upper()
    if xunits in {"1/CM", "CM-1", "CM^-1"}:
        return x, "wavenumber_cm1"
    if xunits == "PPM":
        return x, "shift_ppm"
    if xunits == "HZ" and "$OFFSET" in h and "$SF" in h:  # Bruker: Hz from the last point
        offset = _header_float(h, "$OFFSET", source)
        return offset + (x - x[0]) / _header_float(h, "$SF", source), "shift_ppm"
    if xunits == "HZ":
        return x / _header_float(h, ".OBSERVEFREQUENCY", source), "shift_ppm"
    raise InputFormatError(source, expected="XUNITS 1/CM, PPM or HZ", got=xunits)


def read_jcamp(path: str | PathLike[str]) -> Spectrum:
    """Read a JCAMP-DX file (``.jdx``, ``.dx``, ``.jcamp``)."""
    p = Path(path)
    return parse_jcamp(p.read_bytes().decode("latin-1"), p.name)


def format_jcamp(spectrum: Spectrum, *, title: str = "", per_line: int = 8, **labels: str) -> str:
    """JCAMP-DX 4.24 text of an equidistant spectrum in ``(X++(Y..Y))`` AFFN form.

    ``labels`` add ``##KEY=value`` lines (e.g. ``origin="mofglass demo"``). Used to write the
    demo files; round-trips through :func:`parse_jcamp`.
    """
    s = spectrum
    x, y = s.x, s.y
    n = x.size
    dx = (x[-1] - x[0]) / (n - 1)
    if not np.allclose(np.diff(x), dx, rtol=1e-6, atol=1e-9):
        raise ValueError("format_jcamp needs an equidistant x grid")
    yf = float(np.max(np.abs(y))) / 1e6 if np.any(y) else 1.0
    xunits = {"wavenumber_cm1": "1/CM", "shift_ppm": "PPM"}[s.x_unit]
    yunits = {"absorbance": "ABSORBANCE", "transmittance": "TRANSMITTANCE"}.get(
        s.y_kind, "ARBITRARY UNITS"
    )
    out = [
        f"##TITLE={title or s.source}",
        "##JCAMP-DX=4.24",
        f"##DATA TYPE={'NMR SPECTRUM' if s.x_unit == 'shift_ppm' else 'INFRARED SPECTRUM'}",
    ]
    out += [f"##{k.upper().replace('_', ' ')}={v}" for k, v in labels.items()]
    out += [
        f"##XUNITS={xunits}",
        f"##YUNITS={yunits}",
        "##XFACTOR=1",
        f"##YFACTOR={yf:.10g}",
        f"##FIRSTX={x[0]:.10g}",
        f"##LASTX={x[-1]:.10g}",
        f"##NPOINTS={n}",
        f"##FIRSTY={y[0]:.10g}",
        "##XYDATA=(X++(Y..Y))",
    ]
    yi = np.rint(y / yf).astype(np.int64)
    for i in range(0, n, per_line):
        out.append(f"{x[0] + i * dx:.6f} " + " ".join(str(v) for v in yi[i : i + per_line]))
    out.append("##END=")
    return "\n".join(out) + "\n"
