"""What a chart is, and what each chart is drawn from, without importing matplotlib.

The build uses ``chart_inputs`` to key its chart cache: a chart is redrawn only
when the models it is drawn from (or the drawing code) change.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the build imports this module before it knows it needs pydantic
    from ..cache import BuildCache
    from ..data.models import Briefing
    from ..progress import Progress

COASTLINE_SOURCE_ID = "gshhg"  # the map cites the coastline data only if the briefing lists it


@dataclass(frozen=True)
class Chart:
    """One drawn chart and the words that go with it in the briefing."""

    key: str  # "trade", "railway", "map" or "visits"
    svg: str  # a complete SVG document
    caption: str  # without "Figure N.": the template numbers figures
    alt: str  # what the chart shows, numbers included, for screen readers
    source_ids: tuple[str, ...]  # ids in briefing.sources the chart's data comes from


def chart_inputs(briefing: Briefing) -> dict[str, tuple[Any, ...]]:
    """Each chart's key and the arguments its drawing function takes."""
    countries = briefing.meta.countries
    known = {source.id for source in briefing.sources}
    coastlines = COASTLINE_SOURCE_ID if COASTLINE_SOURCE_ID in known else None
    return {
        "trade": (briefing.trade, countries),
        "railway": (briefing.transport.railway, countries),
        "map": (briefing.transport, coastlines),
        "visits": (briefing.diplomacy.visits, countries),
    }


def cached_charts(
    briefing: Briefing, cache: BuildCache, drawn: list[str], progress: Progress
) -> dict[str, Chart]:
    """Each chart from the cache if the models it is drawn from are unchanged, else drawn.

    The keys of the charts drawn are appended to ``drawn``.
    """
    from ..cache import code_digest, digest

    code = code_digest()
    charts: dict[str, Chart] = {}
    for key, inputs in chart_inputs(briefing).items():
        name = f"charts/{digest(key, code, [_dump(item) for item in inputs])}"
        chart = cache.load(name, _chart_from_json, f"the {key} chart", "drawn again")
        if chart is None:
            from .style import draw_chart  # matplotlib is heavy: only when a chart is drawn

            progress.note("charts", f"drawing {key}")
            chart = draw_chart(key, briefing)
            cache.store(name, json.dumps(asdict(chart)).encode())
            drawn.append(key)
        charts[key] = chart
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
