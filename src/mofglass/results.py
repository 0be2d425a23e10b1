"""Measured values and result dataclasses shared by every technique.

A :class:`Measured` is a value with its standard uncertainty and unit. Analysis functions return
frozen dataclasses deriving from :class:`Result`; these serialise to plain JSON types
(:meth:`Result.to_dict`), read back (:meth:`Result.from_dict`) and flatten to table rows
(:meth:`Result.rows`), one per :class:`Measured` field.
"""

from __future__ import annotations

import dataclasses
import math
import types
import typing
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Self

import numpy as np

from mofglass.units import check_unit

__all__ = ["Measured", "Result", "ResultRow", "format_value", "thin", "to_jsonable"]


@dataclass(frozen=True, slots=True)
class Measured:
    """A value with its standard uncertainty and unit, usable as a number.

    ``float(m)`` is the value; arithmetic with numbers and other ``Measured`` propagates the
    uncertainty by linear error propagation through the ``uncertainties`` package [1]_, keeping
    correlations between quantities derived from the same ones (``m - m`` is exactly 0);
    comparisons compare values (converting units); format specs work as for floats
    (``f"{m:.2f}"``) or, with ``u``, as in ``uncertainties`` (``f"{m:.2uP}"``). A value whose
    uncertainty is unknown (``stderr=None``) makes every result's uncertainty unknown.

    Parameters
    ----------
    value : float
        Best estimate.
    stderr : float or None
        Standard (1-sigma) uncertainty in the same unit; ``None`` when not known.
    unit : str
        Unit symbol, e.g. ``"°C"``, ``"kJ/mol"``, ``"nm"``; ``""`` for dimensionless. Must be a
        unit of :mod:`mofglass.units` (or a ``"·"`` product of them); others raise UnitError.

    Examples
    --------
    >>> m = Measured(47.3, 0.9, "nm")
    >>> str(m)
    '47.3(9) nm'
    >>> str(m * 2)
    '94.6(18) nm'
    >>> f"{m:.1f}", float(m), m.n, m.s
    ('47.3', 47.3, 47.3, 0.9)

    References
    ----------
    .. [1] E. O. Lebigot, uncertainties: a Python package for calculations with uncertainties,
       https://pythonhosted.org/uncertainties/ (first-order propagation, correlations kept).
    """

    value: float
    stderr: float | None = None
    unit: str = ""
    _ufloat: Any = dataclasses.field(default=None, compare=False, repr=False, hash=False)

    def __post_init__(self) -> None:
        check_unit(self.unit)
        object.__setattr__(self, "value", float(self.value))
        if self.stderr is not None:
            s = float(self.stderr)
            if s < 0 or math.isnan(s):
                raise ValueError(f"standard uncertainty must be >= 0, got {self.stderr}")
            object.__setattr__(self, "stderr", s)

    def __str__(self) -> str:
        text = format_value(self.value, self.stderr)
        return f"{text} {self.unit}".rstrip()

    # -- the number protocol -------------------------------------------------------------
    @property
    def n(self) -> float:
        """Nominal value (alias of ``value``, as in ``uncertainties``)."""
        return self.value

    @property
    def s(self) -> float:
        """Standard uncertainty (alias of ``stderr``; NaN when unknown)."""
        return math.nan if self.stderr is None else self.stderr

    def __float__(self) -> float:
        return self.value

    def to_ufloat(self) -> Any:
        """Return the value as an ``uncertainties`` number.

        A plain float when the uncertainty is 0 or unknown; the same object on every call, so
        correlations are kept.
        """
        if self._ufloat is not None:
            return self._ufloat
        if not self.stderr:  # unknown or exact: a plain number
            return self.value
        from uncertainties import ufloat

        u = ufloat(self.value, self.stderr)
        object.__setattr__(self, "_ufloat", u)  # one identity per value: A - A is exactly 0
        return u

    @classmethod
    def from_ufloat(cls, u: Any, unit: str = "", *, known: bool = True) -> Measured:
        """From an ``uncertainties`` number (its correlations are kept for further arithmetic)."""
        from uncertainties import UFloat

        if not isinstance(u, UFloat):
            return cls(float(u), 0.0 if known else None, unit)
        return cls(u.nominal_value, u.std_dev if known else None, unit, u)

    def _other(self, other: object) -> tuple[Any, bool] | None:
        """(ufloat in this unit, whether its uncertainty is known), or None if not a number."""
        if isinstance(other, Measured):
            o = other if other.unit == self.unit or not other.unit else other.to(self.unit)
            return o.to_ufloat(), o.stderr is not None
        if isinstance(other, int | float | np.integer | np.floating):
            return float(other), True
        return None

    def _combine(self, other: object, op: Any, unit: str) -> Measured:
        o = self._other(other)
        if o is None:
            return NotImplemented
        known = self.stderr is not None and o[1]
        return Measured.from_ufloat(op(self.to_ufloat(), o[0]), unit, known=known)

    def _product_unit(self, other: object, sep: str) -> str:
        ou = other.unit if isinstance(other, Measured) else ""
        if not ou:
            return self.unit
        if not self.unit:
            return ou if sep == "·" else f"1/{ou}"
        return f"{self.unit}{sep}{ou}"

    def __add__(self, other: object) -> Measured:
        return self._combine(other, lambda a, b: a + b, self.unit)

    __radd__ = __add__

    def __sub__(self, other: object) -> Measured:
        return self._combine(other, lambda a, b: a - b, self.unit)

    def __rsub__(self, other: object) -> Measured:
        return self._combine(other, lambda a, b: b - a, self.unit)

    def __mul__(self, other: object) -> Measured:
        if isinstance(other, Measured):
            known = self.stderr is not None and other.stderr is not None
            u = self.to_ufloat() * other.to_ufloat()
            return Measured.from_ufloat(u, self._product_unit(other, "·"), known=known)
        return self._combine(other, lambda a, b: a * b, self.unit)

    __rmul__ = __mul__

    def __truediv__(self, other: object) -> Measured:
        if isinstance(other, Measured):
            known = self.stderr is not None and other.stderr is not None
            same = other.unit == self.unit
            u = self.to_ufloat() / other.to_ufloat()
            unit = "" if same else self._product_unit(other, "/")
            return Measured.from_ufloat(u, unit, known=known)
        return self._combine(other, lambda a, b: a / b, self.unit)

    def __rtruediv__(self, other: object) -> Measured:
        unit = f"1/{self.unit}" if self.unit else ""
        return self._combine(other, lambda a, b: b / a, unit)

    def __pow__(self, exponent: float) -> Measured:
        if not isinstance(exponent, int | float):
            return NotImplemented
        unit = self.unit if not self.unit or exponent == 1 else f"({self.unit})^{exponent:g}"
        known = self.stderr is not None
        return Measured.from_ufloat(self.to_ufloat() ** exponent, unit, known=known)

    def __neg__(self) -> Measured:
        return Measured.from_ufloat(-self.to_ufloat(), self.unit, known=self.stderr is not None)

    def __pos__(self) -> Measured:
        return self

    def __abs__(self) -> Measured:
        return Measured.from_ufloat(abs(self.to_ufloat()), self.unit, known=self.stderr is not None)

    def _cmp_value(self, other: object) -> float | None:
        if isinstance(other, Measured):
            return (
                other.value
                if other.unit == self.unit or not other.unit
                else other.to(self.unit).value
            )
        if isinstance(other, int | float | np.integer | np.floating):
            return float(other)
        return None

    def __lt__(self, other: object) -> bool:
        v = self._cmp_value(other)
        return NotImplemented if v is None else self.value < v

    def __le__(self, other: object) -> bool:
        v = self._cmp_value(other)
        return NotImplemented if v is None else self.value <= v

    def __gt__(self, other: object) -> bool:
        v = self._cmp_value(other)
        return NotImplemented if v is None else self.value > v

    def __ge__(self, other: object) -> bool:
        v = self._cmp_value(other)
        return NotImplemented if v is None else self.value >= v

    def __format__(self, spec: str) -> str:
        if not spec:
            return str(self)
        if "u" in spec:  # uncertainties' format language: .2uP, .1u, ...
            text = format(self.to_ufloat(), spec)
            return f"{text} {self.unit}".rstrip()
        return format(self.value, spec)

    # ----------------------------------------------------------------------------------
    @property
    def relative_stderr(self) -> float | None:
        """Relative standard uncertainty (``stderr / |value|``), or None."""
        if self.stderr is None or self.value == 0:
            return None
        return self.stderr / abs(self.value)

    def to(self, unit: str) -> Measured:
        """Convert to another unit of the same dimension (see :mod:`mofglass.units`)."""
        from mofglass.units import convert, convert_difference

        value = convert(self.value, self.unit, unit)
        err = None if self.stderr is None else convert_difference(self.stderr, self.unit, unit)
        return Measured(value, err, unit)

    def to_dict(self) -> dict[str, Any]:
        """Return ``{value, stderr, unit}`` (plain JSON types)."""
        return {"value": self.value, "stderr": self.stderr, "unit": self.unit}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Measured:
        """Rebuild from :meth:`to_dict` output."""
        return cls(d["value"], d.get("stderr"), d.get("unit", ""))


