"""The mofglass exception family.

Every error a user can cause by their input is a :class:`MofglassError`. The CLI prints such an
error as one line on stderr and exits with code 2; anything else is an internal error (exit 1).
"""

from __future__ import annotations

import functools
import pickle
import struct
import zipfile
import zlib
from collections.abc import Callable
from os import PathLike
from pathlib import Path
from typing import Any, TypeVar
from xml.etree.ElementTree import ParseError

F = TypeVar("F", bound=Callable[..., Any])

__all__ = [
    "AnalysisError",
    "DataWarning",
    "InputFormatError",
    "ManifestError",
    "MofglassError",
    "OptionError",
    "OutputError",
    "UnitError",
    "reader_boundary",
]


class MofglassError(Exception):
    """Base class of every error caused by the user's input or request."""


class InputFormatError(MofglassError, ValueError):
    """A file (or string) could not be read as the expected format.

    The message reads ``source:line:column: expected X, got Y`` so that an editor can jump to it.

    Parameters
    ----------
    source : str or path-like
        File name (or a description such as ``"<string>"``).
    line, column : int, optional
        1-based position of the problem.
    expected : str
        What the reader expected to find.
    got : str, optional
        What it found instead (shortened).
    """

    def __init__(
        self,
        source: str | PathLike[str],
        *,
        expected: str,
        got: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.source = str(source)
        self.line = line
        self.column = column
        self.expected = expected
        self.got = got
        where = self.source
        if line is not None:
            where += f":{line}"
            if column is not None:
                where += f":{column}"
        msg = f"{where}: expected {expected}"
        if got is not None:
            shown = got if len(got) <= 60 else got[:57] + "..."
            msg += f", got {shown!r}"
        super().__init__(msg)

    def __reduce__(self) -> tuple[object, ...]:  # picklable across Dask workers
        return (
            _rebuild_input_error,
            (self.source, self.expected, self.got, self.line, self.column),
        )


def _rebuild_input_error(
    source: str, expected: str, got: str | None, line: int | None, column: int | None
) -> InputFormatError:
    return InputFormatError(source, expected=expected, got=got, line=line, column=column)


class ManifestError(MofglassError):
    """A study manifest is invalid (unknown key, missing file, duplicate sample, ...)."""

    def __init__(self, manifest: str | Path, message: str, *, line: int | None = None) -> None:
        self.manifest = str(manifest)
        self.message = message
        self.line = line
        where = self.manifest if line is None else f"{self.manifest}:{line}"
        super().__init__(f"{where}: {message}")

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild_manifest_error, (self.manifest, self.message, self.line))


def _rebuild_manifest_error(manifest: str, message: str, line: int | None) -> ManifestError:
    return ManifestError(manifest, message, line=line)


class UnitError(MofglassError, ValueError):
    """A quantity has a unit that is unknown or of the wrong dimension."""


class AnalysisError(MofglassError):
    """An analysis cannot be carried out on valid input (e.g. no peak in the window)."""


class OptionError(MofglassError, ValueError):
    """A command-line option or a manifest value is out of its allowed range or malformed.

    The message reads ``--option: expected X, got Y``.
    """

    def __init__(self, option: str, *, expected: str, got: object = None) -> None:
        self.option = option
        self.expected = expected
        self.got = got
        msg = f"{option}: expected {expected}"
        if got is not None:
            msg += f", got {got!r}"
        super().__init__(msg)

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild_option_error, (self.option, self.expected, self.got))


def _rebuild_option_error(option: str, expected: str, got: object) -> OptionError:
    return OptionError(option, expected=expected, got=got)


class OutputError(MofglassError):
    """An output path cannot be used: an input, a file mofglass did not write, or unwritable.

    Raised before any analysis runs, so nothing is lost and no time is wasted.
    """


class DataWarning(UserWarning):
    """Input data that can be analysed but look suspicious (units, columns, ranges).

    Readers and analyses emit it with :func:`warnings.warn`; the CLI prints each one as a yellow
    ``warning:`` line and the study pipeline records it with the output it belongs to, so a
    doubtful number is never shown without its caveat.
    """


# Exceptions a parser raises on a damaged file (bad bytes, short rows, missing fields).
_PARSE_FAILURES: tuple[type[BaseException], ...] = (
    UnicodeDecodeError,
    ValueError,
    IndexError,
    KeyError,
    StopIteration,
    EOFError,
    OverflowError,
    ZeroDivisionError,
    MemoryError,
    zipfile.BadZipFile,
    struct.error,
    zlib.error,
    LookupError,
    ParseError,
    pickle.UnpicklingError,
)


