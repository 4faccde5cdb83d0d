"""Page layout, measured on the typeset PDFs: running heads, filled pages, headings kept with
their text, nothing outside the page, long tables and boxes that break cleanly."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from pypdf import PageObject, PdfReader

from kzbrief.data.audiences import load_audiences
from kzbrief.data.briefing import load_briefing

from .conftest import REPO, BuiltBriefing, Project, copy_project
from .pdf_glyphs import Glyph, Line, group_lines
from .pdf_glyphs import glyphs as read_glyphs

pytestmark = pytest.mark.xdist_group("layout")  # its fixture is built once, in one worker

MM = 72 / 25.4


# Each PDF is read once and each page's glyphs decoded once, for all the tests that measure
# them (the stressed build has dozens of pages, and four tests walk every one).
@functools.cache
def _reader(pdf: Path) -> PdfReader:
    return PdfReader(pdf)


_GLYPHS: dict[int, list[Glyph]] = {}


def glyphs(page: PageObject) -> list[Glyph]:
    if id(page) not in _GLYPHS:
        _GLYPHS[id(page)] = read_glyphs(page)
    return _GLYPHS[id(page)]


def lines(page: PageObject) -> list[Line]:
    return group_lines(glyphs(page))


AUDIENCES = ["government", "business", "us-policy", "press"]
MARGINS_MM = {"press": (16.0, 20.0)}  # top, bottom; the others use print.css's 24 and 22
MIN_FILL = 0.7  # every page but the last is at least this full


def _margins(audience: str) -> tuple[float, float]:
    top, bottom = MARGINS_MM.get(audience, (24.0, 22.0))
    return top * MM, bottom * MM


def _body(page: PageObject, audience: str) -> list[Line]:
    """Lines between the running head and the running foot."""
    top, bottom = _margins(audience)
    height = float(page.mediabox.height)
    return [line for line in lines(page) if bottom < line.y < height - top]


def _running_section(page: PageObject, audience: str) -> str:
    """The right half of the running head: the section it names."""
    top, _ = _margins(audience)
    height, middle = float(page.mediabox.height), float(page.mediabox.width) / 2
    head = [g for g in glyphs(page) if g.y > height - top and g.x0 > middle]
    return " ".join(line.text for line in group_lines(head))


def _fill(page: PageObject, audience: str) -> float:
    """How far down the text area the page's text reaches (0 empty, 1 full)."""
    top, bottom = _margins(audience)
    area_top = float(page.mediabox.height) - top
    lowest = min((line.y for line in _body(page, audience)), default=area_top)
    return (area_top - lowest) / (area_top - bottom)


def _section_titles(data: Path, audience: str) -> dict[str, str]:
    """'2 Diplomatic foundations' -> 'Diplomatic foundations', in the audience's order."""
    headings = load_briefing(data).narrative.headings
    sections = load_audiences(data)[audience].sections
    return {f"{i} {headings[s]}": headings[s] for i, s in enumerate(sections, start=1)}


def _is_heading(line: Line) -> bool:
    """Section titles (16 pt, 13 pt in the press summary) and sub-headings (11.5 pt), bold sans."""
    return line.size >= 11 and line.font.endswith("Sans-Pro-Bold")


@pytest.mark.parametrize("audience", AUDIENCES)
def test_running_head_names_the_section_at_the_top_of_the_page(
    built: BuiltBriefing, audience: str
) -> None:
    """A section that starts lower down a page is named from the next page on, not above
    the end of the section before it."""
    titles = _section_titles(REPO / "data", audience)
    current, seen = "", []
    for number, page in enumerate(_reader(built.pdfs[audience]).pages, start=1):
        body = [line.text for line in _body(page, audience)]
        at_top = titles.get(body[0], current) if body else current
        seen.append((number, _running_section(page, audience), at_top))
        for text in body:
            current = titles.get(text, current)
    assert [(n, shown) for n, shown, _ in seen] == [(n, expected) for n, _, expected in seen]
    assert all(shown for n, shown, _ in seen if n > 1)  # every page after the first has one


@pytest.mark.parametrize("audience", AUDIENCES)
def test_pages_are_filled_except_the_last(built: BuiltBriefing, audience: str) -> None:
    pages = _reader(built.pdfs[audience]).pages
    fills = {n: round(_fill(page, audience), 2) for n, page in enumerate(pages[:-1], start=1)}
    assert {n: fill for n, fill in fills.items() if fill < MIN_FILL} == {}


@pytest.mark.parametrize("audience", AUDIENCES)
def test_no_page_ends_with_a_heading(built: BuiltBriefing, audience: str) -> None:
    for number, page in enumerate(_reader(built.pdfs[audience]).pages, start=1):
        body = _body(page, audience)
        assert not (body and _is_heading(body[-1])), (number, body[-1].text)


