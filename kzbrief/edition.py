"""The unit of work: an edition is one audience, in one language, in one format.

The build plans its editions first and then carries each through the stages; each
edition has one stable file name, derived from the audience's ``filename`` pattern
with the format's extension.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath
from typing import TYPE_CHECKING

from . import FORMATS
from .errors import BudgetError, Location, UsageError

if TYPE_CHECKING:
    from .data.audiences import Audience


@dataclass(frozen=True)
class Edition:
    audience: Audience
    language: str
    format: str

    @property
    def key(self) -> str:
        """How progress lines and messages name it: government/en/pdf."""
        return f"{self.audience.id}/{self.language}/{self.format}"

    def file_name(self, slug: str) -> str:
        """kazakhstan-iran-government-ru.pdf; the HTML edition's name differs only in its suffix."""
        name = self.audience.file_name(slug, self.language)
        return str(PurePath(name).with_suffix(f".{self.format}"))


def check_page_budget(edition: Edition, pages: int | None) -> None:
    """Refuse an edition longer than its audience's page budget (a format without pages
    has none to count)."""
    audience = edition.audience
    if pages is not None and audience.page_budget is not None and pages > audience.page_budget:
        raise BudgetError(
            f"the {edition.key} edition has {pages} pages, over its page budget of "
            f"{audience.page_budget} (shorten the content or raise page_budget)",
            Location(audience.config_file),
            "audience.page_budget",
        )


def plan_editions(
    audiences: list[Audience],
    formats: tuple[str, ...],
    languages: tuple[str, ...] = (),
    first_only: bool = False,
) -> list[Edition]:
    """Every edition to build, audience by audience: each of its languages (those asked for,
    if any; only the first it lists if ``first_only``), each format."""
    return [
        Edition(a, language, f)
        for a in audiences
        for language in (a.languages[:1] if first_only and not languages else a.languages)
        if not languages or language in languages
        for f in formats
    ]


def parse_languages(text: str, known: list[str]) -> tuple[str, ...]:
    """``ru,kk`` -> ("ru", "kk"): languages some audience is read in, else a usage error."""
    asked = tuple(dict.fromkeys(name.strip() for name in text.split(",") if name.strip()))
    unknown = [name for name in asked if name not in known]
    if unknown or not asked:
        shown = ", ".join(unknown) if unknown else repr(text)
        raise UsageError(
            f"no audience is read in {shown} (languages: {', '.join(known)})", field="--language"
        )
    return asked


def parse_formats(text: str) -> tuple[str, ...]:
    """``pdf,html`` -> ("pdf", "html"), in the order FORMATS lists them, without repeats."""
    asked = [name.strip().lower() for name in text.split(",") if name.strip()]
    unknown = [name for name in asked if name not in FORMATS]
    if unknown or not asked:
        known = ", ".join(FORMATS)
        shown = ", ".join(unknown) if unknown else repr(text)
        raise UsageError(f"unknown format {shown} (known: {known})", field="--format")
    return tuple(name for name in FORMATS if name in asked)
