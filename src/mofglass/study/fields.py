"""Pydantic field types for quantities with units in manifests (``mass = "8.1 mg"``)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator

from mofglass.errors import UnitError
from mofglass.units import parse_quantity

__all__ = ["quantity"]


def quantity(dimension: str, unit: str, *, bare_number_ok: bool = False) -> Any:
    """Return an annotated float type that accepts ``"8.1 mg"`` and stores it in ``unit``.

    Parameters
    ----------
    dimension : str
        Required dimension (see :func:`mofglass.units.dimension_of`).
    unit : str
        Unit the value is converted to.
    bare_number_ok : bool
        Accept a bare number as already being in ``unit``.

    Examples
    --------
    >>> from pydantic import BaseModel
    >>> class Opts(BaseModel):
    ...     mass_mg: quantity("mass", "mg") = None
    >>> Opts(mass_mg="0.0081 g").mass_mg
    8.1
    """

    def _parse(v: Any) -> Any:
        if v is None:
            return None
        try:
            q = parse_quantity(
                v, dimension=dimension, default_unit=unit if bare_number_ok else None
            )
        except UnitError as exc:
            raise ValueError(str(exc)) from None
        return round(q.to(unit), 12)

    return Annotated[float, BeforeValidator(_parse)]
