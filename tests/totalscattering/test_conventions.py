"""Keen (2001) conventions, PDFgetX3 / RMCProfile files, real-space checks and curve outputs."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from mofglass.cli import app
from mofglass.errors import MofglassError
from mofglass.totalscattering import read_total_scattering
from mofglass.totalscattering.conventions import (
    CONVENTIONS,
    convert,
    low_r_shape,
    mean_scattering_squared,
)
from mofglass.totalscattering.pdf_files import write_pdfgetx3

from .conftest import shared

NI = "pdf-diffpy-examples/ni-q27r60-xray.gr"
RHO_NI = 4 / 3.52387**3  # fcc Ni, a = 3.52387 Å (ni.cif, COD 9008476)


def _ni():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return read_total_scattering(shared(NI))


def test_keen_table_relations_on_real_ni() -> None:
    d = _ni()
    r, gr = d.x, d.y
    w = 1.0609  # (Σcb)² of Ni: b_c = 10.3 fm (Sears 1992) → 1.0609 barn
    kw = {"number_density_invA3": RHO_NI, "mean_b_squared": w}
    dr = convert(r, gr, "G", "D", **kw)
    tr = convert(r, gr, "G", "T", **kw)
    gk = convert(r, gr, "G", "GK", **kw)
    # Keen 2001: D(r) = W G(r) (PDFgui), T(r) = D(r) + 4πρ0 r W, D(r) = 4πρ0 r G_K(r)
    np.testing.assert_allclose(dr, w * gr)
    np.testing.assert_allclose(tr, dr + 4 * np.pi * RHO_NI * r * w)
    np.testing.assert_allclose(dr, 4 * np.pi * RHO_NI * r * gk)
    # every pair of real-space kinds round-trips
    for k in ("g", "GK", "D", "T"):
        back = convert(r, convert(r, gr, "G", k, **kw), k, "G", **kw)
        np.testing.assert_allclose(back[r > 0], gr[r > 0], atol=1e-9)
    # physics: g(r) = 0 below the nearest-neighbour distance (2.49 Å); the data's scale (0.92,
    # PDFfit2) and termination ripples leave it within 0.15
    g = convert(r, gr, "G", "g", number_density_invA3=RHO_NI)
    assert abs(np.mean(g[(r > 1.0) & (r < 2.0)])) < 0.15
    # and → 1 at large r
    assert np.mean(g[(r > 40) & (r < 59)]) == pytest.approx(1.0, abs=0.05)


def test_reciprocal_conversions_and_errors() -> None:
    q = np.linspace(0.5, 20, 50)
    s = 1 + np.sin(q) / q
    f = convert(q, s, "S", "F")
    np.testing.assert_allclose(f, np.sin(q))
    np.testing.assert_allclose(convert(q, f, "F", "FK", mean_b_squared=2.0), 2 * np.sin(q) / q)
    np.testing.assert_allclose(convert(q, s, "S", "i"), s - 1)
    with pytest.raises(MofglassError, match="Fourier"):
        convert(q, s, "S", "G", number_density_invA3=0.1)
    with pytest.raises(MofglassError, match="number density"):
        convert(q, s, "g", "G")
    with pytest.raises(MofglassError, match="weights"):
        convert(q, s, "S", "FK")
    assert set(CONVENTIONS) == {"S", "i", "F", "FK", "g", "GK", "G", "D", "T"}


def test_mean_scattering_squared_sears_and_xray() -> None:
    # Sears (1992): b_c(Ni) = 10.3 fm, b_c(O) = 5.803 fm
    assert mean_scattering_squared({"Ni": 1}, probe="neutron") == pytest.approx(1.0609, rel=1e-3)
    w = mean_scattering_squared({"Ni": 1, "O": 1}, probe="neutron")
    assert w == pytest.approx(((10.3 + 5.803) / 2 / 10) ** 2, rel=2e-3)
    assert mean_scattering_squared({"Zn": 1, "C": 6}, probe="xray") == pytest.approx(
        ((30 + 36) / 7) ** 2
    )


def test_real_files_pass_the_low_r_checks() -> None:
    # the PDFgetX2 Ni G(r) falls as -4πρ0 r below its first peak; no file here raises a flag
    d = _ni()
    # measured low-r G(r) is ripples and artefacts: no shape claim for the X-ray Ni file
    assert low_r_shape(d.x, d.y)[0] != "rising"
    assert d.kind == "G" and d.metadata["convention_from"] == "format"
    assert "warnings" not in d.metadata
    for name in ("CdS_ZnS_nano.gr", "ni-q27r100-neutron.gr"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            other = read_total_scattering(shared("pdf-diffpy-examples/" + name))
        assert other.kind == "G"
        assert not any("negative" in w or "flat" in w for w in other.metadata.get("warnings", []))


def _stripped_rmc(tmp_path: Path, *, with_header: bool) -> Path:
    # an RMCProfile-style g(r) - 1 (Keen's G(r), normalised) made from the real Ni G(r)
    d = _ni()
    m = d.x >= 0.3
    gk = convert(d.x[m], d.y[m], "G", "GK", number_density_invA3=RHO_NI, mean_b_squared=1.0)
    rows = "\n".join(f"{a:.4f} {b:.6f}" for a, b in zip(d.x[m], gk, strict=True))
    p = tmp_path / ("rmc.gr" if with_header else "stripped.gr")
    head = f"{m.sum()}\n Ni G(r) from RMCProfile\n" if with_header else ""
    p.write_text(head + rows + "\n")
    return p


def test_rmcprofile_gr_read_with_its_convention(tmp_path: Path) -> None:
    d = read_total_scattering(_stripped_rmc(tmp_path, with_header=True))
    assert d.kind == "GK" and d.metadata["convention_from"] == "header"
    assert d.metadata["format"] == "RMCProfile .gr"


def test_stripped_rmcprofile_gr_is_not_read_as_pdfgui_g(tmp_path: Path) -> None:
    with pytest.warns(UserWarning, match="Keen G"):
        d = read_total_scattering(_stripped_rmc(tmp_path, with_header=False))
    assert d.kind == "GK"
    assert d.metadata["mean_b_squared"] == pytest.approx(1.0, abs=0.15)


def test_r_in_nm_is_flagged(tmp_path: Path) -> None:
    d = _ni()
    m = d.x <= 10
    p = tmp_path / "nm.gr"
    p.write_text("\n".join(f"{a / 10:.5f} {b:.6f}" for a, b in zip(d.x[m], d.y[m], strict=True)))
    with pytest.warns(UserWarning, match="nm"):
        read_total_scattering(p)


def test_pdfgetx3_round_trip_and_metadata(tmp_path: Path) -> None:
    d = _ni()
    p = write_pdfgetx3(
        tmp_path / "ni.gr", d.x, d.y, kind="G", metadata={"qmax": 27.0, "composition": "Ni"}
    )
    back = read_total_scattering(p)
    assert back.kind == "G" and back.metadata["convention_from"] == "header"
    assert back.metadata["qmax_invA"] == 27.0 and back.metadata["composition"] == "Ni"
    np.testing.assert_allclose(back.y, d.y, rtol=1e-7, atol=1e-9)
    with pytest.raises(MofglassError, match="never overwrites"):
        write_pdfgetx3(p, d.x, d.y, kind="G")


def test_pdf_out_writes_gr_fq_sq_csv_png(tmp_path: Path) -> None:
    src = shared("zif4-glass-xray-FQ-Dr/ZIF4glassa_31.int01")
    out = tmp_path / "out"
    res = CliRunner().invoke(app, ["pdf", str(src), "--out", str(out), "--json"])
    assert res.exit_code == 0, res.output
    names = sorted(p.name for p in out.iterdir())
    exts = (".csv", ".fq", ".gr", ".png", ".sq")
    assert names == [".mofglass-output", *(f"ZIF4glassa_31{e}" for e in exts)]
    gr = read_total_scattering(out / "ZIF4glassa_31.gr")
    assert gr.kind == "D" and gr.metadata["convention_from"] == "header"
    sq = read_total_scattering(out / "ZIF4glassa_31.sq")
    assert sq.kind == "S" and sq.y[-50:].mean() == pytest.approx(1.0, abs=0.05)
    # the written D(r) is the reduced one: same first peak as reducing the .int01 again
    first = json.loads(res.output)[0]["peaks"][0]["position_A"]["value"]
    again = CliRunner().invoke(app, ["pdf", str(out / "ZIF4glassa_31.gr"), "--json"])
    assert json.loads(again.output)[0]["peaks"][0]["position_A"]["value"] == pytest.approx(
        first, abs=0.002
    )
    # a second run replaces its own earlier output (mofglass.outputs.OutputFolder) ...
    res2 = CliRunner().invoke(app, ["pdf", str(src), "--out", str(out)])
    assert res2.exit_code == 0, res2.output
    # ... but never a folder holding a file the user put there
    (out / "notes.txt").write_text("mine")
    res3 = CliRunner().invoke(app, ["pdf", str(src), "--out", str(out)])
    assert res3.exit_code == 2 and "notes.txt" in res3.output
    assert (out / "notes.txt").read_text() == "mine"


def test_simulate_out_columns(tmp_path: Path) -> None:
    cif = shared("pdf-diffpy-examples/ni.cif")
    runner = CliRunner()
    gr = tmp_path / "ni.gr"
    assert (
        runner.invoke(
            app, ["simulate", "pdf", str(cif), "--rmax", "10", "--out", str(gr)]
        ).exit_code
        == 0
    )
    d = read_total_scattering(gr)
    # the simulated Ni G(r): first peak at a/√2 = 2.492 Å (closed form)
    r1 = d.x[(d.x > 2) & (d.x < 3)][np.argmax(d.y[(d.x > 2) & (d.x < 3)])]
    assert r1 == pytest.approx(3.52387 / np.sqrt(2), abs=0.02)  # peak of a Gaussian / r
    xy = tmp_path / "ni.xy"
    assert runner.invoke(app, ["simulate", "xrd", str(cif), "--out", str(xy)]).exit_code == 0
    prof = np.loadtxt(xy)
    # Cu Kα1 (1.540593 Å) Ni 111 at 2θ = 44.5°
    assert prof[np.argmax(prof[:, 1]), 0] == pytest.approx(44.5, abs=0.2)