def format_value(value: float, stderr: float | None, *, digits: int = 6) -> str:
    """Format ``value`` with its uncertainty in concise notation, ``47.3(9)``.

    The uncertainty is rounded to one significant digit, or two when its leading digit is 1
    (the IUCr "rule of 19": ``1611(2)``, ``0.160(12)``). Without an uncertainty, ``digits``
    significant digits are kept.
    """
    if not math.isfinite(value):
        return str(value)
    if stderr is None or stderr == 0 or not math.isfinite(stderr):
        return f"{value:.{digits}g}"
    if stderr < 1e-300:  # subnormal: 10**exponent would underflow to 0
        return f"{value:.{digits}g}({stderr:.1g})"
    exponent = math.floor(math.log10(stderr))
    lead = stderr / 10**exponent
    n_sig = 2 if lead < 2 else 1
    decimals = -(exponent - n_sig + 1)
    if decimals > 20:  # an uncertainty below 1e-20 (subnormal floats overflow 10**decimals)
        return f"{value:.{digits}g}({stderr:.1g})"
    if decimals <= 0:
        rounded_err = round(stderr, decimals)
        return f"{round(value, decimals):.0f}({rounded_err:.0f})"
    err_digits = round(stderr * 10**decimals)
    return f"{value:.{decimals}f}({err_digits})"


