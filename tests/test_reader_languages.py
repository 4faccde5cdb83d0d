"""Everything around the pages in each reader's language (issue 26): the covering e-mail of a
ru, kk or fa copy as a real SMTP server receives it, the public site's cards and the Atom
feed's entries in their editions' languages, and ``[publish] base_url`` for absolute links.

One session fixture issues two editions of the press summary (en, ru, kk, fa), the second
with one changed figure, so the e-mails carry their "what changed" lines; then publishes.
"""

from __future__ import annotations

import email
import email.policy
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest
import yaml
from aiosmtpd.controller import Controller

from .conftest import Issued, Project, copy_project
from .test_send import Recorder, _free_port
from .test_site import _run

pytestmark = pytest.mark.xdist_group("reader-languages")  # its fixture is built once

BASE_URL = "https://briefings.example.org/kz-iran/"
RECIPIENTS = """\
  - id: press-ru
    name: "Ольга Примерова"
    organisation: "Пресс-служба, отдел новостей"
    audience: press
    language: ru
    email: olga.primerova@example.org
  - id: press-kk
    name: "Айгүл Үлгіқызы"
    organisation: "Баспасөз қызметі"
    audience: press
    language: kk
    email: aigul.ulgi@example.org
  - id: press-fa
    name: "داریوش رضایی"
    organisation: "دفتر مطبوعاتی"
    audience: press
    language: fa
    email: dariush.rezaei@example.org
"""
LANGUAGES = ("en", "ru", "kk", "fa")
ENGLISH_WORDS = ("Dear", "Attached", "copy", "edition", "Changes since", "With regards", "forward")


@dataclass
class Around:
    issued: Issued
    site: Path
    config: Path


def _config(folder: Path, lines: str, name: str = "kzbrief.toml") -> Path:
    """A config file; one in the project's folder shares its build state and register."""
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / name
    config.write_text(lines, encoding="utf-8")
    return config


@pytest.fixture(scope="session")
def around(tmp_path_factory: pytest.TempPathFactory) -> Around:
    folder = tmp_path_factory.mktemp("reader-languages")
    project = copy_project(folder)
    project.edit(
        "audiences/press.yaml", "  languages: [en]", f"  languages: [{', '.join(LANGUAGES)}]"
    )
    with (project.data / "recipients.yaml").open("a", encoding="utf-8") as recipients:
        recipients.write(RECIPIENTS)
    issued = Issued(project, folder / "distribution" / "register.sqlite")
    config = _config(folder, f'[publish]\nbase_url = "{BASE_URL}"\n', "publish.toml")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        code, _, err = _run(issued.args("issue", "--audience", "press"))
        assert code == 0, err
        # A second edition with one changed figure: its e-mails list what changed.
        project.edit("diplomacy.yaml", "minimum: 60", "minimum: 65")
        project.edit("meta.yaml", "edition: 2026-11-27", "edition: 2026-12-04")
        code, _, err = _run(issued.args("issue", "--audience", "press"))
        assert code == 0, err
        site = folder / "site"
        folders = ["--data", str(project.data), "--output", str(project.output)]
        code, _, err = _run(["publish", *folders, "--config", str(config), "--site", str(site)])
        assert (code, err) == (0, "")
    return Around(issued, site, config)


def _translation(project: Project, language: str, file: str, key: str) -> str:
    if language == "en":
        document = yaml.safe_load((project.data / file).read_text(encoding="utf-8"))
        section, name = key.split(".")
        return document[section][name]
    path = project.data / "i18n" / language / file
    return yaml.safe_load(path.read_text(encoding="utf-8"))["strings"][key]["text"]


def _titles(project: Project, language: str) -> tuple[str, str]:
    """The briefing's title and the press audience's, as the language's data has them."""
    return (
        _translation(project, language, "meta.yaml", "meta.title"),
        _translation(project, language, "audiences/press.yaml", "audience.title"),
    )


# --- e-mails -----------------------------------------------------------------------------


@pytest.fixture
def received(around: Around, tmp_path: Path) -> dict[str, email.message.EmailMessage]:
    """Every press copy of the second edition sent to a real aiosmtpd on 127.0.0.1, by the
    language of the copy (a sibling's register: the session's stays unsent)."""
    sibling = around.issued.sibling(tmp_path / "project")
    handler, port = Recorder(), _free_port()
    config = _config(
        tmp_path / "config",
        '[send]\nfrom = "Policy Unit <briefings@example.org>"\n'
        f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\n',
    )
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        code, out, err = _run([*sibling.args("send"), "--config", str(config)])
    finally:
        controller.stop()
    assert (code, err) == (0, ""), out
    assert out.splitlines()[-1] == "4 sent"
    return {message["Content-Language"]: message for _, message in handler.received}


