"""Classes of damage found by the full fuzz matrix (``python -m tests.fuzz.harness --all``), each
fixed at its boundary and checked here on a real file damaged the same way.

Every case runs the command a user would type (in-process) and asserts the outcome the issue
asks for: exit 2 with one ``error:`` line naming the file, or exit 0 with a ``warning:``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mofglass.cli import app
from tests.fuzz.corpus import SHARED_DATA, mutate

pytestmark = pytest.mark.skipif(not SHARED_DATA.is_dir(), reason="no ../shared/data")

runner = CliRunner()


def _damaged(tmp_path: Path, relpath: str, mutation: str) -> Path:
    src = SHARED_DATA / relpath
    out = tmp_path / src.name
    out.write_bytes(mutate(src.read_bytes(), mutation, 0))
    return out


def _refused(r, name: str) -> None:
    lines = r.output.strip().splitlines()
    assert r.exit_code == 2, r.output
    assert len(lines) == 1 and lines[0].startswith("error:") and name in lines[0], r.output


@pytest.mark.parametrize(
    ("relpath", "mutation", "command", "reason"),
    [
        # bytes inserted into a binary file shift the float data: 1e35-1e38 "counts"
        ("xrd-bruker-raw-uxd-xylib/Cu3Au-1.raw", "duplicate", ["pxrd"], "decades of its median"),
        (
            "zif62-ftir-jasco/ftir_test.jws",
            "huge",
            ["bands", "-b", "1500:1400-1600"],
            "decades of its median",
        ),
        # adsorption_file_parser reads a section until a line starting with "0" and appends
        # empty rows forever at the end of the file: before the fix this filled memory
        (
            "isotherm-instrument-raw-aif-dut/DUT-67-N2_77K.DAT",
            "truncate",
            ["sorption"],
            # the cut row is caught first (io.table.check_complete_rows, file:line:col); a cut at a
            # row boundary by the missing closing '0' line of the section
            "expected 5 fields as in line 37",
        ),
        # every number x1000 (a unit slip): eicosane "melting" at 37150 °C with ΔH 2.8e7 J/g
        # was printed with exit 0
        (
            "dsc-tainstruments-eicosane/sample_dsc_tainstruments.txt",
            "scale",
            ["dsc"],
            "below 2500 °C",
        ),
    ],
)
def test_damage_is_refused_with_its_reason(tmp_path, relpath, mutation, command, reason):
    f = _damaged(tmp_path, relpath, mutation)
    r = runner.invoke(app, [command[0], str(f), *command[1:]])
    _refused(r, f.name)
    assert reason in r.output


def test_dynamic_range_check_keeps_every_real_pattern_and_spectrum():
    from mofglass.diffraction.readers import read_pattern
    from mofglass.spectroscopy.readers import read_spectrum

    for rel in (
        "xrd-bruker-raw-uxd-xylib/Cu3Au-1.raw",
        "pxrd-11bm-gsas-fxye/11bmb_8716.fxye",
        "pxrd-formats-nomad/XRD-918-16_10.xrdml",
    ):
        assert len(read_pattern(SHARED_DATA / rel)) > 100
    assert len(read_spectrum(SHARED_DATA / "zif62-ftir-jasco/ftir_test.jws").x) > 100


def test_third_party_log_lines_do_not_reach_the_output(tmp_path):
    # pyGAPS / adsorption_file_parser log to stdout ("Could not parse date ..."), xlrd writes
    # "WARNING *** file size ..." there: the user sees one error line only
    f = _damaged(
        tmp_path,
        "isotherm-instrument-raw-aif-dut/NK_DUT-6_LP_N2_114PKT__Raw_Analysis_Data_.txt",
        "constant",
    )
    _refused(runner.invoke(app, ["sorption", str(f)]), f.name)
    x = _damaged(tmp_path, "nanoindentation-micromechanics/Example.xls", "header_only")
    _refused(runner.invoke(app, ["indent", str(x)]), x.name)


def test_a_thermogram_of_a_few_points_is_flagged(tmp_path):
    f = _damaged(tmp_path, "macfp-pmma-sandia-sta/Sandia_DSC_Ar_10K_1.csv", "header_only")
    r = runner.invoke(app, ["dsc", str(f), "--exo-down"])
    assert r.exit_code == 0, r.output
    assert "warning:" in r.output and "too short" in r.output


def test_a_truncated_pdf_is_flagged_not_a_crash(tmp_path):
    f = _damaged(tmp_path, "zif4-glass-xray-FQ-Dr/ZIF4glassa_31.dofr", "header_only")
    r = runner.invoke(app, ["pdf", str(f)])
    # no distance can be in a curve ending before 0.74 Å (H2): a one-line error, not "none"
    assert r.exit_code == 2, r.output
    assert "r ends at" in r.output and "truncated" in r.output


def test_gr_with_r_in_nm_refused_on_the_command_line(tmp_path):
    # the reader's notes were UserWarnings, which the CLI does not print: now DataWarnings
    lines = (SHARED_DATA / "pdf-diffpy-examples/ni-q27r60-xray.gr").read_text().splitlines()
    out = []
    for line in lines:
        parts = line.split()
        try:
            values = [float(v) for v in parts]
        except ValueError:
            values = []
        if len(values) >= 2:
            values[0] /= 10.0  # r in nm
            line = " ".join(f"{v:.6g}" for v in values)
        out.append(line)
    f = tmp_path / "ni_nm.gr"
    f.write_text("\n".join(out) + "\n")
    r = runner.invoke(app, ["pdf", str(f)])
    # first_peaks refuses r in nm in one line (it used to report one peak three times)
    assert r.exit_code == 2 and "r looks like nm" in r.output, r.output
    assert "first peaks" not in r.output


def test_fit2d_chi_with_point_count_and_q_in_inverse_nm(tmp_path):
    # Fit2D's four header lines end with the point count; 'Q (Inverse Nanometres)' is nm^-1:
    # Glassure's own test divides this file's x by 10 (test_optimization.py, line 46)
    from mofglass.totalscattering.readers import read_total_scattering

    src = SHARED_DATA / "total-scattering-glassure-more/Argon_1GPa.chi"
    d = read_total_scattering(src)
    raw = [float(ln.split()[0]) for ln in src.read_text().splitlines()[4:] if ln.strip()]
    assert d.x_kind == "q_invA"
    assert d.x[-1] == pytest.approx(raw[-1] / 10.0)
    assert len(d.x) == int(src.read_text().splitlines()[3])
    copy = tmp_path / src.name
    shutil.copy(src, copy)
    assert runner.invoke(app, ["pdf", str(copy), "--formula", "Ar"]).exit_code == 0


def test_q_beyond_any_instrument_is_flagged(tmp_path):
    # Q x10 (nm^-1 taken as Å^-1): ni.iq then reaches 261 Å^-1
    f = _damaged(tmp_path, "pdf-diffpy-examples/ni.iq", "x10_first")
    r = runner.invoke(app, ["pdf", str(f), "--formula", "Ni"])
    assert r.exit_code in (0, 2), r.output
    assert "nm⁻¹" in r.output, r.output
