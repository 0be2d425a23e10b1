"""Glass structure models of metal-organic frameworks: continuous random networks and analysis.

:func:`build_crn` randomises the metal net of a crystal supercell (:func:`metal_net`,
:func:`supercell_net`) by bond switches under a valence force field and re-decorates it;
:func:`analyse_model` gives coordination, rings, angles and metal pairs by network.
"""

from mofglass.models.glass.analysis import ModelAnalysis, analyse_model, metal_pair_counts
from mofglass.models.glass.crn import CRNModel, build_crn
from mofglass.models.glass.net import MetalNet, metal_net, supercell_net
from mofglass.models.glass.rings import RingStatistics, ring_statistics

__all__ = [
    "CRNModel",
    "MetalNet",
    "ModelAnalysis",
    "RingStatistics",
    "analyse_model",
    "build_crn",
    "metal_net",
    "metal_pair_counts",
    "ring_statistics",
    "supercell_net",
]
