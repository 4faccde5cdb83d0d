"""Keeping a chart's text apart: value labels that would touch other text are dropped,
category labels are wrapped, turned upright or thinned until they have air between them.
Shared by the trade chart and the charts a project declares."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from itertools import pairwise

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.ticker import FixedFormatter, FixedLocator

YEAR_STEPS = (1, 2, 5, 10, 20, 25, 50, 100)  # every n-th year label kept, n the first that fits
# A category label's room, as a multiple of its width: year labels (trade.py's too) get 1.5;
# a name, centred under its bars, needs less air to stand apart.
YEAR_AIR, NAME_AIR = 1.5, 1.15


def drop_crowded_labels(fig: Figure) -> None:
    """Remove value labels that touch any other text, latest year kept first. Each text's
    box is measured once: nothing moves while labels are only hidden."""
    texts = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text()]
    values = [t for ax in fig.axes for t in ax.texts if t.get_text()]
    boxes = {id(t): t.get_window_extent() for t in (*texts, *values)}
    kept = [boxes[id(t)] for t in texts if t not in values]
    for label in sorted(values, key=lambda t: -boxes[id(t)].x1):
        box = boxes[id(label)]
        if any(box.overlaps(other) for other in kept):
            label.set_visible(False)
        else:
            kept.append(box)


def fit_categories(fig: Figure, ax: Axes, years: bool) -> None:
    """Category labels with air between them: names wrapped onto two or three lines, else
    turned upright; what still collides is thinned, counted back from the latest (kept)."""
    ticks, labels = list(ax.get_xticks()), ax.get_xticklabels()
    if len(ticks) < 2:
        return
    x = ax.transData.transform([(t, 0) for t in ticks])[:, 0]
    pitch = float(min(abs(b - a) for a, b in pairwise(x)))
    texts, need = [t.get_text() for t in labels], widest(labels)
    air = YEAR_AIR if years else NAME_AIR
    if not years and need * air > pitch:
        line = max(t.get_window_extent().height for t in labels)
        for lines in (2, 3):
            set_categories(ax, ticks, [wrap_name(t, lines) for t in texts])
            fig.draw_without_rendering()
            need = widest(ax.get_xticklabels())
            if need * air <= pitch:
                break
        else:  # one line each, upright (as trade.py's crowded values): a line's height wide
            set_categories(ax, ticks, texts)
            ax.tick_params(axis="x", labelrotation=90)
            need = line
        texts = [t.get_text() for t in ax.get_xticklabels()]
    step = next((s for s in YEAR_STEPS if s * pitch >= need * air), YEAR_STEPS[-1])
    if step > 1:
        keep = [i for i in range(len(ticks)) if (len(ticks) - 1 - i) % step == 0]
        set_categories(ax, [ticks[i] for i in keep], [texts[i] for i in keep])


def set_categories(ax: Axes, ticks: Sequence[float], labels: list[str]) -> None:
    """Ticks and their labels through a FixedFormatter, which style.to_svg puts in display
    order for Persian; ``set_xticks(ticks, labels)`` would hide them in a FuncFormatter."""
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_major_formatter(FixedFormatter(labels))


def widest(labels: Sequence[Text]) -> float:
    return max(t.get_window_extent().width for t in labels)


def wrap_name(text: str, lines: int) -> str:
    """A name broken at spaces into about ``lines`` lines of even length."""
    width = math.ceil(len(text) / lines)
    return "\n".join(textwrap.wrap(text, width, break_long_words=False)) or text