def _plain(message: email.message.EmailMessage) -> str:
    return _spaced(message.get_body(("plain",)).get_content().replace("\r\n", "\n"))


def _spaced(text: str) -> str:
    """No-break spaces (U+00A0, U+202F) as spaces: CLDR writes one or the other before "г."."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def test_each_copy_is_mailed_in_its_own_language(received, around: Around) -> None:
    project = around.issued.project
    assert sorted(received) == sorted(LANGUAGES)  # Content-Language: one message each
    ru, kk, fa = received["ru"], received["kk"], received["fa"]
    assert ru["Subject"] == "Казахстан и Иран: Ваш экземпляр № 2, выпуск 2026-12-04"
    assert kk["Subject"] == "Қазақстан және Иран: Сіздің № 3 данаңыз, басылым 2026-12-04"
    # The edition id is a code: isolated left to right inside the Persian line.
    assert fa["Subject"] == "قزاقستان و ایران: نسخه شما به شماره ۴، ویرایش \u20662026-12-04\u2069"
    assert received["en"]["Subject"] == "Kazakhstan and Iran: your copy 1, edition 2026-12-04"
    body = _plain(ru)
    assert body.startswith("Уважаемый(-ая) Ольга Примерова!\n")
    assert "экземпляр № 2 записки «Казахстан и Иран» (выпуск от 4 декабря 2026 г.)" in body
    assert "(Пресс-служба, отдел новостей)" in body and "С уважением,\nPolicy Unit" in body
    body = _plain(kk)
    assert body.startswith("Құрметті Айгүл Үлгіқызы!\n")
    assert "«Қазақстан және Иран»" in body and "№ 3 данасы" in body and "Құрметпен," in body
    body = _plain(fa)
    # The name (the other way round from nothing here, but a name in any script) isolated.
    assert body.startswith("\u2068داریوش رضایی\u2069 گرامی،\n")
    assert "نسخه شماره ۴ از گزارش «قزاقستان و ایران»" in body and "با احترام،" in body
    assert "۱۳ آذر ۱۴۰۵" in body and "۴ دسامبر ۲۰۲۶" in body  # Solar Hijri, Gregorian beside
    for language in ("ru", "kk", "fa"):
        text = _plain(received[language]) + received[language]["Subject"]
        assert [w for w in ENGLISH_WORDS if w in text] == [], language
        assert _titles(project, language)[0] in text
    # Persian digits throughout; the only Latin ones are the edition ids, isolated.
    assert re.findall(r"[0-9]", re.sub("\u2066[^\u2069]*\u2069", "", _plain(fa))) == []


def test_the_what_changed_lines_are_in_the_copys_language(received) -> None:
    assert (
        "Изменения по сравнению с выпуском от 27 ноября 2026 г. (2026-11-27):\n"
        "- Подписанные соглашения: более 60 → более 65\n"
    ) in _plain(received["ru"])
    assert "- Қол қойылған келісімдер: 60 құжаттан астам → 65 құжаттан астам\n" in _plain(
        received["kk"]
    )
    fa = _plain(received["fa"])
    assert "تغییرات نسبت به ویرایش \u20662026-11-27\u2069" in fa
    assert "- موافقت‌نامه‌های امضاشده: بیش از ۶۰ ← بیش از ۶۵\n" in fa
    assert "- Agreements signed: more than 60 → more than 65\n" in _plain(received["en"])


def test_the_html_part_says_its_language_and_direction(received) -> None:
    fa = received["fa"].get_body(("html",)).get_content()
    assert '<html lang="fa" dir="rtl">' in fa
    assert "<p><bdi>داریوش رضایی</bdi> گرامی،</p>" in fa
    assert "<bdi>دفتر مطبوعاتی</bdi>" in fa
    ru = received["ru"].get_body(("html",)).get_content()
    assert '<html lang="ru" dir="ltr">' in ru and "<li>Подписанные соглашения: " in ru
    assert '<html lang="en" dir="ltr">' in received["en"].get_body(("html",)).get_content()


# --- the site ----------------------------------------------------------------------------


class _Cards(HTMLParser):
    """Each <article>'s attributes, its heading, its <dt> labels and its links."""

    def __init__(self) -> None:
        super().__init__()
        self.cards: list[dict] = []
        self._in: str | None = None
        self._open = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "article":
            self.cards.append({"attrs": attributes, "h3": "", "dt": [], "links": []})
            self._open = True
        elif self._open and tag in ("h3", "dt"):
            self._in = tag
        elif self._open and tag == "a":
            self.cards[-1]["links"].append(attributes)

    def handle_endtag(self, tag: str) -> None:
        self._in = None if tag == self._in else self._in
        self._open = self._open and tag != "article"

    def handle_data(self, data: str) -> None:
        if self._in == "h3":
            self.cards[-1]["h3"] += data
        elif self._in == "dt":
            self.cards[-1]["dt"].append(data)


