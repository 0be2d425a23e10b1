"""Simulated far-IR and 113Cd MAS NMR spectra of the demo samples (crystal and glass).

Positions are the paper's: the CdN4 stretching band at 252 cm⁻¹ and the 113Cd resonance at
433 ppm, both broader in the glass gCd(im)2 than in the crystal Cd(im)2. The paper gives
positions and "broadening" but no widths: the FWHM values below (IR 18 → 45 cm⁻¹; NMR 4 → 30
ppm), the areas, the baselines and the noise are ILLUSTRATIVE ASSUMPTIONS, not measured
values. The glass NMR line is drawn symmetric although the paper calls it asymmetric.
Files are JCAMP-DX (X++(Y..Y)) written with :func:`~mofglass.spectroscopy.readers.format_jcamp`
from :func:`~mofglass.spectroscopy.synthetic.synthetic_spectrum`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from mofglass.spectroscopy.readers import format_jcamp
from mofglass.spectroscopy.synthetic import SyntheticBand, synthetic_spectrum
from mofglass.study.technique import DemoSample

__all__ = ["DEMO_BANDS", "write_demo_spectra"]

#: (technique, phase) -> bands; widths are illustrative assumptions (see module docstring).
DEMO_BANDS: dict[tuple[str, str], tuple[SyntheticBand, ...]] = {
    ("ftir", "crystal"): (SyntheticBand(252.0, 18.0, 6.0, "voigt"),),
    ("ftir", "glass"): (SyntheticBand(252.0, 45.0, 6.0, "voigt"),),
    ("nmr", "crystal"): (SyntheticBand(433.0, 4.0, 100.0, "voigt"),),
    ("nmr", "glass"): (SyntheticBand(433.0, 30.0, 100.0, "voigt"),),
}
_GRID = {"ftir": (100.0, 700.0, 1.0), "nmr": (250.0, 620.0, 0.25)}
_BASE = {"ftir": (0.05, 1.0e-4), "nmr": (0.0, 0.0)}
_NOISE = {"ftir": 0.002, "nmr": 0.1}
_IDS = {"cdim2": "crystal", "gcdim2": "glass"}
_HEADER = (
    "simulated by mofglass.spectroscopy.demo; band widths are illustrative assumptions, "
    "not measured (the paper gives positions and broadening only)"
)


def write_demo_spectra(
    key: str, samples: Sequence[DemoSample], folder: Path, *, seed: int
) -> dict[str, list[dict[str, Any]]]:
    """Write one JCAMP-DX file per demo sample (cdim2, gcdim2) for ``key`` ("ftir"/"nmr")."""
    lo, hi, step = _GRID[key]
    x = np.arange(lo, hi + step / 2, step)
    out: dict[str, list[dict[str, Any]]] = {}
    sub = folder / key
    for k, sample in enumerate(samples):
        phase = _IDS.get(sample.id)
        if phase is None:
            continue
        spec = synthetic_spectrum(
            x,
            DEMO_BANDS[(key, phase)],
            baseline=_BASE[key],
            noise_sigma=_NOISE[key],
            seed=seed + 17 * k + (0 if key == "ftir" else 1000),
            x_unit="wavenumber_cm1" if key == "ftir" else "shift_ppm",
            y_kind="absorbance" if key == "ftir" else "intensity",
        )
        name = f"{sample.id}_{'farir' if key == 'ftir' else '113cd'}.jdx"
        sub.mkdir(parents=True, exist_ok=True)
        text = format_jcamp(spec, title=f"{sample.label} ({key}, simulated)", origin=_HEADER)
        (sub / name).write_text(text, encoding="ascii", newline="\n")
        out[sample.id] = [{"file": f"{key}/{name}"}]
    return out
