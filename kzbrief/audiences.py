"""Audience configs: who a briefing is for, and how it should look.

An audience picks the sections, paper, marking and accent colour; its template
folder overrides blocks of the base layout.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal, get_args

from pydantic import Field, ValidationError

from .errors import DataError, DataErrors, Location, UsageError
from .loader import format_field_path, read_yaml
from .models import Model

Section = Literal[
    "summary",
    "diplomacy",
    "multilateral",
    "trade",
    "transport",
    "mediator",
    "recommendations",
    "sources",
]
SECTIONS: tuple[str, ...] = get_args(Section)


class Audience(Model):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str
    description: str
    language: str = Field(default="en", pattern=r"^[a-z]{2}(-[A-Z]{2})?$")
    paper: Literal["A4", "Letter"] = "A4"
    distribution: str
    accent: str = Field(default="#1f3a5f", pattern=r"^#[0-9a-fA-F]{6}$")
    logo: str | None = None
    sections: list[Section] = Field(min_length=1)
    lead: str
    page_budget: int | None = Field(default=None, ge=1)
    filename: str = "{slug}-{audience}.pdf"

    def file_name(self, slug: str) -> str:
        return self.filename.format(slug=slug, audience=self.id)


def load_audiences(data_dir: Path) -> dict[str, Audience]:
    """Every ``audiences/*.yaml`` in the data folder, by id, in file-name order."""
    folder = data_dir / "audiences"
    paths = sorted(folder.glob("*.yaml"))
    if not paths:
        raise DataError("no audience configs (expected audiences/*.yaml)", Location(folder))
    audiences: dict[str, Audience] = {}
    errors: list[DataError] = []
    for path in paths:
        document = read_yaml(path)
        try:
            audience = Audience.model_validate(_audience_section(document.data, path))
        except ValidationError as exc:
            for err in exc.errors():
                field = ("audience", *err["loc"])
                errors.append(
                    DataError(err["msg"], document.locate(field), format_field_path(field))
                )
            continue
        audiences[audience.id] = audience
    if errors:
        raise DataErrors(errors)
    return audiences


def _audience_section(data: object, path: Path) -> object:
    if not isinstance(data, dict) or "audience" not in data:
        raise DataError("expected a top-level 'audience' mapping", Location(path, 1, 1))
    return data["audience"]


def select_audiences(known: dict[str, Audience], wanted: list[str]) -> list[Audience]:
    """The audiences asked for on the command line, or all of them."""
    unknown = [name for name in wanted if name not in known]
    if unknown:
        raise UsageError(
            f"unknown audience '{unknown[0]}' (known: {', '.join(known)})", field="--audience"
        )
    return [known[name] for name in wanted] if wanted else list(known.values())
