"""x-axis sanity checks on real patterns rewritten in the wrong unit (issue 10 cases).

Truth: the unmutated files are 2θ in degrees (no warning); the same data written with x in
radians, in d-spacing (λ from the file, ascending and descending), or in centidegrees (past
180°) must be flagged (warning, or an error for > 180°).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from mofglass.diffraction.analysis import analyse_pattern
from mofglass.diffraction.readers import read_pattern
from mofglass.diffraction.sanity import axis_warnings
from mofglass.errors import InputFormatError

FILES = [
    ("xrd-lab6-xye-xrayutilities/LaB6_d500_si_psd.xye.bz2", 1.5406),
    ("xrd-pbso4-gsas-std-prm/PBSO4.XRA", 1.5405),
    ("xrd-bruker-raw-uxd-xylib/BT86.raw", 1.5406),
]


def _write(path: Path, x: np.ndarray, y: np.ndarray) -> Path:
    np.savetxt(path, np.column_stack([x, y]), fmt="%.7f")
    return path


@pytest.mark.parametrize(("name", "lam"), FILES)
def test_mutated_axes_flagged(shared_data: Path, tmp_path: Path, name: str, lam: float) -> None:
    p = read_pattern(shared_data / name)
    assert axis_warnings(p) == []
    x, y = p.two_theta_deg, p.intensity
    d = lam / (2 * np.sin(np.radians(x) / 2))
    rad = read_pattern(_write(tmp_path / "rad.xy", np.radians(x), y))
    assert any("radians" in w for w in axis_warnings(rad))
    d_desc = read_pattern(_write(tmp_path / "d_desc.xy", d, y))  # file order as scanned
    assert any("d-spacing" in w for w in axis_warnings(d_desc))
    d_asc = read_pattern(_write(tmp_path / "d_asc.xy", d[::-1], y[::-1]))
    assert any("d-spacing" in w for w in axis_warnings(d_asc))
    with pytest.raises(InputFormatError, match="180"):
        read_pattern(_write(tmp_path / "centideg.xy", 100 * x, y))  # GSAS centidegrees


def test_warning_reaches_the_analysis(shared_data: Path, tmp_path: Path) -> None:
    p = read_pattern(shared_data / FILES[2][0])
    rad = read_pattern(_write(tmp_path / "r.xy", np.radians(p.two_theta_deg), p.intensity))
    res = analyse_pattern(rad.with_wavelength(1.5406))
    assert any("radians" in w for w in res.warnings)
