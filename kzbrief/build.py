"""The pipeline: load -> validate -> chart -> render -> typeset -> write.

This is the only module that writes into the output folder, and it writes
atomically so a failed or interrupted build never leaves a half-written file.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .audiences import Audience, load_audiences, select_audiences
from .errors import KzbriefError, Location, OutputError
from .fonts import font_folders
from .models import Briefing
from .project import PACKAGED_DATA, PACKAGED_TEMPLATES, ProjectPaths
from .validate import load_briefing


@dataclass
class BuildOptions:
    data: Path = PACKAGED_DATA
    output: Path = Path("output")
    templates: Path | None = None  # the user's override folder, above the packaged templates
    audiences: list[str] = field(default_factory=list)
    html: bool = False


class BudgetError(KzbriefError):
    """A PDF came out longer than its audience's page budget."""

    exit_code = 5


def build(options: BuildOptions) -> list[Path]:
    """Build the briefing for each selected audience; return the files written."""
    from .charts import draw_charts  # matplotlib is heavy: import only when building

    briefing = load_briefing(options.data)
    audiences = select_audiences(load_audiences(options.data), options.audiences)
    charts = draw_charts(briefing)
    _prepare_output(options.output)
    written: list[Path] = []
    for audience in audiences:
        written += _build_audience(briefing, audience, charts, options)
    return written


def _build_audience(
    briefing: Briefing, audience: Audience, charts: dict, options: BuildOptions
) -> list[Path]:
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
    paths = [write_atomic(pdf_path, result.pdf)]
    if options.html:
        paths.append(write_atomic(pdf_path.with_suffix(".html"), html.encode("utf-8")))
    return paths


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


def _prepare_output(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"cannot create the output folder ({exc.strerror})", Location(folder)
        ) from None
    if not os.access(folder, os.W_OK):
        raise OutputError("the output folder is not writable", Location(folder))


def write_atomic(path: Path, content: bytes) -> Path:
    """Write to a temporary file beside ``path``, then rename it into place."""
    try:
        handle, temporary = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
        )
    except OSError as exc:
        raise OutputError(f"cannot write the file ({exc.strerror})", Location(path)) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException as exc:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write the file ({exc.strerror})", Location(path)) from None
        raise
    return path
