"""Analysis of a framework model (crystal, CRN or ab initio glass box): the paper's comparison.

:func:`analyse_model` reports metal coordination by donor atoms, linkers bridging two metals,
metal-donor and metal···metal (through one linker) distances, King ring statistics of the metal
net (:mod:`.rings`), N-M-N and M-M-M angle distributions, metal···metal pair counts by network
(intra/inter, on the pair engine :func:`mofglass.scattering.pair_histogram`) and, given the
crystal it came from, the fraction of metals whose first inter-network neighbour changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from mofglass._renamed import renamed_keywords
from mofglass.errors import AnalysisError
from mofglass.models.glass.net import metal_net
from mofglass.models.glass.rings import RingStatistics, ring_statistics
from mofglass.results import Measured, Result
from mofglass.scattering.pairs import pair_histogram
from mofglass.structure.bonds import is_metal
from mofglass.structure.crystal import Crystal
from mofglass.structure.framework import build_framework
from mofglass.structure.periodic_graph import PeriodicGraph

__all__ = ["ModelAnalysis", "analyse_model", "metal_pair_counts", "nearest_other_network"]

_DONORS = frozenset({"N", "O"})


@dataclass(frozen=True)
class ModelAnalysis(Result):
    """What :func:`analyse_model` finds for one model."""

    source: str
    n_atoms: int
    n_metals: int
    coordination_counts: dict[int, int]
    fraction_four_coordinated: Measured
    fraction_linkers_bridging: Measured
    metal_donor_A: Measured
    metal_metal_link_A: Measured
    rings: RingStatistics | None
    angle_bins_deg: np.ndarray
    donor_metal_donor_hist: np.ndarray
    metal_metal_metal_hist: np.ndarray
    metal_pairs: dict[str, np.ndarray] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    method: ClassVar[str] = (
        "metal-donor coordination within a cutoff; King shortest-path rings of the metal net "
        "(King 1967); metal pairs by network on the periodic pair engine"
    )

    def report(self) -> str:
        """Summarise the analysis for the console."""
        lines = [
            f"{self.source}: {self.n_atoms} atoms, {self.n_metals} metals",
            f"  metal coordination by N/O: {dict(sorted(self.coordination_counts.items()))}",
            f"  4-coordinated: {self.fraction_four_coordinated.value:.3f}",
            f"  linkers bridging two metals: {self.fraction_linkers_bridging.value:.3f}",
            f"  N-M-N angle mean: {_hist_mean(self.angle_bins_deg, self.donor_metal_donor_hist):.1f} deg",
            f"  M-M-M angle mean: {_hist_mean(self.angle_bins_deg, self.metal_metal_metal_hist):.1f} deg",
            f"  metal-donor: {self.metal_donor_A}",
            f"  metal...metal through one linker: {self.metal_metal_link_A}",
        ]
        if self.rings is not None:
            ring = ", ".join(f"{n}: {f:.3f}" for n, f, _ in self.rings.table())
            lines.append(f"  shortest ring per M-M-M angle (fraction): {ring}")
            lines.append(f"  angles with no ring <= 12: {self.rings.unclosed_fraction:.3f}")
        lines += [f"  warning: {w}" for w in self.warnings]
        return "\n".join(lines)


def _hist_mean(bins: np.ndarray, h: np.ndarray) -> float:
    c = 0.5 * (bins[1:] + bins[:-1])
    return float((c * h).sum() / h.sum()) if h.sum() > 0 else float("nan")


def _min_image(d: np.ndarray, lat: np.ndarray) -> np.ndarray:
    return d - np.rint(d @ np.linalg.inv(lat)) @ lat


def _angle_hist(vectors: list[np.ndarray], bins: np.ndarray) -> np.ndarray:
    """Histogram of all angles between pairs of vectors from one centre (list per centre)."""
    out: list[float] = []
    for vec in vectors:
        u = vec / np.linalg.norm(vec, axis=1)[:, None]
        c = np.clip(u @ u.T, -1.0, 1.0)
        iu = np.triu_indices(len(u), 1)
        out.extend(np.degrees(np.arccos(c[iu])).tolist())
    return np.histogram(out, bins=bins)[0].astype(float)


@renamed_keywords(rmax_A="r_max_A")
def metal_pair_counts(
    crystal: Crystal, network: np.ndarray, *, r_max_A: float = 10.0, dr_A: float = 0.05
) -> dict[str, np.ndarray]:
    """Metal···metal pairs per metal by distance, intra- and inter-network (pair engine).

    Returns ``{"r_A", "intra", "inter"}``; ``intra``/``inter`` are pair counts per metal in
    each bin (each pair counted for both metals).
    """
    if crystal.lattice_A is None:
        raise AnalysisError("metal pair counts need a periodic model")
    metal = np.array([is_metal(s) for s in crystal.species])
    pos = crystal.positions_A[metal]
    labels = np.asarray(network)[metal].astype(np.int64)
    h = pair_histogram(pos, r_max_A=r_max_A, dr_A=dr_A, labels=labels, lattice_A=crystal.lattice_A)
    per = 2.0 / max(len(pos), 1)
    counts = h.per_frame().sum(axis=0)
    return {"r_A": h.r_A, "intra": counts[0] * per, "inter": counts[1] * per}


def linked_pair_counts(
    positions_A: np.ndarray,
    lattice_A: np.ndarray,
    edges: np.ndarray,
    offsets: np.ndarray,
    r_A: np.ndarray,
) -> np.ndarray:
    """Metal···metal pairs per metal joined through one linker, on the bins of ``r_A``.

    The M–im–M peak (6.4 Å in Cd(im)2) whatever the networks the two metals came from;
    subtracted from :func:`metal_pair_counts`' ``intra + inter`` it leaves the unlinked
    (in the crystal: inter-network) contacts.

    Parameters
    ----------
    positions_A : ndarray, shape (M, 3)
        Metal positions, Å.
    lattice_A : ndarray, shape (3, 3)
        Box vectors as rows, Å.
    edges, offsets : ndarray, shape (E, 2) and (E, 3)
        Linked metal pairs and the lattice offset of the second metal.
    r_A : ndarray
        Equally spaced bin centres, Å (``metal_pair_counts(...)["r_A"]``).

    Returns
    -------
    ndarray
        Pairs per metal in each bin (each pair counted for both metals).
    """
    pos = np.asarray(positions_A)
    v = pos[edges[:, 1]] + np.asarray(offsets) @ lattice_A - pos[edges[:, 0]]
    half = 0.5 * float(r_A[1] - r_A[0])
    h = np.histogram(np.linalg.norm(v, axis=1), bins=np.append(r_A - half, r_A[-1] + half))[0]
    return h * 2.0 / max(len(pos), 1)


def nearest_other_network(
    positions_A: np.ndarray, network: np.ndarray, lattice_A: np.ndarray, *, tie_A: float = 0.05
) -> list[set[int]]:
    """For every metal, the metals of other networks at its shortest distance (within ``tie_A``).

    A set, because a symmetric crystal has several equally near (e.g. four in dia-c).
    """
    pos = np.asarray(positions_A)
    out: list[set[int]] = []
    for i in range(len(pos)):
        other = np.flatnonzero(network != network[i])
        if not len(other):
            out.append(set())
            continue
        d = np.linalg.norm(_min_image(pos[other] - pos[i], lattice_A), axis=1)
        out.append(set(other[d <= d.min() + tie_A].tolist()))
    return out


def analyse_model(
    crystal: Crystal,
    *,
    network: np.ndarray | None = None,
    cutoff_A: float = 2.6,
    max_ring: int = 12,
    angle_step_deg: float = 5.0,
) -> ModelAnalysis:
    """Coordination, bridging, distances, rings, angles and metal pairs of a periodic model.

    Parameters
    ----------
    crystal : Crystal
        A periodic model (P1 box or crystal).
    network : ndarray of int, optional
        Network label of every atom (a CRN carries its original labels); default: the
        interpenetrated networks found by :func:`mofglass.structure.build_framework`.
    cutoff_A : float
        Largest metal-donor (N, O) bond length, Å.
    max_ring : int
        Largest ring searched.
    """
    lat = crystal.lattice_A
    if lat is None:
        raise AnalysisError(f"{crystal.source}: a model analysis needs a periodic box")
    species = np.array(crystal.species)
    metals = np.flatnonzero([is_metal(s) for s in crystal.species])
    donors = np.flatnonzero(np.isin(species, list(_DONORS)))
    warnings: list[str] = []
    pos = crystal.positions_A
    coord = np.zeros(len(metals), dtype=np.int64)
    md: list[float] = []
    nmn_vectors = []
    for k, m in enumerate(metals):
        d = _min_image(pos[donors] - pos[m], lat)
        r = np.linalg.norm(d, axis=1)
        near = r < cutoff_A
        coord[k] = int(near.sum())
        md.extend(r[near].tolist())
        if near.sum() >= 2:
            nmn_vectors.append(d[near])
    bins = np.arange(0.0, 180.0 + angle_step_deg, angle_step_deg)
    net = None
    bridging = Measured(float("nan"), None, "")
    labels = None if network is None else np.asarray(network)
    try:
        fw = build_framework(crystal)
    except AnalysisError as exc:
        warnings.append(f"no bond graph: {exc}")
    else:
        adj = fw.bonds.graph.neighbours()
        n_metal = [
            sum(is_metal(species[v]) for a in u.atoms for v, _ in adj[a]) for u in fw.linkers
        ]
        bridging = Measured(
            float(np.mean(np.array(n_metal) == 2)) if n_metal else float("nan"), None, ""
        )
        labels = fw.network_labels if labels is None else labels
        try:
            net = metal_net(fw, strict=False)
        except AnalysisError as exc:
            warnings.append(f"no metal net: {exc}")
    rings = None
    mmm = np.zeros(len(bins) - 1)
    link = Measured(float("nan"), None, "Å")
    if net is not None and net.n_skipped_linkers:
        warnings.append(f"{net.n_skipped_linkers} linkers do not bridge two metals (left out)")
    if net is not None:
        graph = PeriodicGraph.simple(net.n_metals, net.edges, net.offsets)
        rings = ring_statistics(graph, max_ring=max_ring)
        bv = net.bond_vectors()
        rl = np.linalg.norm(bv, axis=1)
        link = Measured(float(rl.mean()), float(rl.std(ddof=1)) if len(rl) > 1 else None, "Å")
        vecs: list[list[np.ndarray]] = [[] for _ in range(net.n_metals)]
        for (a, b), v in zip(net.edges.tolist(), bv, strict=True):
            vecs[a].append(v)
            vecs[b].append(-v)
        mmm = _angle_hist([np.array(v) for v in vecs if len(v) >= 2], bins)
    pairs = metal_pair_counts(crystal, labels) if labels is not None else {}
    frac4 = float(np.mean(coord == 4)) if len(coord) else float("nan")
    return ModelAnalysis(
        source=crystal.source,
        n_atoms=crystal.n_atoms,
        n_metals=len(metals),
        coordination_counts={
            int(k): int(v) for k, v in zip(*np.unique(coord, return_counts=True), strict=True)
        },
        fraction_four_coordinated=Measured(frac4, None, ""),
        fraction_linkers_bridging=bridging,
        metal_donor_A=Measured(float(np.mean(md)), float(np.std(md, ddof=1)), "Å")
        if len(md) > 1
        else Measured(float("nan"), None, "Å"),
        metal_metal_link_A=link,
        rings=rings,
        angle_bins_deg=bins,
        donor_metal_donor_hist=_angle_hist(nmn_vectors, bins),
        metal_metal_metal_hist=mmm,
        metal_pairs=pairs,
        warnings=warnings,
    )


def window_ratio(
    glass: dict[str, np.ndarray],
    crystal: dict[str, np.ndarray],
    kind: str,
    r_A: float,
    half_width_A: float = 0.3,
) -> dict[str, Any]:
    """Pairs per metal within ``r_A ± half_width_A`` of a kind in glass and crystal, and their ratio."""
    sel = np.abs(glass["r_A"] - r_A) <= half_width_A
    g = float(glass[kind][sel].sum())
    c = float(crystal[kind][np.abs(crystal["r_A"] - r_A) <= half_width_A].sum())
    return {
        "kind": kind,
        "r_A": r_A,
        "glass": g,
        "crystal": c,
        "ratio": g / c if c > 0 else float("nan"),
    }
