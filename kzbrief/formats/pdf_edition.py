"""The PDF format: each edition typeset by WeasyPrint, in worker processes when there are
several, from the cache when its HTML and options are unchanged; signed if asked."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from ..render.editions import Rendered
from .format import Output, WriterSettings
from .pdf import typeset_options
from .sign import load_signer, sign_pdf
from .workers import Job, Typesetting, start_fork_server


def warm_up(workers: int) -> None:
    """Start the fork server before the data is even loaded: its WeasyPrint import and
    warm-up (0.5 s) had come to end after the charts, delaying the first PDF."""
    if _processes(workers) > 1:
        start_fork_server()


@contextmanager
def make_writer(settings: WriterSettings) -> Iterator[PdfWriter]:
    # the certificate is opened before anything is typeset: a wrong password costs nothing
    signer = None
    if settings.sign_with is not None:
        signer = load_signer(settings.sign_with, settings.sign_password)
    workers = min(_processes(settings.workers), settings.counts["pdf"])
    with Typesetting(settings.cache, workers, settings.progress) as typesetting:
        yield PdfWriter(settings, typesetting, signer)


class PdfWriter:
    def __init__(self, settings: WriterSettings, typesetting: Typesetting, signer: object) -> None:
        self.settings, self.typesetting, self.signer = settings, typesetting, signer
        self.jobs: list[Job] = []
        self.order: list[tuple[int, str]] = []  # (edition number, key), as handed over

    def add(self, rendered: Rendered) -> None:
        edition = rendered.edition
        options = typeset_options(
            rendered.folders, self.settings.data, rendered.config_file,
            self.settings.pdf_variant, rendered.issued, edition.language,
        )  # fmt: skip
        options.edition_id = rendered.edition_id
        self.jobs.append((edition.key, rendered.html, options))
        self.order.append((rendered.number, edition.key))

    def flush(self) -> None:
        self.typesetting.submit(self.jobs)
        self.jobs = []

    def finish(self) -> dict[int, Output]:
        results = self.typesetting.results([key for _, key in self.order])
        made = set(self.typesetting.typeset)  # not taken from the cache
        outputs = {}
        for (number, key), result in zip(self.order, results, strict=True):
            pdf = result.pdf
            if self.signer is not None:
                pdf = sign_pdf(pdf, self.signer, self.settings.title)
            cpu = result.cpu if key in made else None
            signed = self.signer is not None
            outputs[number] = Output(pdf, result.pages, result.warnings, signed, cpu)
        return outputs


def _processes(workers: int) -> int:
    return workers or os.cpu_count() or 1
