"""Typesetting several documents at once: worker processes, fed edition by edition.

The build hands over each language's PDF editions as soon as their HTML is rendered,
so the workers typeset one language while the build draws the next one's charts. The
workers come from a fork server started when the build begins: it imports WeasyPrint
once, on another core, while the build loads the data and draws the charts, and each
worker is forked from it ready to typeset. The build process itself never imports
WeasyPrint unless it typesets alone. A worker dies with the build that started it,
even one killed with SIGKILL.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import functools
import multiprocessing
import os
import signal
import sys
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing import forkserver, resource_tracker

from ..cache import BuildCache
from ..progress import Progress
from .pdf import Typeset, TypesetOptions, typeset_key, typeset_pdf
from .weasyprint_adapter import weasyprint_tested

Job = tuple[str, str, TypesetOptions]  # who it is for (an edition key), the HTML, the options

# The youngest objects are collected every this many allocations, not 700, in the build and
# in its workers: they make models, figures and boxes by the hundred thousand and keep most
# to the end, so frequent collections find little to free (server.py and build.py measure it).
YOUNG_COLLECTION_EVERY = 10_000

# Imported once in the fork server, so every worker starts with WeasyPrint loaded.
_PRELOAD = ["kzbrief.formats.server"]


class Typesetting:
    """A build's PDFs, job by job: from the cache where the inputs are unchanged, the
    others typeset at once (alone) or queued for the workers (``workers`` > 1)."""

    def __init__(self, cache: BuildCache, workers: int, progress: Progress) -> None:
        self.cache, self.progress = cache, progress
        self.pool = _start_pool(workers) if workers > 1 else None
        self.typeset: list[str] = []  # who was typeset (not cached), in the order handed over
        self._done: dict[str, Typeset] = {}
        self._pending: dict[str, tuple[str, Future[Typeset]]] = {}

    def __enter__(self) -> Typesetting:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)

    def submit(self, jobs: list[Job]) -> None:
        """Start ``jobs``: those not cached longest first (HTML length is a fair proxy for
        pages), so no worker is left with a long document at the end while others idle."""
        todo = []
        for who, html, options in jobs:
            key = typeset_key(html, options)
            cached = self.cache.load(key, Typeset.decode, f"the {who} PDF", "typeset again")
            if cached is None:
                todo.append((who, key, html, options))
                self.typeset.append(who)
                self.progress.note(who, "typesetting")
            else:
                self._done[who] = cached
                self.progress.note(who, "unchanged (cached)")
        if todo and self.pool is not None:
            # said here, where the build counts warnings: the workers' server keeps quiet
            weasyprint_tested()
        for who, key, html, options in sorted(todo, key=lambda job: -len(job[2])):
            if self.pool is None:
                self._finish(who, key, typeset_pdf(html, options))
            else:
                self._pending[who] = (key, self.pool.submit(typeset_pdf, html, options))

    def results(self, order: list[str]) -> list[Typeset]:
        """Every submitted job's PDF, waiting for the workers; in the order of ``order``."""
        for who, (key, future) in list(self._pending.items()):
            self._finish(who, key, future.result())
            del self._pending[who]
        return [self._done[who] for who in order]

    @property
    def cpu(self) -> dict[str, tuple[int, float]]:
        """Pages and CPU seconds of each PDF typeset (not cached), once its result is in."""
        finished = [(who, self._done[who]) for who in self.typeset if who in self._done]
        return {who: (result.pages, result.cpu) for who, result in finished}

    def _finish(self, who: str, key: str, result: Typeset) -> None:
        self.cache.store(key, result.encode())
        self._done[who] = result
        self.progress.note(who, f"typeset, {result.pages} pages")


def start_fork_server() -> None:
    """Start the fork server now, if it is not running: it imports WeasyPrint and warms
    up on another core while the build loads the data and draws the charts. One server
    per build process, kept for its later builds (the preview's)."""
    multiprocessing.get_context("forkserver").set_forkserver_preload(_PRELOAD)
    _stop_at_exit()
    forkserver.ensure_running()


@functools.cache
def _stop_at_exit() -> None:
    atexit.register(_stop_fork_server)


def _stop_fork_server() -> None:
    """At exit, end the fork server and multiprocessing's resource tracker and wait for
    them, so that neither outlives the build even briefly (``python -m kzbrief`` exits
    without closing its files one by one: cli.exit_quickly). The server is killed: asked
    to stop, it would tear down its own interpreter, WeasyPrint and all, while the build
    waits. Its workers die with it (die_with_parent); the tracker is asked, and frees what
    was left registered. Both are multiprocessing's private parts: where a Python version
    lacks them, the processes end as before, a moment after the build."""
    with contextlib.suppress(AttributeError, OSError):
        server = forkserver._forkserver
        if server._forkserver_pid is not None:
            os.kill(server._forkserver_pid, signal.SIGKILL)
            os.waitpid(server._forkserver_pid, 0)
            server._forkserver_pid = None
    with contextlib.suppress(AttributeError, OSError):
        resource_tracker._resource_tracker._stop()


def _start_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes forked from the fork server."""
    start_fork_server()
    context = multiprocessing.get_context("forkserver")
    return ProcessPoolExecutor(workers, mp_context=context, initializer=die_with_parent)


PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
WATCH_INTERVAL = 1.0  # seconds between checks of the parent, where prctl is missing


def die_with_parent() -> None:
    """End this process when its parent ends: the fork server when the build ends, a
    worker when the fork server does (an initializer; server.py for the server).

    Without it, a build killed with SIGKILL would leave them running: each worker holds
    the server open, and a worker waits for work from a pipe nobody writes to any more.
    Linux kills the process itself (PR_SET_PDEATHSIG); elsewhere a daemon thread
    notices that the parent changed.
    """
    parent = os.getppid()
    if not _ask_linux_to_kill_on_parent_death():
        threading.Thread(target=watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # the parent ended before the request took effect
        os._exit(1)


def _ask_linux_to_kill_on_parent_death() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    return libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0


def watch_parent(parent: int) -> None:
    """Exit as soon as this process is no longer ``parent``'s child (it was re-parented)."""
    while os.getppid() == parent:
        time.sleep(WATCH_INTERVAL)
    os._exit(1)
