"""Issue-11 round trip across packages: a pattern simulated by ``mofglass.scattering`` with
size 30 nm and microstrain 1e-3 (instrument: Caglioti U, V, W) is analysed back by
``mofglass.diffraction`` with the same instrument profile.

Both sides use the broadening convention of :mod:`mofglass.crystallography.broadening`
(integral breadths, K = 1), so this is a consistency (plumbing) test of that shared convention,
not an independent truth; the closed forms of the convention are tested separately below.
Tolerances from the issue: 30 ± 1.5 nm and (1.0 ± 0.1)e-3.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from mofglass.crystallography import size_breadth_deg, size_from_breadth_nm, strain_breadth_deg
from mofglass.diffraction.analysis import analyse_pattern
from mofglass.diffraction.cell import cell_from_crystal
from mofglass.diffraction.pattern import Pattern, Wavelength
from mofglass.diffraction.pawley import pawley_refine
from mofglass.diffraction.size import InstrumentProfile
from mofglass.scattering.xrd import powder_pattern
from mofglass.structure import read_structure

UVW = (0.004, -0.002, 0.0025)
LAM = 1.5405929


def test_broadening_closed_forms() -> None:
    # β = Kλ/(D cosθ) and 4ε tanθ (radians of 2θ): at 2θ = 60°, λ = 1.5405929 Å, D = 10 nm,
    # β = 1.5405929/(100 cos 30°) rad = 1.01922°; ε = 1e-3: 4e-3 tan 30° rad = 0.132319°
    assert float(size_breadth_deg(60.0, wavelength_A=LAM, size_nm=10.0)) == pytest.approx(
        np.degrees(LAM / (100 * np.cos(np.radians(30)))), rel=1e-12
    )
    assert float(strain_breadth_deg(60.0, microstrain=1e-3)) == pytest.approx(
        np.degrees(4e-3 * np.tan(np.radians(30))), rel=1e-12
    )
    b = size_breadth_deg(45.0, wavelength_A=LAM, size_nm=37.0, k_factor=4 / 3)
    assert float(size_from_breadth_nm(45.0, b, wavelength_A=LAM, k_factor=4 / 3)) == (
        pytest.approx(37.0, rel=1e-12)
    )


def _simulated(shared_data: Path, size_nm: float, strain: float) -> Pattern:
    crystal = read_structure(shared_data / "pdf-diffpy-examples" / "ni.cif")
    pp = powder_pattern(
        crystal,
        radiation=LAM,
        two_theta_range_deg=(30.0, 140.0),
        step_deg=0.01,
        caglioti_deg2=UVW,
        crystallite_size_nm=size_nm,
        microstrain=strain,
    )
    y = pp.intensity / pp.intensity.max() * 1e5 + 50.0
    return Pattern(pp.two_theta_deg, y, radiation=Wavelength(LAM), intensity_unit="counts")


def test_scherrer_and_williamson_hall_recover_size_and_strain(shared_data: Path) -> None:
    inst = InstrumentProfile(u=UVW[0], v=UVW[1], w=UVW[2], source="simulation")
    size_only = analyse_pattern(_simulated(shared_data, 30.0, 0.0), instrument=inst)
    assert size_only.scherrer is not None and size_only.scherrer.crystallite_size_nm is not None
    assert size_only.scherrer.crystallite_size_nm.value == pytest.approx(30.0, abs=1.5)
    both = analyse_pattern(_simulated(shared_data, 30.0, 1e-3), instrument=inst)
    wh = both.williamson_hall
    assert wh is not None and wh.crystallite_size_nm is not None
    assert wh.crystallite_size_nm.value == pytest.approx(30.0, abs=1.5)
    assert wh.microstrain is not None
    assert wh.microstrain.value == pytest.approx(1.0e-3, abs=0.1e-3)


def test_whole_pattern_fit_recovers_size_and_strain(shared_data: Path) -> None:
    inst = InstrumentProfile(u=UVW[0], v=UVW[1], w=UVW[2], source="simulation")
    p = _simulated(shared_data, 30.0, 1e-3)
    crystal = read_structure(shared_data / "pdf-diffpy-examples" / "ni.cif")
    r = pawley_refine(p, cell_from_crystal(crystal), instrument=inst)
    assert r.size_nm is not None and r.microstrain is not None
    assert r.size_nm.value == pytest.approx(30.0, abs=1.5)
    assert r.microstrain.value == pytest.approx(1.0e-3, abs=0.1e-3)
