"""Crystallographic core shared by every technique.

Crystallographic core shared by every technique: radiation, 2θ/d/q conversions, unit cells,
reflection lists and the size/strain broadening convention.

Examples
--------
>>> from mofglass.crystallography import Cell, radiation, reflection_list
>>> lam = radiation("CuKa1").ka1_A
>>> refl = reflection_list(Cell(4.15683, 4.15683, 4.15683, spacegroup="P m -3 m"), d_min_A=2.5)
>>> [round(float(t), 3) for t in refl.two_theta_deg(lam)]
[21.358, 30.385]
"""

from mofglass.crystallography.broadening import (
    DEFAULT_K,
    LORENTZ_FWHM_PER_BETA,
    size_breadth_deg,
    size_from_breadth_nm,
    strain_breadth_deg,
)
from mofglass.crystallography.cell import Cell, free_cell_parameters
from mofglass.crystallography.conversions import (
    d_to_q,
    d_to_two_theta,
    q_to_d,
    q_to_two_theta,
    two_theta_to_d,
    two_theta_to_q,
)
from mofglass.crystallography.radiation import RADIATIONS, Radiation, radiation
from mofglass.crystallography.reflections import (
    Reflection,
    ReflectionList,
    reflection_list,
    reflections,
)

__all__ = [
    "DEFAULT_K",
    "LORENTZ_FWHM_PER_BETA",
    "RADIATIONS",
    "Cell",
    "Radiation",
    "Reflection",
    "ReflectionList",
    "d_to_q",
    "d_to_two_theta",
    "free_cell_parameters",
    "q_to_d",
    "q_to_two_theta",
    "radiation",
    "reflection_list",
    "reflections",
    "size_breadth_deg",
    "size_from_breadth_nm",
    "strain_breadth_deg",
    "two_theta_to_d",
    "two_theta_to_q",
]
