"""Bad inputs a user gives a command: each made from a real file of the right (or wrong) kind.

:func:`make_bad_input` writes one of :data:`BAD_INPUTS` into a folder and says where the error
must point (its line, when the damage is on one line) and whether a warning is an acceptable
answer (columns swapped: "a warning or an error").
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

__all__ = ["BAD_INPUTS", "TABLE_ONLY", "BadInput", "make_bad_input"]

BAD_INPUTS = (
    "missing",
    "directory",
    "empty",
    "random_bytes",
    "png",
    "truncated",
    "wrong_kind",
    "latin1_text",
    "text_cell",
    "nan_cell",
    "swapped_columns",
    "single_row",
)
#: inputs made by damaging a numeric text table (not applicable to binary or CIF inputs)
TABLE_ONLY = {"text_cell", "nan_cell", "swapped_columns", "single_row"}

PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x02"
_NUM = re.compile(rb"(?<![\w.])[-+]?(?:\d+[.,]\d*|[.,]\d+|\d+)(?:[eE][-+]?\d+)?(?![\w.])")


@dataclass(frozen=True)
class BadInput:
    """A bad input file: where it is, the line an error must name, whether a warning will do."""

    path: Path
    line: int | None = None
    warning_is_enough: bool = False


def _table_block(lines: list[bytes]) -> range:
    """The longest run of lines holding two numbers or more: the data table (0-based)."""
    best = range(0)
    start = None
    for i, ln in enumerate([*lines, b""]):
        numeric = len(_NUM.findall(ln)) >= 2
        if numeric and start is None:
            start = i
        elif not numeric and start is not None:
            if i - start > len(best):
                best = range(start, i)
            start = None
    return best


def _replace_cell(line: bytes, column: int, value: bytes) -> bytes:
    m = list(_NUM.finditer(line))[column]
    return line[: m.start()] + value + line[m.end() :]


def _swap(line: bytes, i: int, j: int) -> bytes:
    nums = list(_NUM.finditer(line))
    if len(nums) <= max(i, j):
        return line
    a, b = nums[i], nums[j]
    return line[: a.start()] + b.group(0) + line[a.end() : b.start()] + a.group(0) + line[b.end() :]


def make_bad_input(
    bad: str,
    folder: Path,
    *,
    real: Path | None,
    name: str,
    wrong: Path,
    swap: tuple[int, int] | None,
    rng: random.Random,
) -> BadInput:
    """Write the bad input ``bad`` into ``folder`` as ``name`` and describe it.

    ``real`` is a valid input of the command (None when it is not a file: the truncated and
    table inputs then do not apply).
    """
    path = folder / name
    data = real.read_bytes() if real is not None else b""
    lines = data.splitlines(keepends=True)
    block = _table_block(lines)
    if bad == "missing":
        return BadInput(folder / f"missing{path.suffix}")
    if bad == "directory":
        path.mkdir()
        return BadInput(path)
    if bad == "empty":
        path.write_bytes(b"")
    elif bad == "random_bytes":
        path.write_bytes(bytes(rng.randrange(256) for _ in range(2048)))
    elif bad == "png":
        path.write_bytes(PNG_HEADER + bytes(rng.randrange(256) for _ in range(512)))
    elif bad == "truncated":
        cut = int(0.4 * len(data))
        path.write_bytes(data[:cut])
        # cut between two rows, the file is a valid shorter one: a warning is all it can get
        return BadInput(path, warning_is_enough=data[cut : cut + 1] in (b"\r", b"\n"))
    elif bad == "wrong_kind":
        path.write_bytes(wrong.read_bytes())
    elif bad == "latin1_text":
        note = "Probe: µ-Kristall bei 25 °C\nDicke 3 µm, Temperatur 120 °C\nkeine Messdaten\n"
        path.write_bytes(note.encode("latin-1"))
    elif bad in ("text_cell", "nan_cell"):
        i = block[len(block) // 2]
        lines[i] = _replace_cell(lines[i], 1, b"abc" if bad == "text_cell" else b"NaN")
        path.write_bytes(b"".join(lines))
        return BadInput(path, line=i + 1)
    elif bad == "swapped_columns":
        assert swap is not None
        for i in block:
            lines[i] = _swap(lines[i], *swap)
        path.write_bytes(b"".join(lines))
        return BadInput(path, warning_is_enough=True)
    elif bad == "single_row":
        path.write_bytes(b"".join(lines[: block.start + 1]))
    else:  # pragma: no cover - a new name in BAD_INPUTS without its maker
        raise ValueError(bad)
    return BadInput(path)
