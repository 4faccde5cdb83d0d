"""The kk, ru and fa editions: built from the same data with --strict, read back per edition.

One session fixture builds the six translated editions once (the English four are the
session's ``built``); every test reads them. Expected strings are exact: the locale's
separators, digits and date forms, as Babel's CLDR data gives them.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import yaml
from pypdf import PdfReader

import kzbrief.language.current as current
from kzbrief.build import BuildOptions, build_with_report
from kzbrief.cli import main
from kzbrief.errors import StrictError
from kzbrief.language import CATALOGUES
from kzbrief.language.current import catalogue_path
from tests.conftest import Project, copy_project, edition_id, logged_warnings, pdf_text
from tests.marked_content import language_runs

pytestmark = pytest.mark.xdist_group("languages")

EDITIONS = ["government-ru", "government-kk", "business-ru", "press-ru", "press-kk", "press-fa"]
# The Kazakh letters of the kk text (һ, rare, is not in it: tests/test_fonts.py typesets all).
KAZAKH_LETTERS = "әғқңөұүі"


@dataclass
class Translated:
    project: Project
    pdfs: dict[str, Path]
    texts: dict[str, str]
    charts_drawn: list[str]


@pytest.fixture(scope="session")
def translated(tmp_path_factory: pytest.TempPathFactory) -> Translated:
    project = copy_project(tmp_path_factory.mktemp("languages"), languages=True)
    options = BuildOptions(
        data=project.data, output=project.output, languages=("ru", "kk", "fa"), strict=True
    )
    report = build_with_report(options)
    pdfs = {p.stem.removeprefix("kazakhstan-iran-"): p for p in report.written}
    return Translated(project, pdfs, {k: pdf_text(p) for k, p in pdfs.items()}, report.charts_drawn)


def translation(project: Project, language: str, file: str, key: str) -> str:
    strings = yaml.safe_load((project.data / "i18n" / language / file).read_text())["strings"]
    return " ".join(strings[key]["text"].split())


def test_build_language_writes_only_those_editions_with_the_code_in_their_names(
    translated: Translated,
) -> None:
    assert sorted(translated.pdfs) == sorted(EDITIONS)
    assert not list(translated.project.output.glob("*-en.pdf"))


@pytest.mark.parametrize("edition", EDITIONS)
def test_each_edition_declares_its_language(translated: Translated, edition: str) -> None:
    reader = PdfReader(translated.pdfs[edition])
    assert reader.trailer["/Root"]["/Lang"] == edition.split("-")[-1]


@pytest.mark.parametrize("edition", [e for e in EDITIONS if not e.endswith("fa")])
def test_translated_headings_are_printed(translated: Translated, edition: str) -> None:
    language = edition.split("-")[-1]
    text = translated.texts[edition]
    for section in ("summary", "trade", "transport", "sources"):
        heading = translation(translated.project, language, "narrative.yaml",
                              f"narrative.headings.{section}")  # fmt: skip
        assert heading in text, (edition, heading)


@pytest.mark.parametrize("edition", [e for e in EDITIONS if not e.endswith("fa")])
def test_no_english_interface_word_is_left(translated: Translated, edition: str) -> None:
    text = translated.texts[edition]
    for word in ("Contents", "Figure", "Table", "Page", "Source"):
        assert word not in text, (edition, word)


TURNOVER_2011 = {"ru": "1,11 млрд долл. США", "kk": "1,11 млрд АҚШ доллары", "fa": "۱٫۱۱"}


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_edition_writes_amounts_in_its_locale(translated: Translated, edition: str) -> None:
    language = edition.split("-")[-1]
    pdf = translated.pdfs[edition]
    text = persian_text(pdf) if language == "fa" else translated.texts[edition]
    assert TURNOVER_2011[language] in text  # the key facts' latest turnover
    assert "1.11" not in text and "USD" not in text  # never the English form, nor the code


def test_numbers_and_dates_follow_the_russian_locale(translated: Translated) -> None:
    text = translated.texts["government-ru"]
    assert "1,11 млрд долл. США" in text  # the 2011 turnover in the key facts
    assert "1,279 млрд" in text  # the 2009 export in the trade table
    assert "34,9 млн" in text
    assert "29 января 1999 г." in text
    assert "7 октября 2001 г." in text
    assert "Страница 2 из 9" in text or "Страница 2 из" in text


def test_numbers_and_dates_follow_the_kazakh_locale(translated: Translated) -> None:
    text = translated.texts["government-kk"]
    assert "1,11 млрд АҚШ доллары" in text
    assert "1999 жылғы 29 қаңтар" in text  # the year written out, as Kazakh editors do
    for letter in KAZAKH_LETTERS:
        assert letter in text, letter


def persian_text(path: Path) -> str:
    """Text as pdfium extracts it (in logical order, as a reader's copy-and-paste gets it)."""
    document = pdfium.PdfDocument(path)
    try:
        return " ".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def test_persian_numbers_and_dates_use_persian_digits(translated: Translated) -> None:
    text = persian_text(translated.pdfs["press-fa"])
    assert "۱٫۱۱" in text and "میلیارد دلار آمریکا" in text  # 2011's turnover, key facts
    assert "۱۵ مهر ۱۳۸۰" in text and "۷ اکتبر ۲۰۰۱" in text  # Solar Hijri, Gregorian beside
    assert "1.11" not in text and "2001" not in text


def test_persian_text_extracts_in_logical_order(translated: Translated) -> None:
    text = persian_text(translated.pdfs["press-fa"])
    heading = translation(translated.project, "fa", "narrative.yaml", "narrative.headings.trade")
    assert heading in text
    for word in ("Contents", "Figure", "Table", "Page", "Source"):
        assert word not in text, word


def test_latin_left_in_persian_data_is_bidi_isolated(translated: Translated) -> None:
    from kzbrief.data.audiences import load_audiences
    from kzbrief.data.briefing import load_briefing_documents
    from kzbrief.data.localise import localise

    data = translated.project.data
    briefing, documents = load_briefing_documents(data)
    persian = localise(data, briefing, documents, list(load_audiences(data).values()), "fa")
    sources = {s.id: s for s in persian.briefing.sources}
    assert sources["geonames"].publisher == "\u2068GeoNames (geonames.org)\u2069"  # kept Latin
    assert "\u2068" not in sources["seed"].title  # translated: Persian, nothing to isolate
    # a Latin name inside a Persian title is a word of the sentence, not isolated
    assert sources["geonames"].title == "پایگاه داده\u200cهای جغرافیایی GeoNames"
    # The Latin publisher reads left to right, in one piece.
    assert "geonames.org" in persian_text(translated.pdfs["press-fa"])


def test_persian_headings_lie_against_the_right_margin(translated: Translated) -> None:
    heading = translation(translated.project, "fa", "narrative.yaml", "narrative.headings.trade")
    document = pdfium.PdfDocument(translated.pdfs["press-fa"])
    try:
        for page in document:
            width = page.get_width()
            textpage = page.get_textpage()
            searcher = textpage.search(heading)
            found = searcher.get_next()
            if found is None:
                continue
            start, count = found
            boxes = [textpage.get_charbox(i) for i in range(start, start + count)]
            left = min(box[0] for box in boxes)
            right = max(box[2] for box in boxes)
            margin = 18 / 25.4 * 72  # the press layout's side margins, 18 mm
            assert abs(width - margin - right) < 15, (right, width - margin)
            assert left > width / 2, "a short heading starts right of the page's middle"
            return
    finally:
        document.close()
    pytest.fail("the Persian trade heading was not found")


DRAFT = {  # what an edition with unreviewed text calls itself, in its language
    "ru": "Черновой перевод, не проверенный редактором",
    "kk": "Редактор тексермеген аударма жобасы",
    "fa": "پیش‌نویس ترجمه، بازبینی‌نشده",
}


def test_a_draft_translation_says_so_on_every_page_and_in_the_metadata(
    translated: Translated,
) -> None:
    for edition in EDITIONS:
        language = edition.rsplit("-", 1)[1]
        reader = PdfReader(translated.pdfs[edition])
        assert "Unreviewed draft translation" in reader.metadata["/Subject"], edition
        assert DRAFT[language] in reader.metadata["/Subject"], edition
        for number, page in enumerate(reader.pages, 1):
            # (text extraction drops the zero-width non-joiner of Persian words)
            text = " ".join(page.extract_text().split()).replace("\u200c", "")
            # the cover as written, the running foot in capitals (Persian has no case)
            assert "UNREVIEWED DRAFT TRANSLATION" in text.upper(), (edition, number)
            assert DRAFT[language].replace("\u200c", "").upper() in text.upper(), (edition, number)


def test_an_interface_catalogue_under_review_is_a_draft_too(tmp_path: Path) -> None:
    """Data translations all reviewed, the catalogue not: still a draft; both reviewed: not."""
    project = copy_project(tmp_path, languages=True)
    for path in (project.data / "i18n" / "ru").rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("status: draft", "status: reviewed"), encoding="utf-8")
    options = BuildOptions(
        data=project.data, output=project.output, audiences=["press"], languages=("ru",)
    )
    [pdf] = build_with_report(options).written
    assert "UNREVIEWED DRAFT TRANSLATION" in PdfReader(pdf).pages[1].extract_text()
    catalogues = tmp_path / "locale"
    shutil.copytree(CATALOGUES, catalogues)
    po = catalogues / "ru.po"
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace("# Review status: draft", "# Review status: reviewed"), "utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(current, "CATALOGUES", catalogues)
        options.cache = False
        [pdf] = build_with_report(options).written
    assert "UNREVIEWED" not in " ".join(p.extract_text() for p in PdfReader(pdf).pages).upper()


