"""A real build: the PDF a reader gets carries every fact, figure and section."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from .conftest import BuiltBriefing, Project, pdf_text

A4_POINTS = (595.28, 841.89)

FACTS = [
    # diplomatic foundations
    "1992",
    "Iran opens its embassy in Kazakhstan",
    "1993",
    "Kazakhstan opens its embassy in Iran",
    "29 January 1999",
    "Diplomatic relations established",
    "More than 60",
    # multilateral coordination
    "CICA",
    "Conference on Interaction and Confidence-Building Measures in Asia",
    "SCO",
    "Shanghai Cooperation Organization",
    "ECO",
    "Economic Cooperation Organization",
    "Special working group on the Caspian Sea",
    # visits: the years, and honesty about the missing counts
    "1992, 1993, 1996, 1998, 1999, 2000, 2001, 2002, 2005, 2006, 2007, 2008, "
    "2009, 2010, 2011, 2012",
    "Number of visits per year: not given in the source",
    # trade, Table 2 of the source
    "2009 1.3 bn 1.279 bn 24 m",
    "2010 1.1 bn 1.09 bn 0.2 m",
    "2011 1.11 bn 1.08 bn 34.9 m",
    "Agency of Statistics of the Republic of Kazakhstan",
    "metal",
    "metal items",
    "grain",
    "dried fruits",
    "petrochemical products",
    "food-industry products",
    "building materials",
    # transport
    "7 October 2001",
    "Aktau",
    "Nowshahr",
    "Enzeli",
    "oil, metal, grain, wheeled machinery",
    "December 2007",
    "Ashgabat",
    "Uzen – Kyzylkaya – Bereket – Etrek – Gorgan",
    "Kazakhstan 146",
    "Turkmenistan 700",
    "Iran 83",
    "Total 929",
    "The Kazakhstan section was finished in 2011",
    # the mediator proposal
    "representing Iran's interests in the United States",
    "Switzerland represents US interests in Iran",
]

SECTIONS = [
    "Summary and key facts",
    "Diplomatic foundations",
    "Multilateral coordination",
    "Trade dynamics",
    "Transport corridors",
    "The mediator role",
    "Recommendations",
    "Sources",
]


@pytest.mark.parametrize("fact", FACTS)
def test_pdf_states_fact(built: BuiltBriefing, fact: str) -> None:
    assert fact in built.text


@pytest.mark.parametrize("title", SECTIONS)
def test_pdf_has_section(built: BuiltBriefing, title: str) -> None:
    assert title in built.text
    outline = [item.title for item in PdfReader(built.pdf).outline if not isinstance(item, list)]
    assert any(title in entry for entry in outline)


FIGURE_CAPTIONS = (
    "Trade between Kazakhstan and Iran",
    "Kazakhstan–Turkmenistan–Iran railway",
    "Ferry and rail links",
    "Years with bilateral visits",
)


def test_figures_are_numbered_with_captions(built: BuiltBriefing) -> None:
    numbers = set()
    for caption in FIGURE_CAPTIONS:
        # The caption itself: its number, then its first sentence (not a mention elsewhere).
        found = re.search(rf"Figure (\d)\. [^.]{{0,60}}{caption}", built.text)
        assert found, f"no numbered caption for {caption!r}"
        numbers.add(int(found[1]))
    assert numbers == {1, 2, 3, 4}
    assert "Table 1. Trade between Kazakhstan and Iran" in built.text
    assert "Table 2. Length of the Uzen – Gorgan railway by country" in built.text


def test_pdf_is_a4_with_cover_marking_and_page_numbers(built: BuiltBriefing) -> None:
    reader = PdfReader(built.pdf)
    for page in reader.pages:
        assert (
            round(float(page.mediabox.width), 2),
            round(float(page.mediabox.height), 2),
        ) == A4_POINTS
    total = len(reader.pages)
    last = reader.pages[-1].extract_text()
    assert f"Page {total} of {total}" in last
    assert "FOR OFFICIAL USE" in last
    assert "DISTRIBUTION: FOR OFFICIAL USE" in reader.pages[0].extract_text()


def test_html_is_written_beside_the_pdf_when_asked(built: BuiltBriefing) -> None:
    assert [p.suffix for p in built.paths] == [".pdf", ".html"] * 4
    html = built.pdf.with_suffix(".html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "Kazakhstan" in html


def test_changed_number_in_data_reaches_the_pdf(project: Project) -> None:
    project.edit("trade.yaml", "import: 34900000", "import: 35200000")
    project.edit(
        "transport.yaml", "{country: Kazakhstan, km: 146}", "{country: Kazakhstan, km: 151}"
    )
    [pdf] = project.build(audiences=["government"])
    text = pdf_text(pdf)
    assert "35.2 m" in text and "34.9 m" not in text
    assert "Kazakhstan 151" in text and "Total 934" in text


def test_markdown_in_data_is_rendered_and_html_is_escaped(project: Project) -> None:
    project.edit(
        "narrative.yaml",
        "Almost all turnover is Kazakh exports.",
        'Almost all turnover is *Kazakh* exports <img src="file:///etc/passwd"> {{ 7*7 }}.',
    )
    [pdf] = project.build(audiences=["press"])
    text = pdf_text(pdf)
    assert '<img src="file:///etc/passwd">' in text
    assert "{{ 7*7 }}" in text
    # *Kazakh* is set in italic, without its asterisks; the words around it are not.
    assert "*Kazakh*" not in text and "Almost all turnover is Kazakh exports <img" in text
    fonts = _fonts_of_runs(pdf)
    assert fonts["Kazakh"].endswith("-Italic")
    assert not fonts["Almost all turnover is"].endswith("-Italic")


def _fonts_of_runs(pdf: Path) -> dict[str, str]:
    """Each piece of text as drawn (stripped), with the name of the font it is drawn in."""
    fonts: dict[str, str] = {}

    def visit(text: str, _cm: object, _tm: object, font: dict | None, _size: float) -> None:
        if text.strip() and font:
            fonts.setdefault(text.strip(), str(font.get("/BaseFont")))

    for page in PdfReader(pdf).pages:
        page.extract_text(visitor_text=visit)
    return fonts
