"""The build cache: one content-addressed memo, and a fingerprint of the last build.

It lives in ``.kzbrief/cache/`` (see project.py), never in the output folder, and
holds nothing that cannot be rebuilt; ``kzbrief clean`` removes it and
``--no-cache`` ignores it. It knows nothing of what it stores: each stage names its
entries with ``entry_key``, a SHA-256 of kzbrief's own code, the versions of the
libraries included, and the explicit inputs the stage lists, so a stale entry is
never used; the stage also says how its results become bytes and back.

Nothing read back is trusted: each entry starts with the SHA-256 of its content,
checked on every read (as ccache and pip check theirs). A flipped bit, a truncated
or unreadable entry is a miss: the work is redone and the damage reported once.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TypeVar

from . import __version__
from .log import warn

PACKAGE_DIR = Path(__file__).resolve().parent
ENTRY_HEADER = b"kzbrief-cache-1 sha256:"  # then the payload's SHA-256 in hex and a newline
LIBRARIES = (
    "weasyprint", "matplotlib", "jinja2", "pydantic", "pyyaml", "pyhanko", "python-docx",
)  # fmt: skip
LAST_BUILD = "last-build"

Value = TypeVar("Value")


def digest(*parts: object) -> str:
    """SHA-256 of the parts' JSON forms (bytes are hashed as they are)."""
    hasher = hashlib.sha256()
    for part in parts:
        data = part if isinstance(part, bytes) else json.dumps(part, sort_keys=True, default=str)
        hasher.update(data if isinstance(data, bytes) else data.encode())
        hasher.update(b"\0")
    return hasher.hexdigest()


def tree_digest(*folders: Path) -> str:
    """One digest over every file below ``folders``: names and contents."""
    hasher = hashlib.sha256()
    for folder in folders:
        for path in sorted(
            p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts
        ):
            hasher.update(str(path).encode() + b"\0" + path.read_bytes() + b"\0")
    return hasher.hexdigest()


@cache
def code_digest() -> str:
    """kzbrief's own code and the library versions it renders with.

    Computed once per process: it reads every file of the package, and the build
    asks for it for the fingerprint and every entry key.
    """
    versions = {name: _version(name) for name in LIBRARIES}
    return digest(__version__, versions, tree_digest(PACKAGE_DIR))


def _version(name: str) -> str:
    # lazy: importlib.metadata costs ~40 ms of start-up, which `kzbrief list` must not pay
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "absent"


def entry_key(kind: str, *inputs: object) -> str:
    """The name of the entry for a ``kind`` of result made from ``inputs`` by this code."""
    return f"{kind}/{digest(kind, code_digest(), *inputs)}"


def build_fingerprint(folders: list[Path], settings: list[object]) -> str:
    """Every input of a build: files below ``folders``, fonts (by name, size, date),
    kzbrief's code, library versions, ``settings`` and $SOURCE_DATE_EPOCH."""
    # lazy: fonts brings dataclasses and the font packages (~20 ms), which `list` must not pay
    from .language.fonts import font_folders

    fonts = sorted(
        (str(p), p.stat().st_size, p.stat().st_mtime)
        for f in font_folders()
        for p in f.glob("*.ttf")
    )
    return digest(
        code_digest(),
        tree_digest(*(f for f in folders if f.is_dir())),
        fonts,
        settings,
        os.environ.get("SOURCE_DATE_EPOCH", ""),
    )


class DamagedEntry(ValueError):
    """A cache entry whose checksum does not match its content."""


def seal(payload: bytes) -> bytes:
    """The entry as stored: a header line with the payload's SHA-256, then the payload."""
    return ENTRY_HEADER + hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload


def unseal(entry: bytes) -> bytes:
    """The payload of a stored entry; DamagedEntry if it is not exactly what was stored."""
    header, newline, payload = entry.partition(b"\n")
    if not newline or header != ENTRY_HEADER + hashlib.sha256(payload).hexdigest().encode():
        raise DamagedEntry("checksum mismatch")
    return payload


class BuildCache:
    """Results by content key, plus the last build's fingerprint.

    A damaged entry is warned of once, then removed. The warning does not fail
    ``--strict``: the build simply makes the result again.
    """

    def __init__(self, folder: Path, enabled: bool = True) -> None:
        self.folder = folder
        self.enabled = enabled

    def memo(
        self,
        key: str,
        compute: Callable[[], Value],
        encode: Callable[[Value], bytes],
        decode: Callable[[bytes], Value],
        what: str,
        redo: str = "made again",
    ) -> Value:
        """The result stored under ``key``, or ``compute()``'s, stored for next time."""
        found = self.load(key, decode, what, redo)
        if found is None:
            found = compute()
            self.store(key, encode(found))
        return found

    def load(
        self, key: str, decode: Callable[[bytes], Value], what: str, redo: str = "made again"
    ) -> Value | None:
        """The entry ``key`` decoded, or None if absent or damaged (``what`` names it
        in the warning, ``redo`` says what the build does instead)."""
        if not self.enabled:
            return None
        path = self.folder / key
        try:
            return decode(unseal(path.read_bytes()))
        except (FileNotFoundError, NotADirectoryError):
            return None  # not cached (yet)
        except (OSError, ValueError, KeyError, TypeError):
            # Unreadable, truncated, altered, or not what this code wrote: never use it.
            warn(f"cache entry for {what} was corrupt; {redo}", counted=False)
            with contextlib.suppress(OSError):
                path.unlink()
            return None

    def store(self, key: str, payload: bytes) -> None:
        """Best effort: a cache that cannot be written only makes the next build slower."""
        if not self.enabled:
            return
        path = self.folder / key
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            temporary.write_bytes(seal(payload))
            os.replace(temporary, path)
        except OSError:
            pass

    def last_build(self, fingerprint: str) -> list[Path] | None:
        """The files the last build wrote, if it had this fingerprint."""
        record = self.load(LAST_BUILD, json.loads, "the last build", "checking every input")
        if not isinstance(record, dict) or record.get("fingerprint") != fingerprint:
            return None
        return [Path(name) for name in record.get("files", [])]

    def store_last_build(self, fingerprint: str, files: list[Path]) -> None:
        record = {"fingerprint": fingerprint, "files": [str(p) for p in files]}
        self.store(LAST_BUILD, json.dumps(record).encode())
