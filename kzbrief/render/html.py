"""Models + charts + audience -> one HTML string (no file I/O besides templates).

Templates stack: the user's override folder, then the audience's folder, then
the base layout; ``base:`` always reaches the base so an override can extend it.
"""

from __future__ import annotations

import base64
import datetime as dt
import os
import re
import sys
import traceback
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from markdown_it import MarkdownIt
from markupsafe import Markup

from ..data.audiences import Audience
from ..data.models import Briefing, Source
from ..errors import Location, TemplateError
from ..fonts import edition_faces
from .language import ENGLISH, Language, active, use_language
from .text import css_string, describe_partial_date, format_money, format_percent, number, plain
from .words import WORDS, markup, phrase

if TYPE_CHECKING:
    from ..charts.chart import Chart

ENTRY_TEMPLATE = "briefing.html.j2"
# Inline Markdown only, raw HTML off: data is untrusted text.
# Data is untrusted: only emphasis, strong and code spans; no HTML, images or links,
# so a data string can neither inject markup nor make the PDF fetch anything.
_MARKDOWN = MarkdownIt("zero", {"html": False}).enable(["emphasis", "backticks", "escape"])


@dataclass(frozen=True)
class TemplateStack:
    """The template folders for one audience, highest priority first."""

    folders: tuple[Path, ...]
    base: Path

    @classmethod
    def for_audience(cls, templates: Path, audience_id: str, user: Path | None) -> TemplateStack:
        folders = [templates / "audiences" / audience_id, templates / "base"]
        if user is not None:  # the user's folder may mirror the packaged layout, or be flat
            user = user.resolve()
            folders[:0] = [user / "audiences" / audience_id, user / "base", user]
        return cls(tuple(f for f in folders if f.is_dir()), templates / "base")


def render_html(
    briefing: Briefing,
    audience: Audience,
    charts: Mapping[str, Chart],
    stack: TemplateStack,
    issued: dt.datetime | None = None,
    edition_format: str = "pdf",
    language: Language = ENGLISH,
    draft: bool = False,
) -> str:
    """The briefing for one audience as a complete HTML document, laid out for
    ``edition_format`` (the templates add the web page's screen styles for "html"), its
    words in ``language``; ``draft`` marks an unreviewed translation as unofficial."""
    with use_language(language):
        return _render(briefing, audience, charts, stack, issued, edition_format, draft)


def _render(
    briefing: Briefing,
    audience: Audience,
    charts: Mapping[str, Chart],
    stack: TemplateStack,
    issued: dt.datetime | None,
    edition_format: str,
    draft: bool,
) -> str:
    environment = _environment(stack)
    try:
        template = environment.get_template(ENTRY_TEMPLATE)
        # Sources are numbered in order of first citation and only cited ones are
        # listed: a first pass learns that order, the second prints it.
        first = SourceIndex(briefing)
        issued = issued or edition_timestamp(briefing)
        shared = (briefing, audience, charts)
        template.render(_context(*shared, first, issued, edition_format, draft))
        return template.render(_context(*shared, first.settled(), issued, edition_format, draft))
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


class _SharedBytecode(jinja2.BytecodeCache):
    """Compiled templates shared by every audience's environment in this process.

    Each audience has its own loader stack, but most templates are the same files;
    Jinja checks each entry against the template's source, so a changed file is
    always recompiled.
    """

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


_BYTECODE = _SharedBytecode()


def page_environment(stack: TemplateStack) -> jinja2.Environment:
    """The briefing's strict environment (filters, ``words``, ``t()``) for other pages: the
    public site's index is written with the same catalogue and escaping rules."""
    return _environment(stack)


def template_loader(stack: TemplateStack) -> jinja2.BaseLoader:
    """The stack's folders in order, and ``base:`` for the base layout (any template kind)."""
    layered = jinja2.ChoiceLoader([jinja2.FileSystemLoader(f) for f in stack.folders])
    return jinja2.ChoiceLoader(
        [jinja2.PrefixLoader({"base": jinja2.FileSystemLoader(stack.base)}, delimiter=":"), layered]
    )


def _environment(stack: TemplateStack) -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=template_loader(stack),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=_BYTECODE,
        extensions=["jinja2.ext.i18n"],  # _() and {% trans %} in templates, for Babel
        finalize=_finalize,
    )
    environment.install_gettext_callables(  # type: ignore[attr-defined]
        lambda message: active().gettext(message),
        lambda singular, plural, n: active().translations.ngettext(singular, plural, n),
        newstyle=True,
    )
    environment.filters.update(
        md=markdown_inline,
        money=format_money,
        number=plain,
        year=number,
        percent=format_percent,
        partial_date=describe_partial_date,
        long_date=lambda d: describe_partial_date(d.isoformat()),
        data_uri=svg_data_uri,
        css_string=lambda text: Markup(css_string(text)),  # inside <style>: not HTML-escaped
    )
    environment.globals.update(words=WORDS, t=markup)
    return environment


def _finalize(value: Any) -> Any:
    """A whole number printed as it is (a year, a citation number) gets the language's digits.
    A number inside CSS must stay ASCII: a template writes it ``| string``."""
    if isinstance(value, int) and not isinstance(value, bool):
        return active().digits(str(value))
    return value


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
) -> dict[str, Any]:
    language = active()
    return {
        "format": edition_format,
        "language": language,
        "counter_style": language.counter_style,
        "draft_note": draft_note() if draft else "",
        "issued": issued.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "briefing": briefing,
        "meta": briefing.meta,
        "audience": audience,
        "charts": charts,
        "sections": audience.sections,
        "source_number": index.number,
        "cited_sources": index.cited,
        "sources": {s.id: s for s in briefing.sources},
        # Direction and typefaces follow the language's script (English: ltr, Source faces).
        "direction": language.direction,
        "font_faces": edition_faces(language.code),
    }


def draft_note() -> str:
    """What a draft translation says of itself: in its language, and in English for anyone
    checking which editions are official."""
    local = phrase("unofficial_translation")
    english = "Unofficial translation"
    return english if local == english else f"{local} · {english}"


def markdown_inline(text: str) -> Markup:
    """Light inline Markdown (**bold**, *italic*) with any HTML in the data escaped."""
    return Markup(_MARKDOWN.renderInline(text).strip())


def svg_data_uri(chart: Chart) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(chart.svg.encode()).decode("ascii")


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
