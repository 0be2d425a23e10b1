"""JASCO Spectra Manager files: the CSV/text export and the native binary ``.jws`` / ``.jrs``.

CSV export: ``KEY,value`` header lines (TITLE, DATA TYPE, XUNITS, YUNITS, FIRSTX, LASTX,
NPOINTS, ...), a line ``XYDATA``, then ``x,y`` rows, then an optional ``##### Extended
Information`` footer (Shift-JIS text on Japanese systems). The point count is checked against
NPOINTS.

Native ``.jws`` (SPECMAN R2.0.0, Spectra Manager 2) is little-endian with a fixed header and a
float32 y block at the end of the file; the layout below follows the reverse-engineered and
byte-validated description of JASCOFiles.jl [1]_. Older (Spectra Manager 1.x, ``SPCMAN2``)
``.jws`` files are OLE2 compound documents: they are opened with the optional ``olefile`` package
and decoded from their ``DataInfo`` (96 bytes: NPOINTS at 0x14, FIRSTX/LASTX/DELTAX float64 at
0x18, x descriptor 0x10000100 at 0x30, y-mode code at 0x34) and ``Y-Data`` (float32) streams,
following the corpus-verified layout of [2]_; without olefile the user is asked to export CSV.

References
----------
.. [1] G. Stemo, JASCOFiles.jl, "Native .jws/.jrs binary reading" design note (2026),
       https://github.com/garrekstemo/JASCOFiles.jl (MIT).
.. [2] G. Stemo, JASCOFiles.jl, "Legacy JASCO .jws (Spectra Manager 1.x, OLE2 container)"
       specification (2026), same repository.
"""

from __future__ import annotations

import struct
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np

from mofglass.errors import InputFormatError
from mofglass.spectroscopy.spectrum import Spectrum

__all__ = ["parse_jasco_csv", "parse_legacy_jws_streams", "read_jasco_csv", "read_jws"]

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_JWS_MAGIC = b"L~S "
_HEADER_SIZE = 0x740  # fixed header; the float32 block follows (JASCOFiles.jl note)
_Y_MODES = {0x03: "absorbance", 0x00: "transmittance", 0x09: "intensity", 0x0A: "intensity"}
_LEGACY_Y_MODES = {0x00: "transmittance", 0x03: "absorbance", 0x08: "intensity"}
_X_CODES = {0: "wavenumber_cm1"}


def _y_kind(yunits: str, source: str, line: int) -> str:
    u = yunits.strip().upper()
    if u.startswith("ABS"):
        return "absorbance"
    if u.startswith("%T") or u.startswith("TRANS"):
        return "transmittance"
    if u in {"INTENSITY", "INT", "COUNTS", "ARBITRARY UNITS", "A.U."}:
        return "intensity"
    raise InputFormatError(
        source, line=line, expected="YUNITS ABSORBANCE, TRANSMITTANCE or INTENSITY", got=yunits
    )


def parse_jasco_csv(text: str, source: str = "<string>") -> Spectrum:
    """Parse the text of a JASCO CSV export (see module docstring)."""
    lines = text.splitlines()
    header: dict[str, str] = {}
    start = None
    for i, raw in enumerate(lines):
        line = raw.strip()
        if line.upper().startswith("XYDATA"):
            start = i + 1
            break
        if "," in line:
            k, _, v = line.partition(",")
            header[k.strip().upper()] = v.strip()
    if start is None:
        raise InputFormatError(source, expected="a JASCO header ending with an 'XYDATA' line")
    xu = header.get("XUNITS", "1/CM").upper()
    if xu not in {"1/CM", "CM-1", "CM^-1"}:
        raise InputFormatError(source, expected="XUNITS 1/CM (an infrared spectrum)", got=xu)
    ykind = _y_kind(header.get("YUNITS", "ABSORBANCE"), source, 1)
    xs: list[float] = []
    ys: list[float] = []
    for j in range(start, len(lines)):
        line = lines[j].strip()
        if not line or line.startswith("#"):
            break
        parts = line.split(",")
        try:
            if len(parts) < 2:
                raise ValueError
            xs.append(float(parts[0]))
            ys.append(float(parts[1]))
        except ValueError:
            raise InputFormatError(
                source, line=j + 1, expected="two numbers 'x,y'", got=line
            ) from None
    if not xs:
        raise InputFormatError(source, line=start + 1, expected="x,y data after XYDATA", got="")
    if "NPOINTS" in header:
        try:
            n = int(float(header["NPOINTS"]))
        except ValueError:
            raise InputFormatError(
                source, expected="an integer NPOINTS", got=header["NPOINTS"]
            ) from None
        if n != len(xs):
            raise InputFormatError(
                source, expected=f"NPOINTS = {n} data rows", got=f"{len(xs)} rows"
            )
    meta: dict[str, Any] = {"format": "jasco-csv", **header}
    return Spectrum(np.array(xs), np.array(ys), "wavenumber_cm1", ykind, meta, source)  # type: ignore[arg-type]


