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
    """A value with its standard uncertainty and unit.

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
    >>> str(Measured(47.3, 0.9, "nm"))
    '47.3(9) nm'
    """

    value: float
    stderr: float | None = None
    unit: str = ""

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
        return {"value": self.value, "stderr": self.stderr, "unit": self.unit}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Measured:
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
        return tuple(getattr(self, k) for k in self.CSV_HEADER)

    def to_dict(self) -> dict[str, Any]:
        return dict(zip(self.CSV_HEADER, self.as_tuple(), strict=True))

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> ResultRow:
        return cls(**{k: d[k] for k in cls.CSV_HEADER})

    @property
    def measured(self) -> Measured:
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
        hints = typing.get_type_hints(cls)
        kwargs = {}
        for f in dataclasses.fields(cls):
            if f.name in d:
                kwargs[f.name] = _restore(hints.get(f.name, Any), d[f.name])
        return cls(**kwargs)

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
        """The 1-D numeric array fields, thinned to at most ``max_points`` values, JSON-ready.

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

    def _repr_html_(self) -> str:
        """HTML table of the Measured quantities (Jupyter)."""
        from html import escape

        body = "".join(
            f"<tr><td>{escape(name)}</td><td>{escape(format_value(m.value, m.stderr))}</td>"
            f"<td>{escape(m.unit)}</td></tr>"
            for name, m in self.measured_items()
        )
        method = escape(str(getattr(self, "method", "")))
        return (
            f"<table><caption>{escape(type(self).__name__)}"
            f"{' - ' + method if method else ''}</caption>"
            f"<tr><th>quantity</th><th>value</th><th>unit</th></tr>{body}</table>"
        )


def thin(values: np.ndarray, max_points: int = 2000) -> list[float]:
    """Every k-th value (k = ceil(n / max_points)), rounded to 6 decimals, as floats."""
    a = np.asarray(values, dtype=float)
    step = max(1, int(np.ceil(a.size / max(1, max_points))))
    return [round(float(v), 6) for v in a[::step]]


def _restore(tp: Any, value: Any) -> Any:
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
    if tp is np.ndarray or origin is np.ndarray:
        return np.asarray(value, dtype=float)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_restore(args[0], v) for v in value)
        if args:
            return tuple(_restore(a, v) for a, v in zip(args, value, strict=False))
        return tuple(value)
    if origin is list:
        return [_restore(args[0] if args else Any, v) for v in value]
    if origin is dict:
        vt = args[1] if len(args) == 2 else Any
        return {k: _restore(vt, v) for k, v in value.items()}
    return value
