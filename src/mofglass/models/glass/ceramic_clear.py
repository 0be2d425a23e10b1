"""Clear the close contacts a glass-ceramic interface healing could not relax away.

The healing of :func:`~mofglass.models.glass.ceramic_heal.heal_interfaces` keeps the
crystallites fixed and the metals with fewer than 2 links in place (nothing orients them), so
a glass unit wedged against the crystal or another glass unit can stay in a close contact.
:func:`clear_contacts` removes such units, and counts them:

* every glass unit (a metal, or a whole linker molecule) in a crystal-glass contact goes (the
  crystal does not move);
* of the two units of a glass-glass contact, the linker goes rather than the metal, else the
  unit in more contacts;
* a linker left bonded to no metal by a removed metal goes too.

Close contacts are those of :func:`~mofglass.models.glass.ceramic_interface.interface_contacts`
(atoms of different units nearer than the bond graph's cutoff + 0.1 Å); a removed metal leaves
its other linkers bonded to one metal, as a cut does.
"""

from __future__ import annotations

import numpy as np

from mofglass.models.glass.ceramic import GlassCeramic
from mofglass.models.glass.ceramic_interface import (
    INSERTED,
    _box,
    _close_pairs,
    _depth,
    _units,
    _with_glass,
)
from mofglass.structure.bonds import DONORS, is_metal

__all__ = ["clear_contacts"]


def clear_contacts(
    model: GlassCeramic, *, shell_A: float = 6.0
) -> tuple[GlassCeramic, tuple[int, int]]:
    """Remove the glass units left in close contacts within ``shell_A`` of the crystallites.

    Parameters
    ----------
    model : GlassCeramic
        A model with healed or relaxed interfaces (orthogonal box).
    shell_A : float
        Contacts are counted for glass atoms within this distance outside a sphere, Å.

    Returns
    -------
    model : GlassCeramic
        The model without those units (the same object when there was no contact).
    removed : tuple of int
        (metals, linker molecules) removed.
    """
    box = _box(model)
    g = model.glass
    g_pos = np.asarray(g.positions_A, dtype=float)
    g_sp = list(g.species)
    region = np.nonzero(_depth(g_pos, model, box) < shell_A + 10.0)[0]
    pos, sp = g_pos[region], [g_sp[i] for i in region]
    bonds, label, _ = _units(pos, sp, box)
    labels = np.asarray(g.labels, dtype=object)[region]
    inserted = np.array(
        [str(x).endswith(INSERTED) and e in DONORS for x, e in zip(labels, sp, strict=True)]
    )
    cross, glass = _close_pairs(pos, sp, label, bonds, model, box, shell_A, inserted)
    if not len(cross) and not len(glass):
        return model, (0, 0)
    metal = np.array([is_metal(e) for e in sp])
    gone = _units_to_remove(label, metal, cross, glass)
    drop = np.isin(label, list(gone))
    drop |= _orphans(label, metal, bonds, drop)
    unit_metal = {int(label[i]): bool(metal[i]) for i in np.nonzero(drop)[0]}
    n_metals = sum(unit_metal.values())
    keep = np.ones(len(g_pos), dtype=bool)
    keep[region[drop]] = False
    note = (
        f"{model.relaxed}; {n_metals} metals and {len(unit_metal) - n_metals} linkers "
        f"left in close contacts removed"
    )
    return _with_glass(model, g_pos, keep, note), (n_metals, len(unit_metal) - n_metals)


def _units_to_remove(
    label: np.ndarray, metal: np.ndarray, cross: np.ndarray, glass: np.ndarray
) -> set[int]:
    """Choose the units whose removal clears every contact (see the module docstring)."""
    gone = {int(x) for x in label[cross]}
    unit_pairs = label[glass]
    n_contacts = np.bincount(unit_pairs.ravel(), minlength=int(label.max()) + 1)
    for (ua, ub), (a, b) in zip(unit_pairs.tolist(), glass.tolist(), strict=True):
        if ua in gone or ub in gone:
            continue
        if metal[a] != metal[b]:
            gone.add(ub if metal[a] else ua)  # the linker rather than the metal
        else:
            gone.add(ua if n_contacts[ua] > n_contacts[ub] else ub)
    return gone


def _orphans(
    label: np.ndarray, metal: np.ndarray, bonds: np.ndarray, drop: np.ndarray
) -> np.ndarray:
    """Atoms of linkers bonded to metals that all go (a free molecule would be left)."""
    if not len(bonds):
        return np.zeros(len(label), dtype=bool)
    m = np.where(metal[bonds[:, 0]], bonds[:, 0], bonds[:, 1])
    dn = np.where(metal[bonds[:, 0]], bonds[:, 1], bonds[:, 0])
    had = np.zeros(int(label.max()) + 1, dtype=bool)
    kept = np.zeros_like(had)
    had[label[dn]] = True
    np.logical_or.at(kept, label[dn], ~drop[m])
    orphan_unit = had & ~kept
    return orphan_unit[label] & ~metal & ~drop
