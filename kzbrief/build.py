"""The pipeline: load -> check -> charts -> render -> typeset -> publish.

Every audience is typeset in memory first, in parallel; only when all have
succeeded does ``publish`` replace the files in the output folder, so a failed
build changes nothing that was there before. Each stage keeps its results in the
build cache (cache.py), and a build whose every input is as it was last time does
no work at all.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import PDF_VARIANTS
from .cache import BuildCache, build_fingerprint
from .distribute.ledger import ChangesSince, editions_digest, record_build, reused_id_problem
from .edition import parse_languages, plan_editions
from .errors import BudgetError, Location, StrictError, UsageError
from .language import CATALOGUES
from .options import BuildOptions, BuildReport
from .project import CACHE_NAME, PACKAGED_TEMPLATES
from .publish.editions import Editions, slug
from .publish.files import prepare_output
from .publish.manifest import data_files, unchanged_outputs
from .publish.sign import load_signer, sign_pdf

# The stages' modules are imported where they are first needed: a build whose every input
# is unchanged (0.1 s in all) then imports neither Jinja2, Babel nor multiprocessing.
if TYPE_CHECKING:
    from .data.changes import ChangeList
    from .data.localise import Localised
    from .edition import Edition
    from .formats.workers import Job, Typesetting


def build(options: BuildOptions) -> list[Path]:
    """Build the briefing for each selected audience; return the files written."""
    return build_with_report(options).written


def build_with_report(options: BuildOptions) -> BuildReport:
    """The whole pipeline, and what it had to redo."""
    if options.pdf_variant not in PDF_VARIANTS:
        known = ", ".join(PDF_VARIANTS)
        message = f"unknown PDF variant '{options.pdf_variant}' (known: {known})"
        raise UsageError(message, field="--pdf-variant")
    enabled = options.cache and options.sign_with is None
    # A damaged entry is redone, so it is reported but is not a --strict failure.
    cache = BuildCache(options.state_folder / CACHE_NAME, enabled, warn=options.warn)
    templates = [options.templates] if options.templates else []
    settings = [options.audiences, options.formats, options.languages, options.strict]
    settings.append(options.first_language_only)
    settings += [options.pdf_variant, str(options.output), str(options.sign_with)]
    folders = [options.data, PACKAGED_TEMPLATES, CATALOGUES, *templates]
    # everything that can change the output files: the editions recorded before this one
    # too (the changes since the previous edition)
    fingerprint = build_fingerprint(folders, [*settings, editions_digest(options.register)])
    unchanged = unchanged_outputs(cache.last_build(fingerprint), options.output)
    if unchanged is not None:
        options.progress.note("all", "up to date")
        return BuildReport(written=unchanged, skipped=True)
    if "pdf" in options.formats and _workers(options) > 1:
        from .formats.workers import start_fork_server

        # now, before the data is even loaded: its WeasyPrint import and warm-up (0.5 s)
        # had come to end after the charts, delaying the first PDF
        start_fork_server()
    report = BuildReport()
    with _collecting_less():
        editions = _make_editions(options, cache, report)
    report.written = editions.publish(options.output, options.state_folder)
    for path in report.written:
        options.progress.note(path.name, "written")
    if options.register is not None:
        record_build(options.register, editions.edition_id, editions.data, editions.built())
        fingerprint = build_fingerprint(folders, [*settings, editions_digest(options.register)])
    if not report.warnings:  # a build with warnings is never skipped: it repeats them
        cache.store_last_build(fingerprint, report.written)
    return report


def _make_editions(options: BuildOptions, cache: BuildCache, report: BuildReport) -> Editions:
    """Every selected edition's file, in memory."""
    # lazy: pydantic and jinja2, which a build with nothing to redo never needs
    from .data.audiences import languages_of, load_audiences, select_audiences
    from .data.briefing import load_briefing_documents
    from .data.checks import text_warnings
    from .data.localise import localise
    from .formats.workers import Typesetting
    from .render.html import edition_timestamp

    briefing, documents = load_briefing_documents(options.data)
    audiences = select_audiences(load_audiences(options.data), options.audiences)
    known = languages_of(audiences)
    wanted = parse_languages(",".join(options.languages), known) if options.languages else ()
    editions = plan_editions(audiences, options.formats, wanted, options.first_language_only)
    codes = list(dict.fromkeys(e.language for e in editions))
    local = {c: localise(options.data, briefing, documents, audiences, c) for c in codes}
    report.warnings = text_warnings(documents, audiences)
    report.edition_id = briefing.meta.edition_id
    data = data_files(options.data)  # read once: the checksum, the register's copy
    if options.register is not None:
        reused = reused_id_problem(options.register, report.edition_id, options.data, data)
        report.warnings += [str(reused)] if reused else []
    report.warnings += [w for c in codes for w in local[c].warnings]
    since = ChangesSince.load(options.register, briefing.meta.edition_id)
    changes = {code: since.in_language(local[code]) for code in codes}
    report.warnings += since.warnings
    _report_warnings(report.warnings, options)  # under --strict, stop before typesetting
    signer = load_signer(options.sign_with, options.sign_password) if options.sign_with else None
    prepare_output(options.output, options.state_folder)
    pdfs = [n for n, e in enumerate(editions) if e.format == "pdf"]
    workers = min(_workers(options), len(pdfs))
    files: dict[int, tuple[bytes, int | None, tuple[str, ...]]] = {}  # by edition number
    with Typesetting(cache, workers, options.progress) as typesetting:
        for code in codes:  # its charts drawn once, then its editions handed over to typeset
            numbers = [n for n, e in enumerate(editions) if e.language == code]
            language = _Language(local[code], numbers, typesetting, changes[code])
            _render_language(options, cache, report, language, editions, files)
        results = typesetting.results([editions[n].key for n in pdfs])
        report.typeset, report.typeset_cpu = typesetting.typeset, typesetting.cpu
    for number, result in zip(pdfs, results, strict=True):
        _check_budget(editions[number], result.pages)
        pdf = sign_pdf(result.pdf, signer, briefing.meta.title) if signer else result.pdf
        files[number] = (pdf, result.pages, result.warnings)
    stamp = edition_timestamp(briefing).strftime("%Y-%m-%dT%H:%M:%SZ")
    made = Editions(stamp, briefing.meta.edition_id, data, options.pdf_variant)
    for number, edition in enumerate(editions):  # in plan order: an audience's formats together
        content, pages, _ = files[number]
        path = options.output / edition.file_name(slug(briefing))
        made.add(edition, path, content, pages, signer is not None and edition.format == "pdf")
    warnings = [f"{e.key}: {w}" for n, e in enumerate(editions) for w in files[n][2]]
    _report_warnings(warnings, options)
    report.warnings += warnings
    return made


