"""The briefing and its audiences in one language: the English data with the translations laid
over it, checked, plus what is stale or missing and whether the translation is a draft."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from ..errors import DataError, DataErrors, Location
from ..language import primary_language
from .audiences import Audience
from .briefing import merge_documents
from .load import YamlDocument
from .models import Briefing
from .translatable import Unit, name_units, units_of
from .translations import LanguageTexts, load_texts, statuses, translated_data, translation_warnings

SOURCE_LANGUAGE = "en"  # the language the data files are written in


@dataclass
class Localised:
    language: str
    briefing: Briefing
    audiences: dict[str, Audience]
    draft: bool = False  # an unreviewed translation: printed as "Unreviewed draft translation"
    warnings: list[str] = field(default_factory=list)


def all_units(
    data_dir: Path, documents: list[YamlDocument], audiences: list[Audience], language: str
) -> list[Unit]:
    """Every string a translator translates into ``language``: the briefing's text, its
    names, and the words of the audiences read in that language."""
    units = [u for d in documents for u in units_of(d, data_dir)]
    units += name_units(documents)
    for audience in audiences:
        if audience.document is not None and language in audience.languages:
            units += units_of(audience.document, data_dir)
    return units


def localise(
    data_dir: Path,
    briefing: Briefing,
    documents: list[YamlDocument],
    audiences: list[Audience],
    language: str,
) -> Localised:
    """The data in ``language`` (its primary subtag names the translation folder)."""
    primary = primary_language(language)
    by_id = {a.id: a for a in audiences}
    if primary == SOURCE_LANGUAGE:
        return Localised(language, briefing, by_id)
    texts = load_texts(data_dir, primary)
    found = statuses(all_units(data_dir, documents, audiences, language), texts)
    translated = [
        YamlDocument(d.path, translated_data(d, data_dir, texts), d.positions, d.text)
        for d in documents
    ]
    merged, _ = merge_documents(translated)
    try:
        local = Briefing.model_validate(merged)
    except ValidationError as exc:  # e.g. a translation emptied a required text
        problem = exc.errors()[0]
        raise DataError(
            f"the {primary} translation makes the data invalid: {problem['msg']}",
            Location(texts.folder),
        ) from None
    return Localised(
        language,
        local,
        {a.id: _audience(a, data_dir, texts) for a in audiences},
        draft=not texts.reviewed,
        warnings=translation_warnings(found),
    )


def _audience(audience: Audience, data_dir: Path, texts: LanguageTexts) -> Audience:
    """The audience's words in the language; its settings (paper, sections…) as they are."""
    if audience.document is None:
        return audience
    data = translated_data(audience.document, data_dir, texts).get("audience", {})
    words = ("title", "description", "distribution", "lead", "notes", "watermark")
    update = {name: data[name] for name in words if name in data}
    try:  # the same checks as the English (a watermark's length, no control characters)
        checked = Audience.model_validate({**audience.model_dump(by_alias=True), **update})
    except ValidationError as exc:
        raise DataErrors(
            [
                DataError(
                    f"translation of audience.{'.'.join(map(str, e['loc']))}: {e['msg']}",
                    Location(texts.folder / audience.document.path.relative_to(data_dir)),
                )
                for e in exc.errors()
            ]
        ) from None
    local = audience.model_copy(update={k: getattr(checked, k) for k in update})
    local._config_file, local._document = audience.config_file, audience.document
    return local
