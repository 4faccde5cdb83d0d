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

import matplotlib
import matplotlib.style
from matplotlib import rcParams
from matplotlib.figure import Figure

from .script import chart_family

STYLE_PATH = Path(__file__).with_name("style.mplstyle")
WIDTH_IN = 6.3


@contextmanager
def chart_style(language: str = "en") -> Iterator[None]:
    """Apply the shared style, its type in the family for ``language``'s script (text goes
    through script.display_text); drawing and saving must both happen inside it."""
    family = chart_family(language)
    with matplotlib.style.context(STYLE_PATH), matplotlib.rc_context({"font.family": family}):
        yield


def palette() -> list[str]:
    """Navy, teal, grey, light grey: read from the style so colours live in one place."""
    return list(rcParams["axes.prop_cycle"].by_key()["color"])


def new_figure(height: float) -> Figure:
    return Figure(figsize=(WIDTH_IN, height))


def to_svg(fig: Figure) -> str:
    """SVG text without a date, so identical data gives identical bytes."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()
