"""Every interface word the briefing prints comes from one catalogue, render/words.py.

The stylesheet and the templates hold none of their own; the charts take theirs from
the same catalogue. That is the seam for translations.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from markupsafe import Markup

from kzbrief.language import words as text
from kzbrief.language.label_words import LABEL_MESSAGES
from kzbrief.language.words import MESSAGES, WORDS, markup
from kzbrief.project import PACKAGED_TEMPLATES
from kzbrief.render.environment import TemplateStack
from kzbrief.render.environment import environment as _environment

from .conftest import Project, pdf_text


def test_print_css_sets_no_words_of_its_own() -> None:
    # labels.css.j2 prints the numbers (in the edition's digits) and, through the catalogue,
    # the words: its literal strings are spacing only, as print.css's are.
    base = PACKAGED_TEMPLATES / "base"
    labels = re.sub(r"\{\{.*?\}\}", "", (base / "labels.css.j2").read_text(encoding="utf-8"))
    css = (base / "print.css").read_text(encoding="utf-8") + labels
    strings = [
        literal
        for value in re.findall(r"content:([^;}]*)", css)
        for literal in re.findall(r'"([^"]*)"', value)
    ]
    assert strings and [s for s in strings if re.search(r"[A-Za-z]", s)] == []


def test_page_figure_and_table_labels_follow_the_text_module(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    labels = {"page_of_pages": "Seite {page} von {pages}", "figure_caption": "Abbildung {number}."}
    for key, message in labels.items():
        monkeypatch.setitem(LABEL_MESSAGES, key, message)
    [pdf] = project.build(audiences=["press"], workers=1)
    words = pdf_text(pdf)
    assert "Seite 2 von 2" in words and "Abbildung 1. " in words
    assert "Page 2 of 2" not in words and "Figure 1. " not in words


TEMPLATES = sorted(PACKAGED_TEMPLATES.rglob("*.j2"))
CODE = sorted((Path(text.__file__).parent.parent).rglob("*.py"))
# Stylesheets, whose letters are CSS (properties, keywords), not words a reader sees.
_CSS = re.compile(
    r"<style>.*?</style>|\{%-? *block audience_style *%\}.*?\{%-? *endblock *%\}", re.S
)
_JINJA = re.compile(r"\{#.*?#\}|\{\{.*?\}\}|\{%.*?%\}", re.S)
_TEXT_ATTRIBUTES = re.compile(r'\b(?:aria-label|alt|title)="([^"]*)"')


def visible_words(source: str) -> list[str]:
    """The letters a template itself would print: text between tags and in text attributes."""
    source = _JINJA.sub(" ", _CSS.sub(" ", source))
    text_outside_tags = re.sub(r"<[^>]*>", " ", source)
    return re.findall(
        r"[^\W\d_]+", " ".join([text_outside_tags, *_TEXT_ATTRIBUTES.findall(source)])
    )


def test_visible_words_sees_text_and_labels_but_not_markup() -> None:
    source = '<nav aria-label="Contents" class="x"><h2>{{ words.contents }} Table</h2></nav>'
    assert visible_words(source) == ["Table", "Contents"]


# labels.css.j2 is CSS: its words are checked as keys (every words.x exists) below.
PAGES = [p for p in TEMPLATES if not p.name.endswith(".css.j2")]


@pytest.mark.parametrize("template", PAGES, ids=lambda p: str(p.relative_to(PACKAGED_TEMPLATES)))
def test_templates_print_no_words_of_their_own(template: Path) -> None:
    assert visible_words(template.read_text(encoding="utf-8")) == []


def _sources(paths: list[Path]) -> str:
    return "\n".join(path.read_text(encoding="utf-8") for path in paths)


def test_every_key_a_template_uses_is_in_the_catalogue() -> None:
    templates = _sources(TEMPLATES)
    used = set(re.findall(r'\bt\(\s*"(\w+)"', templates))
    assert used and used <= MESSAGES.keys(), sorted(used - MESSAGES.keys())
    words = set(re.findall(r"\bwords\.(\w+)", templates))
    assert words and words <= WORDS.keys(), sorted(words - WORDS.keys())


def test_every_catalogue_entry_is_used_somewhere() -> None:
    code = _sources([p for p in CODE if p.name != "words.py"])
    templates = _sources(TEMPLATES)
    unused = [key for key in MESSAGES if f'"{key}"' not in code + templates]
    unused += [
        key
        for key in WORDS
        if not re.search(rf"\bwords\.{key}\b", templates) and f'WORDS["{key}"]' not in code
    ]
    assert unused == []


def test_t_escapes_plain_values_and_the_message_but_not_markup(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    link = Markup('<a href="#figure-x"></a>')
    assert markup("see_figure", figure=link) == 'See <a href="#figure-x"></a>.'
    assert markup("see_figure", figure="<b>&") == "See &lt;b&gt;&amp;."
    monkeypatch.setitem(MESSAGES, "see_figure", 'See <i> & "{figure}"')
    assert markup("see_figure", figure=1) == "See &lt;i&gt; &amp; &#34;1&#34;"


def test_t_is_a_template_global_that_returns_markup() -> None:
    stack = TemplateStack.for_audience(PACKAGED_TEMPLATES, "press", None)
    template = _environment(stack).from_string('<p>{{ t("exports_to", own=a, partner=b) }}</p>')
    assert template.render(a="A&B", b=Markup("<i>C</i>")) == "<p>A&amp;B exports to <i>C</i></p>"
