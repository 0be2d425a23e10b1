"""The manifest's inline ``predict = {...}``: the material file's tables, the same model."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest

from mofglass.errors import ManifestError
from mofglass.models.material import MaterialFile, load_material, material_from_spec
from mofglass.models.reference import CD_IM2_MATERIAL
from mofglass.study.manifest import parse_manifest
from mofglass.study.pipeline import build_tasks
from mofglass.study.technique import get_technique

HEAD = '[study]\ntitle = "t"\n[[samples]]\nid = "s"\nphase = "crystal"\nformula = "Cd(im)2"\n'


def _inline(value: Any) -> str:
    """A value as inline TOML (observations one per line, as a user would write them)."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {_inline(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[\n  " + ",\n  ".join(_inline(v) for v in value) + ",\n]"
    return json.dumps(value, ensure_ascii=False)


def test_inline_material_is_the_file_material(tmp_path: Path) -> None:
    raw = tomllib.loads(CD_IM2_MATERIAL)
    text = HEAD + f"predict = {_inline(raw | {'heat_treatments': ['465 -> 25 @ 42']})}\n"
    m = parse_manifest(text, path=tmp_path / "study.toml")
    (entry,) = m.entries["s"]
    assert entry.file is None and entry.options["heat_treatments"] == ["465 -> 25 @ 42"]
    (task,) = [t for t in build_tasks(m) if t.technique == "predict"]
    assert task.path is None
    spec = {k: entry.options[k] for k in ("material", "observation")}
    inline = material_from_spec(MaterialFile.model_validate(spec))
    (tmp_path / "m.toml").write_text(CD_IM2_MATERIAL)
    from_file = load_material(tmp_path / "m.toml")
    assert (inline.base, inline.observations, inline.free) == (
        from_file.base,
        from_file.observations,
        from_file.free,
    )
    # the file form written inline is the same entry as [[samples.predict]] file = ...
    f = parse_manifest(HEAD + 'predict = {file = "m.toml"}\n', path=tmp_path / "study.toml")
    assert f.entries["s"][0].file == (tmp_path / "m.toml").resolve()


def test_inline_contradictory_material_gives_no_rows(tmp_path: Path) -> None:
    material = {"formula": "Cd(im)2", "tm_C": 455.0, "tg_C": 175.0}
    material |= {"melting_enthalpy_kJ_mol": 16.6, "fragility_m": 43.0}
    obs = [
        {"type": "bound", "program": "465 -> 25 @ 5", "at_most": 0.01},
        {"type": "bound", "program": "465 -> 25 @ 100", "at_least": 0.5},
        {"type": "size", "program": "465 -> 25 @ 100", "diameter_nm": 20.0},
    ]
    text = HEAD + f"predict = {_inline({'material': material, 'observation': obs})}\n"
    m = parse_manifest(text, path=tmp_path / "study.toml")
    (task,) = [t for t in build_tasks(m) if t.technique == "predict"]
    out = get_technique("predict").run(task)
    assert out.rows == () and "does not honour" in out.warnings[0]


@pytest.mark.parametrize(
    ("entry", "match"),
    [
        ('{file = "m.toml", material = {formula = "Cd(im)2"}}', "both 'file' and an inline"),
        (
            '{material = {formula = "Cd(im)2", tm_C = 455.0, tg_C = 175.0, '
            "melting_enthalpy_kJ_mol = 16.6, fragility_m = 43.0}}",
            "needs both 'material' and 'observation'",
        ),
        (
            '{material = {formula = "Cd(im)2", tm_C = 455.0, tg_C = 175.0, '
            "melting_enthalpy_kJ_mol = 16.6, fragility_m = 3.0}, observation = "
            '[{type = "bound", program = "465 -> 25 @ 42", at_most = 0.01}]}',
            "fragility_m",
        ),
        (
            '{material = {formula = "Cd(im)2", tm_C = 455.0, tg_C = 175.0, '
            "melting_enthalpy_kJ_mol = 16.6, fragility_m = 43.0}, observation = "
            '[{type = "exotherm", program = "465 -> 25 @ 42", file = "none.txt", '
            "window_C = [200.0, 260.0]}]}",
            "'none.txt' does not exist",
        ),
    ],
)
def test_inline_errors_name_the_problem(tmp_path: Path, entry: str, match: str) -> None:
    (tmp_path / "m.toml").write_text(CD_IM2_MATERIAL)
    with pytest.raises(ManifestError, match=match) as exc:
        parse_manifest(HEAD + f"predict = {entry}\n", path=tmp_path / "study.toml")
    assert "\n" not in str(exc.value)
