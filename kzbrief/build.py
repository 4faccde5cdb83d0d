"""The pipeline: load -> validate -> chart -> render -> typeset -> publish.

Every audience is typeset in memory first, in parallel; only when all have
succeeded does ``publish`` replace the files in the output folder, so a failed
build changes nothing that was there before. A content-hash cache skips charts
and PDFs whose inputs have not changed, and a build whose every input is as it
was last time does no work at all.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import DEFAULT_VARIANT, PDF_VARIANTS
from .cache import BuildCache, build_fingerprint, code_digest, digest
from .errors import BudgetError, Location, StrictError, UsageError
from .progress import Progress
from .project import CACHE_NAME, PACKAGED_DATA, PACKAGED_TEMPLATES, default_state
from .publish.files import lock_path, prepare_output, publish
from .publish.manifest import MANIFEST_NAME, FileRecord, data_checksum, manifest_bytes
from .testhook import pause_if_asked

if TYPE_CHECKING:
    from .charts.registry import Chart
    from .data.audiences import Audience
    from .data.models import Briefing
    from .formats.pdf import Typeset, TypesetOptions, Typesetters


def _print_warning(message: str) -> None:
    print(f"kzbrief: warning: {message}", file=sys.stderr)


@dataclass(frozen=True)
class SourceFile:
    """A data file embedded in the PDF, so the briefing carries its own data."""

    name: str
    content: bytes
    description: str


@dataclass
class BuildOptions:
    data: Path = PACKAGED_DATA
    output: Path = Path("output")
    templates: Path | None = None  # the user's override folder, above the packaged templates
    state: Path | None = None  # cache and locks; None: .kzbrief/ beside the output folder
    audiences: list[str] = field(default_factory=list)
    html: bool = False
    strict: bool = False  # warnings become errors
    pdf_variant: str = DEFAULT_VARIANT
    sign_with: Path | None = None  # a PKCS#12 file
    sign_password: bytes | None = None
    cache: bool = True
    workers: int = 0  # 0: one per core
    warn: Callable[[str], None] = _print_warning
    progress: Progress = field(default_factory=lambda: Progress(enabled=False))

    @property
    def state_folder(self) -> Path:
        return self.state or default_state(self.output)


@dataclass
class BuildReport:
    """What a build did: for tests, benchmarks and the progress display."""

    written: list[Path] = field(default_factory=list)
    charts_drawn: list[str] = field(default_factory=list)
    typeset: list[str] = field(default_factory=list)
    skipped: bool = False  # nothing had changed since the last build
    warnings: list[str] = field(default_factory=list)  # data checks first, then typesetting


@dataclass(frozen=True)
class Edition:
    """One audience's finished files, still in memory, and what the manifest says of them."""

    files: dict[Path, bytes]
    records: dict[Path, FileRecord]
    warnings: tuple[str, ...]


def build(options: BuildOptions) -> list[Path]:
    """Build the briefing for each selected audience; return the files written."""
    return build_with_report(options).written


def build_with_report(options: BuildOptions) -> BuildReport:
    """The whole pipeline, and what it had to redo."""
    _check_variant(options.pdf_variant)
    cache = BuildCache(
        options.state_folder / CACHE_NAME,
        enabled=options.cache and options.sign_with is None,
        warn=options.warn,  # a damaged entry is redone, so it is not a --strict failure
    )
    fingerprint = _fingerprint(options)
    unchanged = cache.unchanged_outputs(fingerprint, options.output)
    if unchanged is not None:
        options.progress.note("all", "up to date")
        return BuildReport(written=unchanged, skipped=True)
    report = BuildReport()
    editions, issued = _make_editions(options, cache, report)
    typeset_warnings = [w for edition in editions for w in edition.warnings]
    _report_warnings(typeset_warnings, options)
    report.warnings += typeset_warnings
    report.written = _publish_editions(editions, issued, options)
    if not report.warnings:  # a build with warnings is never skipped: it repeats them
        cache.store_last_build(fingerprint, report.written)
    return report


def _make_editions(
    options: BuildOptions, cache: BuildCache, report: BuildReport
) -> tuple[list[Edition], str]:
    """Every selected audience's files in memory, and the edition timestamp."""
    from .charts.registry import cached_charts
    from .data.audiences import load_audiences, select_audiences
    from .data.briefing import load_briefing_documents
    from .data.checks import text_warnings
    from .formats.pdf import Typesetters
    from .publish.sign import load_signer
    from .render.html import edition_timestamp

    briefing, documents = load_briefing_documents(options.data)
    audiences = select_audiences(load_audiences(options.data), options.audiences)
    report.warnings = text_warnings(documents, audiences)
    _report_warnings(report.warnings, options)  # under --strict, stop before typesetting
    signer = load_signer(options.sign_with, options.sign_password) if options.sign_with else None
    prepare_output(options.output, options.state_folder)
    pause_if_asked("loaded")
    workers = options.workers if len(audiences) > 1 else 1
    charts = cached_charts(briefing, cache, report.charts_drawn, options.progress)
    pause_if_asked("charts-drawn")
    pages = _render_all(briefing, audiences, charts, options)
    with Typesetters(workers) as typesetters:
        results = _typeset_all(pages, cache, report, options, typesetters)
    pause_if_asked("typeset-done")
    editions = [
        _edition(briefing, audience, html, result, options, signer)
        for (audience, html, _), result in zip(pages, results, strict=True)
    ]
    return editions, edition_timestamp(briefing).strftime("%Y-%m-%dT%H:%M:%SZ")


def _check_variant(variant: str) -> None:
    if variant not in PDF_VARIANTS:
        raise UsageError(
            f"unknown PDF variant '{variant}' (known: {', '.join(PDF_VARIANTS)})",
            field="--pdf-variant",
        )


