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

import hashlib
import inspect
import os
import random
import signal
import typing
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mofglass.cli import _OUTPUT_NAMES, app, iter_commands
from tests.cli.mutations import BAD_INPUTS, TABLE_ONLY, make_bad_input

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
pytestmark = pytest.mark.skipif(not SHARED_DATA.is_dir(), reason="no ../shared/data")

TIMEOUT_S = 60.0  # a bad input is refused in well under a second; this only stops a hang


@dataclass(frozen=True)
class Kind:
    """What a command reads: a real file of it, a real file of another kind, its table."""

    real: str  # path under ../shared/data
    wrong: str  # a real file of another kind
    swap: tuple[int, int] | None = None  # numeric columns whose swap is detectable (0-based)
    table: bool = False  # a numeric text table: the cell / single-row / swap inputs apply


CIF = Kind(
    "zif8-zif67-ccdc-cifs/ZIF-67.cif", "dsc-tainstruments-eicosane/sample_dsc_tainstruments.txt"
)
DSC = Kind(
    "dsc-tainstruments-eicosane/sample_dsc_tainstruments.txt",
    "cd-metal-cif/Cd.cif",
    swap=(1, 2),  # temperature <-> heat flow
    table=True,
)
TGA = Kind(
    "tga-mettler-pmma/tga_dynamic_n2_dyn10_powder_1mg_r1.txt",
    "cd-metal-cif/Cd.cif",
    swap=(1, 3),  # temperature <-> mass
    table=True,
)
PXRD = Kind(
    "pxrd-henke-group-examples/sample-C_300_001_00000.xy",
    "cd-metal-cif/Cd.cif",
    swap=(0, 1),  # 2theta <-> counts
    table=True,
)
PDF = Kind(
    "pdf-diffpy-examples/ni-q27r60-xray.gr",
    "dsc-tainstruments-eicosane/sample_dsc_tainstruments.txt",
    swap=(0, 1),  # r <-> G
    table=True,
)
DOFR = Kind(
    "zif4-glass-xray-FQ-Dr/ZIF4glassa_31.dofr",
    "dsc-tainstruments-eicosane/sample_dsc_tainstruments.txt",
)
FTIR = Kind(
    "zif62-ftir-jasco/ftir_test.csv",
    "cd-metal-cif/Cd.cif",
    swap=(0, 1),  # wavenumber <-> absorbance
    table=True,
)
INDENT = Kind("nanoindentation-micromechanics/FS1.txt", "cd-metal-cif/Cd.cif")
ISOTHERM = Kind("isotherm-pygaps-json-aif/UiO-66_Zr__N2_77K.json", "cd-metal-cif/Cd.cif")
TEM = Kind("tem-sto-ser-eels-dm3/16_STOimage_1.ser", "cd-metal-cif/Cd.cif")

# words on the command line -> (the kind of its first file argument, the other arguments;
# "{out}" (a folder, or a file with its suffix) must not exist after a refusal, "{data}" the shared data folder)
COMMANDS: dict[tuple[str, ...], tuple[Kind, list[str]]] = {
    ("structure", "analyse"): (CIF, ["--out", "{out}"]),
    ("structure", "build"): (CIF, ["--out", "{out}.cif", "--substitute", "Co=Zn"]),
    ("simulate", "xrd"): (CIF, ["--two-theta-max", "30", "--out", "{out}.csv"]),
    ("simulate", "pdf"): (CIF, ["--rmax", "6", "--out", "{out}.csv"]),
    ("simulate", "sq"): (CIF, ["--qmax", "6", "--out", "{out}.csv"]),
    ("simulate", "iq"): (CIF, ["--qmax", "6", "--out", "{out}.csv"]),
    ("model", "crn"): (CIF, ["--out", "{out}.cif", "--sweeps", "0.1"]),
    ("model", "analyse"): (CIF, []),
    ("model", "rmc"): (
        CIF,
        ["{data}/zif4-glass-xray-FQ-Dr/ZIF4glassa_31.dofr", "--out", "{out}.cif"],
    ),
    ("dsc",): (DSC, ["--out", "{out}"]),
    ("fragility",): (DSC, []),
    ("tga",): (TGA, ["--out", "{out}"]),
    ("pxrd",): (PXRD, ["--out", "{out}"]),
    ("pxrd-series",): (PXRD, ["--cell", "10,10,10,90,90,90", "--space-group", "P1"]),
    ("pdf", "reduce"): (PDF, ["--out", "{out}"]),
    ("pdf", "fit"): (PDF, ["--phase", "{data}/pdf-diffpy-examples/ni.cif"]),
    ("indent",): (INDENT, ["--out", "{out}"]),
    ("bands",): (FTIR, ["-b", "1500:1400-1600", "--out", "{out}"]),
    ("sorption",): (ISOTHERM, ["--out", "{out}"]),
    ("tem",): (TEM, ["--out", "{out}"]),
}
# the file arguments of these commands are not input files
NOT_INPUT = {("library", "export"): "TARGET is the file written"}
# commands whose inputs are made by mofglass (manifests, result folders): their own tests
OWN_TESTS = {
    ("run",): "tests/safety/test_cli_errors.py, tests/study (manifests)",
    ("library", "add"): "tests/study/test_library*.py (result folders)",
}


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
    missing = set(_file_commands()) - set(COMMANDS) - set(NOT_INPUT) - set(OWN_TESTS)
    assert not missing, f"give these commands a Kind in COMMANDS: {sorted(missing)}"
    assert set(COMMANDS) <= set(_file_commands())


