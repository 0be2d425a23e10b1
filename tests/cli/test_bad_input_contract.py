"""The CLI's contract with bad input, over every command that reads a file.

Product brief: "Bad input gets one line: file, line or column, what was expected; exit 2;
nothing written. A user's file is never modified, overwritten or deleted. Inputs whose units or
columns look wrong get a warning or an error."

The commands are discovered from the Typer app (:func:`mofglass.cli.iter_commands`): every
command with a file argument is fed every bad input that applies to it. A new command that
reads a file fails :func:`test_every_file_command_has_a_kind` until it is given a kind (a real
file of what it reads, from ``../shared/data``), so it is covered from then on.

Each case runs in-process (Typer's runner) in its own folder, with an alarm as a bound.
"""

from __future__ import annotations

import inspect
import os
import random
import typing
from pathlib import Path

import pytest

from mofglass.cli import _OUTPUT_NAMES, iter_commands
from tests.cli.commands import (
    COMMANDS,
    INPUT_PARAMS,
    NOT_INPUT,
    SHARED_DATA,
    assert_one_line_refusal,
    invoke,
    snapshot,
)
from tests.cli.mutations import BAD_INPUTS, TABLE_ONLY, make_bad_input

pytestmark = pytest.mark.skipif(not SHARED_DATA.is_dir(), reason="no ../shared/data")


def _file_commands() -> list[tuple[str, ...]]:
    """Every command with a required file argument (Path or list of Path), from the app."""
    found = []
    for words, callback in iter_commands():
        hints = typing.get_type_hints(callback)
        for name, p in inspect.signature(callback).parameters.items():
            hint = hints.get(name)
            paths = hint is Path or typing.get_args(hint) == (Path,)
            required = p.default is inspect.Parameter.empty or (
                getattr(p.default, "default", None) is ...
            )
            if paths and required and name not in _OUTPUT_NAMES:
                found.append(tuple(words))
                break
    return found


def test_every_file_command_has_a_kind():
    missing = set(_file_commands()) - set(COMMANDS) - set(NOT_INPUT)
    assert not missing, f"give these commands a Kind in COMMANDS: {sorted(missing)}"
    assert set(COMMANDS) <= set(_file_commands())


# not yet detected (strict: the test says when they are)
KNOWN_GAPS = {
    (("dsc",), "swapped_columns"): "heat flow read as temperature (-26..12 °C) passes as a "
    "temperature program: its dT/dt changes sign at 15 % of the points, but real programs "
    "with isothermal holds reach 40 % (TAInstruments_example_file.txt), so no such test yet",
}


def _cases() -> list[tuple[tuple[str, ...], str]]:
    out = []
    for words, (kind, _) in COMMANDS.items():
        for bad in BAD_INPUTS:
            if bad in TABLE_ONLY and not kind.table:
                continue
            if bad == "swapped_columns" and kind.swap is None:
                continue
            if kind.folder_ok and bad in ("directory", "truncated"):
                continue  # a folder is valid input; a folder cannot be cut
            out.append((words, bad))
    return out


CASES = _cases()
PARAMS = [
    pytest.param(
        w,
        b,
        id=f"{' '.join(w)}|{b}",
        marks=[pytest.mark.xfail(strict=True, reason=KNOWN_GAPS[w, b])]
        if (w, b) in KNOWN_GAPS
        else [],
    )
    for w, b in CASES
]


