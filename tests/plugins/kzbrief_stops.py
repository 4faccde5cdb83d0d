"""The moments a test can stop a kzbrief process at, and how each is reached.

Each moment wraps one public function of kzbrief as its module is imported (kzbrief
imports its stages lazily, so the wrapping waits for the import: ``_PatchOnImport``).
The process that reaches the moment writes its PID and a newline to the FIFO the test
named, then blocks until the test kills it. The test reads the FIFO with ``select``:
no polling, no sleeps (stops.py).
"""

from __future__ import annotations

import contextlib
import functools
import importlib.abc
import importlib.machinery
import os
import sys
import threading
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

STOP_VARIABLE = "KZBRIEF_TEST_STOP"
FIFO_VARIABLE = "KZBRIEF_TEST_STOP_FIFO"

# A build's moments, in the order it reaches them.
MOMENTS = (
    "loaded",  # data and audiences read and checked, the output folder prepared
    "charts-drawn",  # every chart drawn (and cached); typesetting may have begun in workers
    "typesetting",  # inside typesetting an edition, in a worker process (--jobs 2)
    "typeset-done",  # every PDF in memory (and cached), the output folder untouched
    "locked",  # the output lock held, no file replaced yet
    "before-rename",  # the first file written to its temporary, not yet renamed into place
    "between-files",  # the first file renamed into place, the others not yet
    "before-manifest",  # every file replaced, the manifest still the old one
    "after-manifest",  # the manifest written, the lock not yet released
)
# `kzbrief send`'s: the server has accepted the first message and the register does not
# yet say so; or the register says so and the next message is not sent.
SEND_MOMENTS = ("message-accepted", "message-recorded")

Patch = Callable[[ModuleType], None]


def stop() -> None:
    """Tell the test this process is at its moment, and wait here to be killed."""
    fifo = os.environ[FIFO_VARIABLE]
    # one short write: never torn; if the test has gone, wait to be killed all the same
    with contextlib.suppress(OSError), open(fifo, "w", encoding="utf-8") as stream:
        stream.write(f"{os.getpid()}\n")
    threading.Event().wait()


def _stop_before(function: Callable[..., Any], when: Callable[..., bool] | None = None) -> Any:
    @functools.wraps(function)  # same name and module: a worker still unpickles it
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if when is None or when(*args, **kwargs):
            stop()
        return function(*args, **kwargs)

    return wrapper


def _stop_after(function: Callable[..., Any], when: Callable[..., bool] | None = None) -> Any:
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        result = function(*args, **kwargs)
        if when is None or when(*args, **kwargs):
            stop()
        return result

    return wrapper


def _in_lock(before_release: bool) -> Patch:
    """Stop just after taking the output lock, or just before releasing it."""

    def patch(files: ModuleType) -> None:
        taken = files.output_lock

        @contextlib.contextmanager
        def output_lock(*args: Any, **kwargs: Any) -> Iterator[None]:
            with taken(*args, **kwargs):
                if not before_release:
                    stop()
                yield
                if before_release:  # the body ended normally: the manifest is written
                    stop()

        files.output_lock = output_lock

    return patch


def _before_first_rename(files: ModuleType) -> None:
    """write_atomic calls ``os.replace`` through its module: stop there, the temporary
    file written and closed, not yet renamed into place."""

    class StopBeforeReplace:
        def __getattr__(self, name: str) -> Any:
            return getattr(os, name)

        def replace(self, source: Any, target: Any) -> None:
            stop()

    files.os = StopBeforeReplace()


def _before_index(files: ModuleType) -> None:
    """publish makes the manifest with its ``index`` argument once every file is in place."""
    original = files.publish

    @functools.wraps(original)
    def publish(
        written: Any, lock: Any, index: Callable[[], Any] | None = None, *more: Any, **named: Any
    ) -> Any:  # the arguments after index (the files retired) pass through as they come
        return original(written, lock, _stop_before(index) if index else None, *more, **named)

    files.publish = publish


