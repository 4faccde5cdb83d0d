"""The web edition read in a real browser (headless Chromium), on a phone 390 CSS px wide and
on a desktop 1280 px wide: the charts' labels set in the briefing's own faces and large
enough to read, no table cutting a word or a number in two, a restricted edition's handling
marking at the top of the page, and no WCAG 2.1 AA violation axe-core can find, in every
language (Persian right to left)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .axe import axe_violations
from .conftest import copy_project, once_per_run

PHONE, DESKTOP = (390, 844), (1280, 900)
WIDTHS = [PHONE, DESKTOP]
EDITIONS = ["press-en", "press-ru", "press-kk", "press-fa"]
EDITIONS += ["government-en", "government-ru", "government-kk"]
MIN_LABEL_PX = 11


@pytest.fixture(scope="session")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The press and government web editions in each of their languages, built once."""

    def make(folder: Path) -> list[str]:
        project = copy_project(folder, languages=True)
        paths = project.build(formats=("html",), audiences=["press", "government"])
        return [str(path) for path in paths]

    paths = [Path(p) for p in once_per_run(tmp_path_factory, "web-browser", make)]
    return {p.stem.removeprefix("kazakhstan-iran-"): p for p in paths if p.suffix == ".html"}


@pytest.fixture
def screen(browser: object, request: pytest.FixtureRequest) -> Iterator[object]:
    """The session's browser with a viewport of ``request.param`` (width, height) CSS px:
    set through DevTools, since a headless window has a minimum width of its own."""
    width, height = request.param
    metrics = {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    try:
        yield browser
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def _open(driver: object, page: Path) -> None:
    driver.get(page.as_uri())
    driver.set_script_timeout(30)
    driver.execute_async_script("document.fonts.ready.then(arguments[0])")


# Each chart label's family as the page asks for it and its size as drawn: the font size in
# the SVG's units times the scale of the SVG on the screen (rotation included).
_LABELS = """
return [...document.querySelectorAll("svg.chart-svg text")].map((t) => {
  const m = t.getScreenCTM();
  return {family: getComputedStyle(t).fontFamily.split(",")[0].replaceAll('"', ""),
          px: parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b),
          text: t.textContent};
});
"""


@pytest.mark.parametrize("screen", WIDTHS, indirect=True, ids=["390", "1280"])
@pytest.mark.parametrize("edition", ["press-en", "press-fa", "government-ru"])
def test_chart_labels_are_in_the_briefing_face_and_readable(
    pages: dict[str, Path], screen: object, edition: str
) -> None:
    _open(screen, pages[edition])
    labels = screen.execute_script(_LABELS)
    assert len(labels) >= 10
    face = "Vazirmatn" if edition.endswith("-fa") else "Source Sans 3"
    assert {label["family"] for label in labels} == {face}
    small = [(label["text"], round(label["px"], 1)) for label in labels]
    assert [s for s in small if s[1] < MIN_LABEL_PX] == []
    # The face Chromium actually drew them in: the page's own web font, not a fallback.
    screen.execute_cdp_cmd("DOM.enable", {})
    screen.execute_cdp_cmd("CSS.enable", {})
    root = screen.execute_cdp_cmd("DOM.getDocument", {})["root"]["nodeId"]
    found = {"nodeId": root, "selector": "svg.chart-svg text"}
    nodes = screen.execute_cdp_cmd("DOM.querySelectorAll", found)["nodeIds"]
    used = set()
    for node in nodes[:12]:
        fonts = screen.execute_cdp_cmd("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        used |= {(font["familyName"], font["isCustomFont"]) for font in fonts}
    # (named by its full name: "Source Sans 3 Semibold" for the semibold titles)
    assert used and all(name.startswith(face) and web for name, web in used)
    # The page itself never scrolls sideways: a wide chart or table scrolls in its box.
    width = screen.execute_script("return document.documentElement.scrollWidth")
    assert width <= screen.execute_script("return innerWidth")


# Every word (between spaces and dashes) of every table cell, caption and figure caption
# whose characters lie on more than one line: a word broken in two.
_BROKEN = """
const broken = [];
for (const box of document.querySelectorAll("th, td, caption, figcaption")) {
  const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const word of node.data.matchAll(/[^\\s\\-\\u2010-\\u2015\\/]+/g)) {
      const range = document.createRange();
      range.setStart(node, word.index);
      range.setEnd(node, word.index + word[0].length);
      const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.bottom)));
      if (tops.size > 1) broken.push(word[0]);
    }
  }
}
return broken;
"""


@pytest.mark.parametrize("screen", WIDTHS, indirect=True, ids=["390", "1280"])
@pytest.mark.parametrize("edition", ["government-en", "government-ru", "government-kk", "press-fa"])
def test_no_table_breaks_a_word_or_a_number(
    pages: dict[str, Path], screen: object, edition: str
) -> None:
    _open(screen, pages[edition])
    assert screen.execute_script("return document.querySelectorAll('th, td').length") > 9
    assert screen.execute_script(_BROKEN) == []


_MARKING = """
const marking = document.querySelector(".cover .running-marking");
const box = marking.getBoundingClientRect();
return {text: marking.textContent, display: getComputedStyle(marking).display,
        top: box.top, width: box.width, height: box.height, transform:
        getComputedStyle(marking).textTransform};
"""


@pytest.mark.parametrize("screen", WIDTHS, indirect=True, ids=["390", "1280"])
def test_a_restricted_edition_shows_its_handling_marking_at_the_top(
    pages: dict[str, Path], screen: object
) -> None:
    _open(screen, pages["government-en"])
    shown = screen.execute_script(_MARKING)
    assert shown["text"] == "For official use" and shown["display"] == "block"
    assert 0 <= shown["top"] < 100 and shown["width"] > 50 and shown["height"] >= 10
    # Printed from the browser, it heads the first page too.
    screen.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        printed = screen.execute_script(_MARKING)
    finally:
        screen.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    assert printed["display"] == "block" and printed["height"] >= 8


@pytest.mark.parametrize("screen", WIDTHS, indirect=True, ids=["390", "1280"])
def test_each_language_passes_axe_core_at_both_widths(
    pages: dict[str, Path], screen: object
) -> None:
    assert sorted(pages) == sorted(EDITIONS)
    found = {name: axe_violations(screen, pages[name].as_uri()) for name in EDITIONS}
    assert found == {name: [] for name in EDITIONS}
