"""The Oliver-Pharr option set shared by every analysis of an indent (tip, ε, β, frame).

One frozen, keyword-only :class:`OliverPharrOptions` travels through
:func:`~mofglass.mechanics.oliver_pharr.oliver_pharr`,
:func:`~mofglass.mechanics.csm.csm_profile`,
:func:`~mofglass.mechanics.calibration.calibrate_on_reference` and
:func:`~mofglass.mechanics.analysis.analyse_indentations`. Those functions still take the four
options as keywords (``epsilon=0.75`` ...) for convenience; the keywords override ``options``.

>>> from mofglass.mechanics.options import OliverPharrOptions
>>> opts = OliverPharrOptions.resolve(OliverPharrOptions(beta=1.034), {"epsilon": 0.72})
>>> opts.epsilon, opts.beta, opts.compliance_nm_mN
(0.72, 1.034, 0.0)

References
----------
.. [1] W. C. Oliver, G. M. Pharr, J. Mater. Res. 7 (1992) 1564; 19 (2004) 3 (ε, β).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any, TypedDict

from mofglass.mechanics.area import AreaFunction

__all__ = ["OliverPharrKeywords", "OliverPharrOptions"]


class OliverPharrKeywords(TypedDict, total=False):
    """The options of :class:`OliverPharrOptions` given as keywords (all optional)."""

    area: AreaFunction | None
    epsilon: float
    beta: float
    frame_compliance_nm_mN: float | None


@dataclass(frozen=True, kw_only=True)
class OliverPharrOptions:
    """Tip area function, Oliver-Pharr constants and load-frame compliance.

    Parameters
    ----------
    area : AreaFunction, optional
        Tip area function Ac(hc) in nm²; None: the file's (:func:`analyse_indentations`) or
        the ideal Berkovich Ac = 24.5 hc².
    epsilon : float
        Geometry constant of hc = hmax - εPmax/S (0.75 for Berkovich) [1]_.
    beta : float
        Shape correction in Er = √π S/(2β√Ac); 1.0 as vendor software, 1.034 per [1]_.
    frame_compliance_nm_mN : float, optional
        Load-frame compliance Cf in nm/mN (depth h - Cf·P, stiffness 1/S = 1/S_meas - Cf);
        None: not given (0 for one indent, the file's in :func:`analyse_indentations`).
    """

    area: AreaFunction | None = None
    epsilon: float = 0.75
    beta: float = 1.0
    frame_compliance_nm_mN: float | None = None

    @property
    def tip(self) -> AreaFunction:
        """Return the tip area function (the ideal Berkovich when none was given)."""
        return self.area or AreaFunction.berkovich()

    @property
    def compliance_nm_mN(self) -> float:
        """Return the frame compliance in nm/mN (0 when none was given)."""
        return self.frame_compliance_nm_mN or 0.0

    @classmethod
    def resolve(
        cls, options: OliverPharrOptions | None, keywords: Mapping[str, Any]
    ) -> OliverPharrOptions:
        """Return ``options`` (default: all defaults) with the convenience ``keywords`` applied.

        Parameters
        ----------
        options : OliverPharrOptions, optional
            The option set passed through.
        keywords : mapping
            Any of ``area``, ``epsilon``, ``beta``, ``frame_compliance_nm_mN``; they override
            ``options``.

        Raises
        ------
        TypeError
            A keyword that is not an Oliver-Pharr option.
        """
        names = {f.name for f in fields(cls)}
        unknown = sorted(set(keywords) - names)
        if unknown:
            raise TypeError(f"unexpected keyword argument(s): {', '.join(unknown)}")
        base = options if options is not None else cls()
        return replace(base, **keywords) if keywords else base
