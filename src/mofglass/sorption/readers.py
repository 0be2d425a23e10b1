"""Isotherm readers: AIF, pyGAPS JSON and instrument exports, all parsed by pyGAPS.

One entry point, :func:`read_isotherm`, sniffs the format from the extension and the first
lines and dispatches to pyGAPS (``isotherm_from_aif``, ``isotherm_from_json``,
``isotherm_from_commercial``); the PointIsotherm is then converted to an :class:`Isotherm` in p/p0
and mmol/g. The instrument formats are those pyGAPS reads through ``adsorption_file_parser``:
MicrotracBEL BELSORP ``.DAT`` and BELMaster ``.csv``, Quantachrome ASiQwin "Raw Analysis Data"
``.txt`` and Micromeritics ``.xls``.

References
----------
.. [1] J. D. Evans, V. Bon, I. Senkovska, S. Kaskel, "A universal standard archive file for
   adsorption data", Langmuir 37 (2021) 4222 (AIF).
.. [2] P. Iacomi, P. L. Llewellyn, "pyGAPS: a Python-based framework for adsorption isotherm
   processing and material characterisation", Adsorption 25 (2019) 1533.
"""

from __future__ import annotations

import tempfile
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from mofglass.errors import InputFormatError, reader_boundary
from mofglass.io.table import check_complete_rows
from mofglass.io.text import decode_text
from mofglass.sorption.analysis import _quiet
from mofglass.sorption.isotherm import Isotherm

__all__ = ["FORMATS", "read_isotherm", "sniff_format"]

#: format name -> (pyGAPS manufacturer, pyGAPS format) for instrument exports; None for AIF/JSON
FORMATS: dict[str, tuple[str, str] | None] = {
    "aif": None,
    "pygaps-json": None,
    "bel-dat": ("bel", "dat"),
    "bel-csv": ("bel", "csv"),
    "quantachrome-txt": ("qnt", "txt-raw"),
    "micromeritics-xls": ("mic", "xl"),
}
_TEXT_TABLES = ("bel-dat", "bel-csv", "quantachrome-txt")
_BARE_VOLUME_UNITS = {"cc", "ml", "cm3", "cm^3", "ml(stp)", "cc(stp)", "cm3(stp)"}


def sniff_format(path: str | Path) -> str:
    """Sniff the format of an isotherm file from its extension and first bytes."""
    p = Path(path)
    ext = p.suffix.lower()
    head = p.read_bytes()[:4096]
    text = head.decode("latin-1", errors="replace")
    if ext in (".aif", ".aif_tst", ".cif") or text.lstrip().startswith("data_"):
        return "aif"
    if ext == ".json":
        return "pygaps-json"
    if ext == ".dat":
        return "bel-dat"
    if ext == ".csv":
        return "bel-csv"
    if ext == ".txt" and "quantachrome" in text.lower():
        return "quantachrome-txt"
    if ext in (".xls", ".xlsx"):
        return "micromeritics-xls"
    raise InputFormatError(
        p.name,
        expected="an isotherm file: AIF (.aif), pyGAPS JSON (.json), BEL .DAT/.csv, "
        "Quantachrome raw .txt or Micromeritics .xls",
        got=ext or text[:40],
    )


@reader_boundary("an isotherm file", library="pygaps")
def read_isotherm(path: str | Path, fmt: str = "auto") -> Isotherm:
    """Read an isotherm file into an :class:`Isotherm` (p/p0, mmol/g).

    Parameters
    ----------
    path : str or Path
        The file; it is only read.
    fmt : str
        One of :data:`FORMATS` or "auto" (sniffed).

    Raises
    ------
    InputFormatError
        If the file cannot be parsed, lacks the adsorptive or temperature, or its units cannot
        be turned into mmol per g of adsorbent.
    """
    p = Path(path)
    name = p.name
    if fmt == "auto":
        fmt = sniff_format(p)
    if fmt not in FORMATS:
        raise InputFormatError(name, expected=f"format one of {', '.join(FORMATS)}", got=fmt)
    notes: list[str] = []
    if fmt in _TEXT_TABLES:  # a row cut short makes some instrument parsers loop forever
        check_complete_rows(decode_text(p.read_bytes(), name).splitlines(), name)
    try:
        iso = _read_pygaps(p, fmt, notes)
    except InputFormatError:
        raise
    except Exception as exc:  # pyGAPS / adsorption_file_parser raise many kinds
        raise InputFormatError(
            name, expected=f"a readable {fmt} isotherm (pyGAPS)", got=f"{type(exc).__name__}: {exc}"
        ) from exc
    return _from_pygaps(iso, source=name, fmt=fmt, notes=notes)


