"""Crystal structures of frameworks: reading, networks, topology, densities and distances."""

from mofglass.structure.crystal import Crystal, as_crystal, from_ase, from_pymatgen, read_structure
from mofglass.structure.framework import Framework, Unit, build_framework, network_labels
from mofglass.structure.periodic_graph import PeriodicGraph

__all__ = [
    "Crystal",
    "Framework",
    "PeriodicGraph",
    "Unit",
    "as_crystal",
    "build_framework",
    "from_ase",
    "from_pymatgen",
    "network_labels",
    "read_structure",
]
