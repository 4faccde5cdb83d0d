"""What a build is asked to do, and what it reports having done."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import DEFAULT_FORMATS, DEFAULT_VARIANT
from .log import warn
from .progress import Progress
from .project import PACKAGED_DATA, PACKAGED_TEMPLATES, default_state
from .register_address import RegisterAddress

if TYPE_CHECKING:
    from .charts.project import ProjectChart
    from .errors import KzbriefError
    from .formats.format import Output


@dataclass
class BuildOptions:
    data: Path = PACKAGED_DATA
    output: Path = Path("output")
    templates: Path | None = None  # the user's override folder, above the packaged templates
    state: Path | None = None  # cache and locks; None: .kzbrief/ beside the output folder
    register: RegisterAddress | None = None  # editions are recorded there; None: not recorded
    charts: tuple[ProjectChart, ...] = ()  # the project's own Python charts (kzbrief.toml)
    record: bool = True  # False: the register is only read (the changes since the last one)
    audiences: list[str] = field(default_factory=list)
    formats: tuple[str, ...] = DEFAULT_FORMATS  # each audience's edition in each of these
    languages: tuple[str, ...] = ()  # only the editions in these; (): every audience's all
    first_language_only: bool = False  # with no languages: each audience's first one only
    strict: bool = False  # warnings become errors
    enforce_budgets: bool = True  # False: an edition over its page budget is reported, kept
    pdf_variant: str = DEFAULT_VARIANT
    sign_with: Path | None = None  # a PKCS#12 file
    sign_password: bytes | None = None
    cache: bool = True
    workers: int = 0  # 0: one per core
    progress: Progress = field(default_factory=lambda: Progress(enabled=False))

    @property
    def state_folder(self) -> Path:
        return self.state or default_state(self.output)

    def inputs(self) -> tuple[list[Path], list[object]]:
        """The folders a build reads and the settings it follows: with the editions in
        the register, everything that can change the files it writes."""
        from .language import CATALOGUES  # lazy: kept out of --help's imports

        templates = [self.templates] if self.templates else []
        # a Python chart's folder: the file, and any module beside it that it imports
        code = list(dict.fromkeys(chart.file.parent for chart in self.charts))
        folders = [self.data, PACKAGED_TEMPLATES, CATALOGUES, *templates, *code]
        settings: list[object] = [self.audiences, self.formats, self.languages, self.strict]
        settings += [self.first_language_only, self.pdf_variant, str(self.output)]
        settings += [self.enforce_budgets, [(c.key, str(c.file), c.function) for c in self.charts]]
        return folders, [*settings, str(self.sign_with)]


@dataclass
class BuildReport:
    """What a build did: for tests, benchmarks and the progress display."""

    written: list[Path] = field(default_factory=list)
    charts_drawn: list[str] = field(default_factory=list)
    typeset: list[str] = field(default_factory=list)
    typeset_cpu: dict[str, tuple[int, float]] = field(default_factory=dict)  # pages, CPU seconds
    skipped: bool = False  # nothing had changed since the last build
    warnings: list[str] = field(default_factory=list)  # data checks first, then typesetting
    edition_id: str = ""  # what the data calls this edition (meta.edition)
    over_budget: list[KzbriefError] = field(default_factory=list)  # budgets not enforced

    def add_output(self, key: str, output: Output) -> None:
        """An edition's file made: its format's warnings, and its CPU time if made now."""
        for message in output.warnings:
            warn(f"{key}: {message}")
        if output.cpu is not None:
            self.typeset.append(key)
            self.typeset_cpu[key] = (output.pages or 0, output.cpu)