def _fingerprint(options: BuildOptions) -> str:
    """Everything that can change the output files: inputs, code, settings."""
    folders = [
        options.data,
        PACKAGED_TEMPLATES,
        *([options.templates] if options.templates else []),
    ]
    settings = [options.audiences, options.html, options.strict, options.pdf_variant]
    return build_fingerprint(folders, [*settings, str(options.output), str(options.sign_with)])


def _render_all(
    briefing: Briefing, audiences: list[Audience], charts: dict[str, Chart], options: BuildOptions
) -> list[tuple[Audience, str, TypesetOptions]]:
    """Each audience's HTML and how to typeset it (cheap: no layout yet)."""
    from .fonts import FONT_FAMILIES, font_folders
    from .formats.pdf import TypesetOptions
    from .render.html import TemplateStack, edition_timestamp, render_html

    issued = edition_timestamp(briefing)
    pages = []
    for audience in audiences:
        stack = TemplateStack.for_audience(PACKAGED_TEMPLATES, audience.id, options.templates)
        html = render_html(briefing, audience, charts, stack, issued)
        typeset = TypesetOptions(
            base_url=stack.folders[0],
            allowed_roots=(*stack.folders, options.data, *font_folders()),
            pdf_variant=options.pdf_variant,
            timestamp=issued,
            attachments=_source_files(options.data, audience),
            font_families=FONT_FAMILIES,
        )
        pages.append((audience, html, typeset))
    return pages


def _typeset_all(
    pages: list[tuple[Audience, str, TypesetOptions]],
    cache: BuildCache,
    report: BuildReport,
    options: BuildOptions,
    typesetters: Typesetters,
) -> list[Typeset]:
    """Cached PDFs where the HTML and settings are unchanged; the rest typeset in parallel."""
    from .formats.pdf import Typeset

    keys = [digest(code_digest(), html, repr(typeset)) for _, html, typeset in pages]
    results: list[Typeset | None] = []
    for (audience, _, _), key in zip(pages, keys, strict=True):
        hit = cache.pdf(key, f"the {audience.id} PDF")
        results.append(Typeset(hit[0], **hit[1]) if hit else None)
        if hit:
            options.progress.note(audience.id, "unchanged (cached)")
    todo = [i for i, result in enumerate(results) if result is None]
    jobs = [(pages[i][1], pages[i][2]) for i in todo]
    for i in todo:
        options.progress.note(pages[i][0].id, "typesetting")
    for i, result in zip(todo, typesetters.run(jobs), strict=True):
        results[i] = result
        report.typeset.append(pages[i][0].id)
        cache.store_pdf(keys[i], result.pdf, result.info())
        options.progress.note(pages[i][0].id, f"typeset, {result.pages} pages")
    return [result for result in results if result is not None]


def _edition(
    briefing: Briefing,
    audience: Audience,
    html: str,
    result: Typeset,
    options: BuildOptions,
    signer: object | None,
) -> Edition:
    from .publish.sign import sign_pdf

    _check_budget(audience, result.pages)
    pdf = sign_pdf(result.pdf, signer, briefing.meta.title) if signer else result.pdf
    pdf_path = options.output / audience.file_name(slug(briefing))
    variant = None if options.pdf_variant == "none" else options.pdf_variant
    files = {pdf_path: pdf}
    records = {
        pdf_path: FileRecord(
            audience.id, audience.language, "pdf", result.pages, variant, signer is not None
        )
    }
    if options.html:
        files[pdf_path.with_suffix(".html")] = html.encode("utf-8")
        records[pdf_path.with_suffix(".html")] = FileRecord(
            audience.id, audience.language, "html", None, None, False
        )
    return Edition(files, records, tuple(f"{audience.id}: {w}" for w in result.warnings))


def _publish_editions(editions: list[Edition], issued: str, options: BuildOptions) -> list[Path]:
    files = {path: data for edition in editions for path, data in edition.files.items()}
    records = {path: rec for edition in editions for path, rec in edition.records.items()}
    context = {"data_sha256": data_checksum(options.data), "issued": issued}

    def index() -> tuple[Path, bytes]:
        return options.output / MANIFEST_NAME, manifest_bytes(
            options.output, files, records, context
        )

    written = publish(files, lock_path(options.state_folder, options.output), index)
    for path in written:
        options.progress.note(path.name, "written")
    return written


def _check_budget(audience: Audience, pages: int) -> None:
    if audience.page_budget is not None and pages > audience.page_budget:
        raise BudgetError(
            f"the {audience.id} PDF has {pages} pages, over its page budget of "
            f"{audience.page_budget} (shorten the content or raise page_budget)",
            Location(audience.config_file),
            "audience.page_budget",
        )


def _source_files(data_dir: Path, audience: Audience) -> tuple[SourceFile, ...]:
    """The data files this PDF was made from, to embed in it."""
    paths = sorted(data_dir.glob("*.yaml"))
    if audience.config_file is not None:
        paths.append(audience.config_file)
    return tuple(
        SourceFile(
            name=path.relative_to(data_dir).as_posix()
            if path.is_relative_to(data_dir)
            else path.name,
            content=path.read_bytes(),
            description="kzbrief source data (YAML)",
        )
        for path in paths
    )


def _report_warnings(warnings: list[str], options: BuildOptions) -> None:
    for warning in warnings:
        options.warn(warning)
    if warnings and options.strict:
        raise StrictError(
            f"{len(warnings)} warning(s) and --strict is on; nothing was written",
            Location(options.output),
        )


def slug(briefing: Briefing) -> str:
    """A stable file-name stem from the two countries: kazakhstan-iran."""
    return "-".join(c.short.lower().replace(" ", "-") for c in briefing.meta.countries)
