"""Reading files: one reader registry, one text decoder, one numeric-table parser.

- :mod:`mofglass.io.registry`: :class:`ReaderSpec` (name, extensions, ``sniff(head: bytes)``,
  ``read(path)``, ``parse(text, source)``), :func:`sniff`, :func:`read`, :func:`readers`.
- :mod:`mofglass.io.text`: :func:`decode` (BOMs, UTF-16, declared encodings, UTF-8, else
  Windows-1252 with a warning; binary data rejected) and :func:`parse_numbers`.
- :mod:`mofglass.io.table`: :func:`find_table`, the numeric block of a text export with its
  header, names and units; errors name ``file:line:column``.
"""

from mofglass.io.registry import (
    REGISTRY,
    ReaderSpec,
    check_file,
    read,
    read_head,
    readers,
    register,
    sniff,
)
from mofglass.io.table import Table, find_table, guess_separator, split_line
from mofglass.io.text import decode, decode_text, detect_decimal, parse_numbers, split_name_unit

__all__ = [
    "REGISTRY",
    "ReaderSpec",
    "Table",
    "check_file",
    "decode",
    "decode_text",
    "detect_decimal",
    "find_table",
    "guess_separator",
    "parse_numbers",
    "read",
    "read_head",
    "readers",
    "register",
    "sniff",
    "split_line",
    "split_name_unit",
]