def test_each_card_is_in_its_editions_language(around: Around) -> None:
    project = around.issued.project
    html = (around.site / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en" dir="ltr">' in html  # the page keeps its own language
    assert "<h2>Public editions</h2>" in html
    parser = _Cards()
    parser.feed(html)
    by_language = {card["attrs"]["lang"]: card for card in parser.cards}
    assert sorted(by_language) == sorted(LANGUAGES)
    for language, card in by_language.items():
        # dir only where the card runs the other way from the page
        assert card["attrs"].get("dir") == ("rtl" if language == "fa" else None)
        assert card["h3"] == _titles(project, language)[1]
        stem = f"kazakhstan-iran-press-{language}"
        assert [(a["href"], a["hreflang"]) for a in card["links"]] == [
            (f"{stem}.pdf", language),
            (f"{stem}.html", language),
        ]
    assert by_language["en"]["dt"] == ["Language", "Pages", "Size", "SHA-256"]
    assert by_language["ru"]["dt"] == ["Язык", "Страниц", "Размер", "SHA-256"]
    assert by_language["fa"]["dt"] == ["زبان", "صفحات", "حجم", "SHA-256"]
    assert "<dt>صفحات</dt><dd>۲</dd>" in html and "کیلوبایت</dd>" in html
    assert 'alt="صفحه نخست خلاصه برای رسانه‌ها"' in html
    assert html.count('src: url("data:font/woff2;base64,') == 6  # Source Sans 3, Vazirmatn


def test_the_cards_read_in_their_direction_and_face_in_a_browser(
    around: Around, browser: object
) -> None:
    browser.get((around.site / "index.html").as_uri())
    found = browser.execute_async_script(
        """const done = arguments[arguments.length - 1];
        document.fonts.ready.then(() => done({
          cards: [...document.querySelectorAll("article")].map((a) => [
            a.lang, getComputedStyle(a).direction, getComputedStyle(a).fontFamily.split(",")[0],
            a.querySelector("h3").getBoundingClientRect().right
              > a.querySelector("img").getBoundingClientRect().right]),
          fonts: [...document.fonts].filter((f) => f.status === "loaded").map((f) => f.family),
        }));"""
    )
    assert found["cards"] == [
        ["en", "ltr", '"Source Sans 3"', True],
        ["fa", "rtl", "Vazirmatn", False],  # the cover on the right, the text left of it
        ["kk", "ltr", '"Source Sans 3"', True],
        ["ru", "ltr", '"Source Sans 3"', True],
    ]
    assert {family.strip('"') for family in found["fonts"]} == {"Source Sans 3", "Vazirmatn"}


def test_the_site_with_its_languages_has_no_wcag_2_1_aa_violation(
    around: Around, browser: object
) -> None:
    from .axe import axe_violations

    assert axe_violations(browser, (around.site / "index.html").as_uri()) == []


# --- the feed ----------------------------------------------------------------------------


def test_each_feed_entry_is_in_its_language_with_absolute_links(around: Around) -> None:
    project = around.issued.project
    feed = feedparser.parse((around.site / "feed.xml").read_bytes())
    assert feed.bozo == 0 and feed.feed.title == "Kazakhstan and Iran"
    assert {(link.rel, link.href) for link in feed.feed.links} == {
        ("self", f"{BASE_URL}feed.xml"),
        ("alternate", f"{BASE_URL}index.html"),
    }
    entries = {entry.id.split("/")[-2]: entry for entry in feed.entries}
    assert sorted(entries) == sorted(LANGUAGES)
    dates = {
        "en": "4 December 2026",
        "ru": "4 декабря 2026 г.",
        "kk": "4 желтоқсан",  # the year's form is the Kazakh date's own
        "fa": "۱۳ آذر ۱۴۰۵",
    }
    for language, entry in entries.items():
        briefing, audience = _titles(project, language)
        assert entry.title_detail.language == language
        assert entry.title.startswith(f"{briefing}: {audience}")
        assert dates[language] in _spaced(entry.title)
        assert entry.summary == _translation(
            project, language, "audiences/press.yaml", "audience.description"
        )
        stem = f"{BASE_URL}kazakhstan-iran-press-{language}"
        assert {(link.rel, link.href, link.hreflang) for link in entry.links} == {
            ("alternate", f"{stem}.html", language),
            ("enclosure", f"{stem}.pdf", language),
        }


def test_without_base_url_the_links_stay_relative_and_publish_says_so(
    around: Around, tmp_path: Path
) -> None:
    """[publish] site is where the site goes when --site is not given."""
    project = around.issued.project
    site = tmp_path / "public"
    config = _config(project.root, f'[publish]\nsite = "{site}"\n', "relative.toml")
    folders = ["--data", str(project.data), "--output", str(project.output)]
    code, out, err = _run(["publish", *folders, "--config", str(config)])
    assert code == 0
    assert err == (
        "kzbrief: warning: feed.xml: its links are relative, which some feed readers do not "
        "resolve; set [publish] base_url in kzbrief.toml to the address the site is served "
        "from\n"
    )
    assert out.split()[-1] == str(site / "index.html")
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    assert ("self", "feed.xml") in {(link.rel, link.href) for link in feed.feed.links}
    # Otherwise the same site: only the feed's links differ.
    for name in ("index.html", "kazakhstan-iran-press-fa-cover.png"):
        assert (site / name).read_bytes() == (around.site / name).read_bytes(), name


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ('"briefings.example.org/kz"', "no http:// or https:// scheme"),
        ('"ftp://example.org/"', "no http:// or https:// scheme"),
        ('"https:///briefings/"', "no host"),
        ('"https://example.org/?page=1"', "a query or fragment cannot name a folder"),
        ('"https://example.org/a b/"', "it holds a space or a control character"),
        ('"https://example.org:port/"', "Port could not be cast to integer value as 'port'"),
        ("42", "not a string"),
    ],
)
def test_a_malformed_base_url_is_one_line_and_exit_64(
    tmp_path: Path, value: str, problem: str
) -> None:
    project = copy_project(tmp_path)
    config = _config(tmp_path / "config", f"[publish]\nbase_url = {value}\n")
    code, out, err = _run(["publish", "--data", str(project.data), "--config", str(config)])
    shown = value.strip('"') if value != "42" else 42
    assert (code, out) == (64, "")
    assert err == (
        f"{config}: [publish] base_url: expected the absolute http(s) address the site is served "
        f"from, such as 'https://example.org/briefings/' ({problem}; got {shown!r})\n"
    )
    assert list(project.output.iterdir()) == []  # before any work


