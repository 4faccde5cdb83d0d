"""HTML -> PDF bytes through WeasyPrint, fetching only files kzbrief trusts.

Data is untrusted, so the URL fetcher refuses the network, ``file:`` URLs
outside the allowed folders, and ``data:`` URLs that are not images.
"""

from __future__ import annotations

import datetime as dt
import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlparse

import weasyprint
from weasyprint.urls import URLFetcher

if TYPE_CHECKING:
    from .build import SourceFile


@dataclass(frozen=True)
class Typeset:
    """A finished PDF and what the build needs to know about it."""

    pdf: bytes
    pages: int
    blocked: tuple[str, ...] = ()  # URLs the fetcher refused
    warnings: tuple[str, ...] = ()  # what WeasyPrint complained about, blocked fetches included

    def info(self) -> dict[str, object]:
        """Everything but the PDF, for the cache."""
        return {"pages": self.pages, "blocked": list(self.blocked), "warnings": list(self.warnings)}


class ConfinedFetcher(URLFetcher):
    """Serves files below ``roots`` and image ``data:`` URLs; refuses everything else."""

    def __init__(self, roots: tuple[Path, ...]) -> None:
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
        self.roots = tuple(root.resolve() for root in roots)
        self.blocked: list[str] = []

    def fetch(self, url: str, headers: object = None):
        if not self._allowed(url):
            self.blocked.append(url[:200])
            raise ValueError(f"kzbrief blocked a resource outside the project: {url[:200]}")
        return super().fetch(url, headers)

    def _allowed(self, url: str) -> bool:
        parsed = urlparse(url)
        if parsed.scheme == "data":
            return parsed.path.startswith("image/")
        if parsed.scheme != "file" or parsed.netloc not in ("", "localhost"):
            return False
        path = Path(unquote(parsed.path)).resolve()
        return any(path.is_relative_to(root) for root in self.roots)


@dataclass
class TypesetOptions:
    base_url: Path
    allowed_roots: tuple[Path, ...]
    pdf_variant: str = "pdf/a-3b"
    timestamp: dt.datetime = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)  # fixed: reproducible
    attachments: tuple[SourceFile, ...] = ()
    font_families: tuple[str, ...] = ()  # any other font in the PDF is a fallback: warn


# Decoded images (the charts) shared by the documents one process typesets: every
# audience shows the same charts. Keys are the image URLs, which embed the content.
_IMAGES: dict = {}


class _Collector(logging.Handler):
    """Keeps WeasyPrint's warnings so the build can report them (and --strict can fail)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = " ".join(record.getMessage().split())
        if message not in self.messages:
            self.messages.append(message)


def typeset_pdf(html: str, options: TypesetOptions) -> Typeset:
    """Lay out ``html`` and return the PDF bytes with its page count."""
    fetcher = ConfinedFetcher(options.allowed_roots)
    collector = _Collector()
    weasy_logger = logging.getLogger("weasyprint")
    weasy_logger.addHandler(collector)
    try:
        document = weasyprint.HTML(
            string=html, base_url=options.base_url.as_uri() + "/", url_fetcher=fetcher
        ).render(cache=_IMAGES)
        pdf = document.write_pdf(cache=_IMAGES, **_pdf_options(options))
    finally:
        weasy_logger.removeHandler(collector)
    warnings = [*collector.messages, *_fallback_fonts(document, options.font_families)]
    return Typeset(pdf, len(document.pages), tuple(fetcher.blocked), tuple(warnings))


def _pdf_options(options: TypesetOptions) -> dict[str, object]:
    attachments = [
        weasyprint.Attachment(
            string=item.content,
            name=item.name,
            description=item.description,
            created=options.timestamp,
            modified=options.timestamp,
            relationship="Source",
        )
        for item in options.attachments
    ]
    variant = None if options.pdf_variant == "none" else options.pdf_variant
    return {
        "pdf_variant": variant,
        "pdf_tags": True,
        "attachments": attachments,
        "pdf_identifier": True,
    }


def _fallback_fonts(document: weasyprint.Document, families: tuple[str, ...]) -> list[str]:
    """Fonts Pango picked because ours lacked a glyph: the PDF would vary by machine."""
    if not families:
        return []
    wanted = [family.replace(" ", "") for family in families]
    used = {_font_name(font) for font in document.fonts.values()}
    strays = sorted(n for n in used if not any(w in n.replace("-", "") for w in wanted))
    return [f"font fallback: {name} was used for glyphs the packaged fonts lack" for name in strays]


def _font_name(font: object) -> str:
    name = getattr(font, "name", b"")
    text = name.decode("latin-1") if isinstance(name, bytes) else str(name)
    return text.lstrip("/").split("+", 1)[-1]


def typeset_many(jobs: list[tuple[str, TypesetOptions]], workers: int = 0) -> list[Typeset]:
    """Typeset several documents, one process per core; results in the order of ``jobs``.

    Workers are forked from this process, so WeasyPrint, the fonts and the charts are
    imported and loaded once, not once per document.
    """
    count = min(len(jobs), workers or os.cpu_count() or 1)
    if count <= 1:
        return [typeset_pdf(html, options) for html, options in jobs]
    # Longest first (HTML length is a fair proxy for pages), so no worker is left
    # with a long document at the end while the others idle.
    order = sorted(range(len(jobs)), key=lambda i: -len(jobs[i][0]))
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=count, mp_context=context) as pool:
        futures = {i: pool.submit(typeset_pdf, *jobs[i]) for i in order}
        return [futures[i].result() for i in range(len(jobs))]
