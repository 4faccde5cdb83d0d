"""Accessibility checked by independent tools: every English edition and a stamped copy
pass the ``pdfua`` checker with no finding (the translated editions: test_languages.py);
the table headers carry their scope, and the archival editions claim PDF/UA-1; axe-core
finds no WCAG 2.1 AA violation in the web editions (the site and the preview pages:
test_site.py, test_preview.py)."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest

from .axe import axe_violations
from .conftest import BuiltBriefing, Issued, copy_project
from .marked_content import language_runs, structure_elements
from .pdf_ua import pdf_ua_problems

AUDIENCES = ["business", "government", "press", "us-policy"]


@pytest.mark.parametrize("audience", AUDIENCES)
def test_every_english_edition_passes_the_pdf_ua_checker(
    built: BuiltBriefing, audience: str
) -> None:
    assert pdf_ua_problems(built.pdfs[audience]) == []


@pytest.mark.xdist_group("issued")  # the session's issued copies: set up in one worker
def test_a_stamped_copy_passes_the_pdf_ua_checker(issued: Issued) -> None:
    assert pdf_ua_problems(issued.copy("government", 1)) == []


def test_the_default_variant_claims_pdf_a_3b_and_pdf_ua_1(built: BuiltBriefing) -> None:
    with pikepdf.open(built.pdfs["government"]) as pdf, pdf.open_metadata() as xmp:
        assert (xmp["pdfaid:part"], xmp["pdfaid:conformance"]) == ("3", "B")
        assert xmp["pdfuaid:part"] == "1"
        schemas = pdf.Root.Metadata.read_bytes()
    assert b"<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>" in schemas  # PDF/A asks for it


def test_table_headers_have_column_scope_in_the_head_and_row_scope_in_the_body(
    built: BuiltBriefing,
) -> None:
    scopes: dict[str, set[str]] = {"/THead": set(), "/TBody": set(), "/TFoot": set()}
    with pikepdf.open(built.pdfs["government"]) as pdf:
        for node, section in structure_elements(pdf.Root.StructTreeRoot):
            if node.get("/S") == pikepdf.Name.TH:
                assert section is not None
                scopes[section].add(str(node.A.Scope))
    assert scopes == {"/THead": {"/Column"}, "/TBody": {"/Row"}, "/TFoot": {"/Row"}}


@pytest.fixture(scope="session")
def web_editions(built: BuiltBriefing, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The English web editions, and the Russian and Persian ones (right to left)."""
    project = copy_project(tmp_path_factory.mktemp("web-a11y"), languages=True)
    others = project.build(formats=("html",), languages=("ru", "fa"))
    return sorted([*(p for p in built.paths if p.suffix == ".html"), *others])


def test_every_web_edition_has_no_wcag_2_1_aa_violation(
    web_editions: list[Path], browser: object
) -> None:
    assert len(web_editions) == 8
    found = {page.name: axe_violations(browser, page.as_uri()) for page in web_editions}
    assert found == {page.name: [] for page in web_editions}


def test_running_heads_and_page_numbers_are_pagination_artifacts(built: BuiltBriefing) -> None:
    """Each body page's four margin texts (title, section, marking, page number) are
    artifacts, and every tagged mark on the page belongs to an element in the tree."""
    with pikepdf.open(built.pdfs["government"]) as pdf:
        tree = pdf.Root.StructTreeRoot
        linked = {node.objgen for node, _ in structure_elements(tree)}
        nums = tree.ParentTree.Nums
        marks = {int(nums[i]): nums[i + 1] for i in range(0, len(nums) - 1, 2)}
        for page in pdf.pages[1:]:
            content = page.obj.Contents.read_bytes()
            assert content.count(b"/Artifact\n<</Type /Pagination>>\nBDC") == 4
            elements = marks[int(page.obj.StructParents)]
            assert all(e.objgen in linked for e in elements if isinstance(e, pikepdf.Dictionary))


@pytest.mark.parametrize("audience", AUDIENCES)
def test_the_reading_order_follows_the_pages(built: BuiltBriefing, audience: str) -> None:
    """Depth first, the structure tree's elements never step back to an earlier page, and
    its headings come in the order their sections are printed."""
    with pikepdf.open(built.pdfs[audience]) as pdf:
        number = {page.obj.objgen: n for n, page in enumerate(pdf.pages)}
        pages, headings = [], []
        for node, _ in structure_elements(pdf.Root.StructTreeRoot):
            if "/Pg" in node and node.get("/K") is not None:
                pages.append(number[node.Pg.objgen])
            if node.get("/S") == pikepdf.Name.H2:
                headings.append(number[node.Pg.objgen])
    assert pages == sorted(pages)
    assert headings == sorted(headings) and len(headings) >= 2


def test_an_english_edition_changes_language_nowhere(built: BuiltBriefing) -> None:
    # Latin runs get /Lang only where the page is in another script (test_languages.py).
    assert language_runs(built.pdfs["government"]) == []
