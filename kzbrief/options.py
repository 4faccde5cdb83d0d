"""What a build is asked to do, and what it reports having done."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import DEFAULT_FORMATS, DEFAULT_VARIANT
from .progress import Progress
from .project import PACKAGED_DATA, default_state


def print_warning(message: str) -> None:
    print(f"kzbrief: warning: {message}", file=sys.stderr)


@dataclass
class BuildOptions:
    data: Path = PACKAGED_DATA
    output: Path = Path("output")
    templates: Path | None = None  # the user's override folder, above the packaged templates
    state: Path | None = None  # cache and locks; None: .kzbrief/ beside the output folder
    register: Path | None = None  # editions are recorded there; None: not recorded
    audiences: list[str] = field(default_factory=list)
    formats: tuple[str, ...] = DEFAULT_FORMATS  # each audience's edition in each of these
    languages: tuple[str, ...] = ()  # only the editions in these; (): every audience's all
    first_language_only: bool = False  # with no languages: each audience's first one only
    strict: bool = False  # warnings become errors
    pdf_variant: str = DEFAULT_VARIANT
    sign_with: Path | None = None  # a PKCS#12 file
    sign_password: bytes | None = None
    cache: bool = True
    workers: int = 0  # 0: one per core
    warn: Callable[[str], None] = print_warning
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
    typeset_cpu: dict[str, tuple[int, float]] = field(default_factory=dict)  # pages, CPU seconds
    skipped: bool = False  # nothing had changed since the last build
    warnings: list[str] = field(default_factory=list)  # data checks first, then typesetting
    edition_id: str = ""  # what the data calls this edition (meta.edition)
