"""The commands of the contract tests: what each reads, a real file of it, how to run it.

Shared by ``test_bad_input_contract.py`` and ``test_output_contract.py``.
"""

from __future__ import annotations

import hashlib
import signal
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from mofglass.cli import app

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
TIMEOUT_S = 60.0  # a bad input is refused in well under a second; this only stops a hang


@dataclass(frozen=True)
class Kind:
    """What a command reads: a real file of it, a real file of another kind, its table."""

    real: str  # path under ../shared/data, or the name of a file ``make`` writes
    wrong: str  # a real file of another kind
    swap: tuple[int, int] | None = None  # numeric columns whose swap is detectable (0-based)
    table: bool = False  # a numeric text table: the cell / single-row / swap inputs apply
    make: Callable[[Path], Path] | None = None  # writes a valid input (made by mofglass)
    folder_ok: bool = False  # a folder is a valid input

    def real_file(self, folder: Path) -> Path | None:
        """A valid input: the real file, one ``make`` writes into ``folder``, or None."""
        if self.make is not None:
            folder.mkdir(exist_ok=True)
            return self.make(folder)
        return None if self.folder_ok else SHARED_DATA / self.real


def _manifest(folder: Path) -> Path:
    """A small study manifest with its data (the manifests of ``tests/study``)."""
    from tests.study.test_pipeline import _write_study

    return _write_study(folder, 2)


MANIFEST = Kind("study.toml", "cd-metal-cif/Cd.cif", make=_manifest)
RESULTS = Kind("results.json", "cd-metal-cif/Cd.cif", folder_ok=True)  # output folders of `run`
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
    ("run",): (MANIFEST, ["--out", "{out}", "-q", "--no-figures"]),
    ("library", "add"): (RESULTS, ["--db", "{out}.duckdb"]),
}
# the file arguments of these commands are not input files
NOT_INPUT = {("library", "export"): "TARGET is the file written"}


# every Path parameter of every command is an input or an output: a new one must be sorted
INPUT_PARAMS = {
    "file",
    "files",
    "image",
    "manifests",
    "template",
    "cell_from",
    "phase",
    "impurity",
    "calibration",
    "background",
    "data",
    "model_file",
    "resume",
    "material",
    "results",
}


def snapshot(folder: Path) -> dict[str, tuple[str, int]]:
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


def invoke(args: list[str]) -> Result:
    old = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, TIMEOUT_S)
    try:
        return CliRunner().invoke(app, args)
    except _Hang:
        pytest.fail(f"no answer after {TIMEOUT_S:g} s: {args}")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def assert_one_line_refusal(r: Result, label: str, name: str, *, expected: bool = True) -> str:
    """Assert exit 2 and one ``error:`` line on stderr naming ``name``; return the line.

    ``expected``: the line also says what was expected. Nothing on stdout, no traceback.
    """
    err = r.stderr.strip()
    shown = f"{label}: exit {r.exit_code} | stderr: {err[-600:]!r} | stdout: {r.stdout[:200]!r}"
    assert "Traceback" not in r.output, shown
    assert r.exit_code == 2, shown
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:"), shown
    assert r.stdout.strip() == "", shown
    assert name in lines[0], f"{name} is not named: {shown}"
    assert not expected or "expected" in lines[0].lower(), f"no 'expected': {shown}"
    return lines[0]
