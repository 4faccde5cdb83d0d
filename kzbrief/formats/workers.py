"""Typesetting several documents at once: worker processes, fed edition by edition.

The build hands over each language's PDF editions as soon as their HTML is rendered,
so the workers typeset one language while the build draws the next one's charts. The
workers are forked from the typesetting server (server.py), a process started when the
build begins: it imports WeasyPrint once, on another core, while the build loads the
data and draws the charts, and each worker forked from it is ready to typeset. The build
process itself never imports WeasyPrint unless it typesets alone.

All through public APIs (subprocess, pickle, concurrent.futures): the build waits for the
server to end when it exits, and the server for its workers, so no process outlives the
build, even briefly; a build killed with SIGKILL takes them with it (die_with_parent).
"""

from __future__ import annotations

import atexit
import ctypes
import functools
import itertools
import os
import pickle
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from typing import IO

from ..cache import BuildCache
from ..progress import Progress
from .pdf import Typeset, TypesetOptions, typeset_key, typeset_pdf
from .weasyprint_adapter import weasyprint_tested

Job = tuple[str, str, TypesetOptions]  # who it is for (an edition key), the HTML, the options

# The youngest objects are collected every this many allocations, not 700, in the build and
# in its workers: they make models, figures and boxes by the hundred thousand and keep most
# to the end, so frequent collections find little to free (server.py and build.py measure it).
YOUNG_COLLECTION_EVERY = 10_000

STOP_WAIT = 60.0  # seconds the exiting build gives the server to stop its workers, then kills it


class Typesetting:
    """A build's PDFs, job by job: from the cache where the inputs are unchanged, the
    others typeset at once (alone) or queued for the workers (``workers`` > 1)."""

    def __init__(self, cache: BuildCache, workers: int, progress: Progress) -> None:
        self.cache, self.progress = cache, progress
        self.server = _server(workers) if workers > 1 else None
        self.typeset: list[str] = []  # who was typeset (not cached), in the order handed over
        self._done: dict[str, Typeset] = {}
        self._pending: dict[str, tuple[str, Future[Typeset]]] = {}

    def __enter__(self) -> Typesetting:
        return self

    def __exit__(self, *exc: object) -> None:
        # The server and its workers stay for the process's later builds (the preview's).
        # Jobs a failed build leaves behind: those not begun are cancelled, the results of
        # the others are read and dropped.
        if self.server is not None and self._pending:
            self.server.cancel([future for _, future in self._pending.values()])
        self._pending.clear()

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
        if todo and self.server is not None:
            # said here, where the build counts warnings: the workers' server keeps quiet
            weasyprint_tested()
        for who, key, html, options in sorted(todo, key=lambda job: -len(job[2])):
            if self.server is None:
                self._finish(who, key, typeset_pdf(html, options))
            else:
                self._pending[who] = (key, self.server.submit(html, options))

    def results(self, order: list[str]) -> list[Typeset]:
        """Every submitted job's PDF, waiting for the workers; in the order of ``order``."""
        for who, (key, future) in list(self._pending.items()):
            if self.server is not None:
                self.server.wait_for(future)
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
    """Start the typesetting server now, if it is not running: it imports WeasyPrint and
    warms up on another core while the build loads the data and draws the charts. One
    server per build process, kept for its later builds (the preview's)."""
    _server(0)


@functools.cache
def _running() -> TypesettingServer:
    server = TypesettingServer()
    atexit.register(server.stop)
    return server


def _server(workers: int) -> TypesettingServer:
    """The running server, told to fork ``workers`` workers (0: leave them as they are)."""
    server = _running()
    if workers:
        server.send(("workers", workers))
    return server


class TypesettingServer:
    """server.py in a process of its own: jobs go in on its standard input, results come
    back on its standard output, both pickled. The build reads results only when it waits
    for one; the server keeps writing them meanwhile (its writer queues them)."""

    def __init__(self) -> None:
        paths = f"import sys; sys.path[:] = {sys.path!r}"  # where the build found kzbrief
        code = f"{paths}; from kzbrief.formats.server import main; main()"
        self.process = subprocess.Popen(
            [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        self.jobs: IO[bytes] = self.process.stdin  # type: ignore[assignment]
        self.results: IO[bytes] = self.process.stdout  # type: ignore[assignment]
        self.futures: dict[int, Future[Typeset]] = {}
        self._numbers = itertools.count()

    def send(self, message: tuple[object, ...]) -> None:
        pickle.dump(message, self.jobs, pickle.HIGHEST_PROTOCOL)
        self.jobs.flush()

    def submit(self, html: str, options: TypesetOptions) -> Future[Typeset]:
        """Typeset ``html`` in one of the server's workers."""
        number = next(self._numbers)
        self.futures[number] = future = Future()
        self.send((number, html, options))
        return future

    def cancel(self, futures: list[Future[Typeset]]) -> None:
        numbers = [number for number, found in self.futures.items() if found in futures]
        for number in numbers:
            del self.futures[number]
        self.send(("cancel", numbers))

    def wait_for(self, future: Future[Typeset]) -> None:
        """Read results until ``future``'s is in (those of a build given up are dropped)."""
        while not future.done():
            try:
                number, result = pickle.load(self.results)
            except EOFError:
                raise BrokenProcessPool("the typesetting server ended unexpectedly") from None
            done = self.futures.pop(number, None)
            if done is None:
                continue
            if isinstance(result, BaseException):
                done.set_exception(result)
            else:
                done.set_result(result)

    def stop(self) -> None:
        """End the server and wait for it; it ends its workers first (server.py)."""
        self.jobs.close()  # end of input: the server stops its workers and exits
        try:
            self.process.wait(STOP_WAIT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.results.close()


PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
WATCH_INTERVAL = 1.0  # seconds between checks of the parent, where prctl is missing


def die_with_parent() -> None:
    """End this process when its parent ends: the server when the build ends, a worker
    when the server does (an initializer; server.py for the server).

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
