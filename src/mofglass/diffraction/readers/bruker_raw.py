"""Bruker DIFFRAC.SUITE binary ``.raw`` files, format version 4 (``RAW4.00``).

Layout, little-endian (as produced by DIFFRAC.SUITE; field offsets follow the description used
by xylib and the public RAW4 readers, checked on the nomad-measurements example):

* bytes 0-7: ``RAW4.00``; 12-23 date, 24-33 time; the file header is 61 bytes long.
* then tagged segments ``(uint32 type, uint32 length, ...)`` until a range header (type 0 or
  160): type 10 is a text variable (name at +12, 24 bytes; value from +36), type 30 the
  hardware block (Kα average, Kα1, Kα2, Kβ, ratio as float64 at +72 ... +104; anode at +116).
* each range: a 160-byte header (scan type text at +32; start angle float64 at +72, step at
  +80, number of steps uint32 at +88, time per step float32 at +92, wavelength float64 at
  +112, bytes per datum uint32 at +136, extra header length uint32 at +140), the extra header,
  then ``steps`` data of ``datum size`` bytes whose first float32 is the intensity.

Versions 1-3 (``RAW ``, ``RAW2``, ``RAW1.01``) are read by
:mod:`mofglass.diffraction.readers.bruker_raw_old`.
"""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np

from mofglass.diffraction.pattern import Pattern
from mofglass.diffraction.readers._common import c_string, read_bytes, wavelength_or_none
from mofglass.diffraction.readers.bruker_raw_old import parse_bruker_raw_v1_3
from mofglass.errors import InputFormatError

__all__ = ["parse_bruker_raw", "read_bruker_raw"]

_HEADER = 61
_RANGE_HEADER = 160


def parse_bruker_raw(data: bytes, *, source: str = "<bytes>") -> Pattern:
    """Parse a RAW file's bytes into a :class:`Pattern`.

    Parse a RAW file's bytes into a :class:`Pattern` (all ranges concatenated); v1-v3
    are passed to :func:`~mofglass.diffraction.readers.bruker_raw_old.parse_bruker_raw_v1_3`.

    Raises
    ------
    InputFormatError
        If the magic is not ``RAW4.00`` (older versions are named), or the file ends inside a
        header or the data block (truncated), reporting the byte offset as the column.
    """
    magic = data[:7]
    if magic != b"RAW4.00":
        if data[:4] in (b"RAW ", b"RAW2") or data[:7] == b"RAW1.01":
            return parse_bruker_raw_v1_3(data, source=source)
        raise InputFormatError(source, line=1, expected="'RAW4.00' magic", got=repr(data[:8]))

    def need(offset: int, size: int, what: str) -> None:
        if offset + size > len(data):
            raise InputFormatError(
                source,
                expected=f"{what} at byte {offset} ({size} bytes)",
                got=f"end of file at byte {len(data)} (truncated)",
            )

    meta: dict[str, object] = {
        "format": "bruker_raw_v4",
        "date": c_string(data[12:24]),
        "time": c_string(data[24:34]),
    }
    wl_vals: tuple[float, ...] = ()
    off = _HEADER
    while True:
        need(off, 8, "segment header")
        seg_type, seg_len = struct.unpack_from("<II", data, off)
        if seg_type in (0, 160):
            break
        if seg_len < 8:
            raise InputFormatError(
                source, expected=f"segment length >= 8 at byte {off}", got=str(seg_len)
            )
        need(off, seg_len, f"segment type {seg_type}")
        if seg_type == 10 and seg_len >= 36:
            meta[c_string(data[off + 12 : off + 36])] = c_string(data[off + 36 : off + seg_len])
        elif seg_type == 30 and seg_len >= 120:
            wl_vals = struct.unpack_from("<5d", data, off + 72)
            meta["anode"] = c_string(data[off + 116 : off + 120])
        off += seg_len
    xs: list[np.ndarray] = []
    ys: list[np.ndarray] = []
    scan_types: list[str] = []
    used_lambda = None
    while off < len(data):
        need(off, _RANGE_HEADER, "range header")
        scan_types.append(c_string(data[off + 32 : off + 56]))
        start, step = struct.unpack_from("<dd", data, off + 72)
        (steps,) = struct.unpack_from("<I", data, off + 88)
        (time_per_step,) = struct.unpack_from("<f", data, off + 92)
        (used_lambda,) = struct.unpack_from("<d", data, off + 112)
        datum_size, extra = struct.unpack_from("<II", data, off + 136)
        if datum_size < 4 or steps == 0:
            raise InputFormatError(
                source, expected="datum size >= 4 and steps > 0", got=f"{datum_size}, {steps}"
            )
        off += _RANGE_HEADER + extra
        need(off, steps * datum_size, f"{steps} data points")
        block = np.frombuffer(data, dtype="<f4", count=steps * datum_size // 4, offset=off)
        ys.append(block[:: datum_size // 4].astype(float))
        xs.append(start + step * np.arange(steps))
        meta.setdefault("time_per_step_s", float(time_per_step))
        off += steps * datum_size
    if not xs:
        raise InputFormatError(source, expected="at least one data range", got="none")
    meta["scan_types"] = scan_types
    meta["n_ranges"] = len(xs)
    ka1 = wl_vals[1] if len(wl_vals) > 1 and wl_vals[1] > 0 else used_lambda
    wl = wavelength_or_none(
        ka1, wl_vals[2] if len(wl_vals) > 2 else None, wl_vals[4] if len(wl_vals) > 4 else None
    )
    x = np.concatenate(xs)
    y = np.concatenate(ys)
    if len(xs) > 1:
        x, idx = np.unique(x, return_index=True)
        y = y[idx]
    return Pattern(x, y, radiation=wl, metadata=meta, source=source, intensity_unit="counts")


def read_bruker_raw(path: str | Path) -> Pattern:
    """Read a Bruker RAW file (v1-v4); see :func:`parse_bruker_raw`."""
    return parse_bruker_raw(read_bytes(path), source=str(path))
