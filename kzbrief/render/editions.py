"""A language's share of a build: its charts drawn once (whatever its audiences and
formats), then each of its editions' HTML, ready to be handed to the edition's format."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..charts.registry import cached_charts
from ..language.current import Language, load_language
from ..project import PACKAGED_TEMPLATES
from .environment import TemplateStack
from .html import edition_timestamp, render_html

if TYPE_CHECKING:
    from ..cache import BuildCache
    from ..charts.project import ProjectChart
    from ..data.changes import ChangeList
    from ..data.localise import Localised
    from ..edition import Edition
    from ..progress import Progress


@dataclass(frozen=True)
class Rendered:
    """One edition's HTML, and what its format needs to finish it."""

    number: int  # its place in the build's plan
    edition: Edition
    html: str
    folders: tuple[Path, ...]  # its template folders, the audience's first
    config_file: Path | None  # the audience's YAML, attached to a PDF
    language: Language
    issued: dt.datetime
    edition_id: str


@dataclass(frozen=True)
class LanguagePart:
    """What a build renders in one language."""

    data: Localised
    changes: ChangeList | None  # since the previous edition; None for a first edition
    editions: list[tuple[int, Edition]]  # numbered as in the build's plan
    templates: Path | None  # the user's template folder
    charts: tuple[ProjectChart, ...] = ()  # the project's own Python charts (kzbrief.toml)


def render_language(
    part: LanguagePart, cache: BuildCache, drawn: list[str], progress: Progress
) -> tuple[Language, list[Rendered]]:
    """The language, and the HTML of each of its editions; the keys of the charts drawn
    (not taken from the cache) are appended to ``drawn``."""
    data = part.data
    language = load_language(data.language)
    charts = cached_charts(data.briefing, cache, drawn, progress, language, part.charts)
    issued = edition_timestamp(data.briefing)
    edition_id = data.briefing.meta.edition_id
    rendered = []
    for number, edition in part.editions:
        audience = data.audiences[edition.audience.id]
        stack = TemplateStack.for_audience(PACKAGED_TEMPLATES, audience.id, part.templates)
        html = render_html(
            data.briefing, audience, charts, stack, issued, edition.format, language,
            data.draft, part.changes,
        )  # fmt: skip
        folders, config = stack.folders, audience.config_file
        rendered.append(
            Rendered(number, edition, html, folders, config, language, issued, edition_id)
        )
    return language, rendered
