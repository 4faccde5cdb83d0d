"""A progress display for people at a terminal; silent for pipes, CI logs and --quiet."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """One line per step and audience: drawing charts, typesetting, written."""

    def __init__(self, enabled: bool | None = None, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.started = time.monotonic()

    def note(self, subject: str, status: str) -> None:
        if self.enabled:
            elapsed = time.monotonic() - self.started
            print(f"{elapsed:6.1f}s  {subject:<32} {status}", file=self.stream, flush=True)
