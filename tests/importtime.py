"""What ``python -m kzbrief`` imports, read from ``-X importtime``: start-up time is part of
the interface, and the modules imported are what it is made of."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def kzbrief_imports(*args: str, cwd: Path | None = None) -> set[str]:
    """The modules ``python -m kzbrief ARGS`` imports (it must succeed)."""
    command = [sys.executable, "-X", "importtime", "-m", "kzbrief", *args]
    result = subprocess.run(command, capture_output=True, text=True, check=True, cwd=cwd)
    return imported(result.stderr)


def imported(report: str) -> set[str]:
    """The modules an ``-X importtime`` report (a process's stderr) lists."""
    return {line.rsplit("|", 1)[-1].strip() for line in report.splitlines()}
