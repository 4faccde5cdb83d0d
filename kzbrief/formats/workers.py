"""Typesetting several documents at once: a pool of worker processes, and the cache.

The workers are forked on first use, after WeasyPrint is imported, so they inherit
it instead of each importing it again. A worker dies with the build that forked it,
even one killed with SIGKILL.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor

from ..cache import BuildCache
from ..progress import Progress
from .pdf import Typeset, TypesetOptions, typeset_key, typeset_pdf

Job = tuple[str, str, TypesetOptions]  # who it is for (an audience id), the HTML, the options


class Typesetters:
    """Worker processes for typesetting, one per core, started on first use.

    (Forking them earlier, to import WeasyPrint while the charts are drawn, was
    measured slower: on two cores the imports only compete with the drawing.)
    """

    def __init__(self, workers: int = 0) -> None:
        self.count = workers or os.cpu_count() or 1
        self.pool: ProcessPoolExecutor | None = None

    def _start(self) -> ProcessPoolExecutor:
        if self.pool is None:
            from . import fetcher  # noqa: F401 - lazy: imports WeasyPrint once, before the fork

            context = multiprocessing.get_context("fork")
            self.pool = ProcessPoolExecutor(
                self.count,
                mp_context=context,
                initializer=die_with_parent,
                initargs=(os.getpid(),),
            )
        return self.pool

    def __enter__(self) -> Typesetters:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)

    def run(self, jobs: list[tuple[str, TypesetOptions]]) -> list[Typeset]:
        """Typeset ``jobs`` (html, options); results in the order of ``jobs``."""
        if self.count <= 1 or len(jobs) <= 1:
            return [typeset_pdf(html, options) for html, options in jobs]
        pool = self._start()
        # Longest first (HTML length is a fair proxy for pages), so no worker is left
        # with a long document at the end while the others idle.
        order = sorted(range(len(jobs)), key=lambda i: -len(jobs[i][0]))
        futures = {i: pool.submit(typeset_pdf, *jobs[i]) for i in order}
        return [futures[i].result() for i in range(len(jobs))]


def typeset_all(
    jobs: list[Job], cache: BuildCache, workers: int, progress: Progress
) -> tuple[list[Typeset], list[str]]:
    """Every job's PDF, from the cache where its inputs are unchanged, the others
    typeset in parallel; and who the typeset ones were for, in the order typeset."""
    keys = [typeset_key(html, options) for _, html, options in jobs]
    results: list[Typeset | None] = []
    for (who, _, _), key in zip(jobs, keys, strict=True):
        results.append(cache.load(key, Typeset.decode, f"the {who} PDF", "typeset again"))
        if results[-1] is not None:
            progress.note(who, "unchanged (cached)")
    todo = [i for i, result in enumerate(results) if result is None]
    for i in todo:
        progress.note(jobs[i][0], "typesetting")
    with Typesetters(workers) as typesetters:
        done = typesetters.run([(jobs[i][1], jobs[i][2]) for i in todo])
    for i, result in zip(todo, done, strict=True):
        results[i] = result
        cache.store(keys[i], result.encode())
        progress.note(jobs[i][0], f"typeset, {result.pages} pages")
    return [result for result in results if result is not None], [jobs[i][0] for i in todo]


PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
WATCH_INTERVAL = 1.0  # seconds between checks of the parent, where prctl is missing


def die_with_parent(parent: int) -> None:
    """Worker initializer: end this process when the build that forked it ends.

    Without it, a build killed with SIGKILL leaves its workers running, blocked on
    a pipe nobody reads. Linux kills them itself (PR_SET_PDEATHSIG); elsewhere a
    daemon thread notices that the parent changed.
    """
    if not _ask_linux_to_kill_on_parent_death():
        threading.Thread(target=watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # the build died before the request took effect
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
