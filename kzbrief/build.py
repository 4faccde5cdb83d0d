"""The pipeline: load -> validate -> chart -> render -> typeset -> publish.

Every audience is typeset in memory first; only when all have succeeded does
``publish`` replace the files in the output folder, so a failed build changes
nothing that was there before.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .audiences import Audience, load_audiences, select_audiences
from .errors import KzbriefError, Location, UsageError
from .fonts import FONT_FAMILIES, font_folders
from .manifest import MANIFEST_NAME, FileRecord, data_checksum, manifest_bytes
from .models import Briefing
from .project import (
    DEFAULT_VARIANT,
    PACKAGED_DATA,
    PACKAGED_TEMPLATES,
    PDF_VARIANTS,
    ProjectPaths,
)
from .publish import prepare_output, publish
from .sign import load_signer, sign_pdf
from .validate import load_briefing


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
    audiences: list[str] = field(default_factory=list)
    html: bool = False
    strict: bool = False  # warnings become errors
    pdf_variant: str = DEFAULT_VARIANT
    sign_with: Path | None = None  # a PKCS#12 file
    sign_password: bytes | None = None
    warn: Callable[[str], None] = _print_warning


class BudgetError(KzbriefError):
    """A PDF came out longer than its audience's page budget."""

    exit_code = 5


class StrictError(KzbriefError):
    """``--strict`` was given and the build produced warnings."""

    exit_code = 6


@dataclass(frozen=True)
class Edition:
    """One audience's finished files, still in memory, and what the manifest says of them."""

    files: dict[Path, bytes]
    records: dict[Path, FileRecord]
    warnings: tuple[str, ...]


def build(options: BuildOptions) -> list[Path]:
    """Build the briefing for each selected audience; return the files written."""
    from .charts import draw_charts  # matplotlib is heavy: import only when building

    if options.pdf_variant not in PDF_VARIANTS:
        raise UsageError(
            f"unknown PDF variant '{options.pdf_variant}' (known: {', '.join(PDF_VARIANTS)})",
            field="--pdf-variant",
        )
    briefing = load_briefing(options.data)
    audiences = select_audiences(load_audiences(options.data), options.audiences)
    signer = load_signer(options.sign_with, options.sign_password) if options.sign_with else None
    prepare_output(options.output)
    charts = draw_charts(briefing)
    editions = [
        _typeset_audience(briefing, audience, charts, options, signer) for audience in audiences
    ]
    _report_warnings([w for edition in editions for w in edition.warnings], options)
    files = {path: data for edition in editions for path, data in edition.files.items()}
    records = {path: rec for edition in editions for path, rec in edition.records.items()}
    context = {"data_sha256": data_checksum(options.data), "issued": _issued(briefing)}

    def index() -> tuple[Path, bytes]:
        manifest = manifest_bytes(options.output, files, records, context)
        return options.output / MANIFEST_NAME, manifest

    return publish(files, index)


def _typeset_audience(
    briefing: Briefing,
    audience: Audience,
    charts: dict,
    options: BuildOptions,
    signer: object | None,
) -> Edition:
    from .render import TemplateStack, edition_timestamp, render_html
    from .typeset import TypesetOptions, typeset_pdf

    stack = TemplateStack.for_audience(PACKAGED_TEMPLATES, audience.id, options.templates)
    issued = edition_timestamp(briefing)
    html = render_html(briefing, audience, charts, stack, issued)
    typeset = TypesetOptions(
        base_url=stack.folders[0],
        allowed_roots=(*stack.folders, options.data, *font_folders()),
        pdf_variant=options.pdf_variant,
        timestamp=issued,
        attachments=_source_files(options.data, audience),
        font_families=FONT_FAMILIES,
    )
    result = typeset_pdf(html, typeset)
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


def _issued(briefing: Briefing) -> str:
    from .render import edition_timestamp

    return edition_timestamp(briefing).strftime("%Y-%m-%dT%H:%M:%SZ")


def _report_warnings(warnings: list[str], options: BuildOptions) -> None:
    for warning in warnings:
        options.warn(warning)
    if warnings and options.strict:
        raise StrictError(
            f"{len(warnings)} warning(s) and --strict is on; nothing was written",
            Location(options.output),
        )


def create_audience(paths: ProjectPaths, audience_id: str, copy_from: str | None) -> list[Path]:
    """Scaffold a new audience in the project's data and template folders."""
    from .scaffold import new_audience

    known = load_audiences(paths.data)
    templates_root = paths.templates or Path("templates")
    overrides = None
    if copy_from is not None:
        candidates = [
            root / "audiences" / copy_from for root in (templates_root, PACKAGED_TEMPLATES)
        ]
        overrides = next((c for c in candidates if c.is_dir()), None)
    return new_audience(audience_id, paths.data, templates_root, known, overrides, copy_from)


def slug(briefing: Briefing) -> str:
    """A stable file-name stem from the two countries: kazakhstan-iran."""
    return "-".join(c.short.lower().replace(" ", "-") for c in briefing.meta.countries)
