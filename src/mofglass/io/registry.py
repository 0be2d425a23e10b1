"""The one reader registry of mofglass: every file format of every technique, one entry each.

A :class:`ReaderSpec` names a format, its usual extensions, a content test on the first bytes
(``sniff(head: bytes) -> bool``), the reader of a path and, for text formats, the parser of the
decoded text (``parse(text, source)``) so tests can feed strings, as diffpy does [1]_. The
technique packages keep one module per format and their ``read_*`` entry points; they register
here (:mod:`mofglass.io._builtin`), and :func:`sniff` / :func:`read` dispatch by content first
and extension second. ``source`` is the path as the user gave it.

References
----------
.. [1] diffpy.structure, ``parsers/parser_index_mod.py`` (one index of format modules).
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import Any

from mofglass.errors import InputFormatError

__all__ = [
    "HEAD_BYTES",
    "REGISTRY",
    "ReaderSpec",
    "check_file",
    "read",
    "read_head",
    "readers",
    "register",
    "sniff",
]

#: Bytes given to ``sniff`` (zip archives: their member names, one per line).
HEAD_BYTES = 4096


@dataclass(frozen=True)
class ReaderSpec:
    """One registered file format.

    Attributes
    ----------
    name : str
        Unique key, ``"<technique>/<format>"`` (e.g. ``"pxrd/xrdml"``).
    technique : str
        The technique whose data the reader returns (``pxrd``, ``ftir``, ``dsc``, ...).
    extensions : tuple of str
        Lower-case extensions with the dot.
    sniff : callable
        ``sniff(head: bytes) -> bool`` on the first :data:`HEAD_BYTES` bytes.
    read : callable
        ``read(path) -> data object``; raises InputFormatError on bad input.
    parse : callable, optional
        ``parse(text, source) -> data object`` for text formats.
    description : str
        Human-readable name.
    """

    name: str
    technique: str
    extensions: tuple[str, ...]
    sniff: Callable[[bytes], bool]
    read: Callable[[Path], Any]
    parse: Callable[[str, str], Any] | None = None
    description: str = ""
    binary: bool = False

    def load(self, path: str | PathLike[str]) -> Any:
        """Read ``path`` with the common checks of every reader.

        An empty file, or NUL bytes in a text format, fail before the reader runs (at line 1,
        or the line of the first NUL byte). A reader's error about the file as a whole (no
        data block, too few rows, not a container) is given the position where the file
        ended: its last line for text formats, line 1 (the header) for binary formats.
        """
        data = check_file(path, binary=self.binary)
        try:
            return self.read(Path(path))
        except InputFormatError as exc:
            if exc.line is not None:
                raise
            line = 1 if self.binary else data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
            raise InputFormatError(
                exc.source, expected=exc.expected, got=exc.got, line=max(line, 1)
            ) from exc


def check_file(path: str | PathLike[str], *, binary: bool = False) -> bytes:
    """Return the file's bytes, after the checks every reader needs.

    Raises
    ------
    InputFormatError
        Unreadable, empty (``file:1``), or - for a text format - binary data (``file:N``,
        the line of the first NUL byte; UTF-16 text with a byte-order mark is text).
    """
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputFormatError(path, expected="a readable file", got=str(exc)) from None
    if not data.strip():
        raise InputFormatError(path, line=1, expected="data", got="an empty file")
    if not binary and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = data[:4096]
        nul = head.find(b"\x00")
        if nul >= 0 and head.count(b"\x00") <= len(head) // 4:
            raise InputFormatError(
                path, line=head[:nul].count(b"\n") + 1, expected="text", got="binary data"
            )
    return data


REGISTRY: dict[str, ReaderSpec] = {}


def register(spec: ReaderSpec) -> ReaderSpec:
    """Add (or replace) ``spec`` in :data:`REGISTRY`; returns it."""
    REGISTRY[spec.name] = spec
    return spec


def readers(technique: str | None = None) -> list[ReaderSpec]:
    """List the registered readers (all, or one technique's), loading the built-in ones."""
    from mofglass.io._builtin import load_builtin

    load_builtin()
    return [s for s in REGISTRY.values() if technique is None or s.technique == technique]


def read_head(path: str | PathLike[str]) -> bytes:
    """Return what ``sniff`` sees: the first bytes, or a zip archive's member names.

    Raises
    ------
    InputFormatError
        The file cannot be opened or is empty (``file:1``).
    """
    try:
        with open(path, "rb") as fh:
            head = fh.read(HEAD_BYTES)
    except OSError as exc:
        raise InputFormatError(path, expected="a readable file", got=str(exc)) from None
    if not head.strip():
        raise InputFormatError(path, line=1, expected="data", got="an empty file")
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(Path(path)) as z:
                return "\n".join(z.namelist()).encode()
        except (zipfile.BadZipFile, OSError, EOFError):
            return head
    return head


def sniff(path: str | PathLike[str], *, technique: str | None = None) -> ReaderSpec:
    """Find the reader for ``path``: content test first, the extension breaks ties.

    When no content test matches, a reader registered for the extension is returned, so that
    its own error message says what is wrong with the content.

    Raises
    ------
    InputFormatError
        Empty, unreadable, or no registered format matches (``file:1``).
    """
    head = read_head(path)
    ext = Path(path).suffix.lower()
    matches = [s for s in readers(technique) if _safe_sniff(s, head)]
    for s in matches:
        if ext in s.extensions:
            return s
    if matches:
        return matches[0]
    by_extension = [s for s in readers(technique) if ext in s.extensions]
    if by_extension:  # let the format's own reader say what is wrong with the content
        return by_extension[0]
    known = sorted({e for s in readers(technique) for e in s.extensions})
    raise InputFormatError(
        path,
        line=1,
        expected=f"a known {technique or 'data'} format ({', '.join(known)})",
        got=repr(head[:20]),
    )


def _safe_sniff(spec: ReaderSpec, head: bytes) -> bool:
    try:
        return bool(spec.sniff(head))
    except (UnicodeDecodeError, ValueError, IndexError):
        return False


def read(path: str | PathLike[str], *, technique: str | None = None, fmt: str = "auto") -> Any:
    """Read ``path`` with the registered reader ``fmt`` (a registry key) or the sniffed one."""
    if fmt == "auto":
        spec = sniff(path, technique=technique)
    else:
        readers(technique)
        if fmt not in REGISTRY:
            raise InputFormatError(path, expected=f"a reader in {sorted(REGISTRY)}", got=fmt)
        spec = REGISTRY[fmt]
    return spec.load(path)


def text_head(head: bytes) -> str:
    """``head`` as text for sniffing (empty for binary data)."""
    if b"\x00" in head[:1024] and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return ""
    for enc in ("utf-8-sig", "utf-16"):
        if enc == "utf-16" and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
            continue
        try:
            return head.decode(enc)
        except UnicodeDecodeError:
            pass
    return head.decode("cp1252", errors="replace")