def test_charts_are_drawn_once_per_language(translated: Translated) -> None:
    drawn = translated.charts_drawn
    assert len(drawn) == len(set(drawn))
    assert sorted(drawn) == sorted(
        f"{chart}/{language}"
        for chart in ("trade", "railway", "map", "visits")
        for language in ("ru", "kk", "fa")
    )


def briefing_text(data: Path, document: str, key: str) -> str:
    """A text of the English data, as the YAML gives it."""
    return yaml.safe_load((data / f"{document}.yaml").read_text(encoding="utf-8"))[document][key]


def test_a_changed_english_string_makes_its_translation_stale(tmp_path: Path) -> None:
    project = copy_project(tmp_path, languages=True)
    project.edit("narrative.yaml", "Almost all turnover", "Nearly all turnover")
    options = BuildOptions(
        data=project.data,
        output=project.output,
        audiences=["press"],
        languages=("ru",),
        strict=True,
    )
    with pytest.raises(StrictError) as caught, logged_warnings() as warnings:
        build_with_report(options)
    assert caught.value.exit_code == 6
    line = next(
        n for n, text in enumerate((project.data / "i18n/ru/narrative.yaml").open(), 1)
        if text.startswith("  narrative.trade:")
    )  # fmt: skip
    where = project.data / "i18n" / "ru" / "narrative.yaml"
    english = " ".join(briefing_text(project.data, "narrative", "trade").split())
    assert english.startswith("Nearly all turnover") and len(english) > 70  # the old cut
    assert warnings == [
        f"{where}:{line + 1}:5: stale translation of narrative.trade: the English is now "
        f"{english!r} (update the text, then its en: to c30b00ec)"  # in full, never cut
    ]
    assert not list(project.output.iterdir()), "nothing was written"


