"""Audience configs: who a briefing is for, and how it should look.

An audience picks the sections, paper, marking and accent colour; its template
folder overrides blocks of the base layout.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, PrivateAttr, ValidationError, field_validator, model_validator

from ..data.briefing import describe_validation_error
from ..data.fields import Model, check_language
from ..data.load import YamlDocument, read_yaml
from ..data.messages import fold_misspellings
from ..data.own import BUILT_IN_SECTIONS, OwnId
from ..errors import DataError, DataErrors, Location, UsageError

# A built-in section (data/own.py) or one of the project's own, declared under
# ``sections:`` in a data file; which ids exist is checked against the briefing
# (data/own_checks.py), since an audience file alone cannot know the project's sections.
Section = OwnId
SECTIONS: tuple[str, ...] = BUILT_IN_SECTIONS


PAPER_HEIGHTS = {"A4": "297mm", "Letter": "11in"}


class Audience(Model):
    """Who one PDF is for: its sections, paper, marking and look."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")  # names the PDF and --audience, e.g. press
    title: str  # the line under the title on the cover, e.g. "Press summary"
    description: str  # who reads it: shown by kzbrief list and on the public site
    # The languages this audience reads, each one edition per format; the first is the one
    # a recipient gets unless the recipient list says otherwise. ``language: en`` still works.
    languages: list[str] = Field(default_factory=lambda: ["en"], min_length=1)
    paper: Literal["A4", "Letter"] = "A4"  # the paper size: A4 or Letter
    distribution: str  # the marking on the cover and every page, e.g. "For official use"
    # The colour of headings, rules and boxes, as "#rrggbb" in quotes, e.g. "#7a1f2b".
    accent: str = Field(default="#1f3a5f", pattern=r"^#[0-9a-fA-F]{6}$")
    body_font: Literal["serif", "sans"] = "serif"  # the text's typeface: serif or sans
    logo: Path | None = None  # relative to the audience file's folder, inside the data folder
    sections: list[Section] = Field(min_length=1)  # the sections shown, in order, by id
    lead: str  # one or two sentences on the cover: why the briefing matters to this reader
    # A paragraph written for this reader, shown at the top of the named section.
    notes: dict[Section, str] = Field(default_factory=dict)
    page_budget: int | None = Field(default=None, ge=1)  # the build fails if the PDF has more pages
    # A word set diagonally across every page of each recipient's copy (kzbrief issue).
    watermark: str | None = Field(
        default=None, min_length=1, max_length=32, pattern=r"^[^\x00-\x1f\x7f]+$"
    )
    # On the public web site that ``kzbrief publish`` writes; every other edition is restricted.
    public: bool = False
    _config_file: Path | None = PrivateAttr(default=None)  # for error messages
    _document: YamlDocument | None = PrivateAttr(default=None)  # positions, for warnings
    # The PDF's file name, ending .pdf; {slug}, {audience} and {language} are filled in.
    filename: str = Field(default="{slug}-{audience}-{language}.pdf", pattern=r"^[^/\\]+\.pdf$")

    def file_name(self, slug: str, language: str) -> str:
        """kazakhstan-iran-press-fa.pdf. A pattern without ``{language}`` gets the code before
        the suffix, so every edition's name says its language and no two editions collide."""
        pattern = self.filename
        if "{language}" not in pattern:
            pattern = pattern.removesuffix(".pdf") + "-{language}.pdf"
        return pattern.format(slug=slug, audience=self.id, language=language)

    @property
    def language(self) -> str:
        """The audience's first language: a recipient's copy is in it unless they ask."""
        return self.languages[0]

    @property
    def config_file(self) -> Path | None:
        return self._config_file

    @property
    def document(self) -> YamlDocument | None:
        return self._document

    @property
    def page_height(self) -> str:
        return PAPER_HEIGHTS[self.paper]

    @field_validator("sections")
    @classmethod
    def _sections_once(cls, sections: list[str]) -> list[str]:
        repeated = sorted({s for s in sections if sections.count(s) > 1})
        if repeated:
            raise ValueError(f"each section may appear once; repeated: {', '.join(repeated)}")
        return sections

    @model_validator(mode="before")
    @classmethod
    def _one_language(cls, data: object) -> object:
        """``language: en`` (the form before editions had languages) is ``languages: [en]``."""
        if isinstance(data, dict) and "language" in data:
            if "languages" in data:
                raise ValueError("give either language or languages, not both")
            data = {**data, "languages": [data["language"]]}
            del data["language"]
        return data

    @field_validator("languages")
    @classmethod
    def _supported_languages(cls, codes: list[str]) -> list[str]:
        for code in codes:
            check_language(code)
        repeated = sorted({c for c in codes if codes.count(c) > 1})
        if repeated:
            raise ValueError(f"each language may appear once; repeated: {', '.join(repeated)}")
        return codes

    @field_validator("filename")
    @classmethod
    def _known_placeholders(cls, pattern: str) -> str:
        try:
            pattern.format(slug="s", audience="a", language="l")
        except (KeyError, IndexError, ValueError):
            raise ValueError(
                "only {slug}, {audience} and {language} may be used in the file name"
            ) from None
        return pattern


