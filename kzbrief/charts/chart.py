"""What a drawn chart is: the SVG and the words that go with it (no matplotlib here)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Chart:
    """One drawn chart and the words that go with it in the briefing."""

    key: str  # the chart's key in ``registry.CHARTS``
    svg: str  # a complete SVG document
    caption: str  # without "Figure N.": the template numbers figures
    alt: str  # what the chart shows, numbers included, for screen readers
    source_ids: tuple[str, ...]  # ids in briefing.sources the chart's data comes from