def read_jasco_csv(path: str | PathLike[str]) -> Spectrum:
    """Read a JASCO CSV export (UTF-8 or Shift-JIS)."""
    p = Path(path)
    data = p.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("cp932", errors="replace")
    return parse_jasco_csv(text, p.name)


def _cstr(b: bytes, offset: int, width: int) -> str:
    raw = b[offset : offset + width].split(b"\x00", 1)[0]
    return raw.decode("cp932", errors="replace").strip()


def read_jws(path: str | PathLike[str]) -> Spectrum:
    """Read a native JASCO ``.jws`` / ``.jrs`` spectrum (SPECMAN/SPECIRM R2.0.0 container).

    Raises
    ------
    InputFormatError
        For an OLE2 (Spectra Manager 1) ``.jws``, an unknown container, instrument, y-mode or an
        inconsistent point count; the message says what was expected.
    """
    p = Path(path)
    b = p.read_bytes()
    src = p.name
    if b[:8] == _OLE2_MAGIC:
        return _read_legacy_jws(p)
    if len(b) < 0x300 or b[:4] != _JWS_MAGIC:
        raise InputFormatError(src, expected="a JASCO .jws starting with 'L~S '", got=repr(b[:4]))
    fmt = _cstr(b, 0x08, 16)
    version = _cstr(b, 0x20, 16)
    if fmt not in {"SPECMAN", "SPECIRM"} or version != "R2.0.0":
        raise InputFormatError(
            src, expected="container SPECMAN/SPECIRM R2.0.0", got=f"{fmt} {version}"
        )
    model = _cstr(b, 0x140, 32)
    if not model.startswith("FT/IR"):
        raise InputFormatError(src, expected="an FT/IR instrument spectrum", got=model)
    (n,) = struct.unpack_from("<i", b, 0x84)
    firstx, _lastx, deltax = struct.unpack_from("<3d", b, 0x88)
    xcode, ycode = b[0xA0], b[0xA4]
    (nbytes,) = struct.unpack_from("<q", b, 0xC8)
    if xcode not in _X_CODES:
        raise InputFormatError(src, expected="x-unit code 0 (cm^-1)", got=f"code {xcode}")
    if ycode not in _Y_MODES:
        raise InputFormatError(src, expected="a known y-mode code (0, 3, 9, 10)", got=hex(ycode))
    if n <= 0 or nbytes != 4 * n or len(b) - nbytes < _HEADER_SIZE:
        raise InputFormatError(
            src, expected=f"a float32 block of NPOINTS*4 = {4 * n} bytes", got=f"{nbytes} bytes"
        )
    if not np.isfinite(deltax) or deltax == 0:
        raise InputFormatError(src, expected="a non-zero finite DELTAX", got=str(deltax))
    y = np.frombuffer(b, dtype="<f4", count=n, offset=len(b) - nbytes).astype(float)
    x = firstx + deltax * np.arange(n)
    (epoch,) = struct.unpack_from("<i", b, 0x2C0)
    meta = {
        "format": f"jasco-jws {fmt} {version}",
        "SPECTROMETER/DATA SYSTEM": model,
        "serial_number": _cstr(b, 0x160, 32),
        "TITLE": _cstr(b, 0x180, 64),
        "comment": _cstr(b, 0x1C0, 64),
        "FIRSTX": firstx,
        "LASTX": float(x[-1]),
        "DELTAX": deltax,
        "NPOINTS": n,
        "acquired_unix_utc": epoch,
    }
    return Spectrum(x, y, "wavenumber_cm1", _Y_MODES[ycode], meta, src)  # type: ignore[arg-type]