def test_translate_status_update_and_the_po_round_trip(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = copy_project(tmp_path, languages=True)
    data = ["--data", str(project.data)]
    assert main(["translate", "status", *data]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert re.fullmatch(r"ru  data: \d+ ok, 0 stale, 0 missing   interface: \d+ ok, 0 stale, "
                        r"0 missing   \(draft\)", lines[0])  # fmt: skip
    project.edit("narrative.yaml", "Almost all turnover", "Nearly all turnover")
    # a new English text: a fifth summary point, which no translation has yet
    project.edit("narrative.yaml", "  diplomacy: >-\n", '    - "New"\n  diplomacy: >-\n')
    assert main(["translate", "status", "ru", *data]) == 0
    out = capsys.readouterr().out
    assert ", 1 stale, 1 missing" in out
    assert "ru  stale   " in out and "narrative.trade" in out
    assert "narrative.summary.4" in out
    interface = catalogue_path("ru")  # the package's: its messages are all current
    before = interface.read_bytes()
    assert main(["translate", "update", "ru", *data]) == 0
    assert "1 entries added, 1 marked stale" in capsys.readouterr().out
    assert interface.read_bytes() == before  # not even re-dated
    updated = yaml.safe_load((project.data / "i18n/ru/narrative.yaml").read_text())["strings"]
    assert updated["narrative.trade"]["fuzzy"] is True
    assert updated["narrative.trade"]["english"].startswith("Nearly all turnover")
    assert updated["narrative.trade"]["text"].startswith("Почти весь товарооборот")  # kept
    assert updated["narrative.summary.4"]["english"] == "New"
    assert updated["narrative.summary.4"]["text"] == ""  # for the translator to fill
    for suffix in ("po", "xlf"):
        target = tmp_path / f"ru.{suffix}"
        fmt = "po" if suffix == "po" else "xliff"
        assert (
            main(["translate", "export", "ru", "--format", fmt, "--output", str(target), *data])
            == 0
        )
        exported = target.read_text()
        assert "Nearly all turnover" in exported and "Почти весь товарооборот" in exported
    po = (tmp_path / "ru.po").read_text()
    po = po.replace('msgid "New"\nmsgstr ""', 'msgid "New"\nmsgstr "Новое"')
    (tmp_path / "ru.po").write_text(po)
    assert main(["translate", "import", "ru", str(tmp_path / "ru.po"), *data]) == 0
    imported = yaml.safe_load((project.data / "i18n/ru/narrative.yaml").read_text())["strings"]
    assert imported["narrative.summary.4"]["text"] == "Новое"
    assert main(["translate", "status", "ru", *data]) == 0
    assert ", 1 stale, 0 missing" in capsys.readouterr().out  # the fuzzy one still waits
    # XLIFF 1.2 round trip, as a CAT tool returns the file: one target changed
    xlf = tmp_path / "ru.xlf"
    assert (
        main(["translate", "export", "ru", "--format", "xliff", "--output", str(xlf), *data]) == 0
    )
    exported = xlf.read_text(encoding="utf-8")
    assert 'xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2"' in exported
    assert '<target state="translated">Новое</target>' in exported
    xlf.write_text(exported.replace(">Новое<", ">Новый раздел<"), encoding="utf-8")
    assert main(["translate", "import", "ru", str(xlf), *data]) == 0, capsys.readouterr().err
    imported = yaml.safe_load((project.data / "i18n/ru/narrative.yaml").read_text())["strings"]
    assert imported["narrative.summary.4"]["text"] == "Новый раздел"
    # the rewritten file still names its schema for the editor, and its language in words
    first, second = (project.data / "i18n/ru/narrative.yaml").read_text().splitlines()[:2]
    assert first.startswith("# yaml-language-server: $schema=file://")
    assert first.endswith("/kzbrief/schemas/translation.schema.json")
    assert second == "# Russian translation of data/narrative.yaml, mirroring it key by key."


def test_list_shows_each_audience_s_languages(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    project = copy_project(tmp_path, languages=True)
    assert main(["list", "--data", str(project.data)]) == 0
    out = capsys.readouterr().out
    assert "    languages: en, ru, kk, fa" in out and "    languages: en, ru, kk" in out


def test_an_unknown_language_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = copy_project(tmp_path, languages=True)
    args = ["build", "--data", str(project.data), "--output", str(project.output)]
    assert main([*args, "--language", "de"]) == 64
    assert capsys.readouterr().err.strip() == (
        "kzbrief: error: --language: no audience is read in de (languages: en, ru, kk, fa)"
    )


def test_a_message_missing_from_the_catalogue_is_a_warning_naming_it(tmp_path: Path) -> None:
    project = copy_project(tmp_path, languages=True)
    override = tmp_path / "templates" / "audiences" / "press" / "sections"
    override.mkdir(parents=True)
    (override / "sources.html.j2").write_text('<p>{{ _("A phrase no catalogue has") }}</p>\n')
    options = BuildOptions(
        data=project.data,
        output=project.output,
        templates=tmp_path / "templates",
        audiences=["press"],
        languages=("kk",),
        strict=True,
    )
    with pytest.raises(StrictError), logged_warnings() as warnings:
        build_with_report(options)
    assert warnings == [
        "<kzbrief>/language/locale/kk.po: no translation of 'A phrase no catalogue has' "
        "(the English was printed)"
    ]


def test_web_editions_write_cross_references_in_their_language(tmp_path: Path) -> None:
    project = copy_project(tmp_path, languages=True)
    options = BuildOptions(
        data=project.data,
        output=project.output,
        audiences=["government", "press"],
        languages=("ru", "fa"),
        formats=("html",),
        strict=True,
    )
    pages = {edition_id(p): p.read_text() for p in build_with_report(options).written}
    russian, persian = pages["government-ru"], pages["press-fa"]
    assert '<html lang="ru" dir="ltr">' in russian
    # in a sentence, abbreviated and in lower case (captions keep "Рисунок 1.")
    assert '"#figure-visits">рис.\u00a01</a>' in russian
    assert '"#table-trade">табл.\u00a01</a>' in russian
    assert '<html lang="fa" dir="rtl">' in persian and "counter(figure, persian)" in persian
    body = russian.split("<body>")[1] + persian.split("<body>")[1]  # not the CSS comments
    assert "Figure" not in body and "Table" not in body


@pytest.mark.parametrize("edition", EDITIONS)
def test_each_translated_edition_passes_the_pdf_ua_checker(
    translated: Translated, edition: str
) -> None:
    from tests.pdf_ua import pdf_ua_problems

    assert pdf_ua_problems(translated.pdfs[edition]) == []


def test_first_language_only_plans_each_audiences_first_language(tmp_path: Path) -> None:
    """What `kzbrief preview` builds: one edition per audience, the first language it lists
    (the press summary lists en, ru, kk, fa), unless a language is asked for."""
    from kzbrief.build import build

    project = copy_project(tmp_path, languages=True)
    options = BuildOptions(data=project.data, output=project.output, audiences=["press"],
                           formats=("pdf",), first_language_only=True, workers=1)  # fmt: skip
    assert [p.name for p in build(options)] == ["kazakhstan-iran-press-en.pdf"]
    options.languages = ("fa",)
    assert [p.name for p in build(options)] == ["kazakhstan-iran-press-fa.pdf"]


@pytest.mark.parametrize("edition", ["press-fa", "government-ru", "press-kk"])
def test_latin_runs_carry_their_own_language_in_the_structure_tree(
    translated: Translated, edition: str
) -> None:
    runs = language_runs(translated.pdfs[edition])
    assert {language for language, _ in runs} == {"en"}
    words = " ".join(text for _, text in runs)
    for latin in ("GSHHG", "GeoNames", "Unreviewed"):
        assert latin in words, latin
    own_letters = re.compile("[\u0600-\u06ff]" if edition.endswith("fa") else "[\u0400-\u04ff]")
    assert not own_letters.search(words), words  # the edition's own text keeps its language
