"""Comparison with the peer program micromechanics (stored output, made by
reference/make_reference.py; versions inside the JSON). Same options: ideal Berkovich 24.5,
ε 0.75, β 1, the fit window micromechanics uses per vendor."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from mofglass.mechanics import oliver_pharr, read_indentations
from tests.mechanics.conftest import shared_file

REFERENCE = Path(__file__).parent / "reference" / "micromechanics_reference.json"
WINDOWS = {  # micromechanics.indentation.definitions vendor defaults (unloadPMin, unloadPMax)
    "RobinSteel0000LC.txt": (0.4, 0.95),
    "multipleIndentations.zip": (0.5, 0.99),
    "FS1.txt": (0.21, 0.95),
}
# Tolerances: Micromaterials and FischerScope files have no surface/drift ambiguity; the only
# difference left is micromechanics's C0 (24.494 vs 24.5) and fit details -> 0.5 %, 0.5 nm.
# The Hysitron steel test: micromechanics first re-finds the surface and corrects drift,
# which we do not -> 3 % on Er and S, 2 % on H, 2 nm on hc.
TOL = {
    "RobinSteel0000LC.txt": (0.03, 0.02, 2.0),
    "multipleIndentations.zip": (0.005, 0.005, 0.5),
    "FS1.txt": (0.005, 0.005, 0.5),
}


def _reference() -> dict[str, Any]:
    return json.loads(REFERENCE.read_text())


@pytest.mark.parametrize("name", list(WINDOWS))
def test_against_micromechanics(indent_data: Path, name: str) -> None:
    ref = [t for t in _reference()["tests"] if t["file"] == name]
    tests = read_indentations(shared_file(indent_data, name))
    assert len(ref) == len(tests)
    rtol_e, rtol_h, tol_hc = TOL[name]
    for ours_in, theirs in zip(tests, ref, strict=True):
        r = oliver_pharr(ours_in, fit_window=WINDOWS[name])
        assert r.reduced_modulus_GPa.value == pytest.approx(
            theirs["reduced_modulus_GPa"], rel=rtol_e
        )
        assert r.hardness_GPa.value == pytest.approx(theirs["hardness_GPa"], rel=rtol_h)
        assert r.stiffness_mN_nm.value == pytest.approx(theirs["stiffness_mN_nm"], rel=rtol_e)
        assert r.contact_depth_nm.value == pytest.approx(theirs["contact_depth_nm"], abs=tol_hc)


def test_reference_records_its_versions() -> None:
    ref = _reference()
    assert ref["peer"] == "micromechanics" and ref["versions"]["micromechanics"]


def test_fischerscope_every_cycle_against_micromechanics(indent_data: Path) -> None:
    # FS1.txt: 10 tests x 8 load-partial-unload cycles; micromechanics analyses every cycle.
    # Same tolerances as above (0.5 % on Er and H, 0.5 nm on hc), for all 80 cycles.
    from mofglass.mechanics import detect_cycles

    ref = [t for t in _reference()["tests"] if t["file"] == "FS1.txt"]
    tests = read_indentations(shared_file(indent_data, "FS1.txt"))
    n = 0
    for test, theirs in zip(tests, ref, strict=True):
        cycles = detect_cycles(test.load_mN)
        assert len(cycles) == len(theirs["cycles"]["reduced_modulus_GPa"]) == 8
        for k, seg in enumerate(cycles):
            r = oliver_pharr(test, segments=seg, fit_window=WINDOWS["FS1.txt"])
            c = theirs["cycles"]
            assert r.reduced_modulus_GPa.value == pytest.approx(
                c["reduced_modulus_GPa"][k], rel=0.005
            )
            assert r.hardness_GPa.value == pytest.approx(c["hardness_GPa"][k], rel=0.005)
            assert r.contact_depth_nm.value == pytest.approx(c["contact_depth_nm"][k], abs=0.5)
            n += 1
    assert n == 80
