"""HTML -> PDF bytes through WeasyPrint, in a pool of worker processes.

WeasyPrint is imported only when something must be typeset (a rebuild served
from the cache never pays for it), once, just before the workers are forked so
they inherit it. Resources are fetched through ``fetcher.ConfinedFetcher``.
A worker dies with the build that forked it, even one killed with SIGKILL.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..testhook import pause_if_asked

if TYPE_CHECKING:
    import weasyprint

    from ..build import SourceFile


@dataclass(frozen=True)
class Typeset:
    """A finished PDF and what the build needs to know about it."""

    pdf: bytes
    pages: int
    warnings: tuple[str, ...] = ()  # what WeasyPrint complained about, blocked fetches included

    def info(self) -> dict[str, object]:
        """Everything but the PDF, for the cache."""
        return {"pages": self.pages, "warnings": list(self.warnings)}


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
    import weasyprint

    from ..formats.fetcher import ConfinedFetcher

    pause_if_asked("typesetting")
    fetcher = ConfinedFetcher(options.allowed_roots)
    collector = _Collector()
    weasy_logger = logging.getLogger("weasyprint")
    weasy_logger.addHandler(collector)
    try:
        with _fixed_clock(options.timestamp):
            document = weasyprint.HTML(
                string=html, base_url=options.base_url.as_uri() + "/", url_fetcher=fetcher
            ).render(cache=_IMAGES)
            pdf = document.write_pdf(cache=_IMAGES, **_pdf_options(options))
    finally:
        weasy_logger.removeHandler(collector)
    warnings = [*collector.messages, *_fallback_fonts(document, options.font_families)]
    return Typeset(pdf, len(document.pages), tuple(warnings))


@contextlib.contextmanager
def _fixed_clock(timestamp: dt.datetime) -> Iterator[None]:
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


def _pdf_options(options: TypesetOptions) -> dict[str, object]:
    import weasyprint

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


class Typesetters:
    """Worker processes for typesetting, one per core, started on first use.

    (Forking them earlier, to import WeasyPrint while the charts are drawn, was
    measured slower: on two cores the imports only compete with the drawing.)
    """

    def __init__(self, workers: int = 0) -> None:
        self.count = workers or os.cpu_count() or 1
        self.pool: ProcessPoolExecutor | None = None

    def _start(self) -> ProcessPoolExecutor:
        if self.pool is None:
            from . import fetcher  # noqa: F401 - imports WeasyPrint once, before the fork

            context = multiprocessing.get_context("fork")
            self.pool = ProcessPoolExecutor(
                self.count,
                mp_context=context,
                initializer=die_with_parent,
                initargs=(os.getpid(),),
            )
        return self.pool

    def __enter__(self) -> Typesetters:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)

    def run(self, jobs: list[tuple[str, TypesetOptions]]) -> list[Typeset]:
        """Typeset ``jobs`` (html, options); results in the order of ``jobs``."""
        if self.count <= 1 or len(jobs) <= 1:
            return [typeset_pdf(html, options) for html, options in jobs]
        pool = self._start()
        # Longest first (HTML length is a fair proxy for pages), so no worker is left
        # with a long document at the end while the others idle.
        order = sorted(range(len(jobs)), key=lambda i: -len(jobs[i][0]))
        futures = {i: pool.submit(typeset_pdf, *jobs[i]) for i in order}
        return [futures[i].result() for i in range(len(jobs))]


PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
WATCH_INTERVAL = 1.0  # seconds between checks of the parent, where prctl is missing


def die_with_parent(parent: int) -> None:
    """Worker initializer: end this process when the build that forked it ends.

    Without it, a build killed with SIGKILL leaves its workers running, blocked on
    a pipe nobody reads. Linux kills them itself (PR_SET_PDEATHSIG); elsewhere a
    daemon thread notices that the parent changed.
    """
    if not _ask_linux_to_kill_on_parent_death():
        threading.Thread(target=watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # the build died before the request took effect
        os._exit(1)


def _ask_linux_to_kill_on_parent_death() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    import ctypes  # only the workers need it

    libc = ctypes.CDLL(None, use_errno=True)
    return libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0


def watch_parent(parent: int) -> None:
    """Exit as soon as this process is no longer ``parent``'s child (it was re-parented)."""
    while os.getppid() == parent:
        time.sleep(WATCH_INTERVAL)
    os._exit(1)
