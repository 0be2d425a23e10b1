"""The CLI's contract with the user's files at the output side, over every output option.

"A user's file is never modified, overwritten or deleted." Every output path option of every
command (discovered from the Typer app) is pointed at a file the user made, at a folder
holding the user's files and into a folder that cannot be written; each must be refused in one
line (exit 2) that names the path, before any work, with every file left as it was
(:mod:`mofglass.outputs` is the design: refuse, never replace or empty).
"""

from __future__ import annotations

import inspect
import os
import typing
from pathlib import Path

import pytest

from mofglass.cli import _FOLDER_OUTPUTS, iter_commands
from tests.cli.commands import (
    COMMANDS,
    INPUT_PARAMS,
    SHARED_DATA,
    assert_one_line_refusal,
    invoke,
    snapshot,
)

pytestmark = pytest.mark.skipif(not SHARED_DATA.is_dir(), reason="no ../shared/data")

# output parameter -> the suffix its files take (folders: none)
OUTPUT_SUFFIX = {
    "out": "",
    "inputs": "",
    "export": ".cif",
    "plot": ".png",
    "figure": ".png",
    "save_instrument": ".json",
    "checkpoint": ".npz",
    "target": ".csv",
}
FILE_OUT_SUFFIX = {  # --out of commands whose --out is one file
    ("structure", "build"): ".cif",
    ("model", "crn"): ".cif",
    ("model", "rmc"): ".cif",
    ("simulate", "xrd"): ".json",
    ("simulate", "pdf"): ".json",
    ("simulate", "sq"): ".json",
    ("simulate", "iq"): ".json",
}
# commands run here without an input file, or not at all (and why)
NO_INPUT = {("demo",): [], ("predict",): []}
NOT_RUN = {("library", "export"): "needs a library: tests/study/test_library.py covers it"}


def _path_params(callback: typing.Any) -> list[str]:
    hints = typing.get_type_hints(callback)
    out = []
    for name in inspect.signature(callback).parameters:
        hint = hints.get(name)
        args = {
            *typing.get_args(hint),
            *(a for x in typing.get_args(hint) for a in typing.get_args(x)),
        }
        if hint is Path or Path in args:
            out.append(name)
    return out


def _output_options() -> list[tuple[tuple[str, ...], str]]:
    found = []
    for words, callback in iter_commands():
        for name in _path_params(callback):
            if name not in INPUT_PARAMS:
                found.append((tuple(words), name))
    return found


OUTPUTS = _output_options()


def test_every_path_parameter_is_an_input_or_an_output():
    unknown = {n for _, n in OUTPUTS} - set(OUTPUT_SUFFIX)
    assert not unknown, f"sort these parameters into INPUT_PARAMS or OUTPUT_SUFFIX: {unknown}"
    runnable = {w for w, _ in OUTPUTS} - set(NOT_RUN)
    assert runnable <= set(COMMANDS) | set(NO_INPUT), runnable - set(COMMANDS) - set(NO_INPUT)


def _is_folder(words: tuple[str, ...], name: str) -> bool:
    return (words[-1], name) in _FOLDER_OUTPUTS or (words[0], name) in _FOLDER_OUTPUTS


def _base_args(words: tuple[str, ...], tmp: Path) -> list[str]:
    """A valid command line without its output options (required ones get a fresh path)."""
    if words in NO_INPUT:
        return [*words, *NO_INPUT[words]]
    kind, extra = COMMANDS[words]
    real = kind.real_file(tmp / "gen")
    assert real is not None, words
    args = [*words, str(real)]
    it = iter(extra)
    for a in it:
        if a == "--out":
            value = next(it)
            if words in FILE_OUT_SUFFIX:  # required: a new file beside, never written here
                args += ["--out", str(tmp / f"fresh{FILE_OUT_SUFFIX[words]}")]
            del value
            continue
        args.append(a.replace("{data}", str(SHARED_DATA)))
    return args


def _unwritable(tmp: Path) -> Path:
    """A folder this process cannot write into (root writes anywhere but in /sys)."""
    if os.geteuid() != 0:
        locked = tmp / "locked"
        locked.mkdir()
        locked.chmod(0o555)
        return locked
    if os.access("/sys", os.W_OK) and Path("/sys/kernel").is_dir():
        return Path("/sys")  # writable flag, but the kernel refuses new entries
    pytest.skip("no unwritable folder for this user")


SITUATIONS = ("user_file", "user_folder", "unwritable")
CASES = [
    (w, n, s)
    for w, n in OUTPUTS
    if w not in NOT_RUN and not (w == ("demo",) and n == "inputs")
    for s in SITUATIONS
]


@pytest.mark.parametrize(
    ("words", "name", "situation"),
    CASES,
    ids=[f"{' '.join(w)}|--{n}|{s}" for w, n, s in CASES],
)
def test_output_over_user_files_is_refused_in_one_line(
    words: tuple[str, ...],
    name: str,
    situation: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
):
    folder = _is_folder(words, name)
    suffix = FILE_OUT_SUFFIX.get(words, "") if name == "out" else OUTPUT_SUFFIX[name]
    suffix = "" if folder else suffix
    user = tmp_path / "user"
    user.mkdir()
    if situation == "user_file":
        target = user / f"notes{suffix}"
        target.write_bytes(b"my notes, not mofglass's\n")
    elif situation == "user_folder":
        target = user / f"results{suffix}"
        target.mkdir()
        (target / "notes.txt").write_bytes(b"my notes\n")
        (target / "raw.dat").write_bytes(b"1 2\n3 4\n")
    else:
        target = _unwritable(tmp_path) / f"mofglass-contract-out{suffix}"
    monkeypatch.chdir(tmp_path)
    args = _base_args(words, tmp_path)
    before = snapshot(tmp_path)
    option = "--" + name.replace("_", "-")
    r = invoke([*args, option, str(target)])
    label = f"{' '.join(words)} {option} <{situation}>"
    assert_one_line_refusal(r, label, target.name, expected=False)
    assert snapshot(tmp_path) == before, f"a file was written, changed or removed: {label}"
    assert not (situation == "unwritable" and target.exists())


def test_every_output_option_is_covered():
    assert {(w, n) for w, n, _ in CASES} >= {
        (("dsc",), "out"),
        (("structure", "build"), "export"),
        (("pxrd",), "plot"),
        (("tem",), "figure"),
        (("model", "rmc"), "checkpoint"),
        (("simulate", "xrd"), "out"),
        (("predict",), "out"),
        (("demo",), "out"),
    }
