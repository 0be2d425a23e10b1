"""Heal and relax the crystal-glass interfaces of a glass-ceramic model with the valence force field.

:func:`heal_interfaces` makes the interface chemically connected, as in a real glass-ceramic
where the glass and the crystal share their metal-linker network:

1. cut linkers are removed on both sides - pieces of linkers, and whole linkers that lost one
   of their metals to the cut (glass inside the spheres, crystal outside them); the crystal's
   surface metals (within ``surface_A`` of the sphere) and their linkers become explicit atoms
   (:func:`~mofglass.models.glass.ceramic_surface.split_surfaces`), the crystallite interior
   stays a perfect cut;
2. healing: under-coordinated interface metals (glass metals within ``shell_A`` of a sphere,
   crystal surface metals) are paired, closest to the crystal's metal-linker-metal distance
   first, when they sit within ``window_A`` of it, the new link makes no angle below
   ``min_angle_deg`` with the metals' other links, and the crystal's own rigid linker (its
   :class:`~mofglass.models.glass.net.LinkerTemplate`, both metals on their crystal sites,
   turned about the link to its clearest angle) finds room between them; each pair gets
   that linker;
3. the glass interface metals (and with ``move_crystal`` the crystal's surface metals) with at
   least 2 links relax under the metal-net valence force field (:mod:`mofglass.models.glass.vff`: M-M links through one linker, M-M-M angles,
   non-bonded repulsion; the CRN builder's force field), every other metal fixed, then every
   linker of a moved metal follows its two metals rigidly, and
   :func:`~mofglass.models.glass.rigid_linkers.relax_contacts` moves the interface linkers
   off their remaining close contacts (rigid bodies, metal-donor bonds kept);
4. glass units still in a close contact (the crystal and the metals with fewer than 2 links
   do not move) are removed and counted (:func:`~.ceramic_clear.clear_contacts`).

Metals left under-coordinated are counted, and those with no partner in reach counted apart.

References
----------
.. [1] P. N. Keating, Phys. Rev. 145 (1966) 637 (valence force field).
.. [2] F. Wooten, K. Winer, D. Weaire, Phys. Rev. Lett. 54 (1985) 1392 (rigid units relaxed
   in a continuous random network).
.. [3] R. S. K. Madsen et al., Science 367 (2020) 1473 (glass-ceramic ZIF-62: crystallites
   bonded into the glass network).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np

from mofglass.models.glass.ceramic import GlassCeramic
from mofglass.models.glass.ceramic_clear import clear_contacts
from mofglass.models.glass.ceramic_geometry import interface_geometry
from mofglass.models.glass.ceramic_heal_steps import (
    _assemble,
    _follow,
    _force_field,
    _glass_cut,
    _insert,
    _links,
    _no_partner,
    _pair,
    _relax_linkers,
    _repulsion_pairs,
    _System,
    _with_new,
)
from mofglass.models.glass.ceramic_interface import (
    INSERTED,
    _box,
    _depth,
    _template_size,
    interface_contacts,
)
from mofglass.models.glass.ceramic_surface import CrystalSide, split_surfaces
from mofglass.models.glass.net import metal_net
from mofglass.models.glass.vff import lbfgs_relax, net_energy
from mofglass.structure import Crystal, build_framework
from mofglass.structure.bonds import is_metal

__all__ = ["InterfaceHealing", "heal_interfaces"]


@dataclass(frozen=True)
class InterfaceHealing:
    """A glass-ceramic model with healed, relaxed interfaces, and the record of it.

    Attributes
    ----------
    model : GlassCeramic
        The healed model (crystal surface atoms in :attr:`GlassCeramic.surface`).
    shell_A, surface_A : float
        Glass shell outside and crystal layer inside each sphere that were relaxed, Å.
    contacts_built, contacts_healed : tuple of int
        (crystal-glass, glass-glass) close contacts in the shell as built and at the end.
    cut_linkers_removed : tuple of int
        (glass, crystal) cut linkers removed.
    interface_metals : tuple of int
        (glass, crystal) interface metals.
    four_connected_before, four_connected_after : tuple of int
        (glass, crystal) interface metals with 4 links, after the cut linkers were removed
        and after healing.
    linkers_inserted : dict
        New linkers by kind: "glass-glass", "glass-crystal", "crystal-crystal".
    unhealed : tuple of int
        (glass, crystal) interface metals still with fewer than 4 links.
    no_partner : tuple of int
        Of those, the metals with no under-coordinated metal in the distance window at all.
    linkers_moved : int
        Rigid linkers :func:`relax_contacts` moved.
    energy_before, energy_after : float
        Valence force-field energy before and after the relaxation (its own unit).
    max_shift_A, shift_p95_A : float
        Largest displacement of a metal by the relaxation, and the 95th percentile over the
        interface metals, Å.
    geometry : dict
        Bond lengths and angles in the shell vs the bulk glass and the crystal
        (:func:`~mofglass.models.glass.ceramic_geometry.interface_geometry`).
    contacts_relaxed : tuple of int
        (crystal-glass, glass-glass) close contacts after the relaxations, before the glass
        units still in contact were removed (:func:`.ceramic_clear.clear_contacts`).
    units_removed : tuple of int
        (metals, linkers) of the glass removed to clear those contacts; the coordination
        counts above are those before this removal.
    """

    model: GlassCeramic
    shell_A: float
    surface_A: float
    contacts_built: tuple[int, int]
    contacts_healed: tuple[int, int]
    cut_linkers_removed: tuple[int, int]
    interface_metals: tuple[int, int]
    four_connected_before: tuple[int, int]
    four_connected_after: tuple[int, int]
    linkers_inserted: dict[str, int]
    unhealed: tuple[int, int]
    no_partner: tuple[int, int]
    linkers_moved: int
    energy_before: float
    energy_after: float
    max_shift_A: float
    shift_p95_A: float
    geometry: dict[str, Any]
    contacts_relaxed: tuple[int, int] = (0, 0)
    units_removed: tuple[int, int] = (0, 0)

    def fraction_four_connected(self, when: str = "after") -> float:
        """Share of all interface metals with 4 links ("before" or "after" healing)."""
        n = self.four_connected_after if when == "after" else self.four_connected_before
        return sum(n) / max(sum(self.interface_metals), 1)

    def report(self) -> str:
        """Describe the cut, the healing, coordination, contacts and geometry in a few lines."""
        ng, nc = self.interface_metals
        b, a = self.four_connected_before, self.four_connected_after
        ins = self.linkers_inserted
        lines = [
            f"interfaces healed in a {self.shell_A:g} Å glass shell + {self.surface_A:g} Å "
            f"crystal layer: cut linkers removed (glass / crystal) {self.cut_linkers_removed[0]}"
            f" / {self.cut_linkers_removed[1]}",
            f"interface metals (glass / crystal) {ng} / {nc}; 4-connected before healing "
            f"{b[0] / max(ng, 1):.3f} / {b[1] / max(nc, 1):.3f}, after "
            f"{a[0] / max(ng, 1):.3f} / {a[1] / max(nc, 1):.3f} (all: "
            f"{self.fraction_four_connected('before'):.3f} -> "
            f"{self.fraction_four_connected('after'):.3f})",
            f"linkers inserted: glass-glass {ins['glass-glass']}, glass-crystal "
            f"{ins['glass-crystal']}, crystal-crystal {ins['crystal-crystal']}; still "
            f"under-coordinated (glass / crystal) {self.unhealed[0]} / {self.unhealed[1]}, of "
            f"which without any partner in reach {self.no_partner[0]} / {self.no_partner[1]}",
            f"close contacts crystal-glass / glass-glass {self.contacts_built[0]} / "
            f"{self.contacts_built[1]} as built, {self.contacts_relaxed[0]} / "
            f"{self.contacts_relaxed[1]} relaxed, {self.contacts_healed[0]} / "
            f"{self.contacts_healed[1]} after removing {self.units_removed[0]} metals and "
            f"{self.units_removed[1]} linkers still in contact; force field {self.energy_before:.4g} -> "
            f"{self.energy_after:.4g}, metal shifts: 95 % below {self.shift_p95_A:.2f} Å, largest {self.max_shift_A:.2f} Å, "
            f"{self.linkers_moved} rigid linkers moved off contacts",
        ]
        for name, row in self.geometry.items():
            lines.append(f"{name}: " + ", ".join(f"{k} {v}" for k, v in row.items()))
        return "\n".join(lines)


def heal_interfaces(
    model: GlassCeramic,
    *,
    shell_A: float = 6.0,
    surface_A: float = 5.0,
    window_A: float = 2.0,
    min_angle_deg: float = 75.0,
    rounds: int = 3,
    max_iter: int = 300,
    passes: int = 4,
    move_crystal: bool = False,
) -> InterfaceHealing:
    """Cut, heal and relax every crystal-glass interface (see the module docstring).

    Parameters
    ----------
    model : GlassCeramic
        A model as built by :func:`~mofglass.models.glass.ceramic.build_glass_ceramic`.
    shell_A : float
        Glass metals within this distance outside a sphere are interface metals, Å.
    surface_A : float
        Crystal metals within this distance inside a sphere are interface metals, Å.
    window_A : float
        Two under-coordinated metals are paired when their distance is within this of the
        crystal's metal-linker-metal distance, Å.
    min_angle_deg : float
        Smallest angle between a new link and a metal's other links, degrees (the force
        field's wall is at 75°).
    rounds : int
        Rounds of pairing and relaxation (metals the relaxation brought within reach are
        paired in the next round).
    max_iter : int
        L-BFGS iterations of the force-field relaxation.
    passes : int
        Gauss-Seidel passes of the rigid-linker contact relaxation.
    move_crystal : bool
        Let the crystal's surface metals and linkers relax too (they become explicit atoms,
        :attr:`GlassCeramic.surface`). Off by default: the force field's tetrahedral M-M-M
        angle is the CRN's, not the crystal's (sodalite ZIF-8: 90° and 120°), so it pulls
        the surface off its crystal sites and the PDF no longer reads it as crystal (the
        19 nm benchmark: mixture fit 0.466 vs 0.573 moved, see the README).

    Returns
    -------
    InterfaceHealing
    """
    box = _box(model)
    n_tpl = _template_size(model.glass_cell)
    tpl = metal_net(build_framework(model.crystal)).template
    ff = _force_field(tpl, model.glass_cell, model.crystal)
    built = interface_contacts(model, shell_A=shell_A)
    cs = split_surfaces(model, surface_A=surface_A, n_tpl=n_tpl, explicit=move_crystal)
    g_pos = np.array(model.glass.positions_A, dtype=float)
    g_sp = list(model.glass.species)
    depth = _depth(g_pos, model, box)
    region = np.nonzero(depth < shell_A + 10.0)[0]
    keep, n_glass_cut = _glass_cut(g_pos[region], [g_sp[i] for i in region], depth[region],
                                   box, n_tpl, shell_A)  # fmt: skip
    s = _assemble(g_pos, g_sp, region, keep, cs, model, box)
    blocks, ends = _links(s, n_tpl)
    metal = np.array([is_metal(e) for e in s.species])
    iface = metal & (((s.side == 0) & (s.depth < shell_A)) | (s.side == 1))
    n_sys = len(s.pos)
    deg = np.bincount(ends.ravel(), minlength=n_sys)
    before = _four(iface, deg, s.side)
    m_idx = np.nonzero(metal)[0]
    where = -np.ones(n_sys, dtype=np.int64)
    where[m_idx] = np.arange(len(m_idx))
    start = s.pos[m_idx].copy()
    lat = np.diag(box)
    added: list[np.ndarray] = []
    energies: list[float] = []
    for _ in range(rounds):
        new_ends = _pair(s, iface, deg, ends, tpl, ff.d0_A, window_A, min_angle_deg, box)
        if energies and not len(new_ends):
            break
        ends = np.vstack([ends, new_ends])
        deg = np.bincount(ends.ravel(), minlength=n_sys)
        e_m = where[ends]
        mpos = s.pos[m_idx].copy()
        offsets = -np.rint((mpos[e_m[:, 1]] - mpos[e_m[:, 0]]) / box).astype(np.int64)
        rep = _repulsion_pairs(mpos, box, ff.r_rep_A + 1.0, e_m)
        if not energies:
            energies.append(net_energy(mpos, lat, e_m, offsets, ff, rep)[0])
        # a metal held by fewer than 2 links has nothing to orient it: it stays
        movable = iface[:n_sys] & (deg >= 2) & ((s.side[:n_sys] == 0) | move_crystal)
        free = where[np.nonzero(movable)[0]]
        new_m, e1 = lbfgs_relax(mpos, lat, e_m, offsets, ff, rep, max_iter=max_iter, free=free)
        energies.append(e1)
        old = s.pos.copy()
        s.pos[m_idx] = new_m
        moved = np.linalg.norm(new_m - mpos, axis=1) > 0
        for blk, (a, b) in zip(blocks, ends.tolist(), strict=False):
            if moved[where[a]] or moved[where[b]]:
                s.pos[blk] = _follow(old[blk], old[a], old[b], s.pos[a], s.pos[b], box)
        s, new_blocks = _with_new(s, _insert(s, new_ends, ends, tpl, box), new_ends, tpl)
        blocks += new_blocks
        iface = np.concatenate([iface, np.zeros(len(s.pos) - len(iface), dtype=bool)])
        added.append(new_ends)
    new_ends = np.vstack(added) if added else np.zeros((0, 2), dtype=np.int64)
    n_moved = _relax_linkers(s, blocks, ends, iface, n_tpl, tpl, box, passes, move_crystal)
    note = (
        f"healed in a {shell_A:g} Å glass shell and a {surface_A:g} Å crystal layer "
        f"({n_glass_cut} glass and {cs.removed_linkers} crystal cut linkers removed, "
        f"{len(new_ends)} linkers inserted, metals relaxed by the valence force field)"
    )
    healed = _write(model, cs, g_pos, region, keep, s, box, note, move_crystal)
    relaxed = interface_contacts(healed, shell_A=shell_A)
    if any(relaxed):
        healed, removed = clear_contacts(healed, shell_A=shell_A)
    else:
        removed = (0, 0)
    shift = np.linalg.norm(s.pos[m_idx] - start, axis=1)
    return InterfaceHealing(
        healed,
        float(shell_A),
        float(surface_A),
        built,
        interface_contacts(healed, shell_A=shell_A),
        (n_glass_cut, cs.removed_linkers),
        (int((iface & (s.side == 0)).sum()), int((iface & (s.side == 1)).sum())),
        before,
        _four(iface, deg, s.side[:n_sys]),
        _kinds(s.side, new_ends),
        _under(iface[:n_sys], deg, s.side[:n_sys]),
        _no_partner(s, iface[:n_sys], deg, ff.d0_A, window_A, box),
        n_moved,
        float(energies[0]),
        float(energies[-1]),
        float(shift.max()) if len(shift) else 0.0,
        float(np.percentile(shift[where[np.nonzero(iface[:n_sys])[0]]], 95))
        if iface.any()
        else 0.0,
        interface_geometry(s.pos, s.species, s.bonds, ends, iface, model, box),
        relaxed,
        removed,
    )


def _four(iface: np.ndarray, deg: np.ndarray, side: np.ndarray) -> tuple[int, int]:
    """(glass, crystal) interface metals with 4 links."""
    iface, side = iface[: len(deg)], side[: len(deg)]
    return (int((iface & (deg >= 4) & (side == 0)).sum()),
            int((iface & (deg >= 4) & (side == 1)).sum()))  # fmt: skip


def _under(iface: np.ndarray, deg: np.ndarray, side: np.ndarray) -> tuple[int, int]:
    """(glass, crystal) interface metals with fewer than 4 links."""
    return (int((iface & (deg < 4) & (side == 0)).sum()),
            int((iface & (deg < 4) & (side == 1)).sum()))  # fmt: skip


def _kinds(side: np.ndarray, new_ends: np.ndarray) -> dict[str, int]:
    """Count the new links by the sides of their metals."""
    n_cr = (side[new_ends] > 0).sum(axis=1) if len(new_ends) else np.zeros(0, int)
    names = ("glass-glass", "glass-crystal", "crystal-crystal")
    return {name: int((n_cr == k).sum()) for k, name in enumerate(names)}


def _write(
    model: GlassCeramic, cs: CrystalSide, g_pos: np.ndarray, region: np.ndarray,
    keep: np.ndarray, s_all: _System, box: np.ndarray, note: str, move_crystal: bool,
) -> GlassCeramic:  # fmt: skip
    """Make the healed model: glass (cut linkers out, new linkers in) + explicit surface."""
    g = model.glass
    n_g = int(keep.sum())
    pos = g_pos.copy()
    pos[region[keep]] = s_all.pos[:n_g]
    stay = np.ones(len(pos), dtype=bool)
    stay[region[~keep]] = False
    idx = np.nonzero(stay)[0]
    new = np.nonzero(s_all.side == 3)[0]
    sp_new = [s_all.species[i] for i in new]
    uiso_of = {e: float(np.median(g.uiso_A2[np.asarray(g.species) == e])) for e in set(sp_new)}
    glass = Crystal(
        tuple(np.asarray(g.species, dtype=object)[idx].tolist()) + tuple(sp_new),
        np.mod(np.vstack([pos[idx], s_all.pos[new]]), box),
        None,
        np.concatenate([g.occupancy[idx], np.ones(len(new))]),
        np.concatenate([g.uiso_A2[idx], [uiso_of[e] for e in sp_new]]),
        tuple(np.asarray(g.labels, dtype=object)[idx].tolist())
        + tuple(f"{e}{INSERTED}" for e in sp_new),
        source=g.source,
    )
    exp = np.nonzero(s_all.side == 1)[0] if move_crystal else np.zeros(0, dtype=np.int64)
    ins = np.nonzero(s_all.side == 4)[0]
    c = model.crystal
    c_uiso = {e: float(np.median(c.uiso_A2[np.asarray(c.species) == e])) for e in set(c.species)}
    sp_s = [s_all.species[i] for i in np.concatenate([exp, ins])]
    surface = Crystal(
        tuple(sp_s),
        np.mod(s_all.pos[np.concatenate([exp, ins])], box),
        None,
        np.concatenate([cs.occupancy[: len(exp)], np.ones(len(ins))]),
        np.concatenate([cs.uiso_A2[: len(exp)], [c_uiso[e] for e in sp_s[len(exp) :]]]),
        tuple(sp_s[: len(exp)]) + tuple(f"{e}{INSERTED}" for e in sp_s[len(exp) :]),
        source=f"{c.source} crystallite surfaces",
    )
    return dataclasses.replace(model, parts=cs.parts, glass=glass, surface=surface, relaxed=note)