def test_contents_share_the_cover(built: BuiltBriefing) -> None:
    cover = _reader(built.pdf).pages[0].extract_text()
    assert "Contents" in cover and "8 Sources" in cover
    assert "DISTRIBUTION: FOR OFFICIAL USE" in cover  # the cover's foot is still there
    assert "Page 1 of" not in cover  # and it has no running foot


def test_both_tables_are_as_wide_as_the_text_column(built: BuiltBriefing) -> None:
    heads = [
        line
        for page in _reader(built.pdf).pages
        for line in lines(page)
        if line.text.startswith(("Year Turnover", "Country Length"))
    ]
    assert len(heads) == 2
    trade, railway = heads
    assert railway.x0 == pytest.approx(trade.x0, abs=0.5)
    assert railway.x1 == pytest.approx(trade.x1, abs=0.5)


def test_a_milestone_text_lines_up_on_its_first_and_next_lines(built: BuiltBriefing) -> None:
    """The "To date" entry wraps: its second line starts where its first line's text does."""
    page = next(p for p in _reader(built.pdf).pages if "More than 60 inter" in p.extract_text())
    page_lines = lines(page)
    first = next(i for i, line in enumerate(page_lines) if "More than 60 inter" in line.text)
    row = [g for g in glyphs(page) if round(g.y, 1) == page_lines[first].y]
    row.sort(key=lambda g: g.x0)
    text_start = row["".join(g.char for g in row).index("More than")].x0
    size = page_lines[first].size  # the next line of text, not a raised citation mark
    second = next(line for line in page_lines[first + 1 :] if line.size == size)
    assert second.x0 == pytest.approx(text_start, abs=0.3)


def _flat_text(pdf: Path) -> str:
    raw = "\n".join(page.extract_text() for page in _reader(pdf).pages)
    return re.sub(r"\s+", " ", re.sub(r"(\w)-\n(\w)", r"\1\2", raw))


def test_recommendations_are_printed_once_and_the_summary_points_to_them(
    built: BuiltBriefing,
) -> None:
    text = _flat_text(built.pdf)
    recommendations = load_briefing(REPO / "data").narrative.recommendations
    for item in recommendations:
        assert text.count(item.text[:40]) == 1, item.title
        assert text.count(item.title) == 2, item.title  # named in the summary, set out in 7
    page = next(
        n
        for n, p in enumerate(_reader(built.pdf).pages, start=1)
        if any(line.text == "7 Recommendations" for line in lines(p))
    )
    assert f"Each is set out in section 7, page {page}." in text


# --- hostile data: one stressed copy of the project, built once for the tests below ---

# Longer than a page holds (about 50 lines of 95 letters), so it must break across lines and
# a page. WeasyPrint's time grows with the square of a word's length: 20,000 letters, as
# here before, cost this build 25 s more; 6,000 cost 3.
LONG_WORD = "x" * 6_000
LONG_URL = "https://example.org/" + "/".join(f"segment-{i:03d}" for i in range(120)) + "?q=z"
LONG_LEAD_SENTENCE = "This lead is far longer than a cover can hold."
TRADE_YEARS = 60
MILESTONES = 200


def _rewrite(path: Path, change: object) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)  # type: ignore[operator]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _many_years(data: dict) -> None:
    trade = data["trade"]
    template, last = trade["years"][0], trade["years"][-1]["year"]
    rows = []
    for i in range(TRADE_YEARS):
        export, imports = 1_000_000_000 + 9_000_000 * i, 20_000_000 + 1_000_000 * (i % 7)
        year = last - TRADE_YEARS + 1 + i
        row = {"year": year, "turnover": export + imports, "export": export, "import": imports}
        rows.append({**template, **row})
    trade["years"] = rows


def _many_milestones(data: dict) -> None:
    milestones = data["diplomacy"]["milestones"]
    extra = [
        {**milestones[0], "date": 1700 + i, "event": f"Milestone {i} of a long record"}
        for i in range(MILESTONES - len(milestones))
    ]
    data["diplomacy"]["milestones"] = extra + milestones


def _long_strings(data: dict) -> None:
    data["narrative"]["diplomacy"] = f"{LONG_WORD} {data['narrative']['diplomacy']}"


def _long_lead(data: dict) -> None:
    data["audience"]["lead"] = " ".join([LONG_LEAD_SENTENCE] * 60)


def _long_url(data: dict) -> None:
    seed = next(source for source in data["sources"] if source["id"] == "seed")
    seed["note"] = f"{seed.get('note', '')} Online at {LONG_URL}"


