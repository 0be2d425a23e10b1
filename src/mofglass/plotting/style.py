"""Publication-style defaults shared by every mofglass figure."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from matplotlib.figure import Figure

__all__ = ["PALETTE", "apply_axes_style", "new_figure", "styled"]

F = TypeVar("F", bound=Callable[..., Any])

#: Colour-blind-safe palette (Okabe & Ito, 2008).
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000")

_RC: dict[str, Any] = {
    "font.size": 9,
    "axes.labelsize": 9,
    "axes.titlesize": 9,
    "legend.fontsize": 8,
    "xtick.direction": "in",
    "ytick.direction": "in",
    "xtick.top": True,
    "ytick.right": True,
    "axes.linewidth": 0.8,
    "lines.linewidth": 1.2,
    "svg.hashsalt": "mofglass",
}


def new_figure(width_in: float = 3.5, height_in: float = 2.6, **kwargs: Any) -> Figure:
    """A Figure of the given size (single-column default, 3.5 in wide) with house style."""
    import matplotlib

    with matplotlib.rc_context(_RC):  # type: ignore[arg-type]
        fig = Figure(figsize=(width_in, height_in), layout="constrained", **kwargs)
    return fig


def styled(func: F) -> F:
    """Decorator: build the figure inside the house style (rcParams apply at artist creation)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        import matplotlib

        with matplotlib.rc_context(_RC):  # type: ignore[arg-type]
            return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def apply_axes_style(ax: Any) -> None:
    """Inward ticks on all sides, light frame: the look of a journal figure."""
    ax.tick_params(direction="in", top=True, right=True, labelsize=8)
    for spine in ax.spines.values():
        spine.set_linewidth(0.8)
