"""The site's Atom feed (RFC 4287): one entry per public edition.

Entry ids name the briefing, audience, language and edition date and nothing else (no
host, no time of publishing), and ``updated`` is the edition date: publishing the same
edition again changes no entry, so a feed reader shows each new edition once. Each entry is
in its edition's language (``xml:lang``, title, summary, date). Links are absolute when
kzbrief.toml gives ``[publish] base_url``; without it they are relative to the feed, which
lies beside the files it names, wherever the site is hosted.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING
from urllib.parse import quote, urljoin
from xml.etree import ElementTree

from ..data.models import Briefing
from ..language.current import load_language, use_language
from ..language.text import describe_partial_date
from ..language.words import phrase
from ..publish.editions import slug

if TYPE_CHECKING:
    from .site import EditionCard

ATOM = "http://www.w3.org/2005/Atom"
# A tag URI (RFC 4151) minted once for kzbrief's feeds: its date is fixed, never the clock.
TAG_AUTHORITY = "tag:kzbrief,2026:"


def feed_id(briefing: Briefing) -> str:
    return f"{TAG_AUTHORITY}{slug(briefing)}"


def entry_id(briefing: Briefing, audience: str, language: str) -> str:
    """tag:kzbrief,2026:kazakhstan-iran/press/en/2026-11-27: a new edition, a new id."""
    return f"{feed_id(briefing)}/{audience}/{language}/{briefing.meta.edition.isoformat()}"


def atom_feed(briefing: Briefing, cards: list[EditionCard], base_url: str | None = None) -> bytes:
    """The feed as UTF-8 XML: the feed in the briefing's language, each entry in its
    edition's; ``base_url`` (ending in "/") makes every link absolute."""
    meta = briefing.meta
    updated = _timestamp(meta.edition)

    def address(name: str) -> str:
        return urljoin(base_url, quote(name)) if base_url else name

    feed = ElementTree.Element("feed", {"xmlns": ATOM, "xml:lang": meta.language})
    _text(feed, "id", feed_id(briefing))
    _text(feed, "title", meta.title)
    _text(feed, "subtitle", meta.subtitle)
    _text(feed, "updated", updated)
    ElementTree.SubElement(_text(feed, "author", ""), "name").text = meta.organisation
    _link(feed, "self", address("feed.xml"), "application/atom+xml")
    _link(feed, "alternate", address("index.html"), "text/html")
    for card in cards:
        entry = ElementTree.SubElement(feed, "entry", {"xml:lang": card.language})
        _text(entry, "id", entry_id(briefing, card.audience, card.language))
        with use_language(load_language(card.language)):
            date = describe_partial_date(meta.edition.isoformat())
            title = phrase(
                "feed_entry_title", title=card.briefing_title, edition=card.title, date=date
            )
        _text(entry, "title", title)
        _text(entry, "updated", updated)
        _text(entry, "summary", card.description)
        if card.web is not None:
            _link(entry, "alternate", address(card.web), "text/html", card.language)
        pdf = "alternate" if card.web is None else "enclosure"
        _link(entry, pdf, address(card.pdf), "application/pdf", card.language)
        entry[-1].set("length", str(card.bytes))
    ElementTree.indent(feed)
    return ElementTree.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


def _timestamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _text(parent: ElementTree.Element, tag: str, text: str) -> ElementTree.Element:
    element = ElementTree.SubElement(parent, tag)
    if text:
        element.text = text
    return element


def _link(
    parent: ElementTree.Element, rel: str, href: str, kind: str, language: str | None = None
) -> None:
    attributes = {"rel": rel, "href": href, "type": kind}
    if language is not None:
        attributes["hreflang"] = language
    ElementTree.SubElement(parent, "link", attributes)
