"""The Word edition (build --format docx): a real Word document, read back with python-docx
and converted by LibreOffice, whose text must hold every fact the PDF edition states."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from kzbrief.options import BuildOptions
from kzbrief.publish.manifest import verify_folder

from .conftest import copy_project, once_per_run, pdf_text
from .test_build import FACTS, SECTIONS

pytestmark = pytest.mark.xdist_group("docx")  # one worker builds and converts once
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass(frozen=True)
class WordBuild:
    output: Path
    converted: dict[str, Path]  # edition name -> LibreOffice's PDF of it

    def path(self, audience: str, language: str = "en") -> Path:
        return self.output / f"kazakhstan-iran-{audience}-{language}.docx"


def _convert(files: list[Path], folder: Path) -> dict[str, Path]:
    """LibreOffice's PDF of each file: one soffice run with a profile of its own (parallel
    runs would share ~/.config's); skipped without soffice, unless on CI."""
    soffice = shutil.which("soffice")
    if soffice is None:
        if os.environ.get("CI"):
            pytest.fail("soffice (LibreOffice) is needed for the Word edition's tests on CI")
        pytest.skip("soffice (LibreOffice) is not installed")
    with tempfile.TemporaryDirectory() as profile:
        command = [
            soffice, f"-env:UserInstallation=file://{profile}", "--headless",
            "--convert-to", "pdf", "--outdir", str(folder), *map(str, files),
        ]  # fmt: skip
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            process.wait(timeout=120)
        except subprocess.TimeoutExpired:
            process.kill()  # a hung LibreOffice must not hang the suite
            process.wait()
            pytest.fail("LibreOffice did not finish converting in 120 s")
    return {f.stem: folder / f"{f.stem}.pdf" for f in files}


@pytest.fixture(scope="session")
def word(tmp_path_factory: pytest.TempPathFactory) -> WordBuild:
    def make(folder: Path) -> list[str]:
        project = copy_project(folder, languages=True)
        options = BuildOptions(data=project.data, output=project.output, formats=("docx",))
        options.audiences, options.languages = ["government", "press", "us-policy"], ("en", "fa")
        from kzbrief.build import build

        written = build(options)
        chosen = [p for p in written if p.stem.endswith(("government-en", "press-fa"))]
        _convert(chosen, folder / "converted")
        return [str(project.output)]

    [output] = once_per_run(tmp_path_factory, "docx", make)
    converted = Path(output).parent / "converted"
    return WordBuild(Path(output), {p.stem: p for p in converted.glob("*.pdf")})


def test_headings_tables_captions_and_alt_text(word: WordBuild) -> None:
    document = docx.Document(str(word.path("government")))
    styles = [(p.style.name, p.text) for p in document.paragraphs]
    assert ("Title", "Kazakhstan and Iran") in styles
    headings = [text for style, text in styles if style == "Heading 1"]
    assert [h.split("  ", 1)[1] for h in headings] == SECTIONS
    assert "Bilateral visits" in [text for style, text in styles if style == "Heading 2"]
    captions = [text for style, text in styles if style == "Caption"]
    for number in (1, 2, 3, 4):
        assert any(c.startswith(f"Figure {number}. ") for c in captions)
    assert any(c.startswith("Table 2. Length of the Uzen") for c in captions)
    # tables: the key facts, the trade and the railway table, each with a repeating head
    assert len(document.tables) == 3
    for table in document.tables:
        assert table.rows[0]._tr.find(f"{W}trPr/{W}tblHeader") is not None
    trade = document.tables[1]
    assert [c.text for c in trade.rows[0].cells][:3] == ["Year", "Turnover", "Export"]
    assert [c.text for c in trade.rows[1].cells][:3] == ["2009", "1.3 bn", "1.279 bn"]
    described = [s._inline.docPr.get("descr") for s in document.inline_shapes]
    assert len(described) == 4 and all(len(d) > 40 for d in described)
    assert any("146 km" in d for d in described)
    # a cross-reference written out, and the cover's contents as a TOC field
    body = document.element.body.xml
    assert "The figures are in" in body and "Table 1" in body
    assert 'TOC \\o "1-1"' in body and "PAGEREF kz_recommendations" in body


def test_citations_are_footnotes_giving_the_source(word: WordBuild) -> None:
    with zipfile.ZipFile(word.path("government")) as package:
        notes = package.read("word/footnotes.xml").decode()
        body = package.read("word/document.xml").decode()
    assert body.count("<w:footnoteReference ") >= 20
    assert "[1]" not in body  # the numbered citation became a note
    assert 'w:type="separator"' in notes
    assert "Agency of Statistics of the Republic of Kazakhstan" in notes
    assert "GeoNames geographical database." in notes and "(reference)" in notes


