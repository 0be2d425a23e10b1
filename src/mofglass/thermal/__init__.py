"""Thermal analysis (DSC, DTA, TG): readers, segments, events, glass transition, kinetics."""

from mofglass.thermal.readers import read_thermogram
from mofglass.thermal.thermogram import Thermogram

__all__ = ["Thermogram", "read_thermogram"]
