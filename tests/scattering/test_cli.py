"""``mofglass simulate`` commands (typer app) on nickel, checked against closed forms."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from mofglass.scattering.cli import app
from tests.scattering.conftest import shared


def test_xrd_json():
    # Ni with Cu Kα1: (111) strongest at 2θ = 44.496° (Bragg's law, a = 3.52387 Å), m = 8
    res = CliRunner().invoke(
        app,
        ["xrd", str(shared("pdf-diffpy-examples/ni.cif")), "--wavelength", "1.540593", "--json"],
    )
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    first = data["reflections"][0]
    assert sorted(abs(v) for v in first["hkl"]) == [1, 1, 1]
    assert first["multiplicity"] == 8
    assert first["intensity"] == 100.0
    d = 3.52387 / np.sqrt(3)
    assert first["two_theta_deg"] == pytest.approx(np.degrees(2 * np.arcsin(1.540593 / (2 * d))))
    assert set(data["profile"]) == {"two_theta_deg", "intensity"}


def test_pdf_and_sq_json(tmp_path):
    # Ni: ρ0 = 4 / a³; the first peak of G(r) is the 12-neighbour shell at a/√2 = 2.49 Å
    # (Gaussian/r with σ² = 0.02 Å² moves the maximum by σ²/r = 0.008 Å; tol 0.015 Å)
    out = tmp_path / "ni.json"
    res = CliRunner().invoke(
        app,
        [
            "pdf",
            str(shared("pdf-diffpy-examples/ni.cif")),
            "--rmax",
            "10",
            "--json",
            "--out",
            str(out),
        ],
    )
    assert res.exit_code == 0, res.output
    data = json.loads(out.read_text())
    assert data["number_density_invA3"] == pytest.approx(4 / 3.52387**3)
    assert set(data["partials"]["element"]) == {"Ni-Ni"}
    assert data["peaks"][0]["r_A"] == pytest.approx(3.52387 / np.sqrt(2), abs=0.015)
    assert len(data["r_A"]) == len(data["G"]) == len(data["D"])
    res = CliRunner().invoke(
        app, ["sq", str(shared("pdf-diffpy-examples/ni.cif")), "--qmax", "8", "--json"]
    )
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["route"] == "periodic"


def test_particle_iq_pdf(tmp_path):
    # --particle sphere:30 on Ni: the same atoms as nanoparticle() and the same I(Q) as the
    # all-pairs route; the Debye powder pattern's strongest line is (111) at Bragg's 2θ
    from mofglass.scattering.debye import debye_intensity
    from mofglass.scattering.models import nanoparticle
    from mofglass.structure import read_structure

    cif = str(shared("pdf-diffpy-examples/ni.cif"))
    res = CliRunner().invoke(
        app, ["iq", cif, "--particle", "sphere:30", "--wavelength", "1.540593", "--json"]
    )
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["route"] == "lattice"
    ref = debye_intensity(
        nanoparticle(read_structure(cif), 30.0), np.array(data["q_invA"]), route="histogram"
    )
    assert data["n_atoms"] == ref.n_atoms
    assert np.abs(np.array(data["I"]) - ref.intensity).max() <= 1e-6 * ref.intensity.max()
    pat = data["profile"]
    tt = np.array(pat["two_theta_deg"])
    inten = np.array(pat["intensity"])
    win = (tt > 35) & (tt < 60)
    bragg = np.degrees(2 * np.arcsin(1.540593 * np.sqrt(3) / (2 * 3.52387)))
    assert tt[win][np.argmax(inten[win])] == pytest.approx(bragg, abs=0.4)
    # G(r) of the particle: first peak at the nearest-neighbour distance a/√2 (Lorch-broadened)
    res = CliRunner().invoke(app, ["pdf", cif, "--particle", "sphere:30", "--rmax", "6", "--json"])
    assert res.exit_code == 0, res.output
    g = json.loads(res.output)
    r, G = np.array(g["r_A"]), np.array(g["G"])
    assert r[np.argmax(G)] == pytest.approx(3.52387 / np.sqrt(2), abs=0.03)
    assert set(g["partials"]["element"]) == {"Ni-Ni"}
    # a periodic structure without --particle is refused in one line
    res = CliRunner().invoke(app, ["iq", cif])
    assert res.exit_code != 0
