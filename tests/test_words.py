"""The words the stylesheet prints come from the text module, not from print.css."""

from __future__ import annotations

import re

import pytest

from kzbrief.project import PACKAGED_TEMPLATES
from kzbrief.render import text

from .conftest import Project, pdf_text


def test_print_css_sets_no_words_of_its_own() -> None:
    css = (PACKAGED_TEMPLATES / "base" / "print.css").read_text(encoding="utf-8")
    strings = [
        literal
        for value in re.findall(r"content:([^;}]*)", css)
        for literal in re.findall(r'"([^"]*)"', value)
    ]
    assert strings and [s for s in strings if re.search(r"[A-Za-z]", s)] == []


def test_page_figure_and_table_labels_follow_the_text_module(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, word in {"page": "Seite", "of": "von", "figure": "Abbildung"}.items():
        monkeypatch.setitem(text.WORDS, key, word)
    [pdf] = project.build(audiences=["press"], workers=1)
    words = pdf_text(pdf)
    assert "Seite 2 von 2" in words and "Abbildung 1. " in words
    assert "Page 2 of 2" not in words and "Figure 1. " not in words
