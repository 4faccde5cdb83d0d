"""The interface every format implements, and the registry that finds a format's module.

A build renders each edition's HTML (render/), hands it to the writer of the edition's
format with ``add``, calls ``flush`` when a language's editions are all handed over, and
collects every file with ``finish``. What happens in between is the format's own: the
PDF writer sends its editions to worker processes at ``flush`` and waits for them at
``finish``; the web writer makes its pages at ``flush``, while the workers typeset.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from . import FORMAT_MODULES

if TYPE_CHECKING:
    from ..cache import BuildCache
    from ..progress import Progress
    from ..render.editions import Rendered


@dataclass(frozen=True)
class Output:
    """One edition's file, in memory."""

    content: bytes
    pages: int | None  # None: a format without pages
    warnings: tuple[str, ...] = ()
    signed: bool = False
    cpu: float | None = None  # seconds spent making it now; None: taken from the cache


@dataclass(frozen=True)
class WriterSettings:
    """What a build tells every format's writer."""

    data: Path
    cache: BuildCache
    progress: Progress
    pdf_variant: str
    workers: int  # at most this many processes (0: one per core)
    counts: Mapping[str, int]  # how many editions of each format the build will hand over
    title: str  # the briefing's title (a signature's reason)
    sign_with: Path | None = None
    sign_password: bytes | None = None


class Writer(Protocol):
    def add(self, rendered: Rendered) -> None: ...

    def flush(self) -> None: ...

    def finish(self) -> dict[int, Output]: ...


MakeWriter = Callable[[WriterSettings], AbstractContextManager[Writer]]


@contextmanager
def open_writers(names: Iterable[str], settings: WriterSettings) -> Iterator[dict[str, Writer]]:
    """A writer for each format named, in that order; all closed (their workers stopped)
    when the block ends, however it ends."""
    with ExitStack() as stack:
        yield {name: stack.enter_context(make_writer(name)(settings)) for name in names}


def make_writer(name: str) -> MakeWriter:
    """The format's ``make_writer``, its module imported now (and only now)."""
    module = importlib.import_module(FORMAT_MODULES[name])
    return module.make_writer  # type: ignore[no-any-return]


def warm_up(name: str, workers: int) -> None:
    """Let a format start slow work before the data is even loaded, if it has any."""
    module = importlib.import_module(FORMAT_MODULES[name])
    if hasattr(module, "warm_up"):
        module.warm_up(workers)
