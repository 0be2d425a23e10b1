"""Native NETZSCH files through pyngb: values identical to pyngb's stored golden parses.

Truth: pyngb's goldens (``*.parity.json``: row count, SHA-256 of every column, first/last
values, metadata) stored next to the files by pyngb's authors (commit 7321474), and the run
conditions in the files' names (10 K/min, 30 K/min).
"""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pytest

from mofglass.thermal import read_thermogram
from mofglass.thermal.segments import find_segments
from tests.thermal.conftest import shared

pytest.importorskip("pyngb")


def _sha(a: np.ndarray) -> str:
    return hashlib.sha256(np.asarray(a, "<f8").tobytes()).hexdigest()


@pytest.mark.parametrize(
    "name",
    ["Douglas_Fir_STA_10K_250730_R13.ngb-ss3", "Douglas_Fir_STA_Baseline_10K_250730_R13.ngb-bs3"],
)
def test_native_matches_pyngb_golden(name: str) -> None:
    path = shared(f"netzsch-ngb-native-sta/{name}")
    gold = json.loads(path.with_name(name + ".parity.json").read_text())
    tr = read_thermogram(path)
    assert len(tr) == gold["num_rows"]
    assert _sha(tr.time_s) == gold["column_sha256"]["time"]
    assert _sha(tr.temperature_C) == gold["column_sha256"]["sample_temperature"]
    m0 = gold["metadata"]["sample_mass"]
    if m0 > 0:
        assert tr.sample_mass_mg == pytest.approx(m0)
        assert tr.mass_mg is not None
        last = gold["column_stats"]["mass"]["last"]
        assert tr.mass_mg[-1] - m0 == pytest.approx(last, abs=1e-9)
    else:  # the correction run records -1000 mg: no sample, no mass channel, said so
        assert tr.sample_mass_mg is None and tr.mass_mg is None and tr.heat_flow_W_g is None
        assert any("correction run" in w for w in tr.warnings)
    assert tr.metadata["crucible"] == gold["metadata"]["crucible_type"]
    # the programme from the file: 30 min hold, 10 K/min ramp to 825 °C, 30 min hold
    segs = tr.metadata["segments"]
    assert [s["kind"] for s in segs] == ["isothermal", "heating", "isothermal"]
    assert segs[1]["rate_K_min"] == 10.0 and segs[1]["end_C"] == 825.0
    heat = [s for s in find_segments(tr) if s.kind == "heating"]
    assert len(heat) == 1 and heat[0].mean_rate.value == pytest.approx(10.0, rel=0.05)
    # calibration records into provenance; biphenyl 69.2 °C is a temperature fixpoint
    cal = tr.metadata["calibration"]
    assert any(f["name"] == "Biphenyl" for f in cal["temperature_fixpoints"])
    assert 0.0 < cal["temperature_rms_K"] < 3.0
    # exo direction from the file's sensitivity fixpoints (melting areas negative: exo up)
    assert cal["endotherm_sign"] == -1 and tr.exo_up is True


def test_native_shingle_programme_and_mass() -> None:
    tr = read_thermogram(
        shared("sta-netzsch-ulfsri/IBHS_Shingle_102-B-5-1_Sample_2_STA_N2_30K_240716_R1.ngb-ss3")
    )
    segs = tr.metadata["segments"]
    ramp = next(s for s in segs if s["kind"] == "heating")
    assert ramp["rate_K_min"] == 30.0  # "30K" in the file name
    heat = max(find_segments(tr), key=lambda s: s.end_C - s.start_C)
    assert heat.kind == "heating" and heat.mean_rate.value == pytest.approx(30.0, rel=0.03)
    assert tr.sample_mass_mg == pytest.approx(3.98)
    assert tr.mass_percent is not None and tr.mass_percent[0] == pytest.approx(100.0)
