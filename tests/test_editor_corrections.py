"""A native editor's corrections to the Kazakh and Russian editions (issue 26), read back from
the typeset PDFs: numbered labels in each language's word order, Kazakh place names and dates,
the Russian marking, dashes, percentages and title, translated source titles; and the
translation check, which never asks for a code."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

from kzbrief.build import BuildOptions, build_with_report
from kzbrief.cli import main
from kzbrief.language.current import load_language, use_language
from kzbrief.language.label_words import css_content, document_title
from kzbrief.language.words import full_stop, phrase
from tests.conftest import copy_project, pdf_text

pytestmark = pytest.mark.xdist_group("editor_corrections")


@dataclass
class Edition:
    pdf: Path
    text: str  # every page, whitespace folded (conftest.pdf_text)
    pages: list[str]  # each page's text, whitespace folded

    @property
    def cover(self) -> str:
        """The first page without any spaces: its letter-spaced capitals read as words."""
        return "".join(self.pages[0].split())


@pytest.fixture(scope="session")
def editions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Edition]:
    """government-kk, government-ru and business-ru, typeset in one build (one process
    writes several languages from the same compiled templates)."""
    project = copy_project(tmp_path_factory.mktemp("editor"), languages=True)
    options = BuildOptions(
        data=project.data,
        output=project.output,
        audiences=["government", "business"],
        languages=("kk", "ru"),
        strict=True,
    )
    found = {}
    for pdf in build_with_report(options).written:
        pages = [" ".join(page.extract_text().split()) for page in PdfReader(pdf).pages]
        found[pdf.stem.removeprefix("kazakhstan-iran-")] = Edition(pdf, pdf_text(pdf), pages)
    assert sorted(found) == ["business-ru", "government-kk", "government-ru"]
    return found


# Kazakh


def test_kazakh_numbers_come_before_the_word_in_captions_and_references(
    editions: dict[str, Edition],
) -> None:
    text = editions["government-kk"].text
    assert "1-кесте. Қазақстан – Иран саудасы" in text  # the trade table's caption
    assert "2-сурет. Қазақстан – Иран саудасы" in text  # the trade chart's
    assert "Көрсеткіштер 1-кестеде және 2-суретте берілген." in text
    assert "1-суретті қараңыз." in text
    assert "2-кестеде және 4-суретте" in text  # the railway's lengths
    for russian_order in ("Кесте 1", "Сурет 1", "Сурет 2", "Қараңыз:"):
        assert russian_order not in text, russian_order


def test_kazakh_names_dates_and_page_numbers(editions: dict[str, Edition]) -> None:
    kazakh = editions["government-kk"]
    assert "Ашғабат қаласында" in kazakh.text and "Ашхабад" not in kazakh.text
    assert "2001 жылғы 7 қазан" in kazakh.text and "(2007 жылғы желтоқсан)" in kazakh.text
    assert re.search(r"\d ж\.", kazakh.text) is None  # never the abbreviated year
    assert "2026ЖЫЛҒЫ27ҚАРАША" in kazakh.cover.upper()  # the edition's date on the cover
    total = len(kazakh.pages)
    for number, page in enumerate(kazakh.pages[1:], 2):
        assert f"{total} беттің {number}-беті" in page, number
    assert "Бет " not in kazakh.text


def test_kazakh_cover_names_the_distribution_in_kazakh(editions: dict[str, Edition]) -> None:
    cover = editions["government-kk"].cover.upper()
    assert "ТАРАТЫЛУТӘРТІБІ:ҚЫЗМЕТБАБЫНДАПАЙДАЛАНУҮШІН" in cover
    assert "ТАРАТЫЛУЫ" not in cover


def test_a_sentence_ending_in_an_abbreviation_takes_one_full_stop(
    editions: dict[str, Edition],
) -> None:
    for edition in editions.values():
        assert ".." not in edition.text
    with use_language(load_language("kk")):
        caption = phrase("trade_caption_scale", unit="млн АҚШ долл.")
    assert caption.endswith("өлшем бірлігі: млн АҚШ долл.")
    with use_language(load_language("en")):
        assert (
            phrase("trade_caption_scale", unit="USD m")
            == "Import is drawn on its own scale, in USD m."
        )
    assert full_stop("Acme Inc.") == "Acme Inc." and full_stop("Acme") == "Acme."
    isolated = "\u2068Acme Inc.\u2069"  # a Latin title in a Persian list
    assert full_stop(isolated) == isolated


# Russian


def test_russian_references_are_abbreviated_and_captions_are_not(
    editions: dict[str, Edition],
) -> None:
    government, business = editions["government-ru"].text, editions["business-ru"].text
    assert "Данные приведены в табл. 1 и на рис. 2." in government
    assert "См. рис. 1." in government
    assert (
        "Маршрут показан на рис. 3; протяженность по странам приведена в табл. 2 и на рис. 4."
        in (government)
    )
    assert "Таблица 1. Торговля" in government and "Рисунок 2. Торговля" in government
    assert "Данные приведены в табл. 1 и на рис. 1." in business
    for text in (government, business):
        assert "(Таблица" not in text and "Рисунок 1 " not in text and "См. Рисунок" not in text


def test_the_russian_marking_stands_alone(editions: dict[str, Edition]) -> None:
    cover = editions["government-ru"].cover.upper()
    assert cover.endswith("ДЛЯСЛУЖЕБНОГОПОЛЬЗОВАНИЯ") or "ДЛЯСЛУЖЕБНОГОПОЛЬЗОВАНИЯ" in cover
    assert "РАСПРОСТРАНЕНИЕ" not in cover
    assert "ДЛЯДЕЛОВЫХПАРТНЕРОВ" in editions["business-ru"].cover.upper()


def test_russian_dashes_are_one_style(editions: dict[str, Edition]) -> None:
    """A spaced em dash between words, an en dash only in a range of numbers (2009–2011)."""
    for name in ("government-ru", "business-ru"):
        text = editions[name].text
        en_dashes = re.findall(r".\u2013.", text)
        assert en_dashes and all(re.fullmatch(r"\d\u2013\d", d) for d in en_dashes), (
            name,
            en_dashes,
        )
        assert re.search(r"\S\u2014|\u2014[^\s,]", text) is None, name
        assert "Казахстан — Туркменистан — Иран" in text and "Узень — Горган" in text
        assert "Узень — Кызылкая — Берекет — Этрек — Горган" in text


def test_russian_percentages_are_written_as_cldr_writes_them(
    editions: dict[str, Edition],
) -> None:
    for name in ("government-ru", "business-ru"):
        text = editions[name].text
        assert "15,7 %" in text and "100,0 %" in text  # the railway table, its total too
        assert re.search(r"\d%", text) is None, name


def test_the_russian_title_goes_on_in_lower_case_after_its_colon(
    editions: dict[str, Edition],
) -> None:
    title = PdfReader(editions["government-ru"].pdf).metadata["/Title"]
    assert title.startswith("Казахстан и Иран: торговля, транспортные коридоры")
    with use_language(load_language("ru")):
        assert document_title("Итоги", "США и Иран") == "Итоги: США и Иран"  # an abbreviation
    with use_language(load_language("en")):
        assert document_title("A", "Trade") == "A: Trade"


def test_russian_interface_calques_are_gone(editions: dict[str, Edition]) -> None:
    for name in ("government-ru", "business-ru"):
        text = editions[name].text
        assert "с точки зрения страны" not in text
        assert "экспорт и импорт указаны для первой из стран" in text


# All languages


def test_source_titles_are_translated(editions: dict[str, Edition]) -> None:
    russian, kazakh = editions["government-ru"].text, editions["government-kk"].text
    assert "Географическая база данных GeoNames." in russian
    assert "Береговые линии и политические границы GSHHG (низкое разрешение)." in russian
    assert "GeoNames географиялық дерекқоры." in kazakh
    for text in (russian, kazakh):
        assert "geographical database" not in text and "coastlines and political" not in text
        assert "Protecting power mandates" not in text and "Interests Section" not in text


def test_a_code_printed_as_a_name_still_finds_its_country(editions: dict[str, Edition]) -> None:
    assert "ИИР (Иран) және ҚР (Қазақстан)" in editions["government-kk"].text
    assert "ИРИ (Иран) и РК (Казахстан)" in editions["government-ru"].text


def test_translation_status_never_asks_for_a_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A briefing on another pair: the second country is Azerbaijan, code AZ."""
    project = copy_project(tmp_path, languages=True)
    meta = project.data / "meta.yaml"
    text = meta.read_text(encoding="utf-8")
    text = text.replace("code: IRI", "code: AZ").replace(
        "Islamic Republic of Iran", "Republic of Azerbaijan"
    )
    meta.write_text(text.replace("short: Iran", "short: Azerbaijan"), encoding="utf-8")
    assert main(["translate", "status", "--data", str(project.data)]) == 0
    out = capsys.readouterr().out
    assert "meta.countries.2.code" not in out and not re.search(r"\bAZ\b", out), out
    assert re.search(r"kk\s+missing\s+\S+\s+Azerbaijan\b", out), out  # its name is asked for


def test_a_label_is_written_as_css_content_in_its_word_order() -> None:
    assert css_content("{number}-кесте.", number="counter(table)") == 'counter(table) "-кесте."'
    assert css_content('Page {page} "of" {pages}', page="A", pages="B") == (
        '"Page " A " \\"of\\" " B'
    )
    assert css_content("{marking}", marking="string(marking)") == "string(marking)"
