"""Readers of load-displacement exports: one module per instrument, one entry point.

:func:`read_indentations` sniffs the format from the extension and the first bytes and returns
every test in the file as :class:`~mofglass.mechanics.data.Indentation`.

=====================  ==========================  ==========================================
format                 files                       module
=====================  ==========================  ==========================================
``hysitron-txt``       TriboScan ``.txt``          :mod:`.hysitron`
``hysitron-hld``       HighLoad ``.hld``           :mod:`.hysitron`
``fischerscope-txt``   WIN-HCU ``.txt``            :mod:`.fischerscope`
``micromaterials-txt`` NanoTest ``.txt``           :mod:`.micromaterials`
``zip``                archive of any of the above  (members sniffed one by one)
``agilent-xls``        G200 ``.xls`` (xlrd)        :mod:`.agilent`
``nexus-hdf5``         NeXus ``.hdf5`` (h5py)      :mod:`.nexus`
=====================  ==========================  ==========================================
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

from mofglass.errors import InputFormatError, reader_boundary
from mofglass.mechanics.data import Indentation
from mofglass.mechanics.readers._text import decode
from mofglass.mechanics.readers.agilent import read_agilent_xls
from mofglass.mechanics.readers.fischerscope import parse_fischerscope
from mofglass.mechanics.readers.hysitron import (
    format_hysitron_txt,
    parse_hysitron_hld,
    parse_hysitron_txt,
)
from mofglass.mechanics.readers.micromaterials import (
    looks_like_micromaterials,
    parse_micromaterials,
)
from mofglass.mechanics.readers.nexus import HDF5_MAGIC, read_nexus_indentations

__all__ = [
    "FORMATS",
    "format_hysitron_txt",
    "parse_fischerscope",
    "parse_hysitron_hld",
    "parse_hysitron_txt",
    "parse_micromaterials",
    "parse_text",
    "read_agilent_xls",
    "read_indentations",
    "read_nexus_indentations",
    "sniff_text",
]

TextParser = Callable[[str, str], list[Indentation]]

FORMATS: dict[str, TextParser] = {
    "hysitron-txt": lambda text, src: [parse_hysitron_txt(text, source=src)],
    "hysitron-hld": lambda text, src: [parse_hysitron_hld(text, source=src)],
    "fischerscope-txt": lambda text, src: parse_fischerscope(text, source=src),
    "micromaterials-txt": lambda text, src: [parse_micromaterials(text, source=src)],
}
"""Text formats by name: ``parser(text, source) -> list[Indentation]``."""


def sniff_text(text: str, *, source: str = "<string>") -> str:
    """Name of the text format of ``text`` (a key of :data:`FORMATS`).

    Raises
    ------
    InputFormatError
        No known layout matches the first lines.
    """
    head = text[:2000].splitlines()
    first = head[0] if head else ""
    if first.startswith("File Version: Hysitron"):
        return "hysitron-hld"
    if "Name of the application" in first:
        return "fischerscope-txt"
    if len(head) >= 3 and head[2].lstrip().startswith("Number of Points"):
        return "hysitron-txt"
    if looks_like_micromaterials(text[:2000]):
        return "micromaterials-txt"
    raise InputFormatError(
        source,
        line=1,
        expected="a Hysitron .txt/.hld, FischerScope or Micromaterials export",
        got=first.strip(),
    )


def parse_text(text: str, *, source: str = "<string>", fmt: str = "auto") -> list[Indentation]:
    """Parse the text of an indentation export (format sniffed unless ``fmt`` is given)."""
    name = sniff_text(text, source=source) if fmt == "auto" else fmt
    if name not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; known: {', '.join(FORMATS)}")
    return FORMATS[name](text, source)


@reader_boundary("an indentation export")
def read_indentations(path: str | Path, *, fmt: str = "auto") -> list[Indentation]:
    """Read every indentation test in a file.

    Parameters
    ----------
    path : str or Path
        A text export, a ``.zip`` of text exports (one test per member, in archive order) or a
        G200 ``.xls`` workbook.
    fmt : str
        ``"auto"`` (sniff), ``"zip"``, ``"agilent-xls"``, ``"nexus-hdf5"`` or a key of
        :data:`FORMATS`.

    Returns
    -------
    list of Indentation

    Raises
    ------
    InputFormatError
        Unknown, truncated or garbled file; the message names the file, line and what was
        expected.
    """
    p = Path(path)
    source = str(p)
    raw = p.read_bytes()
    if fmt == "agilent-xls" or (fmt == "auto" and raw[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return read_agilent_xls(p)
    if fmt == "nexus-hdf5" or (fmt == "auto" and raw[:8] == HDF5_MAGIC):
        return read_nexus_indentations(p)
    if fmt == "zip" or (fmt == "auto" and raw[:4] == b"PK\x03\x04"):
        return _read_zip(p)
    if fmt == "auto" and p.suffix.lower() == ".xls":
        raise InputFormatError(
            source, expected="an Excel 97-2003 (.xls) workbook", got=raw[:20].hex()
        )
    return parse_text(decode(raw, source), source=source, fmt=fmt)


def _read_zip(path: Path) -> list[Indentation]:
    source = str(path)
    try:
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.infolist() if not m.is_dir()]
            texts = [
                (m.filename, decode(archive.read(m), f"{source}!{m.filename}")) for m in members
            ]
    except (zipfile.BadZipFile, EOFError, OSError, zipfile.LargeZipFile) as exc:
        raise InputFormatError(source, expected="a readable zip archive", got=str(exc)) from None
    if not texts:
        raise InputFormatError(
            source, expected="at least one test file in the archive", got="empty"
        )
    out: list[Indentation] = []
    for member, text in texts:
        where = f"{source}!{member}"
        for ind in parse_text(text, source=where):
            out.append(
                Indentation(
                    depth_nm=ind.depth_nm,
                    load_mN=ind.load_mN,
                    time_s=ind.time_s,
                    name=ind.name or member,
                    source=where,
                    instrument=ind.instrument,
                    harmonic_stiffness_N_m=ind.harmonic_stiffness_N_m,
                    channels=ind.channels,
                    metadata={**ind.metadata, "archive": source, "member": member},
                )
            )
    return out
