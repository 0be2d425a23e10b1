"""Property and mutation tests over every reader and every command (issue 10, "Must show").

Every damaged input must end as exit 2 with one ``error:`` line naming the file, or exit 0
(with a ``warning:`` when the damage makes numbers wrong) - never a traceback, exit 1, a hang
or a crash; inputs stay byte-identical and nothing is left behind.

Runtime is bounded: one mutation per real file (round-robin over all mutations, so every
mutation and every file is covered), in-process through Typer's runner; a few real
subprocesses check what only a process shows (exit status, temp folders). The full matrix
(every mutation of every file) is ``python -m tests.fuzz.harness --all``.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from mofglass.cli import app
from tests.fuzz.corpus import CASES, MUTATIONS, SHARED_DATA, mutate
from tests.fuzz.harness import run_case, sample

pytestmark = pytest.mark.skipif(not SHARED_DATA.is_dir(), reason="no ../shared/data")

REPO = Path(__file__).resolve().parents[2]
SAMPLE = sample(1)
MUST_REFUSE = {"empty", "garbage", "header_only"}


@pytest.mark.parametrize(("case", "mutation"), SAMPLE, ids=[f"{c.id}|{m}" for c, m in SAMPLE])
def test_damaged_real_file(case, mutation):
    o = run_case(case, mutation, timeout_s=60)
    assert o.ok, f"{case.id} {mutation}: {o.problems}\n{o.output[-800:]}"
    if mutation in MUST_REFUSE:
        assert o.refused or o.flagged, f"{case.id} {mutation}: accepted silently\n{o.output}"


def test_the_sample_covers_every_mutation_and_every_file():
    assert {m for _, m in SAMPLE} == set(MUTATIONS)
    assert {c for c, _ in SAMPLE} == set(CASES)
    commands = {c.command[0] for c in CASES}
    assert {"structure", "simulate", "dsc", "tga", "fragility", "pxrd", "pdf", "indent"} <= commands
    assert "bands" in commands


# ---- every numeric option of every command: nonsense is refused before any work -----------

_FILE_FOR = {c.command[0]: c for c in CASES}


def _float_options() -> list[tuple[list[str], str]]:
    """(command path, --option) of every numeric option of every command."""
    import inspect
    import typing

    from typer.models import OptionInfo

    from mofglass.cli import iter_commands

    commands = iter_commands()
    out = []
    for path, callback in commands:
        hints = typing.get_type_hints(callback, include_extras=True)
        for name, param in inspect.signature(callback).parameters.items():
            hint = hints.get(name)
            info = param.default if isinstance(param.default, OptionInfo) else None
            if typing.get_origin(hint) is typing.Annotated:
                hint, *meta = typing.get_args(hint)
                info = next((m for m in meta if isinstance(m, OptionInfo)), info)
            if info is None:
                continue
            kinds = set(typing.get_args(hint)) | {hint}
            kinds |= {a for k in list(kinds) for a in typing.get_args(k)}
            if kinds & {float, int}:
                given = [info.default, *(info.param_decls or ())]
                decls = [d for d in given if isinstance(d, str) and d.startswith("--")]
                out.append((path, decls[0] if decls else "--" + name.replace("_", "-")))
    return out


FLOAT_OPTIONS = _float_options()


def _args_for(path: list[str]) -> list[str] | None:
    key = path[0]
    if key in ("run", "demo"):
        return None
    if key == "predict":
        return ["predict"]
    if path == ["structure", "analyse"]:  # `structure FILE` is `structure analyse FILE`
        plain = _args_for(["structure"])
        return None if plain is None else ["structure", "analyse", *plain[1:]]
    case = next((c for c in CASES if list(c.command[: len(path)]) == path), None)
    if case is None:
        return None
    data = SHARED_DATA / case.relpath
    return [
        a.replace("{file}", str(data)).replace("{data}", str(SHARED_DATA)) for a in case.command
    ]


def test_every_command_has_numeric_options_covered():
    covered = {tuple(p) for p, _ in FLOAT_OPTIONS if _args_for(p) is not None}
    assert {("structure", "analyse"), ("simulate", "xrd"), ("dsc",), ("pxrd",)} <= covered


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "-1e308"])
def test_non_finite_or_absurd_options_refused(value: str):
    runner = CliRunner()
    for path, option in FLOAT_OPTIONS:
        args = _args_for(path)
        if args is None:
            continue
        r = runner.invoke(app, [*args, option, value])
        assert r.exit_code == 2, (path, option, value, r.output)
        lines = r.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error:"), (path, option, r.output)


# ---- hypothesis: every reader on real lines with damage chosen by hypothesis ---------------

_READER_FILES = {
    "structure": "cd-metal-cif/Zn.cif",
    "pattern": "pxrd-henke-group-examples/sample-C_300_001_00000.xy",
    "thermogram": "dsc-tainstruments-eicosane/sample_dsc_tainstruments.txt",
    "total": "pdf-diffpy-examples/ni-q27r60-xray.gr",
    "spectrum": "zif62-ftir-jasco/ftir_test.csv",
    "indent": "nanoindentation-micromechanics/FS1.txt",
    "model": "zif62-widmer2019/ZIF-62-optimized.xyz",
}


def _reader(kind: str):
    if kind == "structure":
        from mofglass.structure.cif import read_structure

        return read_structure
    if kind == "pattern":
        from mofglass.diffraction.readers import read_pattern

        return read_pattern
    if kind == "thermogram":
        from mofglass.thermal.readers import read_thermogram

        return read_thermogram
    if kind == "total":
        from mofglass.totalscattering.readers import read_total_scattering

        return read_total_scattering
    if kind == "spectrum":
        from mofglass.spectroscopy.readers import read_spectrum

        return read_spectrum
    if kind == "indent":
        from mofglass.mechanics.readers import read_indentations

        return read_indentations
    from mofglass.scattering.models_io import read_model

    return read_model


_TOKENS = st.sampled_from(
    ["nan", "NaN", "?", ".", "inf", "-inf", "1e308", "-0", "0", "1,5", "", "\x00", "é", "#", ";"]
)


@st.composite
def _damaged_lines(draw, lines: list[str]) -> str:
    out = list(lines)
    for _ in range(draw(st.integers(1, 6))):
        if not out:
            break
        i = draw(st.integers(0, len(out) - 1))
        action = draw(st.sampled_from(["token", "delete", "cut", "dup"]))
        if action == "token":
            words = out[i].split()
            if words:
                j = draw(st.integers(0, len(words) - 1))
                words[j] = draw(_TOKENS)
                out[i] = " ".join(words)
        elif action == "delete":
            del out[i]
        elif action == "cut":
            out[i] = out[i][: draw(st.integers(0, len(out[i])))]
        else:
            out.insert(i, out[i])
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("kind", sorted(_READER_FILES))
def test_readers_on_hypothesis_damaged_real_files(kind: str, tmp_path_factory):
    from mofglass.errors import MofglassError

    src = SHARED_DATA / _READER_FILES[kind]
    lines = src.read_text(encoding="utf-8", errors="replace").splitlines()[:400]
    read = _reader(kind)
    folder = tmp_path_factory.mktemp(kind)

    @settings(
        max_examples=25,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(text=_damaged_lines(lines))
    def check(text: str) -> None:
        p = folder / src.name
        p.write_text(text, encoding="utf-8")
        try:
            result = read(p)
        except MofglassError as exc:
            assert str(exc).strip() and "\n" not in str(exc).strip()
            return
        _assert_finite_or_flagged(result)

    check()


def _assert_finite_or_flagged(result: object) -> None:
    """What a reader returns holds no NaN unless it says so in its warnings."""
    import dataclasses

    import numpy as np

    items = result if isinstance(result, list) else [result]
    for obj in items:
        if not dataclasses.is_dataclass(obj):
            continue
        warned = bool(getattr(obj, "warnings", ()) or getattr(obj, "metadata", {}).get("warnings"))
        for f in dataclasses.fields(obj):
            v = getattr(obj, f.name)
            if isinstance(v, np.ndarray) and v.dtype.kind == "f" and v.size:
                assert np.all(np.isfinite(v)) or warned, f"{f.name} holds NaN/inf silently"


# ---- manifests: hypothesis values for every kind of manifest value ------------------------

_VALUES = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-10, 10),
    st.text(max_size=12),
    st.sampled_from(['"4 parsec"', '"-3 mg"', '"0 mg"', '"1e9 kg"', "[1, 2]", "{a = 1}", "true"]),
)


def _toml_value(v: object) -> str:
    if isinstance(v, float):
        return (
            "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf") if math.isinf(v) else repr(v)
        )
    if isinstance(v, str) and not v.startswith(('"', "[", "{")) and v != "true":
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    return str(v)


@settings(max_examples=30, deadline=None, derandomize=True)
@given(key=st.sampled_from(["mass", "file", "id", "phase", "formula", "title"]), value=_VALUES)
def test_manifest_values_exit_0_or_one_line_naming_the_manifest(key: str, value: object):
    import tempfile

    from tests.study.test_pipeline import _write_study

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        manifest = _write_study(folder / "in", 1)
        text = manifest.read_text()
        line = f"{key} = {_toml_value(value)}"
        if key in ("mass", "file"):
            text = text.replace('  mass = "2 mg"\n', "") if key == "mass" else text
            text = text.replace('  file = "data/s000.txt"\n', "") if key == "file" else text
            text += f"  {line}\n" if key == "mass" else ""
            if key == "file":
                text = text.replace("[[samples.linecount]]\n", f"[[samples.linecount]]\n  {line}\n")
        elif key == "title":
            text = text.replace('title = "batch"', line)
        else:
            text = text.replace(
                {"id": 'id = "s000"', "phase": 'phase = "glass"', "formula": 'formula = "Cd(im)2"'}[
                    key
                ],
                line,
            )
        manifest.write_text(text)
        before = manifest.read_bytes()
        r = CliRunner().invoke(app, ["run", str(manifest), "--out", str(folder / "o"), "-q"])
        assert r.exit_code in (0, 2), (line, r.output)
        if r.exit_code == 2:
            lines = r.output.strip().splitlines()
            assert len(lines) == 1 and "study.toml" in lines[0], (line, r.output)
            assert not (folder / "o").exists()
        assert manifest.read_bytes() == before
        assert sorted(p.name for p in folder.iterdir()) == (
            ["in", "o"] if r.exit_code == 0 else ["in"]
        )


# ---- a few real processes ----------------------------------------------------------------


def test_real_process_damaged_cif_and_no_temp_leftovers(tmp_path: Path):
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    cif = tmp_path / "ZIF-67.cif"
    cif.write_bytes(
        mutate((SHARED_DATA / "zif8-zif67-ccdc-cifs/ZIF-67.cif").read_bytes(), "qmark", 0)
    )
    before = cif.read_bytes()
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "TMPDIR": str(tmpdir)}
    for args in (["structure", str(cif)], ["simulate", "xrd", str(cif)]):
        p = subprocess.run(
            [sys.executable, "-m", "mofglass", *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
        assert p.returncode == 2, p.stderr  # a segfault would be -11
        assert p.stderr.count("\n") == 1 and "ZIF-67.cif" in p.stderr
        assert "Traceback" not in p.stderr
    assert cif.read_bytes() == before
    assert list(tmpdir.iterdir()) == []
    assert sorted(x.name for x in tmp_path.iterdir()) == ["ZIF-67.cif", "tmp"]
