"""The Jinja environment every page is written with: the template stack and its loader,
the filters (numbers, dates, Markdown), ``words`` and ``t()``, and gettext for ``_()``.

Templates stack: the user's override folder, then the audience's folder, then
the base layout; ``base:`` always reaches the base so an override can extend it, and
``kzbrief:`` the packaged templates, so a project's override can extend the packaged
override of the same audience (``kzbrief:audiences/press/sections/trade.html.j2``).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from markdown_it import MarkdownIt
from markupsafe import Markup

from ..language.current import active
from ..language.label_words import css_message, document_title
from ..language.text import (
    css_string,
    currency_name,
    describe_partial_date,
    format_money,
    format_percent,
    number,
    plain,
    semicolon,
)
from ..language.words import WORDS, full_stop, markup

if TYPE_CHECKING:
    from ..charts.chart import Chart

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
    return environment(stack)


def template_loader(stack: TemplateStack) -> jinja2.BaseLoader:
    """The stack's folders in order, ``base:`` for the base layout (any template kind) and
    ``kzbrief:`` for the packaged templates (the folder holding ``base/`` and ``audiences/``)."""
    layered = jinja2.ChoiceLoader([jinja2.FileSystemLoader(f) for f in stack.folders])
    prefixed = {
        "base": jinja2.FileSystemLoader(stack.base),
        "kzbrief": jinja2.FileSystemLoader(stack.base.parent),
    }
    return jinja2.ChoiceLoader([jinja2.PrefixLoader(prefixed, delimiter=":"), layered])


def environment(stack: TemplateStack) -> jinja2.Environment:
    made = jinja2.Environment(
        loader=template_loader(stack),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=_BYTECODE,
        extensions=["jinja2.ext.i18n"],  # _() and {% trans %} in templates, for Babel
        finalize=_finalize,
    )
    made.install_gettext_callables(  # type: ignore[attr-defined]
        lambda message: active().gettext(message),
        lambda singular, plural, n: active().translations.ngettext(singular, plural, n),
        newstyle=True,
    )
    made.filters.update(
        md=markdown_inline,
        money=format_money,
        currency=currency_name,
        number=plain,
        year=number,
        percent=format_percent,
        partial_date=describe_partial_date,
        long_date=lambda d: describe_partial_date(d.isoformat()),
        data_uri=svg_data_uri,
        css_string=lambda text: Markup(css_string(text)),  # inside <style>: not HTML-escaped
        full_stop=full_stop,
        css_message=_css_message,
    )
    made.globals.update(words=WORDS, t=markup, document_title=document_title, semicolon=semicolon)
    return made


@jinja2.pass_context  # never folded into a constant when compiled: its words change
def _css_message(context: Any, key: str, **values: str) -> Markup:
    """A numbered label as CSS ``content`` (label_words.py), inside <style>: not escaped."""
    return Markup(css_message(key, **values))


def _finalize(value: Any) -> Any:
    """A whole number printed as it is (a year, a citation number) gets the language's digits.
    A number inside CSS must stay ASCII: a template writes it ``| string``."""
    if isinstance(value, int) and not isinstance(value, bool):
        return active().digits(str(value))
    return value


def markdown_inline(text: str) -> Markup:
    """Light inline Markdown (**bold**, *italic*) with any HTML in the data escaped."""
    return Markup(_MARKDOWN.renderInline(text).strip())


def svg_data_uri(chart: Chart) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(chart.svg.encode()).decode("ascii")
