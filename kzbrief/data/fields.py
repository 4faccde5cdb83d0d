"""What every briefing model is built from: the strict base, a sourced fact, field types.

The field types (years, partial dates, source ids, languages) and their checks are
shared by the models of every data file (models.py, trade_transport.py).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

_PARTIAL_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")


def _normalise_partial_date(value: object) -> str:
    """Accept 1992, "2007-12" or 1999-01-29 (YAML date) and keep them as ISO text."""
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if not _PARTIAL_DATE.match(text):
        raise ValueError("expected a year (1992), a month (2007-12) or a date (1999-01-29)")
    return text


# In the JSON Schema (editors, data/schema.py): what a YAML editor sees before kzbrief reads it.
PartialDate = Annotated[
    str,
    BeforeValidator(_normalise_partial_date),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "integer", "minimum": 1000, "maximum": 9999},
                {"type": "string", "pattern": _PARTIAL_DATE.pattern},
            ]
        }
    ),
]
Year = Annotated[int, Field(ge=1900, le=2100, strict=True)]
SourceId = Annotated[str, Field(min_length=1)]


# The languages kzbrief has interface catalogues for (kzbrief/language/locale/*.po); English
# is the language the data is written in. An audience in any other language would get
# English words under a foreign /Lang, so the code is refused instead.
LANGUAGES: tuple[str, ...] = ("en", "kk", "ru", "fa")
_LANGUAGE_CODE = re.compile(r"^([a-z]{2})(-[A-Z]{2})?$")


def check_language(code: str) -> str:
    """A supported language, optionally with a region (``en``, ``en-GB``)."""
    match = _LANGUAGE_CODE.match(code)
    if match is None or match[1] not in LANGUAGES:
        raise ValueError(
            f"kzbrief has no translation for '{code}' (supported languages: "
            f"{', '.join(LANGUAGES)}; a region may be added, e.g. en-GB)"
        )
    return code


class Model(BaseModel):
    """Strict base: unknown fields are mistakes, not silently ignored extras."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Sourced(Model):
    """A fact that names where it comes from: the id of an entry in sources.yaml."""

    source: SourceId  # the id of an entry in sources.yaml that states it


def year_ranges(years: list[int]) -> str:
    """[2009, 2010, 2011, 2013] -> "2009–2011, 2013": consecutive years as one range."""
    runs: list[list[int]] = []
    for year in sorted(years):
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(f"{r[0]}\u2013{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


def check_years(years: list[int]) -> list[int]:
    """The years, if each appears once and they ascend; ValueError otherwise."""
    if len(set(years)) != len(years):
        duplicates = sorted({y for y in years if years.count(y) > 1})
        raise ValueError(f"years must be unique; repeated: {', '.join(map(str, duplicates))}")
    if years != sorted(years):
        raise ValueError("years must be in ascending order")
    return years
