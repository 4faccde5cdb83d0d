"""The charts' shared style: fonts, palette, figure size and SVG output.

Every number, label, year and name on a chart comes from the data; only styling
lives here and in ``style.mplstyle``. Each chart is drawn on its own
``Figure`` (never pyplot's global state) so charts cannot leak into each other.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import matplotlib
import matplotlib.style
from matplotlib import rcParams
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.ticker import FixedFormatter, FixedLocator

from ..language.current import active
from ..language.scripts import text_direction
from .script import chart_family, display_text
from .simplify import slim_svg

STYLE_PATH = Path(__file__).with_name("style.mplstyle")
T = TypeVar("T")
WIDTH_IN = 6.3


@contextmanager
def chart_style(language: str | None = None) -> Iterator[None]:
    """Apply the shared style, its type in the family for the script of ``language`` (by
    default the language being drawn); drawing and saving must both happen inside it."""
    code = language or active().code
    settings: dict[str, object] = {"font.family": chart_family(code)}
    if text_direction(code) == "rtl":  # a right-to-left reader looks for a title on the right
        settings["axes.titlelocation"] = "right"
    with matplotlib.style.context(STYLE_PATH), matplotlib.rc_context(settings):
        yield


def legend_direction() -> dict[str, bool]:
    """A legend's keyword for the language's direction: right to left, the marker stands to
    the right of its label, where the reader starts."""
    return {"markerfirst": text_direction(active().code) == "ltr"}


def reading_order(items: list[T]) -> list[T]:
    """A row of legend entries (or any items laid out left to right) in reading order: the
    first on the right in a right-to-left language."""
    return items[::-1] if text_direction(active().code) == "rtl" else items


def palette() -> list[str]:
    """Navy, teal, grey, light grey: read from the style so colours live in one place."""
    return list(rcParams["axes.prop_cycle"].by_key()["color"])


def new_figure(height: float) -> Figure:
    return Figure(figsize=(WIDTH_IN, height))


def to_svg(fig: Figure) -> str:
    """SVG text without a date, so identical data gives identical bytes."""
    language = active().code
    rtl = text_direction(language) == "rtl"
    if rtl:
        _display_order(fig, language)
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    svg = slim_svg(buffer.getvalue())
    if rtl:  # the text is in display order already: a browser must not reorder it again
        return svg.replace("<text ", _AS_GIVEN)
    return svg


# WeasyPrint sets SVG text glyph by glyph as given; a browser runs the bidi algorithm on it,
# which would reverse the display-ordered Persian a second time.
_AS_GIVEN = '<text direction="ltr" unicode-bidi="bidi-override" '


def _display_order(fig: Figure, language: str) -> None:
    """Every text of the laid-out figure reshaped and in visual order (script.display_text),
    once, just before saving: the layout was measured on the logical text, which the joined
    forms only make narrower. Text matplotlib outlines keeps its logical order. Fixed tick
    labels are re-read from their formatter when drawn, so the formatter's labels are
    converted instead of the tick texts."""
    if rcParams["svg.fonttype"] == "path":
        return  # all text outlined: matplotlib (libraqm) shapes and orders it itself
    ticks = set()
    fig.draw_without_rendering()  # tick labels exist only once the figure is laid out
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            formatter = axis.get_major_formatter()
            if isinstance(formatter, FixedFormatter):
                formatter.seq = [display_text(label, language) for label in formatter.seq]
            elif any(label.get_text() for label in axis.get_majorticklabels()):
                # Labels from another formatter (set_xticks(ticks, labels) keeps them behind a
                # FuncFormatter, bar(names, ...) a category formatter; a project's chart may
                # use either): fixed as drawn, then converted like the fixed ones.
                texts = [label.get_text() for label in axis.get_majorticklabels()]
                axis.set_major_locator(FixedLocator(axis.get_majorticklocs()))
                axis.set_major_formatter(FixedFormatter([display_text(t, language) for t in texts]))
            ticks.update(id(t) for t in axis.get_ticklabels(which="both"))
    for text in fig.findobj(Text):
        # Text with path effects (the map's haloed names) is drawn as outlines, which
        # matplotlib >= 3.11 shapes and puts in visual order itself (libraqm): reordered
        # here too, it would come out reversed. Only text left as SVG text is converted.
        if id(text) not in ticks and text.get_text() and not text.get_path_effects():
            lines = text.get_text().split("\n")  # each line is ordered on its own
            text.set_text("\n".join(display_text(line, language) for line in lines))
