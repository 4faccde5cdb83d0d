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
from .errors import UsageError

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
        """kazakhstan-iran-government.pdf; the HTML edition's name differs only in its suffix."""
        return str(PurePath(self.audience.file_name(slug)).with_suffix(f".{self.format}"))


def plan_editions(audiences: list[Audience], formats: tuple[str, ...]) -> list[Edition]:
    """Every edition to build, audience by audience: each audience's language, each format."""
    return [Edition(a, a.language, f) for a in audiences for f in formats]


def parse_formats(text: str) -> tuple[str, ...]:
    """``pdf,html`` -> ("pdf", "html"), in the order FORMATS lists them, without repeats."""
    asked = [name.strip().lower() for name in text.split(",") if name.strip()]
    unknown = [name for name in asked if name not in FORMATS]
    if unknown or not asked:
        known = ", ".join(FORMATS)
        shown = ", ".join(unknown) if unknown else repr(text)
        raise UsageError(f"unknown format {shown} (known: {known})", field="--format")
    return tuple(name for name in FORMATS if name in asked)