@pytest.fixture(scope="session")
def stressed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The government briefing with 60 years of trade, 200 milestones, a 20,000-character
    word in the narrative, a very long URL in a source and a cover lead of 540 words."""
    project = copy_project(tmp_path_factory.mktemp("stressed"))
    _rewrite(project.data / "trade.yaml", _many_years)
    _rewrite(project.data / "diplomacy.yaml", _many_milestones)
    _rewrite(project.data / "narrative.yaml", _long_strings)
    _rewrite(project.data / "sources.yaml", _long_url)
    _rewrite(project.data / "audiences" / "government.yaml", _long_lead)
    [pdf] = project.build(audiences=["government"])
    return pdf


def _pages(pdf: Path) -> Iterator[tuple[int, PageObject]]:
    yield from enumerate(_reader(pdf).pages, start=1)


def test_no_glyph_lies_outside_the_page(stressed: Path) -> None:
    count = 0
    for number, page in _pages(stressed):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        for glyph in glyphs(page):
            count += glyph.char == "x"
            assert glyph.x0 >= 0 and glyph.x1 <= width and 0 <= glyph.y <= height, (number, glyph)
    assert count >= len(LONG_WORD)  # the long word is all there, broken over lines
    pages = {n for n, page in _pages(stressed) if any("x" * 40 in li.text for li in lines(page))}
    assert len(pages) >= 2  # and over a page break
    assert "segment-119" in _flat_text(stressed).replace(" ", "")


def test_a_long_lead_runs_the_cover_on_and_keeps_its_foot(stressed: Path) -> None:
    """The cover's foot stays at the foot of page 1; lead and contents continue overleaf."""
    first, second = (page.extract_text() for page in _reader(stressed).pages[:2])
    foot = "kzbrief Policy Analysis Unit DISTRIBUTION: FOR OFFICIAL USE"
    assert first.splitlines()[-1] == foot
    assert LONG_LEAD_SENTENCE in second and "8 Sources" in second


def test_a_long_key_facts_box_breaks_with_its_heading_repeated(stressed: Path) -> None:
    """The box starts under the recommendations, not on a fresh page, and every page it
    continues on starts with its heading again."""
    box_pages = []
    for number, page in _pages(stressed):
        body = [line.text for line in _body(page, "government")]
        if "Key facts" in body:
            box_pages.append(number)
            assert number == box_pages[0] or body[0] == "Key facts", number
    assert len(box_pages) >= 3
    first = _reader(stressed).pages[box_pages[0] - 1]
    assert "What we recommend" in first.extract_text()
    assert _fill(first, "government") > 0.9


def test_sixty_years_keep_the_table_caption_with_its_first_rows(stressed: Path) -> None:
    first_year = yaml.safe_load((REPO / "data" / "trade.yaml").read_text(encoding="utf-8"))
    first_year = first_year["trade"]["years"][-1]["year"] - TRADE_YEARS + 1
    for _, page in _pages(stressed):
        texts = [line.text for line in _body(page, "government")]
        if any(text.startswith("Table 1.") for text in texts):
            assert any(text.startswith(f"{first_year} ") for text in texts)
            break
    else:
        pytest.fail("no Table 1 caption found")


def test_stressed_pages_are_filled_and_end_with_no_heading(stressed: Path) -> None:
    pages = list(_pages(stressed))
    for number, page in pages[:-1]:
        assert _fill(page, "government") >= MIN_FILL, number
    for number, page in pages:
        body = _body(page, "government")
        assert not (body and _is_heading(body[-1])), (number, body[-1].text)


# --- a reader's own audience: US Letter, summary and sources only ---


# A note of this length puts a page break among the summary's points: without the list rule
# the last point went over alone (before this change too, onto a page of its own).
NOTE_WORDS = 330


def test_a_custom_letter_audience_leaves_no_list_item_alone(project: Project) -> None:
    """The summary's last point never sits alone at the top of a page: at least two points
    of a list go over together."""

    def customise(data: dict) -> None:
        audience = data["audience"]
        audience.update(id="custom", paper="Letter", sections=["summary", "sources"])
        audience["notes"] = {"summary": " ".join(["Readers should note this."] * (NOTE_WORDS // 4))}

    path = project.data / "audiences" / "custom.yaml"
    path.write_text((project.data / "audiences" / "government.yaml").read_text(encoding="utf-8"))
    _rewrite(path, customise)
    [pdf] = project.build(audiences=["custom"])
    carried_over = 0
    for number, page in _pages(pdf):
        body = _body(page, "custom")
        starts = [line for line in body if line.text.startswith("•")]
        if body and body[0].text.startswith("•"):
            carried_over += 1
            assert len(starts) >= 2, (number, [line.text for line in body[:4]])
    assert carried_over == 1  # the list did break across pages, so the rule was exercised