_ABSURD = 1e100  # no measured quantity in any unit reaches this


def check_finite_data(obj: Any, source: str, *, _depth: int = 0) -> None:
    """Raise InputFormatError if a reader's result holds NaN, inf, absurd or garbage numbers.

    Absurd: beyond 1e100 in magnitude; garbage: spanning more than 15 decades around their
    median (binary bytes read as floats).

    Looks at the required float arrays of a dataclass (fields without a default: the axes
    and the measured signal), or of each item of a list/tuple of them; optional channels may
    hold NaN where an instrument did not measure.
    """
    import dataclasses

    import numpy as np

    if _depth > 2:
        return
    if isinstance(obj, list | tuple):
        for item in obj:
            check_finite_data(item, source, _depth=_depth + 1)
        return
    if not dataclasses.is_dataclass(obj) or isinstance(obj, type):
        return
    for f in dataclasses.fields(obj):
        if f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING:
            continue  # optional channels may hold NaN where the instrument did not measure
        v = getattr(obj, f.name, None)
        if isinstance(v, np.ndarray) and v.dtype.kind == "f" and v.size:
            bad = ~np.isfinite(v) | (np.abs(v) > _ABSURD)
            if bad.any():
                i = int(np.flatnonzero(bad.reshape(-1))[0])
                raise InputFormatError(
                    source,
                    expected=f"finite numbers in {f.name}",
                    got=f"{int(bad.sum())} NaN, inf or absurd values (first {v.reshape(-1)[i]!r} "
                    f"at point {i + 1})",
                )
            _check_dynamic_range(v, f.name, source)


_DECADES = 15  # no instrument spans more around its median; binary garbage read as floats does


def _check_dynamic_range(v: Any, name: str, source: str) -> None:
    """Raise InputFormatError when |v| reaches 10^15 times its median (a corrupt binary file)."""
    import numpy as np

    a = np.abs(v[v != 0])
    if a.size < 10:
        return
    top, typical = float(a.max()), float(np.median(a))
    if top > 10.0**_DECADES * typical:
        raise InputFormatError(
            source,
            expected=f"{name} within {_DECADES} decades of its median (a corrupt file?)",
            got=f"{top:.3g} against a median of {typical:.3g}",
        )


def _placed(exc: InputFormatError, path: Any) -> InputFormatError:
    """``exc``, given the line and column of the first NaN/inf cell when it is about those."""
    if exc.line is not None or "finite" not in exc.expected or not isinstance(path, str | PathLike):
        return exc
    from mofglass.io.table import locate_non_finite

    where = locate_non_finite(path)
    if where is None:
        return exc
    return InputFormatError(
        exc.source, expected=exc.expected, got=exc.got, line=where[0], column=where[1]
    )


def reader_boundary(expected: str, *, library: str | None = None) -> Callable[[F], F]:
    """Decorate a reader ``f(path, ...)`` so that a damaged file gives an InputFormatError.

    A parse failure becomes an :class:`InputFormatError` naming the file and what was
    expected, never an internal error.

    MofglassErrors pass through unchanged; an unreadable file (OSError) becomes an
    InputFormatError too. Apply it to the public entry point of each reader family, where
    the path is the first argument. ``library`` (a module name such as ``"pygaps"``) adds
    that library's own exceptions without importing it.
    """

    def deco(func: F) -> F:
        @functools.wraps(func)
        def wrapper(path: Any, *args: Any, **kwargs: Any) -> Any:
            try:
                result = func(path, *args, **kwargs)
                check_finite_data(result, Path(str(path)).name)
                if isinstance(path, str | PathLike):  # after the format's own checks
                    from mofglass.io.table import check_complete_end

                    check_complete_end(path, Path(path).name)
                return result
            except InputFormatError as exc:
                raise _placed(exc, path) from None
            except MofglassError:
                raise
            except UnicodeDecodeError as exc:
                raise InputFormatError(
                    Path(str(path)).name,
                    expected=f"{expected} (text)",
                    got=f"undecodable byte 0x{exc.object[exc.start]:02x} at offset {exc.start}",
                ) from None
            except OSError as exc:
                raise InputFormatError(
                    Path(str(path)).name, expected=f"a readable {expected}", got=exc.strerror
                ) from None
            except Exception as exc:
                mine = isinstance(exc, _PARSE_FAILURES) or (
                    library is not None and type(exc).__module__.split(".")[0] == library
                )
                if not mine:
                    raise
                raise InputFormatError(
                    Path(str(path)).name, expected=expected, got=f"{type(exc).__name__}: {exc}"
                ) from None

        return wrapper  # type: ignore[return-value]

    return deco
