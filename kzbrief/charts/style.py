"""The charts' shared style: fonts, palette, figure size and SVG output.

Every number, label, year and name on a chart comes from the data; only styling
lives here and in ``style.mplstyle``. Each chart is drawn on its own
``Figure`` (never pyplot's global state) so charts cannot leak into each other.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import font_source_sans_pro
import matplotlib.style
from matplotlib import font_manager, rcParams
from matplotlib.figure import Figure

STYLE_PATH = Path(__file__).with_name("style.mplstyle")
WIDTH_IN = 6.3


@lru_cache(maxsize=1)
def _register_fonts() -> None:
    """Add the packaged Source Sans Pro once, so charts never depend on system fonts."""
    for path in sorted(Path(font_source_sans_pro.font_directory).glob("*.ttf")):
        font_manager.fontManager.addfont(str(path))


@contextmanager
def chart_style() -> Iterator[None]:
    """Apply the shared style; drawing and saving must both happen inside it."""
    _register_fonts()
    with matplotlib.style.context(STYLE_PATH):
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
