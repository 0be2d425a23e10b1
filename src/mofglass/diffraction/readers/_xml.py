"""XML helpers for the vendor readers: parse with positions in errors, namespace-free lookups."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from mofglass.errors import InputFormatError

__all__ = ["find", "findall", "local", "parse_xml", "text_of"]


def parse_xml(data: bytes, source: str) -> ET.Element:
    """Parse XML bytes; a syntax error becomes InputFormatError with its line and column."""
    try:
        return ET.fromstring(data)
    except ET.ParseError as exc:
        line, col = exc.position
        raise InputFormatError(
            source, line=line, column=col + 1, expected="well-formed XML", got=str(exc)
        ) from None


def local(tag: str) -> str:
    """Tag name without its ``{namespace}``."""
    return tag.rsplit("}", 1)[-1]


def findall(elem: ET.Element, name: str) -> list[ET.Element]:
    """All descendants whose local tag is ``name`` (document order)."""
    return [e for e in elem.iter() if local(e.tag) == name]


def find(elem: ET.Element, name: str) -> ET.Element | None:
    """First descendant whose local tag is ``name``."""
    for e in elem.iter():
        if local(e.tag) == name:
            return e
    return None


def text_of(elem: ET.Element | None) -> str | None:
    """Return the stripped text of an element, or None."""
    if elem is None or elem.text is None:
        return None
    return elem.text.strip()


def float_or_none(value: str | None) -> float | None:
    """``float(value)``, or None when missing or not a number."""
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        return None
