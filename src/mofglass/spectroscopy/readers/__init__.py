"""Spectrum readers, one module per format, with one entry point :func:`read_spectrum`.

=============  ==============================  ==========================================
format         extensions                      module
=============  ==============================  ==========================================
jasco-csv      .csv (JASCO header + XYDATA)    :mod:`~mofglass.spectroscopy.readers.jasco`
jws            .jws, .jrs                      :mod:`~mofglass.spectroscopy.readers.jasco`
jcamp          .jdx, .dx, .jcamp               :mod:`~mofglass.spectroscopy.readers.jcamp`
text           .txt, .csv, .dat, .xy, .asc     :mod:`~mofglass.spectroscopy.readers.text`
=============  ==============================  ==========================================
"""

from __future__ import annotations

from os import PathLike
from pathlib import Path

from mofglass.errors import InputFormatError, reader_boundary
from mofglass.spectroscopy.readers.jasco import parse_jasco_csv, read_jasco_csv, read_jws
from mofglass.spectroscopy.readers.jcamp import format_jcamp, parse_jcamp, read_jcamp
from mofglass.spectroscopy.readers.text import (
    parse_topspin_txt,
    parse_two_column,
    read_text_spectrum,
)
from mofglass.spectroscopy.spectrum import Spectrum

__all__ = [
    "FORMATS",
    "format_jcamp",
    "parse_jasco_csv",
    "parse_jcamp",
    "parse_topspin_txt",
    "parse_two_column",
    "read_jasco_csv",
    "read_jcamp",
    "read_jws",
    "read_spectrum",
    "read_text_spectrum",
]

FORMATS = ("auto", "jasco-csv", "jws", "jcamp", "text", "topspin-raw")


def _sniff(p: Path) -> str:
    """Format key from the one reader registry (content first, extension breaks ties)."""
    from mofglass.io import sniff

    return sniff(p, technique="spectroscopy").name.split("/", 1)[1]


@reader_boundary("a spectrum")
def read_spectrum(
    path: str | PathLike[str],
    fmt: str = "auto",
    *,
    x_unit: str | None = None,
    y_kind: str | None = None,
) -> Spectrum:
    """Read one spectrum file, sniffing the format from the extension and content.

    Parameters
    ----------
    path : path-like
        The file.
    fmt : {"auto", "jasco-csv", "jws", "jcamp", "text"}
        Format; ``"auto"`` sniffs.
    x_unit, y_kind : str, optional
        For plain two-column text only: override what the header says (or does not say).

    Raises
    ------
    InputFormatError
        When the file is missing, unknown or malformed (naming file and line).
    """
    p = Path(path)
    if not p.is_file():
        raise InputFormatError(p.name, expected="an existing spectrum file", got=str(p))
    if fmt not in FORMATS:
        raise InputFormatError(p.name, expected=f"format one of {FORMATS}", got=fmt)
    from mofglass.io import REGISTRY, check_file

    kind = _sniff(p) if fmt == "auto" else fmt
    if kind == "text":
        check_file(p)
        return read_text_spectrum(p, x_unit=x_unit, y_kind=y_kind)
    return REGISTRY[f"spectroscopy/{kind}"].load(p)
