"""Models + charts + audience -> one HTML string (no file I/O besides templates), written
with the environment of ``render.environment``."""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
import traceback
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

from ..data.audiences import Audience
from ..data.changes import left_to_right
from ..data.models import Briefing, Source
from ..errors import Location, TemplateError
from ..language.current import ENGLISH, Language, active, use_language
from ..language.fonts import edition_faces
from ..language.words import phrase
from .environment import TemplateStack
from .environment import environment as make_environment
from .foreign import mark_foreign_runs

if TYPE_CHECKING:
    from ..charts.chart import Chart
    from ..data.changes import ChangeList

ENTRY_TEMPLATE = "briefing.html.j2"


def render_html(
    briefing: Briefing,
    audience: Audience,
    charts: Mapping[str, Chart],
    stack: TemplateStack,
    issued: dt.datetime | None = None,
    edition_format: str = "pdf",
    language: Language = ENGLISH,
    draft: bool = False,
    changes: ChangeList | None = None,
) -> str:
    """The briefing for one audience as a complete HTML document, laid out for
    ``edition_format`` (the templates add the web page's screen styles for "html"), its
    words in ``language``; ``draft`` marks an unreviewed translation as unofficial;
    ``changes``, what changed since the previous edition (None for a first edition)."""
    with use_language(language):
        return _render(briefing, audience, charts, stack, issued, edition_format, draft, changes)


def _render(
    briefing: Briefing,
    audience: Audience,
    charts: Mapping[str, Chart],
    stack: TemplateStack,
    issued: dt.datetime | None,
    edition_format: str,
    draft: bool,
    changes: ChangeList | None = None,
) -> str:
    environment = make_environment(stack)
    try:
        template = environment.get_template(ENTRY_TEMPLATE)
        # Sources are numbered in order of first citation and only cited ones are
        # listed: a first pass learns that order, the second prints it.
        first = SourceIndex(briefing)
        issued = issued or edition_timestamp(briefing)
        shared = (briefing, audience, charts)
        template.render(_context(*shared, first, issued, edition_format, draft, changes))
        settled = first.settled()
        html = template.render(_context(*shared, settled, issued, edition_format, draft, changes))
        return mark_foreign_runs(html, active().code)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"template syntax error: {exc.message}", _where(exc)) from None
    except jinja2.TemplateNotFound as exc:
        folders = ", ".join(_shown_folder(f, stack.base.parent) for f in stack.folders)
        raise TemplateError(
            f"template not found: {exc.name} (looked in {folders})",
            _traceback_location(stack.folders[0]),
        ) from None
    except jinja2.UndefinedError as exc:
        raise TemplateError(
            f"undefined variable: {_plain_undefined(exc.message or '')}",
            _traceback_location(stack.folders[0]),
        ) from None
    except (ArithmeticError, TypeError, ValueError, LookupError, AttributeError) as exc:
        # A filter or expression failed on this data (e.g. a division by a zero turnover).
        raise TemplateError(
            f"the template failed on this data: {exc}", _traceback_location(stack.folders[0])
        ) from None


class SourceIndex:
    """Numbers sources by first citation; lists the cited ones for the Sources section."""

    def __init__(self, briefing: Briefing, order: tuple[str, ...] = ()) -> None:
        self._briefing = briefing
        self._order = list(order)

    def number(self, source_id: str) -> int:
        if source_id not in self._order:
            self._order.append(source_id)
        return self._order.index(source_id) + 1

    def cited(self) -> list[Source]:
        return [self._briefing.source(source_id) for source_id in self._order]

    def settled(self) -> SourceIndex:
        """A fresh index that starts from the order this one has learnt."""
        return SourceIndex(self._briefing, tuple(self._order))


def edition_timestamp(briefing: Briefing) -> dt.datetime:
    """When the PDF says it was made: $SOURCE_DATE_EPOCH if set, else the edition date.

    Never the clock, so the same inputs give the same bytes.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    edition = briefing.meta.edition
    return dt.datetime(edition.year, edition.month, edition.day, tzinfo=dt.UTC)


def _context(
    briefing: Briefing,
    audience: Audience,
    charts: Mapping[str, Chart],
    index: SourceIndex,
    issued: dt.datetime,
    edition_format: str,
    draft: bool,
    changes: ChangeList | None = None,
) -> dict[str, Any]:
    language = active()
    return {
        "format": edition_format,
        "language": language,
        "counter_style": language.counter_style,
        # the data's translation or the interface's catalogue not yet reviewed
        "draft_note": draft_note() if draft or not language.reviewed else "",
        "issued": issued.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "briefing": briefing,
        "meta": briefing.meta,
        "audience": audience,
        "charts": charts,
        "sections": audience.sections,
        "changes": changes,  # None for a first edition; falsy when nothing changed
        "edition_id": left_to_right(briefing.meta.edition_id),  # isolated in a rtl edition
        "source_number": index.number,
        "cited_sources": index.cited,
        "sources": {s.id: s for s in briefing.sources},
        # Direction and typefaces follow the language's script (English: ltr, Source faces).
        "direction": language.direction,
        "font_faces": edition_faces(language.code),
    }


def draft_note() -> str:
    """What an edition with unreviewed text says of itself, on its cover and every page: in
    its language, and in English for anyone checking which editions are official."""
    local = phrase("unreviewed_translation")
    english = "Unreviewed draft translation"
    return english if local == english else f"{local} · {english}"


def _where(exc: jinja2.TemplateSyntaxError) -> Location:
    return Location(Path(exc.filename) if exc.filename else None, exc.lineno)


def _traceback_location(fallback: Path) -> Location:
    """Jinja marks template frames with their file name; find the innermost one."""
    tb = sys.exc_info()[2]
    for frame in reversed(traceback.extract_tb(tb)):
        if frame.filename.endswith((".j2", ".html", ".css")):
            return Location(Path(frame.filename), frame.lineno)
    return Location(fallback)


def _shown_folder(folder: Path, packaged: Path) -> str:
    if folder.is_relative_to(packaged):
        return f"<kzbrief>/templates/{folder.relative_to(packaged)}"
    return str(Location(folder))


def _plain_undefined(message: str) -> str:
    """ "'kzbrief.models.Trade object' has no attribute 'x'" -> "Trade has no attribute 'x'"."""
    return re.sub(r"'(?:[\w.]+\.)?(\w+) object'", r"\1", message)
