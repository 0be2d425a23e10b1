"""Bruker RAW v1-v3, UXD and GSAS STD readers on the shared real files.

Truths (data folders' SOURCE.txt): BT86.raw (RAW1.01) and BT86_.UXD are the same scan: 2374
points from 3.000° in 0.0155922° steps, maximum 5774 counts at 9.0654°, Cu Kα1 1.5406 Å;
format1.raw has three ranges 10-20° (0.1°, 101 points), 30-35° (0.2°, 26), 40-45° (0.1°, 51);
PBSO4.XRA is GSAS STD, 6001 points 10-160° in 0.025° steps with Cu Kα1/Kα2 in its .PRM.
No RAW v1 / v2 file exists in the shared data: those layouts are tested on byte strings
built from the documented field offsets (plumbing, not a real-file truth).
"""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pytest

from mofglass.diffraction.readers import read_pattern
from mofglass.diffraction.readers.bruker_raw import parse_bruker_raw
from mofglass.errors import InputFormatError


def test_raw_v3_matches_uxd(shared_data: Path) -> None:
    folder = shared_data / "xrd-bruker-raw-uxd-xylib"
    raw = read_pattern(folder / "BT86.raw")
    uxd = read_pattern(folder / "BT86_.UXD")
    assert raw.metadata["format"] == "bruker_raw_v3" and uxd.metadata["format"] == "uxd"
    assert len(raw) == len(uxd) == 2374
    np.testing.assert_array_equal(raw.intensity, uxd.intensity)
    # the UXD prints 2θ rounded to 2-3 decimals
    np.testing.assert_allclose(raw.two_theta_deg, uxd.two_theta_deg, atol=5e-3)
    assert raw.two_theta_deg[1] - raw.two_theta_deg[0] == pytest.approx(0.0155922, rel=1e-6)
    i = int(np.argmax(raw.intensity))
    assert raw.intensity[i] == 5774 and raw.two_theta_deg[i] == pytest.approx(9.0654, abs=1e-4)
    for p in (raw, uxd):
        assert p.radiation is not None and p.radiation.ka1_A == pytest.approx(1.5406)


def test_raw_v3_multi_range(shared_data: Path) -> None:
    p = read_pattern(shared_data / "xrd-bruker-raw-uxd-xylib" / "format1.raw")
    ranges = p.metadata["ranges"]
    assert [(r[0], round(r[1], 6), r[2]) for r in ranges] == [
        (10.0, 0.1, 101),
        (30.0, 0.2, 26),
        (40.0, 0.1, 51),
    ]
    assert len(p) == 178


def _v1_range(steps: int, start: float, step: float, more: int, lam: tuple[float, float]) -> bytes:
    head = bytearray(156)
    head[0:4] = b"RAW "
    struct.pack_into("<Iff", head, 4, steps, 1.0, step)
    struct.pack_into("<f", head, 24, start)
    head[40:46] = b"sample"
    struct.pack_into("<ff", head, 72, *lam)
    struct.pack_into("<I", head, 152, more)
    return bytes(head) + np.arange(steps, dtype="<f4").tobytes()


def test_raw_v1_and_v2_layouts() -> None:
    data = _v1_range(5, 10.0, 0.5, 1, (1.5406, 1.5444)) + _v1_range(3, 20.0, 1.0, 0, (0, 0))
    p = parse_bruker_raw(data, source="v1.raw")
    assert p.metadata["format"] == "bruker_raw_v1" and p.metadata["n_ranges"] == 2
    np.testing.assert_allclose(p.two_theta_deg, [10, 10.5, 11, 11.5, 12, 20, 21, 22])
    assert p.radiation is not None and p.radiation.ka2_A == pytest.approx(1.5444, rel=1e-6)
    head = bytearray(256)
    head[0:4] = b"RAW2"
    struct.pack_into("<H", head, 4, 1)
    struct.pack_into("<fff", head, 190, 0.70930, 0.71359, 0.5)
    rng = bytearray(64)
    struct.pack_into("<HH", rng, 0, 64, 4)
    struct.pack_into("<fff", rng, 8, 2.0, 0.05, 5.0)
    p2 = parse_bruker_raw(bytes(head) + bytes(rng) + np.ones(4, "<f4").tobytes(), source="v2")
    np.testing.assert_allclose(p2.two_theta_deg, [5.0, 5.05, 5.1, 5.15], rtol=1e-6)
    assert p2.radiation is not None and p2.radiation.ka1_A == pytest.approx(0.7093, rel=1e-5)
    with pytest.raises(InputFormatError, match="truncated"):
        parse_bruker_raw(bytes(head) + bytes(rng) + np.ones(2, "<f4").tobytes(), source="v2")


def test_gsas_std_bank(shared_data: Path) -> None:
    p = read_pattern(shared_data / "xrd-pbso4-gsas-std-prm" / "PBSO4.XRA")
    assert len(p) == 6001
    assert p.two_theta_deg[0] == 10.0 and p.two_theta_deg[-1] == pytest.approx(160.0)
    # first record: 179 147 165 ...; one counter each -> esd = sqrt(counts)
    assert p.intensity[:3].tolist() == [179.0, 147.0, 165.0]
    assert p.sigma is not None and p.sigma[0] == pytest.approx(np.sqrt(179.0))
    n = read_pattern(shared_data / "xrd-pbso4-gsas-std-prm" / "PBSO4.CWN")
    assert len(n) == 2919 and n.two_theta_deg[1] - n.two_theta_deg[0] == pytest.approx(0.05)
