"""`mofglass schema`: the manifest keys come from the validating models, examples validate."""

from __future__ import annotations

import json
import tomllib

import pytest
from typer.testing import CliRunner

from mofglass.cli import app
from mofglass.study.schema import _example, technique_schema
from mofglass.study.technique import registered_techniques

runner = CliRunner()


@pytest.mark.parametrize("key", sorted(registered_techniques()))
def test_schema_matches_the_options_model_and_its_example_validates(key: str):
    t = registered_techniques()[key]
    s = technique_schema(key)
    top = [o["name"] for o in s["options"] if "." not in o["name"]]  # nested: table.key
    assert top == list(t.Options.model_fields)
    example = tomllib.loads(_example(s))
    (entry,) = example["samples"][key]
    options = {k: v for k, v in entry.items() if k != "file"}
    t.Options.model_validate(options)  # the documented example is a valid manifest entry
    assert ("file" in entry) == t.needs_file


def test_nested_tables_are_documented_key_by_key():
    # predict's inline material: the keys of the material file's tables (the same model)
    names = {o["name"] for o in technique_schema("predict")["options"]}
    assert {"material.tm_C", "material.fragility_m", "observation[].type"} <= names
    assert "events[].window_C" in {o["name"] for o in technique_schema("dsc")["options"]}


def test_cli_lists_and_shows_and_refuses():
    r = runner.invoke(app, ["schema"])
    assert r.exit_code == 0 and "[[samples.KEY]]" in r.output and "nanoindentation" in r.output
    r = runner.invoke(app, ["schema", "nanoindentation", "--json"])
    doc = json.loads(r.output)
    assert {"poisson_ratio", "calibration_file"} <= {o["name"] for o in doc["options"]}
    r = runner.invoke(app, ["schema", "nope"])
    assert r.exit_code == 2
