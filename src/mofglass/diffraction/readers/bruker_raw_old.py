"""Bruker / Siemens DIFFRAC binary ``.raw`` files, versions 1-3.

Bruker / Siemens DIFFRAC binary ``.raw`` files, versions 1-3 (``RAW ``, ``RAW2``,
``RAW1.01``), little-endian.

Layouts (DIFFRAC^plus XCH V.5.0 user's manual, appendix A, for v3; the v1/v2 field offsets as
described by xylib's reader, checked on the shared RAW1.01 files against the same scans'
UXD export):

* v1 ``RAW ``: ranges one after another, each a 156-byte header - steps (uint32 at +4),
  time per step (float32 +8), step (float32 +12), start 2θ (float32 +24), sample name
  (+40, 32 bytes), Kα1, Kα2 (float32 +72, +76), "another range follows" (uint32 +152) - then
  ``steps`` float32 counts; later ranges may repeat the ``RAW `` magic.
* v2 ``RAW2``: number of ranges (uint16 +4), anode (+188, 2 bytes), λ1, λ2, ratio (float32
  +190, +194, +198); ranges from byte 256: header length (uint16), steps (uint16 +2), time
  per step (float32 +8), step (+12), start (+16), then the data after ``header length`` bytes.
* v3 ``RAW1.01``: 712-byte file header - ranges (uint32 +12), date, time, user, sample ID,
  anode (+608), Kα average, Kα1, Kα2, Kβ, ratio (float64 +616 ... +648); each range a
  304-byte header - steps (uint32 +4), start 2θ (float64 +16), step (float64 +176), time
  per step (float32 +192), used λ (float64 +240), supplementary header size (uint32 +256) -
  then the supplementary headers and ``steps`` float32 counts.

References
----------
.. [1] Bruker AXS, DIFFRAC^plus XCH V.5.0 User's Manual (2002), Appendix A.
.. [2] M. Wojdyr, xylib (LGPL), ``bruker_raw.cpp`` (format notes).
"""

from __future__ import annotations

import struct
from typing import Any

import numpy as np

from mofglass.diffraction.pattern import Pattern
from mofglass.diffraction.readers._common import c_string, wavelength_or_none
from mofglass.errors import InputFormatError

__all__ = ["parse_bruker_raw_v1_3"]


class _Buf:
    def __init__(self, data: bytes, source: str) -> None:
        self.data, self.source = data, source

    def get(self, fmt: str, off: int, what: str) -> tuple[Any, ...]:
        size = struct.calcsize(fmt)
        if off + size > len(self.data):
            raise InputFormatError(
                self.source,
                expected=f"{what} at byte {off} ({size} bytes)",
                got=f"end of file at byte {len(self.data)} (truncated)",
            )
        return struct.unpack_from(fmt, self.data, off)

    def floats(self, off: int, n: int, what: str) -> np.ndarray:
        if n:
            self.get(f"<{n}f", off, what)
        return np.frombuffer(self.data, dtype="<f4", count=n, offset=off).astype(float)


def _v1(
    b: _Buf, meta: dict[str, object]
) -> tuple[list[tuple[float, float, np.ndarray]], tuple[Any, ...]]:
    ranges: list[tuple[float, float, np.ndarray]] = []
    off, wl = 0, (None, None)
    more = 1
    while more:
        if b.data[off : off + 4] == b"RAW ":
            off += 4
        (steps,) = b.get("<I", off, "range steps")
        (tps, step) = b.get("<ff", off + 4, "time per step and step")
        (start,) = b.get("<f", off + 20, "start angle")
        if not ranges:
            meta["sample"] = c_string(b.data[off + 36 : off + 68])
            wl = b.get("<ff", off + 68, "Kα1, Kα2")
            meta["time_per_step_s"] = float(tps)
        (more,) = b.get("<I", off + 148, "following-range flag")
        off += 152
        ranges.append((float(start), float(step), b.floats(off, steps, f"{steps} counts")))
        off += 4 * steps
    return ranges, (wl[0], wl[1], None)


