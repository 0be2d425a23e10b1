"""The ``simulate`` study technique on nickel (closed forms: Bragg's law, ρ0 = 4/a³)."""

from __future__ import annotations

import numpy as np
import pytest

from mofglass.study.technique import SampleInfo, Task, get_technique
from tests.scattering.conftest import shared


def test_simulate_technique_rows_and_figures():
    tech = get_technique("simulate")
    task = Task(
        "simulate",
        SampleInfo("ni", "Ni", "crystal"),
        str(shared("pdf-diffpy-examples/ni.cif")),
        {"r_max_A": 10.0},
    )
    out = tech.run(task)
    rows = {r.quantity: r for r in out.rows}
    d111 = 3.52387 / np.sqrt(3)
    assert rows["strongest_reflection_d_A"].value == pytest.approx(d111)
    assert rows["strongest_reflection_two_theta_deg"].value == pytest.approx(
        np.degrees(2 * np.arcsin(1.540593 / (2 * d111)))
    )
    assert rows["number_density_invA3"].value == pytest.approx(4 / 3.52387**3)
    figs = tech.figures([out])
    assert len(figs) == 2
