"""The only code that writes into the output folder.

Every file is written to a temporary file beside its target and renamed into
place, so a reader (or a build killed half-way) never sees a half-written PDF.
Builds into the same folder take turns through a lock while they publish; the
lock file lives in the state folder (.kzbrief/locks/), not among the files that
are distributed, and is deleted when the build ends.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from ..errors import Location, OutputError
from ..project import CACHE_NAME
from .manifest import MANIFEST_NAME, listed_files

LOCK_FOLDER = "locks"  # inside the state folder
# Where earlier versions kept the cache and lock: inside the output folder, shipped with it.
LEGACY_STATE = (".kzbrief-cache", ".kzbrief.lock")


def prepare_output(folder: Path, state: Path) -> None:
    """Create the output and state folders, or fail early, before any work is done."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"cannot create the output folder ({exc.strerror})", Location(folder)
        ) from None
    if not os.access(folder, os.W_OK):
        raise OutputError("the output folder is not writable", Location(folder))
    try:
        (state / LOCK_FOLDER).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"cannot create the folder for the build's cache and lock ({exc.strerror}); "
            "[build] state in kzbrief.toml moves it",
            Location(state),
        ) from None


def publish(
    files: dict[Path, bytes],
    lock: Path,
    index: Callable[[], tuple[Path, bytes]] | None = None,
    retired: Callable[[], list[Path]] | None = None,
) -> list[Path]:
    """Write all ``files`` (path -> content) atomically, holding the ``lock`` file.

    ``index`` makes the manifest; it runs under the lock so that concurrent builds
    of different audiences do not drop each other's entries. ``retired`` names the files
    these replace under other names (read before the manifest is made, which leaves them
    out): they are removed once the new manifest is in place.
    """
    folders = sorted({path.parent for path in files})
    with output_lock(lock, folders[0] if folders else lock.parent):
        for folder in folders:
            remove_stale_temporaries(folder)
            remove_legacy_state(folder)
        written = []
        for path, content in files.items():
            written.append(write_atomic(path, content))
        gone = retired() if retired is not None else []
        if index is not None:
            path, content = index()
            write_atomic(path, content)
        for path in gone:
            path.unlink(missing_ok=True)
        return written


def lock_path(state: Path, output: Path) -> Path:
    """The lock for ``output``: one per output folder, named by its resolved path."""
    name = hashlib.sha256(str(output.resolve()).encode()).hexdigest()[:16]
    return state / LOCK_FOLDER / f"{name}.lock"


@contextlib.contextmanager
def output_lock(path: Path, output: Path) -> Iterator[None]:
    """Hold the exclusive lock file ``path`` for ``output``; wait for another build.

    The file is deleted on release, while still locked: a build waiting on it then
    finds that the path no longer names the file it locked, and starts again.
    """
    descriptor = _acquire(path, output)
    try:
        yield
    finally:
        path.unlink(missing_ok=True)
        os.close(descriptor)


def _acquire(path: Path, output: Path) -> int:
    told = False
    retries = 3  # 'clean' may remove the empty locks folder between mkdir and open
    while True:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            if isinstance(exc, FileNotFoundError) and (retries := retries - 1):
                continue
            raise OutputError(
                f"cannot lock the output folder ({exc.strerror})", Location(path)
            ) from None
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not told:
                print(f"kzbrief: waiting for another build writing to {output}", file=sys.stderr)
                told = True
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        if _still_named(descriptor, path):
            return descriptor
        os.close(descriptor)  # its holder deleted it on release: lock the current file


def _still_named(descriptor: int, path: Path) -> bool:
    try:
        named = os.stat(path)
    except FileNotFoundError:
        return False
    held = os.fstat(descriptor)
    return (held.st_dev, held.st_ino) == (named.st_dev, named.st_ino)


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


def remove_legacy_state(folder: Path) -> None:
    """Remove the cache and lock earlier versions kept in the output folder (never distributed)."""
    cache, lock = (folder / name for name in LEGACY_STATE)
    shutil.rmtree(cache, ignore_errors=True)
    lock.unlink(missing_ok=True)


def clean_output(folder: Path, state: Path, everything: bool = False) -> list[str]:
    """Remove the build cache and, with ``everything``, the files the manifest lists."""
    removed = []
    with output_lock(lock_path(state, folder), folder):
        caches = [c for c in (state / CACHE_NAME, folder / LEGACY_STATE[0]) if c.is_dir()]
        removed += [f"removed {cache}" for cache in caches]
        shutil.rmtree(state / CACHE_NAME, ignore_errors=True)
        remove_legacy_state(folder)
        if everything:
            for path in [*listed_files(folder), folder / MANIFEST_NAME]:
                if path.is_file():
                    path.unlink()
                    removed.append(f"removed {path}")
    for empty in (state / LOCK_FOLDER, state):  # the lock file went with the lock
        with contextlib.suppress(OSError):
            empty.rmdir()
    return removed or [f"nothing to clean in {folder}"]