def _v2(
    b: _Buf, meta: dict[str, object]
) -> tuple[list[tuple[float, float, np.ndarray]], tuple[Any, ...]]:
    (n_ranges,) = b.get("<H", 4, "number of ranges")
    meta["date"] = c_string(b.data[168:188])
    meta["anode"] = c_string(b.data[188:190])
    lam = b.get("<fff", 190, "λ1, λ2, ratio")
    ranges, off = [], 256
    for _ in range(n_ranges):
        hlen, steps = b.get("<HH", off, "range header")
        if hlen <= 48:
            raise InputFormatError(b.source, expected=f"range header > 48 bytes at byte {off}")
        (tps, step, start) = b.get("<fff", off + 8, "time per step, step, start")
        meta.setdefault("time_per_step_s", float(tps))
        off += hlen
        ranges.append((float(start), float(step), b.floats(off, steps, f"{steps} counts")))
        off += 4 * steps
    return ranges, lam


def _v3(
    b: _Buf, meta: dict[str, object]
) -> tuple[list[tuple[float, float, np.ndarray]], tuple[Any, ...]]:
    (n_ranges,) = b.get("<I", 12, "number of ranges")
    meta["date"] = c_string(b.data[16:26])
    meta["time"] = c_string(b.data[26:36])
    meta["sample"] = c_string(b.data[326:386])
    meta["anode"] = c_string(b.data[608:612])
    _, ka1, ka2, _, ratio = b.get("<5d", 616, "wavelengths")
    ranges, off, used = [], 712, None
    for _ in range(n_ranges):
        hlen, steps = b.get("<II", off, "range header")
        if hlen != 304:
            raise InputFormatError(
                b.source, expected=f"range header of 304 bytes at byte {off}", got=str(hlen)
            )
        (start,) = b.get("<d", off + 16, "start 2θ")
        (step,) = b.get("<d", off + 176, "step")
        (tps,) = b.get("<f", off + 192, "time per step")
        (used,) = b.get("<d", off + 240, "used λ")
        (supp,) = b.get("<I", off + 256, "supplementary header size")
        meta.setdefault("time_per_step_s", float(tps))
        off += 304 + supp
        ranges.append((float(start), float(step), b.floats(off, steps, f"{steps} counts")))
        off += 4 * steps
    return ranges, (ka1 if ka1 > 0 else used, ka2, ratio)


def parse_bruker_raw_v1_3(data: bytes, *, source: str = "<bytes>") -> Pattern:
    """Parse a RAW v1, v2 or v3 file's bytes.

    Parse a RAW v1, v2 or v3 file's bytes (all ranges, concatenated in 2θ order; the
    ranges are listed in ``metadata["ranges"]`` as (start, step, n)).

    Raises
    ------
    InputFormatError
        Unknown magic, or the file ends inside a header or data block (byte offset named).
    """
    b = _Buf(data, source)
    meta: dict[str, object] = {}
    if data[:4] == b"RAW ":
        meta["format"] = "bruker_raw_v1"
        ranges, lam = _v1(b, meta)
    elif data[:4] == b"RAW2":
        meta["format"] = "bruker_raw_v2"
        ranges, lam = _v2(b, meta)
    elif data[:7] == b"RAW1.01":
        meta["format"] = "bruker_raw_v3"
        ranges, lam = _v3(b, meta)
    else:
        raise InputFormatError(
            source, line=1, expected="Bruker RAW v1-v3 magic", got=repr(data[:8])
        )
    if not ranges or any(r[2].size == 0 for r in ranges):
        raise InputFormatError(source, expected="at least one non-empty data range", got="none")
    meta["ranges"] = [(s, st, int(y.size)) for s, st, y in ranges]
    meta["n_ranges"] = len(ranges)
    x = np.concatenate([s + st * np.arange(y.size) for s, st, y in ranges])
    y = np.concatenate([r[2] for r in ranges])
    if len(ranges) > 1:
        x, idx = np.unique(x, return_index=True)
        y = y[idx]
    ka1, ka2, ratio = (float(v) if v is not None else None for v in lam)
    return Pattern(
        two_theta_deg=x,
        intensity=y,
        radiation=wavelength_or_none(ka1, ka2, ratio),
        metadata=meta,
        source=source,
        intensity_unit="counts",
    )