def load_audiences(data_dir: Path) -> dict[str, Audience]:
    """Every ``audiences/*.yaml`` in the data folder, by id, in file-name order."""
    folder = data_dir / "audiences"
    paths = sorted(folder.glob("*.yaml"))
    if not paths:
        raise DataError("no audience configs (expected audiences/*.yaml)", Location(folder))
    audiences: dict[str, Audience] = {}
    errors: list[DataError] = []
    for path in paths:
        try:
            document = read_yaml(path)
            audience = _read_audience(document, data_dir)
        except DataErrors as exc:
            errors += exc.errors
            continue
        except DataError as exc:
            errors.append(exc)
            continue
        if audience.id in audiences:
            where = document.locate(("audience", "id"))
            errors.append(
                DataError(f"audience id '{audience.id}' is used twice", where, "audience.id")
            )
        audiences[audience.id] = audience
    if errors:
        raise DataErrors(errors)
    return audiences


def _read_audience(document: YamlDocument, data_dir: Path) -> Audience:
    data = document.data
    if not isinstance(data, dict) or "audience" not in data:
        raise DataError("expected a top-level 'audience' mapping", document.locate(()))
    try:
        audience = Audience.model_validate(data["audience"])
    except ValidationError as exc:
        raise DataErrors(
            [
                describe_validation_error(err, document, ("audience",))
                for err in fold_misspellings(exc.errors(), Audience)
            ]
        ) from None
    audience._config_file, audience._document = document.path, document
    if audience.logo is None:
        return audience
    return audience.model_copy(update={"logo": _confined_logo(audience.logo, document, data_dir)})


def _confined_logo(logo: Path, document: YamlDocument, data_dir: Path) -> Path:
    """The logo's real path, which must lie inside the data folder.

    Data may be untrusted: a path out of the folder gets the same message whether
    or not its target exists, so the build cannot be used to probe the disk.
    """
    where = document.locate(("audience", "logo"))
    try:  # symlinks are followed first: a link inside pointing out is outside
        real = (document.path.parent / logo).resolve()
        inside = real.is_relative_to(data_dir.resolve())
    except (OSError, RuntimeError, ValueError):  # a symlink loop, a NUL in the name
        inside = False
    if not inside:
        raise DataError(
            f"must be a file inside the data folder (got {str(logo)!r})", where, "audience.logo"
        )
    if not real.is_file():
        raise DataError(
            f"logo file not found: {logo} (expected it beside {document.path.name})",
            where,
            "audience.logo",
        )
    return real


def select_audiences(known: dict[str, Audience], wanted: list[str]) -> list[Audience]:
    """The audiences asked for on the command line, or all of them."""
    unknown = [name for name in wanted if name not in known]
    if unknown:
        raise UsageError(
            f"unknown audience '{unknown[0]}' (known: {', '.join(known)})", field="--audience"
        )
    return [known[name] for name in wanted] if wanted else list(known.values())


def languages_of(audiences: list[Audience]) -> list[str]:
    """Every language some audience is read in, in the order the audiences list them."""
    return list(dict.fromkeys(code for audience in audiences for code in audience.languages))


def describe_audiences(audiences: dict[str, Audience]) -> str:
    """A plain-text table for ``kzbrief list``."""
    lines = []
    for audience in audiences.values():
        budget = f", at most {audience.page_budget} pages" if audience.page_budget else ""
        lines.append(f"{audience.id}  ({audience.paper}{budget}) - {audience.title}")
        lines.append(f"    {audience.description}")
        lines.append(f"    sections: {', '.join(audience.sections)}")
        lines.append(f"    languages: {', '.join(audience.languages)}")
        public = "; public (kzbrief publish)" if audience.public else ""
        lines.append(f"    marking: {audience.distribution}; file: {audience.filename}{public}")
    return "\n".join(lines)
