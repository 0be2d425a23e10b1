"""Crystal structures of frameworks: reading, networks, topology, densities and distances."""

from mofglass.structure.crystal import Crystal, read_structure

__all__ = ["Crystal", "read_structure"]