def to_jsonable(obj: Any) -> Any:
    """Convert results, numpy data and containers to plain JSON types."""
    if isinstance(obj, Measured | Result):
        return obj.to_dict()
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_jsonable(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, Mapping):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, float) and not math.isfinite(obj):
        return None if math.isnan(obj) else ("inf" if obj > 0 else "-inf")
    if hasattr(obj, "__fspath__"):
        return str(obj)
    return obj


@dataclass(frozen=True, slots=True)
class ResultRow:
    """One quantity of one sample, as it appears in ``results.csv``."""

    sample_id: str
    quantity: str
    value: float
    stderr: float | None
    unit: str
    technique: str
    method: str
    source: str

    CSV_HEADER: ClassVar[tuple[str, ...]] = (
        "sample_id",
        "quantity",
        "value",
        "stderr",
        "unit",
        "technique",
        "method",
        "source",
    )

    def as_tuple(self) -> tuple[Any, ...]:
        """Return the fields in :attr:`CSV_HEADER` order."""
        return tuple(getattr(self, k) for k in self.CSV_HEADER)

    def to_dict(self) -> dict[str, Any]:
        """Return the fields by :attr:`CSV_HEADER` name."""
        return dict(zip(self.CSV_HEADER, self.as_tuple(), strict=True))

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> ResultRow:
        """Rebuild a row from :meth:`to_dict` output."""
        return cls(**{k: d[k] for k in cls.CSV_HEADER})

    @property
    def measured(self) -> Measured:
        """Return the row's value, uncertainty and unit as a :class:`Measured`."""
        return Measured(self.value, self.stderr, self.unit)


