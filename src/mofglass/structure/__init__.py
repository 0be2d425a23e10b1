"""Crystal structures of frameworks: reading, networks, topology, densities and distances."""

from mofglass.structure.analysis import (
    StructureSummary,
    analyse_structure,
    analyze_structure,
    framework_topology,
)
from mofglass.structure.cif import read_structure
from mofglass.structure.crystal import Crystal, as_crystal, from_ase, from_pymatgen
from mofglass.structure.framework import Framework, Unit, build_framework, network_labels
from mofglass.structure.periodic_graph import PeriodicGraph
from mofglass.structure.properties import (
    PairDistances,
    cell_volume,
    crystal_density_g_cm3,
    d_spacings,
    metal_metal_distances,
    nearest_reflections,
    pair_distances,
    volume_change_percent,
)
from mofglass.structure.topology import NetTopology, identify_net

__all__ = [
    "Crystal",
    "Framework",
    "NetTopology",
    "PairDistances",
    "PeriodicGraph",
    "StructureSummary",
    "Unit",
    "analyse_structure",
    "analyze_structure",
    "as_crystal",
    "build_framework",
    "cell_volume",
    "crystal_density_g_cm3",
    "d_spacings",
    "framework_topology",
    "from_ase",
    "from_pymatgen",
    "identify_net",
    "metal_metal_distances",
    "nearest_reflections",
    "network_labels",
    "pair_distances",
    "read_structure",
    "volume_change_percent",
]
