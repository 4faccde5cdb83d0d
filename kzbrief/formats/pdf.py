"""HTML -> PDF bytes through WeasyPrint: one typesetting job, its options and its result.

WeasyPrint is imported only when something must be typeset: a rebuild served
from the cache never pays for it. Resources are fetched through
``fetcher.ConfinedFetcher``. workers.py runs several jobs in parallel.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..cache import entry_key
from ..language.fonts import FONT_FAMILIES, font_folders
from .attachments import SourceFile, source_files
from .weasyprint_adapter import adapt_weasyprint

if TYPE_CHECKING:
    import weasyprint


@dataclass(frozen=True)
class Typeset:
    """A finished PDF and what the build needs to know about it."""

    pdf: bytes
    pages: int
    warnings: tuple[str, ...] = ()  # what WeasyPrint complained about, blocked fetches included
    cpu: float = 0.0  # seconds of CPU the typesetting took (not kept in the cache)

    def encode(self) -> bytes:
        """The cache entry: pages and warnings as a JSON line, then the PDF."""
        info = {"pages": self.pages, "warnings": list(self.warnings)}
        return json.dumps(info).encode() + b"\n" + self.pdf

    @classmethod
    def decode(cls, payload: bytes) -> Typeset:
        """A cached result; ValueError, KeyError or TypeError if the entry is not one."""
        info, _, pdf = payload.partition(b"\n")
        fields = json.loads(info)
        if not isinstance(fields, dict) or not pdf.startswith(b"%PDF-"):
            raise ValueError("not a cached PDF")
        return cls(pdf, fields["pages"], tuple(fields["warnings"]))


@dataclass
class TypesetOptions:
    base_url: Path
    allowed_roots: tuple[Path, ...]
    pdf_variant: str = "pdf/a-3b"
    timestamp: dt.datetime = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)  # fixed: reproducible
    attachments: tuple[SourceFile, ...] = ()
    font_families: tuple[str, ...] = ()  # any other font in the PDF is a fallback: warn
    edition_id: str = ""  # meta.edition, written into the XMP as xmpMM:VersionID


def typeset_options(
    folders: tuple[Path, ...],
    data_dir: Path,
    config_file: Path | None,
    variant: str,
    timestamp: dt.datetime,
    language: str = "en",
) -> TypesetOptions:
    """How a build typesets one audience: resources only from its template ``folders``
    (the first is the base URL), the data folder and the packaged fonts; the data files,
    the audience's ``config_file`` and the translation files of the edition's ``language``
    attached; any font but the packaged ones a warning."""
    return TypesetOptions(
        base_url=folders[0],
        allowed_roots=(*folders, data_dir, *font_folders()),
        pdf_variant=variant,
        timestamp=timestamp,
        attachments=source_files(data_dir, config_file, language),
        font_families=FONT_FAMILIES,
    )


def typeset_key(html: str, options: TypesetOptions) -> str:
    """The cache entry for ``html`` typeset with ``options``: each input named, so an
    option added later changes the key only when it is added here too."""
    attachments = [
        [item.name, item.description, hashlib.sha256(item.content).hexdigest()]
        for item in options.attachments
    ]
    return entry_key(
        "pdf",
        html,
        options.pdf_variant,
        options.timestamp.isoformat(),
        attachments,
        options.base_url.as_posix(),
        [root.as_posix() for root in options.allowed_roots],
        list(options.font_families),
        options.edition_id,
    )


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
    import weasyprint  # lazy: seconds to import, and a build served from the cache never needs it

    from .fetcher import ConfinedFetcher  # lazy: it imports weasyprint
    from .tagging import finish_tags  # lazy: pikepdf

    adapt_weasyprint()  # what WeasyPrint has no public API for, if it is a tested one
    started = time.process_time()
    fetcher = ConfinedFetcher(options.allowed_roots)
    collector = _Collector()
    weasy_logger = logging.getLogger("weasyprint")
    weasy_logger.addHandler(collector)
    try:
        with fixed_clock(options.timestamp):
            document = weasyprint.HTML(
                string=html, base_url=options.base_url.as_uri() + "/", url_fetcher=fetcher
            ).render(cache=_IMAGES)
            pdf = document.write_pdf(cache=_IMAGES, **_pdf_options(options, weasyprint.Attachment))
    finally:
        weasy_logger.removeHandler(collector)
    # table header scopes, the PDF/UA claim, the edition id
    pdf = finish_tags(pdf, options.pdf_variant, options.edition_id)
    warnings = [*collector.messages, *_fallback_fonts(document, options.font_families)]
    return Typeset(pdf, len(document.pages), tuple(warnings), time.process_time() - started)


@contextlib.contextmanager
def fixed_clock(timestamp: dt.datetime) -> Iterator[None]:
    """Make fontTools date its font subsets from the edition, not the clock.

    Where HarfBuzz-subset is missing WeasyPrint subsets fonts with fontTools, which
    stamps each subset with the current time unless $SOURCE_DATE_EPOCH is set: the
    same input would give different bytes. Set only while typesetting, and only if
    the user has not set it, so nothing else in the process sees it.
    """
    if "SOURCE_DATE_EPOCH" in os.environ:
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = str(int(timestamp.timestamp()))
    try:
        yield
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)


def _pdf_options(
    options: TypesetOptions, attachment: type[weasyprint.Attachment]
) -> dict[str, object]:
    attachments = [
        attachment(
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
    # None of our faces is oblique: an "Oblique" is an upright face that fontconfig slanted
    # because no italic face of the family has the glyph (a user template naming a face
    # whose italic lacks a script, as Source Serif Pro's lacked Cyrillic).
    slanted = sorted(n for n in used if "Oblique" in n.split("-") and n not in strays)
    return [
        *(f"font fallback: {name} was used for glyphs the packaged fonts lack" for name in strays),
        *(
            f"font fallback: {name} is an upright face slanted for italic glyphs the packaged "
            "italics lack"
            for name in slanted
        ),
    ]


def _font_name(font: object) -> str:
    name = getattr(font, "name", b"")
    text = name.decode("latin-1") if isinstance(name, bytes) else str(name)
    return text.lstrip("/").split("+", 1)[-1]
