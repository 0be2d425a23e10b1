"""``mofglass simulate xrd CIF --particle sphere:D``: the Debye powder pattern of a crystallite.

Truth (closed form): a sphere of diameter D has the volume-weighted mean column length
⟨L⟩_vol = 3D/4, so its lines have the integral breadth β(2θ) = λ / (⟨L⟩_vol cos θ) =
4λ / (3 D cos θ) (Stokes & Wilson, Proc. Phys. Soc. 56 (1944) 174; Langford & Wilson,
J. Appl. Cryst. 11 (1978) 102: K_β = 1.0747 for D = V^(1/3), i.e. 4/3 for the diameter).
Ni (fcc, pdf-diffpy-examples/ni.cif), D = 8 nm, Cu Kα1: the (111) breadth from a two-line
pseudo-Voigt fit with a linear background must be within 10 % of it.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from scipy.optimize import curve_fit
from typer.testing import CliRunner

from mofglass.scattering.cli import app

LAMBDA_A = 1.540593
D_A = 80.0


def _pv(x: np.ndarray, c: float, g: float, eta: float) -> np.ndarray:
    """Unit-area pseudo-Voigt of FWHM g."""
    z = (x - c) / g
    lor = 2 / (np.pi * g) / (1 + 4 * z * z)
    gau = 2 / g * np.sqrt(np.log(2) / np.pi) * np.exp(-4 * np.log(2) * z * z)
    return eta * lor + (1 - eta) * gau


def _two_lines(x: np.ndarray, *p: float) -> np.ndarray:
    a1, c1, g1, e1, a2, c2, g2, e2, b0, b1 = p
    return a1 * _pv(x, c1, g1, e1) + a2 * _pv(x, c2, g2, e2) + b0 + b1 * (x - 45)


def test_sphere_has_the_scherrer_breadth_of_its_size(shared_data: Path) -> None:
    cif = shared_data / "pdf-diffpy-examples" / "ni.cif"
    args = ["xrd", str(cif), "--particle", f"sphere:{D_A:g}", "--wavelength", str(LAMBDA_A)]
    args += ["--two-theta-min", "30", "--two-theta-max", "62", "--step", "0.02", "--json"]
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["particle"] == "sphere:80" and data["reflections"] == []
    x = np.asarray(data["profile"]["two_theta_deg"])
    y = np.asarray(data["profile"]["intensity"])
    g0 = float(np.degrees(4 * LAMBDA_A / (3 * D_A * np.cos(np.radians(22)))))
    p0 = [100 * g0, 44.5, g0, 0.5, 50 * g0, 51.85, g0, 0.5, float(y.min()), 0.0]
    lo = [0, 43, 0.01, 0, 0, 50, 0.01, 0, -np.inf, -np.inf]
    hi = [np.inf, 46, 10, 1, np.inf, 53, 10, 1, np.inf, np.inf]
    popt, _ = curve_fit(_two_lines, x, y, p0=p0, bounds=(lo, hi), maxfev=20000)
    _, c, g, eta = popt[:4]
    beta = 1 / float(_pv(np.array([c]), c, g, eta)[0])  # area / height of a unit-area line
    closed = np.degrees(4 * LAMBDA_A / (3 * D_A * np.cos(np.radians(c / 2))))
    assert beta == pytest.approx(closed, rel=0.10)
    # Ni (111) at a = 3.52387 Å
    assert c == pytest.approx(
        np.degrees(2 * np.arcsin(LAMBDA_A * np.sqrt(3) / 3.52387 / 2)), abs=0.1
    )


def test_particle_bad_shape_refused(shared_data: Path) -> None:
    cif = shared_data / "pdf-diffpy-examples" / "ni.cif"
    res = CliRunner().invoke(app, ["xrd", str(cif), "--particle", "cube:3"])
    assert res.exit_code != 0
