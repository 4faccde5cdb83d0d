"""The web format: each edition as one self-contained page, its fonts cut to the page's
characters, its charts and images inlined (html.py)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from ..language.current import use_language
from ..render.editions import Rendered
from .format import Output, WriterSettings
from .html import web_options, web_page


@contextmanager
def make_writer(settings: WriterSettings) -> Iterator[WebWriter]:
    yield WebWriter(settings)


class WebWriter:
    def __init__(self, settings: WriterSettings) -> None:
        self.settings = settings
        self.waiting: list[Rendered] = []
        self.outputs: dict[int, Output] = {}

    def add(self, rendered: Rendered) -> None:
        self.waiting.append(rendered)

    def flush(self) -> None:
        """The pages handed over so far (seconds of font subsetting: done while the PDF
        workers typeset)."""
        for rendered in self.waiting:
            with use_language(rendered.language):  # its cross-references' words and digits
                options = web_options(rendered.folders, self.settings.data)
                page = web_page(rendered.html, options, self.settings.cache)
            self.outputs[rendered.number] = Output(page.html, None, page.warnings)
        self.waiting = []

    def finish(self) -> dict[int, Output]:
        return self.outputs
