"""Nanoindentation: readers, Oliver-Pharr analysis, CSM depth profiles, moduli, forward model.

>>> from mofglass.mechanics import read_indentations, oliver_pharr, youngs_modulus
>>> # tests = read_indentations("indents.zip"); r = oliver_pharr(tests[0])

References
----------
.. [1] W. C. Oliver, G. M. Pharr, J. Mater. Res. 7 (1992) 1564; 19 (2004) 3.
"""

from mofglass.mechanics.area import AreaFunction, area_from_stiffness_nm2, calibrate_area_function
from mofglass.mechanics.calibration import calibrate_on_reference
from mofglass.mechanics.compliance import frame_compliance_from_series
from mofglass.mechanics.csm import average_profiles, csm_profile, window_average
from mofglass.mechanics.data import Indentation
from mofglass.mechanics.modulus import (
    reduced_modulus_from_youngs,
    youngs_modulus,
    youngs_modulus_rigid_indenter,
)
from mofglass.mechanics.oliver_pharr import OliverPharrResult, fit_unloading, oliver_pharr
from mofglass.mechanics.options import OliverPharrOptions
from mofglass.mechanics.readers import read_indentations
from mofglass.mechanics.segments import Segments, detect_cycles, detect_segments
from mofglass.mechanics.summary import average_indents
from mofglass.mechanics.synthetic import max_load_for_depth_mN, synthetic_indentation

__all__ = [
    "AreaFunction",
    "Indentation",
    "OliverPharrOptions",
    "OliverPharrResult",
    "Segments",
    "area_from_stiffness_nm2",
    "average_indents",
    "average_profiles",
    "calibrate_area_function",
    "calibrate_on_reference",
    "csm_profile",
    "detect_cycles",
    "detect_segments",
    "fit_unloading",
    "frame_compliance_from_series",
    "max_load_for_depth_mN",
    "oliver_pharr",
    "read_indentations",
    "reduced_modulus_from_youngs",
    "synthetic_indentation",
    "window_average",
    "youngs_modulus",
    "youngs_modulus_rigid_indenter",
]
