"""Reproducible bytes even where WeasyPrint falls back to fontTools for font subsets."""

from __future__ import annotations

import io

import pytest
from fontTools.misc.timeTools import timestampSinceEpoch
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from kzbrief.data.briefing import load_briefing
from kzbrief.render.html import edition_timestamp

from .conftest import Project


def _embedded_fonts(pdf: bytes) -> list[TTFont]:
    fonts = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            fonts.append(TTFont(io.BytesIO(descriptor["/FontFile2"].get_object().get_data())))
    return fonts


def test_fonttools_subsets_are_dated_from_the_edition_not_the_clock(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without HarfBuzz-subset, fontTools stamps each subset with the time it was made."""
    from weasyprint.pdf import fonts

    monkeypatch.setattr(fonts, "harfbuzz_subset", None)  # as on a machine without the library
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    [pdf] = project.build(audiences=["press"], workers=1)
    expected = timestampSinceEpoch(edition_timestamp(load_briefing(project.data)).timestamp())
    subsets = _embedded_fonts(pdf.read_bytes())
    assert subsets and {font["head"].modified for font in subsets} == {int(expected)}
