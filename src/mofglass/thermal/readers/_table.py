"""The numeric-table parser of :mod:`mofglass.io.table`, with a check for mangled numbers.

Numbers written with several digit-group marks (``50.026.184`` beside ``5.002.491`` in one
column: a spreadsheet's locale conversion that dropped the decimal point and trailing zeros)
are refused with that reason, since their magnitude cannot be recovered (50.02491 and 5.002491
look alike).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from mofglass.errors import InputFormatError
from mofglass.io.table import Table, guess_separator, split_line
from mofglass.io.table import find_table as _find_table

__all__ = ["Table", "find_table", "guess_separator", "split_line"]

_DIGIT_GROUPS = re.compile(r"^[-+]?\d{1,3}(\.\d{3}){2,}$")


def find_table(lines: Sequence[str], source: str, **kwargs: Any) -> Table:
    """:func:`mofglass.io.table.find_table`, naming digit-group-mangled numbers as such."""
    try:
        return _find_table(lines, source, **kwargs)
    except InputFormatError as exc:
        if exc.got is not None and _DIGIT_GROUPS.match(exc.got):
            raise InputFormatError(
                source,
                line=exc.line,
                column=exc.column,
                expected="numbers with one decimal mark, not digit groups (a spreadsheet "
                "locale conversion: the magnitude is lost)",
                got=exc.got,
            ) from exc
        raise