# not yet detected (strict: the test says when they are)
KNOWN_GAPS = {
    (("dsc",), "swapped_columns"): "heat flow read as temperature (-26..12 °C) looks like a "
    "temperature program to the DSC reader; no check of the program's smoothness yet",
}


def _cases() -> list[tuple[tuple[str, ...], str]]:
    out = []
    for words, (kind, _) in COMMANDS.items():
        for bad in BAD_INPUTS:
            if bad in TABLE_ONLY and not kind.table:
                continue
            if bad == "swapped_columns" and kind.swap is None:
                continue
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


def _snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file under ``folder``: its SHA-256 and mtime (ns); folders by name."""
    snap: dict[str, tuple[str, int]] = {}
    for p in sorted(folder.rglob("*")):
        rel = str(p.relative_to(folder))
        if p.is_dir():
            snap[rel + "/"] = ("dir", 0)
        else:
            snap[rel] = (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
    return snap


class _Hang(BaseException):
    """Raised by the alarm: not an Exception, so no handler in mofglass can swallow it."""


def _on_alarm(signum: int, frame: object) -> None:
    raise _Hang()


def _invoke(args: list[str]):
    old = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, TIMEOUT_S)
    try:
        return CliRunner().invoke(app, args)
    except _Hang:
        pytest.fail(f"no answer after {TIMEOUT_S:g} s: {args}")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


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
        real=SHARED_DATA / kind.real,
        wrong=SHARED_DATA / kind.wrong,
        swap=kind.swap,
        rng=random.Random(f"{words}{bad}"),
    )
    monkeypatch.chdir(tmp_path)  # a command writing to the working folder would show here
    before = _snapshot(tmp_path)
    out = tmp_path / "out"
    args = [
        *words,
        str(bad_input.path),
        *(a.replace("{out}", str(out)).replace("{data}", str(SHARED_DATA)) for a in extra),
    ]
    r = _invoke(args)
    err = r.stderr.strip()
    shown = f"{' '.join(words)} <{bad}>: exit {r.exit_code} | stderr: {err[-600:]!r} | stdout: {r.stdout[:200]!r}"
    assert "Traceback" not in r.output, shown
    if bad_input.warning_is_enough:  # an error need not say what was expected, nor a warning
        assert r.exit_code in (0, 2), shown
        assert ("warning:" if r.exit_code == 0 else "error:") in err, f"accepted silently: {shown}"
        assert bad_input.path.name in err, f"the file is not named: {shown}"
        return
    assert r.exit_code == 2, shown
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:"), shown
    assert r.stdout.strip() == "", shown
    assert bad_input.path.name in lines[0], f"the file is not named: {shown}"
    assert "expected" in lines[0], f"what was expected is not said: {shown}"
    if bad_input.line is not None:
        assert f"{bad_input.path.name}:{bad_input.line}" in lines[0], f"no line: {shown}"
    assert _snapshot(tmp_path) == before, f"something was written or changed: {shown}"
    assert not out.exists()
    assert os.getcwd() == str(tmp_path)


def test_the_matrix_covers_every_bad_input():
    assert {b for _, b in CASES} == set(BAD_INPUTS)
    assert len(CASES) >= 150
