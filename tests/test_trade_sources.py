"""A trade year may carry its own source: a new year usually comes from a newer publication."""

from __future__ import annotations

import re

import pytest

from kzbrief.data.briefing import load_briefing
from kzbrief.errors import DataErrors

from .conftest import REPO, Project, pdf_text

LAST_YEAR = "    - {year: 2011, turnover: 1110000000, export: 1080000000, import: 34900000}\n"
# Made-up figures and publisher: this year exists only in the test's copy of the data.
NEW_YEAR = (
    "    - {year: 2012, turnover: 1200000000, export: 1150000000, import: 50000000,"
    " source: newer-stats}\n"
)
NEW_SOURCE = """\
  - id: newer-stats
    kind: reference
    title: "Foreign trade yearbook 2013 (test entry)"
    publisher: "Test statistics office"
"""


TABLE_PUBLISHER = (
    "Agency of Statistics of the Republic of Kazakhstan, "
    "as quoted in the unpublished background note"
)


def _add_year(project: Project, source: str = "newer-stats") -> None:
    project.edit("trade.yaml", LAST_YEAR, LAST_YEAR + NEW_YEAR.replace("newer-stats", source))
    with (project.data / "sources.yaml").open("a", encoding="utf-8") as sources:
        sources.write(NEW_SOURCE)


def _number(text: str, publisher: str) -> int:
    """The endnote number printed after a publisher's name in a source line."""
    found = {int(n) for n in re.findall(re.escape(publisher) + r" \[(\d+)\]", text)}
    assert len(found) == 1, f"{publisher!r} cited as {found}"
    return found.pop()


def test_a_year_with_its_own_source_cites_it_and_lists_it(project: Project) -> None:
    _add_year(project)
    [pdf] = project.build(audiences=["government"])
    text = pdf_text(pdf)
    new = _number(text, "Test statistics office")
    table = _number(text, TABLE_PUBLISHER)
    assert new != table
    # The row carries its note, the line under the table says which source covers which years.
    assert f"2011 1.11 bn 1.08 bn 34.9 m 3.1% 2012 [{new}] 1.2 bn 1.15 bn 50 m 4.2%" in text
    assert (
        f"Sources: {TABLE_PUBLISHER} [{table}] for 2009–2011; "
        f"Test statistics office [{new}] for 2012." in text
    )
    # The chart draws that year too, so its source line names both sources.
    assert f"unpublished background note [{table}]; Test statistics office [{new}]" in text
    # The key facts quote the latest year, so they cite its source, not the table's.
    assert (
        f"Trade 2012 Turnover US$1.2 bn; Kazakhstan's exports 1.15 bn, imports 50 m [{new}]" in text
    )
    # The sources list numbers it: its entry is the new-th one listed.
    listed = text[text.rindex("Sources Kazakhstan–Iran relations.") :]
    titles = [
        "Kazakhstan–Iran relations.",
        "Kazakhstan–Iran relations, Table 2",
        "Kazakhstan–Iran relations, Table 1",
        "GeoNames geographical database.",
        "GSHHG coastlines",
        "Protecting power mandates",
        "Interests Section of the Islamic Republic",
        "Assessment by the authors",
        "Foreign trade yearbook 2013 (test entry). Test statistics office.",
    ]
    order = sorted((listed.index(t), t) for t in titles if t in listed)
    assert order[new - 1][1] == titles[-1]
    assert order[table - 1][1] == titles[1]


def test_an_unknown_year_source_names_its_file_line_and_column(project: Project) -> None:
    _add_year(project, source="newer-stat")
    with pytest.raises(DataErrors) as caught:
        load_briefing(project.data)
    [message] = [str(error) for error in caught.value.errors]
    known = [source.id for source in load_briefing(REPO / "data").sources] + ["newer-stats"]
    assert message == (
        f"{project.data / 'trade.yaml'}:10:88: trade.years[3].source: unknown source "
        f"'newer-stat' (known: {', '.join(known)})"
    )
