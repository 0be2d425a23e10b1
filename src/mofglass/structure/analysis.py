"""One call from a structure to its summary: topology, interpenetration, densities, distances.

References
----------
.. [1] O. Delgado-Friedrichs, M. O'Keeffe, Acta Cryst. A59 (2003) 351 (Systre key).
.. [2] E. V. Alexandrov et al., CrystEngComm 13 (2011) 3947 (underlying nets of MOFs).
"""

from __future__ import annotations

import dataclasses
import math
import warnings
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypedDict

import numpy as np

from mofglass.results import Measured, Result
from mofglass.structure.bonds import is_metal
from mofglass.structure.crystal import Crystal, as_crystal
from mofglass.structure.framework import Framework, build_framework
from mofglass.structure.periodic_graph import PeriodicGraph
from mofglass.structure.properties import (
    cell_volume,
    crystal_density_g_cm3,
    metal_metal_distances,
)
from mofglass.structure.topology import NetTopology, coordination_sequence, identify_net

__all__ = [
    "LAYER_NETS",
    "MetalPairShell",
    "NetRecord",
    "StructureSummary",
    "analyse_structure",
    "analyze_structure",
    "framework_topology",
    "layer_plane",
]

#: 2-periodic reference nets, defined by their quotient graphs (RCSR layer symbols). ``bex``
#: (a 3,4-c layer) is the quotient graph CrystalNets.jl's archive (archives/rcsr.arc, RCSR
#: data) gives for it: "2 1 2 0 0 1 2 1 0 1 3 0 0 1 3 1 0 2 3 0 -1", vertices from 1.
LAYER_NETS: dict[str, tuple[int, list[tuple[int, int, tuple[int, int, int]]]]] = {
    "sql": (1, [(0, 0, (1, 0, 0)), (0, 0, (0, 1, 0))]),
    "hcb": (2, [(0, 1, (0, 0, 0)), (0, 1, (-1, 0, 0)), (0, 1, (0, -1, 0))]),
    "hxl": (1, [(0, 0, (1, 0, 0)), (0, 0, (0, 1, 0)), (0, 0, (1, 1, 0))]),
    "bex": (
        3,
        [
            (0, 1, (0, 0, 0)),
            (0, 1, (1, 0, 0)),
            (0, 2, (0, 0, 0)),
            (0, 2, (1, 0, 0)),
            (1, 2, (0, -1, 0)),
        ],
    ),
    "kgm": (
        3,
        [
            (0, 1, (0, 0, 0)),
            (0, 2, (0, 0, 0)),
            (1, 2, (0, 0, 0)),
            (0, 1, (-1, 0, 0)),
            (0, 2, (0, -1, 0)),
            (1, 2, (1, -1, 0)),
        ],
    ),
}


def _layer_cs(name: str) -> tuple[tuple[int, ...], ...]:

    n, edges = LAYER_NETS[name]
    g = PeriodicGraph.simple(
        n, np.array([(u, v) for u, v, _ in edges]), np.array([s for _, _, s in edges])
    )
    return tuple(sorted({coordination_sequence(g, v) for v in range(n)}))


def framework_topology(fw: Framework) -> list[NetTopology]:
    """Topology of every distinct net of a framework, with its number of interpenetrated copies.

    3-periodic nets are identified by Systre key (or coordination sequences where the key is
    undefined); 2-periodic layers by coordination sequences against :data:`LAYER_NETS`.
    """
    out: dict[Any, NetTopology] = {}
    for comp in fw.net.components():
        if comp.dimension == 3:
            topo = identify_net(fw.net.to_component_basis(comp), copies=comp.n_copies or 1)
            group: Any = topo.key_hash or topo.coordination_sequences
        elif comp.dimension == 2:
            sub, _ = fw.net.subgraph(comp.vertices)
            css = tuple(sorted({coordination_sequence(sub, int(v)) for v in range(sub.n_vertices)}))
            names = [k for k in LAYER_NETS if _layer_cs(k) == css]
            topo = NetTopology(
                " | ".join(names) or "unknown",
                0,
                None,
                None,
                css,
                (),
                tuple(names),
                None,
                "coordination sequences (2-periodic layer)",
                _layer_note(comp.lattice, fw.crystal.lattice_A),
            )
            group = ("layer", css)
        else:
            continue
        if group in out:
            prev = out[group]
            out[group] = dataclasses.replace(prev, copies=prev.copies + topo.copies)
        else:
            out[group] = topo
    return list(out.values())


