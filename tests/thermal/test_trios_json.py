"""TA TRIOS JSON exports through tadatakit.

No real TRIOS JSON export is in ../shared/data and the tadatakit / tainstruments_triosdataschema
packages ship the schema only (no example export). The file is therefore BUILT here from the
schema's documented structure (Schema, Operators, Sample.Mass, Procedure.Steps with Ids,
Results.Original with ColumnHeaders / ResultsSteps / Rows; validated against the shipped JSON
schema with jsonschema), filled with the real eicosane run of the TA 2920 text export in
../shared/data (time, temperature, heat flow, 9.00 mg). Truths: the columns equal those of the
same run read from its TA text export and those of tadatakit's own DataFrame (the peer reader);
its procedure steps split the run as the data do.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from mofglass.errors import InputFormatError
from mofglass.thermal import read_thermogram
from mofglass.thermal.segments import find_segments
from tests.thermal.conftest import shared

tadatakit = pytest.importorskip("tadatakit")

EICOSANE = "dsc-tainstruments-eicosane/sample_dsc_tainstruments.txt"


def _trios_doc(ta_text_export: Path) -> tuple[dict[str, Any], Any]:
    tr = read_thermogram(ta_text_export).select(slice(None, None, 5))  # 3800 rows: a fast test
    assert tr.heat_flow_mW is not None
    steps = [str(uuid.UUID(int=k)) for k in (1, 2)]
    results = [str(uuid.UUID(int=k)) for k in (11, 12)]
    # the run heats to its largest temperature (first step), then cools (second step)
    split = int(np.argmax(tr.temperature_C))
    rows = [
        {
            "Time_min": float(t / 60.0),
            "Temperature_°C": float(T),
            "Heat Flow_mW": float(h),
            "Results Step Id": results[0] if i <= split else results[1],
        }
        for i, (t, T, h) in enumerate(
            zip(tr.time_s, tr.temperature_C, tr.heat_flow_mW, strict=True)
        )
    ]
    doc = {
        "Schema": {"Url": "https://software.tainstruments.com/schemas/TRIOSJSONExportSchema"},
        "Operators": [{"Name": "maxime"}],
        "Sample": {
            "Name": "Eicosane",
            "Mass": {"Value": 9.0, "Unit": {"Name": "mg"}},
            "PanType": "Aluminum Hermetic",
        },
        "Procedure": {
            "Name": "Maxime",
            "Steps": [
                {"Name": "Ramp 1.00 °C/min to 70.00 °C", "Id": steps[0]},
                {"Name": "Ramp 1.00 °C/min to -20.00 °C", "Id": steps[1]},
            ],
            "Configuration": {
                "InstrumentConfigurations": [{"Type": "Dsc2920", "Name": "2920 MDSC"}]
            },
        },
        "Results": {
            "Original": {
                "Classification": {
                    "Id": "Unmodified",
                    "Description": "Data from the original experiment",
                },
                "ResultsSteps": [
                    {"Id": r, "Name": f"Step {k}", "SourceProcedureStepId": s}
                    for k, (r, s) in enumerate(zip(results, steps, strict=True), 1)
                ],
                "ColumnHeaders": {
                    "Time_min": {
                        "DisplayName": "Time",
                        "ValueType": "Number",
                        "Unit": {"Name": "min"},
                    },
                    "Temperature_°C": {
                        "DisplayName": "Temperature",
                        "ValueType": "Number",
                        "Unit": {"Name": "°C"},
                    },
                    "Heat Flow_mW": {
                        "DisplayName": "Heat Flow",
                        "ValueType": "Number",
                        "Unit": {"Name": "mW"},
                    },
                    "Results Step Id": {"DisplayName": "Results Step Id", "ValueType": "Uuid"},
                },
                "Rows": rows,
            }
        },
    }
    return doc, tr


@pytest.fixture(scope="module")
def trios_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    doc, tr = _trios_doc(shared(EICOSANE))
    import jsonschema
    from tadatakit.class_generator.schema_loader import load_schema

    schema = load_schema()
    # the shipped schema lists "Latest" as required in Results, which its own Original /
    # Processed properties and tadatakit do not use: checked without that one key
    schema["$defs"]["Results"]["required"] = []
    jsonschema.validate(doc, schema)
    path = tmp_path_factory.mktemp("trios") / "eicosane.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path, tr


def test_trios_json_columns_mass_and_steps(trios_file: tuple[Path, Any]) -> None:
    path, text_export = trios_file
    tr = read_thermogram(path, exo_up=True)
    assert tr.fmt == "trios" and tr.sample_mass_mg == pytest.approx(9.0)
    assert np.allclose(tr.time_s, text_export.time_s)
    assert np.allclose(tr.temperature_C, text_export.temperature_C)
    assert tr.heat_flow_W_g is not None and text_export.heat_flow_W_g is not None
    assert np.allclose(tr.heat_flow_W_g, text_export.heat_flow_W_g)
    # the peer reader: tadatakit's own DataFrame of the same file
    from tadatakit.classes import Experiment

    df = Experiment.from_json(str(path)).get_dataframe()
    assert np.array_equal(tr.temperature_C, df["Temperature / °C"].to_numpy())
    assert np.array_equal(tr.time_s, df["Time / min"].to_numpy() * 60.0)
    segs = tr.metadata["segments"]
    assert segs[0] == {
        "number": 1,
        "text": "Ramp 1.00 °C/min to 70.00 °C",
        "kind": "ramp",
        "rate_K_min": 1.0,
        "end_C": 70.0,
    }
    assert tr.segment_index is not None and set(tr.segment_index) == {1.0, 2.0}
    assert tr.metadata["instrument"] == "Dsc2920 2920 MDSC"
    assert tr.metadata["crucible"] == "Aluminum Hermetic"
    # the exo direction is not in the export: without exo_up= it is stated
    assert any("exo direction" in w for w in read_thermogram(path).warnings)


def test_trios_json_steps_are_the_segments(trios_file: tuple[Path, Any]) -> None:
    # the procedure steps of the export give the same heating/cooling split as the data
    path, text_export = trios_file
    from_steps = find_segments(read_thermogram(path, exo_up=True))
    from_data = find_segments(text_export)
    assert [s.kind for s in from_steps] == [s.kind for s in from_data]
    # the steps switch at the temperature maximum; the data-driven split finds the turn-around
    # a few points later
    assert [s.stop for s in from_steps] == pytest.approx([s.stop for s in from_data], abs=3)


def test_broken_trios_json_is_refused(tmp_path: Path) -> None:
    p = tmp_path / "x.json"
    p.write_text('{"Schema": {"Url": "TRIOSJSONExportSchema"}, "Results": ', encoding="utf-8")
    with pytest.raises(InputFormatError, match="valid JSON"):
        read_thermogram(p)
