"""The site's Atom feed (RFC 4287): one entry per public edition.

Entry ids name the briefing, audience, language and edition date and nothing else (no
host, no time of publishing), and ``updated`` is the edition date: publishing the same
edition again changes no entry, so a feed reader shows each new edition once. Links are
relative to the feed, which lies beside the files it names, wherever the site is hosted.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING
from xml.etree import ElementTree

from ..data.models import Briefing
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


def atom_feed(briefing: Briefing, cards: list[EditionCard]) -> bytes:
    """The feed as UTF-8 XML."""
    meta = briefing.meta
    updated = _timestamp(meta.edition)
    feed = ElementTree.Element("feed", {"xmlns": ATOM, "xml:lang": meta.language})
    _text(feed, "id", feed_id(briefing))
    _text(feed, "title", meta.title)
    _text(feed, "subtitle", meta.subtitle)
    _text(feed, "updated", updated)
    ElementTree.SubElement(_text(feed, "author", ""), "name").text = meta.organisation
    _link(feed, "self", "feed.xml", "application/atom+xml")
    _link(feed, "alternate", "index.html", "text/html")
    date = describe_partial_date(meta.edition.isoformat())
    for card in cards:
        entry = ElementTree.SubElement(feed, "entry", {"xml:lang": card.language})
        _text(entry, "id", entry_id(briefing, card.audience, card.language))
        title = phrase("feed_entry_title", title=meta.title, edition=card.title, date=date)
        _text(entry, "title", title)
        _text(entry, "updated", updated)
        _text(entry, "summary", card.description)
        if card.web is not None:
            _link(entry, "alternate", card.web, "text/html")
        _link(entry, "alternate" if card.web is None else "enclosure", card.pdf, "application/pdf")
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


def _link(parent: ElementTree.Element, rel: str, href: str, kind: str) -> None:
    ElementTree.SubElement(parent, "link", {"rel": rel, "href": href, "type": kind})
