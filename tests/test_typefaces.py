"""Every script the editions are printed in is set in packaged type: Kazakh and Russian
italics in true italics, Persian in Vazirmatn, never a system font or a slanted upright."""

from __future__ import annotations

import pytest

from .languages import embedded_fonts, packaged_names, render_in, typeset, with_body

KAZAKH = "ӘәҒғҚқҢңӨөҰұҮүҺһІі"
RUSSIAN = "Казахстан и Иран: сотрудничество"
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


def test_english_italics_keep_source_serif_pro() -> None:
    html = with_body(render_in("en", "government"), _italics("Kazakhstan and Iran"))
    fonts = embedded_fonts(typeset(html, "government").pdf)
    assert {name for name in fonts if name.endswith("It")} == {
        "SourceSerifPro-It",
        "SourceSerifPro-BoldIt",
        "SourceSansPro-It",
        "SourceSansPro-BoldIt",
    }


def test_a_slanted_upright_is_reported_as_a_fallback() -> None:
    # English editions carry no Cyrillic italics: a Kazakh word in italics there is set in
    # the upright face, slanted, which the build reports rather than print silently.
    html = with_body(render_in("en", "government"), _italics(KAZAKH))
    warnings = typeset(html, "government").warnings
    slanted = ["Sans-Pro-Bold", "Sans-Pro", "Serif-Pro-Bold", "Serif-Pro"]
    assert warnings == tuple(
        f"font fallback: Source-{face}-Oblique is an upright face slanted for italic glyphs "
        "the packaged italics lack"
        for face in slanted
    )


def test_persian_italics_are_vazirmatn_upright() -> None:
    html = with_body(render_in("fa", "government"), _italics("همکاری ایران و قزاقستان"))
    result = typeset(html, "government")
    assert result.warnings == ()
    fonts = embedded_fonts(result.pdf)
    assert set(fonts) == {"Vazirmatn-Regular", "Vazirmatn-Bold"}