def parse_legacy_jws_streams(data_info: bytes, y_data: bytes, source: str) -> Spectrum:
    """Decode the ``DataInfo`` and ``Y-Data`` streams of a legacy (OLE2) ``.jws``.

    Single-channel, equidistant spectra in cm⁻¹ only (as verified in [2]_); anything else is
    refused rather than guessed.
    """
    if len(data_info) < 0x40:
        raise InputFormatError(
            source, expected="a 96-byte DataInfo stream", got=f"{len(data_info)} bytes"
        )
    nchan, _one, n = struct.unpack_from("<3I", data_info, 0x0C)
    firstx, _lastx, deltax = struct.unpack_from("<3d", data_info, 0x18)
    xdesc, ydesc, xdesc2, ydesc2 = struct.unpack_from("<4I", data_info, 0x30)
    if nchan != 1 or (xdesc2, ydesc2) != (xdesc, ydesc):
        raise InputFormatError(
            source, expected="a single-channel spectrum", got=f"{nchan} channels"
        )
    if xdesc != 0x10000100:
        raise InputFormatError(
            source, expected="x axis in cm^-1 (descriptor 0x10000100)", got=hex(xdesc)
        )
    if ydesc & 0xFF not in _LEGACY_Y_MODES:
        raise InputFormatError(source, expected="y-mode code 0, 3 or 8", got=hex(ydesc))
    if n <= 0 or len(y_data) != 4 * n:
        raise InputFormatError(
            source,
            expected=f"a Y-Data stream of NPOINTS*4 = {4 * n} bytes",
            got=f"{len(y_data)} bytes",
        )
    if not np.isfinite(deltax) or deltax == 0:
        raise InputFormatError(source, expected="a non-zero finite DELTAX", got=str(deltax))
    y = np.frombuffer(y_data, dtype="<f4", count=n).astype(float)
    x = firstx + deltax * np.arange(n)
    meta = {"format": "jasco-jws SPCMAN2 (OLE2)", "FIRSTX": firstx, "DELTAX": deltax, "NPOINTS": n}
    return Spectrum(x, y, "wavenumber_cm1", _LEGACY_Y_MODES[ydesc & 0xFF], meta, source)  # type: ignore[arg-type]


def _read_legacy_jws(p: Path) -> Spectrum:
    try:
        import olefile
    except ImportError:
        raise InputFormatError(
            p.name,
            expected="the optional 'olefile' package to read this OLE2 (Spectra Manager 1) .jws; "
            "install it or export the spectrum as CSV from Spectra Manager",
            got="OLE2 compound file",
        ) from None
    try:
        ole = olefile.OleFileIO(str(p))
    except (OSError, ValueError, struct.error) as e:
        raise InputFormatError(
            p.name, expected="a readable OLE2 compound file", got=str(e)
        ) from None
    with ole:
        if not (ole.exists("DataInfo") and ole.exists("Y-Data")):
            raise InputFormatError(
                p.name,
                expected="a JASCO .jws OLE2 file with DataInfo and Y-Data streams",
                got=", ".join("/".join(e) for e in ole.listdir()[:5]),
            )
        if ole.exists("X-Data"):
            raise InputFormatError(p.name, expected="an equidistant spectrum", got="X-Data stream")
        info = ole.openstream("DataInfo").read()
        ydata = ole.openstream("Y-Data").read()
    return parse_legacy_jws_streams(info, ydata, p.name)
