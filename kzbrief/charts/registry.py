"""Every chart of the briefing in one table: its key, what it is drawn from, who draws it.

Adding a chart is one drawer module in this folder plus one row in ``CHARTS``;
templates show it as ``charts["key"]`` and the tests take their keys from here.
A row names its drawer as "module:function" so that matplotlib (and NumPy, and the
map's GSHHG outlines) are loaded only when a chart is actually drawn, never to key
the cache.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from ..cache import entry_key
from ..language.current import ENGLISH, Language, catalogue_stamp, use_language
from .chart import Chart

if TYPE_CHECKING:  # the build imports this module before it knows it needs pydantic
    from ..cache import BuildCache
    from ..data.models import Briefing
    from ..progress import Progress

__all__ = ["CHARTS", "Chart", "cached_charts", "chart_inputs", "draw_chart", "draw_charts"]

COASTLINE_SOURCE_ID = "gshhg"  # the map cites the coastline data only if the briefing lists it


@dataclass(frozen=True)
class ChartRow:
    """What one chart is drawn from, and the function (in this package) that draws it."""

    inputs: Callable[[Briefing], tuple[Any, ...]]  # the drawer's arguments; they key the cache
    drawer: str  # "module:function", module relative to kzbrief.charts


def _coastlines(briefing: Briefing) -> str | None:
    known = {source.id for source in briefing.sources}
    return COASTLINE_SOURCE_ID if COASTLINE_SOURCE_ID in known else None


CHARTS: dict[str, ChartRow] = {
    "trade": ChartRow(lambda b: (b.trade, b.meta.countries), "trade:draw_trade_chart"),
    "railway": ChartRow(
        lambda b: (b.transport.railway, b.meta.countries), "railway:draw_railway_chart"
    ),
    "map": ChartRow(lambda b: (b.transport, _coastlines(b)), "corridor_map:draw_corridor_map"),
    "visits": ChartRow(
        lambda b: (b.diplomacy.visits, b.meta.countries), "visits:draw_visits_chart"
    ),
}


def chart_inputs(briefing: Briefing) -> dict[str, tuple[Any, ...]]:
    """Each chart's key and the arguments its drawing function takes."""
    return {key: row.inputs(briefing) for key, row in CHARTS.items()}


def drawer(key: str) -> Callable[..., Chart]:
    """The drawing function of one chart; importing its module loads matplotlib."""
    module, function = CHARTS[key].drawer.split(":")
    return getattr(importlib.import_module(f"{__package__}.{module}"), function)


def draw_chart(key: str, briefing: Briefing) -> Chart:
    """Draw one chart from the briefing's models."""
    return drawer(key)(*CHARTS[key].inputs(briefing))


def draw_charts(briefing: Briefing) -> dict[str, Chart]:
    """Every chart of the briefing, keyed and ordered as in ``CHARTS``."""
    return {key: draw_chart(key, briefing) for key in CHARTS}


def cached_charts(
    briefing: Briefing,
    cache: BuildCache,
    drawn: list[str],
    progress: Progress,
    language: Language = ENGLISH,
) -> dict[str, Chart]:
    """Each chart from the cache if the models it is drawn from (and the language's
    catalogue) are unchanged, else drawn in ``language``: once per language, for every
    audience and format. The keys of the charts drawn are appended to ``drawn``
    ("trade", or "trade/ru" in another language than English)."""
    charts: dict[str, Chart] = {}
    words = [language.code, catalogue_stamp(language.primary)]
    for key, inputs in chart_inputs(briefing).items():
        shown = key if language.primary == "en" else f"{key}/{language.code}"

        def draw(key: str = key, inputs: tuple[Any, ...] = inputs, shown: str = shown) -> Chart:
            progress.note("charts", f"drawing {shown}")
            drawn.append(shown)
            with use_language(language):
                return drawer(key)(*inputs)

        charts[key] = cache.memo(
            entry_key("charts", key, [*words, *(_dump(item) for item in inputs)]),
            draw,
            encode=lambda chart: json.dumps(asdict(chart)).encode(),
            decode=_chart_from_json,
            what=f"the {shown} chart",
            redo="drawn again",
        )
    return charts


def _chart_from_json(payload: bytes) -> Chart:
    """A cached chart; TypeError or ValueError if the entry is not one."""
    fields = json.loads(payload)
    return Chart(**{**fields, "source_ids": tuple(fields["source_ids"])})


def _dump(item: object) -> object:
    """Models as plain JSON-able data, for cache keys."""
    if hasattr(item, "model_dump"):
        return item.model_dump(mode="json")
    if isinstance(item, (list, tuple)):
        return [_dump(part) for part in item]
    return item
