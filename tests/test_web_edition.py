"""The web edition (build --format html): one self-contained page that reads on a phone."""

from __future__ import annotations

import base64
import io
import json
import os
import re
import shutil
import subprocess
from html import unescape
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from kzbrief.cli import main
from kzbrief.formats.web_charts import inline_svg

from .conftest import BuiltBriefing, Project
from .test_audiences import _render

PHONE_WIDTH = 390  # CSS pixels: a common phone held upright


def _page(built: BuiltBriefing, audience: str) -> str:
    return built.pdfs[audience].with_suffix(".html").read_text(encoding="utf-8")


def _references(html: str) -> list[str]:
    """Every URL the page names: src and href attributes and CSS url()."""
    attributes = re.findall(r'\b(?:src|href)="([^"]*)"', html)
    return attributes + re.findall(r"url\(\s*[\"']?([^\"')]*)", html)


@pytest.mark.parametrize("audience", ["government", "press"])
def test_the_web_page_needs_no_other_file(built: BuiltBriefing, audience: str) -> None:
    html = _page(built, audience)
    outside = [u for u in _references(html) if not u.startswith(("data:", "#"))]
    assert outside == []
    # The fonts come with the page, as WOFF2 subsets, one per face the stylesheet declares.
    faces = re.findall(r"@font-face \{[^}]*\}", html)
    assert len(faces) == 9  # Source Serif 4: 4 faces; Source Sans 3: 5
    assert all('src: url("data:font/woff2;base64,' in face for face in faces)
    for font in re.findall(r'data:font/woff2;base64,([^"]+)"', html):
        subset = TTFont(io.BytesIO(base64.b64decode(font)))
        names = {record.nameID for record in subset["name"].names}
        assert {1, 2, 4, 13} <= names  # the family, the style and the licence travel with it
        assert "GPOS" in subset and len(subset.getGlyphOrder()) < 600  # kerning kept; cut
    # The charts are SVG in the page, set in its fonts (web_charts.py), every id unique.
    charts = html.count('<figure class="chart"')
    assert charts >= 2 and "data:image/svg+xml" not in html and "<?xml" not in html
    assert (
        len(
            re.findall(
                r'<svg id="figure-[a-z-]+-svg" class="chart-svg" role="img" aria-label="[^"]{20,}"',
                html,
            )
        )
        == charts
    )
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html


def test_cross_references_are_written_out_on_the_web_page(built: BuiltBriefing) -> None:
    html = _page(built, "government")
    # The PDF numbers them with target-counter(), which browsers ignore.
    assert '<a class="xref-table" href="#table-trade">Table 1</a>' in html
    assert '<a class="xref-figure" href="#figure-trade">Figure 2</a>' in html
    assert '<a class="xref-figure" href="#figure-railway">Figure 4</a>' in html
    assert not re.search(r'<a class="xref-(?:figure|table|section)" href="[^"]*"></a>', html)


def test_only_the_web_edition_gets_the_screen_styles() -> None:
    """The web page's rules are added for the html format only: the PDFs stay as they were."""
    for html in (_render("press", None), _render("government", None)):
        assert "viewport" not in html and "@media screen" not in html
    for html in (_render("press", None, "html"), _render("government", None, "html")):
        assert "viewport" in html and "@media screen" in html


def test_manifest_lists_each_edition_with_its_format(built: BuiltBriefing) -> None:
    manifest = json.loads((built.pdf.parent / "manifest.json").read_text(encoding="utf-8"))
    kinds = {entry["file"]: entry["kind"] for entry in manifest["files"]}
    assert kinds["kazakhstan-iran-press-en.html"] == "html"
    assert kinds["kazakhstan-iran-press-en.pdf"] == "pdf"
    page = next(e for e in manifest["files"] if e["file"] == "kazakhstan-iran-press-en.html")
    assert page["pages"] is None and page["pdf_variant"] is None and page["language"] == "en"


def test_format_html_alone_writes_only_web_pages(project: Project, capsys) -> None:
    args = ["build", "--data", str(project.data), "--output", str(project.output)]
    assert main([*args, "--audience", "press", "--format", "html"]) == 0
    assert capsys.readouterr().out.split() == [
        str(project.output / "kazakhstan-iran-press-en.html")
    ]
    written = sorted(p.name for p in project.output.iterdir())
    assert written == ["kazakhstan-iran-press-en.html", "manifest.json"]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("odt", "kzbrief: error: --format: unknown format odt (known: pdf, html, docx)\n"),
        (
            "pdf,epub,rtf",
            "kzbrief: error: --format: unknown format epub, rtf (known: pdf, html, docx)\n",
        ),
        (",", "kzbrief: error: --format: unknown format ',' (known: pdf, html, docx)\n"),
    ],
)
def test_an_unknown_format_is_refused_before_anything_is_built(
    project: Project, capsys, value: str, message: str
) -> None:
    args = ["build", "--data", str(project.data), "--output", str(project.output)]
    assert main([*args, "--format", value]) == 64
    assert capsys.readouterr().err == message
    assert list(project.output.iterdir()) == []


