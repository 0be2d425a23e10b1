"""Keep old keyword and attribute spellings working with a DeprecationWarning (issue 11).

mofglass spells one concept one way (``r_max_A``, ``q_damp_invA``, ``sigma``); the old
spellings stay accepted for a while and warn.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


def renamed_keywords(**old_to_new: str) -> Callable[[F], F]:
    """Accept old keyword names of a function, warning and passing them on under the new name.

    Parameters
    ----------
    **old_to_new : str
        Old keyword name -> new keyword name.

    Returns
    -------
    Callable
        Decorator for the function that takes the new names.

    Examples
    --------
    >>> import warnings
    >>> @renamed_keywords(rmax_A="r_max_A")
    ... def f(*, r_max_A=1.0):
    ...     return r_max_A
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", DeprecationWarning)
    ...     f(r_max_A=2.0)
    2.0
    """

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            for old, new in old_to_new.items():
                if old in kwargs:
                    if new in kwargs:
                        raise TypeError(f"{func.__name__}() got both {old!r} and {new!r}")
                    warnings.warn(
                        f"{func.__name__}({old}=...) is deprecated; use {new}=...",
                        DeprecationWarning,
                        stacklevel=2,
                    )
                    kwargs[new] = kwargs.pop(old)
            return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate


def renamed_attribute(old: str, new: str) -> property:
    """Return a read-only property ``old`` that warns and returns the attribute ``new``.

    Parameters
    ----------
    old, new : str
        Old and new attribute names.

    Returns
    -------
    property
        Assign it to the old name in the class body.

    Examples
    --------
    >>> import warnings
    >>> class Ramp:
    ...     rate_K_min = 10.0
    ...     rate_C_min = renamed_attribute("rate_C_min", "rate_K_min")
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", DeprecationWarning)
    ...     Ramp().rate_C_min
    10.0
    """

    def getter(self: Any) -> Any:
        warnings.warn(
            f"{type(self).__name__}.{old} is deprecated; use .{new}",
            DeprecationWarning,
            stacklevel=2,
        )
        return getattr(self, new)

    return property(getter, doc=f"Deprecated spelling of ``{new}``.")


def renamed_function(old: str, func: F) -> F:
    """Return ``func`` under its old name ``old``, warning on every call.

    Parameters
    ----------
    old : str
        The old function name.
    func : Callable
        The function under its new name.

    Returns
    -------
    Callable
        A wrapper that warns with a DeprecationWarning and calls ``func``.

    Examples
    --------
    >>> import warnings
    >>> def double_K(x):
    ...     return 2 * x
    >>> double_C = renamed_function("double_C", double_K)
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", DeprecationWarning)
    ...     double_C(2)
    4
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        warnings.warn(
            f"{old}() is deprecated; use {func.__name__}()", DeprecationWarning, stacklevel=2
        )
        return func(*args, **kwargs)

    wrapper.__name__ = wrapper.__qualname__ = old
    wrapper.__doc__ = f"Deprecated spelling of :func:`{func.__name__}`."
    return wrapper  # type: ignore[return-value]
