"""Moved to :mod:`mofglass.io.table` (the one numeric-table parser); re-exported here."""

from mofglass.io.table import Table, find_table, guess_separator, split_line

__all__ = ["Table", "find_table", "guess_separator", "split_line"]
