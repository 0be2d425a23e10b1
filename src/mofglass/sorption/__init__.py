"""Gas physisorption: isotherm readers and characterisation through pyGAPS.

Readers: AIF, pyGAPS JSON, BEL, Quantachrome, Micromeritics (via pyGAPS); characterisation:
BET with the Rouquerol criteria, pore volumes, t-plot, DR.

>>> from mofglass.sorption import read_isotherm, analyse_isotherm   # doctest: +SKIP
>>> res = analyse_isotherm(read_isotherm("UiO-66 N2 77K.json"))     # doctest: +SKIP
>>> res.bet.area_m2_g, res.bet.range_p_p0, res.bet.criteria         # doctest: +SKIP
"""

from mofglass.sorption.analysis import BETResult, SorptionAnalysis, analyse_isotherm, bet_area
from mofglass.sorption.isotherm import Isotherm
from mofglass.sorption.readers import read_isotherm, sniff_format

__all__ = [
    "BETResult",
    "Isotherm",
    "SorptionAnalysis",
    "analyse_isotherm",
    "bet_area",
    "read_isotherm",
    "sniff_format",
]
