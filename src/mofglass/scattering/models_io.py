"""Readers of atom models: xyz, extended xyz, LAMMPS data and dump files, CIF (P1 or not).

Each returns a :class:`~mofglass.structure.Crystal` (``lattice_A`` None for models without a
cell). Trajectories (multi-frame extended xyz, LAMMPS dump) are read frame by frame with
:func:`iter_frames`, so memory does not grow with the number of frames.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO

import numpy as np

from mofglass.errors import InputFormatError, reader_boundary
from mofglass.structure import Crystal, read_structure

__all__ = ["iter_frames", "read_lammps_data", "read_model", "read_xyz"]

_LATTICE = re.compile(r'Lattice\s*=\s*"([^"]+)"', re.IGNORECASE)
_PROPS = re.compile(r"Properties\s*=\s*(\S+)", re.IGNORECASE)


def _crystal(
    species: list[str], pos: np.ndarray, lattice: np.ndarray | None, source: str
) -> Crystal:
    n = len(species)
    return Crystal(
        tuple(species),
        pos,
        lattice,
        np.ones(n),
        np.zeros(n),
        tuple(f"{s}{i + 1}" for i, s in enumerate(species)),
        source=source,
    )


def _xyz_frame(fh: IO[str], name: str, lineno: int) -> tuple[Crystal | None, int]:
    first = fh.readline()
    while first and not first.strip():
        first = fh.readline()
        lineno += 1
    if not first:
        return None, lineno
    try:
        n = int(first.split()[0])
    except (ValueError, IndexError):
        raise InputFormatError(
            name, line=lineno + 1, expected="the number of atoms", got=first.strip()
        ) from None
    comment = fh.readline()
    lines = [fh.readline() for _ in range(n)]
    if len(lines) < n or not lines[-1]:
        raise InputFormatError(
            name, line=lineno + 2 + n, expected=f"{n} atom lines", got="end of file"
        )
    lattice = None
    m = _LATTICE.search(comment)
    if m:
        lattice = np.array(m.group(1).split(), dtype=float).reshape(3, 3)
    sp_col, pos_col = 0, 1
    p = _PROPS.search(comment)
    if p:
        fields = p.group(1).split(":")
        col = 0
        for k in range(0, len(fields) - 2, 3):
            key, width = fields[k].lower(), int(fields[k + 2])
            if key == "species":
                sp_col = col
            elif key == "pos":
                pos_col = col
            col += width
    toks = [ln.split() for ln in lines]
    try:
        species = [t[sp_col] for t in toks]
        pos = np.array([t[pos_col : pos_col + 3] for t in toks], dtype=float)
    except (IndexError, ValueError):
        for k, t in enumerate(toks):
            if len(t) < max(sp_col, pos_col + 2) + 1:
                raise InputFormatError(
                    name, line=lineno + 3 + k, expected="symbol x y z", got=lines[k].strip()
                ) from None
        raise InputFormatError(name, line=lineno + 3, expected="numeric coordinates") from None
    species = [
        s.capitalize() if s.isalpha() else re.sub(r"[^A-Za-z]", "", s).capitalize() for s in species
    ]
    return _crystal(species, pos.reshape(-1, 3), lattice, name), lineno + 2 + n


def read_xyz(path: str | Path, *, frame: int = 0) -> Crystal:
    """Read one frame of an xyz or extended xyz file (``Lattice="..."`` gives a periodic box)."""
    for k, c in enumerate(iter_frames(path)):
        if k == frame:
            return c
    raise InputFormatError(Path(path).name, expected=f"at least {frame + 1} frames")


def _masses_to_elements(masses: Mapping[int, tuple[float, str]]) -> dict[int, str]:
    from ase.data import atomic_masses, chemical_symbols

    out = {}
    for t, (mass, comment) in masses.items():
        sym = comment.strip().split()[0] if comment.strip() else ""
        if sym and sym.capitalize() in chemical_symbols:
            out[t] = sym.capitalize()
        else:
            out[t] = chemical_symbols[int(np.argmin(np.abs(atomic_masses[1:] - mass))) + 1]
    return out


def read_lammps_data(path: str | Path, *, type_map: Mapping[int, str] | None = None) -> Crystal:
    """Read a LAMMPS data file (atom styles atomic, charge or full; triclinic boxes).

    Elements come from ``type_map``, else from the comment after each mass in ``Masses``
    (``1 12.011 # C``), else from the nearest standard atomic mass.
    """
    p = Path(path)
    lines = p.read_text().splitlines()
    lo = np.zeros(3)
    hi = np.zeros(3)
    tilt = np.zeros(3)
    n_atoms = None
    masses: dict[int, tuple[float, str]] = {}
    atoms_at = None
    for k, ln in enumerate(lines):
        body = ln.split("#")[0].split()
        if len(body) >= 2 and body[-1] == "atoms":
            n_atoms = int(body[0])
        for ax, tag in enumerate(("xlo", "ylo", "zlo")):
            if len(body) == 4 and body[2] == tag:
                lo[ax], hi[ax] = float(body[0]), float(body[1])
        if len(body) == 6 and body[3:] == ["xy", "xz", "yz"]:
            tilt[:] = [float(v) for v in body[:3]]
        if body[:1] == ["Masses"]:
            j = k + 1
            while j < len(lines) and not lines[j].strip():
                j += 1
            while j < len(lines) and lines[j].strip():
                parts = lines[j].split("#")
                t, mass = parts[0].split()[:2]
                masses[int(t)] = (float(mass), parts[1] if len(parts) > 1 else "")
                j += 1
        if body[:1] == ["Atoms"]:
            atoms_at = k
    if n_atoms is None or atoms_at is None:
        raise InputFormatError(p.name, expected="'N atoms' header and an 'Atoms' section")
    j = atoms_at + 1
    while j < len(lines) and not lines[j].strip():
        j += 1
    rows = lines[j : j + n_atoms]
    toks = [r.split("#")[0].split() for r in rows]
    style = lines[atoms_at].split("#")[1].strip() if "#" in lines[atoms_at] else ""
    ncol = len(toks[0])
    if style == "full" or (not style and ncol in (7, 10)):
        tcol, xcol = 2, 4
    elif style == "charge" or (not style and ncol in (6, 9)):
        tcol, xcol = 1, 3
    else:
        tcol, xcol = 1, 2
    try:
        types = np.array([int(t[tcol]) for t in toks])
        pos = np.array([t[xcol : xcol + 3] for t in toks], dtype=float)
        ids = np.array([int(t[0]) for t in toks])
    except (IndexError, ValueError):
        raise InputFormatError(
            p.name,
            line=j + 1,
            expected="atom lines 'id type [q] x y z'",
            got=rows[0] if rows else "",
        ) from None
    order = np.argsort(ids)
    emap = dict(type_map) if type_map else _masses_to_elements(masses)
    species = [emap[int(t)] for t in types[order]]
    lat = np.array(
        [[hi[0] - lo[0], 0, 0], [tilt[0], hi[1] - lo[1], 0], [tilt[1], tilt[2], hi[2] - lo[2]]]
    )
    return _crystal(species, pos[order] - lo, lat, p.name)


def _dump_frames(fh: IO[str], name: str, type_map: Mapping[int, str] | None) -> Iterator[Crystal]:
    lineno = 0
    while True:
        line = fh.readline()
        lineno += 1
        if not line:
            return
        if not line.startswith("ITEM: TIMESTEP"):
            continue
        fh.readline()
        fh.readline()
        n = int(fh.readline())
        head = fh.readline()
        lineno += 4
        bounds = np.array([fh.readline().split() for _ in range(3)], dtype=float)
        lineno += 3
        if "xy" in head:
            xy, xz, yz = bounds[:, 2]
            xlo = bounds[0, 0] - min(0.0, xy, xz, xy + xz)
            xhi = bounds[0, 1] - max(0.0, xy, xz, xy + xz)
            ylo = bounds[1, 0] - min(0.0, yz)
            yhi = bounds[1, 1] - max(0.0, yz)
            lo = np.array([xlo, ylo, bounds[2, 0]])
            lat = np.array(
                [[xhi - xlo, 0, 0], [xy, yhi - ylo, 0], [xz, yz, bounds[2, 1] - bounds[2, 0]]]
            )
        else:
            lo = bounds[:, 0]
            lat = np.diag(bounds[:, 1] - bounds[:, 0])
        cols = fh.readline().split()[2:]
        lineno += 1
        block = [fh.readline() for _ in range(n)]
        data = np.array(" ".join(block).split(), dtype=object).reshape(n, len(cols))
        lineno += n
        if "element" in cols:
            species = [str(s) for s in data[:, cols.index("element")]]
        elif "type" in cols and type_map:
            species = [type_map[int(t)] for t in data[:, cols.index("type")]]
        else:
            raise InputFormatError(
                name,
                line=lineno - n,
                expected="an 'element' column or a type_map",
                got=" ".join(cols),
            )
        for keys, scaled in (
            (("x", "y", "z"), False),
            (("xu", "yu", "zu"), False),
            (("xs", "ys", "zs"), True),
        ):
            if all(k in cols for k in keys):
                xyz = data[:, [cols.index(k) for k in keys]].astype(float)
                pos = xyz @ lat if scaled else xyz - lo
                break
        else:
            raise InputFormatError(
                name, line=lineno - n, expected="x y z, xu yu zu or xs ys zs", got=" ".join(cols)
            )
        order = np.argsort(data[:, cols.index("id")].astype(int)) if "id" in cols else np.arange(n)
        yield _crystal([species[i] for i in order], pos[order], lat, name)


def iter_frames(
    path: str | Path, *, type_map: Mapping[int, str] | None = None
) -> Iterator[Crystal]:
    """Frames of a trajectory one at a time (extended xyz, LAMMPS dump); one frame otherwise."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix in (".xyz", ".extxyz"):
        with p.open() as fh:
            lineno = 0
            while True:
                c, lineno = _xyz_frame(fh, p.name, lineno)
                if c is None:
                    return
                yield c
    elif suffix in (".dump", ".lammpstrj") or p.name.startswith("dump"):
        with p.open() as fh:
            yield from _dump_frames(fh, p.name, type_map)
    else:
        yield read_model(p, type_map=type_map)


@reader_boundary("an xyz/extxyz, LAMMPS data or dump file")
def read_model(path: str | Path, *, type_map: Mapping[int, str] | None = None) -> Crystal:
    """Read an atom model by extension: .cif, .xyz/.extxyz, .data/.lmp, .dump/.lammpstrj."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix == ".cif":
        return read_structure(p)
    if suffix in (".data", ".lmp"):
        return read_lammps_data(p, type_map=type_map)
    if suffix in (".xyz", ".extxyz", ".dump", ".lammpstrj"):
        return next(iter(iter_frames(p, type_map=type_map)))
    raise InputFormatError(
        p.name,
        expected="a .cif, .xyz, .extxyz, .data, .lmp, .dump or .lammpstrj file",
        got=suffix or "no extension",
    )
