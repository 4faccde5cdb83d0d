"""The pipeline: load -> check -> charts and HTML (render) -> formats -> publish.

Every edition is made in memory first; only when all have succeeded does ``publish``
replace the files in the output folder, so a failed build changes nothing that was there
before. Each stage keeps its results in the build cache (cache.py), and a build whose every
input is as it was last time does no work at all. How each format makes its files is the
format's own business (formats/format.py): this module names none.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from . import PDF_VARIANTS
from .cache import BuildCache, build_fingerprint
from .distribute.ledger import ChangesSince, editions_digest, record_build, reused_id_problem
from .edition import parse_languages, plan_editions
from .errors import UsageError
from .formats.format import WriterSettings, open_writers, warm_up
from .log import WarningCount, counting_warnings, warn
from .options import BuildOptions, BuildReport
from .project import CACHE_NAME
from .publish.editions import Editions, slug
from .publish.files import prepare_output
from .publish.manifest import data_files, unchanged_outputs

# The youngest objects are collected every this many allocations, not 700, while editions
# are made: models, figures and boxes come by the hundred thousand and most are kept to the
# end, so frequent collections find little to free (0.25 s -> 0.16 s of a cold build's 3.5 s).
YOUNG_COLLECTION_EVERY = 10_000


def build(options: BuildOptions) -> list[Path]:
    """Build the briefing for each selected audience; return the files written."""
    return build_with_report(options).written


def build_with_report(options: BuildOptions) -> BuildReport:
    """The whole pipeline, and what it had to redo."""
    if options.pdf_variant not in PDF_VARIANTS:
        known = ", ".join(PDF_VARIANTS)
        message = f"unknown PDF variant '{options.pdf_variant}' (known: {known})"
        raise UsageError(message, field="--pdf-variant")
    cache = BuildCache(options.state_folder / CACHE_NAME, options.cache and not options.sign_with)
    folders, settings = options.inputs()
    # the editions recorded before this one too: they decide what "changed since" says
    fingerprint = build_fingerprint(folders, [*settings, editions_digest(options.register)])
    unchanged = unchanged_outputs(cache.last_build(fingerprint), options.output)
    if unchanged is not None:
        options.progress.note("all", "up to date")
        return BuildReport(written=unchanged, skipped=True)
    for name in options.formats:  # slow start-up work, begun before the data is even loaded
        warm_up(name, options.workers)
    report = BuildReport()
    with counting_warnings() as counter, _collecting_less():
        editions = _make_editions(options, cache, report, counter)
    report.written = editions.publish(options.output, options.state_folder)
    for path in report.written:
        options.progress.note(path.name, "written")
    if options.register is not None and options.record:
        record_build(options.register, editions.edition_id, editions.data, editions.built())
        fingerprint = build_fingerprint(folders, [*settings, editions_digest(options.register)])
    if not report.warnings:  # a build with warnings is never skipped: it repeats them
        cache.store_last_build(fingerprint, report.written)
    return report


def _make_editions(
    options: BuildOptions, cache: BuildCache, report: BuildReport, counter: WarningCount
) -> Editions:
    """Every selected edition's file, in memory."""
    # lazy: pydantic, jinja2 and matplotlib, which a build with nothing to redo never needs
    from .data.audiences import languages_of, load_audiences, select_audiences
    from .data.briefing import load_briefing_documents
    from .data.checks import text_warnings
    from .data.localise import localise
    from .data.own_checks import check_references
    from .render.editions import LanguagePart, render_language
    from .render.html import edition_timestamp

    briefing, documents = load_briefing_documents(options.data)
    every_audience = load_audiences(options.data)
    own_charts = [chart.key for chart in options.charts]
    check_references(options.data, briefing, documents, every_audience.values(), own_charts)
    audiences = select_audiences(every_audience, options.audiences)
    known = languages_of(audiences)
    wanted = parse_languages(",".join(options.languages), known) if options.languages else ()
    editions = plan_editions(audiences, options.formats, wanted, options.first_language_only)
    codes = list(dict.fromkeys(e.language for e in editions))
    local = {c: localise(options.data, briefing, documents, audiences, c) for c in codes}
    report.edition_id = edition_id = briefing.meta.edition_id
    data = data_files(options.data)  # read once: the checksum, the register's copy
    since = ChangesSince.load(options.register, edition_id)
    warnings = [*text_warnings(documents, audiences), *since.warnings]
    if options.register is not None:
        reused = reused_id_problem(options.register, edition_id, options.data, data)
        warnings += [str(reused)] if reused else []
    for message in [*warnings, *(w for code in codes for w in local[code].warnings)]:
        warn(message)
    counter.stop_if_strict(options.strict, options.output)  # before anything is drawn or typeset
    prepare_output(options.output, options.state_folder)
    counts = {name: sum(e.format == name for e in editions) for name in options.formats}
    settings = WriterSettings(
        options.data, cache, options.progress, options.pdf_variant, options.workers, counts,
        briefing.meta.title, options.sign_with, options.sign_password,
    )  # fmt: skip
    with open_writers(options.formats, settings) as writers:
        for code in codes:  # its charts drawn once, then its editions handed over
            numbered = [(n, e) for n, e in enumerate(editions) if e.language == code]
            changes = since.in_language(local[code])
            part = LanguagePart(local[code], changes, numbered, options.templates, options.charts)
            language, rendered = render_language(part, cache, report.charts_drawn, options.progress)
            for each in rendered:
                writers[each.edition.format].add(each)
            counter.warn_new(language.missing_messages())
            counter.stop_if_strict(options.strict, options.output)  # before they are typeset
            for writer in writers.values():  # PDFs first: typeset while web pages are made
                writer.flush()
            counter.warn_new(language.missing_messages())  # words only web pages use
        outputs = {n: o for writer in writers.values() for n, o in writer.finish().items()}
    stamp = edition_timestamp(briefing).strftime("%Y-%m-%dT%H:%M:%SZ")
    made = Editions(stamp, edition_id, data, options.pdf_variant)
    stem, enforce = slug(briefing), options.enforce_budgets
    report.over_budget = made.add_all(editions, outputs, options.output, stem, enforce)
    for number, output in outputs.items():  # as they were made: PDFs in typesetting order
        report.add_output(editions[number].key, output)
    counter.stop_if_strict(options.strict, options.output)  # the formats' own warnings
    report.warnings = counter.messages
    return made


@contextmanager
def _collecting_less() -> Iterator[None]:
    """Fewer collections of the youngest objects, then the previous setting again (the
    preview's process goes on)."""
    before = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION_EVERY, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)