def test_an_unknown_publish_setting_is_refused(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    config = _config(tmp_path / "config", '[publish]\nbase = "https://example.org/"\n')
    code, _, err = _run(["publish", "--data", str(project.data), "--config", str(config)])
    assert code == 64
    assert err == f"{config}: unknown setting 'base' in [publish] (known: site, base_url)\n"


def test_a_base_url_without_its_final_slash_names_the_folder(
    around: Around, tmp_path: Path
) -> None:
    project = around.issued.project
    lines = '[publish]\nbase_url = "https://example.org/kz-iran"\n'
    config = _config(project.root, lines, "slashless.toml")
    site = tmp_path / "site"
    folders = ["--data", str(project.data), "--output", str(project.output)]
    code, _, err = _run(["publish", *folders, "--config", str(config), "--site", str(site)])
    assert (code, err) == (0, "")
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    assert ("self", "https://example.org/kz-iran/feed.xml") in {
        (link.rel, link.href) for link in feed.feed.links
    }


def test_init_writes_the_publish_settings(tmp_path: Path) -> None:
    from kzbrief.project import publish_settings

    code, _, err = _run(["init", str(tmp_path / "p")])
    assert (code, err) == (0, "")
    config = tmp_path / "p" / "kzbrief.toml"
    assert "[publish]" in config.read_text(encoding="utf-8")
    assert publish_settings(config) == (tmp_path / "p" / "site", None)