@dataclass(frozen=True)
class Result:
    """Base of frozen result dataclasses.

    Subclasses set ``method`` (a short description with the reference) as a class attribute or
    field, and hold :class:`Measured` fields for their quantities.
    """

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON types; :meth:`from_dict` reads them back."""
        return {f.name: to_jsonable(getattr(self, f.name)) for f in dataclasses.fields(self)}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Self:
        """Rebuild a result from :meth:`to_dict` output, restoring nested types by annotation."""
        return _restore_dataclass(cls, d)

    def measured_items(self) -> Iterator[tuple[str, Measured]]:
        """(name, Measured) for every Measured field, in declaration order."""
        for f in dataclasses.fields(self):
            v = getattr(self, f.name)
            if isinstance(v, Measured):
                yield f.name, v

    def rows(self, *, sample_id: str, technique: str, source: str = "") -> list[ResultRow]:
        """Flatten to table rows: one per Measured field."""
        method = str(getattr(self, "method", ""))
        return [
            ResultRow(sample_id, name, m.value, m.stderr, m.unit, technique, method, source)
            for name, m in self.measured_items()
        ]

    def curves(self, max_points: int = 2000) -> dict[str, Any]:
        """Return the 1-D numeric array fields, thinned to at most ``max_points`` values, JSON-ready.

        Subclasses whose curves need pairing or labels override this; figures are built from
        these (or from :meth:`from_dict`), never from an untyped dict.
        """
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            v = getattr(self, f.name)
            if isinstance(v, np.ndarray) and v.ndim == 1 and v.size and v.dtype.kind in "fiu":
                out[f.name] = thin(v, max_points)
        return out

    def report(self) -> str:
        """Plain-text summary: the method and one line per Measured quantity."""
        lines = [type(self).__name__]
        method = str(getattr(self, "method", ""))
        if method:
            lines[0] += f" - {method}"
        lines += [f"  {name} = {m}" for name, m in self.measured_items()]
        return "\n".join(lines)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # the short repr below, not the field dump @dataclass would generate (it keeps a
        # __repr__ already in the class body); a subclass may still define its own
        if "__repr__" not in cls.__dict__:
            cls.__repr__ = Result.__repr__  # type: ignore[method-assign]

    #: Attribute paths of the quantities :meth:`headline` shows first (``[*]``: the first
    #: element for which the rest of the path exists), e.g. ``"segments[*].glass.midpoint_C"``.
    headline_paths: ClassVar[tuple[str, ...]] = ()

    def headline_values(self, limit: int = 4) -> list[tuple[str, Measured]]:
        """Return the first ``limit`` headline quantities as (name, Measured) pairs.

        ``headline_paths`` first, else the result's own Measured fields, else those of nested
        results (breadth-first, named by path: ``steps[0].dtg_peak_C``).
        """
        found = [(p.rsplit(".", 1)[-1], m) for p in self.headline_paths if (m := _at(self, p))]
        queue: list[tuple[str, Any]] = [("", self)]
        while queue and len(found) < limit:
            prefix, obj = queue.pop(0)
            for f in dataclasses.fields(obj):
                v = getattr(obj, f.name)
                name = f"{prefix}{f.name}"
                if isinstance(v, Measured):
                    found.append((name, v))
                elif isinstance(v, Result):
                    queue.append((f"{name}.", v))
                elif isinstance(v, tuple | list) and v and isinstance(v[0], Result):
                    queue += [(f"{name}[{i}].", r) for i, r in enumerate(v[:3])]
        return found[:limit]

    def __repr__(self) -> str:
        """One line: the type, up to four headline quantities with units, the counts of parts."""
        parts = [f"{name}={m}" for name, m in self.headline_values()]
        for f in dataclasses.fields(self):
            v = getattr(self, f.name)
            if isinstance(v, tuple | list) and v and isinstance(v[0], Result):
                parts.append(f"{len(v)} {f.name}")
        text = f"{type(self).__name__}({', '.join(parts)})"
        return text if len(text) <= 300 else text[:298] + "…)"

    def plot(self, ax: Any = None, **data: Any) -> Any:
        """Draw the result's main curve on ``ax`` (a new figure if None); return the Axes.

        ``data`` passes what the result does not keep (``trace=`` for DSC and TGA). See
        :mod:`mofglass.plotting.results` (imported here, so analysis stays free of matplotlib
        until a plot is asked for).
        """
        from mofglass.plotting.results import plot_result

        return plot_result(self, ax, **data)

    def _repr_html_(self) -> str:
        """HTML table of the headline quantities, up to 40 (Jupyter)."""
        from html import escape

        body = "".join(
            f"<tr><td>{escape(name)}</td><td>{escape(format_value(m.value, m.stderr))}</td>"
            f"<td>{escape(m.unit)}</td></tr>"
            for name, m in self.headline_values(limit=40)
        )
        method = escape(str(getattr(self, "method", "")))
        return (
            f"<table><caption>{escape(type(self).__name__)}"
            f"{' - ' + method if method else ''}</caption>"
            f"<tr><th>quantity</th><th>value</th><th>unit</th></tr>{body}</table>"
        )


def _at(obj: Any, path: str) -> Measured | None:
    """Return the Measured at an attribute path (``a[*].b``, ``a[0].b``), None if missing."""
    head, _, rest = path.partition(".")
    name, _, index = head.partition("[")
    value = getattr(obj, name, None)
    if index:
        items = list(value or ())
        if index != "*]":
            items = items[int(index[:-1]) : int(index[:-1]) + 1]
        for item in items:
            found = _at(item, rest) if rest else item
            if isinstance(found, Measured):
                return found
        return None
    if rest:
        return None if value is None else _at(value, rest)
    return value if isinstance(value, Measured) else None


def thin_step(size: int, max_points: int) -> int:
    """Return the step k = ceil(size / max_points) (at least 1) keeping <= ``max_points`` values.

    Examples
    --------
    >>> thin_step(5000, 2000), thin_step(10, 2000)
    (3, 1)
    """
    return max(1, int(np.ceil(size / max(1, max_points))))


def thin(values: np.ndarray, max_points: int = 2000, *, decimals: int | None = 6) -> list[float]:
    """Every k-th value (k from :func:`thin_step`) as floats, rounded to ``decimals`` (None: as is).

    Examples
    --------
    >>> thin([0.1234567, 1.0, 2.0, 3.0], 2), thin([0.1234567, 1.0], 2, decimals=None)
    ([0.123457, 2.0], [0.1234567, 1.0])
    """
    a = np.asarray(values, dtype=float)
    kept = a[:: thin_step(a.size, max_points)]
    if decimals is None:
        return [float(v) for v in kept]
    return [round(float(v), decimals) for v in kept]


def _restore_dataclass(cls: Any, d: Mapping[str, Any]) -> Any:
    """Build dataclass ``cls`` from a :meth:`Result.to_dict`-style mapping, field by field."""
    hints = typing.get_type_hints(cls)
    kwargs = {}
    for f in dataclasses.fields(cls):
        if f.init and f.name in d:
            kwargs[f.name] = _restore(hints.get(f.name, Any), d[f.name])
    return cls(**kwargs)


def _restore_key(tp: Any, key: Any) -> Any:
    """Return a JSON object key (always a string) as the dict's key type (int, float)."""
    if tp in (int, float) and isinstance(key, str):
        return tp(key)
    return key


