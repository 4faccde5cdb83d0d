"""The build cache: content-addressed charts and PDFs, and a fingerprint of the last build.

It lives in ``.kzbrief/cache/`` (see project.py), never in the output folder, and
holds nothing that cannot be rebuilt; ``kzbrief clean`` removes it and
``--no-cache`` ignores it. Every key is a SHA-256 of everything that can change the
result, kzbrief's own code and the versions of the libraries included, so a stale
entry is never used.

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
from typing import Any, TypeVar

from . import __version__

PACKAGE_DIR = Path(__file__).resolve().parent
ENTRY_HEADER = b"kzbrief-cache-1 sha256:"  # then the payload's SHA-256 in hex and a newline
LIBRARIES = ("weasyprint", "matplotlib", "basemap", "jinja2", "pydantic", "pyyaml", "pyhanko")


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
    asks for it for the fingerprint, each chart key and each PDF key.
    """
    versions = {name: _version(name) for name in LIBRARIES}
    return digest(__version__, versions, tree_digest(PACKAGE_DIR))


def _version(name: str) -> str:
    from importlib import metadata  # slow to import; not needed to list audiences

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "absent"


def build_fingerprint(folders: list[Path], settings: list[object]) -> str:
    """Every input of a build: files below ``folders``, fonts (by name, size, date),
    kzbrief's code, library versions, ``settings`` and $SOURCE_DATE_EPOCH."""
    from .fonts import font_folders

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


Decoded = TypeVar("Decoded")


class BuildCache:
    """Charts and PDFs by content key, plus the last build's fingerprint.

    ``warn`` hears about damaged entries; each is reported once, then removed.
    """

    def __init__(
        self, folder: Path, enabled: bool = True, warn: Callable[[str], None] | None = None
    ) -> None:
        self.folder = folder
        self.enabled = enabled
        self.warn = warn or (lambda message: None)

    def load(
        self, name: str, decode: Callable[[bytes], Decoded], what: str, redo: str
    ) -> Decoded | None:
        """The entry ``name`` decoded, or None if absent or damaged (``what`` names it
        in the warning, ``redo`` says what the build does instead)."""
        if not self.enabled:
            return None
        path = self.folder / name
        try:
            return decode(unseal(path.read_bytes()))
        except (FileNotFoundError, NotADirectoryError):
            return None  # not cached (yet)
        except (OSError, ValueError, KeyError, TypeError):
            # Unreadable, truncated, altered, or not what this code wrote: never use it.
            self.warn(f"cache entry for {what} was corrupt; {redo}")
            with contextlib.suppress(OSError):
                path.unlink()
            return None

    def store(self, name: str, payload: bytes) -> None:
        """Best effort: a cache that cannot be written only makes the next build slower."""
        if not self.enabled:
            return
        path = self.folder / name
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            temporary.write_bytes(seal(payload))
            os.replace(temporary, path)
        except OSError:
            pass

    def pdf(self, key: str, what: str) -> tuple[bytes, dict[str, Any]] | None:
        """A typeset PDF and what was recorded with it (pages, warnings)."""
        return self.load(f"pdf/{key}", _split_pdf, what, "typeset again")

    def store_pdf(self, key: str, pdf: bytes, info: dict[str, Any]) -> None:
        self.store(f"pdf/{key}", json.dumps(info).encode() + b"\n" + pdf)

    def last_build(self, fingerprint: str) -> list[str] | None:
        """The files the last build wrote, if it had this fingerprint."""
        record = self.load("last-build", json.loads, "the last build", "checking every input")
        if not isinstance(record, dict) or record.get("fingerprint") != fingerprint:
            return None
        return record.get("files")

    def store_last_build(self, fingerprint: str, files: list[Path]) -> None:
        record = {"fingerprint": fingerprint, "files": [str(p) for p in files]}
        self.store("last-build", json.dumps(record).encode())

    def unchanged_outputs(self, fingerprint: str, output: Path) -> list[Path] | None:
        """The last build's files, if its inputs were these and its files are untouched."""
        from .publish.manifest import MANIFEST_NAME, verify_folder

        files = self.last_build(fingerprint)
        if files is None or not (output / MANIFEST_NAME).is_file():
            return None
        if verify_folder(output).problems or any(not Path(f).is_file() for f in files):
            return None
        return [Path(f) for f in files]


def _split_pdf(payload: bytes) -> tuple[bytes, dict[str, Any]]:
    info, _, pdf = payload.partition(b"\n")
    fields = json.loads(info)
    if not isinstance(fields, dict) or not pdf.startswith(b"%PDF-"):
        raise ValueError("not a cached PDF")
    return pdf, fields