def test_properties_language_edition_and_paper(word: WordBuild) -> None:
    document = docx.Document(str(word.path("government")))
    props = document.core_properties
    assert props.title.startswith("Kazakhstan and Iran: Trade, transport corridors")
    assert props.language == "en"
    assert props.identifier and props.identifier == props.version  # the edition id
    assert props.created == props.modified and props.created.year >= 2026
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert round(section.left_margin.mm) == 22 and round(section.right_margin.mm) == 20
    assert "FOR OFFICIAL USE" in section.footer.paragraphs[0].text
    lang = document.styles.element.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert lang.get(qn("w:val")) == "en-GB"
    fonts = document.styles.element.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    assert fonts.get(qn("w:ascii")) == "Source Serif 4"
    assert document.styles["Heading 1"].font.name == "Source Sans 3"
    letter = docx.Document(str(word.path("us-policy"))).sections[0]
    assert (round(letter.page_width.inches, 2), round(letter.page_height.inches, 2)) == (8.5, 11)


def test_persian_edition_reads_right_to_left(word: WordBuild) -> None:
    document = docx.Document(str(word.path("press", "fa")))
    assert document.core_properties.language == "fa"
    defaults = document.styles.element.find(f"{W}docDefaults")
    assert defaults.find(f"{W}pPrDefault/{W}pPr/{W}bidi") is not None
    run = defaults.find(f"{W}rPrDefault/{W}rPr")
    assert run.find(f"{W}rFonts").get(qn("w:cs")) == "Vazirmatn"
    assert run.find(f"{W}lang").get(qn("w:bidi")) == "fa-IR"
    body = document.element.body
    assert body.findall(f".//{W}r/{W}rPr/{W}rtl")  # runs marked right to left
    assert all(t._tbl.tblPr.find(f"{W}bidiVisual") is not None for t in document.tables)
    assert document.sections[0]._sectPr.find(f"{W}bidi") is not None
    assert document.styles["Heading 1"].element.rPr.find(f"{W}szCs") is not None


def test_the_same_inputs_give_the_same_bytes(word: WordBuild, tmp_path: Path) -> None:
    from kzbrief.build import build

    project = copy_project(tmp_path)
    options = BuildOptions(data=project.data, output=project.output, formats=("docx",))
    options.audiences, options.cache = ["government"], False
    [again] = build(options)
    assert again.read_bytes() == word.path("government").read_bytes()
    with zipfile.ZipFile(again) as package:
        names = package.namelist()
        assert names[0] == "[Content_Types].xml" and names[1:] == sorted(names[1:])
        assert {info.date_time for info in package.infolist()} == {(2026, 11, 27, 0, 0, 0)}


def test_manifest_and_verify_list_the_word_files(word: WordBuild) -> None:
    report = verify_folder(word.output)
    assert "kazakhstan-iran-government-en.docx" in report.ok
    assert report.problems == 0


@pytest.mark.parametrize("fact", FACTS)
def test_libreoffice_shows_every_fact_of_the_pdf(word: WordBuild, fact: str) -> None:
    text = pdf_text(word.converted["kazakhstan-iran-government-en"])
    assert fact in text


def test_libreoffice_shows_the_persian_edition(word: WordBuild) -> None:
    text = pdf_text(word.converted["kazakhstan-iran-press-fa"])
    # pypdf gives right-to-left text in visual order: words, not the years' digits, are sought
    for words in ("قزاقستان", "ایران", "آذر", "PUBLIC"):
        assert words in text


def test_the_packaged_reference_document_is_what_its_script_makes() -> None:
    """templates/base/reference.docx is made by kzbrief.formats.docx_reference: the two
    cannot drift apart (regenerate it with the command its docstring gives)."""
    from kzbrief.formats.docx_reference import reference_document
    from kzbrief.project import PACKAGED_TEMPLATES

    assert (PACKAGED_TEMPLATES / "base" / "reference.docx").read_bytes() == reference_document()


def test_a_projects_reference_document_gives_the_word_edition_its_look(tmp_path: Path) -> None:
    """A reference.docx in the project's templates folder wins over the packaged one: its
    Heading 1 (here red, 20 pt) is the edition's."""
    from docx.shared import Pt, RGBColor

    from kzbrief.build import build
    from kzbrief.project import PACKAGED_TEMPLATES

    project = copy_project(tmp_path)
    reference = docx.Document(str(PACKAGED_TEMPLATES / "base" / "reference.docx"))
    heading = reference.styles["Heading 1"]
    heading.font.color.rgb, heading.font.size = RGBColor(0xC0, 0x10, 0x10), Pt(20)
    (tmp_path / "templates").mkdir()
    reference.save(str(tmp_path / "templates" / "reference.docx"))
    options = BuildOptions(data=project.data, output=project.output, formats=("docx",))
    options.audiences, options.templates = ["press"], tmp_path / "templates"
    [written] = build(options)
    made = docx.Document(str(written)).styles["Heading 1"]
    assert (made.font.color.rgb, made.font.size) == (RGBColor(0xC0, 0x10, 0x10), Pt(20))
    headings = [p for p in docx.Document(str(written)).paragraphs if p.style.name == "Heading 1"]
    assert headings and headings[0].text.endswith("Summary and key facts")
