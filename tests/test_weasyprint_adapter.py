"""The WeasyPrint adapter (formats/weasyprint_adapter.py): every internal it relies on is
still there as it was, its two enhancements show in a built PDF, and under a WeasyPrint it
was not tested with it says so once and the build still makes a valid PDF without them."""

from __future__ import annotations

import importlib
import inspect
import logging
import os
import subprocess
import sys
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as raw
import pytest

from kzbrief.formats import weasyprint_adapter as adapter

from .conftest import copy_project
from .marked_content import language_runs, object_text

UNTESTED = Path(__file__).parent / "weasyprint_untested"  # a sitecustomize: WeasyPrint "71.0"
WARNING = "is not a version kzbrief was tested with"


def _internal(path: str) -> object:
    module, name = path.split(":")
    return getattr(importlib.import_module(module), name)


def test_the_installed_weasyprint_is_one_the_adapter_was_tested_with() -> None:
    # Raising TESTED_WITH is the step after the next test passes under a new WeasyPrint.
    assert adapter.weasyprint_version() in adapter.TESTED_WITH


@pytest.mark.parametrize("path", sorted(adapter.INTERNALS))
def test_each_internal_the_adapter_relies_on_is_there_with_its_parameters(path: str) -> None:
    found = _internal(path)  # AttributeError or ImportError: WeasyPrint moved it
    expected = adapter.INTERNALS[path]
    if expected is not None:  # the adapter's wrappers keep the original's signature
        assert tuple(inspect.signature(found).parameters) == expected, path


def test_the_tables_and_types_the_adapter_uses_are_as_it_expects() -> None:
    svg, text = (
        importlib.import_module("weasyprint.svg"),
        importlib.import_module("weasyprint.svg.text"),
    )
    # The drawing of SVG <text> is looked up in TAGS and compared with svg's own "text".
    assert svg.TAGS["text"] is text.text is svg.text
    style = _internal("weasyprint.svg.text:Style")()
    style.font_config = None  # the adapter gives it the SVG's fonts
    assert isinstance(style, dict)
    values = _internal("weasyprint.css.properties:INITIAL_VALUES")
    assert {"font_family", "font_style", "font_weight", "font_size"} <= set(values)
    matrix = _internal("weasyprint.matrix:Matrix")(a=1, d=-1, e=2, f=3)
    assert list(matrix) == [[1, 0, 0], [0, -1, 0], [2, 3, 1]]


def test_an_untested_weasyprint_is_told_once_and_left_alone(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(adapter, "weasyprint_version", lambda: "71.0")
    adapter.weasyprint_tested.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="kzbrief"):
            assert adapter.adapt_weasyprint() is False
            assert adapter.adapt_weasyprint() is False
        warnings = [r for r in caplog.records if r.name == adapter.__name__]
        assert len(warnings) == 1
        assert "WeasyPrint 71.0 is not a version kzbrief was tested with (70.0)" in (
            warnings[0].getMessage()
        )
    finally:
        adapter.weasyprint_tested.cache_clear()


def _build(folder: Path, languages: str, untested: bool = False) -> tuple[Path, str]:
    """The press summary in ``languages``, built cold by the real command line with two
    workers (one edition is typeset in the build's process, two by the workers)."""
    project = copy_project(folder, languages=True)
    env = dict(os.environ)
    if untested:
        env["PYTHONPATH"] = os.pathsep.join([str(UNTESTED), env.get("PYTHONPATH", "")])
    args = [sys.executable, "-m", "kzbrief", "build", "--data", str(project.data)]
    args += ["--output", str(project.output), "--audience", "press", "--language", languages]
    done = subprocess.run(
        [*args, "--no-cache", "--jobs", "2"], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return project.output / "kazakhstan-iran-press-kk.pdf", done.stderr


def _text_objects(pdf: Path) -> list[str]:
    """Each text object's text: a string drawn at once is one object."""
    document = pdfium.PdfDocument(pdf)
    try:
        found = []
        for page in document:
            text_page = page.get_textpage()
            for item in page.get_objects(filter=[raw.FPDF_PAGEOBJ_TEXT], max_depth=8):
                found.append(object_text(item, text_page).strip())
        return found
    finally:
        document.close()


def _single_letters(texts: list[str]) -> int:
    return sum(1 for text in texts if len(text) == 1 and text.isalnum())


@pytest.fixture(scope="module")
def adapted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pdf, said = _build(tmp_path_factory.mktemp("adapted"), "kk")
    assert WARNING not in said
    return pdf


def test_a_built_pdf_carries_the_language_of_its_passages(adapted: Path) -> None:
    assert ("en", "GSHHG") in language_runs(adapted)  # a Latin name in a Kazakh edition


@pytest.mark.parametrize("languages", ["kk", "ru,kk"])
def test_under_an_untested_weasyprint_the_build_says_so_once_and_still_makes_the_pdf(
    tmp_path: Path, adapted: Path, languages: str
) -> None:
    plain, told = _build(tmp_path, languages, untested=True)
    assert told.count(WARNING) == 1, told  # once, whichever processes typeset
    # A valid tagged PDF of the same pages, its passages in the catalogue's language.
    with pikepdf.open(adapted) as one, pikepdf.open(plain) as other:
        assert len(one.pages) == len(other.pages) == 2
        assert "/StructTreeRoot" in other.Root and str(other.Root.Lang) == "kk"
    assert language_runs(plain) == []
    # With the adapter the chart labels are whole strings; without, a letter each.
    whole, letters = _text_objects(adapted), _text_objects(plain)
    labels = [t for t in set(whole) - set(letters) if sum(c.isalpha() for c in t) >= 10]
    assert labels, "no chart label was drawn as one string"
    assert _single_letters(letters) > _single_letters(whole) + 50
