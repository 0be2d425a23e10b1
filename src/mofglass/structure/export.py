"""Write a framework with the network index of every atom (CIF and extended XYZ).

VESTA colours atoms by site label, OVITO by any per-atom property: the CIF gets labels
``<element><n>_net<k>`` plus a ``_atom_site_mofglass_network`` column (-1 for guests), the
extended XYZ a ``network`` property column (ASE writer).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from mofglass.structure.framework import Framework

__all__ = ["ATOM_SITE_LOOP", "framework_cif_text", "write_framework_cif", "write_framework_xyz"]

#: The header of a CIF atom-site loop up to the occupancy; writers add their own last column
ATOM_SITE_LOOP = (
    "loop_",
    "_atom_site_label",
    "_atom_site_type_symbol",
    "_atom_site_fract_x",
    "_atom_site_fract_y",
    "_atom_site_fract_z",
    "_atom_site_occupancy",
)


def framework_cif_text(
    fw: Framework, *, include_guests: bool = True, note: str | None = None
) -> str:
    """CIF (P 1) text of the structure with each atom's network index.

    ``note`` (e.g. "idealised model ...") is written as ``_mofglass_model_note``; the reader
    turns it into a warning so a model is never taken for an experimental structure.
    """
    cr = fw.crystal
    if cr.lattice_A is None:
        raise ValueError("a finite model has no cell to write a CIF for")
    lat = np.asarray(cr.lattice_A, dtype=float)
    lengths = np.linalg.norm(lat, axis=1)

    def angle(i: int, j: int) -> float:
        return float(np.degrees(np.arccos(np.dot(lat[i], lat[j]) / (lengths[i] * lengths[j]))))

    params = (*lengths.tolist(), angle(1, 2), angle(0, 2), angle(0, 1))
    labels = fw.network_labels
    lines = [
        f"data_{_safe(cr.source)}",
        "_audit_creation_method 'mofglass structure export (network index per atom)'",
        "_symmetry_space_group_name_H-M 'P 1'",
        "_symmetry_Int_Tables_number 1",
        *([f"_mofglass_model_note\n;\n{note}\n;"] if note else []),
        "loop_",
        "_symmetry_equiv_pos_as_xyz",
        "  x,y,z",
    ]
    for key, val in zip(
        ("a", "b", "c", "alpha", "beta", "gamma"),
        params,
        strict=True,
    ):
        tag = f"_cell_length_{key}" if len(key) == 1 else f"_cell_angle_{key}"
        lines.append(f"{tag} {val:.6f}")
    lines += [*ATOM_SITE_LOOP, "_atom_site_mofglass_network"]
    frac = cr.frac % 1.0
    counts: dict[str, int] = {}
    for a in range(cr.n_atoms):
        net = int(labels[a])
        if net < 0 and not include_guests:
            continue
        el = cr.species[a]
        counts[el] = counts.get(el, 0) + 1
        tag = f"net{net}" if net >= 0 else "guest"
        x, y, z = frac[a]
        lines.append(
            f"{el}{counts[el]}_{tag} {el} {x:.6f} {y:.6f} {z:.6f} {cr.occupancy[a]:.4f} {net}"
        )
    return "\n".join(lines) + "\n"


def write_framework_cif(
    fw: Framework, path: str | Path, *, include_guests: bool = True, note: str | None = None
) -> Path:
    """Write :func:`framework_cif_text` to ``path``."""
    p = Path(path)
    p.write_text(framework_cif_text(fw, include_guests=include_guests, note=note), encoding="utf-8")
    return p


def write_framework_xyz(fw: Framework, path: str | Path) -> Path:
    """Write extended XYZ with a per-atom ``network`` column (OVITO: colour coding by ``network``)."""
    from ase import Atoms
    from ase.io import write

    cr = fw.crystal
    atoms = Atoms(
        symbols=["X" if s not in _ase_symbols() else s for s in cr.species],
        positions=cr.positions_A,
        cell=cr.lattice_A if cr.lattice_A is not None else np.zeros((3, 3)),
        pbc=cr.lattice_A is not None,
    )
    atoms.new_array("network", np.asarray(fw.network_labels, dtype=np.int64))
    p = Path(path)
    write(str(p), atoms, format="extxyz")
    return p


def _ase_symbols() -> set[str]:
    from ase.data import chemical_symbols

    return set(chemical_symbols)


def _safe(text: str) -> str:
    out = "".join(c if c.isalnum() or c in "-_" else "_" for c in Path(text).stem)
    return out or "structure"