@pytest.mark.parametrize(("words", "bad"), PARAMS)
def test_bad_input_is_one_line_exit_2_and_nothing_written(
    words: tuple[str, ...], bad: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    kind, extra = COMMANDS[words]
    inputs = tmp_path / "in"
    inputs.mkdir()
    bad_input = make_bad_input(
        bad,
        inputs,
        real=kind.real_file(tmp_path / "gen"),
        name=Path(kind.real).name,
        wrong=SHARED_DATA / kind.wrong,
        swap=kind.swap,
        rng=random.Random(f"{words}{bad}"),
    )
    monkeypatch.chdir(tmp_path)  # a command writing to the working folder would show here
    before = snapshot(tmp_path)
    out = tmp_path / "out"
    args = [
        *words,
        str(bad_input.path),
        *(a.replace("{out}", str(out)).replace("{data}", str(SHARED_DATA)) for a in extra),
    ]
    r = invoke(args)
    label = f"{' '.join(words)} <{bad}>"
    if bad_input.warning_is_enough:  # an error need not say what was expected, nor a warning
        err = r.stderr.strip()
        shown = f"{label}: exit {r.exit_code} | stderr: {err[-600:]!r}"
        assert "Traceback" not in r.output, shown
        assert r.exit_code in (0, 2), shown
        assert ("warning:" if r.exit_code == 0 else "error:") in err, f"accepted silently: {shown}"
        assert bad_input.path.name in err, f"the file is not named: {shown}"
        return
    line = assert_one_line_refusal(r, label, bad_input.path.name)
    if bad_input.line is not None:
        assert f"{bad_input.path.name}:{bad_input.line}" in line, f"no line: {label}: {line}"
    assert snapshot(tmp_path) == before, f"something was written or changed: {label}"
    assert not out.exists()
    assert os.getcwd() == str(tmp_path)


def test_the_matrix_covers_every_bad_input():
    assert {b for _, b in CASES} == set(BAD_INPUTS)
    assert len(CASES) >= 150


# ---- the other input options (--phase, --background, --calibration, ...) -------------------

# options that may not be given with the one tested
EXCLUSIVE = {(("pxrd-series",), "phase"): ("--cell", "--space-group")}
SECONDARY_BAD = ("missing", "directory", "empty", "random_bytes", "latin1_text")


def _input_options() -> list[tuple[tuple[str, ...], str]]:
    """(command, option) of every input file given by an option, from the app."""
    from typer.models import OptionInfo

    found = []
    for words, callback in iter_commands():
        hints = typing.get_type_hints(callback, include_extras=True)
        for name, p in inspect.signature(callback).parameters.items():
            hint = hints.get(name)
            meta = getattr(hint, "__metadata__", ())
            option = isinstance(p.default, OptionInfo) or any(
                isinstance(m, OptionInfo) for m in meta
            )
            bare = typing.get_args(hint)[0] if meta else hint
            args = {
                *typing.get_args(bare),
                *(a for x in typing.get_args(bare) for a in typing.get_args(x)),
            }
            if option and (bare is Path or Path in args) and name in INPUT_PARAMS:
                found.append((tuple(words), name))
    return found


INPUT_OPTIONS = [(w, n) for w, n in _input_options() if w in COMMANDS or w == ("predict",)]
SECONDARY = [(w, n, b) for w, n in INPUT_OPTIONS for b in SECONDARY_BAD]


def test_input_options_are_found():
    names = {(" ".join(w), n) for w, n in INPUT_OPTIONS}
    assert {("pdf fit", "phase"), ("pxrd", "phase"), ("indent", "calibration")} <= names
    assert {("pdf reduce", "background"), ("predict", "material")} <= names


@pytest.mark.parametrize(
    ("words", "name", "bad"), SECONDARY, ids=[f"{' '.join(w)}|--{n}|{b}" for w, n, b in SECONDARY]
)
def test_bad_input_option_is_one_line_exit_2(
    words: tuple[str, ...], name: str, bad: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    inputs = tmp_path / "in"
    inputs.mkdir()
    suffix = {"material": ".toml", "resume": ".npz", "cell_from": ".json"}.get(name, ".cif")
    bad_input = make_bad_input(
        bad,
        inputs,
        real=None,
        name=f"{name}{suffix}",
        wrong=SHARED_DATA / "cd-metal-cif" / "Cd.cif",
        swap=None,
        rng=random.Random(f"{words}{name}{bad}"),
    )
    if words == ("predict",):
        args: list[str] = ["predict"]
    else:
        kind, extra = COMMANDS[words]
        real = kind.real_file(tmp_path / "gen")
        out = str(tmp_path / "out")
        args = [*words, str(real)]
        args += [a.replace("{out}", out).replace("{data}", str(SHARED_DATA)) for a in extra]
    option = "--" + name.replace("_", "-")
    for given in (option, *EXCLUSIVE.get((words, name), ())):  # the usual values go
        if given in args:
            i = args.index(given)
            del args[i : i + 2]
    monkeypatch.chdir(tmp_path)
    before = snapshot(tmp_path)
    r = invoke([*args, option, str(bad_input.path)])
    label = f"{' '.join(words)} {option} <{bad}>"
    assert_one_line_refusal(r, label, bad_input.path.name)
    assert snapshot(tmp_path) == before, f"something was written or changed: {label}"