def _read_pygaps(p: Path, fmt: str, notes: list[str]) -> Any:
    import pygaps.parsing as pgp

    _quiet()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if fmt == "aif":
            text = _aif_text(p, notes)
            if text is None:
                return pgp.isotherm_from_aif(str(p))
            with tempfile.TemporaryDirectory() as tmp:  # the user's file is never changed
                fixed = Path(tmp) / "fixed.aif"
                fixed.write_text(text, encoding="utf-8")
                return pgp.isotherm_from_aif(str(fixed))
        if fmt == "pygaps-json":
            return pgp.isotherm_from_json(str(p))
        spec = FORMATS[fmt]
        assert spec is not None
        if fmt == "bel-dat":
            _check_bel_dat_sections(p)
        return pgp.isotherm_from_commercial(str(p), spec[0], spec[1])


_BEL_SECTIONS = ("adsorption data", "desorption data", "吸着データ", "脱着データ")


def _check_bel_dat_sections(p: Path) -> None:
    """Refuse a BEL .DAT whose data section has no closing ``0`` line (a truncated file).

    adsorption_file_parser reads a section until a line starting with ``0`` and never stops at
    the end of the file: a truncated export would fill memory instead of failing.
    """
    raw = p.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:  # BEL's Japanese exports
        text = raw.decode("shift_jis", errors="replace")
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.strip().lower() in _BEL_SECTIONS:
            if not any(ln.startswith("0") for ln in lines[i + 3 :]):
                raise InputFormatError(
                    p.name,
                    line=len(lines),
                    expected=f"the '0' line that closes the {line.strip()!r} section",
                    got="the end of the file (truncated?)",
                )


def _aif_text(p: Path, notes: list[str]) -> str | None:
    """Return the AIF text with a bare volume loading unit (``'cc'``) made explicit, or None."""
    import gemmi

    try:
        doc = gemmi.cif.read_file(str(p))
    except (RuntimeError, ValueError) as exc:
        raise InputFormatError(p.name, expected="AIF (CIF syntax)", got=str(exc)) from exc
    block = doc.sole_block()
    unit = (block.find_value("_units_loading") or "").strip("'\"")
    fix = unit.lower().replace(" ", "") in _BARE_VOLUME_UNITS
    if fix:
        block.set_pair("_units_loading", "'cm3(STP)/g'")
        notes.append(
            f"_units_loading {unit!r} has no per-mass basis: read as cm3(STP) per g "
            "(raw2aif writes per-gram amounts)"
        )
    for tag in ("_exptl_adsorptive", "_exptl_temperature"):
        if not block.find_value(tag):
            raise InputFormatError(p.name, expected=f"AIF item {tag}", got="nothing")
    return str(doc.as_string()) if fix else None


def _from_pygaps(iso: Any, *, source: str, fmt: str, notes: list[str]) -> Isotherm:
    """Convert a pyGAPS PointIsotherm to relative pressure and mmol/g of adsorbent."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        iso = iso.__class__.from_dict(iso.to_dict()) if hasattr(iso, "from_dict") else iso
        try:
            iso.convert_loading(basis_to="molar", unit_to="mmol")
            iso.convert_material(basis_to="mass", unit_to="g")
        except Exception as exc:
            raise InputFormatError(
                source,
                expected="loading convertible to mmol per g of adsorbent",
                got=f"{iso.units}",
            ) from exc
        data = iso.data_raw
        p = np.asarray(data["pressure"], dtype=float)
        p0_source = "file"
        if iso.pressure_mode != "relative":
            if "pressure_saturation" in data.columns:
                p = p / np.asarray(data["pressure_saturation"], dtype=float)
            else:
                iso.convert_pressure(mode_to="relative")
                p = np.asarray(iso.data_raw["pressure"], dtype=float)
                p0_source = "pyGAPS"
                notes.append("no p0 in the file: saturation pressure from pyGAPS (CoolProp)")
        n = np.asarray(iso.data_raw["loading"], dtype=float)
        des = np.asarray(iso.data_raw["branch"], dtype=float) > 0
    if not np.all(np.isfinite(p)) or not np.all(np.isfinite(n)):
        raise InputFormatError(source, expected="finite pressures and loadings", got="NaN/inf")
    mass = iso.properties.get("material_mass")
    material = iso.material.name if hasattr(iso.material, "name") else str(iso.material)
    return Isotherm(
        relative_pressure=p,
        loading_mmol_g=n,
        desorption=des,
        adsorptive=str(iso.adsorbate),
        temperature_K=float(iso.temperature),
        material=material,
        source=source,
        format=fmt,
        p0_source=p0_source,
        sample_mass_g=None if mass is None else float(mass),
        simulated="simulated" in str(iso.properties.get("comment", "")).lower(),
        notes=tuple(notes),
    )
