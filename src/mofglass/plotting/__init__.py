"""Figures. Plotting functions take results or arrays, never files, and compute no results.

They build :class:`matplotlib.figure.Figure` objects directly (no pyplot state), in the house
style of :mod:`mofglass.plotting.style`.
"""
