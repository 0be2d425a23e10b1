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
