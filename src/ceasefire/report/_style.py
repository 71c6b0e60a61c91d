"""One accessible figure style for reports: a colour-blind-safe palette, inline SVG.

Colours are Okabe & Ito's palette (*Color Universal Design*, 2008), distinguishable under
the common colour-vision deficiencies; each side also gets its own line style, so no
figure relies on colour alone. Text is rendered as SVG paths (``svg.fonttype: path``), so
the file needs no font and makes no request.
"""

from __future__ import annotations

import html
import io
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["LINESTYLES", "PALETTE", "RC", "new_figure", "side_colour", "to_svg"]

PALETTE: tuple[str, ...] = (
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#000000",  # black
)
"""Okabe–Ito colours, in the order figures use them (the first two are the sides)."""

LINESTYLES: tuple[str, ...] = ("-", "--", "-.", ":")

RC: dict[str, Any] = {
    "svg.fonttype": "path",
    "svg.hashsalt": "ceasefire",  # stable ids: the same run writes the same file
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.labelsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#dddddd",
    "grid.linewidth": 0.6,
    "legend.frameon": False,
    "lines.linewidth": 2.0,
}


def _rc() -> Any:
    """Return the style for ``matplotlib.rc_context`` (typed loosely: its keys are literals)."""
    return RC


def side_colour(index: int) -> str:
    """Return the palette colour of the ``index``-th side or series."""
    return PALETTE[index % len(PALETTE)]


def new_figure(width: float = 7.0, height: float = 3.4, *, panels: int = 1) -> tuple[Any, Any]:
    """Return a figure (no pyplot, so safe outside the main thread) and its axes.

    ``panels`` side by side; the axes come back as a list when there is more than one.
    """
    import matplotlib as mpl
    from matplotlib.figure import Figure

    with mpl.rc_context(_rc()):
        figure = Figure(figsize=(width, height), layout="constrained")
        axes = figure.subplots(1, panels, squeeze=True)
    return figure, axes


def to_svg(figure: Figure, *, title: str, description: str) -> str:
    """Render ``figure`` as an inline ``<svg>`` element with a title and description for readers.

    ``title`` and ``description`` become the SVG's ``<title>`` and ``<desc>`` (the accessible
    name and description), and its ``aria-label``.
    """
    import matplotlib as mpl

    buffer = io.StringIO()
    with mpl.rc_context(_rc()):
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    text = buffer.getvalue()
    start = text.index("<svg")
    text = text[start:]
    label = html.escape(title, quote=True)
    text = re.sub(
        r"<svg ",
        f'<svg role="img" aria-label="{label}" class="figure" ',
        text,
        count=1,
    )
    head_end = text.index(">") + 1
    accessible = f"<title>{html.escape(title)}</title><desc>{html.escape(description)}</desc>"
    return text[:head_end] + accessible + text[head_end:]


def thousands(value: float, _position: Any = None) -> str:
    """Format an axis tick in thousands or millions ("250k", "1.2M")."""
    if abs(value) >= 1e6:
        return f"{value / 1e6:.1f}M"
    if abs(value) >= 1e3:
        return f"{value / 1e3:.0f}k"
    return f"{value:g}"


def legend_below(axes: Any, *, ncol: int = 3) -> None:
    """Put the legend under the axes, where it covers no data."""
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=ncol)