def _workers(options: BuildOptions) -> int:
    """How many editions are typeset at once, at most."""
    return options.workers or os.cpu_count() or 1


@contextmanager
def _collecting_less() -> Iterator[None]:
    """Fewer collections of the youngest objects while the editions are made (0.25 s ->
    0.16 s of a cold build's 3.5 s before the first edition can be typeset); the previous
    setting afterwards, for a process that goes on (the preview)."""
    from .formats.workers import YOUNG_COLLECTION_EVERY

    before = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION_EVERY, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


@dataclass
class _Language:
    """One language's share of a build: its data, its editions' numbers, and where its
    PDF editions go to be typeset."""

    data: Localised
    numbers: list[int]
    typesetting: Typesetting
    changes: ChangeList | None  # since the previous edition; None for a first edition


def _render_language(
    options: BuildOptions,
    cache: BuildCache,
    report: BuildReport,
    part: _Language,
    editions: list[Edition],
    files: dict[int, tuple[bytes, int | None, tuple[str, ...]]],
) -> None:
    """One language's charts (once, whatever its audiences and formats) and editions: the
    PDF editions handed over to be typeset as soon as their HTML is ready, then the web
    pages (fonts cut to the page: seconds) made while the workers typeset."""
    from .charts.registry import cached_charts
    from .formats.html import web_options, web_page
    from .formats.pdf import typeset_options
    from .language.current import load_language, use_language
    from .render.html import TemplateStack, edition_timestamp, render_html

    data = part.data
    language = load_language(data.language)
    charts = cached_charts(data.briefing, cache, report.charts_drawn, options.progress, language)
    issued = edition_timestamp(data.briefing)
    jobs: list[Job] = []
    pages: list[tuple[int, str, tuple[Path, ...]]] = []
    for number in part.numbers:
        edition = editions[number]
        audience = data.audiences[edition.audience.id]
        stack = TemplateStack.for_audience(PACKAGED_TEMPLATES, audience.id, options.templates)
        html = render_html(
            data.briefing, audience, charts, stack, issued, edition.format, language, data.draft,
            part.changes,
        )  # fmt: skip
        if edition.format == "pdf":
            typeset = typeset_options(
                stack.folders, options.data, audience.config_file, options.pdf_variant, issued,
                edition.language,
            )  # fmt: skip
            typeset.edition_id = data.briefing.meta.edition_id
            jobs.append((edition.key, html, typeset))
        else:
            pages.append((number, html, stack.folders))
    missing = language.missing_messages()
    _report_warnings(missing, options)  # under --strict, before its editions are typeset
    report.warnings += missing
    part.typesetting.submit(jobs)
    for number, html, folders in pages:
        with use_language(language):  # its cross-references' words and digits
            page = web_page(html, web_options(folders, options.data), cache)
        files[number] = (page.html, None, page.warnings)
    late = [message for message in language.missing_messages() if message not in missing]
    _report_warnings(late, options)  # words only the web pages use
    report.warnings += late


def _check_budget(edition: Edition, pages: int) -> None:
    audience = edition.audience
    if audience.page_budget is not None and pages > audience.page_budget:
        raise BudgetError(
            f"the {edition.key} edition has {pages} pages, over its page budget of "
            f"{audience.page_budget} (shorten the content or raise page_budget)",
            Location(audience.config_file),
            "audience.page_budget",
        )


def _report_warnings(warnings: list[str], options: BuildOptions) -> None:
    for warning in warnings:
        options.warn(warning)
    if warnings and options.strict:
        raise StrictError(
            f"{len(warnings)} warning(s) and --strict is on; nothing was written",
            Location(options.output),
        )
