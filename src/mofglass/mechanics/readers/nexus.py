"""NeXus / HDF5 indentation files: one ``NXentry`` per test, load and depth in an ``NXdata``.

Layout (as written by the micromechanics package's FischerScope converter, and by any NeXus
writer following the base classes [1]_)::

    /instrument            NX_class=NXinstrument   attributes: max_load, time_to_load, ...
    /test_1                NX_class=NXentry
        data               NX_class=NXdata, signal="force", axes="displacement"
            force          unit="mN"
            displacement   unit="um"
            time           unit="s"     (optional)
    /test_2 ...

The load is the NXdata ``signal`` and the depth its ``axes`` (else datasets named ``force`` /
``load`` and ``displacement`` / ``depth``); each is converted to mN and nm from its ``unit`` (or
``units``) attribute, and a unit of the wrong dimension is refused. Tests come in natural order
of their names (``test_2`` before ``test_10``). Depth is kept as written: a negative approach
segment before contact stays in the curve.

References
----------
.. [1] NeXus International Advisory Committee, NeXus base classes NXentry, NXdata,
       https://manual.nexusformat.org/classes/base_classes/ (signal/axes attributes).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np

from mofglass.errors import InputFormatError
from mofglass.mechanics.data import Indentation

__all__ = ["HDF5_MAGIC", "read_nexus_indentations"]

HDF5_MAGIC = b"\x89HDF\r\n\x1a\n"

_TO_MN = {"n": 1e3, "mn": 1.0, "un": 1e-3, "µn": 1e-3, "μn": 1e-3, "nn": 1e-6}
_TO_NM = {"m": 1e9, "mm": 1e6, "um": 1e3, "µm": 1e3, "μm": 1e3, "micron": 1e3, "nm": 1.0}
_TO_S = {"s": 1.0, "ms": 1e-3, "min": 60.0}


def _text(value: Any) -> str:
    """Return an HDF5 attribute as text (bytes decoded, one-element arrays unpacked)."""
    if isinstance(value, np.ndarray) and value.size == 1:
        value = value.reshape(-1)[0]
    if isinstance(value, bytes | np.bytes_):
        return value.decode("utf-8", errors="replace")
    return str(value)


def _natural(name: str) -> list[Any]:
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", name)]


def _scaled(ds: Any, table: dict[str, float], what: str, source: str) -> np.ndarray:
    """Dataset ``ds`` as float64 in the unit of ``table`` (factor from its unit attribute)."""
    unit = _text(ds.attrs.get("unit", ds.attrs.get("units", ""))).strip()
    factor = table.get(unit.lower())
    if factor is None:
        raise InputFormatError(
            source,
            expected=f"{what} in one of {sorted(table)} (unit attribute of {ds.name})",
            got=unit or "no unit",
        )
    values = np.asarray(ds[()], dtype=float).reshape(-1)
    return values * factor


def _pick(group: Any, attr: str, names: tuple[str, ...]) -> Any:
    """Return the dataset an NXdata attribute names, else the first of ``names`` present."""
    named = _text(group.attrs.get(attr, "")).strip()
    for key in (named, *names):
        if key and key in group and hasattr(group[key], "shape"):
            return group[key]
    return None


def _entry(name: str, entry: Any, source: str, extra: dict[str, Any]) -> Indentation | None:
    """One test from an NXentry (None when it holds no load-depth NXdata)."""
    data = next((g for g in entry.values() if _text(g.attrs.get("NX_class", "")) == "NXdata"), None)
    if data is None:
        return None
    load = _pick(data, "signal", ("force", "load"))
    depth = _pick(data, "axes", ("displacement", "depth"))
    if load is None or depth is None:
        raise InputFormatError(
            source, expected=f"load and depth datasets in {data.name}", got=", ".join(data)
        )
    load_mN = _scaled(load, _TO_MN, "load", source)
    depth_nm = _scaled(depth, _TO_NM, "depth", source)
    meta: dict[str, Any] = {"entry": name, **extra}
    if "time" in data:
        time_s = _scaled(data["time"], _TO_S, "time", source)
    else:
        time_s = np.arange(load_mN.size, dtype=float)
        meta["time_assumed"] = "no time dataset: point index used"
    if not (load_mN.size == depth_nm.size == time_s.size) or load_mN.size < 3:
        raise InputFormatError(
            source,
            expected=f"load, depth and time of one length (>= 3) in {data.name}",
            got=f"{load_mN.size}, {depth_nm.size}, {time_s.size}",
        )
    return Indentation(
        depth_nm=depth_nm,
        load_mN=load_mN,
        time_s=time_s,
        name=name,
        source=source,
        instrument="nexus-hdf5",
        metadata=meta,
    )


def _instrument(h5: Any) -> dict[str, Any]:
    """Return the numeric attributes of the NXinstrument group (max_load, time_to_load...)."""
    for g in h5.values():
        if _text(g.attrs.get("NX_class", "")) == "NXinstrument":
            out = {}
            for k, v in g.attrs.items():
                arr = np.asarray(v)
                if arr.dtype.kind in "fiu" and arr.size == 1:
                    out[f"instrument_{k}"] = float(arr.reshape(-1)[0])
            return out
    return {}


def read_nexus_indentations(path: str | Path) -> list[Indentation]:
    """Read every test of a NeXus/HDF5 indentation file (see the module docstring).

    Parameters
    ----------
    path : str or Path
        The ``.hdf5`` / ``.h5`` / ``.nxs`` file (opened read-only, never modified).

    Returns
    -------
    list of Indentation
        One per NXentry holding an NXdata, depth in nm, load in mN, time in s.

    Raises
    ------
    InputFormatError
        Not HDF5, no NXentry with load and depth, or a unit of the wrong dimension.
    """
    import h5py

    source = str(path)
    try:
        h5 = h5py.File(path, "r")
    except OSError as exc:
        raise InputFormatError(source, line=1, expected="an HDF5 file", got=str(exc)) from None
    with h5:
        instrument = _instrument(h5)
        tests = []
        for name in sorted(h5, key=_natural):
            group = h5[name]
            if _text(group.attrs.get("NX_class", "")) != "NXentry":
                continue
            ind = _entry(name, group, source, instrument)
            if ind is not None:
                tests.append(ind)
    if not tests:
        raise InputFormatError(
            source, line=1, expected="an NXentry group with load-depth NXdata", got="none"
        )
    return tests
