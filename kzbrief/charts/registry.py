"""Every chart of the briefing in one table: its key, what it is drawn from, who draws it.

Adding a built-in chart is one drawer module in this folder plus one row in ``CHARTS``;
a project adds its own without touching the package: a table under ``charts:`` in its data
(declared.py draws it) or a Python function its kzbrief.toml names (project.py). Templates
show any of them as ``ui.figure(charts["key"])``.
A row names its drawer as "module:function" so that matplotlib (and NumPy, and the
map's GSHHG outlines) are loaded only when a chart is actually drawn, never to key
the cache.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from ..cache import entry_key
from ..language.current import ENGLISH, Language, catalogue_stamp, use_language
from .chart import Chart

if TYPE_CHECKING:  # the build imports this module before it knows it needs pydantic
    from ..cache import BuildCache
    from ..data.models import Briefing
    from ..progress import Progress
    from .project import ProjectChart

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


def chart_rows(
    briefing: Briefing, project: Sequence[ProjectChart] = ()
) -> dict[str, tuple[tuple[Any, ...], str]]:
    """Each chart's key, the arguments its drawing function takes (they key the cache) and
    that function: the built-in charts, those the data declares (``charts:``), then the
    project's own Python charts that kzbrief.toml names."""
    rows = {key: (row.inputs(briefing), row.drawer) for key, row in CHARTS.items()}
    for key, declared in briefing.charts.items():
        rows[key] = ((key, declared), "declared:draw_declared_chart")
    for chart in project:
        inputs = (chart.key, str(chart.file), chart.function, chart.digest(), briefing)
        rows[chart.key] = (inputs, "project:draw_project_chart")
    return rows


def chart_inputs(briefing: Briefing) -> dict[str, tuple[Any, ...]]:
    """Each chart's key and the arguments its drawing function takes."""
    return {key: inputs for key, (inputs, _) in chart_rows(briefing).items()}


def drawer(name: str) -> Callable[..., Chart]:
    """The drawing function "module:function"; importing its module loads matplotlib."""
    module, function = name.split(":")
    return getattr(importlib.import_module(f"{__package__}.{module}"), function)


def draw_chart(key: str, briefing: Briefing, project: Sequence[ProjectChart] = ()) -> Chart:
    """Draw one chart from the briefing's models."""
    inputs, name = chart_rows(briefing, project)[key]
    return drawer(name)(*inputs)


def draw_charts(briefing: Briefing, project: Sequence[ProjectChart] = ()) -> dict[str, Chart]:
    """Every chart of the briefing, keyed and ordered as in ``chart_rows``."""
    return {key: draw_chart(key, briefing, project) for key in chart_rows(briefing, project)}


def cached_charts(
    briefing: Briefing,
    cache: BuildCache,
    drawn: list[str],
    progress: Progress,
    language: Language = ENGLISH,
    project: Sequence[ProjectChart] = (),
) -> dict[str, Chart]:
    """Each chart from the cache if the models it is drawn from (and the language's
    catalogue) are unchanged, else drawn in ``language``: once per language, for every
    audience and format. The keys of the charts drawn are appended to ``drawn``
    ("trade", or "trade/ru" in another language than English)."""
    charts: dict[str, Chart] = {}
    words = [language.code, catalogue_stamp(language.primary)]
    for key, (inputs, name) in chart_rows(briefing, project).items():
        shown = key if language.primary == "en" else f"{key}/{language.code}"
        # The project's own charts are told the language; the others read the active one.
        arguments = (*inputs, language.code) if name.startswith("project:") else inputs

        def draw(
            name: str = name, arguments: tuple[Any, ...] = arguments, shown: str = shown
        ) -> Chart:
            progress.note("charts", f"drawing {shown}")
            drawn.append(shown)
            with use_language(language):
                return drawer(name)(*arguments)

        charts[key] = cache.memo(
            entry_key("charts", key, [*words, name, *(_dump(item) for item in inputs)]),
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
