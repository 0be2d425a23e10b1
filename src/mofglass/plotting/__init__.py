"""Figures (matplotlib ``Figure`` objects) built from results; never computes a result."""
