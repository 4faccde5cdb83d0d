"""What only the whole project can check of its own sections and charts: that each
section an audience names exists (built in, or declared in the data) and that each chart a
section shows is drawn by someone (built in, declared in the data, or a Python chart the
project names in kzbrief.toml)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import DataError, DataErrors, Location
from .audiences import Audience
from .briefing import locate_field, merge_documents
from .load import YamlDocument, format_field_path
from .models import Briefing
from .own import BUILT_IN_CHARTS, BUILT_IN_SECTIONS

HOW_TO_ADD = "see the guide \u201cSections and charts of your own\u201d in the documentation"


def check_references(
    data_dir: Path,
    briefing: Briefing,
    documents: list[YamlDocument],
    audiences: Iterable[Audience],
    project_charts: Iterable[str] = (),
) -> None:
    """DataErrors naming every unknown section an audience names and every unknown chart a
    section shows; nothing if all are known."""
    problems = list(_unknown_sections(briefing, audiences))
    charts = [*BUILT_IN_CHARTS, *briefing.charts, *project_charts]
    _, owners = merge_documents(documents)
    for section_id, section in briefing.sections.items():
        for index, key in enumerate(section.charts):
            if key not in charts:
                path = ("sections", section_id, "charts", index)
                problem = (
                    f"unknown chart '{key}' (known: {', '.join(charts)}; a chart of your own is "
                    "declared under 'charts:' in a data file, or named in kzbrief.toml [charts])"
                )
                where = locate_field(path, owners, data_dir)
                problems.append(DataError(problem, where, format_field_path(path)))
    if problems:
        raise DataErrors(problems)


def _unknown_sections(briefing: Briefing, audiences: Iterable[Audience]) -> Iterator[DataError]:
    known = [*BUILT_IN_SECTIONS, *briefing.sections]
    own = ", ".join(briefing.sections) or "none yet"
    for audience in audiences:
        named = [("sections", i, s) for i, s in enumerate(audience.sections)]
        named += [("notes", s, s) for s in audience.notes]
        for field, index, section in named:
            if section in known:
                continue
            path = ("audience", field, index)
            where = audience.document.locate(path) if audience.document else Location()
            close = difflib.get_close_matches(section, known, n=1, cutoff=0.75)
            problem = f"unknown section '{section}' " + (
                f"(did you mean '{close[0]}'?)"
                if close
                else f"(built-in: {', '.join(BUILT_IN_SECTIONS)}; the project's own: {own}; "
                f"a section of your own is declared under 'sections:' in a data file, "
                f"{HOW_TO_ADD})"
            )
            yield DataError(problem, where, format_field_path(path))
