"""What changed since the previous edition: read back from edition 1's PDF (its attached data),
listed by ``kzbrief changes``, and printed in a box on the summary page of edition 2.

Edition 1 is the shipped data; edition 2 changes a figure, adds a year, removes a milestone,
rewrites a sentence and a Russian translation. The added year's figures are made up for the
test, never shown as facts: the project copy lives in a temporary folder.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from kzbrief.charts.registry import draw_charts
from kzbrief.cli import main
from kzbrief.data.audiences import load_audiences
from kzbrief.data.briefing import load_briefing_documents
from kzbrief.data.changes import ChangeList, edition_changes, read_previous
from kzbrief.data.localise import Localised, localise
from kzbrief.errors import DataError
from kzbrief.formats.attachments import source_files
from kzbrief.formats.pdf import Typeset, typeset_key, typeset_options, typeset_pdf
from kzbrief.language.current import load_language, use_language
from kzbrief.project import PACKAGED_TEMPLATES
from kzbrief.render.html import TemplateStack, edition_timestamp, render_html

from .conftest import Project, copy_project, pdf_text

FIRST = dt.date(2026, 11, 27)
EXPECTED = [
    "Changes since the edition of 27 November 2026 (2026-11-27)",
    "2011 turnover: US$1.11 bn \u2192 US$1.23 bn",
    "2011 exports: US$1.08 bn \u2192 US$1.2 bn",
    "2012 figures added: turnover US$1.5 bn, exports US$1.45 bn, imports US$50 m",
    "Milestone removed: 1993, Kazakhstan opens its embassy in Iran",
    "Section \u2018Diplomatic foundations\u2019: text revised",
]


@dataclass
class Editions:
    project: Project
    first_pdf: Path  # edition 1's press PDF, with its data attached
    first_files: dict[str, bytes]  # edition 1's data files, as the register keeps them


def _data_files(data: Path) -> dict[str, bytes]:
    paths = [p for p in data.rglob("*.yaml") if p.name != "recipients.yaml"]
    return {p.relative_to(data).as_posix(): p.read_bytes() for p in paths}


def _localised(data: Path, language: str) -> Localised:
    briefing, documents = load_briefing_documents(data)
    return localise(data, briefing, documents, list(load_audiences(data).values()), language)


def _typeset(data: Path, audience: str, language: str, changes: ChangeList | None) -> Typeset:
    """One PDF edition, rendered and typeset as the build does it."""
    local = _localised(data, language)
    edition_language = load_language(language)
    with use_language(edition_language):
        charts = draw_charts(local.briefing)
    stack = TemplateStack.for_audience(PACKAGED_TEMPLATES, audience, None)
    html = render_html(local.briefing, local.audiences[audience], charts, stack, None, "pdf",
                       edition_language, local.draft, changes)  # fmt: skip
    config = local.audiences[audience].config_file
    timestamp = edition_timestamp(local.briefing)
    options = typeset_options(stack.folders, data, config, "pdf/a-3b", timestamp, language)
    assert not edition_language.missing_messages()
    return typeset_pdf(html, options)


@pytest.fixture(scope="module")
def editions(tmp_path_factory: pytest.TempPathFactory) -> Editions:
    root = tmp_path_factory.mktemp("changes")
    project = copy_project(root, languages=True)
    first_pdf = root / "edition-1-press-en.pdf"
    first_pdf.write_bytes(_typeset(project.data, "press", "en", None).pdf)
    first_files = _data_files(project.data)
    project.edit("trade.yaml", "turnover: 1110000000, export: 1080000000",
                 "turnover: 1230000000, export: 1200000000")  # fmt: skip
    added = "    - {year: 2012, turnover: 1500000000, export: 1450000000, import: 50000000}\n"
    project.edit("trade.yaml", "import: 34900000}\n", "import: 34900000}\n" + added)
    project.edit("diplomacy.yaml", '    - date: 1993\n      event: "Kazakhstan opens its embassy'
                 ' in Iran"\n      source: seed\n', "")  # fmt: skip
    project.edit("narrative.yaml", "Embassies came first, in the early 1990s,",
                 "Embassies came first, early in the 1990s,")  # fmt: skip
    project.edit("i18n/ru/narrative.yaml", "Импорт из Ирана невелик", "Импорт из Ирана мал")
    project.edit("meta.yaml", "edition: 2026-11-27", "edition: 2026-11-27.2")
    return Editions(project, first_pdf, first_files)


def _changes(editions: Editions, language: str) -> ChangeList:
    previous = read_previous(editions.first_files)
    return edition_changes(previous, _localised(editions.project.data, language), "2026-11-27",
                           FIRST)  # fmt: skip


def test_changes_since_a_pdf_lists_each_change_with_old_and_new_values(
    editions: Editions, capsys: pytest.CaptureFixture[str]
) -> None:
    data = ["--data", str(editions.project.data)]
    assert main(["changes", "--since", str(editions.first_pdf), *data]) == 0
    assert capsys.readouterr().out.splitlines() == EXPECTED


def test_changes_as_json_have_stable_keys_and_plain_values(
    editions: Editions, capsys: pytest.CaptureFixture[str]
) -> None:
    data = ["--data", str(editions.project.data)]
    assert main(["changes", "--since", str(editions.first_pdf), "--format", "json", *data]) == 0
    found = json.loads(capsys.readouterr().out)
    since = (found["since"], found["since_date"], found["language"])
    assert since == ("2026-11-27", "2026-11-27", "en")
    by_key = {item["key"]: item for item in found["changes"]}
    assert list(by_key) == [
        "trade.years[2011].turnover",
        "trade.years[2011].export",
        "trade.years[2012]",
        "diplomacy.milestones[1993]",
        "narrative.diplomacy",
    ]
    export = by_key["trade.years[2011].export"]
    assert (export["kind"], export["old"], export["new"]) == ("changed", 1.08e9, 1.2e9)
    assert export["label"] == "2011 exports"
    added = by_key["trade.years[2012]"]
    assert added["kind"] == "added" and added["old"] is None
    assert added["new"] == {"turnover": 1.5e9, "export": 1.45e9, "import": 5e7}
    removed = by_key["diplomacy.milestones[1993]"]
    assert (removed["kind"], removed["new"]) == ("removed", None)
    assert removed["old"] == "Kazakhstan opens its embassy in Iran"
    revised = by_key["narrative.diplomacy"]
    assert revised["old"].startswith("Embassies came first, in the early 1990s,")
    assert revised["new"].startswith("Embassies came first, early in the 1990s,")


def test_a_changed_translation_is_a_change_in_its_language_only(editions: Editions) -> None:
    russian = _changes(editions, "ru").lines()
    assert "Раздел «Динамика торговли»: текст изменён" in russian
    assert "Экспорт за 2011 г.: 1,08 млрд долл. США \u2192 1,2 млрд долл. США" in russian
    english = _changes(editions, "en").lines()
    assert english == EXPECTED[1:]  # the Russian sentence is no change in English
    persian = _changes(editions, "fa").lines()
    assert "صادرات ۲۰۱۱: ۱٫۰۸ میلیارد دلار آمریکا \u2190 ۱٫۲ میلیارد دلار آمریکا" in persian


def test_lines_are_cut_with_a_count_of_the_rest(editions: Editions) -> None:
    changes = _changes(editions, "en")
    assert changes.lines(3) == [*EXPECTED[1:3], "\u2026and 3 more"]
    assert changes.lines(5) == EXPECTED[1:]  # five fit: none is counted instead
    assert changes.heading() == EXPECTED[0]


def _pdf_with(files: dict[str, bytes]) -> bytes:
    """A PDF carrying ``files`` as attachments, as an edition's PDF does."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    for name, content in files.items():
        pdf.attachments[name] = pikepdf.AttachedFileSpec(pdf, content, filename=name)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def test_nothing_changed_is_said_and_exits_0(
    editions: Editions, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    same = tmp_path / "same.pdf"
    same.write_bytes(_pdf_with(_data_files(editions.project.data)))
    assert main(["changes", "--since", str(same), "--data", str(editions.project.data)]) == 0
    assert capsys.readouterr().out == (
        "No changes since the edition of 27 November 2026 (2026-11-27.2).\n"
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "--since: file not found"),
        (b"not a pdf", "--since: cannot read the PDF (not a readable PDF)"),
        (b"blank", "--since: the PDF carries no briefing data (no meta.yaml attached)"),
    ],
)
def test_an_unreadable_pdf_is_one_line_and_exit_64(
    editions: Editions,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    content: bytes | None,
    message: str,
) -> None:
    path = tmp_path / "earlier.pdf"
    if content is not None:
        path.write_bytes(_pdf_with({}) if content == b"blank" else content)
    code = main(["changes", "--since", str(path), "--data", str(editions.project.data)])
    err = capsys.readouterr().err
    assert code == 64 and len(err.splitlines()) == 1
    assert message in err and "Traceback" not in err