def _wrap(name: str, wrapper: Callable[..., Any], **condition: Callable[..., bool]) -> Patch:
    """Wrap the module's ``name`` (``Class.method`` for a method) with ``wrapper``."""

    def patch(module: ModuleType) -> None:
        owner, _, attribute = name.rpartition(".")
        holder = getattr(module, owner) if owner else module
        setattr(holder, attribute, wrapper(getattr(holder, attribute), **condition))

    return patch


_WARMING_UP = threading.Event()
ROOT_VARIABLE = "KZBRIEF_TEST_STOP_ROOT"  # the PID of the process the test started


def _warming_up(warmup: ModuleType) -> None:
    """The typesetting server typesets a small document before any worker exists: not
    an edition, so not the moment."""
    warm_up = warmup.warm_up

    @functools.wraps(warm_up)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        _WARMING_UP.set()
        try:
            return warm_up(*args, **kwargs)
        finally:
            _WARMING_UP.clear()

    warmup.warm_up = wrapper


def _in_a_worker(*args: Any, **kwargs: Any) -> bool:
    """An edition typeset in a process below the one the test started (a worker)."""
    return not _WARMING_UP.is_set() and os.environ[ROOT_VARIABLE] != str(os.getpid())


def _sent(self: Any, copy_id: str, status: str, *args: Any, **kwargs: Any) -> bool:
    return status == "sent"


FILES, WORKERS = "kzbrief.publish.files", "kzbrief.formats.workers"
REGISTER = "kzbrief.distribute.register_copies"
# moment -> {module: its patch}
PATCHES: dict[str, dict[str, Patch]] = {
    "loaded": {FILES: _wrap("prepare_output", _stop_after)},
    "charts-drawn": {WORKERS: _wrap("Typesetting.results", _stop_before)},
    "typesetting": {
        "kzbrief.formats.pdf": _wrap("typeset_pdf", _stop_before, when=_in_a_worker),
        "kzbrief.formats.warmup": _warming_up,
    },
    "typeset-done": {WORKERS: _wrap("Typesetting.results", _stop_after)},
    "locked": {FILES: _in_lock(before_release=False)},
    "before-rename": {FILES: _before_first_rename},
    "between-files": {FILES: _wrap("write_atomic", _stop_after)},
    "before-manifest": {FILES: _before_index},
    "after-manifest": {FILES: _in_lock(before_release=True)},
    "message-accepted": {REGISTER: _wrap("CopyTable.set_status", _stop_before, when=_sent)},
    "message-recorded": {REGISTER: _wrap("CopyTable.set_status", _stop_after, when=_sent)},
}
assert set(PATCHES) == {*MOMENTS, *SEND_MOMENTS}


class _PatchingLoader(importlib.abc.Loader):
    """The module's own loader, then the patch, before anyone can import from it."""

    def __init__(self, loader: importlib.abc.Loader, patch: Patch) -> None:
        self.loader, self.patch = loader, patch

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return self.loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        self.loader.exec_module(module)
        self.patch(module)

    def __getattr__(self, name: str) -> Any:  # get_data, resource readers...
        return getattr(self.loader, name)


class _PatchOnImport(importlib.abc.MetaPathFinder):
    def __init__(self, name: str, patch: Patch) -> None:
        self.name, self.patch = name, patch

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
        if fullname != self.name:
            return None
        # the other finders, which find the module itself
        for finder in sys.meta_path:
            if finder is not self and hasattr(finder, "find_spec"):
                spec = finder.find_spec(fullname, path, target)
                if spec is not None and spec.loader is not None:
                    spec.loader = _PatchingLoader(spec.loader, self.patch)
                    return spec
        return None


def install(moment: str, fifo: str) -> None:
    """Arrange for this process (and those it starts) to stop at ``moment``."""
    if moment not in PATCHES:
        raise SystemExit(f"{STOP_VARIABLE}: unknown moment {moment!r} (known: {list(PATCHES)})")
    os.environ[FIFO_VARIABLE] = fifo
    os.environ.setdefault(ROOT_VARIABLE, str(os.getpid()))  # inherited by what it starts
    for name, patch in PATCHES[moment].items():
        if name not in sys.modules:  # else a process forked after the import: patched
            sys.meta_path.insert(0, _PatchOnImport(name, patch))
