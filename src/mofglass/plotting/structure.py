"""Figures of framework structures: metal nodes projected on a plane, coloured by network."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure

__all__ = ["network_projection_figure", "partials_figure"]

_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf")


def network_projection_figure(
    xyz_A: np.ndarray | Sequence[Sequence[float]],
    networks: np.ndarray | Sequence[int],
    *,
    edges: np.ndarray | Sequence[Sequence[int]] | None = None,
    view_deg: tuple[float, float] = (0.0, 0.0),
    axis: int = 2,
    title: str = "",
    cell_A: np.ndarray | Sequence[Sequence[float]] | None = None,
) -> Figure:
    """Metal nodes projected along a Cartesian axis, one colour per interpenetrated network.

    Parameters
    ----------
    xyz_A : array, shape (n, 3)
        Cartesian positions of the nodes, Å.
    networks : array of int, shape (n,)
        Network index of each node.
    edges : array of int pairs, optional
        Node pairs joined through one linker (drawn as thin lines in the network's colour).
    view_deg : (float, float)
        Rotation (about z by the first angle, then about x by the second) before projecting; an
        oblique view separates nodes that overlap along a lattice direction.
    axis : int
        Projection direction after the rotation (0 = x, 1 = y, 2 = z).
    cell_A : (3, 3) array, optional
        Cell vectors (rows), whose projection is outlined.
    """
    rot = _rotation(*view_deg)
    xyz = np.asarray(xyz_A, dtype=float).reshape(-1, 3) @ rot.T
    net = np.asarray(networks, dtype=int).reshape(-1)
    keep = [k for k in range(3) if k != axis]
    p = xyz[:, keep]
    fig = Figure(figsize=(5.0, 5.0), constrained_layout=True)
    ax = fig.add_subplot()
    if edges is not None:
        for i, j in np.asarray(edges, dtype=int).reshape(-1, 2):
            c = _COLOURS[net[i] % len(_COLOURS)] if net[i] >= 0 else "0.6"
            ax.plot(p[[i, j], 0], p[[i, j], 1], color=c, lw=0.8, alpha=0.6, zorder=1)
    for k in sorted(set(net.tolist())):
        m = net == k
        c = _COLOURS[k % len(_COLOURS)] if k >= 0 else "0.6"
        label = f"network {k}" if k >= 0 else "guests"
        ax.scatter(
            p[m, 0], p[m, 1], s=28, color=c, edgecolor="k", linewidth=0.4, label=label, zorder=2
        )
    if cell_A is not None:
        cell = (np.asarray(cell_A, dtype=float) @ rot.T)[:, keep]
        corners = np.array([[0, 0], cell[0], cell[0] + cell[1], cell[1], [0, 0]])
        ax.plot(corners[:, 0], corners[:, 1], color="0.3", lw=0.8, ls="--")
    names = "xyz" if view_deg == (0.0, 0.0) else ("x'", "y'", "z'")
    ax.set_xlabel(f"{names[keep[0]]} / Å")
    ax.set_ylabel(f"{names[keep[1]]} / Å")
    ax.set_aspect("equal")
    ax.legend(loc="upper right", fontsize=8, framealpha=0.8)
    if title:
        ax.set_title(title, fontsize=10)
    return fig


def _rotation(azim_deg: float, elev_deg: float) -> np.ndarray:
    a, e = np.radians(azim_deg), np.radians(elev_deg)
    rz = np.array([[np.cos(a), -np.sin(a), 0], [np.sin(a), np.cos(a), 0], [0, 0, 1]])
    rx = np.array([[1, 0, 0], [0, np.cos(e), -np.sin(e)], [0, np.sin(e), np.cos(e)]])
    return rx @ rz


def partials_figure(
    r_A: Sequence[float],
    total: Sequence[float],
    partials: dict[str, Sequence[float]],
    peaks: Sequence[dict],
    *,
    title: str = "",
    ylabel: str = "D(r)",
) -> Figure:
    """Draw a computed PDF with labelled peaks (top) and intra/inter-network partials (below).

    The Figure-4 view of a model: ``peaks`` are dicts with ``r_A`` and a ``label`` (main pair,
    intra/inter share); ``partials`` maps a name (``"Cd-Cd intra"``) to its curve.
    """
    fig = Figure(figsize=(7.0, 6.0))
    top, bottom = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [3, 2]})
    r = np.asarray(r_A, dtype=float)
    top.plot(r, np.asarray(total, dtype=float), color="k", lw=1.2, label="total")
    y = np.asarray(total, dtype=float)
    for k, p in enumerate(peaks, start=1):
        h = float(np.interp(p["r_A"], r, y))
        top.annotate(f"{k}", (p["r_A"], h), xytext=(0, 6), textcoords="offset points", ha="center")
    top.set_ylabel(ylabel)
    top.set_title(title)
    text = "\n".join(f"{k}: {p['r_A']:.2f} Å {p['label']}" for k, p in enumerate(peaks, start=1))
    top.text(0.01, 0.97, text, transform=top.transAxes, ha="left", va="top", fontsize=7)
    for n, (name, curve) in enumerate(partials.items()):
        bottom.plot(
            r, np.asarray(curve, dtype=float), color=_COLOURS[n % len(_COLOURS)], label=name
        )
    bottom.axhline(0, color="0.7", lw=0.5)
    bottom.set_xlabel("r / Å")
    bottom.set_ylabel("partials")
    bottom.legend(fontsize=7, loc="upper left")
    top.set_xlim(float(r[0]), float(r[-1]))
    return fig
