"""The typesetting server (workers.py starts it, one per build process): WeasyPrint
imported and warmed up once, and the workers forked from it ready to typeset.

It ties its life to the build's: it ends with the build, however the build ends, and its
workers end with it. Then it imports WeasyPrint and typesets a small document
(warmup.py), so every worker forked from it starts loaded and warm. Jobs arrive pickled
on its standard input, read from the start (while it warms up) so that the build never
waits to hand one over; results go back pickled on its standard output. At the end of
its input (the build exiting) it stops its workers, waits for them and exits.

Last, the garbage collector. What the server has loaded stays for the workers' whole
lives, so it is frozen out of the collector's view (``gc.freeze``): a full collection no
longer walks WeasyPrint's 70,000 module objects. Typesetting makes boxes by the hundred
thousand, so the youngest generation is collected less often (YOUNG_COLLECTION_EVERY).
Measured on four English editions typeset in one process: the collector's share of the CPU
time fell from 0.40 s to 0.09 s (of about 7 s).
"""

from __future__ import annotations

import contextlib
import functools
import gc
import multiprocessing
import os
import pickle
import queue
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from typing import IO

from .pdf import Typeset, typeset_pdf
from .warmup import warm_up
from .workers import YOUNG_COLLECTION_EVERY, die_with_parent


class _Channel:
    """Jobs in, results out. Each end has a file object of its own, not sys.stdin and
    sys.stdout: a worker closes sys.stdin as it starts, and the reader may hold its lock
    at the moment the worker is forked."""

    def __init__(self) -> None:
        self.jobs: IO[bytes] = os.fdopen(os.dup(0), "rb")
        self.out: IO[bytes] = os.fdopen(os.dup(1), "wb")
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.dup2(2, 1)  # a stray print would corrupt the results
        self.inbox: queue.SimpleQueue[tuple | None] = queue.SimpleQueue()
        self.outbox: queue.SimpleQueue[tuple] = queue.SimpleQueue()
        self.forked = False  # whether there are workers to stop at the end
        self.lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._write, daemon=True).start()

    def _read(self) -> None:
        while True:
            try:
                self.inbox.put(pickle.load(self.jobs))
            except (EOFError, OSError, pickle.UnpicklingError):
                with self.lock:
                    if not self.forked:  # nothing to stop: do not finish warming up first
                        os._exit(0)
                self.inbox.put(None)
                return

    def _write(self) -> None:
        while True:
            pickle.dump(self.outbox.get(), self.out, pickle.HIGHEST_PROTOCOL)
            self.out.flush()

    def send(self, number: int, future: Future[Typeset]) -> None:
        try:
            result: object = future.result()
        except BaseException as exc:  # the build raises it where it waits for the result
            result = exc if _picklable(exc) else RuntimeError(repr(exc))
        self.outbox.put((number, result))


def _picklable(exc: BaseException) -> bool:
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return False
    return True


def serve(channel: _Channel) -> None:
    """Hand each job to a worker until the input ends; then stop the workers."""
    pool: ProcessPoolExecutor | None = None
    workers = 0
    queued: dict[int, Future[Typeset]] = {}  # not finished yet, by job number
    while (job := channel.inbox.get()) is not None:
        if job[0] == "cancel":  # a build given up: its jobs not yet begun are not begun
            for number in job[1]:
                if number in queued:
                    queued[number].cancel()
            continue
        if job[0] == "workers":  # a build's number of workers, before its first job
            if job[1] != workers:
                if pool is not None:
                    pool.shutdown()
                pool, workers = _fork_workers(channel, job[1]), job[1]
            continue
        if pool is None:
            pool = _fork_workers(channel, os.cpu_count() or 1)
        number, html, options = job
        queued[number] = future = pool.submit(typeset_pdf, html, options)
        future.add_done_callback(functools.partial(channel.send, number))
        future.add_done_callback(lambda _, number=number: queued.pop(number, None))
    if pool is not None:
        pool.shutdown(cancel_futures=True)


def _fork_workers(channel: _Channel, workers: int) -> ProcessPoolExecutor:
    """``workers`` processes forked now from this warm one, while the build still renders
    its first HTML (a 'fork' pool starts all its processes with its first task)."""
    with channel.lock:
        channel.forked = True
        context = multiprocessing.get_context("fork")
        pool = ProcessPoolExecutor(workers, mp_context=context, initializer=die_with_parent)
        pool.submit(os.getpid)
    return pool


def main() -> None:
    """The server's life: tied to the build, warm, serving, then gone (os._exit: its
    interpreter's teardown would only cost the exiting build time)."""
    die_with_parent()
    channel = _Channel()
    # A failed warm-up costs only time: the real documents report their own problems.
    with contextlib.suppress(Exception):
        warm_up()
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_COLLECTION_EVERY, 10, 10)
    serve(channel)
    os._exit(0)
