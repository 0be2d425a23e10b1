"""Publication-style defaults shared by every mofglass figure."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from matplotlib.figure import Figure

__all__ = [
    "MIN_FONT_PT",
    "PALETTE",
    "apply_axes_style",
    "finish_axes",
    "new_figure",
    "save_figure",
    "styled",
    "texts_outside",
]

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
    "svg.fonttype": "none",  # text stays text in SVG: editable in Inkscape / Illustrator
    "pdf.fonttype": 42,  # TrueType in PDF, editable too
}

#: Smallest text at the saved size, pt (journals ask for >= 7-8 pt at print size).
MIN_FONT_PT = 8.0


def new_figure(width_in: float = 3.5, height_in: float = 2.6, **kwargs: Any) -> Figure:
    """Make a Figure of the given size (inches; single column: 3.5 wide) in the house style."""
    import matplotlib

    with matplotlib.rc_context(_RC):  # type: ignore[arg-type]
        fig = Figure(figsize=(width_in, height_in), layout="constrained", **kwargs)
    return fig


def styled(func: F) -> F:
    """Build the decorated function's figure inside the house style (rcParams act on creation)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        import matplotlib

        with matplotlib.rc_context(_RC):  # type: ignore[arg-type]
            out = func(*args, **kwargs)
        if isinstance(out, Figure):
            _legible(out)
        elif isinstance(out, dict):
            for fig in out.values():
                if isinstance(fig, Figure):
                    _legible(fig)
        return out

    return wrapper  # type: ignore[return-value]


def _legible(fig: Figure) -> None:
    """Raise every text below :data:`MIN_FONT_PT` to it (ticks, legends, annotations)."""
    import textwrap

    from matplotlib.text import Text

    for text in fig.findobj(Text):
        if isinstance(text, Text) and text.get_text() and float(text.get_fontsize()) < MIN_FONT_PT:
            text.set_fontsize(MIN_FONT_PT)
    width_pt = fig.get_figwidth() * 72.0
    for ax in fig.axes:
        # tick labels are re-created at draw time from tick_params: raise them there too
        for axis in (ax.xaxis, ax.yaxis):
            labels = [t for t in axis.get_ticklabels(which="both") if t.get_visible()]
            if labels and min(float(t.get_fontsize()) for t in labels) < MIN_FONT_PT:
                axis.set_tick_params(which="both", labelsize=MIN_FONT_PT)
        # titles longer than the axes (~0.8 of the figure) are wrapped (~0.7 em per character, DejaVu Sans)
        for loc in ("center", "left", "right"):
            title = ax.get_title(loc=loc)
            max_chars = max(10, int(0.8 * width_pt / (0.7 * float(ax.title.get_fontsize()))))
            if len(title) > max_chars and "\n" not in title:
                ax.set_title(textwrap.fill(title, max_chars), loc=loc)


def texts_outside(fig: Figure, *, tolerance_px: float = 1.0) -> list[str]:
    """Texts whose drawn box leaves the figure (clipped when saved), as ``'text' (x0..x1)``.

    The figure is drawn first (layout included), so this is the saved geometry. Tick labels are
    judged together through the axes' tight boxes (matplotlib keeps label objects for ticks
    outside the view that are never drawn); every other text (titles, legends, annotations) by
    its own box.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    canvas = FigureCanvasAgg(fig)  # the canvas PNG export uses; draws the saved geometry
    canvas.draw()
    renderer = canvas.get_renderer()
    box = fig.bbox
    tick_texts: set[int] = set()
    out = []
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            for tick in (*axis.get_major_ticks(), *axis.get_minor_ticks()):
                tick_texts.update({id(tick.label1), id(tick.label2)})
        tb = ax.get_tightbbox(renderer)
        if tb is not None and (
            tb.x0 < box.x0 - tolerance_px
            or tb.y0 < box.y0 - tolerance_px
            or tb.x1 > box.x1 + tolerance_px
            or tb.y1 > box.y1 + tolerance_px
        ):
            out.append(f"axes {ax.get_title() or ax.get_xlabel()!r} with its tick labels")
    for text in fig.findobj(Text):
        if id(text) in tick_texts or not isinstance(text, Text):
            continue
        if not text.get_visible() or not text.get_text().strip():
            continue
        bb = text.get_window_extent(renderer)
        if (
            bb.x0 < box.x0 - tolerance_px
            or bb.y0 < box.y0 - tolerance_px
            or bb.x1 > box.x1 + tolerance_px
            or bb.y1 > box.y1 + tolerance_px
        ):
            out.append(f"{text.get_text()!r} ({bb.x0:.0f}..{bb.x1:.0f}, {bb.y0:.0f}..{bb.y1:.0f})")
    return out


def save_figure(
    fig: Figure, stem: Any, *, formats: tuple[str, ...] = ("png", "svg")
) -> dict[str, Any]:
    """Save ``fig`` as ``stem.<fmt>`` for each format; return the paths by format.

    PNG at 200 dpi; SVG/PDF with editable text and no timestamps, so re-runs are
    byte-identical.

    Text smaller than :data:`MIN_FONT_PT` is raised to it first, whichever module drew it.
    """
    from pathlib import Path

    import matplotlib

    stem = Path(stem)
    _legible(fig)
    paths = {}
    with matplotlib.rc_context(_RC):  # type: ignore[arg-type]
        for fmt in formats:
            path = stem.with_name(f"{stem.name}.{fmt}")
            meta: dict[str, Any] = {"png": {"Software": None}, "svg": {"Date": None}}.get(
                fmt, {"CreationDate": None} if fmt == "pdf" else {}
            )
            fig.savefig(path, dpi=200, metadata=meta)
            paths[fmt] = path
    return paths


def finish_axes(ax: Any, xlabel: str, ylabel: str, title: str = "") -> None:
    """Label the axes, set the title when there is one, and apply :func:`apply_axes_style`."""
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    apply_axes_style(ax)


def apply_axes_style(ax: Any) -> None:
    """Inward ticks on all sides, light frame: the look of a journal figure."""
    ax.tick_params(direction="in", top=True, right=True, labelsize=8)
    for spine in ax.spines.values():
        spine.set_linewidth(0.8)
