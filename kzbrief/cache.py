"""The build cache: content-addressed charts and PDFs, and a fingerprint of the last build.

It lives in ``<output>/.kzbrief-cache/`` and holds nothing that cannot be rebuilt;
``kzbrief clean`` removes it and ``--no-cache`` ignores it. Every key is a SHA-256
of everything that can change the result, kzbrief's own code and the versions of
the libraries included, so a stale entry is never used.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import asdict
from functools import cache
from pathlib import Path
from typing import Any

from . import __version__
from .figures import Chart
from .project import CACHE_NAME

PACKAGE_DIR = Path(__file__).resolve().parent
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


class BuildCache:
    """Charts and PDFs by content key, plus the last build's fingerprint."""

    def __init__(self, output: Path, enabled: bool = True) -> None:
        self.folder = output / CACHE_NAME
        self.enabled = enabled

    def chart(self, key: str) -> Chart | None:
        data = self._read(f"charts/{key}.json")
        if data is None:
            return None
        fields = json.loads(data)
        return Chart(**{**fields, "source_ids": tuple(fields["source_ids"])})

    def store_chart(self, key: str, chart: Chart) -> None:
        self._write(f"charts/{key}.json", json.dumps(asdict(chart)).encode())

    def pdf(self, key: str) -> tuple[bytes, dict[str, Any]] | None:
        pdf, info = self._read(f"pdf/{key}.pdf"), self._read(f"pdf/{key}.json")
        return (pdf, json.loads(info)) if pdf is not None and info is not None else None

    def store_pdf(self, key: str, pdf: bytes, info: dict[str, Any]) -> None:
        self._write(f"pdf/{key}.pdf", pdf)
        self._write(f"pdf/{key}.json", json.dumps(info).encode())

    def last_build(self, fingerprint: str) -> list[str] | None:
        """The files the last build wrote, if it had this fingerprint."""
        data = self._read("last-build.json")
        record = json.loads(data) if data else {}
        return record.get("files") if record.get("fingerprint") == fingerprint else None

    def store_last_build(self, fingerprint: str, files: list[Path]) -> None:
        record = {"fingerprint": fingerprint, "files": [str(p) for p in files]}
        self._write("last-build.json", json.dumps(record).encode())

    def unchanged_outputs(self, fingerprint: str, output: Path) -> list[Path] | None:
        """The last build's files, if its inputs were these and its files are untouched."""
        from .manifest import MANIFEST_NAME, verify_folder

        files = self.last_build(fingerprint)
        if files is None or not (output / MANIFEST_NAME).is_file():
            return None
        if verify_folder(output).problems or any(not Path(f).is_file() for f in files):
            return None
        return [Path(f) for f in files]

    def clear(self) -> bool:
        existed = self.folder.is_dir()
        shutil.rmtree(self.folder, ignore_errors=True)
        return existed

    def _read(self, name: str) -> bytes | None:
        if not self.enabled:
            return None
        try:
            return (self.folder / name).read_bytes()
        except OSError:
            return None

    def _write(self, name: str, data: bytes) -> None:
        """Best effort: a cache that cannot be written only makes the next build slower."""
        if not self.enabled:
            return
        path = self.folder / name
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            temporary.write_bytes(data)
            os.replace(temporary, path)
        except OSError:
            pass
