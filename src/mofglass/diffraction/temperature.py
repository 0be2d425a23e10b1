"""The sample temperature of a powder pattern, from its file: header, metadata, else its name.

Where it is looked for, in order:

1. reader metadata keys that name a temperature (``temperature``, ``temp_K``,
   ``sample_temperature``; not Bruker's ``temp_rate`` / ``temp_delay``), with the unit from
   the key or the value (``K``, ``C``, ``°C``);
2. header and comment lines kept by the readers (GSAS ``.fxye``/``.gsa`` comment lines, as the
   11-BM ``# Temp (K) = 100.0``; ``#`` lines of ``.xy``/``.xye``; XRDML comments):
   ``temp[erature] [(unit)] = value [unit]``;
3. the file name (``sample_373K.xy``, ``run-25C.xye``, ``T=300K``): a number directly followed
   by ``K`` or ``C``/``degC``; a warning says so, as a name is weak evidence.

A value without a unit is not guessed. Temperatures are returned in kelvin
(``T/K = t/°C + 273.15``, ITS-90).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mofglass.units import celsius_to_kelvin

__all__ = ["PatternTemperature", "pattern_temperature"]

_NUM = r"([-+]?\d+(?:\.\d*)?)"
_UNIT = r"(K|°C|ºC|degC|deg\.?\s*C|C)"
_LINE = re.compile(
    rf"\btemp(?:erature)?\b[^=:\d\n]{{0,20}}?(?:\(\s*{_UNIT}\s*\))?\s*[=:]\s*{_NUM}\s*{_UNIT}?",
    re.IGNORECASE,
)
_NAME = re.compile(rf"(?<![\d.]){_NUM}\s*_?(K|degC|C)(?![A-Za-z])")
_SKIP_KEYS = ("rate", "delay", "ramp", "step")


@dataclass(frozen=True)
class PatternTemperature:
    """A temperature found for a pattern (kelvin), where it came from, and a warning if weak."""

    temperature_K: float
    origin: str
    warning: str = ""


def _kelvin(value: float, unit: str) -> float | None:
    u = unit.strip().lower().replace(" ", "")
    if u == "k":
        return value if value > 0 else None
    if u in ("c", "°c", "ºc", "degc", "deg.c"):
        k = float(celsius_to_kelvin(value))
        return k if k > 0 else None
    return None


def _from_keys(metadata: Mapping[str, Any]) -> PatternTemperature | None:
    for key, val in metadata.items():
        low = key.lower()
        if "temp" not in low or any(s in low for s in _SKIP_KEYS):
            continue
        m = re.fullmatch(rf"\s*{_NUM}\s*{_UNIT}?\s*", str(val), re.IGNORECASE)
        if m is None:
            continue
        unit = m.group(2) or next(
            (
                u
                for u, tags in (("K", ("_k", "(k)", "kelvin")), ("C", ("_c", "(c)", "celsius")))
                if any(low.endswith(t) or t in low for t in tags)
            ),
            "",
        )
        k = _kelvin(float(m.group(1)), unit)
        if k is not None:
            return PatternTemperature(k, f"metadata {key!r} = {val}")
    return None


def _lines(metadata: Mapping[str, Any]) -> Iterable[str]:
    for key in ("header", "comments", "comment", "title"):
        val = metadata.get(key)
        if isinstance(val, str):
            yield from val.splitlines()
        elif isinstance(val, (list, tuple)):
            yield from (str(v) for v in val)


def _from_lines(metadata: Mapping[str, Any]) -> PatternTemperature | None:
    for line in _lines(metadata):
        for m in _LINE.finditer(line):
            unit = m.group(1) or m.group(3) or ""
            k = _kelvin(float(m.group(2)), unit)
            if k is not None:
                return PatternTemperature(k, f"file header: {line.strip()[:60]!r}")
    return None


def _from_name(name: str) -> PatternTemperature | None:
    stem = Path(name).name
    for m in _NAME.finditer(stem):
        k = _kelvin(float(m.group(1)), m.group(2))
        if k is not None:
            return PatternTemperature(
                k,
                f"file name {stem!r}",
                f"{stem}: temperature {m.group(1)} {m.group(2)} taken from the file name "
                "(the file states none)",
            )
    return None


def pattern_temperature(metadata: Mapping[str, Any], source: str = "") -> PatternTemperature | None:
    """Return the sample temperature of a pattern, or None when neither file nor name states it.

    Parameters
    ----------
    metadata : mapping
        :attr:`Pattern.metadata <mofglass.diffraction.pattern.Pattern.metadata>`.
    source : str
        The file name (used last, with a warning).

    Returns
    -------
    PatternTemperature or None
        Temperature in K, its origin and (for a file name) a warning.

    Examples
    --------
    >>> pattern_temperature({"header": ["# Temp (K) =   100.0"]}).temperature_K
    100.0
    >>> round(pattern_temperature({}, "scan_25C.xye").temperature_K, 2)
    298.15
    >>> pattern_temperature({"temp_rate": "-1.0"}, "scan.xy") is None
    True
    """
    return _from_keys(metadata) or _from_lines(metadata) or _from_name(source)
