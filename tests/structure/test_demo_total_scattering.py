"""The demo's simulated total scattering (plumbing: files the pdf technique reads like data).

The glass curve is a labelled approximation (no gCd(im)2 model exists): only what it is built
to do is checked - the intra-network Cd···Cd across one im survives, inter-network order is
reduced - plus the closed-form link between the files: the glass-ceramic is the mean of the two.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from mofglass.demo.samples import DEMO_SAMPLES
from mofglass.demo.total_scattering import write_demo_total_scattering
from mofglass.totalscattering.readers import read_total_scattering


def test_demo_total_scattering_files(tmp_path: Path) -> None:
    entries = write_demo_total_scattering(DEMO_SAMPLES, tmp_path)
    phases = {s.id: s.phase for s in DEMO_SAMPLES}
    by_phase = {phases[sid]: tmp_path / e[0]["file"] for sid, e in entries.items()}
    assert set(by_phase) == {"crystal", "glass", "glass-ceramic"}
    data = {k: read_total_scattering(p) for k, p in by_phase.items()}
    assert all(d.kind == "i" and d.x_kind == "q_invA" for d in data.values())
    mix = 0.5 * (data["crystal"].y + data["glass"].y)
    assert np.allclose(data["glass-ceramic"].y, mix, atol=2e-6)
    # the crystal keeps sharp high-Q oscillations the glass approximation has lost
    hi = data["crystal"].x > 10
    assert np.std(data["glass"].y[hi]) < 0.7 * np.std(data["crystal"].y[hi])
    gc = next(e[0] for sid, e in entries.items() if phases[sid] == "glass-ceramic")
    assert (by_phase["glass-ceramic"].parent / gc["crystal_reference"]).exists()
    assert "APPROXIMATION" in by_phase["glass"].read_text().splitlines()[0]
