"""Measured ZIF-4 D(r) features assigned to the partials of the ZIF-4 crystal structure.

Truths: the measured D(r) of crystalline ZIF-4 at 31 °C (Gaillac et al., Nature Mater. 16, 1149
(2017), GudrunX .dofr) and the ZIF-4 crystal structure (Park et al., PNAS 103, 10186 (2006);
RASPA2 CIF): imidazolate C-N bonds 1.33-1.38 Å, Zn-N bonds 1.98-2.00 Å, Zn···C (ring) 3.0 Å,
Zn···Zn across an imidazolate 5.9-6.0 Å.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from mofglass.cli import app
from mofglass.errors import MofglassError
from mofglass.scattering import crystal_pdf
from mofglass.structure import network_labels, read_structure
from mofglass.totalscattering import read_total_scattering
from mofglass.totalscattering.assign import assign_features
from mofglass.totalscattering.refine_model import neutron_lengths

from .conftest import shared


def _zif4():
    return read_structure(shared("raspa2-zif-cifs/ZIF-4.cif"))


def test_zif4_features_are_assigned_to_their_pairs() -> None:
    c = _zif4()
    model = crystal_pdf(c, r_max_A=9.0, labels=network_labels(c))
    d = read_total_scattering(shared("zif4-glass-xray-FQ-Dr/ZIF4glassa_31.dofr"))
    feats = {f.label: f for f in assign_features(d.x, d.y, model) if f.sign > 0}
    assert feats["C-N"].r_A == pytest.approx(1.35, abs=0.03)
    assert feats["N-Zn"].r_A == pytest.approx(1.99, abs=0.03)
    assert feats["C-Zn"].r_A == pytest.approx(3.0, abs=0.05)
    assert feats["Zn-Zn"].r_A == pytest.approx(5.95, abs=0.15)
    assert feats["N-Zn"].pairs["N-Zn"] > 0.7
    assert feats["N-Zn"].network == {"intra": 1.0}
    # X-ray partials are all positive: minima (gaps, ripples) stay unassigned
    assert all(f.label == "unassigned" for f in assign_features(d.x, d.y, model) if f.sign < 0)


def test_neutron_negative_features_go_to_negative_pairs() -> None:
    # plumbing: with neutron weights (b_H = -3.74 fm), minima of the model's own G(r) are
    # assigned to pairs with H, maxima to pairs without
    c = _zif4()
    model = crystal_pdf(c, r_max_A=6.0, scattering=neutron_lengths(["C", "H", "N", "Zn"]))
    feats = assign_features(model.r_A, model.G, model, r_max_A=4.0)
    neg = [f for f in feats if f.sign < 0 and f.pairs]
    assert neg and all("H" in next(iter(f.pairs)) for f in neg)
    assert any(f.sign > 0 and f.label == "C-N" for f in feats)
    with pytest.raises(MofglassError, match="termination"):
        assign_features(model.r_A, model.G, crystal_pdf(c, r_max_A=6.0, qmax_invA=20.0))


def test_cli_phase_labels_and_features_figure(tmp_path) -> None:
    src = shared("zif4-glass-xray-FQ-Dr/ZIF4glassa_31.dofr")
    cif = shared("raspa2-zif-cifs/ZIF-4.cif")
    res = CliRunner().invoke(
        app, ["pdf", str(src), "--phase", str(cif), "--out", str(tmp_path / "o"), "--json"]
    )
    assert res.exit_code == 0, res.output
    feats = json.loads(res.output)[0]["features"]
    assert "N-Zn" in [f["label"] for f in feats]
    assert (tmp_path / "o" / "features.png").stat().st_size > 10_000
