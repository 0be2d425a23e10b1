"""Isostructural model building: substitute, set the cell, regularise by distance least squares.

:func:`build_model` takes a template structure (a CIF or a :class:`Crystal`), substitutes
elements (``{"Zn": "Cd"}``), sets the cell (a target volume - isotropic scaling of the
template's cell -, given cell parameters, or refined freely within the crystal system), and
regularises the geometry by distance least squares in the asymmetric unit of the template's
space group (:mod:`mofglass.structure.dls`) with the targets of
:mod:`mofglass.structure.restraints` (metal-donor bonds from a table, rigid planar imidazolate,
tetrahedral nodes). The result says how far every restraint ends from its target.

This is a *model*: a built structure is as good as the assumption that the new compound is
isostructural with the template, and a cell scaled to a volume keeps the template's shape.

The idealised net-embedding builder (:func:`imidazolate_model`) lives in
:mod:`mofglass.structure.idealised` and is re-exported here.

References
----------
.. [1] W. M. Meier, H. Villiger, Z. Kristallogr. 129 (1969) 411 (distance least squares).
.. [2] Ch. Baerlocher, A. Hepp, W. M. Meier, DLS-76, ETH Zürich (1977).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from mofglass.errors import AnalysisError
from mofglass.structure.bonds import find_bonds
from mofglass.structure.crystal import Crystal, as_crystal
from mofglass.structure.dls import (
    Restraints,
    cell_from_metric,
    metric_from_cell,
    refine,
    symmetry_map,
)
from mofglass.structure.export import ATOM_SITE_LOOP, _safe
from mofglass.structure.idealised import DIA, imidazolate_model
from mofglass.structure.restraints import make_restraints

__all__ = ["DIA", "BuiltModel", "build_model", "imidazolate_model", "parse_substitution"]


@dataclass(frozen=True)
class RestraintGroup:
    """Deviations of one kind of restraint between two elements (all symmetry copies)."""

    kind: str
    pair: str
    n: int
    target_A: float
    mean_A: float
    min_A: float
    max_A: float
    max_abs_dev_A: float
    rms_dev_A: float


@dataclass(frozen=True, eq=False)
class BuiltModel:
    """A model built by :func:`build_model`.

    Attributes
    ----------
    crystal : Crystal
        The full cell (symmetry-expanded), labels from the template with the new elements.
    spacegroup : str
        Space group kept (found by spglib on the template), with ``spacegroup_number``.
    groups : tuple of RestraintGroup
        Restraint deviations by kind and element pair.
    success : bool
        Whether the least squares converged within its evaluation bound.
    linker_substitution : dict
        Linkers replaced after the least squares (``{"im": "mim"}``), riding on the rings.
    dls_crystal : Crystal or None
        The structure the restraints index (before a linker substitution), if different.
    """

    crystal: Crystal
    template_source: str
    substitution: dict[str, str]
    template_cell: tuple[float, ...]
    cell: tuple[float, ...]
    cell_mode: str
    spacegroup: str
    spacegroup_number: int
    groups: tuple[RestraintGroup, ...]
    success: bool
    message: str
    chi2: float
    notes: tuple[str, ...]
    representatives: tuple[int, ...]
    symops: tuple[str, ...]
    restraints: Restraints = field(repr=False)
    distances_A: np.ndarray = field(repr=False)
    linker_substitution: dict[str, str] = field(default_factory=dict)
    dls_crystal: Crystal | None = field(default=None, repr=False)

    @property
    def volume_A3(self) -> float:
        """Cell volume of the model, Å³."""
        return self.crystal.cell_volume_A3

    def worst(self, k: int = 5) -> list[dict[str, object]]:
        """List the ``k`` restraints furthest from their targets (in units of their sigma)."""
        r = self.restraints
        z = np.abs(self.distances_A - r.target_A) / r.sigma_A
        base = self.dls_crystal if self.dls_crystal is not None else self.crystal
        sp, lab = base.species, base.labels
        out: list[dict[str, object]] = []
        seen: set[tuple[str, str, float]] = set()
        for m in np.argsort(-z):
            key = (r.kind[m], "-".join(sorted((lab[r.i[m]], lab[r.j[m]]))), round(float(z[m]), 3))
            if key in seen:
                continue
            seen.add(key)
            if len(out) == k:
                break
            out.append(
                {
                    "kind": r.kind[m],
                    "atoms": f"{lab[r.i[m]]}-{lab[r.j[m]]}",
                    "elements": f"{sp[r.i[m]]}-{sp[r.j[m]]}",
                    "target_A": round(float(r.target_A[m]), 4),
                    "value_A": round(float(self.distances_A[m]), 4),
                    "deviation_sigma": round(float(z[m]), 2),
                }
            )
        return out

    def rows(self) -> list[dict[str, object]]:
        """One row per restraint group (kind, element pair): target and deviations, Å."""
        return [g.__dict__.copy() for g in self.groups]

    def to_json(self) -> dict[str, object]:
        """Cell, symmetry, convergence and restraint deviations as JSON-ready values."""
        return {
            "template": self.template_source,
            "substitution": self.substitution,
            "linker_substitution": self.linker_substitution,
            "cell_mode": self.cell_mode,
            "template_cell": [round(x, 5) for x in self.template_cell],
            "cell": [round(x, 5) for x in self.cell],
            "volume_A3": round(self.volume_A3, 3),
            "spacegroup": self.spacegroup,
            "spacegroup_number": self.spacegroup_number,
            "n_atoms_per_cell": self.crystal.n_atoms,
            "converged": self.success,
            "message": self.message,
            "chi2": round(self.chi2, 4),
            "restraints": self.rows(),
            "worst_restraints": self.worst(),
            "notes": list(self.notes),
        }

    def cif_text(self) -> str:
        """CIF of the model in its space group (asymmetric unit + symmetry operations)."""
        a, b, c, al, be, ga = self.cell
        frac = self.crystal.frac
        note = (
            f"MODEL built by mofglass structure build from {self.template_source} "
            f"(substitution {_sub_text(self.substitution) or 'none'}"
            f"{'; linkers ' + _sub_text(self.linker_substitution) if self.linker_substitution else ''}"
            f"; cell: {self.cell_mode}); "
            "geometry regularised by distance least squares, not a refined structure"
        )
        lines = [
            f"data_{_safe(self.template_source)}_model",
            "_audit_creation_method 'mofglass structure build (distance least squares)'",
            f"_mofglass_model_note\n;\n{note}\n;",
            f"_space_group_name_H-M_alt '{self.spacegroup}'",
            f"_space_group_IT_number {self.spacegroup_number}",
            f"_cell_length_a {a:.5f}",
            f"_cell_length_b {b:.5f}",
            f"_cell_length_c {c:.5f}",
            f"_cell_angle_alpha {al:.4f}",
            f"_cell_angle_beta {be:.4f}",
            f"_cell_angle_gamma {ga:.4f}",
            f"_cell_volume {self.volume_A3:.2f}",
            "loop_",
            "_space_group_symop_operation_xyz",
            *(f"  '{op}'" for op in self.symops),
            *ATOM_SITE_LOOP,
            "_atom_site_U_iso_or_equiv",
        ]
        used: set[str] = set()
        for k in self.representatives:
            lab = _unique(self.crystal.labels[k], used)
            x, y, z = frac[k] % 1.0
            lines.append(
                f"{lab} {self.crystal.species[k]} {x:.6f} {y:.6f} {z:.6f} "
                f"{self.crystal.occupancy[k]:.4f} {self.crystal.uiso_A2[k]:.4f}"
            )
        return "\n".join(lines) + "\n"

    def report(self) -> str:
        """Plain-text summary: cell, convergence and the restraint table."""
        a, b, c, al, be, ga = self.cell
        out = [
            f"model from {self.template_source} ({self.spacegroup}, No. {self.spacegroup_number}),"
            f" substitution {_sub_text(self.substitution) or 'none'}"
            + (
                f", linkers {_sub_text(self.linker_substitution)}"
                if self.linker_substitution
                else ""
            ),
            f"cell ({self.cell_mode}): a={a:.4f} b={b:.4f} c={c:.4f} Å, "
            f"{al:.2f} {be:.2f} {ga:.2f}°, V={self.volume_A3:.1f} Å³",
            f"DLS {'converged' if self.success else 'NOT converged'}: {self.message}",
        ]
        for g in self.groups:
            out.append(
                f"  {g.kind:14s} {g.pair:6s} n={g.n:4d} target {g.target_A:.3f} "
                f"mean {g.mean_A:.3f} range {g.min_A:.3f}-{g.max_A:.3f} "
                f"max|dev| {g.max_abs_dev_A:.3f} Å"
            )
        return "\n".join(out)


def assignments(specs: Sequence[str] | str) -> Iterator[tuple[str, str, str, str]]:
    """(item, OLD, "=", NEW) of every non-empty ``OLD=NEW`` in repeated or comma-separated items.

    The separator is ``""`` when an item has no ``=``.
    """
    items = [specs] if isinstance(specs, str) else list(specs)
    for item in items:
        for part in item.split(","):
            if part.strip():
                old, sep, new = part.partition("=")
                yield part, old.strip(), sep, new.strip()


def parse_substitution(specs: Sequence[str] | str) -> dict[str, str]:
    """``["Zn=Cd"]`` or ``"Zn=Cd,Co=Zn"`` -> ``{"Zn": "Cd", "Co": "Zn"}`` (element symbols)."""
    from ase.data import atomic_numbers

    out: dict[str, str] = {}
    for part, old, sep, new in assignments(specs):
        if not sep or old not in atomic_numbers or new not in atomic_numbers:
            raise ValueError(
                f"--substitute expects OLD=NEW element symbols (e.g. Zn=Cd), got {part!r}"
            )
        out[old] = new
    return out


def build_model(
    template: Crystal | str | Path,
    *,
    substitute: Mapping[str, str] | None = None,
    volume_A3: float | None = None,
    cell: Sequence[float] | None = None,
    free_cell: bool = False,
    metal_donor_A: Mapping[tuple[str, str], float] | None = None,
    symprec_A: float = 0.02,
    max_evaluations: int = 200,
    substitute_linker: Mapping[str, str] | None = None,
) -> BuiltModel:
    """Build an isostructural model from a template by distance least squares.

    Parameters
    ----------
    template : Crystal, str or Path
        The template structure (CIF path or Crystal; disorder resolved on reading).
    substitute : mapping
        Element substitutions, e.g. ``{"Zn": "Cd"}``.
    volume_A3 : float, optional
        Target cell volume, Å³: the template's cell scaled isotropically (shape kept).
    cell : sequence of 3 or 6 floats, optional
        Cell lengths (Å) and optionally angles (degrees; default: the template's).
    free_cell : bool
        Refine the cell with the coordinates (within the crystal system's constraints): the
        cell then follows from the target distances alone (as in DLS-76).
    metal_donor_A : mapping, optional
        Metal-donor bond targets overriding the table, e.g. ``{("Cd", "N"): 2.21}``.
    symprec_A : float
        Tolerance of the space-group search on the template, Å.
    max_evaluations : int
        Bound on the least-squares evaluations.
    substitute_linker : mapping, optional
        ``{"im": "mim"}`` or ``{"im": "bim"}``: every imidazolate of the regularised model
        becomes 2-methyl- or benzimidazolate (:func:`mofglass.structure.linkers.
        substitute_linkers`; the substituent rides on its ring, outside the least squares).

    Returns
    -------
    BuiltModel
    """
    if sum(x is not None and x is not False for x in (volume_A3, cell, free_cell or None)) > 1:
        raise ValueError("give at most one of a target volume, a cell, or a free cell")
    tpl = _read_template(template)
    if tpl.lattice_A is None:
        raise AnalysisError("a template needs a periodic cell")
    sub = dict(substitute or {})
    missing = [el for el in sub if el not in tpl.species]
    if missing:
        raise ValueError(
            f"--substitute: {', '.join(missing)} not in the template "
            f"(elements: {' '.join(sorted(set(tpl.species)))})"
        )
    species = [sub.get(s, s) for s in tpl.species]
    labels = [_relabel(lab, old, sub) for lab, old in zip(tpl.labels, tpl.species, strict=True)]
    bonds = find_bonds(tpl)
    frac0 = tpl.frac
    numbers = _numbers(species)
    sym = symmetry_map(frac0, tpl.lattice_A, numbers, symprec_A=symprec_A)
    g_tpl = tpl.lattice_A @ tpl.lattice_A.T
    tcell = cell_from_metric(g_tpl)
    if volume_A3 is not None:
        if volume_A3 <= 0:
            raise ValueError(f"--volume must be positive, got {volume_A3}")
        g0 = g_tpl * (volume_A3 / tpl.cell_volume_A3) ** (2.0 / 3.0)
        mode = f"template cell scaled to V = {volume_A3:g} Å³"
    elif cell is not None:
        vals = list(cell)
        if len(vals) == 3:
            vals += list(tcell[3:])
        if len(vals) != 6 or min(vals[:3]) <= 0:
            raise ValueError(f"--cell expects a,b,c[,alpha,beta,gamma], got {list(cell)}")
        g0 = metric_from_cell(*vals)
        dev = max(np.abs(r.T @ g0 @ r - g0).max() for r in sym.rot)
        if dev > 1e-3 * float(np.max(np.diag(g0))):
            raise ValueError(
                f"--cell {vals} breaks the template's symmetry ({sym.spacegroup}): "
                "its lengths/angles must follow the crystal system"
            )
        mode = "given cell"
    else:
        g0 = g_tpl
        mode = "refined (free cell)" if free_cell else "template cell"
    restraints, notes = make_restraints(
        species,
        list(tpl.species),
        tpl.positions_A,
        tpl.lattice_A,
        bonds,
        metal_donor_A=dict(metal_donor_A or {}),
        keep_net_angles=free_cell,
    )
    fit = refine(frac0, g0, sym, restraints, free_cell=free_cell, max_evaluations=max_evaluations)
    new_cell = cell_from_metric(fit.metric)
    lattice = _lattice_from_cell(new_cell)
    crystal = Crystal.from_fractional(
        species,
        fit.frac,
        lattice,
        occupancy=tpl.occupancy,
        uiso_A2=tpl.uiso_A2,
        labels=labels,
        source=f"model from {tpl.source}",
        spacegroup=sym.spacegroup,
    )
    crystal.metadata["warnings"] = [
        "model: built by distance least squares (not a refined structure)"
    ]
    reps = tuple(int(a) for a in sorted(set(sym.rep.tolist())))
    dls_crystal, symops, sg = None, tuple(sym.symop_triplets), (sym.spacegroup, sym.number)
    if substitute_linker:
        from mofglass.structure.linkers import substitute_linkers

        dls_crystal = crystal
        crystal, more = substitute_linkers(crystal, substitute_linker)
        notes = [*notes, *more]
        assert crystal.lattice_A is not None
        sym2 = symmetry_map(
            crystal.frac, crystal.lattice_A, _numbers(list(crystal.species)), symprec_A=symprec_A
        )
        if sym2.number != sym.number:
            notes.append(f"space group after the linker substitution: {sym2.spacegroup}")
        reps = tuple(int(a) for a in sorted(set(sym2.rep.tolist())))
        symops, sg = tuple(sym2.symop_triplets), (sym2.spacegroup, sym2.number)
    return BuiltModel(
        crystal=crystal,
        template_source=tpl.source,
        substitution=sub,
        template_cell=tcell,
        cell=new_cell,
        cell_mode=mode,
        spacegroup=sg[0],
        spacegroup_number=sg[1],
        groups=_groups(species, restraints, fit.distances_A),
        success=fit.success,
        message=fit.message,
        chi2=fit.chi2,
        notes=tuple(notes),
        representatives=reps,
        symops=symops,
        restraints=restraints,
        distances_A=fit.distances_A,
        linker_substitution=dict(substitute_linker or {}),
        dls_crystal=dls_crystal,
    )


def _read_template(template: Crystal | str | Path) -> Crystal:
    """Read the template, ordering mixed sites first.

    A CIF whose sites hold two elements on one position (the head-to-tail C/N disorder of
    M(CN)2, ``C 0.5 + N 0.5``) is ordered by :func:`order_mixed_sites`.
    """
    if isinstance(template, Crystal) or not isinstance(template, str | Path):
        return as_crystal(template)
    from mofglass.structure.cif import read_structure
    from mofglass.structure.ordering import order_mixed_sites

    everything = read_structure(template, disorder="all")
    ordered = order_mixed_sites(everything)
    return ordered if ordered is not None else read_structure(template)


def _groups(species: list[str], r: Restraints, d: np.ndarray) -> tuple[RestraintGroup, ...]:
    keys: dict[tuple[str, str], list[int]] = {}
    for m in range(len(r)):
        pair = "-".join(sorted((species[r.i[m]], species[r.j[m]]), key=_element_order))
        keys.setdefault((r.kind[m], pair), []).append(m)
    out = []
    for (kind, pair), idx in keys.items():
        t, v = r.target_A[idx], d[idx]
        dev = v - t
        out.append(
            RestraintGroup(
                kind=kind,
                pair=pair,
                n=len(idx),
                target_A=round(float(np.mean(t)), 4),
                mean_A=round(float(np.mean(v)), 4),
                min_A=round(float(np.min(v)), 4),
                max_A=round(float(np.max(v)), 4),
                max_abs_dev_A=round(float(np.max(np.abs(dev))), 4),
                rms_dev_A=round(float(np.sqrt(np.mean(dev**2))), 4),
            )
        )
    return tuple(out)


def _element_order(el: str) -> tuple[int, str]:
    from mofglass.structure.bonds import is_metal

    return (0 if is_metal(el) else 1 if el != "H" else 2, el)


def _numbers(species: list[str]) -> np.ndarray:
    from ase.data import atomic_numbers

    return np.array([atomic_numbers[s] for s in species])


def _lattice_from_cell(cell: tuple[float, ...]) -> np.ndarray:
    import gemmi

    return np.array(gemmi.UnitCell(*cell).orth.mat, dtype=float).T


def _relabel(label: str, old: str, sub: Mapping[str, str]) -> str:
    if old in sub and label.startswith(old):
        return sub[old] + label[len(old) :]
    return label


def _unique(label: str, used: set[str]) -> str:
    base, k = label, 1
    while label in used:
        k += 1
        label = f"{base}_{k}"
    used.add(label)
    return label


def _sub_text(sub: Mapping[str, str]) -> str:
    return ", ".join(f"{a}={b}" for a, b in sub.items())
