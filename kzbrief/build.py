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
from .errors import KzbriefError, Location
from .fonts import font_folders
from .models import Briefing
from .project import PACKAGED_DATA, PACKAGED_TEMPLATES, ProjectPaths
from .publish import prepare_output, publish
from .validate import load_briefing


def _print_warning(message: str) -> None:
    print(f"kzbrief: warning: {message}", file=sys.stderr)


@dataclass
class BuildOptions:
    data: Path = PACKAGED_DATA
    output: Path = Path("output")
    templates: Path | None = None  # the user's override folder, above the packaged templates
    audiences: list[str] = field(default_factory=list)
    html: bool = False
    strict: bool = False  # warnings become errors
    warn: Callable[[str], None] = _print_warning


class BudgetError(KzbriefError):
    """A PDF came out longer than its audience's page budget."""

    exit_code = 5


class StrictError(KzbriefError):
    """``--strict`` was given and the build produced warnings."""

    exit_code = 6


@dataclass(frozen=True)
class Edition:
    """One audience's finished files, still in memory."""

    files: dict[Path, bytes]
    warnings: tuple[str, ...]


def build(options: BuildOptions) -> list[Path]:
    """Build the briefing for each selected audience; return the files written."""
    from .charts import draw_charts  # matplotlib is heavy: import only when building

    briefing = load_briefing(options.data)
    audiences = select_audiences(load_audiences(options.data), options.audiences)
    prepare_output(options.output)
    charts = draw_charts(briefing)
    editions = [_typeset_audience(briefing, audience, charts, options) for audience in audiences]
    _report_warnings([w for edition in editions for w in edition.warnings], options)
    return publish({path: data for edition in editions for path, data in edition.files.items()})


def _typeset_audience(
    briefing: Briefing, audience: Audience, charts: dict, options: BuildOptions
) -> Edition:
    from .render import TemplateStack, render_html
    from .typeset import TypesetOptions, typeset_pdf

    stack = TemplateStack.for_audience(PACKAGED_TEMPLATES, audience.id, options.templates)
    html = render_html(briefing, audience, charts, stack)
    roots = (*stack.folders, options.data, *font_folders())
    result = typeset_pdf(html, TypesetOptions(base_url=stack.folders[0], allowed_roots=roots))
    if audience.page_budget is not None and result.pages > audience.page_budget:
        raise BudgetError(
            f"the {audience.id} PDF has {result.pages} pages, over its page budget of "
            f"{audience.page_budget} (shorten the content or raise page_budget)",
            Location(audience.config_file),
            "audience.page_budget",
        )
    pdf_path = options.output / audience.file_name(slug(briefing))
    files = {pdf_path: result.pdf}
    if options.html:
        files[pdf_path.with_suffix(".html")] = html.encode("utf-8")
    return Edition(files, tuple(f"{audience.id}: {w}" for w in result.warnings))


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
