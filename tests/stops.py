"""Start a real kzbrief process that stops at a named moment (plugins/kzbrief_stops.py).

The process gets plugins/ on its PYTHONPATH; its sitecustomize wraps the kzbrief
function that runs at the moment. The test waits with ``select`` for either the line
the stopped process writes to a FIFO, or the process's end (a pidfd): nothing polls.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .plugins.kzbrief_stops import FIFO_VARIABLE, STOP_VARIABLE

PLUGINS = Path(__file__).parent / "plugins"
# Only a safety net for a build that hangs before its moment: reaching the moment ends
# the wait at once. It fails the test, it never makes one pass.
STUCK_AFTER = 300.0


@dataclass
class Stopped:
    process: subprocess.Popen[bytes]
    pid: int  # the process that reached the moment: the build, or one of its workers


def plugin_environment(moment: str, fifo: Path) -> dict[str, str]:
    """The environment of a process that stops at ``moment`` and says so on ``fifo``."""
    paths = [str(PLUGINS), *filter(None, [os.environ.get("PYTHONPATH")])]
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(paths),
        STOP_VARIABLE: moment,
        FIFO_VARIABLE: str(fifo),
    }


@contextmanager
def stopped_at(moment: str, command: list[str], folder: Path) -> Iterator[Stopped]:
    """Run ``command`` until it stops at ``moment``; kill it (SIGKILL) on leaving."""
    fifo, log = folder / f"stop-{moment}.fifo", folder / f"stop-{moment}.log"
    fifo.unlink(missing_ok=True)
    os.mkfifo(fifo)
    # Opened before the process starts, so its open() for writing never waits; with no
    # writer yet, select() waits rather than reporting an end of file.
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    with open(log, "wb") as stderr:
        process = subprocess.Popen(
            command, env=plugin_environment(moment, fifo), stdout=subprocess.DEVNULL, stderr=stderr
        )
    ended = os.pidfd_open(process.pid)
    try:
        ready, _, _ = select.select([reader, ended], [], [], STUCK_AFTER)
        line = os.read(reader, 4096).decode() if reader in ready else ""
        if not line:
            why = f"ended with exit {process.wait()}" if ended in ready else "is stuck"
            raise AssertionError(f"the process {why} before '{moment}': {log.read_text()}")
        yield Stopped(process, int(line.split()[0]))
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
        os.close(ended)
        os.close(reader)
        fifo.unlink()