def test_without_a_register_the_default_is_a_usage_error(
    editions: Editions, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    register = ["--register", str(tmp_path / "none.sqlite")]
    assert main(["changes", "--data", str(editions.project.data), *register]) == 64
    assert "no edition has been recorded" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"../meta.yaml": b"x: 1\n"}, "has a file named '../meta.yaml'"),
        ({"meta.yaml": b"a: &x [1]\nb: *x\n"}, "meta.yaml uses YAML aliases"),
        ({"trade.yaml": b"trade: [\n"}, "is not valid: trade.yaml:2:1: invalid YAML"),
    ],
)
def test_bad_earlier_data_is_one_data_error(files: dict[str, bytes], message: str) -> None:
    with pytest.raises(DataError) as caught:
        read_previous(files)
    assert message in str(caught.value) and "\n" not in str(caught.value)
    assert caught.value.exit_code == 2


def test_a_bad_attachment_exits_2_with_one_line(
    editions: Editions, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = {**editions.first_files, "trade.yaml": b"trade:\n  currency: dollars\n"}
    path = tmp_path / "broken.pdf"
    path.write_bytes(_pdf_with(broken))
    assert main(["changes", "--since", str(path), "--data", str(editions.project.data)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("kzbrief: error: the previous edition's data is not valid: trade.yaml:")
    assert len(err.splitlines()) == 1


def test_a_pdf_attaches_its_language_s_translations(editions: Editions) -> None:
    data = editions.project.data
    names = [item.name for item in source_files(data, None, "ru")]
    assert "i18n/ru/narrative.yaml" in names and "meta.yaml" in names
    assert not [n for n in names if n.startswith(("i18n/kk", "i18n/fa"))]
    assert not [n for n in (i.name for i in source_files(data, None, "en")) if "i18n" in n]
    timestamp = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    before = typeset_key("<p/>", typeset_options((data,), data, None, "none", timestamp, "ru"))
    (data / "i18n/ru/trade.yaml").write_bytes((data / "i18n/ru/trade.yaml").read_bytes() + b"\n")
    after = typeset_key("<p/>", typeset_options((data,), data, None, "none", timestamp, "ru"))
    assert before != after  # a changed translation is typeset again


def test_the_government_edition_shows_the_box_on_its_summary_page(
    editions: Editions, tmp_path: Path
) -> None:
    changes = _changes(editions, "en")
    result = _typeset(editions.project.data, "government", "en", changes)
    path = tmp_path / "government.pdf"
    path.write_bytes(result.pdf)
    cover, summary = (pdf_text_of(path, page) for page in (0, 1))
    assert "Policy briefing · 27 November 2026 · Edition 2026-11-27.2".upper() in cover.upper()
    for line in EXPECTED:
        assert line in summary, line
    assert not result.warnings


def test_the_press_edition_has_the_short_form_within_its_two_pages(
    editions: Editions, tmp_path: Path
) -> None:
    for language, words in (
        ("en", [EXPECTED[0], EXPECTED[1], "\u2026and 4 more", "Figure 1."]),
        # the trade chart still ends page 1 ("شکل": Figure); pypdf mixes Persian digits up
        ("fa", ["تغییرات نسبت به ویرایش", "حجم مبادلات", "مورد دیگر", "شکل"]),
    ):
        result = _typeset(editions.project.data, "press", language, _changes(editions, language))
        assert result.pages == 2 and not result.warnings  # the press page budget
        path = tmp_path / f"press-{language}.pdf"
        path.write_bytes(result.pdf)
        first = pdf_text_of(path, 0)
        for word in words:
            assert word in first, (language, word)
        if language == "en":  # the dateline names a second edition of the day
            assert "EDITION 2026-11-27.2" in first.upper()


def pdf_text_of(path: Path, page: int) -> str:
    """One page's text, as pdf_text folds it."""
    single = path.with_name(f"{path.stem}-page{page}.pdf")
    with pikepdf.open(path) as pdf:
        out = pikepdf.new()
        out.pages.append(pdf.pages[page])
        out.save(single)
    assert PdfReader(single).pages
    return pdf_text(single)
