"""The public site's files: the editions, a cover thumbnail of each, the index and the feed.

The index is one page from ``templates/site/``, its words from the catalogue and its fonts
inlined (cut down to its characters) as in the web edition, so it makes no request of its
own. The page is in the briefing's language; each edition's card (``card.html.j2``) and feed
entry are in the edition's: its audience's title and description as translated, its words,
digits and direction. Every file depends only on the editions and the data: publishing again
gives the same bytes.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path, PurePath

import jinja2
from markupsafe import Markup, escape

from ..cache import BuildCache
from ..data.localise import Localised
from ..data.models import Briefing
from ..errors import Location, TemplateError
from ..formats.html import inline_stylesheet, web_options
from ..language.current import load_language, use_language
from ..language.fonts import font_faces
from ..language.scripts import script_of, text_direction
from ..language.text import describe_partial_date, plain
from ..language.words import LANGUAGE_NAMES, phrase
from ..log import warn
from ..project import PACKAGED_TEMPLATES
from ..render.environment import TemplateStack, page_environment
from .feed import atom_feed
from .site import EditionCard, PublicEdition

SITE_TEMPLATES = "site"  # under the packaged templates, or under the user's --templates
THUMBNAIL_WIDTH = 300  # pixels: the cover at the width the index shows it


def site_files(
    briefing: Briefing,
    local: Mapping[str, Localised],
    editions: list[PublicEdition],
    base_url: str | None,
    stylesheet_options: tuple[Path | None, Path, BuildCache],
) -> dict[str, bytes]:
    """Every file of the site by name. ``briefing`` is the data in the page's own language,
    ``local`` the data in each edition's language (the cards and entries are in it);
    ``base_url`` the address the site is served from (None: the feed's links stay relative);
    ``stylesheet_options``: user templates, data, cache."""
    files: dict[str, bytes] = {}
    cards = []
    for edition in editions:
        thumbnail = f"{PurePath(edition.pdf.name).stem}-cover.png"
        files[thumbnail], size = cover_thumbnail(edition.pdf.content)
        files[edition.pdf.name] = edition.pdf.content
        if edition.web is not None:
            files[edition.web.name] = edition.web.content
        cards.append(_card(local[edition.language], edition, thumbnail, size))
    files["feed.xml"] = atom_feed(briefing, cards, base_url)
    files["index.html"] = index_page(briefing, cards, *stylesheet_options)
    return files


def _card(
    local: Localised, edition: PublicEdition, thumbnail: str, size: tuple[int, int]
) -> EditionCard:
    entry = edition.pdf.entry
    audience = local.audiences[edition.audience]
    language = load_language(edition.language)
    with use_language(language):
        shown_size = file_size(entry["bytes"])
    return EditionCard(
        audience=audience.id,
        title=audience.title,
        description=audience.description,
        language=edition.language,
        language_name=LANGUAGE_NAMES.get(language.primary, edition.language),
        direction=language.direction,
        briefing_title=local.briefing.meta.title,
        pages=entry.get("pages"),
        size=shown_size,
        bytes=entry["bytes"],
        sha256=entry["sha256"],
        pdf=edition.pdf.name,
        web=edition.web.name if edition.web else None,
        thumbnail=thumbnail,
        thumbnail_size=size,
    )


def file_size(count: int) -> str:
    """1 234 567 -> "1.2 MB"; 45 678 -> "46 kB" (decimal units, as download sizes are), in
    the active language's words and digits (Persian "۴۶ کیلوبایت")."""
    if count >= 1_000_000:
        return phrase("size_mb", number=plain(count / 1_000_000, 1))
    return phrase("size_kb", number=max(1, round(count / 1000)))


def cover_thumbnail(pdf: bytes) -> tuple[bytes, tuple[int, int]]:
    """Page 1 of ``pdf`` as a PNG about THUMBNAIL_WIDTH pixels wide, and its size."""
    import pypdfium2  # lazy: PDFium, needed only to publish

    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[0]
        image = page.render(scale=THUMBNAIL_WIDTH / page.get_width()).to_pil()
    finally:
        document.close()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)  # Pillow writes no time stamp
    return buffer.getvalue(), image.size


def index_page(
    briefing: Briefing,
    cards: list[EditionCard],
    templates: Path | None,
    data: Path,
    cache: BuildCache,
) -> bytes:
    """The site's index.html, self-contained but for its links and thumbnails. The page is
    in the briefing's language; each card is rendered in its edition's (``card.html.j2``)."""
    folders = [PACKAGED_TEMPLATES / SITE_TEMPLATES]
    if templates is not None:
        folders.insert(0, templates.resolve() / SITE_TEMPLATES)
    stack = TemplateStack(tuple(f for f in folders if f.is_dir()), PACKAGED_TEMPLATES / "base")
    environment = page_environment(stack)
    meta = briefing.meta
    edition = meta.edition
    long_date = describe_partial_date(edition.isoformat())
    direction = text_direction(meta.language)
    context = {
        "meta": meta,
        "direction": direction,
        "editions": cards,
        "edition_date": Markup(
            f'<time datetime="{edition.isoformat()}">{escape(long_date)}</time>'
        ),
        "font_faces": font_faces(),
        "scripts": sorted({script_of(card.language) for card in cards}),
    }
    try:
        context["cards"] = [
            _rendered_card(environment, card, number, direction)
            for number, card in enumerate(cards, 1)
        ]
        css = environment.get_template("site.css.j2").render(context)
        index = environment.get_template("index.html.j2")
        # The fonts keep the characters of the page as it reads; the stylesheet adds none.
        text = index.render(context, stylesheet="")
        stylesheet, warnings = inline_stylesheet(css, text, web_options(stack.folders, data), cache)
        page = index.render(context, stylesheet=Markup(stylesheet))
    except jinja2.TemplateError as exc:
        where = Location(Path(getattr(exc, "filename", None) or stack.folders[0]))
        raise TemplateError(f"site template: {exc.message}", where) from None
    for warning in warnings:
        warn(f"site: {warning}")
    return page.encode("utf-8")


def _rendered_card(
    environment: jinja2.Environment, card: EditionCard, number: int, page_direction: str
) -> Markup:
    """One edition's card as HTML, its words, digits and dates in the edition's language."""
    with use_language(load_language(card.language)):
        html = environment.get_template("card.html.j2").render(
            card=card, anchor=f"edition-{number}", page_direction=page_direction
        )
    return Markup(html)
