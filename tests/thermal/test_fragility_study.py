"""A rate series of separate files inside a study: ``fragility = {files = [...]}``.

Truth: the real MaCFP PMMA runs (FSRI, NETZSCH STA 449 F3) at nominal 10 and 30 K/min
(their README); the rate stated for every file must be its measured mean rate through the
transition, within 3 % of the nominal programme, and the Tg midpoints lie in the Polymer
Handbook's 105-130 °C.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mofglass.study.manifest import load_manifest
from mofglass.study.pipeline import run_study
from mofglass.study.technique import get_technique
from tests.thermal.conftest import shared


@pytest.mark.slow
def test_fragility_from_files_in_a_study(tmp_path: Path) -> None:
    files = [str(shared(f"macfp-pmma-dsc-tga-netzsch/FSRI_DSC_N2_{q}K_1.csv")) for q in (10, 30)]
    listed = ", ".join(f'"{f}"' for f in files)
    manifest = tmp_path / "study.toml"
    manifest.write_text(
        '[study]\ntitle = "PMMA rates"\n\n[[samples]]\nid = "pmma"\nphase = "glass"\n'
        f'fragility = {{files = [{listed}], use = "tg", exo_up = false}}\n'
    )
    res = run_study(load_manifest(manifest))
    (out,) = [o for t, o in zip(res.tasks, res.outputs, strict=True) if t.technique == "fragility"]
    pts = out.details["summary"]["points"]
    assert [Path(p["file"]).name for p in pts] == [Path(f).name for f in files]
    for p, q in zip(pts, (10, 30), strict=True):
        assert p["rate_K_min"]["value"] == pytest.approx(q, rel=0.03)
        assert "heating segment 1" in p["rate_rule"]
        assert 105 <= p["tg_C"]["value"] <= 130
    rates = [r for r in out.rows if r.quantity == "rate_K_min"]
    assert len(rates) == 2 and all(r.unit == "K/min" for r in rates)
    figs = get_technique("fragility").figures([out])
    assert list(figs) == ["fragility_pmma"]