def layer_plane(lattice: np.ndarray) -> tuple[int, int, int]:
    """Miller indices (h k l) of the lattice plane holding a layer with 2-periodic ``lattice``.

    ``lattice`` holds the layer's two translation vectors in cell coordinates (integer rows);
    the plane normal is their cross product, divided by the gcd of its components, first
    non-zero index positive. A layer in (h k l) is crossed ``|l|`` times by one ``c``
    translation: counting those crossings as "copies" depends on the cell, so 2-periodic nets
    get no interpenetration count here.
    """
    n = np.cross(np.asarray(lattice[0], dtype=np.int64), np.asarray(lattice[1], dtype=np.int64))
    g = math.gcd(math.gcd(int(n[0]), int(n[1])), int(n[2])) or 1
    hkl = [int(x) // g for x in n]
    if next(x for x in hkl if x != 0) < 0:
        hkl = [-x for x in hkl]
    return (hkl[0], hkl[1], hkl[2])


def _layer_note(lattice: np.ndarray, cell_A: np.ndarray | None) -> str:
    if lattice.shape[0] != 2:
        return "layers: the number of copies is infinite"
    hkl = layer_plane(lattice)
    text = f"layers parallel to ({hkl[0]} {hkl[1]} {hkl[2]})"
    if cell_A is not None:
        d = 1.0 / float(np.linalg.norm(np.linalg.inv(cell_A) @ np.array(hkl, dtype=float)))
        text += f", {d:.3f} Å apart"
    return text + "; stacked layers have no interpenetration count"


def _display(t: NetTopology) -> str:
    if t.copies <= 1 or t.name == "unknown" or " | " in t.name:
        return t.name
    return f"{t.name}-c" if t.copies == 2 else f"{t.name}-c{t.copies}"


class NetRecord(TypedDict):
    """One distinct net of a framework, as :attr:`StructureSummary.nets` lists it (JSON-ready).

    The fields of :class:`mofglass.structure.topology.NetTopology`, with ``label`` the name
    plus its catenation suffix (``"dia-c"``) and sequences as lists.
    """

    name: str
    label: str
    copies: int
    method: str
    key: str | None
    key_hash: str | None
    candidates: list[str]
    coordination_sequences: list[list[int]]
    vertex_symbols: list[str]
    note: str


class MetalPairShell(TypedDict):
    """One metal-metal distance shell (:class:`mofglass.structure.properties.MetalMetalDistance`).

    ``r_A`` in Å, ``count`` neighbours per metal, ``linkers_between`` None for inter-network
    pairs.
    """

    r_A: float
    kind: str
    count: float
    linkers_between: int | None
    pair: str


@dataclass(frozen=True)
class StructureSummary(Result):
    """What :func:`analyse_structure` finds (Measured fields go to the results table).

    ``topology`` is the RCSR name (several joined by ``" + "`` for different nets, candidates by
    ``" | "``), ``topology_label`` adds the catenation suffix (``"dia-c"``).
    """

    source: str
    formula: str
    spacegroup: str
    metal: str
    n_metal_atoms: int
    cell_volume_A3: Measured
    metal_density_per_nm3: Measured
    framework_density_T_per_1000A3: Measured
    volume_per_metal_A3: Measured
    density_g_cm3: Measured
    interpenetration_count: Measured
    dimension: int
    topology: str
    topology_label: str
    spacegroup_detected: str
    topology_method: str
    nets: list[NetRecord] = field(default_factory=list)
    metal_metal_distances: list[MetalPairShell] = field(default_factory=list)
    guests: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    method: ClassVar[str] = (
        "covalent-radius bonds (Cordero 2008, +0.4 Å; metal-donor +0.6 Å), "
        "standard-representation net (Alexandrov 2011), Systre key (Delgado-Friedrichs & O'Keeffe 2003) vs RCSR"
    )

    @property
    def interpenetration(self) -> int:
        """Return the number of interpenetrating networks."""
        return int(self.interpenetration_count.value)

    def to_json(self) -> dict[str, Any]:
        """Return the CLI ``--json`` document: flat numbers plus the lists."""
        nets = self.nets
        first: NetRecord | dict[str, Any] = nets[0] if nets else {}
        return {
            "source": self.source,
            "formula": self.formula,
            "spacegroup": self.spacegroup,
            "spacegroup_detected": self.spacegroup_detected,
            "cell_volume_A3": self.cell_volume_A3.value,
            "cell_volume_su_A3": self.cell_volume_A3.stderr,
            "metal": self.metal,
            "n_metal_atoms_per_cell": self.n_metal_atoms,
            "metal_density_per_nm3": self.metal_density_per_nm3.value,
            "framework_density_T_per_1000A3": self.framework_density_T_per_1000A3.value,
            "volume_per_metal_A3": self.volume_per_metal_A3.value,
            "density_g_cm3": self.density_g_cm3.value,
            "dimension": self.dimension,
            "topology": self.topology if " | " not in self.topology else self.topology.split(" | "),
            "topology_label": self.topology_label,
            "topology_method": self.topology_method,
            "coordination_sequence": first.get("coordination_sequences", []),
            "vertex_symbol": first.get("vertex_symbols", []),
            "interpenetration": self.interpenetration,
            "nets": nets,
            "metal_metal_distances": self.metal_metal_distances,
            "guests": self.guests,
            "warnings": self.warnings,
        }


def analyse_structure(
    structure: Crystal | Any,
    *,
    r_max_A: float = 8.0,
    framework: Framework | None = None,
    **framework_options: Any,
) -> StructureSummary:
    """Analyse a structure: framework, topology, interpenetration, densities, M-M distances.

    Parameters
    ----------
    structure : Crystal, path, ase.Atoms or pymatgen Structure
    r_max_A : float
        Range of the metal-metal distance list, Å.
    framework : Framework, optional
        A framework already built (skips :func:`build_framework`).
    **framework_options
        ``tolerance_A``, ``radii_A``, ``metals`` for :func:`build_framework`.

    Returns
    -------
    StructureSummary
    """
    crystal = as_crystal(structure)
    fw = framework if framework is not None else build_framework(crystal, **framework_options)
    warnings = list(crystal.metadata.get("warnings", []))  # type: ignore[call-overload]
    vol = cell_volume(crystal)
    v_nm3 = vol.value * 1e-3
    metal_atoms = [
        a
        for a in range(crystal.n_atoms)
        if is_metal(crystal.species[a]) and fw.network_labels[a] >= 0
    ]
    occ = crystal.occupancy
    n_metal = float(sum(occ[a] for a in metal_atoms))
    metals = sorted({crystal.species[a] for a in metal_atoms})
    rel = (vol.stderr / vol.value) if vol.stderr else None
    dens = n_metal / v_nm3
    t_atoms = sum(1 for u in fw.net_units.tolist() if fw.units[u].kind == "metal")
    fd = 1000.0 * t_atoms / vol.value
    vpm = vol.value / n_metal if n_metal else math.nan
    rho = crystal_density_g_cm3(crystal)
    nets = framework_topology(fw) if fw.dimension >= 2 else []
    if fw.dimension == 0:
        warnings.append(
            "no framework: every component is finite (molecules, ions); nothing is periodic"
        )
    elif fw.dimension == 1:
        warnings.append("the framework is 1-periodic (chains): no net topology")
    if fw.guests:
        warnings.append(
            f"{sum(len(g.atoms) for g in fw.guests)} atoms in {len(fw.guests)} guest "
            "molecules/ions excluded from the net"
        )
    if crystal.n_atoms > MAX_ATOMS_SPACEGROUP:
        warnings.append(
            f"space group not re-detected: {crystal.n_atoms} atoms > {MAX_ATOMS_SPACEGROUP}"
        )
    topology = " + ".join(t.name for t in nets) if nets else "none"
    label = " + ".join(_display(t) for t in nets) if nets else "none"
    method = ", ".join(sorted({t.method for t in nets})) or "none"
    for t in nets:
        if t.note:
            warnings.append(f"{t.name}: {t.note}")
    mm = metal_metal_distances(fw, r_max_A=r_max_A) if metal_atoms else []
    guests = Counter(g.formula for g in fw.guests)
    return StructureSummary(
        source=crystal.source,
        formula=_reduced_formula(crystal),
        spacegroup=crystal.spacegroup,
        metal=", ".join(metals) or "none",
        n_metal_atoms=round(n_metal),
        cell_volume_A3=vol,
        metal_density_per_nm3=Measured(dens, dens * rel if rel else None, "nm^-3"),
        framework_density_T_per_1000A3=Measured(fd, fd * rel if rel else None, "T/1000 Å^3"),
        volume_per_metal_A3=Measured(vpm, vpm * rel if rel and n_metal else None, "Å^3"),
        density_g_cm3=Measured(rho, rho * rel if rel else None, "g/cm^3"),
        interpenetration_count=Measured(fw.interpenetration, None, ""),
        dimension=fw.dimension,
        topology=topology,
        topology_label=label,
        spacegroup_detected=_detect_spacegroup(crystal),
        topology_method=method,
        nets=[_net_dict(t) for t in nets],
        metal_metal_distances=[
            MetalPairShell(
                r_A=round(m.r_A, 4),
                kind=m.kind,
                count=round(m.count, 4),
                linkers_between=m.linkers_between,
                pair=m.pair,
            )
            for m in mm
        ],
        guests=dict(guests),
        warnings=warnings,
    )


def _net_dict(t: NetTopology) -> NetRecord:
    return NetRecord(
        name=t.name,
        label=_display(t),
        copies=t.copies,
        method=t.method,
        key=t.key,
        key_hash=t.key_hash,
        candidates=list(t.candidates),
        coordination_sequences=[list(c) for c in t.coordination_sequences],
        vertex_symbols=list(t.vertex_symbols),
        note=t.note,
    )


def _reduced_formula(crystal: Crystal) -> str:
    counts: dict[str, float] = {}
    for s, o in zip(crystal.species, crystal.occupancy, strict=True):
        counts[s] = counts.get(s, 0.0) + float(o)
    ints = {k: round(v) for k, v in counts.items()}
    if any(abs(ints[k] - counts[k]) > 1e-3 for k in counts):
        return " ".join(f"{k}{counts[k]:g}" for k in _hill_order(counts))
    g = 0
    for v in ints.values():
        g = math.gcd(g, v)
    g = max(g, 1)
    return "".join(f"{k}{ints[k] // g if ints[k] // g != 1 else ''}" for k in _hill_order(ints))


def _hill_order(counts: Any) -> list[str]:
    keys = list(counts)
    if "C" in keys:
        rest = sorted(k for k in keys if k not in ("C", "H"))
        return ["C"] + (["H"] if "H" in keys else []) + rest
    return sorted(keys)


#: Above this many atoms per cell the space-group check is skipped (spglib takes 13 s on the
#: 16000 atoms of MIL-101; the declared group stays in ``spacegroup``).
MAX_ATOMS_SPACEGROUP = 5000


def _detect_spacegroup(crystal: Crystal, symprec_A: float = 0.1) -> str:
    """Find the space group with spglib on the atoms as given (tolerance ``symprec_A``).

    "" if it cannot tell or the cell has more than :data:`MAX_ATOMS_SPACEGROUP` atoms.
    Reference: Togo et al., Sci. Technol. Adv. Mater. Meth. 4 (2024) 2384822.
    """
    if crystal.n_atoms > MAX_ATOMS_SPACEGROUP:
        return ""
    try:
        import spglib
        from ase.data import atomic_numbers

        numbers = [atomic_numbers.get("H" if s in ("D", "T") else s, 0) for s in crystal.species]
        cell = (np.asarray(crystal.lattice_A).tolist(), (crystal.frac % 1.0).tolist(), numbers)
        with warnings.catch_warnings():  # spglib 2.5+ deprecation notice on every call
            warnings.simplefilter("ignore", DeprecationWarning)
            sg = spglib.get_spacegroup(cell, symprec=symprec_A)
    except Exception:  # spglib failure must not stop the analysis
        return ""
    return str(sg or "")


def analyze_structure(*args: Any, **kwargs: Any) -> StructureSummary:
    """Call :func:`analyse_structure` (deprecated spelling (mofglass spells it "analyse")."""
    warnings.warn(
        "analyze_structure is deprecated; use analyse_structure", DeprecationWarning, stacklevel=2
    )
    return analyse_structure(*args, **kwargs)
