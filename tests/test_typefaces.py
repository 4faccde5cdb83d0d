"""Every script the editions are printed in is set in packaged type: Kazakh and Russian
italics in true italics, Persian in Vazirmatn, never a system font or a slanted upright."""

from __future__ import annotations

import pytest

from kzbrief.data.glyphs import read_cmap
from kzbrief.language.fonts import font_faces

from .languages import embedded_fonts, packaged_names, render_in, typeset, with_body

KAZAKH = "ӘәҒғҚқҢңӨөҰұҮүҺһІі"
RUSSIAN = "Казахстан и Иран: сотрудничество"
MR = "\U0001f16c"  # in Source Serif 4's uprights only
CYRILLIC_ITALICS = {
    "SourceSerif4-It",
    "SourceSerif4-BoldIt",
    "SourceSans3-It",
    "SourceSans3-BoldIt",
}


def _italics(words: str) -> str:
    """The words italic and bold italic, in the serif body and in a sans note."""
    runs = f"<em>{words}</em> <strong><em>{words}</em></strong>"
    return f"<main><p>{runs}</p><p class='table-note'>{runs}</p></main>"


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_cyrillic_italics_are_true_italics_from_packaged_fonts(language: str) -> None:
    html = with_body(render_in(language, "government"), _italics(f"{RUSSIAN} {KAZAKH}"))
    result = typeset(html, "government")
    assert result.warnings == ()  # no fallback, no upright slanted by fontconfig
    fonts = embedded_fonts(result.pdf)
    assert set(fonts) <= packaged_names(), fonts.keys()
    # Both families, both weights, drew the Cyrillic italics, every Kazakh letter included.
    assert set(fonts) >= CYRILLIC_ITALICS
    for name in CYRILLIC_ITALICS:
        assert set(KAZAKH) <= fonts[name], name
    # The upright faces drew none of it.
    assert not any(set(KAZAKH) & chars for name, chars in fonts.items() if "It" not in name)


def test_english_italics_are_the_same_faces() -> None:
    html = with_body(render_in("en", "government"), _italics("Kazakhstan and Iran"))
    fonts = embedded_fonts(typeset(html, "government").pdf)
    assert {name for name in fonts if name.endswith("It")} == CYRILLIC_ITALICS


def test_every_packaged_latin_and_cyrillic_face_has_every_kazakh_letter() -> None:
    """One family per role serves English, Russian and Kazakh alike, in every face."""
    faces = [f for f in font_faces() if f.family in ("Source Serif 4", "Source Sans 3")]
    assert {(f.family, f.weight, f.style) for f in faces} >= {
        (family, weight, style)
        for family in ("Source Serif 4", "Source Sans 3")
        for weight in (400, 700)
        for style in ("normal", "italic")
    } | {("Source Sans 3", 600, "normal")}
    for face in faces:
        assert set(map(ord, KAZAKH + RUSSIAN.replace(" ", "").replace(":", ""))) <= read_cmap(
            face.path
        ), face.path.name


def test_a_slanted_upright_is_reported_as_a_fallback() -> None:
    # Source Serif 4's uprights have one character its italics lack (U+1F16C, a raised MR
    # sign): set in italics, fontconfig slants the upright, which the build reports rather
    # than print silently. The sans italics have every character of the uprights.
    serif_only = f"<main><p><em>{MR}</em> <strong><em>{MR}</em></strong></p></main>"
    html = with_body(render_in("en", "government"), serif_only)
    warnings = typeset(html, "government").warnings
    assert warnings == tuple(
        f"font fallback: Source-Serif-4{weight}-Oblique is an upright face slanted for "
        "italic glyphs the packaged italics lack"
        for weight in ("-Bold", "")
    )


def test_persian_italics_are_vazirmatn_upright() -> None:
    html = with_body(render_in("fa", "government"), _italics("همکاری ایران و قزاقستان"))
    result = typeset(html, "government")
    assert result.warnings == ()
    fonts = embedded_fonts(result.pdf)
    assert set(fonts) == {"Vazirmatn-Regular", "Vazirmatn-Bold"}
