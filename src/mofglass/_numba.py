"""numba when available, else a do-nothing ``njit`` so that pure-Python fallbacks still run."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["HAVE_NUMBA", "njit", "prange"]

try:
    from numba import njit, prange

    HAVE_NUMBA = True
except ImportError:  # pragma: no cover - numba is a declared dependency
    HAVE_NUMBA = False

    def njit(*args: Any, **kwargs: Any) -> Any:  # type: ignore[no-redef]
        if args and callable(args[0]):
            return args[0]

        def deco(f: Callable[..., Any]) -> Callable[..., Any]:
            return f

        return deco

    prange = range  # type: ignore[misc]
