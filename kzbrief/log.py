"""Warnings, through the standard library's ``logging``: one logger, one way to report.

Every stage warns with ``warn("...")`` (or its own ``logging.getLogger(__name__)``, a child
of ``kzbrief``); the command line shows them on stderr as ``kzbrief: warning: ...`` and a
build counts them with one handler, which ``--strict`` reads. A library user sees them
as any other logging output, and a test reads them with pytest's ``caplog``.

A warning that must not fail ``--strict`` (a damaged cache entry, which is simply redone)
is logged with ``warn(message, counted=False)``.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from .errors import Location, StrictError

LOGGER = logging.getLogger("kzbrief")


def warn(message: str, counted: bool = True) -> None:
    LOGGER.warning(message, extra={"counted": counted})


class WarningCount(logging.Handler):
    """The warnings logged while it is attached, in order, except those not counted."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if getattr(record, "counted", True):
            self.messages.append(record.getMessage())

    def warn_new(self, messages: Iterable[str]) -> None:
        """Warn each of ``messages`` not warned of already (a language's missing words,
        asked for again after more of its pages were made)."""
        for message in messages:
            if message not in self.messages:
                warn(message)

    def stop_if_strict(self, strict: bool, output: Path) -> None:
        """Under --strict, any warning so far ends the build before it writes anything."""
        if strict and self.messages:
            raise StrictError(
                f"{len(self.messages)} warning(s) and --strict is on; nothing was written",
                Location(output),
            )


@contextmanager
def counting_warnings() -> Iterator[WarningCount]:
    """Count the warnings logged under ``kzbrief`` inside the block (a build's)."""
    counter = WarningCount()
    LOGGER.addHandler(counter)
    try:
        yield counter
    finally:
        LOGGER.removeHandler(counter)


def show_warnings(stream: TextIO | None = None) -> logging.Handler:
    """Print warnings as ``kzbrief: warning: ...`` on ``stream`` (stderr): the command
    line's console. Idempotent: a second call (the preview's rebuilds) adds nothing."""
    for handler in LOGGER.handlers:
        if isinstance(handler, _Console):
            return handler
    handler = _Console(stream)
    handler.setFormatter(logging.Formatter("kzbrief: warning: %(message)s"))
    LOGGER.addHandler(handler)
    LOGGER.propagate = False  # not twice, through a root handler someone configured
    return handler


class _Console(logging.Handler):
    """Writes to ``sys.stderr`` as it is when a warning comes, not as it was when the
    handler was made: a caller (or a test) that swaps stderr sees the warnings."""

    def __init__(self, stream: TextIO | None) -> None:
        super().__init__(logging.WARNING)
        self.stream = stream

    def emit(self, record: logging.LogRecord) -> None:
        stream = self.stream or sys.stderr
        print(self.format(record), file=stream, flush=True)
