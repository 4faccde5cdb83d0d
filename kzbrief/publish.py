"""The only code that writes into the output folder.

Every file is written to a temporary file beside its target and renamed into
place, so a reader (or a build killed half-way) never sees a half-written PDF.
Builds into the same folder take turns through a lock while they publish.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from .errors import Location, OutputError

LOCK_NAME = ".kzbrief.lock"


def prepare_output(folder: Path) -> None:
    """Create the output folder, or fail early with a message before any work is done."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"cannot create the output folder ({exc.strerror})", Location(folder)
        ) from None
    if not os.access(folder, os.W_OK):
        raise OutputError("the output folder is not writable", Location(folder))


def publish(
    files: dict[Path, bytes], index: Callable[[], tuple[Path, bytes]] | None = None
) -> list[Path]:
    """Write all ``files`` (path -> content) atomically, under the folder's lock.

    ``index`` makes the manifest; it runs under the lock so that concurrent builds
    of different audiences do not drop each other's entries.
    """
    folders = sorted({path.parent for path in files})
    with contextlib.ExitStack() as stack:
        for folder in folders:
            stack.enter_context(output_lock(folder))
            remove_stale_temporaries(folder)
        written = [write_atomic(path, content) for path, content in files.items()]
        if index is not None:
            path, content = index()
            write_atomic(path, content)
        return written


@contextlib.contextmanager
def output_lock(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` while files are replaced; wait for another build."""
    try:
        handle = open(folder / LOCK_NAME, "a+b")  # noqa: SIM115 - held for the whole block
    except OSError as exc:
        raise OutputError(
            f"cannot lock the output folder ({exc.strerror})", Location(folder)
        ) from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"kzbrief: waiting for another build writing to {folder}", file=sys.stderr)
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def write_atomic(path: Path, content: bytes) -> Path:
    """Write to a temporary file beside ``path``, then rename it into place."""
    try:
        handle, temporary = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp"
        )
    except OSError as exc:
        raise OutputError(f"cannot write the file ({exc.strerror})", Location(path)) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException as exc:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write the file ({exc.strerror})", Location(path)) from None
        raise
    return path


def remove_stale_temporaries(folder: Path) -> None:
    """Delete temporary files left by builds that were killed (their process is gone)."""
    for temporary in folder.glob(".*.tmp"):
        pid = temporary.name.rsplit(".", 3)[-3]
        if pid.isdigit() and not _running(int(pid)):
            temporary.unlink(missing_ok=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_output(folder: Path, everything: bool = False) -> list[str]:
    """Remove the build cache and, with ``everything``, the files the manifest lists."""
    from .manifest import MANIFEST_NAME, listed_files
    from .project import CACHE_NAME

    removed = []
    with output_lock(folder) if folder.is_dir() else contextlib.nullcontext():
        cache = folder / CACHE_NAME
        if cache.is_dir():
            shutil.rmtree(cache)
            removed.append(f"removed {cache}")
        if everything:
            for path in [*listed_files(folder), folder / MANIFEST_NAME]:
                if path.is_file():
                    path.unlink()
                    removed.append(f"removed {path}")
    return removed or [f"nothing to clean in {folder}"]
