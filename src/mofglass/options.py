"""One set of value rules for command-line options and manifest values.

Every number a user types - ``--step 0.02`` on the command line or ``threshold_percent = 5`` in
a manifest - passes the same pydantic-checked rule chosen by its name: finite always, and a
range for the quantities that have one (steps, wavelengths, r and Q limits, masses and sizes
are positive; 2θ lies in [0, 180]°; bond tolerances are at most 2 Å; percentages in (0, 100);
``(low, high)`` windows are finite and ordered). A value outside its rule raises
:class:`~mofglass.errors.OptionError` naming the option and what was expected, before any work.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import Field, TypeAdapter, ValidationError

from mofglass.errors import OptionError

__all__ = ["check_option", "check_options", "rule_for"]

_Finite = Annotated[float, Field(allow_inf_nan=False)]
_Positive = Annotated[float, Field(gt=0, allow_inf_nan=False)]
_NonNegative = Annotated[float, Field(ge=0, allow_inf_nan=False)]
_TwoTheta = Annotated[float, Field(ge=0, le=180, allow_inf_nan=False)]
_Tolerance = Annotated[float, Field(gt=0, le=2.0, allow_inf_nan=False)]
_Percent = Annotated[float, Field(gt=0, lt=100, allow_inf_nan=False)]
_Fraction = Annotated[float, Field(gt=0, lt=1, allow_inf_nan=False)]
_Poisson = Annotated[float, Field(gt=-1, lt=0.5, allow_inf_nan=False)]
_Wavelength = Annotated[float, Field(gt=0, le=20, allow_inf_nan=False)]

# (name pattern, type, what the user reads); the first match wins; names are normalised to
# lower case with "-" -> "_" and leading dashes removed.
_RULES: list[tuple[re.Pattern[str], Any, str]] = [
    (re.compile(r"wavelength"), _Wavelength, "a wavelength in (0, 20] Å"),
    (re.compile(r"tolerance"), _Tolerance, "a tolerance in (0, 2] Å"),
    (re.compile(r"poisson|^nu$"), _Poisson, "a Poisson ratio in (-1, 0.5)"),
    (re.compile(r"(^|_)tol$"), _Fraction, "a relative tolerance in (0, 1)"),
    (re.compile(r"two_theta|2theta|tth"), _TwoTheta, "an angle 2θ in [0, 180]°"),
    (re.compile(r"percent"), _Percent, "a percentage in (0, 100)"),
    (re.compile(r"(^|_)step|step($|_)"), _Positive, "a positive step"),
    (re.compile(r"^(r|q)_?max|rmax|qmax"), _Positive, "a positive limit"),
    (re.compile(r"^(r|q)_?min|rmin|qmin"), _NonNegative, "a limit >= 0"),
    (
        re.compile(r"mass|size|fringe|density|rate|scale_?factor|^k_factor"),
        _Positive,
        "a positive number",
    ),
    (
        re.compile(r"strain|qdamp|q_damp|uiso|^w$|background_scale|min_snr"),
        _NonNegative,
        "a number >= 0",
    ),
]
# options whose name alone is ambiguous: (command, option name) -> rule
_OVERRIDES: dict[tuple[str, str], tuple[Any, str]] = {
    ("predict", "threshold"): (_Fraction, "a crystallised fraction in (0, 1)"),
    ("tga", "threshold"): (_Percent, "a mass loss in (0, 100) %"),
}
_ABSURD = 1e100
_ADAPTERS: dict[int, TypeAdapter[Any]] = {}


def _norm(name: str) -> str:
    return name.lstrip("-").replace("-", "_").lower()


def rule_for(name: str, *, command: str = "") -> tuple[Any, str]:
    """Return the (type, description) rule a numeric option of this name follows."""
    key = _norm(name)
    if (command, key) in _OVERRIDES:
        return _OVERRIDES[(command, key)]
    for pattern, typ, what in _RULES:
        if pattern.search(key):
            return typ, what
    return _Finite, "a finite number"


def _adapter(typ: Any) -> TypeAdapter[Any]:
    ad = _ADAPTERS.get(id(typ))
    if ad is None:
        ad = _ADAPTERS[id(typ)] = TypeAdapter(typ)
    return ad


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def check_option(name: str, value: Any, *, command: str = "", shown: str | None = None) -> None:
    """Validate one option value by its name's rule; raise OptionError if it breaks it.

    Numbers, lists of numbers (each checked) and ``(low, high)`` windows (names containing
    ``range`` or ``window``: finite and ordered) are checked; anything else passes.
    """
    label = shown or name
    if value is None:
        return
    key = _norm(name)
    if isinstance(value, str) and "mass" in key:
        from mofglass.errors import UnitError
        from mofglass.units import parse_quantity

        try:
            q = parse_quantity(value, dimension="mass", default_unit="mg")
        except (UnitError, KeyError):
            raise OptionError(label, expected="a mass such as '8.1 mg'", got=value) from None
        _check_number(key, q.to("mg"), command, label)
        return
    if isinstance(value, list | tuple) and value and all(_is_number(v) for v in value):
        if ("range" in key or "window" in key) and len(value) == 2:
            lo, hi = (float(v) for v in value)
            if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
                raise OptionError(
                    label, expected="a finite window (low, high) with low < high", got=list(value)
                )
            for v in value:
                _check_number(key, v, command, label)
            return
        for v in value:
            _check_number(key, v, command, label)
        return
    if _is_number(value):
        _check_number(key, value, command, label)


def _check_number(key: str, value: Any, command: str, label: str) -> None:
    typ, what = rule_for(key, command=command)
    if math.isfinite(float(value)) and abs(float(value)) > _ABSURD:
        raise OptionError(
            label,
            expected=what.replace("a finite number", "a number")
            + " of sensible size (|x| < 1e100)",
            got=value,
        )
    try:
        _adapter(typ).validate_python(value)
    except ValidationError:
        raise OptionError(label, expected=what, got=value) from None


def check_options(
    values: Mapping[str, Any], *, command: str = "", shown: Mapping[str, str] | None = None
) -> None:
    """Validate every value of a mapping, then the order of ``*_min``/``*_max`` pairs.

    The mapping holds CLI keyword arguments or a manifest entry.
    """
    shown = shown or {}
    for name, value in values.items():
        check_option(name, value, command=command, shown=shown.get(name))
    for name, value in values.items():
        key = _norm(name)
        for lo_s, hi_s in (("_min", "_max"), ("min_", "max_"), ("min", "max")):
            if lo_s in key:
                partner = next((n for n in values if _norm(n) == key.replace(lo_s, hi_s, 1)), None)
                hi = values.get(partner) if partner else None
                if _is_number(value) and _is_number(hi) and not value < hi:
                    a = shown.get(name, name)
                    b = shown.get(partner, partner) if partner else ""
                    raise OptionError(a, expected=f"a value below {b} ({hi})", got=value)
                break