def _restore(tp: Any, value: Any) -> Any:
    if tp is float and (value is None or isinstance(value, str)):
        return math.nan if value is None else float(value)  # to_jsonable's NaN and "inf"
    if value is None:
        return None
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        non_none = [a for a in args if a is not type(None)]
        for a in non_none:
            try:
                return _restore(a, value)
            except (TypeError, KeyError, ValueError):
                continue
        return value
    if tp is Measured:
        return Measured.from_dict(value)
    if isinstance(tp, type) and issubclass(tp, Result):
        return tp.from_dict(value)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp) and isinstance(value, Mapping):
        try:  # a plain frozen dataclass inside a result (a cell, a radiation, a profile)
            return _restore_dataclass(tp, value)
        except TypeError:  # not built from its fields alone: keep the plain dict
            return value
    if tp is np.ndarray or origin is np.ndarray:
        a = np.asarray(value)  # integer and boolean arrays (hkl, masks) keep their kind
        return a if a.dtype.kind in "biuf" else np.asarray(value, dtype=float)
    return _restore_container(origin, args, value)


def _restore_container(origin: Any, args: tuple[Any, ...], value: Any) -> Any:
    """Rebuild a tuple, list or dict field item by item; any other value as it is."""
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_restore(args[0], v) for v in value)
        if args:
            return tuple(_restore(a, v) for a, v in zip(args, value, strict=False))
        return tuple(value)
    if origin is list:
        return [_restore(args[0] if args else Any, v) for v in value]
    if origin is dict:
        kt, vt = args if len(args) == 2 else (Any, Any)
        return {_restore_key(kt, k): _restore(vt, v) for k, v in value.items()}
    return value
