"""Simulated HR-TEM image of the demo glass-ceramic (prcCd(im)2), written as an ImageJ TIFF.

The paper shows a Cd(im)2 nanocrystal in the glass matrix with 0.35 nm fringes indexed (302)
(Figure 2, Figure S4). The demo image is a PROJECTED-POTENTIAL SIMULATION, not a measurement:
the idealised dia-c Cd(im)2 model of :func:`mofglass.structure.build.imidazolate_model` (not the
experimental BAYQAU structure, so its spacings are not the paper's) projected along [010] in a
disc of 12 nm diameter, random atoms of the same density around it (the glass), blur 0.8 Å,
noise 0.4, pixel 0.35 Å. The same model is written beside it as the phase to index against.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from mofglass.study.technique import DemoSample

__all__ = ["write_demo_micrographs"]

_PIXEL_A = 0.35
_SHAPE = (512, 512)


def write_demo_micrographs(
    samples: Sequence[DemoSample], folder: Path, *, seed: int
) -> dict[str, list[dict[str, Any]]]:
    """Write ``tem/prccdim2_hrtem.tif`` and its phase CIF; manifest entries per sample."""
    import tifffile

    from mofglass.microscopy.synthetic import projected_lattice_image
    from mofglass.structure.build import imidazolate_model
    from mofglass.structure.export import framework_cif_text
    from mofglass.structure.framework import build_framework

    target = next((s for s in samples if s.phase == "glass-ceramic"), None)
    if target is None:
        return {}
    model = imidazolate_model(
        metal="Cd", m_m_A=6.4, copies_shift=((0.5, 0.0, 0.0),), source="cdim2_dia-c_model"
    )
    sub = folder / "tem"
    sub.mkdir(parents=True, exist_ok=True)
    note = "idealised dia-c Cd(im)2 model (mofglass.structure.build), not the experimental cell"
    (sub / "cdim2_model.cif").write_text(
        framework_cif_text(build_framework(model), note=note), encoding="utf-8"
    )
    yy, xx = np.indices(_SHAPE)
    radius_px = 60.0 / _PIXEL_A
    mask = np.hypot(yy - _SHAPE[0] / 2, xx - _SHAPE[1] / 2) <= radius_px
    img = projected_lattice_image(
        model,
        zone="010",
        shape=_SHAPE,
        pixel_size_A=_PIXEL_A,
        blur_A=0.8,
        noise=0.4,
        crystal_mask=mask,
        seed=seed + 1800,
    )
    data = img.image - img.image.min()
    data = (data / data.max() * 60000).astype(np.uint16)
    name = f"{target.id}_hrtem.tif"
    tifffile.imwrite(
        sub / name,
        data,
        imagej=True,
        resolution=(1.0 / (_PIXEL_A / 10), 1.0 / (_PIXEL_A / 10)),
        metadata={"unit": "nm", "Info": "SIMULATED by mofglass.microscopy.demo"},
    )
    c = _SHAPE[0] // 2
    half = int(radius_px / np.sqrt(2)) - 4
    return {
        target.id: [
            {
                "file": f"tem/{name}",
                "phase": "cdim2_model.cif",
                "roi": [c - half, c - half, 2 * half, 2 * half],
                "domain_map": True,
            }
        ]
    }