def test_a_resource_outside_the_project_is_left_out_of_the_page_with_a_warning(
    project: Project, tmp_path: Path, capsys
) -> None:
    templates = tmp_path / "templates"
    (templates / "sections").mkdir(parents=True)
    (templates / "sections" / "multilateral.html.j2").write_text(
        '{% extends "base:sections/multilateral.html.j2" %}\n'
        '{% block multilateral_body %}<img src="https://example.org/track.png" alt="">'
        '<img src="/etc/hostname" alt="">{% endblock %}\n',
        encoding="utf-8",
    )
    args = ["build", "--data", str(project.data), "--output", str(project.output)]
    args += ["--templates", str(templates), "--audience", "government", "--format", "html"]
    assert main(args) == 0
    err = capsys.readouterr().err
    assert "blocked a resource outside the project: https://example.org/track.png" in err
    assert "blocked a resource outside the project: /etc/hostname" in err
    html = (project.output / "kazakhstan-iran-government-en.html").read_text(encoding="utf-8")
    assert "example.org" not in html and "/etc/hostname" not in html
    assert main([*args, "--strict"]) == 6  # a warning like any other


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing: .ci/run installs Debian's chromium")
        pytest.skip("needs Debian's chromium (apt-get install chromium)")
    return found


# Headless Chromium has no window narrower than 500 px: the page is shown in a frame as wide
# as a phone, and reports to the frame's parent (the page itself has no script).
_FRAME = f"""<body><iframe src="page.html" width="{PHONE_WIDTH}" height="800"></iframe><script>
addEventListener("message", (e) => document.body.setAttribute("data-measured", e.data));
</script></body>"""
# Run in the page by the test only: what a reader would see.
_MEASURE = """<script>
window.addEventListener("load", async () => {
  await document.fonts.ready;
  const images = [...document.images];
  const charts = document.querySelectorAll("svg.chart-svg");
  const wide = [...document.querySelectorAll("body *")].filter(
    (e) => e.getBoundingClientRect().right > innerWidth + 1
      && !e.closest(".table-block, .chart-scroll"));  // these scroll in their own box
  parent.postMessage(JSON.stringify({
    width: innerWidth,
    scrollWidth: document.documentElement.scrollWidth,
    wide: wide.map((e) => e.tagName + "." + e.className).slice(0, 5),
    charts: charts.length,
    broken: images.filter((i) => !i.complete || i.naturalWidth === 0).length,
    fonts: [...document.fonts].filter((f) => f.status === "loaded").map(
      (f) => f.family.replaceAll('"', "") + " " + f.weight + " " + f.style),
    bodyFont: getComputedStyle(document.querySelector("main p")).fontFamily,
    fontSize: parseFloat(getComputedStyle(document.querySelector("main p")).fontSize),
  }), "*");
});
</script>"""


@pytest.mark.parametrize("audience", ["government", "press"])
def test_the_web_page_reads_on_a_phone_in_a_real_browser(
    built: BuiltBriefing, tmp_path: Path, audience: str
) -> None:
    page = tmp_path / "page.html"
    page.write_text(_page(built, audience).replace("</body>", _MEASURE + "</body>"), "utf-8")
    (tmp_path / "frame.html").write_text(_FRAME, "utf-8")
    command = [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
    command += ["--window-size=800,900", "--virtual-time-budget=5000"]
    command += [f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom"]
    command += [(tmp_path / "frame.html").as_uri()]
    dom = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True).stdout
    found = re.search(r'data-measured="([^"]*)"', dom)
    assert found, "the page did not finish loading"
    measured = json.loads(unescape(found.group(1)))
    assert measured["width"] == PHONE_WIDTH
    assert measured["scrollWidth"] <= PHONE_WIDTH and measured["wide"] == []  # no sideways scroll
    assert measured["charts"] >= 2 and measured["broken"] == 0  # the charts show
    body_family = measured["bodyFont"].split(",")[0].strip('"')
    assert body_family in ("Source Serif 4", "Source Sans 3")
    assert f"{body_family} 400 normal" in measured["fonts"]  # the inlined font, not a fallback
    assert "Source Sans 3 700 normal" in measured["fonts"]  # the headings
    assert measured["fontSize"] >= 16  # body text readable without zooming


_SVG = """<?xml version="1.0" encoding="utf-8" standalone="no"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN"
  "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<svg xmlns:xlink="http://www.w3.org/1999/xlink" width="453.6pt" height="208.8pt" \
viewBox="0 0 453.6 208.8" xmlns="http://www.w3.org/2000/svg" version="1.1">
 <defs><style type="text/css">*{stroke-linejoin: round}</style>
  <clipPath id="p4801edb9f5"><rect x="0" y="0" width="9" height="9"/></clipPath>
  <path id="m1" d="M 0 0 L 1 1"/></defs>
 <g id="patch_1" clip-path="url(#p4801edb9f5)"><use xlink:href="#m1" x="1" y="1"/></g>
 <text direction="ltr" unicode-bidi="bidi-override" style="font-size: 7.5px; \
font-family: 'Vazirmatn'" x="1" y="2">\ufb8e</text>
 <a href="#elsewhere">x</a>
</svg>
"""


def test_a_chart_goes_into_the_page_with_ids_of_its_own() -> None:
    svg = inline_svg(_SVG, "figure-trade-", "Bars of trade &amp; more")
    assert svg.startswith(
        '<svg id="figure-trade-svg" class="chart-svg" role="img" '
        'aria-label="Bars of trade &amp; more" style="min-width: 666px" '  # 7.5 units: 11 px
    )
    assert 'width="453.6pt"' not in svg and 'viewBox="0 0 453.6 208.8"' in svg
    assert "#figure-trade-svg *{stroke-linejoin: round}" in svg  # not the page's elements
    assert 'id="figure-trade-p4801edb9f5"' in svg and "url(#figure-trade-p4801edb9f5)" in svg
    assert 'id="figure-trade-m1"' in svg and 'xlink:href="#figure-trade-m1"' in svg
    assert 'href="#elsewhere"' in svg  # not an id of the chart's: left alone
    # Persian text stays in the display order it was drawn in: no browser reorders it.
    assert '<text direction="ltr" unicode-bidi="bidi-override" ' in svg
